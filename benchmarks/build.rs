//! halide-apps's C++ references call libHalide directly, and a dependency's
//! build script cannot give this crate's binaries the rpath that finds it
//! (halide-sys's own shim carries its rpath; the references do not).
fn main() {
    let lib = std::env::var("DEP_HALIDE_LIB").expect("halide-sys exports DEP_HALIDE_LIB");
    println!("cargo:rustc-link-arg=-Wl,-rpath,{lib}");
}

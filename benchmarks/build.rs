//! Builds the C++ reference harness against the Halide halide-sys found.
fn main() {
    println!("cargo:rerun-if-changed=harness");
    let include =
        std::env::var("DEP_HALIDE_INCLUDE").expect("halide-sys exports DEP_HALIDE_INCLUDE");
    cc::Build::new()
        .cpp(true)
        .std("c++17")
        .include(include)
        .file("harness/callable_harness.cpp")
        .debug(false)
        .opt_level(2)
        .flag_if_supported("-Wno-unused-parameter")
        .compile("callable_harness");
}

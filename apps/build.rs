//! Builds the C++ references (the apps' C++ versions and the call-overhead
//! harness) against the Halide halide-sys found.
fn main() {
    println!("cargo:rerun-if-changed=cpp");
    let var =
        |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("halide-sys exports {name}"));
    let mut sources: Vec<_> = std::fs::read_dir("cpp")
        .expect("apps/cpp")
        .map(|entry| entry.expect("apps/cpp").path())
        .filter(|path| path.extension().is_some_and(|e| e == "cpp"))
        .collect();
    sources.sort();
    cc::Build::new()
        .cpp(true)
        .std("c++17")
        .include(var("DEP_HALIDE_INCLUDE"))
        .files(sources)
        .debug(false)
        .opt_level(2)
        .flag_if_supported("-Wno-unused-parameter")
        .compile("halide_apps_cpp");
    // The C++ calls Halide's C++ API itself, so it links libHalide
    // directly, with an rpath so test binaries start with no loader path set.
    let lib = var("DEP_HALIDE_LIB");
    println!("cargo:rustc-link-search=native={lib}");
    println!("cargo:rustc-link-lib=dylib=Halide");
    println!("cargo:rustc-link-arg=-Wl,-rpath,{lib}");
}

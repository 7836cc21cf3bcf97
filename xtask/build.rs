//! Forwards halide-sys's discovery (DEP_HALIDE_*) into xtask's environment.
fn main() {
    for key in ["INCLUDE", "LIB", "BIN", "ROOT"] {
        let value = std::env::var(format!("DEP_HALIDE_{key}")).unwrap_or_default();
        println!("cargo:rustc-env=XTASK_HALIDE_{key}={value}");
    }
}

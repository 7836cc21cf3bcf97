//! `HALIDE_SOURCE_DIR`: Halide built from a source checkout, with the
//! `cmake` crate, against an installed LLVM.
//!
//! Opt-in and slow (libHalide is a large C++ library: most of an hour on
//! two cores), for working on Halide itself or on a platform without an
//! official build. The build tree and the installation live in the cache
//! (`<cache>/source/<key>/`), keyed by the checkout's path, so that
//! `cargo clean` keeps them, later builds are incremental, and binaries
//! linked against the result keep working.

use crate::probe::{self, Install};
use std::path::Path;

/// Builds and installs the checkout at `source`, then checks the result as
/// any installation is checked.
pub fn build(source: &Path, cache: &Path, target_os: &str, major: u32) -> Result<Install, String> {
    let source = source
        .canonicalize()
        .map_err(|e| format!("HALIDE_SOURCE_DIR={}: {e}", source.display()))?;
    if !source.join("CMakeLists.txt").is_file() || !source.join("src/Func.h").is_file() {
        return Err(format!(
            "HALIDE_SOURCE_DIR={}: not a Halide source checkout (no CMakeLists.txt and src/Func.h)",
            source.display()
        ));
    }
    // Editing Halide rebuilds it (incrementally); cargo scans these trees.
    for part in ["CMakeLists.txt", "src", "cmake", "dependencies"] {
        println!("cargo:rerun-if-changed={}", source.join(part).display());
    }
    for var in ["Halide_LLVM_ROOT", "LLVM_DIR", "Clang_DIR", "LLD_DIR"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    let out = cache.join("source").join(key(&source));
    let mut config = cmake::Config::new(&source);
    config
        .out_dir(&out)
        .profile("Release")
        // libHalide and its autoschedulers only: no tests, tutorials,
        // utilities or Python module, and nothing fetched from the network
        // (the WebAssembly JIT needs wabt, serialization flatbuffers).
        .define("WITH_TESTS", "OFF")
        .define("WITH_TUTORIALS", "OFF")
        .define("WITH_UTILS", "OFF")
        .define("WITH_DOCS", "OFF")
        .define("WITH_PYTHON_BINDINGS", "OFF")
        .define("WITH_SERIALIZATION", "OFF")
        .define("WITH_AUTOSCHEDULERS", "ON")
        .define("Halide_WASM_BACKEND", "OFF")
        .define("Halide_USE_FETCHCONTENT", "OFF")
        .define("BUILD_SHARED_LIBS", "ON");
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| config.build()));
    std::panic::set_hook(hook);
    let prefix = built.map_err(|_| {
        format!(
            "building Halide from {} failed (CMake's output is above). It needs CMake 3.28 or \
             newer (set CMAKE to its path), a C++17 compiler, and LLVM with Clang and LLD, \
             found through Halide_LLVM_ROOT (say /usr/lib/llvm-19) or LLVM_DIR",
            source.display()
        )
    })?;
    let mut install = probe::inspect(&prefix, target_os, major).map_err(|e| {
        format!(
            "the Halide built from {} at {}: {e}",
            source.display(),
            prefix.display()
        )
    })?;
    install.source = format!(
        "HALIDE_SOURCE_DIR={} (built into {})",
        source.display(),
        prefix.display()
    );
    Ok(install)
}

/// A directory name for a checkout: its path, hashed.
fn key(source: &Path) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(source.as_os_str().as_encoded_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

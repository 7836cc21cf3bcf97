//! Where the Halide this crate was built against lives: recorded by the
//! build script, for finding autoscheduler plugins and Halide's tools.
//!
//! These are paths on the machine that built the crate. A program deployed
//! elsewhere can point at another installation with `HALIDE_ROOT` at run time;
//! autoscheduler plugins are also looked for beside the libHalide the
//! process loaded, so a program shipped with its libraries finds its own.
//!
//! ```
//! let include = halide_sys::paths::include_dir();
//! assert!(include.join("Halide.h").is_file());
//! assert!(halide_sys::paths::plugin("adams2019").is_some());
//! ```

use std::path::PathBuf;

/// Returns the run-time override of the installation prefix, if set.
fn runtime_root() -> Option<PathBuf> {
    std::env::var_os("HALIDE_ROOT")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn build_time(value: &'static str) -> Option<PathBuf> {
    (!value.is_empty()).then(|| PathBuf::from(value))
}

/// The installation prefix.
pub fn root() -> PathBuf {
    runtime_root().unwrap_or_else(|| PathBuf::from(env!("HALIDE_SYS_ROOT")))
}

/// The directory holding `Halide.h` and `HalideRuntime.h`.
pub fn include_dir() -> PathBuf {
    match runtime_root() {
        Some(root) => root.join("include"),
        None => PathBuf::from(env!("HALIDE_SYS_INCLUDE")),
    }
}

/// The directory holding `libHalide` and the autoscheduler plugins.
pub fn lib_dir() -> PathBuf {
    match runtime_root() {
        Some(root) => ["lib64", "lib"]
            .iter()
            .map(|d| root.join(d))
            .find(|d| d.is_dir())
            .unwrap_or(root.join("lib")),
        None => PathBuf::from(env!("HALIDE_SYS_LIB")),
    }
}

/// The directory holding Halide's tools (`gengen`, `get_host_target`, ...),
/// when the installation has one.
pub fn bin_dir() -> Option<PathBuf> {
    match runtime_root() {
        Some(root) => Some(root.join("bin")).filter(|d| d.is_dir()),
        None => build_time(env!("HALIDE_SYS_BIN")),
    }
}

/// The Halide version found at build time, e.g. `"21.0.0"`.
pub const VERSION: &str = env!("HALIDE_SYS_VERSION");

/// Which probe found Halide at build time, e.g. `"HALIDE_ROOT=/opt/halide"`.
pub const SOURCE: &str = env!("HALIDE_SYS_SOURCE");

/// The directory of the libHalide this process loaded, as the loader found
/// it; `None` where the platform cannot say.
///
/// ```
/// let dir = halide_sys::paths::loaded_lib_dir().unwrap();
/// assert!(dir.is_dir());
/// ```
pub fn loaded_lib_dir() -> Option<PathBuf> {
    // SAFETY: the call takes no arguments; a non-null result is a
    // NUL-terminated string the caller owns, copied and then freed once.
    unsafe {
        let path = crate::hl_halide_library_path();
        if path.is_null() {
            return None;
        }
        let file = PathBuf::from(
            std::ffi::CStr::from_ptr(path)
                .to_string_lossy()
                .into_owned(),
        );
        crate::hl_string_free(path);
        file.parent().map(PathBuf::from)
    }
}

/// The full path of an autoscheduler plugin by its short name
/// (`"adams2019"`, `"mullapudi2016"`, `"li2018"`, `"anderson2021"`), if the
/// installation has it. Plugins must be loaded by full path: Halide's
/// bare-name lookup only searches the loader's path.
///
/// Looked for in [`lib_dir`] when `HALIDE_ROOT` is set, else beside the
/// loaded libHalide (where a shipped program's copies are), then where the
/// build found them (the library directory, or wherever Halide's CMake
/// package put them).
pub fn plugin(name: &str) -> Option<PathBuf> {
    let file = if cfg!(target_os = "macos") {
        format!("libautoschedule_{name}.dylib")
    } else if cfg!(windows) {
        format!("autoschedule_{name}.dll")
    } else {
        format!("libautoschedule_{name}.so")
    };
    let dirs = match runtime_root() {
        Some(_) => vec![lib_dir()],
        None => loaded_lib_dir()
            .into_iter()
            .chain(build_time(env!("HALIDE_SYS_PLUGINS")))
            .chain([lib_dir()])
            .collect(),
    };
    dirs.into_iter()
        .map(|d| d.join(&file))
        .find(|p| p.is_file())
}

/// The full path of one of Halide's tools, if the installation has it.
pub fn tool(name: &str) -> Option<PathBuf> {
    let exe = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    bin_dir().map(|d| d.join(exe)).filter(|p| p.is_file())
}

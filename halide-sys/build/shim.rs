//! The shared shim in the cache: its content key, and the link itself.

use crate::probe::{Install, library_file};
use sha2::{Digest, Sha256};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// A name for the shim built from `files` against `install` for `target`:
/// the hash of every input that changes the library's bytes or what it
/// loads. The compiler is named by its command and its `--version`, the
/// library by its path, size and modification time (a rebuilt Halide in
/// place must not reuse a shim compiled against the old one).
pub fn key(build: &cc::Build, files: &[PathBuf], install: &Install, target: &str) -> String {
    let mut h = Sha256::new();
    let mut field = |name: &str, bytes: &[u8]| {
        h.update((name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field("crate", env!("CARGO_PKG_VERSION").as_bytes());
    field("target", target.as_bytes());
    let compiler = build.get_compiler();
    let mut command = format!("{:?}", compiler.path());
    for arg in compiler.args() {
        command.push(' ');
        command.push_str(&arg.to_string_lossy());
    }
    field("command", command.as_bytes());
    let version = std::process::Command::new(compiler.path())
        .arg("--version")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    field("version", &version);
    for file in files {
        field(&file.display().to_string(), &read(file));
    }
    for header in ["Halide.h", "HalideRuntime.h"] {
        field(header, &read(&install.include.join(header)));
    }
    let lib = install
        .lib
        .join(library_file(&crate::cargo_var("CARGO_CFG_TARGET_OS")));
    let stamp = std::fs::metadata(&lib)
        .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
        .unwrap_or_default();
    field(&lib.display().to_string(), stamp.as_bytes());
    let digest = h.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Compiles the shim's sources and links them into `output`, a shared
/// library that names itself `install_name` and looks for libHalide first
/// beside itself (`origin`: where a shipped binary's copy finds its own),
/// then in `lib`.
pub fn link(
    build: &cc::Build,
    output: &Path,
    install_name: &Path,
    origin: &str,
    lib: &Path,
    macos: bool,
) {
    let objects = build.compile_intermediates();
    let mut link = build.get_compiler().to_command();
    link.arg(if macos { "-dynamiclib" } else { "-shared" })
        .arg("-o")
        .arg(output)
        .args(&objects)
        .arg("-L")
        .arg(lib)
        .arg("-lHalide");
    // -Xlinker passes each path whole, commas and all; `$ORIGIN` reaches the
    // linker literally since no shell is involved.
    for dir in [OsStr::new(origin), lib.as_os_str()] {
        link.args(["-Xlinker", "-rpath", "-Xlinker"]).arg(dir);
    }
    link.args([
        "-Xlinker",
        if macos { "-install_name" } else { "-soname" },
        "-Xlinker",
    ])
    .arg(install_name);
    let output_of = link
        .output()
        .unwrap_or_else(|e| panic!("cannot run the linker {link:?}: {e}"));
    if !output_of.status.success() {
        panic!(
            "linking {} failed: {link:?}\n{}{}",
            output.display(),
            String::from_utf8_lossy(&output_of.stdout),
            String::from_utf8_lossy(&output_of.stderr)
        );
    }
}

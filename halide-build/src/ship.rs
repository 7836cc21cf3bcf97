//! Shipping a JIT-compiling program to another machine.
//!
//! A program that uses the `halide` crate loads libHalide through the
//! halide-sys shim, which it names by an absolute path in the cache where
//! the build put it (`~/.cache/halide-rs/shim/…`). That keeps it working
//! after `cargo clean` and `cargo install`, but only on the machine that
//! built it. [`ship`] makes a directory that works anywhere with a
//! compatible C library: the program, the shim, libHalide and the
//! autoscheduler plugins side by side, the program's reference to the shim
//! rewritten to `$ORIGIN/libhalide_shim.so` (the shim already looks for
//! libHalide beside itself first). Linux (ELF) only.

mod elf;

use crate::Error;
use elf::Elf;
use std::path::{Path, PathBuf};

/// The file name the shipped program looks for beside itself.
const SHIM: &str = "libhalide_shim.so";

/// What [`ship`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shipped {
    /// The rewritten program.
    pub executable: PathBuf,
    /// The libraries copied beside it: the shim, libHalide, the plugins.
    pub libraries: Vec<PathBuf>,
}

/// Copies `executable` into `dest` (created if missing) with the libraries
/// it loads Halide through, so that the directory runs on another machine.
///
/// ```no_run
/// // After `cargo build --release`:
/// let shipped = halide_build::ship(
///     std::path::Path::new("target/release/my-app"),
///     std::path::Path::new("dist"),
/// )?;
/// println!("{} and {} libraries", shipped.executable.display(), shipped.libraries.len());
/// # Ok::<(), halide_build::Error>(())
/// ```
pub fn ship(executable: &Path, dest: &Path) -> Result<Shipped, Error> {
    let bad = |what: &Path, why: String| Error::Unsupported(format!("{}: {why}", what.display()));
    let read = |path: &Path| {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Elf::parse(bytes).map_err(|why| bad(path, why))
    };
    let mut program = read(executable)?;
    let shim = program
        .needed()
        .map_err(|why| bad(executable, why))?
        .into_iter()
        .find(|n| n.starts_with('/') && n.ends_with(SHIM))
        .ok_or_else(|| {
            bad(
                executable,
                "does not load the halide-sys shim by an absolute path (not a program \
                 using the `halide` crate, built on Linux?)"
                    .into(),
            )
        })?;
    let shim_path = PathBuf::from(&shim);
    let shim_elf = read(&shim_path)?;
    let shim_dir = shim_path.parent().expect("an absolute file path");
    let lib_dir = halide_dir(&shim_elf, shim_dir).map_err(|why| bad(&shim_path, why))?;

    std::fs::create_dir_all(dest).map_err(|e| Error::io(dest, e))?;
    let copy = |from: &Path, name: &str| -> Result<PathBuf, Error> {
        let to = dest.join(name);
        std::fs::copy(from, &to).map_err(|e| Error::io(from, e))?;
        Ok(to)
    };
    let mut libraries = vec![copy(&shim_path, SHIM)?];
    let halide = lib_dir.0.join(&lib_dir.1);
    libraries.push(copy(&halide, &lib_dir.1)?);
    let mut plugins: Vec<PathBuf> = std::fs::read_dir(&lib_dir.0)
        .map_err(|e| Error::io(&lib_dir.0, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("libautoschedule_") && n.ends_with(".so"))
        })
        .collect();
    plugins.sort();
    for plugin in plugins {
        let name = plugin
            .file_name()
            .and_then(|n| n.to_str())
            .expect("checked above");
        libraries.push(copy(&plugin, name)?);
    }

    program
        .rename_needed(&shim, &format!("$ORIGIN/{SHIM}"))
        .map_err(|why| bad(executable, why))?;
    let name = executable
        .file_name()
        .ok_or_else(|| bad(executable, "no file name".into()))?;
    let out = dest.join(name);
    // Copy first so the permissions come along, then overwrite the bytes.
    std::fs::copy(executable, &out).map_err(|e| Error::io(executable, e))?;
    std::fs::write(&out, program.bytes()).map_err(|e| Error::io(&out, e))?;
    Ok(Shipped {
        executable: out,
        libraries,
    })
}

/// The directory the shim loads libHalide from, and libHalide's file name
/// as the shim needs it: the first entry of the shim's run path that holds
/// it, `$ORIGIN` being the shim's own directory.
fn halide_dir(shim: &Elf, shim_dir: &Path) -> Result<(PathBuf, String), String> {
    let needed = shim.needed()?;
    let halide = needed
        .iter()
        .find(|n| n.starts_with("libHalide."))
        .ok_or("the shim does not need libHalide")?;
    let origin = shim_dir.to_string_lossy();
    let run_path = shim.run_path()?;
    run_path
        .iter()
        .map(|dir| PathBuf::from(dir.replace("$ORIGIN", &origin)))
        .find(|dir| dir.join(halide).is_file())
        .map(|dir| (dir, halide.clone()))
        .ok_or_else(|| format!("{halide} is in no directory of the run path {run_path:?}"))
}

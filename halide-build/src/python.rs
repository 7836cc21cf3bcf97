//! Halide's Python package, for Python generators.
//!
//! Every command here is immune to the working directory. `python3 -c` puts
//! the working directory first on `sys.path`, and from a checkout of this
//! workspace that directory holds the Rust crate `halide/`, which Python
//! imports as an empty namespace package: `import halide` "works" and the
//! first real use fails. So the scripts drop that entry before importing,
//! and the probe rejects a package without a file of its own.

use crate::Error;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The release of Halide's Python package that matches the pinned Halide.
pub const PACKAGE: &str = "halide==21.0.0";

/// What to run to get the package, for messages.
pub fn install_hint() -> String {
    format!("{} -m pip install {PACKAGE}", interpreter())
}

/// The interpreter: `$HALIDE_PYTHON`, else `python3`.
pub fn interpreter() -> String {
    std::env::var("HALIDE_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// The first lines of every `-c` script: `sys.path` as `python3 file.py`
/// would have it for `file` (its directory first), or without the working
/// directory when there is no file.
const PRELUDE: &str = "import os, sys\n\
                       sys.path[:] = [p for p in sys.path if p not in ('', '.')]\n\
                       if len(sys.argv) > 1: sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[1])))\n";

/// `interpreter -c PRELUDE + script args...`.
pub(crate) fn script(body: &str, args: &[&Path]) -> Command {
    let mut command = Command::new(interpreter());
    command.arg("-c").arg(format!("{PRELUDE}{body}")).args(args);
    command
}

/// Where the package is installed, or why it cannot be used: not
/// importable, or importable only as a directory that is not the package.
///
/// ```no_run
/// match halide_build::python::probe() {
///     Ok(dir) => println!("Halide's Python package is in {}", dir.display()),
///     Err(why) => println!("no Python generators: {why}"),
/// }
/// ```
pub fn probe() -> Result<PathBuf, Error> {
    probe_from(Path::new("."))
}

/// [`probe`] run from `dir`, which must not change its answer.
pub fn probe_from(dir: &Path) -> Result<PathBuf, Error> {
    let body = "try:\n    import halide\nexcept Exception as e:\n    \
                sys.exit('cannot import halide: %s' % e)\n\
                if getattr(halide, '__file__', None) is None:\n    \
                sys.exit('`halide` is a directory without __init__.py, not the package')\n\
                print(os.path.dirname(halide.__file__))";
    let missing = |why: String| {
        Error::Missing(format!(
            "Halide's Python package ({why}); install it with `{}`",
            install_hint()
        ))
    };
    let output = script(body, &[])
        .current_dir(dir)
        .output()
        .map_err(|e| missing(format!("{} did not run: {e}", interpreter())))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let why = stderr.trim().lines().last().unwrap_or("it failed");
        return Err(missing(format!("{}: {why}", interpreter())));
    }
    Ok(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("halide-build-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn python_runs() -> bool {
        Command::new(interpreter())
            .arg("-c")
            .arg("pass")
            .status()
            .is_ok_and(|s| s.success())
    }

    /// The workspace root holds the Rust crate `halide/`: from there the
    /// probe must answer as it does from anywhere else.
    #[test]
    fn the_probe_ignores_the_workspace_roots_halide_directory() {
        if !python_runs() {
            return;
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        assert!(root.join("halide").is_dir());
        let neutral = temp_dir("neutral");
        let (here, there) = (probe_from(root), probe_from(&neutral));
        assert_eq!(
            here.as_ref().ok(),
            there.as_ref().ok(),
            "{here:?} vs {there:?}"
        );
        if let Err(e) = here {
            assert!(e.to_string().contains(PACKAGE), "{e}");
        }
    }

    /// A package named `halide` in the working directory is not imported:
    /// only one on the interpreter's own path counts.
    #[test]
    fn the_probe_never_imports_from_the_working_directory() {
        if !python_runs() {
            return;
        }
        let dir = temp_dir("decoy");
        std::fs::create_dir_all(dir.join("halide")).unwrap();
        std::fs::write(dir.join("halide/__init__.py"), "").unwrap();
        if let Ok(found) = probe_from(&dir) {
            assert!(
                !found.starts_with(&dir),
                "imported the decoy in {}",
                found.display()
            );
        }
    }

    /// Scripts about a file see its directory first, as `python3 file`
    /// does, so a generator file can import the modules beside it.
    #[test]
    fn a_script_about_a_file_imports_its_neighbours() {
        if !python_runs() {
            return;
        }
        let dir = temp_dir("neighbours");
        std::fs::write(dir.join("helper_mod.py"), "VALUE = 42\n").unwrap();
        let file = dir.join("main.py");
        std::fs::write(&file, "").unwrap();
        let out = script("import helper_mod; print(helper_mod.VALUE)", &[&file])
            .current_dir("/")
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "42", "{out:?}");
    }
}

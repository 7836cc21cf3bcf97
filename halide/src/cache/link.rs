//! Linking cache entries with the system C compiler: the runtime as a
//! shared library named by its file name (its soname), and each pipeline
//! as a shared library that needs that runtime and finds it beside itself
//! (`$ORIGIN`), so a cache directory can move.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a link failed.
#[derive(Debug)]
pub(crate) enum LinkError {
    /// There is no C compiler to link with.
    NoCompiler(OsString),
    /// The compiler ran and failed, or could not be run.
    Failed(String),
}

/// The compiler that links: `$CC`, else `cc`.
fn compiler() -> OsString {
    std::env::var_os("CC")
        .filter(|cc| !cc.is_empty())
        .unwrap_or_else(|| "cc".into())
}

/// Links `objects` into the shared library `output`: a runtime (with its
/// file name as soname) when `runtime` is `None`, else a pipeline that
/// needs the runtime library at `runtime`.
pub(crate) fn link(
    objects: &[PathBuf],
    runtime: Option<&Path>,
    output: &Path,
) -> Result<(), LinkError> {
    let cc = compiler();
    let mut command = Command::new(&cc);
    command.arg("-shared").arg("-o").arg(output).args(objects);
    match runtime {
        None => {
            let soname = output.file_name().unwrap_or_default().to_string_lossy();
            command
                .arg(format!("-Wl,-soname,{soname}"))
                .args(["-lpthread", "-ldl", "-lm"]);
        }
        Some(runtime) => {
            command.arg(runtime).arg("-Wl,-rpath,$ORIGIN");
        }
    }
    let out = command.output().map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => LinkError::NoCompiler(cc.clone()),
        _ => LinkError::Failed(format!("cannot run {}: {e}", cc.to_string_lossy())),
    })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(LinkError::Failed(format!(
            "{} failed ({}): {}",
            cc.to_string_lossy(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

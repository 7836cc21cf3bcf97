//! Runs the AOT pipelines and writes each output's bytes to
//! `<dir>/<name>.bin`, for comparison with JIT runs.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: halide-downstream OUTPUT_DIR");
        return ExitCode::FAILURE;
    };
    let outputs = match halide_downstream::run_all() {
        Ok(outputs) => outputs,
        Err(e) => {
            eprintln!("a pipeline failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    for (name, bytes) in outputs {
        let path = dir.join(format!("{name}.bin"));
        if let Err(e) = std::fs::write(&path, bytes) {
            eprintln!("{}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("{name}: {}", path.display());
    }
    ExitCode::SUCCESS
}

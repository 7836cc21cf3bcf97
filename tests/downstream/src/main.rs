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
    // The GPU pipelines, on whichever device APIs work here; one that does
    // not is reported, not written.
    let mut outputs = outputs;
    for api in halide_downstream::GPU_APIS {
        match halide_downstream::run_gpu(api) {
            Ok((once, twice)) => {
                let bytes = |b: &halide_runtime::Buffer<f32>| -> Vec<u8> {
                    b.as_slice().iter().flat_map(|v| v.to_le_bytes()).collect()
                };
                outputs.push((format!("gpu_{api}_once"), bytes(&once)));
                outputs.push((format!("gpu_{api}_twice"), bytes(&twice)));
            }
            Err(e) => println!("gpu_{api}: unavailable: {e}"),
        }
    }
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

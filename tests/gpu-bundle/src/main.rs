//! The GPU tests and the bandwidth benchmark, compiled ahead of time into
//! one program that links no libHalide and needs no Rust toolchain, for GPU
//! machines that have neither: `cargo xtask gpu-test --bundle DIR` puts it
//! in `DIR`.
//!
//! - `halide-gpu-bundle test [--require API,...]` runs the checks on every
//!   device API the program was compiled for (CUDA, OpenCL, Vulkan, and
//!   WebGPU on wgpu through halide-wgpu) and
//!   prints, per API, the devices its driver reports and what passed,
//!   failed or was skipped, and why. An API named in `--require` (or in
//!   `HALIDE_REQUIRE_GPU`) that cannot run is a failure.
//! - `halide-gpu-bundle bench [SECONDS]` measures, per working API, a copy
//!   pipeline and a 3×3 blur of a 4096² f32 image against the device's own
//!   copy (Halide's `halide_buffer_copy`: `cuMemcpyDtoD` on CUDA,
//!   `clEnqueueCopyBuffer` on OpenCL, wgpu's `copy_buffer_to_buffer` on
//!   WebGPU), paired and interleaved.

mod apis;
mod bandwidth;
mod checks;
mod devices;

#[allow(missing_docs, dead_code)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/halide_generated.rs"));
}

#[path = "../../../benchmarks/src/paired.rs"]
#[allow(dead_code)]
mod paired;

use std::process::ExitCode;

fn main() -> ExitCode {
    apis::report_device_errors();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ok = match args.first().map(String::as_str) {
        None | Some("test") => {
            let mut required = std::env::var("HALIDE_REQUIRE_GPU").unwrap_or_default();
            if let Some(i) = args.iter().position(|a| a == "--require") {
                required = args.get(i + 1).cloned().unwrap_or_default();
            }
            checks::run_all(&required)
        }
        Some("bench") => {
            let seconds = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10.0);
            bandwidth::run_all(std::time::Duration::from_secs_f64(seconds))
        }
        Some(other) => {
            eprintln!(
                "unknown command {other:?}; usage: halide-gpu-bundle [test [--require API,...] | bench [SECONDS]]"
            );
            false
        }
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

//! `cargo xtask gpu-test`: the GPU tests on every device API, with a report
//! of what ran and what was skipped and why: the JIT suite
//! (`halide/tests/gpu/`) once per API, restricted to it, then the
//! ahead-of-time checks of `tests/gpu-bundle`, which also names the devices
//! each API's driver reports.
//!
//! `--bundle DIR` instead builds those ahead-of-time checks and the
//! bandwidth benchmark, optimised, into `DIR` (one program and a script;
//! no Rust or libHalide needed to run them), for GPU machines without a
//! toolchain.

use halide_runtime::DeviceApi;
use std::path::{Path, PathBuf};

/// What one API's runs reported.
#[derive(Debug, Default, PartialEq)]
struct Report {
    /// `runs`, or `skipped: <why>` (the JIT suite's probe).
    status: String,
    /// The JIT suite's counts.
    jit: (usize, usize),
    /// The bundle's counts, when it ran on this API.
    aot: Option<(usize, usize)>,
    /// The devices the driver reports, or why none.
    devices: String,
}

/// The largest bundle the issue allows: what a GPU machine's session can
/// receive.
const BUNDLE_LIMIT: u64 = 60 << 20;

fn check_apis(required: &[String]) -> Result<(), String> {
    let features = DeviceApi::ALL.map(DeviceApi::feature);
    match required.iter().find(|r| !features.contains(&r.as_str())) {
        Some(r) => Err(format!(
            "unknown device API {r}; known: {}",
            features.join(", ")
        )),
        None => Ok(()),
    }
}

/// Runs both suites for every API; `required` APIs must run, not be skipped.
pub fn run(required: &[String]) -> Result<(), String> {
    check_apis(required)?;
    let build = crate::cargo(&["test", "-p", "halide", "--test", "gpu", "--no-run"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !build.success() {
        return Err("building the GPU tests failed".into());
    }
    let mut reports = Vec::new();
    for api in DeviceApi::ALL {
        let output = crate::cargo(&["test", "-q", "-p", "halide", "--test", "gpu", "--"])
            .args(["--nocapture", "--test-threads", "1"])
            .env("HALIDE_GPU_ONLY", api.feature())
            .env("HALIDE_REQUIRE_GPU", required.join(","))
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let mut report = parse_jit(api, &stdout);
        if !output.status.success() && report.jit.1 == 0 {
            report.jit.1 = 1;
            eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        }
        reports.push(report);
    }
    // The bundle requires only what it was compiled for.
    let bundled: Vec<&str> = required
        .iter()
        .map(String::as_str)
        .filter(|r| ["cuda", "opencl", "vulkan", "webgpu"].contains(r))
        .collect();
    let output = crate::cargo(&["run", "-q", "-p", "halide-gpu-bundle", "--", "test"])
        .args(["--require", &bundled.join(",")])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    for (api, report) in DeviceApi::ALL.iter().zip(&mut reports) {
        parse_bundle(*api, &stdout, report);
    }
    if !output.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    }
    println!("GPU tests, per device API (JIT suite; ahead of time, no libHalide):");
    for (api, r) in DeviceApi::ALL.iter().zip(&reports) {
        let aot = match r.aot {
            Some((passed, failed)) => format!("{passed} passed, {failed} failed"),
            None => "-".into(),
        };
        println!(
            "  {:<13} {:<44} JIT {} passed, {} failed; AOT {aot}",
            api.feature(),
            r.status.chars().take(44).collect::<String>(),
            r.jit.0,
            r.jit.1,
        );
        if !r.devices.is_empty() {
            println!("  {:<13} devices: {}", "", r.devices);
        }
    }
    let failed: usize = reports
        .iter()
        .map(|r| r.jit.1 + r.aot.map_or(0, |a| a.1))
        .sum();
    // A failure of the bundle no check accounts for: a required API skipped.
    let failed = failed + usize::from(failed == 0 && !output.status.success());
    let ran = reports.iter().filter(|r| r.status == "runs").count();
    match (failed, ran) {
        (0, 0) => {
            println!("no device API works here: nothing ran");
            Ok(())
        }
        (0, _) => Ok(()),
        _ => Err(format!("{failed} GPU test(s) failed")),
    }
}

/// Reads one JIT run's output: the suite prints `<API>: runs` or `<API>:
/// skipped: <why>` per test, and libtest its `test result:` line.
fn parse_jit(api: DeviceApi, stdout: &str) -> Report {
    let mut report = Report {
        status: "not probed".into(),
        ..Report::default()
    };
    for line in stdout.lines() {
        // The suite names APIs by their Display form.
        if let Some((_, status)) = line
            .split_once(": ")
            .filter(|(name, _)| *name == api.to_string())
        {
            report.status = status.to_owned();
        }
        if let Some(rest) = line.strip_prefix("test result: ") {
            let count = |word: &str| {
                rest.split(';')
                    .find_map(|part| {
                        part.trim()
                            .strip_suffix(word)?
                            .trim()
                            .rsplit(' ')
                            .next()?
                            .parse()
                            .ok()
                    })
                    .unwrap_or(0)
            };
            report.jit = (count("passed"), count("failed"));
        }
    }
    if report.status != "runs" {
        // Each test returned at once: nothing ran on this API.
        report.jit.0 = 0;
    }
    report
}

/// Reads the bundle's block for `api`: `<API>: devices: <names>`, then
/// either `  skipped: <why>` or the checks and `  <n> passed, <m> failed`.
fn parse_bundle(api: DeviceApi, stdout: &str, report: &mut Report) {
    let header = format!("{api}: devices: ");
    let mut lines = stdout.lines().skip_while(|l| !l.starts_with(&header));
    let Some(first) = lines.next() else {
        return;
    };
    report.devices = first[header.len()..].to_owned();
    for line in lines.take_while(|l| l.starts_with("  ")) {
        let counts = line.trim().split_once(" passed, ").and_then(|(p, rest)| {
            let failed = rest.strip_suffix(" failed")?;
            Some((p.parse().ok()?, failed.parse().ok()?))
        });
        if counts.is_some() {
            report.aot = counts;
        }
    }
}

/// Builds the bundle into `dir`: the optimised program, and `run.sh`, which
/// runs its checks and then its benchmark.
pub fn bundle(dir: &Path) -> Result<(), String> {
    let build = crate::cargo(&["build", "--release", "-p", "halide-gpu-bundle"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !build.success() {
        return Err("building the bundle failed".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace_root().join("target"));
    let program = target.join("release/halide-gpu-bundle");
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let copied = dir.join("halide-gpu-bundle");
    std::fs::copy(&program, &copied).map_err(|e| format!("{}: {e}", program.display()))?;
    let script = dir.join("run.sh");
    std::fs::write(&script, RUN_SH).map_err(|e| format!("{}: {e}", script.display()))?;
    let mut size = 0;
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())? {
        size += entry
            .and_then(|e| e.metadata())
            .map_err(|e| e.to_string())?
            .len();
    }
    println!(
        "bundle in {}: {:.1} MiB (limit {} MiB); run it with `sh run.sh` there",
        dir.display(),
        size as f64 / f64::from(1 << 20),
        BUNDLE_LIMIT >> 20
    );
    if size > BUNDLE_LIMIT {
        return Err("the bundle is larger than the limit".into());
    }
    Ok(())
}

/// The bundle's script: the checks (an API in `HALIDE_REQUIRE_GPU` must
/// run), then the benchmark for `BENCH_SECONDS` per pipeline (10).
const RUN_SH: &str = r#"#!/bin/sh
# GPU checks and bandwidth benchmark of halide-rs, compiled ahead of time:
# needs a GPU driver (libcuda, libOpenCL or libvulkan), no Rust, no libHalide.
cd "$(dirname "$0")"
status=0
./halide-gpu-bundle test || status=1
./halide-gpu-bundle bench "${BENCH_SECONDS:-10}" || status=1
exit $status
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_jit_status_and_counts() {
        let out = "OpenCL: runs\ntest a ... ok\nOpenCL: runs\n\ntest result: ok. 4 passed; 0 failed; 0 ignored\n";
        let r = parse_jit(DeviceApi::OpenCl, out);
        assert_eq!((r.status.as_str(), r.jit), ("runs", (4, 0)));
        let out =
            "CUDA: skipped: CUDA API not found: cuInit\ntest result: ok. 4 passed; 0 failed;\n";
        let r = parse_jit(DeviceApi::Cuda, out);
        assert_eq!(r.status, "skipped: CUDA API not found: cuInit");
        assert_eq!(r.jit, (0, 0));
        let r = parse_jit(
            DeviceApi::Vulkan,
            "test result: FAILED. 3 passed; 1 failed;",
        );
        assert_eq!(r.jit, (0, 1));
    }

    #[test]
    fn reads_the_bundle_blocks() {
        let out = "GPU checks\nCUDA: devices: none (no libcuda)\n  skipped: no CUDA\n\
                   OpenCL: devices: pocl\n  call ... ok\n  7 passed, 1 failed\n";
        let mut cuda = Report::default();
        parse_bundle(DeviceApi::Cuda, out, &mut cuda);
        assert_eq!(
            (cuda.devices.as_str(), cuda.aot),
            ("none (no libcuda)", None)
        );
        let mut opencl = Report::default();
        parse_bundle(DeviceApi::OpenCl, out, &mut opencl);
        assert_eq!(
            (opencl.devices.as_str(), opencl.aot),
            ("pocl", Some((7, 1)))
        );
        let mut vulkan = Report::default();
        parse_bundle(DeviceApi::Vulkan, out, &mut vulkan);
        assert_eq!(vulkan, Report::default());
    }

    #[test]
    fn unknown_apis_are_refused() {
        assert!(check_apis(&["opencl".into()]).is_ok());
        assert!(check_apis(&["glsl".into()]).is_err());
    }
}

//! `cargo xtask gpu-test`: the GPU test suite (`halide/tests/gpu.rs`) once
//! per device API, each run restricted to that API, with a report of what
//! ran and what was skipped and why.

use halide_runtime::DeviceApi;
use std::process::Command;

/// What one API's run reported.
struct Report {
    api: DeviceApi,
    /// `runs`, or `skipped: <why>`.
    status: String,
    passed: usize,
    failed: usize,
}

/// Runs the suite for every API; `required` APIs must run, not be skipped.
pub fn run(required: &[String]) -> Result<(), String> {
    let features = DeviceApi::ALL.map(DeviceApi::feature);
    for r in required {
        if !features.contains(&r.as_str()) {
            return Err(format!(
                "unknown device API {r}; known: {}",
                features.join(", ")
            ));
        }
    }
    let build = Command::new(env!("CARGO"))
        .args(["test", "-p", "halide", "--test", "gpu", "--no-run"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !build.success() {
        return Err("building the GPU tests failed".into());
    }
    let mut reports = Vec::new();
    for api in DeviceApi::ALL {
        let output = Command::new(env!("CARGO"))
            .args(["test", "-q", "-p", "halide", "--test", "gpu", "--"])
            .args(["--nocapture", "--test-threads", "1"])
            .env("HALIDE_GPU_ONLY", api.feature())
            .env("HALIDE_REQUIRE_GPU", required.join(","))
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let mut report = parse(api, &stdout);
        if !output.status.success() && report.failed == 0 {
            report.failed = 1;
            eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        }
        reports.push(report);
    }
    println!("\nGPU tests, per device API:");
    for r in &reports {
        println!(
            "  {:<13} {:<60} {} passed, {} failed",
            r.api.feature(),
            r.status.chars().take(60).collect::<String>(),
            r.passed,
            r.failed
        );
    }
    let failed: usize = reports.iter().map(|r| r.failed).sum();
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

/// Reads one run's output: the suite prints `<API>: runs` or `<API>:
/// skipped: <why>` per test, and libtest its `test result:` line.
fn parse(api: DeviceApi, stdout: &str) -> Report {
    let mut report = Report {
        api,
        status: "not probed".into(),
        passed: 0,
        failed: 0,
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
            report.passed = count("passed");
            report.failed = count("failed");
        }
    }
    if report.status != "runs" {
        // Each test returned at once: nothing ran on this API.
        report.passed = 0;
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_status_and_counts() {
        let out = "OpenCL: runs\ntest a ... ok\nOpenCL: runs\n\ntest result: ok. 4 passed; 0 failed; 0 ignored\n";
        let r = parse(DeviceApi::OpenCl, out);
        assert_eq!((r.status.as_str(), r.passed, r.failed), ("runs", 4, 0));
        let out =
            "CUDA: skipped: CUDA API not found: cuInit\ntest result: ok. 4 passed; 0 failed;\n";
        let r = parse(DeviceApi::Cuda, out);
        assert_eq!(r.status, "skipped: CUDA API not found: cuInit");
        assert_eq!((r.passed, r.failed), (0, 0));
        let r = parse(
            DeviceApi::Vulkan,
            "test result: FAILED. 3 passed; 1 failed;",
        );
        assert_eq!((r.passed, r.failed), (0, 1));
    }
}

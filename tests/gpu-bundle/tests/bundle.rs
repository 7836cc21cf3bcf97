//! Runs the bundle as `cargo xtask gpu-test --bundle` ships it: its checks
//! on every device API here (those in `HALIDE_REQUIRE_GPU` must run), and
//! its benchmark for the shortest budget, which shows the report works.

use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_halide-gpu-bundle"))
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    println!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "halide-gpu-bundle {args:?} failed");
    stdout
}

#[test]
fn checks_pass_on_every_working_api() {
    let report = run(&["test"]);
    assert!(report.contains("GPU checks"));
}

#[test]
fn the_benchmark_reports() {
    run(&["bench", "0"]);
}

#[test]
fn unknown_commands_are_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_halide-gpu-bundle"))
        .arg("frobnicate")
        .output()
        .unwrap();
    assert!(!out.status.success());
}

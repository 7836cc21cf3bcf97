//! `cargo xtask <command>`: the workspace's automation, kept thin.
//!
//! Commands:
//! - `bindgen [--check]`: regenerate the checked-in FFI bindings of
//!   halide-sys (the shim) and halide-runtime (HalideRuntime.h); with
//!   `--check`, compare instead of writing and fail when they differ.
//! - `build-generators [--target T]... [--list] [--clean] [--require-python]`:
//!   build every generator the workspace declares into
//!   `target/halide/<target>/`. Python generators are skipped, with a line
//!   saying what to install, when Halide's Python package is missing,
//!   unless `--require-python` makes that an error.
//! - `gpu-test [--require API]...`: run the GPU tests (by JIT once per
//!   device API, then ahead of time) and report, per API, the devices, what
//!   ran and what was skipped and why; a required API that does not work
//!   here fails the run.
//! - `gpu-test --bundle DIR`: build the ahead-of-time GPU checks and the
//!   bandwidth benchmark into `DIR`, to run where there is no toolchain.
//! - `package-check`: package the publishable crates into a local
//!   registry and build, run, install and ship a new project that uses
//!   them as a crates.io user would (see `package_check.rs`).
//! - `reliability [--seconds N] [--cycles N] [--cases N]`: the long
//!   reliability checks (stress, memory over compile cycles, the error
//!   suite, differential fuzzing, valgrind, AddressSanitizer) and their
//!   figures; needs valgrind and the nightly toolchain.

mod bindgen;
mod generators;
mod gpu_test;
mod package_check;
mod registry;
mod reliability;

use std::path::PathBuf;
use std::process::{Command, ExitCode};

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent directory")
        .to_path_buf()
}

/// `cargo` (the one running xtask) with `args`, in the workspace root.
fn cargo(args: &[&str]) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.args(args).current_dir(workspace_root());
    command
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: cargo xtask <command>\n\ncommands:\n  bindgen [--check]   regenerate (or check) the checked-in FFI bindings\n  build-generators [--target T]... [--list] [--clean] [--require-python]\n                      build the workspace's generators into target/halide/<target>/\n  gpu-test [--require API]...\n                      run the GPU tests on every device API, report per API\n  gpu-test --bundle DIR\n                      build the ahead-of-time GPU checks and benchmark into DIR\n  package-check       build, run, install and ship a project using the packaged crates\n  reliability [--seconds N] [--cycles N] [--cases N]\n                      stress, memory, error suite, fuzzing, valgrind, ASan, with figures"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("bindgen") => match &args[1..] {
            [] => bindgen::run(&workspace_root(), false),
            [flag] if flag == "--check" => bindgen::run(&workspace_root(), true),
            _ => return usage(),
        },
        Some("build-generators") => match generators::Options::parse(&args[1..]) {
            Ok(options) => generators::run(&workspace_root(), &options).map_err(|e| e.to_string()),
            Err(e) => {
                eprintln!("error: {e}");
                return usage();
            }
        },
        Some("gpu-test") => {
            let mut required = Vec::new();
            let mut bundle = None;
            let mut rest = args[1..].iter();
            while let Some(flag) = rest.next() {
                match (flag.as_str(), rest.next()) {
                    ("--require", Some(api)) => required.push(api.clone()),
                    ("--bundle", Some(dir)) => bundle = Some(PathBuf::from(dir)),
                    _ => return usage(),
                }
            }
            match bundle {
                Some(dir) if required.is_empty() => gpu_test::bundle(&dir),
                Some(_) => return usage(),
                None => gpu_test::run(&required),
            }
        }
        Some("package-check") if args.len() == 1 => package_check::run(&workspace_root()),
        Some("reliability") => match reliability::Options::parse(&args[1..]) {
            Ok(options) => reliability::run_all(&options),
            Err(e) => {
                eprintln!("error: {e}");
                return usage();
            }
        },
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

//! `cargo xtask reliability`: the long versions of the reliability checks,
//! with their figures: the stress tests for a given time, memory over many
//! build-compile-drop cycles, the error suite, the differential fuzzer for
//! many cases, valgrind over the AOT program and over JIT tests (calls,
//! threads, every error path), AddressSanitizer over halide-runtime and
//! halide-ndarray, and cargo-fuzz (`fuzz/`, nightly) on its committed
//! corpus for as long as the stress tests run.

use std::process::{Command, Output};

/// How long and how much each check runs.
pub struct Options {
    /// Seconds of the stress tests.
    pub seconds: u32,
    /// Build-compile-drop cycles of the memory check.
    pub cycles: u32,
    /// Cases of the differential fuzzer.
    pub cases: u32,
}

impl Options {
    /// Reads `--seconds N`, `--cycles N`, `--cases N` (defaults: 60 s,
    /// 10,000 cycles, 100,000 cases).
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            seconds: 60,
            cycles: 10_000,
            cases: 100_000,
        };
        let mut rest = args.iter();
        while let Some(flag) = rest.next() {
            let value = rest
                .next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{flag} needs a number"))?;
            match flag.as_str() {
                "--seconds" => options.seconds = value,
                "--cycles" => options.cycles = value,
                "--cases" => options.cases = value,
                _ => return Err(format!("unknown option {flag}")),
            }
        }
        Ok(options)
    }
}

fn run(command: &mut Command) -> Result<Output, String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    Ok(output)
}

/// The lines of `text` that contain any of `keys`.
fn lines_with(text: &[u8], keys: &[&str]) -> Vec<String> {
    String::from_utf8_lossy(text)
        .lines()
        .filter(|l| keys.iter().any(|k| l.contains(k)))
        .map(str::to_owned)
        .collect()
}

/// The executable `cargo test --no-run` built for a test target.
fn test_executable(package: &str, test: &str) -> Result<String, String> {
    let output = run(&mut crate::cargo(&[
        "test", "-p", package, "--test", test, "--no-run",
    ]))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Executable ")?
                .rsplit_once(" (")?
                .1
                .strip_suffix(')')
        })
        .map(|p| crate::workspace_root().join(p).display().to_string())
        .ok_or_else(|| format!("no executable for {package} --test {test}:\n{stderr}"))
}

/// Runs `program` under valgrind with the workspace's suppressions; the
/// summary lines, and whether it found no error and no definite leak.
fn valgrind(program: &[&str]) -> Result<(bool, Vec<String>), String> {
    let supp = crate::workspace_root().join("xtask/valgrind.supp");
    let output = run(Command::new("valgrind")
        .arg(format!("--suppressions={}", supp.display()))
        .args(["--leak-check=full", "--show-leak-kinds=definite"])
        .args(["--errors-for-leak-kinds=definite", "--error-exitcode=9"])
        .args(program))?;
    let summary = lines_with(
        &output.stderr,
        &["definitely lost", "ERROR SUMMARY", "suppressed:"],
    );
    Ok((output.status.success(), summary))
}

/// Runs every check and prints its figures; `Err` if any failed.
pub fn run_all(options: &Options) -> Result<(), String> {
    let mut failed = Vec::new();
    let mut report = |name: &str, ok: bool, lines: Vec<String>| {
        println!("{name}: {}", if ok { "ok" } else { "FAILED" });
        for line in lines {
            println!("    {}", line.trim());
        }
        if !ok {
            failed.push(name.to_owned());
        }
    };

    let output = run(crate::cargo(&[
        "test", "-q", "-p", "halide", "--test", "all", "stress", "--",
    ])
    .arg("--nocapture")
    .env("HALIDE_STRESS_SECONDS", options.seconds.to_string())
    .env("HALIDE_CYCLES", options.cycles.to_string()))?;
    let figures = lines_with(
        &output.stdout,
        &["threads ×", "resident MiB", "test result"],
    );
    report("stress and memory", output.status.success(), figures);

    let output = run(&mut crate::cargo(&[
        "test",
        "-q",
        "-p",
        "halide",
        "--test",
        "error_suite",
    ]))?;
    report(
        "error suite",
        output.status.success(),
        lines_with(&output.stdout, &["test result"]),
    );

    let output = run(
        crate::cargo(&["test", "-q", "-p", "halide", "--test", "differential"])
            .args(["--", "--ignored", "--nocapture"])
            .env("HALIDE_FUZZ_CASES", options.cases.to_string()),
    )?;
    // The counts go to stderr (the fuzzer's own report), the result to stdout.
    let mut figures = lines_with(&output.stderr, &["batches,", "disagree"]);
    figures.extend(lines_with(&output.stdout, &["test result"]));
    report("differential fuzzing", output.status.success(), figures);

    // Valgrind cannot run AVX-512 code: the AOT pipelines are built for a
    // target without it, apart from the rest.
    let valgrind_dir = crate::workspace_root().join("target/valgrind");
    let built = run(crate::cargo(&["build", "-p", "halide-downstream"])
        .env("HL_TARGET", "x86-64-linux-avx-avx2-f16c-fma-sse41")
        .env("CARGO_TARGET_DIR", &valgrind_dir))?;
    if !built.status.success() {
        return Err("building halide-downstream failed".into());
    }
    let downstream = valgrind_dir.join("debug/halide-downstream");
    let out_dir = std::env::temp_dir().join("halide-reliability");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    let (ok, lines) = valgrind(&[
        &downstream.display().to_string(),
        &out_dir.display().to_string(),
    ])?;
    report("valgrind: AOT program (CPU and GPU pipelines)", ok, lines);
    let all = test_executable("halide", "all")?;
    let (ok, lines) = valgrind(&[
        &all,
        "callable::",
        "errors::",
        "no_crash::",
        "--test-threads=1",
    ])?;
    report("valgrind: JIT calls, threads and error paths", ok, lines);

    // Through rustup's `cargo`, which understands `+nightly`. halide-ndarray
    // without its `jit` feature: with it, libHalide would bring an ASan
    // runtime of its own, which clashes.
    for (package, extra) in [
        ("halide-runtime", &["--lib", "--tests"][..]),
        ("halide-ndarray", &["--no-default-features", "--lib"][..]),
    ] {
        let mut nightly = Command::new("cargo");
        nightly.current_dir(crate::workspace_root());
        let output = run(nightly
            .args(["+nightly", "test", "-q", "-p", package])
            .args(extra)
            .args(["--target", "x86_64-unknown-linux-gnu"])
            .env("RUSTFLAGS", "-Zsanitizer=address")
            .env(
                "CARGO_TARGET_DIR",
                crate::workspace_root().join("target/asan"),
            ))?;
        report(
            &format!("AddressSanitizer: {package}"),
            output.status.success(),
            lines_with(&output.stdout, &["test result"]),
        );
    }

    // cargo-fuzz runs on the committed corpus (fuzz/corpus), growing it:
    // the parser with AddressSanitizer; the differential fuzzer without
    // (libHalide brings an ASan runtime of its own that clashes).
    for (target, sanitizer) in [("function_info", "address"), ("differential", "none")] {
        let mut fuzz = Command::new("cargo");
        fuzz.current_dir(crate::workspace_root());
        let output = run(fuzz
            .args(["+nightly", "fuzz", "run", "-s", sanitizer, target, "--"])
            .arg(format!("-max_total_time={}", options.seconds)))?;
        let mut lines = lines_with(
            &output.stderr,
            &["Done ", "panicked", "SUMMARY", "no such command"],
        );
        if lines.iter().any(|l| l.contains("no such command")) {
            lines.push("install it with `cargo install cargo-fuzz`".into());
        }
        report(
            &format!("cargo fuzz: {target}"),
            output.status.success(),
            lines,
        );
    }

    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("failed: {}", failed.join(", ")))
    }
}

//! Concurrency and failure under load: threads building and compiling
//! their own pipelines while others call shared ones, handlers called from
//! Halide's worker threads, a panic in a handler on a worker thread, and
//! an allocation that fails inside a pipeline. Each runs for a bounded
//! time in CI (`HALIDE_STRESS_SECONDS`, default 2, sets it for long runs)
//! and reports threads × seconds × calls.

use crate::memory;
use halide::math::print;
use halide::prelude::*;
use halide::{Handlers, args};
use halide_runtime::HalideBufferExt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn budget() -> Duration {
    let seconds = std::env::var("HALIDE_STRESS_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    Duration::from_secs_f64(seconds)
}

/// `out(x, y) = x * k + y`, parallel over rows.
fn affine(k: i32) -> Func {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new("affine");
    f.define([&x, &y], &x * k + &y).unwrap();
    f.parallel(&y).unwrap();
    f
}

fn check_affine(out: &Buffer<i32>, k: i32) {
    let mut wrong = 0;
    out.for_each_element(|c| wrong += usize::from(out.get(c) != Some(c[0] * k + c[1])));
    assert_eq!(wrong, 0, "k = {k}");
}

/// 16 threads for the budget: eight build, compile and run pipelines of
/// their own (each a different constant), eight call one shared Callable.
#[test]
fn sixteen_threads_compile_and_call_at_once() {
    let shared = Pipeline::new(&[&affine(3)])
        .unwrap()
        .compile(&Target::host().unwrap())
        .unwrap();
    let (compiled, called) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let deadline = Instant::now() + budget();
    std::thread::scope(|s| {
        for t in 0..16 {
            let (shared, compiled, called) = (&shared, &compiled, &called);
            s.spawn(move || {
                let mut round = 0;
                while Instant::now() < deadline || round == 0 {
                    if t % 2 == 0 {
                        let k = 100 + t * 1000 + round;
                        let out = affine(k).realize::<i32>(&[32, 8]).unwrap();
                        check_affine(&out, k);
                        compiled.fetch_add(1, Ordering::Relaxed);
                    } else {
                        let mut out = Buffer::<i32>::new(&[64, 64]).unwrap();
                        shared.call(args![&mut out]).unwrap();
                        check_affine(&out, 3);
                        called.fetch_add(1, Ordering::Relaxed);
                    }
                    round += 1;
                }
            });
        }
    });
    println!(
        "16 threads × {:?}: {} pipelines built and compiled, {} calls of a shared one, 0 failures",
        budget(),
        compiled.load(Ordering::Relaxed),
        called.load(Ordering::Relaxed)
    );
}

/// `print` inside a parallel loop: the handler is called from whichever
/// threads Halide runs the loop on (how many is printed: on two cores the
/// caller often does it all), and sees every line.
#[test]
fn handlers_are_called_from_worker_threads() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new("printed");
    f.define([&x, &y], print([&y])).unwrap();
    f.parallel(&y).unwrap();
    let lines = std::sync::Arc::new(Mutex::new(Vec::new()));
    let threads = std::sync::Arc::new(Mutex::new(std::collections::HashSet::new()));
    let (l, t) = (lines.clone(), threads.clone());
    f.set_handlers(Handlers::new().on_print(move |text| {
        l.lock().unwrap().push(text.trim().to_owned());
        t.lock().unwrap().insert(std::thread::current().id());
    }));
    f.realize::<i32>(&[4, 64]).unwrap();
    let mut lines = lines.lock().unwrap().clone();
    lines.sort_by_key(|l| l.parse::<i32>().unwrap());
    let expected: Vec<String> = (0..64)
        .flat_map(|y| std::iter::repeat_n(y.to_string(), 4))
        .collect();
    assert_eq!(lines, expected);
    println!(
        "print handler called from {} threads",
        threads.lock().unwrap().len()
    );
}

/// A panic in a print handler on one of Halide's worker threads comes back
/// on the caller's thread, and the process keeps working.
#[test]
fn a_handler_panicking_on_a_worker_thread_resumes_on_the_caller() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new("panics_in_parallel");
    f.define([&x, &y], print([&y])).unwrap();
    f.parallel(&y).unwrap();
    f.set_handlers(Handlers::new().on_print(|text| {
        if text.trim() == "13" {
            panic!("row 13");
        }
    }));
    let caller = std::thread::current().id();
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f.realize::<i32>(&[2, 32])));
    assert_eq!(std::thread::current().id(), caller);
    let payload = result.unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"row 13"));
    f.set_handlers(Handlers::new().on_print(|_| {}));
    f.realize::<i32>(&[2, 32]).unwrap();
    check_affine(&affine(5).realize::<i32>(&[8, 8]).unwrap(), 5);
}

/// An intermediate too large for memory: the allocation fails inside the
/// pipeline, which is an `Err`, never an abort.
#[test]
fn an_allocation_failure_inside_a_pipeline_is_an_err() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut huge = Func::new("huge");
    huge.define([&x, &y], &x + &y).unwrap();
    huge.compute_root().unwrap();
    let mut out = Func::new("corner");
    // Reads a 2^20 × 2^20 i32 region of `huge` (4 TiB) for one value.
    out.define([&x], huge.at((&x * (1 << 20), &x * (1 << 20))))
        .unwrap();
    let target = Target::host()
        .unwrap()
        .with_feature("large_buffers")
        .unwrap();
    out.compile_jit(&target).unwrap();
    let err = out.realize::<i32>(&[2]).unwrap_err();
    assert_eq!(err.kind(), halide::ErrorKind::Runtime, "{err}");
    println!("{err}");
    check_affine(&affine(7).realize::<i32>(&[8, 8]).unwrap(), 7);
}

/// Build, compile, call and drop a pipeline, `HALIDE_CYCLES` times (200 in
/// CI; the note reports 10,000): resident memory after a warm-up stays
/// flat. Prints the curve, one point per tenth.
#[cfg(target_os = "linux")]
#[test]
fn compile_cycles_keep_memory_flat() {
    // The process's memory is measured, which the tests running beside
    // this one in this binary would move: the measuring runs alone, in a
    // process of its own.
    if std::env::var_os("HALIDE_MEMORY_ALONE").is_none() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "stress::compile_cycles_keep_memory_flat",
                "--exact",
                "--nocapture",
            ])
            .env("HALIDE_MEMORY_ALONE", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        // The curve, for `cargo xtask reliability`.
        for line in stdout.lines().filter(|l| l.contains("resident MiB")) {
            println!("{line}");
        }
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("resident MiB"),
            "the measuring did not run: {stdout}"
        );
        return;
    }
    let cycles: usize = std::env::var("HALIDE_CYCLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let cycle = |i: usize| {
        let k = i32::try_from(i % 1000).unwrap();
        let callable = Pipeline::new(&[&affine(k)])
            .unwrap()
            .compile(&Target::host().unwrap())
            .unwrap();
        let mut out = Buffer::<i32>::new(&[16, 4]).unwrap();
        callable.call(args![&mut out]).unwrap();
        check_affine(&out, k);
    };
    let warm_up = (cycles / 10).max(20);
    (0..warm_up).for_each(cycle);
    let base = memory::resident_bytes();
    let mut curve = Vec::new();
    for i in 0..cycles {
        cycle(i);
        if (i + 1) % (cycles / 10).max(1) == 0 {
            curve.push((
                i + 1,
                (memory::resident_bytes() as f64 - base as f64) / f64::from(1 << 20),
            ));
        }
    }
    let points: Vec<String> = curve
        .iter()
        .map(|(i, mb)| format!("{i}: {mb:+.1}"))
        .collect();
    println!(
        "resident MiB over {cycles} cycles, after {warm_up} to warm up: {}",
        points.join(", ")
    );
    let grown = curve.last().map_or(0.0, |p| p.1);
    // 64 KiB per cycle would be a leak of every compiled module.
    assert!(
        grown < cycles as f64 * 0.064 + 8.0,
        "grew by {grown:.1} MiB"
    );
}

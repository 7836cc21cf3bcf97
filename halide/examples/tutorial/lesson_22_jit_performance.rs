//! Halide tutorial lesson 22: JIT compilation and performance.
//!
//! Compiling is expensive; running is cheap. Compile once (`compile_jit`,
//! or a `Callable`) and run many times. Timings are printed, not checked:
//! the example checks results.

use halide::prelude::*;
use halide::{args, math};
use std::time::Instant;

fn define(name: &str) -> halide::Result<(Var, Var, Func)> {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new(name);
    f.define([&x, &y], math::sqrt((&x * &x + &y * &y).cast::<f32>()))?;
    Ok((x, y, f))
}

fn check(out: &Buffer<f32>) {
    let (w, h) = (out.dim(0).unwrap().extent, out.dim(1).unwrap().extent);
    for j in 0..h {
        for i in 0..w {
            assert_eq!(out.get(&[i, j]), Some(((i * i + j * j) as f32).sqrt()));
        }
    }
}

fn main() -> halide::Result<()> {
    let runs = 20;
    // Redefining the pipeline each time compiles it each time.
    let start = Instant::now();
    for i in 0..3 {
        let (_, _, mut f) = define(&format!("fresh_{i}"))?;
        check(&f.realize(&[256, 256])?);
    }
    let fresh = start.elapsed() / 3;

    // One Func, compiled once, realized many times.
    let (x, y, mut f) = define("reused")?;
    f.vectorize(&x, 8)?.parallel(&y)?;
    let start = Instant::now();
    f.compile_jit(&Target::host()?)?;
    let compile = start.elapsed();
    let start = Instant::now();
    for _ in 0..runs {
        check(&f.realize(&[256, 256])?);
    }
    let reused = start.elapsed() / runs;

    // A Callable: compiled once, called with buffers the caller owns, from
    // any thread, with no per-call setup.
    let (x, y, mut g) = define("callable")?;
    g.vectorize(&x, 8)?.parallel(&y)?;
    let callable = Pipeline::new(&[&g])?.compile(&Target::host()?)?;
    let mut out = Buffer::<f32>::new(&[256, 256])?;
    let start = Instant::now();
    for _ in 0..runs {
        callable.call(args![&mut out])?;
    }
    let called = start.elapsed() / runs;
    check(&out);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                let mut mine = Buffer::<f32>::new(&[64, 32]).unwrap();
                callable.call(args![&mut mine]).unwrap();
                check(&mine);
            });
        }
    });
    println!(
        "lesson 22: define + compile + run {fresh:?}; compile_jit {compile:?}, then run {reused:?}; Callable call {called:?}"
    );
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

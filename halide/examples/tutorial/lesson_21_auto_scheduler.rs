//! Halide tutorial lesson 21: the autoschedulers.
//!
//! Instead of writing a schedule, give Halide estimates of the input and
//! output sizes and let an autoscheduler write one. The C++ lesson does
//! this in a generator; here the same pipeline is scheduled and
//! JIT-compiled directly, and checked against plain Rust.

use halide::prelude::*;
use halide::{Autoscheduler, args, boundary};

const W: i32 = 384;
const H: i32 = 256;

/// Two outputs from one input image: a blurred copy, and its difference
/// from the original (an unsharp mask), as in the C++ lesson's two outputs.
fn pipeline() -> halide::Result<(Pipeline, ImageParam)> {
    let (x, y, c) = (Var::new("x"), Var::new("y"), Var::new("c"));
    let input = ImageParam::new::<f32>(3, "input");
    let clamped = boundary::repeat_edge(&input)?;
    let mut blur_x = Func::new("blur_x");
    blur_x.define(
        [&x, &y, &c],
        (clamped.at((&x - 1, &y, &c))
            + clamped.at([&x, &y, &c]) * 2.0f32
            + clamped.at((&x + 1, &y, &c)))
            / 4.0f32,
    )?;
    let mut blurred = Func::new("blurred");
    blurred.define(
        [&x, &y, &c],
        (blur_x.at((&x, &y - 1, &c))
            + blur_x.at([&x, &y, &c]) * 2.0f32
            + blur_x.at((&x, &y + 1, &c)))
            / 4.0f32,
    )?;
    let mut sharpened = Func::new("sharpened");
    sharpened.define(
        [&x, &y, &c],
        clamped.at([&x, &y, &c]) * 2.0f32 - blurred.at([&x, &y, &c]),
    )?;

    // The estimates the autoscheduler plans for.
    for (d, extent) in [(0, W), (1, H), (2, 3)] {
        input.dim(d).set_estimate(0, extent)?;
    }
    for f in [&mut blurred, &mut sharpened] {
        f.set_estimate(&x, 0, W)?
            .set_estimate(&y, 0, H)?
            .set_estimate(&c, 0, 3)?;
    }
    Ok((Pipeline::new(&[&blurred, &sharpened])?, input))
}

fn main() -> halide::Result<()> {
    let image = Buffer::<f32>::from_fn(&[W, H, 3], |p| {
        ((p[0] * 5 + p[1] * 3 + p[2] * 17) % 64) as f32
    })?;
    let at = |i: i32, j: i32, ch: i32| {
        image
            .get(&[i.clamp(0, W - 1), j.clamp(0, H - 1), ch])
            .unwrap()
    };
    let rust_blur = |i: i32, j: i32, ch: i32| {
        let bx = |jj: i32| (at(i - 1, jj, ch) + at(i, jj, ch) * 2.0 + at(i + 1, jj, ch)) / 4.0;
        (bx(j - 1) + bx(j) * 2.0 + bx(j + 1)) / 4.0
    };

    let target = Target::host()?;
    for (scheduler, params) in [
        (Autoscheduler::Mullapudi2016, &[("parallelism", "8")][..]),
        (Autoscheduler::Adams2019, &[("parallelism", "8")][..]),
    ] {
        let (pipeline, _input) = pipeline()?;
        let schedule = pipeline
            .auto_schedule(&target, scheduler, params)?
            .schedule_source;
        println!("--- {scheduler:?} wrote:\n{schedule}");
        let callable = pipeline.compile(&target)?;
        let mut blurred = Buffer::<f32>::new(&[W, H, 3])?;
        let mut sharpened = Buffer::<f32>::new(&[W, H, 3])?;
        callable.call(args![&image, &mut blurred, &mut sharpened])?;
        for ch in 0..3 {
            for j in 0..H {
                for i in 0..W {
                    let b = rust_blur(i, j, ch);
                    let (gb, gs) = (
                        blurred.get(&[i, j, ch]).unwrap(),
                        sharpened.get(&[i, j, ch]).unwrap(),
                    );
                    assert!(
                        (gb - b).abs() < 1e-3,
                        "{scheduler:?} blurred ({i}, {j}, {ch}): {gb} vs {b}"
                    );
                    assert!((gs - (at(i, j, ch) * 2.0 - b)).abs() < 1e-3);
                }
            }
        }
    }
    println!("lesson 21: both autoscheduled pipelines match plain Rust");
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

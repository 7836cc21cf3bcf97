//! Halide tutorial lesson 19: wrapper Funcs.
//!
//! `f.in_(&[&g])` puts a new Func between `f` and its consumer `g`; the
//! wrapper gets its own schedule. Uses: staging part of an input in a
//! local buffer, or scheduling one use of a Func differently from another.

use halide::prelude::*;

fn main() -> halide::Result<()> {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let input = ImageParam::new::<f32>(2, "input");
    let (width, height) = (128, 96);
    let image = Buffer::<f32>::from_fn(&[width + 2, height], |p| (p[0] * p[1]) as f32 * 0.25)?;

    // A 3-tap horizontal blur of the input.
    let mut blur = Func::new("blur");
    blur.define(
        [&x, &y],
        (input.at([&x, &y]) + input.at((&x + 1, &y)) + input.at((&x + 2, &y))) / 3.0f32,
    )?;
    let expected: Buffer<f32> = blur.realize_with(&[width, height], &[input.bind(&image)])?;

    // Stage the input in tiles: a Func reading it, wrapped for its
    // consumer, the wrapper copying each 32x32 tile into a local buffer.
    let mut staged = boundary_free_input(&input)?;
    let mut consumer = Func::new("consumer");
    consumer.define([&x, &y], staged.at([&x, &y]) * 1.0f32)?;
    let mut copy = staged.in_(&[&consumer])?;
    let (xo, yo, xi, yi) = (
        Var::new("xo"),
        Var::new("yo"),
        Var::new("xi"),
        Var::new("yi"),
    );
    consumer.tile_outer(
        &x,
        &y,
        &xo,
        &yo,
        &xi,
        &yi,
        32,
        32,
        halide::TailStrategy::Auto,
    )?;
    copy.compute_at(&consumer, &xo)?.vectorize(&x, 8)?;
    staged.compute_root()?;
    let stmt = consumer.lowered_stmt(&Target::host()?)?;
    assert!(stmt.contains("produce staged_wrapper"), "{stmt}");
    let out: Buffer<f32> = consumer.realize_with(&[width, height], &[input.bind(&image)])?;
    for j in 0..height {
        for i in 0..width {
            assert_eq!(out.get(&[i, j]), image.get(&[i, j]));
        }
    }

    // The blur, checked against plain Rust.
    for j in 0..height {
        for i in 0..width {
            let v = |k: i32| image.get(&[i + k, j]).unwrap();
            assert_eq!(expected.get(&[i, j]), Some((v(0) + v(1) + v(2)) / 3.0));
        }
    }

    // One Func, two consumers, two schedules: wrap it for one of them only.
    let mut f = Func::new("f");
    f.define([&x, &y], &x * &y)?;
    let mut g = Func::new("g");
    g.define([&x, &y], f.at([&x, &y]) + 1)?;
    let mut h = Func::new("h");
    h.define([&x, &y], f.at([&x, &y]) + g.at([&x, &y]))?;
    f.compute_root()?;
    g.compute_root()?;
    let mut f_for_g = f.in_(&[&g])?;
    f_for_g.compute_at(&g, &y)?;
    let out: Buffer<i32> = h.realize(&[10, 10])?;
    assert_eq!(out.get(&[7, 8]), Some(56 + 57));
    println!("lesson 19: staged copies and per-consumer wrappers keep the results");
    Ok(())
}

/// The input as a Func: wrappers wrap Funcs.
fn boundary_free_input(input: &ImageParam) -> halide::Result<Func> {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut staged = Func::new("staged");
    staged.define([&x, &y], input.at([&x, &y]))?;
    Ok(staged)
}

#[test]
fn lesson() {
    main().unwrap();
}

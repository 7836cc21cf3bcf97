//! Halide tutorial lesson 7: multi-stage pipelines.
//!
//! A separable 3x3 blur of a colour image: a horizontal stage feeding a
//! vertical one, first over a shrunk output (so every read is in bounds),
//! then over the full image with a boundary condition.

use halide::boundary;
use halide::prelude::*;

fn main() -> halide::Result<()> {
    let (width, height) = (160, 120);
    let image = Buffer::<u8>::from_fn(&[width, height, 3], |p| {
        ((p[0] * 7 + p[1] * 13 + p[2] * 50) % 251) as u8
    })?;
    let at = |i: i32, j: i32, c: i32| u16::from(image.get(&[i, j, c]).unwrap());
    let (x, y, c) = (Var::new("x"), Var::new("y"), Var::new("c"));
    let input = ImageParam::new::<u8>(3, "input");

    // Stage 1 widens to 16 bits and blurs horizontally; stage 2 blurs
    // vertically and narrows back.
    let blur = |source: &dyn Fn(Expr, Expr) -> Expr| -> halide::Result<Func> {
        let mut blur_x = Func::new("blur_x");
        blur_x.define(
            [&x, &y, &c],
            (source(&x - 1, y.expr().clone())
                + source(x.expr().clone(), y.expr().clone()) * 2
                + source(&x + 1, y.expr().clone()))
                / 4,
        )?;
        let mut blur_y = Func::new("blur_y");
        blur_y.define(
            [&x, &y, &c],
            ((blur_x.at((&x, &y - 1, &c))
                + blur_x.at([&x, &y, &c]) * 2
                + blur_x.at((&x, &y + 1, &c)))
                / 4)
            .cast::<u8>(),
        )?;
        Ok(blur_y)
    };
    let rust_blur = |get: &dyn Fn(i32, i32, i32) -> u16, i: i32, j: i32, ch: i32| {
        let bx = |jj: i32| (get(i - 1, jj, ch) + get(i, jj, ch) * 2 + get(i + 1, jj, ch)) / 4;
        ((bx(j - 1) + bx(j) * 2 + bx(j + 1)) / 4) as u8
    };

    // 1. Without a boundary condition: realize over the interior only, a
    //    region shifted by one pixel.
    let widened = |i: Expr, j: Expr| input.at((i, j, &c)).cast::<u16>();
    let mut interior = blur(&widened)?;
    let mut out = Buffer::<u8>::new(&[width - 2, height - 2, 3])?;
    out.set_min(&[1, 1, 0])?;
    interior.realize_into_with(&mut out, &[input.bind(&image)])?;
    for ch in 0..3 {
        for j in 1..height - 1 {
            for i in 1..width - 1 {
                assert_eq!(out.get(&[i, j, ch]), Some(rust_blur(&at, i, j, ch)));
            }
        }
    }

    // 2. With the edges repeated: the whole image.
    let clamped = boundary::repeat_edge(&input)?;
    let from_clamped = |i: Expr, j: Expr| clamped.at((i, j, &c)).cast::<u16>();
    let mut full = blur(&from_clamped)?;
    let out: Buffer<u8> = full.realize_with(&[width, height, 3], &[input.bind(&image)])?;
    let clamped_at =
        |i: i32, j: i32, ch: i32| at(i.clamp(0, width - 1), j.clamp(0, height - 1), ch);
    for ch in 0..3 {
        for j in 0..height {
            for i in 0..width {
                assert_eq!(out.get(&[i, j, ch]), Some(rust_blur(&clamped_at, i, j, ch)));
            }
        }
    }
    println!("lesson 7: interior and edge-clamped blurs match plain Rust");
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

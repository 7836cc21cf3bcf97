//! Halide tutorial lesson 17: reductions over non-rectangular domains.
//!
//! `RDom::where_` restricts a reduction domain to the points where a
//! condition holds: a triangle, a circle, or the points where the data
//! says so.

use halide::prelude::*;

fn main() -> halide::Result<()> {
    let (x, y) = (Var::new("x"), Var::new("y"));

    // Update only a triangle: points with x + y < 5 in a 5x5 square.
    let mut triangle = Func::new("triangle");
    triangle.define([&x, &y], 1)?;
    let mut r = RDom::new("r", [(0, 5), (0, 5)])?;
    r.where_((r.x() + r.y()).lt(5))?;
    triangle.update([r.x(), r.y()], triangle.at([r.x(), r.y()]) * 2)?;
    let out: Buffer<i32> = triangle.realize(&[5, 5])?;
    for j in 0..5 {
        for i in 0..5 {
            assert_eq!(out.get(&[i, j]), Some(if i + j < 5 { 2 } else { 1 }));
        }
    }

    // Several predicates: a circle of radius 3 around (3, 3), inside a
    // bounding box, and only odd columns.
    let mut circle = Func::new("circle");
    circle.define([&x, &y], &x + &y)?;
    let mut r = RDom::new("rc", [(0, 7), (0, 7)])?;
    let (dx, dy) = (r.x() - 3, r.y() - 3);
    r.where_((&dx * &dx + &dy * &dy).le(9))?;
    r.where_((r.x() % 2).eq(1))?;
    circle.update(
        [r.x(), r.y()],
        circle.at([r.x(), r.y()]) * circle.at([r.x(), r.y()]),
    )?;
    let out: Buffer<i32> = circle.realize(&[7, 7])?;
    for j in 0..7 {
        for i in 0..7 {
            let inside = (i - 3) * (i - 3) + (j - 3) * (j - 3) <= 9 && i % 2 == 1;
            let v = i + j;
            assert_eq!(out.get(&[i, j]), Some(if inside { v * v } else { v }));
        }
    }

    // A predicate on data: sum only the positive values of an input.
    let input = ImageParam::new::<i32>(1, "input");
    let mut r = RDom::over_image(&input, "rp")?;
    r.where_(input.at([r.x()]).gt(0))?;
    let mut positive_sum = Func::new("positive_sum");
    positive_sum.define(Vec::<Var>::new(), 0)?;
    positive_sum.update(
        Vec::<Expr>::new(),
        positive_sum.at(Vec::<Expr>::new()) + input.at([r.x()]),
    )?;
    let data = [3, -1, 4, -1, -5, 9, 2, -6];
    let out =
        positive_sum.realize_with::<i32>(&[], &[input.bind(&BufferRef::new(&data, &[8])?)])?;
    assert_eq!(
        out.as_slice(),
        &[data.iter().filter(|&&v| v > 0).sum::<i32>()]
    );
    println!("lesson 17: triangle, circle and data-dependent domains match plain Rust");
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

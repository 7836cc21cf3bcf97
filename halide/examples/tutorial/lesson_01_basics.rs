//! Halide tutorial lesson 1: Funcs, Vars and Exprs.
//!
//! A Func is a pipeline stage: a pure function from integer coordinates
//! (Vars) to a value (an Expr). Realizing it JIT-compiles it and evaluates
//! it over a rectangle.

use halide::prelude::*;

fn main() -> halide::Result<()> {
    let (x, y) = (Var::new("x"), Var::new("y"));

    // gradient(x, y) = x + y. The Rust operators build an Expr; nothing is
    // computed yet.
    let e = &x + &y;
    let mut gradient = Func::new("gradient");
    gradient.define([&x, &y], e)?;

    // Compile and run over 800 x 600 pixels: x in [0, 800), y in [0, 600).
    let output: Buffer<i32> = gradient.realize(&[800, 600])?;

    // Check every value against plain Rust.
    for j in 0..600 {
        for i in 0..800 {
            assert_eq!(output.get(&[i, j]), Some(i + j), "at ({i}, {j})");
        }
    }
    println!("lesson 1: all {} values of x + y are right", output.len());
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

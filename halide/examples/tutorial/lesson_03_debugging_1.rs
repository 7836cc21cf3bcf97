//! Halide tutorial lesson 3: inspecting the generated code.
//!
//! Halide can show the loop nest it lowers a Func to: the first tool for
//! understanding what a schedule does.

use halide::prelude::*;

fn main() -> halide::Result<()> {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut gradient = Func::new("my_first_gradient");
    gradient.define([&x, &y], &x + &y)?;

    let stmt = gradient.lowered_stmt(&Target::host()?)?;
    println!("{stmt}");
    // The default schedule: a serial loop over y, then one over x, storing x + y.
    let y_loop = stmt
        .find("for (my_first_gradient.s0.y")
        .expect("a loop over y");
    let x_loop = stmt
        .find("for (my_first_gradient.s0.x")
        .expect("a loop over x");
    assert!(y_loop < x_loop, "y is the outer loop");
    assert!(stmt.contains("produce my_first_gradient"));

    // The same as interactive HTML, for a browser.
    let html = gradient.lowered_stmt_html(&Target::host()?)?;
    assert!(html.contains("<html") && html.contains("my_first_gradient"));

    let out: Buffer<i32> = gradient.realize(&[8, 8])?;
    assert_eq!(out.get(&[7, 5]), Some(12));
    println!("lesson 3: the loop nest is y outside x, as printed above");
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

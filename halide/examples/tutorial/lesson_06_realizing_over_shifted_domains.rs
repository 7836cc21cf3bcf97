//! Halide tutorial lesson 6: realizing over a domain that does not start
//! at the origin.
//!
//! A buffer's shape includes the minimum coordinate of each dimension;
//! realizing into it computes exactly that region.

use halide::prelude::*;

fn main() -> halide::Result<()> {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut gradient = Func::new("gradient");
    gradient.define([&x, &y], &x + &y)?;

    // From the origin: 8 x 8.
    let out: Buffer<i32> = gradient.realize(&[8, 8])?;
    assert_eq!(out.get(&[7, 7]), Some(14));

    // A 7 x 5 buffer whose top-left pixel is (100, 50).
    let mut shifted = Buffer::<i32>::new(&[7, 5])?;
    shifted.set_min(&[100, 50])?;
    gradient.realize_into(&mut shifted)?;
    for j in 50..55 {
        for i in 100..107 {
            assert_eq!(shifted.get(&[i, j]), Some(i + j), "at ({i}, {j})");
        }
    }
    // Coordinates outside the buffer's region are not there.
    assert_eq!(shifted.get(&[0, 0]), None);
    println!("lesson 6: computed x + y over [100, 107) x [50, 55)");
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

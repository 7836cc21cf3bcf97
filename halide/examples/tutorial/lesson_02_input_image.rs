//! Halide tutorial lesson 2: processing an input image.
//!
//! Brightens an 8-bit RGB image by 1.5, clamping at 255. The input is an
//! ordinary Rust buffer (a synthetic image here, so the example needs no
//! files), bound to the pipeline's ImageParam for the call.

use halide::prelude::*;

fn main() -> halide::Result<()> {
    let (width, height) = (320, 240);
    // Interleaved-free planar layout: x, then y, then the colour channel c.
    let image = Buffer::<u8>::from_fn(&[width, height, 3], |p| {
        ((p[0] * 3 + p[1] * 5 + p[2] * 80) % 256) as u8
    })?;

    let (x, y, c) = (Var::new("x"), Var::new("y"), Var::new("c"));
    let input = ImageParam::new::<u8>(3, "input");

    // Widen to float, scale, clamp, narrow: as in the C++ tutorial.
    let value = input.at([&x, &y, &c]).cast::<f32>() * 1.5f32;
    let value = min(value, 255.0f32).cast::<u8>();
    let mut brighter = Func::new("brighter");
    brighter.define([&x, &y, &c], value)?;

    let output: Buffer<u8> = brighter.realize_with(&[width, height, 3], &[input.bind(&image)])?;

    for ch in 0..3 {
        for j in 0..height {
            for i in 0..width {
                let v = image.get(&[i, j, ch]).unwrap();
                let want = (f32::from(v) * 1.5).min(255.0) as u8;
                assert_eq!(output.get(&[i, j, ch]), Some(want));
            }
        }
    }
    println!("lesson 2: brightened {width}x{height}x3 pixels, all as plain Rust computes them");
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

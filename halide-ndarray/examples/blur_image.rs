//! Loads a PNG with the `image` crate, blurs it with a Halide pipeline
//! that reads and writes ndarray arrays in place, checks every pixel against
//! plain ndarray code, and writes the result as a PNG.
//!
//! `cargo run --release -p halide-ndarray --example blur_image [input.png] [output.png]`

use halide::prelude::*;
use halide_ndarray::{AsBuffer, realize_array};
use ndarray::{Array3, ArrayView3};
use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

/// Taps on each side of the box filter.
const RADIUS: i32 = 2;

/// A separable (2·RADIUS+1)² box blur of an interleaved RGB image, edges
/// clamped. Halide sees the (height, width, channel) array as c, x, y.
fn blur_pipeline(width: i32, height: i32) -> Result<(ImageParam, Func), halide::Error> {
    let (c, x, y) = (Var::new("c"), Var::new("x"), Var::new("y"));
    let input = ImageParam::new::<u8>(3, "input");
    let clamp = |v: Expr, hi: i32| min(max(v, 0), hi - 1);
    let taps = 2 * RADIUS + 1;

    let mut sum_x = Func::new("sum_x");
    let row = (-RADIUS..=RADIUS)
        .map(|d| {
            input
                .at((&c, clamp(&x + d, width), clamp(y.expr().clone(), height)))
                .cast::<u16>()
        })
        .reduce(|a, b| a + b)
        .expect("at least one tap");
    sum_x.define([&c, &x, &y], row)?;

    let mut blur = Func::new("blur");
    let column = (-RADIUS..=RADIUS)
        .map(|d| sum_x.at((&c, &x, clamp(&y + d, height))))
        .reduce(|a, b| a + b)
        .expect("at least one tap");
    blur.define(
        [&c, &x, &y],
        ((column + taps * taps / 2) / (taps * taps)).cast::<u8>(),
    )?;
    Ok((input, blur))
}

/// The same blur in plain ndarray code.
fn blur_reference(image: ArrayView3<'_, u8>) -> Array3<u8> {
    let (h, w, _) = image.dim();
    let at = |y: i32, x: i32, c: usize| {
        let (y, x) = (
            y.clamp(0, h as i32 - 1) as usize,
            x.clamp(0, w as i32 - 1) as usize,
        );
        u32::from(image[[y, x, c]])
    };
    let taps = (2 * RADIUS + 1) as u32;
    Array3::from_shape_fn(image.dim(), |(y, x, c)| {
        let mut sum = 0;
        for dy in -RADIUS..=RADIUS {
            for dx in -RADIUS..=RADIUS {
                sum += at(y as i32 + dy, x as i32 + dx, c);
            }
        }
        ((sum + taps * taps / 2) / (taps * taps)) as u8
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    run(args.next(), args.next())
}

/// Blurs `input` (default: the bundled shapes.png) into `output` (default:
/// a file in the temporary directory).
fn run(input: Option<PathBuf>, output: Option<PathBuf>) -> Result<(), Box<dyn Error>> {
    let input_path = input.unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data/shapes.png")
    });
    let output_path =
        output.unwrap_or_else(|| std::env::temp_dir().join("halide-ndarray-blurred.png"));

    let rgb = image::open(&input_path)?.into_rgb8();
    let (width, height) = (rgb.width() as usize, rgb.height() as usize);
    // The decoded pixels become the array's storage: no copy.
    let image = Array3::from_shape_vec((height, width, 3), rgb.into_raw())?;

    let (input, mut blur) = blur_pipeline(width as i32, height as i32)?;
    blur.compile_jit(&Target::host()?)?;
    let view = image.as_buffer()?;
    let start = Instant::now();
    let blurred: Array3<u8> = realize_array(&mut blur, (height, width, 3), &[input.bind(&view)])?;
    let halide_time = start.elapsed();

    let start = Instant::now();
    let expected = blur_reference(image.view());
    let reference_time = start.elapsed();
    if let Some((index, _)) = blurred.indexed_iter().find(|(i, v)| **v != expected[*i]) {
        return Err(format!(
            "pixel {index:?}: Halide {} vs reference {}",
            blurred[index], expected[index]
        )
        .into());
    }

    let (data, _) = blurred.into_raw_vec_and_offset();
    let out = image::RgbImage::from_raw(width as u32, height as u32, data).ok_or("output size")?;
    out.save(&output_path)?;
    println!(
        "blurred {} ({width}x{height}) in {halide_time:.2?} (plain ndarray {reference_time:.2?}); \
         all {} values match; wrote {}",
        input_path.display(),
        width * height * 3,
        output_path.display()
    );
    Ok(())
}

#[test]
fn blur_image() {
    // Not `main`: the test harness's own arguments are not image paths.
    run(None, None).unwrap();
}

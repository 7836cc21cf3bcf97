//! Loads a PNG with the `image` crate, blurs it with a Halide pipeline
//! that reads the decoded image and writes the result image in place
//! (zero-copy views from halide-runtime's `image` feature), checks every
//! pixel against plain ndarray code, and writes the result as a PNG.
//!
//! `cargo run --release -p halide-ndarray --example blur_image [input.png] [output.png]`

use halide::prelude::*;
use halide_runtime::{ImageBufferExt, ImageBufferMutExt};
use image::RgbImage;
use ndarray::{Array3, ArrayView3};
use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

/// Taps on each side of the box filter.
const RADIUS: i32 = 2;

/// A separable (2·RADIUS+1)² box blur of an interleaved RGB image, edges
/// clamped, indexed (x, y, c) as Halide's interleaved convention has it.
///
/// Halide requires dimension 0 of every buffer to be dense unless told
/// otherwise. The input is told: its x stride is 3, its c stride 1. The
/// output could be told the same (`Func::output_buffer`); instead the last
/// stage lists c first, and is realized into the result image viewed as
/// (c, x, y): the same memory, with the dense dimension first.
fn blur_pipeline(width: i32, height: i32) -> Result<(ImageParam, Func), halide::Error> {
    let (x, y, c) = (Var::new("x"), Var::new("y"), Var::new("c"));
    let input = ImageParam::new::<u8>(3, "input");
    input.dim(0).set_stride(3)?;
    input.dim(2).set_stride(1)?;
    let clamp = |v: Expr, hi: i32| min(max(v, 0), hi - 1);
    let taps = 2 * RADIUS + 1;

    let mut sum_x = Func::new("sum_x");
    let row = (-RADIUS..=RADIUS)
        .map(|d| {
            input
                .at((clamp(&x + d, width), clamp(y.expr().clone(), height), &c))
                .cast::<u16>()
        })
        .reduce(|a, b| a + b)
        .expect("at least one tap");
    sum_x.define([&x, &y, &c], row)?;

    let mut blur = Func::new("blur");
    let column = (-RADIUS..=RADIUS)
        .map(|d| sum_x.at((&x, clamp(&y + d, height), &c)))
        .reduce(|a, b| a + b)
        .expect("at least one tap");
    blur.define(
        [&x, &y, &c],
        ((column + taps * taps / 2) / (taps * taps)).cast::<u8>(),
    )?;

    let mut interleaved = Func::new("interleaved");
    interleaved.define([&c, &x, &y], blur.at((&x, &y, &c)))?;
    Ok((input, interleaved))
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
    let (width, height) = rgb.dimensions();
    let (input, mut blur) = blur_pipeline(width as i32, height as i32)?;
    blur.compile_jit(&Target::host()?)?;

    let mut blurred = RgbImage::new(width, height);
    let start = Instant::now();
    // Views of the two images' own memory: (x, y, c), no copies.
    let view = rgb.as_buffer()?;
    let mut out = blurred.as_buffer_mut()?;
    out.permute(&[2, 0, 1])?; // (c, x, y), as the last stage is defined
    blur.realize_into_with(&mut out, &[input.bind(&view)])?;
    let halide_time = start.elapsed();
    drop(out); // ends the view's borrow of `blurred`

    let start = Instant::now();
    // ndarray views of the same samples, (height, width, channel): no copies.
    let (h, w) = (height as usize, width as usize);
    let expected = blur_reference(ArrayView3::from_shape((h, w, 3), rgb.as_raw().as_slice())?);
    let reference_time = start.elapsed();
    let actual = ArrayView3::from_shape((h, w, 3), blurred.as_raw().as_slice())?;
    if let Some((index, _)) = actual.indexed_iter().find(|(i, v)| **v != expected[*i]) {
        return Err(format!(
            "pixel {index:?}: Halide {} vs reference {}",
            actual[index], expected[index]
        )
        .into());
    }

    blurred.save(&output_path)?;
    println!(
        "blurred {} ({width}x{height}) in {halide_time:.2?} (plain ndarray {reference_time:.2?}); \
         all {} values match; wrote {}",
        input_path.display(),
        w * h * 3,
        output_path.display()
    );
    Ok(())
}

#[test]
fn blur_image() {
    // Not `main`: the test harness's own arguments are not image paths.
    run(None, None).unwrap();
}

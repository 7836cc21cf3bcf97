//! Halide tutorial lesson 23: serialization.
//!
//! A pipeline (its Funcs and their schedules) can be saved as bytes and
//! loaded back, in this process or another, then compiled and run as if it
//! had been written there. This lesson saves lesson 7's separable blur of
//! an RGB image to a file, drops everything, loads it twice (once bound to
//! an ImageParam of our own, once with inputs of its own), and checks every
//! result against plain Rust.

use halide::prelude::*;
use halide::{args, boundary};

const W: i32 = 96;
const H: i32 = 64;

/// The blur of lesson 7, on an 8-bit RGB image, clamped at the edges.
fn blur_pipeline() -> halide::Result<Pipeline> {
    let [x, y, c] = Var::many(["x", "y", "c"]);
    let input = ImageParam::new::<u8>(3, "input");
    // Reads past the edges read the edge (lesson 7's clamp).
    let clamped = boundary::repeat_edge(&input)?;
    let mut input_16 = Func::new("input_16");
    input_16.define([&x, &y, &c], clamped.at([&x, &y, &c]).cast::<u16>())?;
    let mut blur_x = Func::new("blur_x");
    let at = |f: &Func, dx: i32, dy: i32| f.at((&x + dx, &y + dy, &c));
    blur_x.define(
        [&x, &y, &c],
        (at(&input_16, -1, 0) + 2 * at(&input_16, 0, 0) + at(&input_16, 1, 0)) / 4,
    )?;
    let mut blur_y = Func::new("blur_y");
    blur_y.define(
        [&x, &y, &c],
        (at(&blur_x, 0, -1) + 2 * at(&blur_x, 0, 0) + at(&blur_x, 0, 1)) / 4,
    )?;
    let mut output = Func::new("output");
    output.define([&x, &y, &c], blur_y.at([&x, &y, &c]).cast::<u8>())?;
    // A schedule travels with the pipeline too.
    output.parallel(&y)?.vectorize(&x, 8)?;
    Pipeline::new(&[&output])
}

fn image() -> halide::Result<Buffer<u8>> {
    Ok(Buffer::from_fn(&[W, H, 3], |p| {
        ((p[0] * 7 + p[1] * 13 + p[2] * 60) % 256) as u8
    })?)
}

/// The blur in plain Rust.
fn expected(img: &Buffer<u8>, x: i32, y: i32, c: i32) -> u8 {
    let px =
        |x: i32, y: i32| u16::from(img.get(&[x.clamp(0, W - 1), y.clamp(0, H - 1), c]).unwrap());
    let bx = |x: i32, y: i32| (px(x - 1, y) + 2 * px(x, y) + px(x + 1, y)) / 4;
    ((bx(x, y - 1) + 2 * bx(x, y) + bx(x, y + 1)) / 4) as u8
}

fn check(out: &Buffer<u8>, img: &Buffer<u8>) {
    let mut wrong = 0;
    for c in 0..3 {
        for y in 0..H {
            for x in 0..W {
                wrong += usize::from(out.get(&[x, y, c]) != Some(expected(img, x, y, c)));
            }
        }
    }
    assert_eq!(wrong, 0, "{wrong} values differ from plain Rust");
}

fn main() -> halide::Result<()> {
    let path = std::env::temp_dir().join(format!("lesson_23_blur_{}.hlpipe", std::process::id()));

    // Build the pipeline and save it; everything built here is dropped at
    // the end of the scope.
    {
        let bytes = blur_pipeline()?.serialize()?;
        std::fs::write(&path, &bytes).map_err(|e| halide::Error::invalid(e.to_string()))?;
        println!("lesson 23: saved the blur, {} bytes", bytes.len());
    }

    let img = image()?;
    let host = Target::host()?;

    // Load it, its input bound to an ImageParam of ours by name.
    let bytes = std::fs::read(&path).map_err(|e| halide::Error::invalid(e.to_string()))?;
    {
        let input = ImageParam::new::<u8>(3, "input");
        let blur = Pipeline::deserialize(&bytes, &[&input])?.compile(&host)?;
        let mut out = Buffer::<u8>::new(&[W, H, 3])?;
        blur.call(args![&img, &mut out])?;
        check(&out, &img);
        println!("lesson 23: loaded bound to our ImageParam, the blur matches plain Rust");
    }

    // Load it with inputs of its own: the compiled pipeline lists them.
    {
        let loaded = Pipeline::deserialize(&bytes, &[])?;
        // Saving a loaded pipeline gives the same pipeline again.
        let again = Pipeline::deserialize(&loaded.serialize()?, &[])?;
        let blur = again.compile(&host)?;
        let names: Vec<&str> = blur.arguments().iter().map(|a| a.name.as_ref()).collect();
        println!("lesson 23: loaded with its own inputs: {names:?}");
        let mut out = Buffer::<u8>::new(&[W, H, 3])?;
        blur.call(args![&img, &mut out])?;
        check(&out, &img);
    }

    // Damaged bytes are refused, not read.
    let err = Pipeline::deserialize(&bytes[..bytes.len() / 2], &[]).unwrap_err();
    println!("lesson 23: half a file: {err}");
    std::fs::remove_file(&path).map_err(|e| halide::Error::invalid(e.to_string()))?;
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

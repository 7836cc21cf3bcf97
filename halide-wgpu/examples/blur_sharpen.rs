//! Blurs and sharpens a PNG on the GPU through wgpu, checks every pixel
//! against the same pipelines on the CPU, and writes both results as PNGs.
//!
//! `cargo run --release -p halide-wgpu --example blur_sharpen [input.png] [output-dir]`
//!
//! The input is copied to the device once: it is lent mutably, so it keeps
//! its device copy, and the sharpening reads it there after the blur.

use halide::boundary::repeat_edge;
use halide::math::saturating_cast;
use halide::prelude::*;
use halide::{GpuTile, args};
use image::RgbImage;
use std::error::Error;
use std::path::PathBuf;

/// What each pipeline computes from the input `i` and its 3×3 box blur `b`
/// (rounded, edges repeated).
#[derive(Clone, Copy)]
enum Output {
    /// `b`.
    Blurred,
    /// The unsharp mask `2·i − b`.
    Sharpened,
}

/// The pipeline for `output` over planar RGB (x, y, c), in 32-bit integers
/// (Halide's WGSL does not wrap 8-bit intermediates; see the README).
fn pipeline(output: Output, on_gpu: bool) -> Result<Func, halide::Error> {
    let [x, y, c] = Var::many(["x", "y", "c"]);
    let input = ImageParam::new::<u8>(3, "input");
    let clamped = repeat_edge(&input)?;
    let wide = |dx: i32, dy: i32| clamped.at((&x + dx, &y + dy, &c)).cast::<i32>();
    let mut blur_x = Func::new("blur_x");
    blur_x.define([&x, &y, &c], wide(-1, 0) + wide(0, 0) + wide(1, 0))?;
    let sum = blur_x.at((&x, &y - 1, &c)) + blur_x.at((&x, &y, &c)) + blur_x.at((&x, &y + 1, &c));
    let blurred = (sum + 4) / 9;
    let mut out = Func::new("out");
    match output {
        Output::Blurred => out.define([&x, &y, &c], blurred.cast::<u8>())?,
        Output::Sharpened => out.define(
            [&x, &y, &c],
            saturating_cast::<u8>(wide(0, 0) * 2 - blurred),
        )?,
    }
    if on_gpu {
        let [bx, by, tx, ty] = Var::many(["bx", "by", "tx", "ty"]);
        out.gpu_tile(&[
            GpuTile {
                var: &x,
                block: &bx,
                thread: &tx,
                size: 16,
            },
            GpuTile {
                var: &y,
                block: &by,
                thread: &ty,
                size: 16,
            },
        ])?;
        // The row sums of a tile, in workgroup memory, shared by its threads.
        blur_x.compute_at(&out, &bx)?.gpu_threads(&[&x, &y])?;
    }
    Ok(out)
}

/// Runs both pipelines for `target` on `planar` and returns their results
/// on the host.
fn run(
    target: &Target,
    on_gpu: bool,
    planar: &mut Buffer<u8>,
) -> Result<[Buffer<u8>; 2], Box<dyn Error>> {
    let shape = planar.shape();
    let mut results = Vec::new();
    for output in [Output::Blurred, Output::Sharpened] {
        let callable = Pipeline::new(&[&pipeline(output, on_gpu)?])?.compile(target)?;
        let mut result = Buffer::<u8>::new(&shape)?;
        callable.call(args![&mut *planar, &mut result])?;
        result.copy_to_host()?;
        results.push(result);
    }
    Ok(results.try_into().expect("two outputs"))
}

fn to_image(b: &Buffer<u8>) -> RgbImage {
    let [w, h] = [b.shape()[0], b.shape()[1]];
    RgbImage::from_fn(w as u32, h as u32, |x, y| {
        image::Rgb([0, 1, 2].map(|c| b.get(&[x as i32, y as i32, c]).unwrap_or(0)))
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args_os().skip(1);
    let given = args.next().map(PathBuf::from);
    let out_dir = args.next().map_or_else(
        || std::env::temp_dir().join("halide-wgpu-example"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&out_dir)?;
    // Without an input: the workspace's test picture, else one drawn here.
    let shapes = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../halide-ndarray/examples/data/shapes.png");
    let input = match given {
        Some(path) => path,
        None if shapes.exists() => shapes,
        None => {
            let path = out_dir.join("input.png");
            RgbImage::from_fn(256, 192, |x, y| {
                let ring = ((x as i32 - 128).pow(2) + (y as i32 - 96).pow(2)) / 400 % 2 == 0;
                image::Rgb([x as u8, y as u8, if ring { 220 } else { 40 }])
            })
            .save(&path)?;
            path
        }
    };
    if let Err(why) = halide_wgpu::register()
        .map_err(|e| e.to_string())
        .and_then(|()| halide_wgpu::gpu().map_err(|e| e.to_string()))
    {
        let required = std::env::var("HALIDE_REQUIRE_GPU").unwrap_or_default();
        if required.split(',').any(|r| r.trim() == "webgpu") {
            return Err(format!("WebGPU is required (HALIDE_REQUIRE_GPU) but: {why}").into());
        }
        println!("no WebGPU device here ({why}): nothing to do");
        return Ok(());
    }
    let picture = image::open(&input)?.to_rgb8();
    let (w, h) = (picture.width() as i32, picture.height() as i32);
    let mut planar = Buffer::<u8>::from_fn(&[w, h, 3], |p| {
        picture.get_pixel(p[0] as u32, p[1] as u32)[p[2] as usize]
    })?;
    println!(
        "{}: {w}×{h}, on {}",
        input.display(),
        halide_wgpu::gpu()?.adapter_name()
    );

    let webgpu = Target::host()?.with_feature("webgpu")?;
    let [gpu_blur, gpu_sharp] = run(&webgpu, true, &mut planar)?;
    let [cpu_blur, cpu_sharp] = run(&Target::host()?, false, &mut planar)?;
    for (name, gpu, cpu) in [
        ("blurred", &gpu_blur, &cpu_blur),
        ("sharpened", &gpu_sharp, &cpu_sharp),
    ] {
        let differ = gpu
            .as_slice()
            .iter()
            .zip(cpu.as_slice())
            .filter(|(a, b)| a != b)
            .count();
        if differ != 0 {
            return Err(
                format!("{name}: {differ} values differ between the GPU and the CPU").into(),
            );
        }
        let path = out_dir.join(format!("{name}.png"));
        to_image(gpu).save(&path)?;
        println!(
            "{name}: matches the CPU bit for bit; wrote {}",
            path.display()
        );
    }
    Ok(())
}

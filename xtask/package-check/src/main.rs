//! Every way a user reaches Halide, each checked against plain Rust: a JIT
//! pipeline with a manual schedule and one with an autoscheduler (whose
//! plugin is found at run time), an ndarray round trip, and the pipeline
//! the build script compiled ahead of time. Prints where libHalide was
//! loaded from, which `cargo xtask package-check` checks.

use halide::prelude::*;
use halide::{Autoscheduler, args};
use halide_ndarray::{AsBuffer, realize_array};
use ndarray::Array2;
use std::error::Error;

include!(concat!(env!("OUT_DIR"), "/halide_generated.rs"));

fn jit(target: &Target) -> Result<(), Box<dyn Error>> {
    let (x, y, xi, yi) = (Var::new("x"), Var::new("y"), Var::new("xi"), Var::new("yi"));
    let mut f = Func::new("gradient");
    f.define([&x, &y], &x * 3 + &y)?;
    f.tile(&x, &y, &xi, &yi, 16, 8)?.vectorize(&xi, 8)?.parallel(&y)?;
    f.compile_jit(target)?;
    let out = f.realize::<i32>(&[64, 48])?;
    for (yy, xx) in (0..48).flat_map(|yy| (0..64).map(move |xx| (yy, xx))) {
        if out.get(&[xx, yy]) != Some(xx * 3 + yy) {
            return Err(format!("gradient({xx}, {yy}) = {:?}", out.get(&[xx, yy])).into());
        }
    }
    Ok(())
}

fn autoscheduled(target: &Target) -> Result<(), Box<dyn Error>> {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let input = ImageParam::new::<f32>(2, "input");
    input.dim(0).set_estimate(0, 256)?;
    input.dim(1).set_estimate(0, 256)?;
    let mut f = Func::new("scaled");
    f.define([&x, &y], input.at((&x, &y)) * 2.0f32 + 1.0f32)?;
    f.set_estimate(&x, 0, 256)?.set_estimate(&y, 0, 256)?;
    let pipeline = Pipeline::new(&[&f])?;
    pipeline.auto_schedule(target, Autoscheduler::Mullapudi2016, &[("parallelism", "2")])?;
    let data: Vec<f32> = (0..64 * 64).map(|i| i as f32).collect();
    let mut out = Buffer::<f32>::new(&[64, 64])?;
    pipeline
        .compile(target)?
        .call(args![&BufferRef::new(&data, &[64, 64])?, &mut out])?;
    if out.as_slice().iter().zip(&data).any(|(o, d)| *o != d * 2.0 + 1.0) {
        return Err("the autoscheduled pipeline computed the wrong values".into());
    }
    Ok(())
}

fn ndarray_round_trip(target: &Target) -> Result<(), Box<dyn Error>> {
    let input = ImageParam::new::<u16>(2, "input");
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new("doubled");
    f.define([&x, &y], input.at((&x, &y)) * 2)?;
    f.compile_jit(target)?;
    let a = Array2::from_shape_fn((30, 40), |(r, c)| (r * 40 + c) as u16);
    let doubled: Array2<u16> = realize_array(&mut f, (30, 40), &[input.bind(&a.as_buffer()?)])?;
    if doubled != a.mapv(|v| v * 2) {
        return Err("the ndarray round trip computed the wrong values".into());
    }
    Ok(())
}

fn ahead_of_time() -> Result<(), Box<dyn Error>> {
    let data: Vec<u8> = (0..=255).collect();
    let input = BufferRef::new(&data, &[256])?;
    let mut out = Buffer::<u8>::new(&[256])?;
    brighter::run(&input, &mut out)?;
    if out.as_slice().iter().zip(&data).any(|(o, d)| *o != d.saturating_add(10)) {
        return Err("the ahead-of-time pipeline computed the wrong values".into());
    }
    Ok(())
}

/// The file libHalide was mapped from, as the loader found it.
fn loaded_halide() -> String {
    std::fs::read_to_string("/proc/self/maps")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_whitespace().nth(5))
        .find(|p| p.contains("libHalide"))
        .unwrap_or("(unknown)")
        .to_owned()
}

fn main() -> Result<(), Box<dyn Error>> {
    let target = Target::host()?;
    jit(&target)?;
    autoscheduled(&target)?;
    ndarray_round_trip(&target)?;
    ahead_of_time()?;
    println!("libHalide: {}", loaded_halide());
    println!("package-check app: ok (Halide {})", halide::version());
    Ok(())
}

//! The first pipelines: the gradient of Halide's first tutorial, then a 3×3
//! box blur of a generated 2048×2048 16-bit image. Every pixel is checked
//! against plain Rust; compile and run times are printed. Compiled
//! pipelines are kept in the compile cache (see `halide::cache`): run it
//! twice, and the second run loads them instead of compiling.
//!
//! Run with `cargo run --release --example quickstart`.

use halide::prelude::*;
use std::error::Error;
use std::time::{Duration, Instant};

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

/// Compiles `f` and says how: time and where the code came from.
fn compile(f: &mut Func, target: &Target) -> Result<String, Box<dyn Error>> {
    let before = halide::cache::statistics();
    let (compiled, time) = timed(|| f.compile_jit(target));
    compiled?;
    let after = halide::cache::statistics();
    let how = if after.hits > before.hits {
        "loaded from the compile cache"
    } else if after.misses > before.misses {
        "compiled and cached"
    } else {
        "JIT"
    };
    Ok(format!("compile {time:.2?} ({how})"))
}

/// f(x, y) = x + y over 800×600.
fn gradient(target: &Target) -> Result<(), Box<dyn Error>> {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut gradient = Func::new("gradient");
    gradient.define([&x, &y], &x + &y)?;

    let compiled = compile(&mut gradient, target)?;
    let (out, run_time) = timed(|| gradient.realize::<i32>(&[800, 600]));
    let out = out?;

    for yy in 0..600 {
        for xx in 0..800 {
            let got = out.get(&[xx, yy]);
            if got != Some(xx + yy) {
                return Err(format!("gradient({xx}, {yy}) = {got:?}, expected {}", xx + yy).into());
            }
        }
    }
    println!("gradient 800x600: {compiled}, run {run_time:.2?}, all 480000 pixels correct");
    Ok(())
}

/// A deterministic, noisy test image.
fn pixel(x: i32, y: i32) -> u16 {
    let h = (x as u32).wrapping_mul(0x9E37_79B1) ^ (y as u32).wrapping_mul(0x85EB_CA77);
    (h ^ (h >> 15)) as u16
}

/// A 3×3 mean over the interior of a generated image, scheduled.
fn box_blur(target: &Target) -> Result<(), Box<dyn Error>> {
    const W: i32 = 2048;
    const H: i32 = 2048;
    let image = Buffer::<u16>::from_fn(&[W, H], |c| pixel(c[0], c[1]))?;

    let (x, y) = (Var::new("x"), Var::new("y"));
    let input = ImageParam::new::<u16>(2, "input");
    let wide = |dx: i32, dy: i32| input.at((&x + dx, &y + dy)).cast::<u32>();
    let mut sum_x = Func::new("sum_x");
    sum_x.define([&x, &y], wide(-1, 0) + wide(0, 0) + wide(1, 0))?;
    let mut blur = Func::new("blur");
    blur.define(
        [&x, &y],
        ((sum_x.at((&x, &y - 1)) + sum_x.at((&x, &y)) + sum_x.at((&x, &y + 1))) / 9).cast::<u16>(),
    )?;

    // The schedule: 256x32 tiles in parallel rows of tiles, 8-wide vectors,
    // and the horizontal sums computed per tile where they are needed.
    let (xi, yi) = (Var::new("xi"), Var::new("yi"));
    blur.tile(&x, &y, &xi, &yi, 256, 32)?
        .vectorize(&xi, 8)?
        .parallel(&y)?;
    sum_x.compute_at(&blur, &x)?.vectorize(&x, 8)?;

    let compiled = compile(&mut blur, target)?;
    // The interior: every output pixel has all nine neighbours in the image.
    let mut out = Buffer::<u16>::new(&[W - 2, H - 2])?;
    out.set_min(&[1, 1])?;
    let (ran, run_time) = timed(|| blur.realize_into_with(&mut out, &[input.bind(&image)]));
    ran?;

    let (expected, rust_time) = timed(|| {
        let src = image.as_slice();
        let at = |x: i32, y: i32| u32::from(src[(y * W + x) as usize]);
        let mut expected = Vec::with_capacity(((W - 2) * (H - 2)) as usize);
        for yy in 1..H - 1 {
            for xx in 1..W - 1 {
                let mut sum = 0;
                for dy in -1..=1 {
                    for dx in -1..=1 {
                        sum += at(xx + dx, yy + dy);
                    }
                }
                expected.push((sum / 9) as u16);
            }
        }
        expected
    });
    if let Some(i) = out
        .as_slice()
        .iter()
        .zip(&expected)
        .position(|(a, b)| a != b)
    {
        let (xx, yy) = (i as i32 % (W - 2) + 1, i as i32 / (W - 2) + 1);
        return Err(format!(
            "blur({xx}, {yy}) = {}, expected {}",
            out.as_slice()[i],
            expected[i]
        )
        .into());
    }
    println!(
        "3x3 box blur {W}x{H} u16: {compiled}, run {run_time:.2?} \
         (plain Rust reference {rust_time:.2?}), all {} pixels correct",
        expected.len()
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let target = Target::host()?;
    println!(
        "Halide {} from {}",
        halide::version(),
        halide::halide_source()
    );
    println!("target: {target}");
    gradient(&target)?;
    box_blur(&target)?;
    Ok(())
}

#[test]
fn quickstart() {
    main().unwrap();
}

//! The first pipelines: the gradient of Halide's first tutorial, then a 3×3
//! box blur of a generated 2048×2048 16-bit image. Every pixel is checked
//! against Rust; compile and run times are printed, the blur's beside a
//! careful Rust version (separable, parallel with rayon) rather than a
//! naive loop. (One run's times, for a feel; `cargo bench` measures.) Compiled
//! pipelines are kept in the compile cache (see `halide::cache`): run it
//! twice, and the second run loads them instead of compiling.
//!
//! Run with `cargo run --release --example quickstart`.

use halide::prelude::*;
use rayon::prelude::*;
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

/// The 3×3 mean of the interior of `src` (`w`×`h`, rows contiguous):
/// horizontal sums of each row once, then three of them added per output
/// row, bands of 32 output rows at a time on rayon's pool.
fn separable_blur(src: &[u16], w: usize, h: usize) -> Vec<u16> {
    const BAND: usize = 32;
    let (out_w, out_h) = (w - 2, h - 2);
    let mut out = vec![0u16; out_w * out_h];
    out.par_chunks_mut(out_w * BAND)
        .enumerate()
        .for_each(|(band, rows)| {
            let first = band * BAND; // the band's first output row (image row first + 1)
            let n = rows.len() / out_w;
            // Horizontal sums of image rows first ..= first + n + 1.
            let mut sums = vec![0u32; (n + 2) * out_w];
            for (r, sum_row) in sums.chunks_exact_mut(out_w).enumerate() {
                let row = &src[(first + r) * w..][..w];
                for (x, s) in sum_row.iter_mut().enumerate() {
                    *s = u32::from(row[x]) + u32::from(row[x + 1]) + u32::from(row[x + 2]);
                }
            }
            for (r, out_row) in rows.chunks_exact_mut(out_w).enumerate() {
                let above = &sums[r * out_w..][..out_w];
                let here = &sums[(r + 1) * out_w..][..out_w];
                let below = &sums[(r + 2) * out_w..][..out_w];
                for (x, o) in out_row.iter_mut().enumerate() {
                    *o = ((above[x] + here[x] + below[x]) / 9) as u16;
                }
            }
        });
    out
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

    // The reference a careful Rust programmer would write: separable (each
    // row's horizontal sums computed once), in bands of rows on rayon's
    // thread pool, with loops the compiler vectorizes.
    let (expected, rust_time) = timed(|| separable_blur(image.as_slice(), W as usize, H as usize));
    // And the definition itself, nine reads per pixel, for a few pixels.
    let direct = |xx: i32, yy: i32| {
        let sum: u32 = (-1..=1)
            .flat_map(|dy| (-1..=1).map(move |dx| (dx, dy)))
            .map(|(dx, dy)| u32::from(pixel(xx + dx, yy + dy)))
            .sum();
        (sum / 9) as u16
    };
    for (xx, yy) in [(1, 1), (W - 2, 1), (1, H - 2), (W - 2, H - 2), (1000, 777)] {
        let i = ((yy - 1) * (W - 2) + xx - 1) as usize;
        if expected[i] != direct(xx, yy) {
            return Err(format!("the Rust reference is wrong at ({xx}, {yy})").into());
        }
    }
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
         (separable, parallel Rust with rayon: {rust_time:.2?}), all {} pixels correct",
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

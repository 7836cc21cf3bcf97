//! Halide's `unsharp` app: unsharp masking of a float RGB image. The gray
//! image is blurred by a 7-tap Gaussian (σ = 1.5) in each direction, the
//! blur subtracted from twice the gray, and each channel scaled by how much
//! that changed the gray.

use crate::workload::{Image, Input, Workload};
use crate::{App, LUMA, Scheduling, autoschedule, extents, noise};
use halide::boundary::repeat_edge;
use halide::math::{exp, sqrt};
use halide::prelude::*;
use halide::{Error, Pipeline, Result};

/// The Gaussian's standard deviation, the app's default.
pub const SIGMA: f32 = 1.5;

/// The output size the app's estimates describe: width, height, channels.
pub const SIZE: [i32; 3] = [1536, 2560, 3];

/// The unsharp app: `output(x, y, c)` for `input(x, y, c)` (3 channels,
/// the same size; the edges repeated outward).
pub struct Unsharp;

impl App for Unsharp {
    fn name(&self) -> &'static str {
        "unsharp"
    }

    fn size(&self) -> &'static [i32] {
        &SIZE
    }

    fn test_size(&self) -> &'static [i32] {
        &[97, 64, 3]
    }

    fn tolerance(&self) -> f64 {
        // Halide's exp and Rust's differ in the last bits.
        1e-4
    }

    fn pipeline(&self, scheduling: Scheduling, target: &Target, size: &[i32]) -> Result<Pipeline> {
        let [w, h, channels] = extents(self.name(), size)?;
        let [x, y, c, yo, yi] = Var::many(["x", "y", "c", "yo", "yi"]);
        let input = ImageParam::new::<f32>(3, "input");

        let mut kernel = Func::new("kernel");
        let two_sigma_sq = 2.0 * SIGMA * SIGMA;
        let norm = sqrt(Expr::from(2.0 * std::f32::consts::PI)) * SIGMA;
        let xf = x.expr().cast::<f32>();
        kernel.define([&x], exp(-(&xf * &xf) / two_sigma_sq) / norm)?;
        let bounded = repeat_edge(&input)?;
        let mut gray = Func::new("gray");
        let channel = |i: i32| bounded.at((&x, &y, i)) * LUMA[i as usize];
        gray.define([&x, &y], channel(0) + channel(1) + channel(2))?;
        // The symmetric taps, each pair added before it is weighted.
        let taps = |f: &Func, along_x: bool| -> Expr {
            let at = |d: i32| {
                if along_x {
                    f.at((&x + d, &y))
                } else {
                    f.at((&x, &y + d))
                }
            };
            (1..=3).fold(kernel.at([0]) * at(0), |sum, d| {
                sum + kernel.at([d]) * (at(-d) + at(d))
            })
        };
        let mut blur_y = Func::new("blur_y");
        blur_y.define([&x, &y], taps(&gray, false))?;
        let mut blur_x = Func::new("blur_x");
        blur_x.define([&x, &y], taps(&blur_y, true))?;
        let mut sharpen = Func::new("sharpen");
        sharpen.define([&x, &y], gray.at([&x, &y]) * 2.0f32 - blur_x.at([&x, &y]))?;
        let mut ratio = Func::new("ratio");
        ratio.define([&x, &y], sharpen.at([&x, &y]) / gray.at([&x, &y]))?;
        let mut output = Func::new("unsharp");
        output.define([&x, &y, &c], ratio.at([&x, &y]) * input.at((&x, &y, &c)))?;

        input.set_estimates(&[(0, w), (0, h), (0, channels)])?;
        output.set_estimates(&[(0, w), (0, h), (0, channels)])?;
        match scheduling {
            Scheduling::Manual => {
                let vec = i32::try_from(target.natural_vector_size::<f32>()?)
                    .map_err(|_| Error::invalid("vector size out of range"))?;
                output
                    .split(&y, &yo, &yi, 32)?
                    .vectorize(&x, vec)?
                    .parallel(&yo)?
                    .reorder(&[&x, &c, &yi, &yo])?;
                for f in [&mut gray, &mut blur_y, &mut ratio] {
                    f.compute_at(&output, &yi)?
                        .store_at(&output, &yo)?
                        .vectorize(&x, vec)?;
                }
            }
            Scheduling::Auto(scheduler) => autoschedule(&[&output], target, scheduler)?,
        }
        Pipeline::new(&[&output])
    }

    fn workload(&self, size: &[i32]) -> Result<Workload> {
        let size: [i32; 3] = extents(self.name(), size)?;
        Ok(Workload {
            inputs: vec![Input::Image(Image::F32(Buffer::from_fn(&size, |c| {
                0.05 + noise(c)
            })?))],
            output: Image::F32(Buffer::new(&size)?),
        })
    }

    fn reference(&self, workload: &Workload) -> Result<Image> {
        match workload.image()? {
            Image::F32(input) => Ok(Image::F32(reference(input)?)),
            _ => Err(Error::invalid("unsharp's input is float")),
        }
    }
}

/// The Gaussian's taps at distances 0 to 3, as plain Rust computes them
/// (Halide's `exp` may differ in the last bit).
///
/// ```
/// let k = halide_apps::unsharp::kernel();
/// assert!(k.windows(2).all(|w| w[0] > w[1]));
/// ```
pub fn kernel() -> [f32; 4] {
    std::array::from_fn(|i| {
        let i = i as f32;
        (-(i * i) / (2.0 * SIGMA * SIGMA)).exp() / ((2.0 * std::f32::consts::PI).sqrt() * SIGMA)
    })
}

/// What the app computes, in plain Rust (with Rust's `exp`, where
/// Halide has its own: the two differ in the last bits).
///
/// ```
/// use halide::prelude::*;
/// let flat = Buffer::<f32>::from_fn(&[5, 4, 3], |_| 0.5)?;
/// let out = halide_apps::unsharp::reference(&flat)?;
/// // A flat image stays flat: the blur takes the same off everywhere.
/// let first = out.as_slice()[0];
/// assert!(first > 0.5 && out.as_slice().iter().all(|&v| v == first));
/// assert!(halide_apps::unsharp::reference(&Buffer::<f32>::new(&[4, 4, 1])?).is_err());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn reference(input: &Buffer<f32>) -> Result<Buffer<f32>> {
    let extent = |d: usize| input.dim(d).map_or(0, |d| d.extent);
    let (w, h) = (extent(0), extent(1));
    if w < 1 || h < 1 || extent(2) != 3 {
        return Err(Error::invalid(
            "unsharp takes a non-empty image of 3 channels",
        ));
    }
    let kernel = kernel();
    let gray = |x: i32, y: i32| {
        let (x, y) = (x.clamp(0, w - 1), y.clamp(0, h - 1));
        let at = |c: i32| input.get(&[x, y, c]).unwrap_or_default();
        at(0) * LUMA[0] + at(1) * LUMA[1] + at(2) * LUMA[2]
    };
    let taps = |f: &dyn Fn(i32) -> f32| {
        (1..=3).fold(kernel[0] * f(0), |sum, d| {
            sum + kernel[d as usize] * (f(-d) + f(d))
        })
    };
    let blur_y = |x: i32, y: i32| taps(&|d| gray(x, y + d));
    let blur_x = |x: i32, y: i32| taps(&|d| blur_y(x + d, y));
    Ok(Buffer::from_fn(&[w, h, 3], |p| {
        let (x, y) = (p[0], p[1]);
        let ratio = (2.0 * gray(x, y) - blur_x(x, y)) / gray(x, y);
        ratio * input.get(p).unwrap_or_default()
    })?)
}

//! Halide's `iir_blur` app: a first-order IIR low-pass filter run down and
//! back up every column of a float image, then down and back up every row,
//! each channel alone. Each pass filters the columns of its input and
//! transposes the result, so that the second pass, filtering the first's
//! columns, runs along the original rows and transposes back.
//!
//! One step of the filter is `out = (1 - alpha) · previous + alpha · in`,
//! starting from the first row as it is.

use crate::workload::{Image, Input, Workload};
use crate::{App, Scheduling, autoschedule, extents, noise};
use halide::math::undef;
use halide::prelude::*;
use halide::{Error, Pipeline, Result, TailStrategy};

/// The output size the app's estimates describe: width, height, channels
/// (the input's too).
pub const SIZE: [i32; 3] = [1536, 2560, 3];

/// The filter's weight of its input, the app's estimate.
pub const ALPHA: f32 = 0.1;

/// The iir_blur app: `output(x, y, c)` for `input(x, y, c)` and `alpha`,
/// the same size.
pub struct IirBlur;

/// The pipeline's variables, shared by both passes.
struct Vars {
    x: Var,
    y: Var,
    c: Var,
}

/// One pass: `source`'s columns (`height` rows) filtered down and back up,
/// transposed. Scheduled as the app does for CPUs where `vec` (the
/// target's natural float vector) is given.
fn blur_cols_transpose(
    names: [&str; 2],
    source: &dyn Fn(&Expr, &Expr, &Expr) -> Expr,
    height: &Expr,
    alpha: &Param<f32>,
    v: &Vars,
    vec: Option<i32>,
) -> Result<Func> {
    let Vars { x, y, c } = v;
    let (xe, ce) = (x.expr(), c.expr());
    let mut blur = Func::new(names[0]);
    // Every row is written by the updates, so the pure definition is none.
    blur.define([x, y, c], undef::<f32>())?;
    blur.update((x, 0, c), source(xe, &Expr::from(0), ce))?;
    let ry = RDom::new("ry", [(Expr::from(1), height - 1)])?;
    let down = (1 - alpha) * blur.at((x, &ry - 1, c)) + alpha * source(xe, ry.x().expr(), ce);
    blur.update((x, &ry, c), down)?;
    let flipped = height - &ry - 1;
    let up = (1 - alpha) * blur.at((x, &flipped + 1, c)) + alpha * blur.at((x, &flipped, c));
    blur.update((x, &flipped, c), up)?;

    let mut transpose = Func::new(names[1]);
    transpose.define([x, y, c], blur.at((y, x, c)))?;

    if let Some(vec) = vec {
        let [xo, yo, yi, t] = Var::many(["xo", "yo", "yi", "t"]);
        // Strips of vec * 4 transposed rows (input columns), one task per
        // strip and channel, each cut into vec × vec blocks.
        transpose
            .compute_root()?
            .tile_outer(x, y, &xo, &yo, x, y, vec, vec * 4, TailStrategy::Auto)?
            .split(y, y, &yi, vec)?
            .vectorize_loop(&yi)?
            .vectorize_loop(x)?
            .fuse(&yo, c, &t)?
            .parallel(&t)?;
        blur.compute_at(&transpose, &t)?;
        // The scans run along ry, so vectorize across the strip's columns.
        blur.update_stage(0)?.unscheduled()?;
        let rx = ry.x();
        for stage in 1..=2 {
            blur.update_stage(stage)?
                .reorder(&[x, &rx])?
                .vectorize_loop(x)?;
        }
    }
    Ok(transpose)
}

impl App for IirBlur {
    fn name(&self) -> &'static str {
        "iir_blur"
    }

    fn size(&self) -> &'static [i32] {
        &SIZE
    }

    fn test_size(&self) -> &'static [i32] {
        // Each side at least the manual schedule's 64-row strips (on
        // AVX-512; 32 on AVX2).
        &[100, 80, 3]
    }

    fn tolerance(&self) -> f64 {
        // The reference rounds the product and the sum of each step where
        // LLVM may fuse them; the filter damps those errors rather than
        // growing them.
        1e-5
    }

    fn pipeline(&self, scheduling: Scheduling, target: &Target, size: &[i32]) -> Result<Pipeline> {
        let [w, h, channels] = extents(self.name(), size)?;
        let v = Vars {
            x: Var::new("x"),
            y: Var::new("y"),
            c: Var::new("c"),
        };
        let input = ImageParam::new::<f32>(3, "input");
        let alpha = Param::<f32>::new("alpha");
        let vec = match scheduling {
            Scheduling::Manual => Some(
                i32::try_from(target.natural_vector_size::<f32>()?)
                    .map_err(|_| Error::invalid("vector size out of range"))?,
            ),
            Scheduling::Auto(_) => None,
        };

        let read_input = |x: &Expr, y: &Expr, c: &Expr| input.at((x, y, c));
        let (width, height) = (input.dim(0).extent(), input.dim(1).extent());
        let blur_y_t = blur_cols_transpose(
            ["blur_y", "blur_y_t"],
            &read_input,
            &height,
            &alpha,
            &v,
            vec,
        )?;
        let read_blur_y_t = |x: &Expr, y: &Expr, c: &Expr| blur_y_t.at((x, y, c));
        let mut output = blur_cols_transpose(
            ["blur_x", "output"],
            &read_blur_y_t,
            &width,
            &alpha,
            &v,
            vec,
        )?;

        input.set_estimates(&[(0, w), (0, h), (0, channels)])?;
        alpha.set_estimate(ALPHA)?;
        output.set_estimates(&[(0, w), (0, h), (0, channels)])?;
        if let Scheduling::Auto(scheduler) = scheduling {
            autoschedule(&[&output], target, scheduler)?;
        }
        Pipeline::new(&[&output])
    }

    fn workload(&self, size: &[i32]) -> Result<Workload> {
        let size: [i32; 3] = extents(self.name(), size)?;
        Ok(Workload {
            inputs: vec![
                Input::Image(Image::F32(Buffer::from_fn(&size, noise)?)),
                Input::Float(ALPHA),
            ],
            output: Image::F32(Buffer::new(&size)?),
        })
    }

    fn reference(&self, workload: &Workload) -> Result<Image> {
        match workload.inputs.as_slice() {
            [Input::Image(Image::F32(input)), Input::Float(alpha)] => {
                Ok(Image::F32(reference(input, *alpha)?))
            }
            _ => Err(Error::invalid("iir_blur takes a float image and alpha")),
        }
    }
}

/// Filters the `n` elements of `data` `stride` apart from `start`: down
/// from the first, then back up.
fn filter_line(data: &mut [f32], start: usize, stride: usize, n: usize, alpha: f32) {
    let at = |i: usize| start + i * stride;
    for i in 1..n {
        data[at(i)] = (1.0 - alpha) * data[at(i - 1)] + alpha * data[at(i)];
    }
    for i in (0..n.saturating_sub(1)).rev() {
        data[at(i)] = (1.0 - alpha) * data[at(i + 1)] + alpha * data[at(i)];
    }
}

/// What the app computes, in plain Rust: `input` blurred with weight
/// `alpha`, the same size.
///
/// ```
/// use halide::prelude::*;
/// use halide_apps::iir_blur::reference;
/// // A flat image stays flat; alpha 1 leaves any image as it is.
/// let flat = Buffer::<f32>::from_fn(&[5, 4, 1], |_| 0.5)?;
/// assert!(reference(&flat, 0.3)?.as_slice().iter().all(|&v| (v - 0.5).abs() < 1e-6));
/// let ramp = Buffer::<f32>::from_fn(&[5, 4, 2], |c| c[0] as f32)?;
/// assert_eq!(reference(&ramp, 1.0)?.as_slice(), ramp.as_slice());
/// assert!(reference(&Buffer::<f32>::new(&[0, 4, 1])?, 0.5).is_err());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn reference(input: &Buffer<f32>, alpha: f32) -> Result<Buffer<f32>> {
    let extent = |d: usize| input.dim(d).map_or(0, |d| d.extent);
    let (w, h, channels) = (extent(0), extent(1), extent(2));
    if w < 1 || h < 1 || channels < 1 {
        return Err(Error::invalid("iir_blur takes a non-empty image"));
    }
    let (w, h) = (w as usize, h as usize);
    let mut data = Buffer::from_fn(&[w as i32, h as i32, channels], |c| {
        input.get(c).unwrap_or_default()
    })?;
    let data_slice = data.as_mut_slice();
    for plane in data_slice.chunks_mut(w * h) {
        // Down and up each column, then along and back each row: the
        // transposes only change which way the pipeline walks memory.
        for x in 0..w {
            filter_line(plane, x, w, h, alpha);
        }
        for y in 0..h {
            filter_line(plane, y * w, 1, w, alpha);
        }
    }
    Ok(data)
}

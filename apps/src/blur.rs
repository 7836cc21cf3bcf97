//! Halide's `blur` app: a 3×3 box blur of a 16-bit image, in its pure
//! form: two 3-tap passes, each sum (wrapping at 16 bits, as the app's
//! does) divided by 3.

use crate::{Scheduling, autoschedule};
use halide::prelude::*;
use halide::{Error, Pipeline};

/// The blur's Funcs: `output(x, y)` averages `input` over
/// `[x, x + 2] × [y, y + 2]`, so the input is two wider and taller than
/// the output.
pub struct Blur {
    /// The 2-D u16 image.
    pub input: ImageParam,
    /// The 2-D u16 result.
    pub output: Func,
}

/// The output size the app's estimates describe (the input is 2 larger).
pub const SIZE: [i32; 2] = [1536, 2560];

impl Blur {
    /// The pipeline, scheduled as `scheduling` says for `target` and
    /// outputs of `size` (the autoschedulers' estimates; the app's are
    /// [`SIZE`]). An autoscheduler's schedule may need outputs that large.
    pub fn new(scheduling: Scheduling, target: &Target, size: [i32; 2]) -> halide::Result<Blur> {
        let [x, y, yi] = Var::many(["x", "y", "yi"]);
        let input = ImageParam::new::<u16>(2, "input");
        let mut blur_x = Func::new("blur_x");
        let row = input.at((&x, &y)) + input.at((&x + 1, &y)) + input.at((&x + 2, &y));
        blur_x.define([&x, &y], row / 3)?;
        let mut output = Func::new("blur_y");
        let column = blur_x.at([&x, &y]) + blur_x.at((&x, &y + 1)) + blur_x.at((&x, &y + 2));
        output.define([&x, &y], column / 3)?;

        let [w, h] = size;
        input.set_estimates(&[(0, w + 2), (0, h + 2)])?;
        output.set_estimates(&[(0, w), (0, h)])?;
        match scheduling {
            Scheduling::Manual => {
                output
                    .split(&y, &y, &yi, 8)?
                    .parallel(&y)?
                    .vectorize(&x, 8)?;
                blur_x
                    .store_at(&output, &y)?
                    .compute_at(&output, &yi)?
                    .vectorize(&x, 8)?;
            }
            Scheduling::Auto(scheduler) => autoschedule(&[&output], target, scheduler)?,
        }
        Ok(Blur { input, output })
    }

    /// The pipeline: `input`, then the output buffer.
    pub fn pipeline(&self) -> halide::Result<Pipeline> {
        Pipeline::new(&[&self.output])
    }

    /// What the app computes, in plain Rust: the output for `input`, two
    /// smaller in each dimension.
    pub fn reference(input: &Buffer<u16>) -> halide::Result<Buffer<u16>> {
        let extent = |d: usize| input.dim(d).map_or(0, |d| d.extent);
        let (w, h) = (extent(0) - 2, extent(1) - 2);
        if w < 1 || h < 1 {
            return Err(Error::invalid("the blur's input is at least 3×3"));
        }
        let at = |x: i32, y: i32| input.get(&[x, y]).unwrap_or_default();
        let blur_x = |x: i32, y: i32| {
            at(x, y)
                .wrapping_add(at(x + 1, y))
                .wrapping_add(at(x + 2, y))
                / 3
        };
        Ok(Buffer::from_fn(&[w, h], |c| {
            let (x, y) = (c[0], c[1]);
            blur_x(x, y)
                .wrapping_add(blur_x(x, y + 1))
                .wrapping_add(blur_x(x, y + 2))
                / 3
        })?)
    }
}

//! Halide's `stencil_chain` app: 32 5×5 stencils in a row over a 16-bit
//! image (edges repeated outward). Each stage is the weighted sum of the
//! one before over a 5×5 window, the weight at offset `(i, j)` being
//! `(i + 3)·(j + 3)`, all in 16-bit arithmetic that wraps.

use crate::workload::{Image, Input, Workload};
use crate::{App, Scheduling, autoschedule, extents, noise};
use halide::boundary::repeat_edge;
use halide::prelude::*;
use halide::{Error, Pipeline, Result, TailStrategy};

/// How many stencils the chain has, the app's default.
pub const STENCILS: usize = 32;

/// The output size the app's estimates describe (the input's too).
pub const SIZE: [i32; 2] = [1536, 2560];

/// How many stages the manual schedule computes in each group: the last
/// of a group is computed at root, the others in its tiles.
const GROUP: usize = 11;

/// The stencil's weight at offset `(i, j)`, each in `-2..=2`.
fn weight(i: i32, j: i32) -> i32 {
    (i + 3) * (j + 3)
}

/// The stencil_chain app: `output(x, y)` for `input(x, y)`, the same size.
pub struct StencilChain;

impl App for StencilChain {
    fn name(&self) -> &'static str {
        "stencil_chain"
    }

    fn size(&self) -> &'static [i32] {
        &SIZE
    }

    fn test_size(&self) -> &'static [i32] {
        // A quarter of the width, the manual schedule's tile, holds a
        // whole vector of 16-bit lanes even on AVX-512.
        &[128, 96]
    }

    fn pipeline(&self, scheduling: Scheduling, target: &Target, size: &[i32]) -> Result<Pipeline> {
        let [w, h] = extents(self.name(), size)?;
        let [x, y, xo, yo, xi, yi, t] = Var::many(["x", "y", "xo", "yo", "xi", "yi", "t"]);
        let input = ImageParam::new::<u16>(2, "input");

        let mut stages = vec![repeat_edge(&input)?];
        for s in 0..STENCILS {
            let prev = &stages[s];
            let mut value = Expr::from(0).cast::<u16>();
            for i in -2..=2 {
                for j in -2..=2 {
                    value = value + weight(i, j) * prev.at((&x + i, &y + j));
                }
            }
            let mut stage = Func::new(&format!("stage_{s}"));
            stage.define([&x, &y], value)?;
            stages.push(stage);
        }
        let mut output = Func::new("output");
        output.define([&x, &y], stages[STENCILS].at([&x, &y]))?;

        input.set_estimates(&[(0, w), (0, h)])?;
        output.set_estimates(&[(0, w), (0, h)])?;
        match scheduling {
            Scheduling::Manual => {
                let vec = i32::try_from(target.natural_vector_size::<u16>()?)
                    .map_err(|_| Error::invalid("vector size out of range"))?;
                // Groups of stages, back from the output: the group's last
                // (the output for the last group, the final stage inlined
                // into it) at root in 4×4 tiles, one task each, the rest
                // of the group in those tiles, row by row.
                let out_w = output.output_buffer()?.dim(0).extent();
                let out_h = output.output_buffer()?.dim(1).extent();
                for j in (1..=STENCILS).rev().step_by(GROUP) {
                    // Each stage after this one reads 2 more on each side.
                    let expansion = 4 * (STENCILS - j) as i32;
                    let (group, rest) = stages.split_at_mut(j);
                    let last = if j == STENCILS {
                        &mut output
                    } else {
                        &mut rest[0]
                    };
                    last.compute_root()?
                        .tile_outer(
                            &x,
                            &y,
                            &xo,
                            &yo,
                            &xi,
                            &yi,
                            (&out_w + expansion) / 4,
                            (&out_h + expansion) / 4,
                            TailStrategy::Auto,
                        )?
                        .fuse(&xo, &yo, &t)?
                        .parallel(&t)?
                        .vectorize(&xi, vec)?;
                    for stage in &mut group[j.saturating_sub(GROUP - 1)..] {
                        let inner = stage.args()?.remove(0);
                        stage
                            .store_at(last, &t)?
                            .compute_at(last, &yi)?
                            .vectorize(&inner, vec)?;
                    }
                }
            }
            Scheduling::Auto(scheduler) => autoschedule(&[&output], target, scheduler)?,
        }
        Pipeline::new(&[&output])
    }

    fn workload(&self, size: &[i32]) -> Result<Workload> {
        let size: [i32; 2] = extents(self.name(), size)?;
        Ok(Workload {
            inputs: vec![Input::Image(Image::U16(Buffer::from_fn(&size, |c| {
                (noise(c) * 65535.0) as u16
            })?))],
            output: Image::U16(Buffer::new(&size)?),
        })
    }

    fn reference(&self, workload: &Workload) -> Result<Image> {
        match workload.image()? {
            Image::U16(input) => Ok(Image::U16(reference(input)?)),
            _ => Err(Error::invalid("stencil_chain's input is 16-bit")),
        }
    }
}

/// What the app computes, in plain Rust: the output for `input`, the same
/// size, bit for bit (16-bit sums and products wrap, as the pipeline's do).
///
/// ```
/// use halide::prelude::*;
/// use halide_apps::stencil_chain::reference;
/// // Zero stays zero; a flat 1 gains the weights' total, 225, per stage,
/// // wrapping at 2^16.
/// let zero = Buffer::<u16>::new(&[6, 5])?;
/// assert!(reference(&zero)?.as_slice().iter().all(|&v| v == 0));
/// let ones = Buffer::<u16>::from_fn(&[6, 5], |_| 1)?;
/// let want = (0..32).fold(1u16, |v, _| v.wrapping_mul(225));
/// assert!(reference(&ones)?.as_slice().iter().all(|&v| v == want));
/// assert!(reference(&Buffer::<u16>::new(&[0, 5])?).is_err());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn reference(input: &Buffer<u16>) -> Result<Buffer<u16>> {
    let extent = |d: usize| input.dim(d).map_or(0, |d| d.extent);
    let (w, h) = (extent(0), extent(1));
    if w < 1 || h < 1 {
        return Err(Error::invalid("stencil_chain takes a non-empty image"));
    }
    // Each stage over the output's region grown by the border the stages
    // after it read: `margin` on every side.
    let margin = |stage: usize| 2 * (STENCILS - stage) as i32;
    let mut m = margin(0);
    let mut values: Vec<u16> = (-m..h + m)
        .flat_map(|y| (-m..w + m).map(move |x| (x, y)))
        .map(|(x, y)| {
            let at = [x.clamp(0, w - 1), y.clamp(0, h - 1)];
            input.get(&at).unwrap_or_default()
        })
        .collect();
    for stage in 1..=STENCILS {
        let (prev, prev_w) = (m, (w + 2 * m) as usize);
        m = margin(stage);
        let mut next = Vec::with_capacity(((w + 2 * m) * (h + 2 * m)) as usize);
        for y in -m..h + m {
            for x in -m..w + m {
                let mut sum = 0u16;
                for i in -2..=2 {
                    for j in -2..=2 {
                        let at = (y + j + prev) as usize * prev_w + (x + i + prev) as usize;
                        let term = (weight(i, j) as u16).wrapping_mul(values[at]);
                        sum = sum.wrapping_add(term);
                    }
                }
                next.push(sum);
            }
        }
        values = next;
    }
    Ok(Buffer::from_vec(values, &[w, h])?)
}

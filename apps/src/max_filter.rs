//! Halide's `max_filter` app: a circular max filter of radius 26 over each
//! channel of a float image (edges repeated outward). Each column is first
//! max-filtered downward over windows of 1, 2, 4, … 32 rows (`vert_log`,
//! each slice from two overlapping samples of the one before), so that a
//! vertical max over any height comes from two overlapping power-of-two
//! windows (`vert`). The output is then the largest, across the disc's
//! columns, of each column's vertical max over the disc's height there.

use crate::workload::{Image, Input, Workload};
use crate::{App, Scheduling, autoschedule, extents, noise};
use halide::boundary::{Boundary, extend};
use halide::math::{clamp, floor, log, max, select};
use halide::prelude::*;
use halide::{Error, Pipeline, Result};

/// The filter's radius, the app's default.
pub const RADIUS: i32 = 26;

/// The output size the app's estimates describe: width, height, channels
/// (the input's too).
pub const SIZE: [i32; 3] = [1536, 2560, 3];

/// The max_filter app: `output(x, y, c)` for `input(x, y, c)`, the same
/// size.
pub struct MaxFilter;

/// How many power-of-two slices `vert_log` holds: enough that its tallest
/// window, `2^(SLICES - 1)`, reaches the radius, as the app counts them.
fn slices() -> i32 {
    ((RADIUS as f32).ln() / 2f32.ln()).ceil() as i32 + 1
}

/// The squared radius of the disc, a quarter pixel out so that its rim is
/// round.
fn disc_limit() -> f32 {
    (RADIUS as f32 + 0.25) * (RADIUS as f32 + 0.25)
}

impl App for MaxFilter {
    fn name(&self) -> &'static str {
        "max_filter"
    }

    fn size(&self) -> &'static [i32] {
        &SIZE
    }

    fn test_size(&self) -> &'static [i32] {
        // At least as wide as the manual schedule's 256-column strips.
        &[264, 40, 3]
    }

    fn pipeline(&self, scheduling: Scheduling, target: &Target, size: &[i32]) -> Result<Pipeline> {
        let [w, h, channels] = extents(self.name(), size)?;
        let [x, y, c, t, tx] = Var::many(["x", "y", "c", "t", "tx"]);
        let input = ImageParam::new::<f32>(3, "input");
        let slices = slices();

        // Only x and y have edges to repeat; the channel is read in place.
        let mut source = Func::new("source");
        source.define([&x, &y, &c], input.at((&x, &y, &c)))?;
        let bounds = [0, 1].map(|d| (input.dim(d).min(), input.dim(d).extent()));
        let bounded = extend(&source, &bounds, &Boundary::RepeatEdge)?;

        let mut vert_log = Func::new("vert_log");
        vert_log.define([&x, &y, &c, &t], bounded.at((&x, &y, &c)))?;
        let r = RDom::new(
            "r",
            [
                (Expr::from(-RADIUS), input.dim(1).extent() + RADIUS),
                (Expr::from(1), Expr::from(slices - 1)),
            ],
        )?;
        let (rx, ry) = (r.x(), r.y());
        let step = clamp(1 << (&ry - 1), 0, RADIUS * 2);
        let above = vert_log.at((&x, &rx, &c, &ry - 1));
        let below = vert_log.at((&x, &rx + step, &c, &ry - 1));
        vert_log.update((&x, &rx, &c, &ry), max(above, below))?;

        let mut slice_for_radius = Func::new("slice_for_radius");
        let log2 = log(2 * &t + 1) / 2f32.ln();
        slice_for_radius.define([&t], floor(log2).cast::<i32>())?;

        // t is the vertical radius: the max over [y - t, y + t].
        let mut vert = Func::new("vert");
        let slice = clamp(slice_for_radius.at([&t]), 0, slices);
        let first = vert_log.at((&x, &y - &t, &c, &slice));
        let last = &y + &t + 1 - clamp(1 << &slice, 0, 2 * RADIUS);
        let second = vert_log.at((&x, last, &c, &slice));
        vert.define([&x, &y, &c, &t], max(first, second))?;

        let mut filter_height = Func::new("filter_height");
        let dy = RDom::new("dy", [(0, RADIUS + 1)])?;
        let inside = (&x * &x + &dy * &dy).lt(disc_limit());
        filter_height.define([&x], sum(select(inside, 1, 0)))?;

        let dx = RDom::new("dx", [(-RADIUS, 2 * RADIUS + 1)])?;
        let height = clamp(filter_height.at([&dx]), 0, RADIUS + 1);
        let mut output = Func::new("output");
        output.define([&x, &y, &c], maximum(vert.at((&x + &dx, &y, &c, height))))?;

        input.set_estimates(&[(0, w), (0, h), (0, channels)])?;
        output.set_estimates(&[(0, w), (0, h), (0, channels)])?;
        match scheduling {
            Scheduling::Manual => {
                // Both are small lookup tables.
                slice_for_radius.compute_root()?;
                filter_height.compute_root()?;
                // vert_log's update runs down whole columns, so the
                // parallelism comes from strips of 256 columns per channel.
                output
                    .compute_root()?
                    .split(&x, &tx, &x, 256)?
                    .reorder(&[&x, &y, &c, &tx])?
                    .fuse(&c, &tx, &t)?
                    .parallel(&t)?
                    .vectorize(&x, 8)?;
                vert_log.compute_at(&output, &t)?.vectorize(&x, 8)?;
                vert_log
                    .update_stage(0)?
                    .reorder(&[&x, &rx, &ry, &c])?
                    .vectorize(&x, 8)?;
                vert.compute_at(&output, &y)?.vectorize(&x, 8)?;
            }
            Scheduling::Auto(scheduler) => autoschedule(&[&output], target, scheduler)?,
        }
        Pipeline::new(&[&output])
    }

    fn workload(&self, size: &[i32]) -> Result<Workload> {
        let size: [i32; 3] = extents(self.name(), size)?;
        Ok(Workload {
            inputs: vec![Input::Image(Image::F32(Buffer::from_fn(&size, noise)?))],
            output: Image::F32(Buffer::new(&size)?),
        })
    }

    fn reference(&self, workload: &Workload) -> Result<Image> {
        match workload.image()? {
            Image::F32(input) => Ok(Image::F32(reference(input)?)),
            _ => Err(Error::invalid("max_filter's input is float")),
        }
    }
}

/// What the app computes, in plain Rust: the output for `input`, the same
/// size. Maxima are exact, so this matches the pipeline bit for bit. It
/// builds the same slices as the pipeline, rows above `-RADIUS` and from
/// the bottom edge on left as the input's edge row, so that it reads what
/// the pipeline reads.
///
/// ```
/// use halide::prelude::*;
/// use halide_apps::max_filter::{RADIUS, reference};
/// // One bright pixel spreads over the disc around it, and no further:
/// // RADIUS across; down, as many rows as the disc's column holds, one
/// // more than the radius at the centre.
/// let input = Buffer::<f32>::from_fn(&[80, 80, 1], |c| f32::from(c[0] == 40 && c[1] == 40))?;
/// let out = reference(&input)?;
/// assert_eq!(out.get(&[40 + RADIUS, 40, 0]), Some(1.0));
/// assert_eq!(out.get(&[40 + RADIUS + 1, 40, 0]), Some(0.0));
/// assert_eq!(out.get(&[40, 40 + RADIUS + 1, 0]), Some(1.0));
/// assert_eq!(out.get(&[40, 40 + RADIUS + 2, 0]), Some(0.0));
/// assert_eq!(out.get(&[40 + 18, 40 + 19, 0]), Some(1.0));
/// assert_eq!(out.get(&[40 + 18, 40 + 21, 0]), Some(0.0));
/// assert!(reference(&Buffer::<f32>::new(&[0, 4, 1])?).is_err());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn reference(input: &Buffer<f32>) -> Result<Buffer<f32>> {
    let extent = |d: usize| input.dim(d).map_or(0, |d| d.extent);
    let (w, h, channels) = (extent(0), extent(1), extent(2));
    if w < 1 || h < 1 || channels < 1 {
        return Err(Error::invalid("max_filter takes a non-empty image"));
    }
    let slices = slices();
    let pixel = |x: i32, y: i32, c: i32| {
        let at = [x.clamp(0, w - 1), y.clamp(0, h - 1), c];
        input.get(&at).unwrap_or_default()
    };
    // table[s - 1] holds slice s for rows [-RADIUS, h), the rows its
    // update covers; every other row and slice 0 is the input itself.
    let rows = (h + RADIUS) as usize;
    let mut table: Vec<Vec<f32>> = Vec::new();
    let get = |table: &[Vec<f32>], s: i32, x: i32, y: i32, c: i32| {
        if s < 1 || s >= slices || y < -RADIUS || y >= h {
            return pixel(x, y, c);
        }
        let row = (y + RADIUS) as usize;
        table[(s - 1) as usize][(c as usize * rows + row) * w as usize + x as usize]
    };
    for s in 1..slices {
        let step = (1 << (s - 1)).clamp(0, 2 * RADIUS);
        let mut slice = Vec::with_capacity(channels as usize * rows * w as usize);
        for c in 0..channels {
            for y in -RADIUS..h {
                for x in 0..w {
                    let above = get(&table, s - 1, x, y, c);
                    slice.push(above.max(get(&table, s - 1, x, y + step, c)));
                }
            }
        }
        table.push(slice);
    }
    let slice_for_radius = |t: i32| (((2 * t + 1) as f32).ln() / 2f32.ln()).floor() as i32;
    let vert = |x: i32, y: i32, c: i32, t: i32| {
        let s = slice_for_radius(t).clamp(0, slices);
        let last = y + t + 1 - (1 << s).clamp(0, 2 * RADIUS);
        get(&table, s, x, y - t, c).max(get(&table, s, x, last, c))
    };
    let heights: Vec<i32> = (-RADIUS..=RADIUS)
        .map(|dx| {
            let inside = (0..=RADIUS).filter(|dy| ((dx * dx + dy * dy) as f32) < disc_limit());
            (inside.count() as i32).clamp(0, RADIUS + 1)
        })
        .collect();
    Ok(Buffer::from_fn(&[w, h, channels], |p| {
        let (x, y, c) = (p[0], p[1], p[2]);
        let columns = (-RADIUS..=RADIUS).zip(&heights);
        let column_max = columns.map(|(dx, &t)| vert((x + dx).clamp(0, w - 1), y, c, t));
        column_max.fold(f32::NEG_INFINITY, f32::max)
    })?)
}

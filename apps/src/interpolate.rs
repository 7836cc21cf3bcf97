//! Halide's `interpolate` app: fills the transparent parts of a float
//! RGBA image from its opaque parts, at every scale. The color is
//! premultiplied by alpha and downsampled by a [1 2 1] filter into a
//! 10-level pyramid; from the coarsest level down, each level is
//! upsampled and laid under the next finer one, showing through where
//! that one is transparent; the finest level's color is divided by its
//! alpha. The output is the RGB channels.

use crate::workload::{Image, Input, Workload};
use crate::{App, Scheduling, autoschedule, extents, noise};
use halide::boundary::repeat_edge;
use halide::math::clamp;
use halide::prelude::*;
use halide::{Error, Pipeline, Result};

/// The pyramid's levels, the app's `levels`.
pub const LEVELS: usize = 10;

/// The level whose input is clamped to the image's footprint there, so
/// that the coarse levels do not reach hundreds of pixels off the edges.
const CLAMPED_LEVEL: usize = 4;

/// The output size the app's estimates describe: width, height, channels
/// (the input has a fourth, alpha).
pub const SIZE: [i32; 3] = [1536, 2560, 3];

/// The interpolate app: `output(x, y, c)` (3 channels) for `input(x, y,
/// c)` (4 channels, RGBA, the same width and height).
pub struct Interpolate;

impl App for Interpolate {
    fn name(&self) -> &'static str {
        "interpolate"
    }

    fn size(&self) -> &'static [i32] {
        &SIZE
    }

    fn test_size(&self) -> &'static [i32] {
        &[75, 70, 3]
    }

    fn tolerance(&self) -> f64 {
        // The same sums in the same order, but LLVM may fuse the filters'
        // multiply-adds, which Rust never does: a few ulps, grown a little
        // by the division by alpha.
        1e-5
    }

    fn pipeline(&self, scheduling: Scheduling, target: &Target, size: &[i32]) -> Result<Pipeline> {
        let [w, h, channels] = extents(self.name(), size)?;
        let [x, y, c] = Var::many(["x", "y", "c"]);
        let input = ImageParam::new::<f32>(3, "input");
        // RGBA: the schedule unrolls over the channels.
        input.dim(2).set_min(0)?;
        input.dim(2).set_extent(4)?;

        let named = |name: &str, l: usize| Func::new(&format!("{name}_{l}"));
        let clamped = repeat_edge(&input)?;
        let mut downsampled: Vec<Func> = (0..LEVELS).map(|l| named("downsampled", l)).collect();
        let mut downx: Vec<Func> = (0..LEVELS).map(|l| named("downx", l)).collect();
        downsampled[0].define(
            [&x, &y, &c],
            select(
                c.expr().lt(3),
                clamped.at((&x, &y, &c)) * clamped.at((&x, &y, 3)),
                clamped.at((&x, &y, 3)),
            ),
        )?;
        for l in 1..LEVELS {
            let (finer, coarser) = downsampled.split_at_mut(l);
            let edged;
            let prev = if l == CLAMPED_LEVEL {
                let shrink = 1 << (l - 1);
                let (pw, ph) = (
                    input.dim(0).extent() / shrink,
                    input.dim(1).extent() / shrink,
                );
                let mut f = named("downsampled_clamped", l - 1);
                f.define(
                    [&x, &y, &c],
                    finer[l - 1].at((clamp(&x, 0, pw), clamp(&y, 0, ph), &c)),
                )?;
                edged = f;
                &edged
            } else {
                &finer[l - 1]
            };
            let px = |xx: Expr| prev.at((xx, &y, &c));
            downx[l].define(
                [&x, &y, &c],
                (px(&x * 2 - 1) + 2.0 * px(&x * 2) + px(&x * 2 + 1)) * 0.25f32,
            )?;
            let dy = |yy: Expr| downx[l].at((&x, yy, &c));
            let value = (dy(&y * 2 - 1) + 2.0 * dy(&y * 2) + dy(&y * 2 + 1)) * 0.25f32;
            coarser[0].define([&x, &y, &c], value)?;
        }

        let mut interpolated: Vec<Func> = (0..LEVELS).map(|l| named("interpolated", l)).collect();
        interpolated[LEVELS - 1].define([&x, &y, &c], downsampled[LEVELS - 1].at((&x, &y, &c)))?;
        for l in (0..LEVELS - 1).rev() {
            let coarser = &interpolated[l + 1];
            let mut upsampledx = named("upsampledx", l);
            upsampledx.define(
                [&x, &y, &c],
                (coarser.at((&x / 2, &y, &c)) + coarser.at(((&x + 1) / 2, &y, &c))) / 2.0f32,
            )?;
            let mut upsampled = named("upsampled", l);
            upsampled.define(
                [&x, &y, &c],
                (upsampledx.at((&x, &y / 2, &c)) + upsampledx.at((&x, (&y + 1) / 2, &c))) / 2.0f32,
            )?;
            let alpha = 1.0 - downsampled[l].at((&x, &y, 3));
            let value = downsampled[l].at((&x, &y, &c)) + alpha * upsampled.at((&x, &y, &c));
            interpolated[l].define([&x, &y, &c], value)?;
        }
        let mut output = Func::new("interpolate");
        output.define(
            [&x, &y, &c],
            interpolated[0].at((&x, &y, &c)) / interpolated[0].at((&x, &y, 3)),
        )?;

        input.set_estimates(&[(0, w), (0, h), (0, 4)])?;
        output.set_estimates(&[(0, w), (0, h), (0, channels)])?;
        match scheduling {
            Scheduling::Manual => {
                let vec = i32::try_from(target.natural_vector_size::<f32>()?)
                    .map_err(|_| Error::invalid("vector size out of range"))?;
                let [xo, xi, yo, yi] = Var::many(["xo", "xi", "yo", "yi"]);
                // Every level but the coarsest whole, as the upsampling reads
                // each again.
                for d in &mut downsampled[1..LEVELS - 1] {
                    d.compute_root()?
                        .never_partition(&[&x])?
                        .reorder(&[&x, &c, &y])?
                        .split(&y, &yo, &yi, 8)?
                        .parallel(&yo)?
                        .vectorize(&x, vec)?;
                }
                // The premultiplied input, too large to store whole, is
                // recomputed in strips where the first level reads it.
                let (finest, coarser) = downsampled.split_at_mut(1);
                let first = &coarser[0];
                finest[0]
                    .clone_in(&[&downx[1]])?
                    .store_at(first, &yo)?
                    .compute_at(first, &yi)?
                    .reorder(&[&c, &x, &y])?
                    .unroll_loop(&c)?
                    .vectorize(&x, vec)?
                    .never_partition(&[&y])?;
                output
                    .bound(&x, 0, input.dim(0).extent())?
                    .bound(&y, 0, input.dim(1).extent())?
                    .bound(&c, 0, 3)?
                    .never_partition(&[&y])?
                    .split(&x, &xo, &xi, vec)?
                    .split(&y, &yo, &yi, 32)?
                    .reorder(&[&xi, &c, &xo, &yi, &yo])?
                    .unroll_loop(&c)?
                    .vectorize_loop(&xi)?
                    .parallel(&yo)?;
                for f in &mut interpolated[1..] {
                    f.store_at(&output, &yo)?
                        .compute_at(&output, &yi)?
                        .never_partition_all()?
                        .vectorize(&x, vec)?;
                }
            }
            Scheduling::Auto(scheduler) => autoschedule(&[&output], target, scheduler)?,
        }
        Pipeline::new(&[&output])
    }

    fn workload(&self, size: &[i32]) -> Result<Workload> {
        let [w, h, channels] = extents(self.name(), size)?;
        if channels != 3 {
            return Err(Error::invalid("interpolate's output has 3 channels"));
        }
        // Colors in [0, 1); a quarter of the pixels opaque, the rest
        // transparent: holes of every size for the pyramid to fill.
        let input = Buffer::from_fn(&[w, h, 4], |p| {
            if p[2] < 3 {
                noise(p)
            } else if noise(p) < 0.25 {
                1.0
            } else {
                0.0
            }
        })?;
        Ok(Workload {
            inputs: vec![Input::Image(Image::F32(input))],
            output: Image::F32(Buffer::new(&[w, h, 3])?),
        })
    }

    fn reference(&self, workload: &Workload) -> Result<Image> {
        match workload.image()? {
            Image::F32(input) => Ok(Image::F32(reference(input)?)),
            _ => Err(Error::invalid("interpolate's input is float")),
        }
    }
}

/// An inclusive range of coordinates.
type Span = (i32, i32);

/// An RGBA image over `xs × ys`.
struct Level {
    xs: Span,
    ys: Span,
    v: Vec<[f32; 4]>,
}

impl Level {
    fn from_fn(xs: Span, ys: Span, mut f: impl FnMut(i32, i32) -> [f32; 4]) -> Level {
        let mut v = Vec::new();
        for y in ys.0..=ys.1 {
            for x in xs.0..=xs.1 {
                v.push(f(x, y));
            }
        }
        Level { xs, ys, v }
    }

    fn at(&self, x: i32, y: i32) -> [f32; 4] {
        assert!(
            (self.xs.0..=self.xs.1).contains(&x) && (self.ys.0..=self.ys.1).contains(&y),
            "({x}, {y}) is outside the level: the reference's bounds are wrong"
        );
        let w = self.xs.1 - self.xs.0 + 1;
        self.v[((y - self.ys.0) * w + (x - self.xs.0)) as usize]
    }
}

/// The [1 2 1] downsampling onto `xs × ys` of what `prev` gives, in x and
/// then in y.
fn down(prev: impl Fn(i32, i32) -> [f32; 4], xs: Span, ys: Span) -> Level {
    let tap = |a: [f32; 4], b: [f32; 4], c: [f32; 4]| {
        [0, 1, 2, 3].map(|i| (a[i] + 2.0 * b[i] + c[i]) * 0.25)
    };
    let dx = Level::from_fn(xs, (2 * ys.0 - 1, 2 * ys.1 + 1), |x, y| {
        tap(prev(2 * x - 1, y), prev(2 * x, y), prev(2 * x + 1, y))
    });
    Level::from_fn(xs, ys, |x, y| {
        tap(dx.at(x, 2 * y - 1), dx.at(x, 2 * y), dx.at(x, 2 * y + 1))
    })
}

/// What the app computes, in plain Rust: the RGB output for `input` (4
/// channels, RGBA).
///
/// ```
/// use halide::prelude::*;
/// use halide_apps::interpolate::reference;
/// // One opaque gray pixel fills the whole image with its color.
/// let input = Buffer::<f32>::from_fn(&[6, 5, 4], |p| match (p[0], p[1], p[2]) {
///     (2, 3, 3) => 1.0,
///     (_, _, 3) => 0.0,
///     (2, 3, _) => 0.5,
///     _ => 0.9,
/// })?;
/// let out = reference(&input)?;
/// assert!(out.as_slice().iter().all(|&v| (v - 0.5).abs() < 1e-5));
/// assert!(reference(&Buffer::<f32>::new(&[4, 4, 3])?).is_err());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn reference(input: &Buffer<f32>) -> Result<Buffer<f32>> {
    let extent = |d: usize| input.dim(d).map_or(0, |d| d.extent);
    let (w, h) = (extent(0), extent(1));
    if w < 1 || h < 1 || input.dimensions() != 3 || extent(2) != 4 {
        return Err(Error::invalid(
            "interpolate takes a non-empty image of 4 channels",
        ));
    }
    let up_span = |(lo, hi): Span| (lo.div_euclid(2), (hi + 1).div_euclid(2));
    let down_span = |(lo, hi): Span| (2 * lo - 1, 2 * hi + 1);
    let hull = |a: Span, b: Span| (a.0.min(b.0), a.1.max(b.1));
    // The clamp before level CLAMPED_LEVEL: to [0, size / 2^(level - 1)].
    let shrink = 1 << (CLAMPED_LEVEL - 1);
    let (cw, ch) = (w / shrink, h / shrink);

    // Where each level is read: by the upsampling (`out`), and by the
    // downsampling to the next coarser level too (`full`).
    let mut out = vec![((0, w - 1), (0, h - 1))];
    for l in 1..LEVELS {
        let (xs, ys) = out[l - 1];
        out.push((up_span(xs), up_span(ys)));
    }
    let mut full = out.clone();
    for l in (0..LEVELS - 1).rev() {
        let (mut xs, mut ys) = (down_span(full[l + 1].0), down_span(full[l + 1].1));
        if l + 1 == CLAMPED_LEVEL {
            xs = (xs.0.clamp(0, cw), xs.1.clamp(0, cw));
            ys = (ys.0.clamp(0, ch), ys.1.clamp(0, ch));
        }
        full[l] = (hull(full[l].0, xs), hull(full[l].1, ys));
    }

    let (xs, ys) = full[0];
    let mut downsampled = vec![Level::from_fn(xs, ys, |x, y| {
        let at = |c: i32| {
            input
                .get(&[x.clamp(0, w - 1), y.clamp(0, h - 1), c])
                .unwrap_or_default()
        };
        let alpha = at(3);
        [at(0) * alpha, at(1) * alpha, at(2) * alpha, alpha]
    })];
    for l in 1..LEVELS {
        let (xs, ys) = full[l];
        let prev = &downsampled[l - 1];
        let next = if l == CLAMPED_LEVEL {
            down(|x, y| prev.at(x.clamp(0, cw), y.clamp(0, ch)), xs, ys)
        } else {
            down(|x, y| prev.at(x, y), xs, ys)
        };
        downsampled.push(next);
    }

    let (xs, ys) = out[LEVELS - 1];
    let top = &downsampled[LEVELS - 1];
    let mut interpolated = Level::from_fn(xs, ys, |x, y| top.at(x, y));
    for l in (0..LEVELS - 1).rev() {
        let (xs, ys) = out[l];
        let coarser = &interpolated;
        let upsampledx = Level::from_fn(xs, up_span(ys), |x, y| {
            let (a, b) = (
                coarser.at(x.div_euclid(2), y),
                coarser.at((x + 1).div_euclid(2), y),
            );
            [0, 1, 2, 3].map(|i| (a[i] + b[i]) / 2.0)
        });
        let d = &downsampled[l];
        interpolated = Level::from_fn(xs, ys, |x, y| {
            let a = upsampledx.at(x, y.div_euclid(2));
            let b = upsampledx.at(x, (y + 1).div_euclid(2));
            let here = d.at(x, y);
            let alpha = 1.0 - here[3];
            [0, 1, 2, 3].map(|i| here[i] + alpha * ((a[i] + b[i]) / 2.0))
        });
    }
    Ok(Buffer::from_fn(&[w, h, 3], |p| {
        let v = interpolated.at(p[0], p[1]);
        v[p[2] as usize] / v[3]
    })?)
}

//! Halide's `local_laplacian` app: local Laplacian filtering (Paris,
//! Hasinoff and Kautz) of a 16-bit RGB image, which boosts or flattens
//! detail (`alpha`) and tone (`beta`) without halos. The gray image is
//! remapped around each of `levels` intensities by a lookup table; the
//! Gaussian and Laplacian pyramids of those remapped images (8 levels)
//! are blended per pixel, at every level, by where the input's own
//! Gaussian pyramid falls between two intensities; the blended Laplacian
//! pyramid is collapsed and the color put back by the ratio to the gray.
//! About fifty Funcs: the apps' largest pipeline.

use crate::workload::{Image, Input, Workload};
use crate::{App, Scheduling, autoschedule, extents, noise};
use halide::boundary::repeat_edge;
use halide::math::{clamp, exp, lerp};
use halide::prelude::*;
use halide::{Error, Pipeline, Result};

/// The pyramids' levels, the app's `pyramid_levels`.
pub const PYRAMID_LEVELS: usize = 8;

/// The intensity levels the gray image is remapped around, the app's
/// estimate of `levels`.
pub const LEVELS: i32 = 8;

/// The detail gain, the app's estimate of `alpha`.
pub const ALPHA: f32 = 1.0;

/// The tone gain, the app's estimate of `beta`.
pub const BETA: f32 = 1.0;

/// The output size the app's estimates describe: width, height, channels.
pub const SIZE: [i32; 3] = [1536, 2560, 3];

/// Keeps the color ratio finite where the gray image is black.
const EPS: f32 = 0.01;

/// The local Laplacian app: `output(x, y, c)` for `input(x, y, c)` (3
/// channels, the same size) and the parameters `alpha`, `beta` and
/// `levels`, in that order (Halide's: the buffer, then the scalars by
/// name).
pub struct LocalLaplacian;

/// A call's arguments: `xx`, `yy`, then the pure Vars `rest`.
fn with_rest(xx: Expr, yy: Expr, rest: &[&Var]) -> Vec<Expr> {
    [xx, yy]
        .into_iter()
        .chain(rest.iter().map(|v| v.expr().clone()))
        .collect()
}

/// The pyramids' [1 3 3 1] downsampling of `f` (pure in x, y and then
/// `rest`), in y and then in x.
fn downsample(f: &Func, rest: &[&Var], name: &str) -> Result<Func> {
    let [x, y] = Var::many(["x", "y"]);
    let args = |xx: Expr, yy: Expr| with_rest(xx, yy, rest);
    let vars: Vec<&Var> = [&x, &y].into_iter().chain(rest.iter().copied()).collect();
    let mut down_y = Func::new(&format!("{name}_y"));
    let at = |yy: Expr| f.at(args(x.expr().clone(), yy));
    down_y.define(
        vars.as_slice(),
        (at(&y * 2 - 1) + 3.0 * (at(&y * 2) + at(&y * 2 + 1)) + at(&y * 2 + 2)) / 8.0f32,
    )?;
    let mut down_x = Func::new(name);
    let at = |xx: Expr| down_y.at(args(xx, y.expr().clone()));
    down_x.define(
        vars.as_slice(),
        (at(&x * 2 - 1) + 3.0 * (at(&x * 2) + at(&x * 2 + 1)) + at(&x * 2 + 2)) / 8.0f32,
    )?;
    Ok(down_x)
}

/// The pyramids' bilinear upsampling of `f` (pure in x, y and then
/// `rest`), in x and then in y.
fn upsample(f: &Func, rest: &[&Var], name: &str) -> Result<Func> {
    let [x, y] = Var::many(["x", "y"]);
    let args = |xx: Expr, yy: Expr| with_rest(xx, yy, rest);
    let vars: Vec<&Var> = [&x, &y].into_iter().chain(rest.iter().copied()).collect();
    let mut up_x = Func::new(&format!("{name}_x"));
    let at = |xx: Expr| f.at(args(xx, y.expr().clone()));
    up_x.define(
        vars.as_slice(),
        lerp(
            at((&x + 1) / 2),
            at((&x - 1) / 2),
            ((&x % 2) * 2 + 1) / 4.0f32,
        ),
    )?;
    let mut up_y = Func::new(name);
    let at = |yy: Expr| up_x.at(args(x.expr().clone(), yy));
    up_y.define(
        vars.as_slice(),
        lerp(
            at((&y + 1) / 2),
            at((&y - 1) / 2),
            ((&y % 2) * 2 + 1) / 4.0f32,
        ),
    )?;
    Ok(up_y)
}

impl App for LocalLaplacian {
    fn name(&self) -> &'static str {
        "local_laplacian"
    }

    fn size(&self) -> &'static [i32] {
        &SIZE
    }

    fn test_size(&self) -> &'static [i32] {
        &[80, 72, 3]
    }

    fn tolerance(&self) -> f64 {
        // Halide lets LLVM reassociate and fuse the pyramids' float sums,
        // so the float result moves by a few ulps and the truncating
        // conversion to 16 bits can land one step off; the workload's
        // outputs are all above 10^4, so two steps are 2e-4. (A gray value
        // rounded across an edge of the remapping table would move its
        // pixel by a whole table step, ~260: none does in this workload.)
        2e-4
    }

    fn pipeline(&self, scheduling: Scheduling, target: &Target, size: &[i32]) -> Result<Pipeline> {
        let [w, h, channels] = extents(self.name(), size)?;
        let j_max = PYRAMID_LEVELS;
        let [x, y, c, k, yo] = Var::many(["x", "y", "c", "k", "yo"]);
        let input = ImageParam::new::<u16>(3, "input");
        let levels = Param::<i32>::new("levels");
        let alpha = Param::<f32>::new("alpha");
        let beta = Param::<f32>::new("beta");

        // The remapping around one intensity, as a table of 256 entries per
        // intensity level.
        let mut remap = Func::new("remap");
        let fx = x.expr().cast::<f32>() / 256.0f32;
        remap.define([&x], &alpha * &fx * exp(-&fx * &fx / 2.0f32))?;
        let clamped = repeat_edge(&input)?;
        let mut floating = Func::new("floating");
        floating.define([&x, &y, &c], clamped.at((&x, &y, &c)) / 65535.0f32)?;
        let mut gray = Func::new("gray");
        gray.define(
            [&x, &y],
            0.299 * floating.at((&x, &y, 0))
                + 0.587 * floating.at((&x, &y, 1))
                + 0.114 * floating.at((&x, &y, 2)),
        )?;

        // Level k of the processed pyramid remaps the gray image around
        // intensity k / (levels - 1).
        let level = &k * (1.0 / (&levels - 1));
        let idx = gray.at((&x, &y)) * (&levels - 1).cast::<f32>() * 256.0f32;
        let idx = clamp(idx.cast::<i32>(), 0, (&levels - 1) * 256);
        let mut g0 = Func::new("g_pyramid_0");
        g0.define(
            [&x, &y, &k],
            &beta * (gray.at((&x, &y)) - &level) + &level + remap.at([idx - 256 * &k]),
        )?;
        let mut g_pyramid = vec![g0];
        for j in 1..j_max {
            let next = downsample(&g_pyramid[j - 1], &[&k], &format!("g_pyramid_{j}"))?;
            g_pyramid.push(next);
        }
        // Its Laplacian pyramid, built from the top down.
        let mut l_pyramid = Vec::with_capacity(j_max);
        let mut top = Func::new(&format!("l_pyramid_{}", j_max - 1));
        top.define([&x, &y, &k], g_pyramid[j_max - 1].at((&x, &y, &k)))?;
        l_pyramid.push(top);
        for j in (0..j_max - 1).rev() {
            let up = upsample(&g_pyramid[j + 1], &[&k], &format!("g_up_{j}"))?;
            let mut l = Func::new(&format!("l_pyramid_{j}"));
            l.define(
                [&x, &y, &k],
                g_pyramid[j].at((&x, &y, &k)) - up.at((&x, &y, &k)),
            )?;
            l_pyramid.push(l);
        }
        l_pyramid.reverse();

        let mut in0 = Func::new("in_pyramid_0");
        in0.define([&x, &y], gray.at((&x, &y)))?;
        let mut in_pyramid = vec![in0];
        for j in 1..j_max {
            let next = downsample(&in_pyramid[j - 1], &[], &format!("in_pyramid_{j}"))?;
            in_pyramid.push(next);
        }

        // The output's Laplacian pyramid: at each pixel, the two processed
        // levels around the input's intensity, blended.
        let mut out_l = Vec::with_capacity(j_max);
        for j in 0..j_max {
            let level = in_pyramid[j].at((&x, &y)) * (&levels - 1).cast::<f32>();
            let li = clamp(level.cast::<i32>(), 0, &levels - 2);
            let lf = &level - li.cast::<f32>();
            let mut o = Func::new(&format!("out_l_{j}"));
            o.define(
                [&x, &y],
                (1.0 - &lf) * l_pyramid[j].at((&x, &y, &li))
                    + &lf * l_pyramid[j].at((&x, &y, &li + 1)),
            )?;
            out_l.push(o);
        }
        // Collapsed, from the top down.
        let mut out_g = Vec::with_capacity(j_max);
        let mut top = Func::new(&format!("out_g_{}", j_max - 1));
        top.define([&x, &y], out_l[j_max - 1].at((&x, &y)))?;
        out_g.push(top);
        for j in (0..j_max - 1).rev() {
            let coarser = out_g.last().ok_or_else(|| Error::invalid("no level"))?;
            let up = upsample(coarser, &[], &format!("out_up_{j}"))?;
            let mut g = Func::new(&format!("out_g_{j}"));
            g.define([&x, &y], up.at((&x, &y)) + out_l[j].at((&x, &y)))?;
            out_g.push(g);
        }
        out_g.reverse();

        let mut color = Func::new("color");
        color.define(
            [&x, &y, &c],
            input.at((&x, &y, &c)) * (out_g[0].at((&x, &y)) + EPS) / (gray.at((&x, &y)) + EPS),
        )?;
        let mut output = Func::new("local_laplacian");
        output.define(
            [&x, &y, &c],
            clamp(color.at((&x, &y, &c)), 0.0f32, 65535.0f32).cast::<u16>(),
        )?;

        input.set_estimates(&[(0, w), (0, h), (0, channels)])?;
        levels.set_estimate(LEVELS)?;
        alpha.set_estimate(ALPHA)?;
        beta.set_estimate(BETA)?;
        output.set_estimates(&[(0, w), (0, h), (0, channels)])?;
        match scheduling {
            Scheduling::Manual => {
                remap.compute_root()?;
                output
                    .reorder(&[&c, &x, &y])?
                    .split(&y, &yo, &y, 64)?
                    .parallel(&yo)?
                    .vectorize(&x, 8)?;
                gray.compute_root()?
                    .never_partition(&[&y])?
                    .parallel_tasks(&y, 32)?
                    .vectorize(&x, 8)?;
                // The four finest levels in strips beside the output; the
                // rest, tiny, computed whole. (Halide 21's app: the level-0
                // clone into level 1 came later, with a transitive clone_in.)
                for j in 1..5 {
                    in_pyramid[j]
                        .compute_root()?
                        .parallel_tasks(&y, 32)?
                        .vectorize(&x, 8)?;
                    g_pyramid[j]
                        .compute_root()?
                        .reorder_storage(&[&x, &k, &y])?
                        .reorder(&[&k, &y])?
                        .parallel_tasks(&y, 8)?
                        .vectorize(&x, 8)?;
                    out_g[j]
                        .store_at(&output, &yo)?
                        .compute_at(&output, &y)?
                        .fold_storage(&y, 4)?
                        .vectorize_with_tail(&x, 8, TailStrategy::RoundUp)?;
                    if j > 1 {
                        // Smaller code, no slower: the partitioned loops
                        // only pay off at the finest levels.
                        in_pyramid[j].never_partition_all()?;
                        g_pyramid[j].never_partition_all()?;
                    }
                }
                out_g[0]
                    .compute_at(&output, &y)?
                    .hoist_storage(&output, &yo)?
                    .vectorize_with_tail(&x, 8, TailStrategy::RoundUp)?;
                for j in 5..j_max {
                    in_pyramid[j].compute_root()?;
                    g_pyramid[j].compute_root()?.parallel(&k)?;
                    out_g[j].compute_root()?;
                }
            }
            Scheduling::Auto(scheduler) => autoschedule(&[&output], target, scheduler)?,
        }
        Pipeline::new(&[&output])
    }

    fn workload(&self, size: &[i32]) -> Result<Workload> {
        let size: [i32; 3] = extents(self.name(), size)?;
        // A gentle ramp with a little noise: detail for the filter to boost
        // (alpha = 1 boosts it several times over), while the outputs stay
        // well inside (0, 65535): off the clamps, and away from 0, where
        // one step of the 16-bit conversion is a large relative change.
        let [w, h, _] = size;
        let input = Buffer::from_fn(&size, |p| {
            let ramp = (p[0] + p[1]) as f32 / (w + h) as f32;
            ((0.4 + 0.1 * ramp + 0.02 * noise(p)) * 65535.0) as u16
        })?;
        Ok(Workload {
            inputs: vec![
                Input::Image(Image::U16(input)),
                Input::Float(ALPHA),
                Input::Float(BETA),
                Input::Int(LEVELS),
            ],
            output: Image::U16(Buffer::new(&size)?),
        })
    }

    fn reference(&self, workload: &Workload) -> Result<Image> {
        let (alpha, beta, levels) = match workload.inputs.as_slice() {
            [_, Input::Float(a), Input::Float(b), Input::Int(l)] => (*a, *b, *l),
            _ => {
                return Err(Error::invalid(
                    "local_laplacian takes input, alpha, beta and levels",
                ));
            }
        };
        match workload.image()? {
            Image::U16(input) => Ok(Image::U16(reference(input, alpha, beta, levels)?)),
            _ => Err(Error::invalid("local_laplacian's input is 16-bit")),
        }
    }
}

/// An inclusive range of coordinates.
type Span = (i32, i32);

/// The coordinates the upsampling of `span` reads at the coarser level.
fn up_span((lo, hi): Span) -> Span {
    ((lo - 1).div_euclid(2), (hi + 1).div_euclid(2))
}

/// The coordinates the downsampling to `span` reads at the finer level.
fn down_span((lo, hi): Span) -> Span {
    (2 * lo - 1, 2 * hi + 2)
}

/// A float image over `xs × ys`.
#[derive(Clone)]
struct Plane {
    xs: Span,
    ys: Span,
    v: Vec<f32>,
}

impl Plane {
    fn from_fn(xs: Span, ys: Span, mut f: impl FnMut(i32, i32) -> f32) -> Plane {
        let mut v = Vec::new();
        for y in ys.0..=ys.1 {
            for x in xs.0..=xs.1 {
                v.push(f(x, y));
            }
        }
        Plane { xs, ys, v }
    }

    fn at(&self, x: i32, y: i32) -> f32 {
        assert!(
            (self.xs.0..=self.xs.1).contains(&x) && (self.ys.0..=self.ys.1).contains(&y),
            "({x}, {y}) is outside the plane: the reference's bounds are wrong"
        );
        let w = self.xs.1 - self.xs.0 + 1;
        self.v[((y - self.ys.0) * w + (x - self.xs.0)) as usize]
    }

    /// The [1 3 3 1] downsampling onto `xs × ys`, in y and then in x.
    fn down(&self, xs: Span, ys: Span) -> Plane {
        let f = |a: f32, b: f32, c: f32, d: f32| (a + 3.0 * (b + c) + d) / 8.0;
        let dy = Plane::from_fn(down_span(xs), ys, |x, y| {
            let at = |yy: i32| self.at(x, yy);
            f(at(2 * y - 1), at(2 * y), at(2 * y + 1), at(2 * y + 2))
        });
        Plane::from_fn(xs, ys, |x, y| {
            let at = |xx: i32| dy.at(xx, y);
            f(at(2 * x - 1), at(2 * x), at(2 * x + 1), at(2 * x + 2))
        })
    }

    /// The bilinear upsampling onto `xs × ys`, in x and then in y.
    fn up(&self, xs: Span, ys: Span) -> Plane {
        let weight = |v: i32| (v.rem_euclid(2) * 2 + 1) as f32 / 4.0;
        let ux = Plane::from_fn(xs, up_span(ys), |x, y| {
            let at = |xx: i32| self.at(xx, y);
            lerp_f32(
                at((x + 1).div_euclid(2)),
                at((x - 1).div_euclid(2)),
                weight(x),
            )
        });
        Plane::from_fn(xs, ys, |x, y| {
            let at = |yy: i32| ux.at(x, yy);
            lerp_f32(
                at((y + 1).div_euclid(2)),
                at((y - 1).div_euclid(2)),
                weight(y),
            )
        })
    }
}

/// Halide's `lerp` for floats: `a * (1 - w) + b * w`.
fn lerp_f32(a: f32, b: f32, w: f32) -> f32 {
    a * (1.0 - w) + b * w
}

/// What the app computes, in plain Rust, for `input` (16-bit, 3
/// channels), detail gain `alpha`, tone gain `beta` and `levels`
/// intensity levels (at least 2).
///
/// ```
/// use halide::prelude::*;
/// use halide_apps::local_laplacian::reference;
/// // A flat image stays flat, whatever the gains.
/// let flat = Buffer::<u16>::from_fn(&[9, 7, 3], |_| 30000)?;
/// let out = reference(&flat, 2.0, 0.5, 8)?;
/// assert!(out.as_slice().iter().all(|&v| v == out.as_slice()[0]));
/// // With no detail gain and tones kept, it comes back, to a step.
/// let same = reference(&flat, 0.0, 1.0, 8)?;
/// assert!(same.as_slice().iter().all(|&v| v.abs_diff(30000) <= 1));
/// assert!(reference(&flat, 1.0, 1.0, 1).is_err());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn reference(input: &Buffer<u16>, alpha: f32, beta: f32, levels: i32) -> Result<Buffer<u16>> {
    let extent = |d: usize| input.dim(d).map_or(0, |d| d.extent);
    let (w, h) = (extent(0), extent(1));
    if w < 1 || h < 1 || input.dimensions() != 3 || extent(2) != 3 {
        return Err(Error::invalid(
            "local_laplacian takes a non-empty image of 3 channels",
        ));
    }
    if levels < 2 {
        return Err(Error::invalid("local_laplacian needs 2 levels or more"));
    }
    let j_max = PYRAMID_LEVELS;
    let floating = |x: i32, y: i32, c: i32| {
        let v = input.get(&[x.clamp(0, w - 1), y.clamp(0, h - 1), c]);
        f32::from(v.unwrap_or_default()) / 65535.0
    };
    let gray = |x: i32, y: i32| {
        0.299 * floating(x, y, 0) + 0.587 * floating(x, y, 1) + 0.114 * floating(x, y, 2)
    };
    // The remapping table, over the indices level 0 looks up.
    let top = levels - 1;
    let remap: Vec<f32> = (-top * 256..=top * 256)
        .map(|i| {
            let fx = i as f32 / 256.0;
            alpha * fx * (-fx * fx / 2.0).exp()
        })
        .collect();

    // Where each level is needed: `out` where the collapse reads it, and
    // `full` where the downsampling to the coarser levels reads it too.
    let mut out = vec![((0, w - 1), (0, h - 1))];
    for j in 1..j_max {
        let (xs, ys) = out[j - 1];
        out.push((up_span(xs), up_span(ys)));
    }
    let mut full = out.clone();
    for j in (0..j_max - 1).rev() {
        let (xs, ys) = full[j + 1];
        let hull = |a: Span, b: Span| (a.0.min(b.0), a.1.max(b.1));
        full[j] = (
            hull(full[j].0, down_span(xs)),
            hull(full[j].1, down_span(ys)),
        );
    }

    let scale = (levels - 1) as f32;
    let (xs, ys) = full[0];
    let mut in_pyramid = vec![Plane::from_fn(xs, ys, gray)];
    let gray_plane = in_pyramid[0].clone();
    // g_pyramid[j][k]: level j of the gray image remapped around k.
    let mut g_pyramid: Vec<Vec<Plane>> = vec![
        (0..levels)
            .map(|k| {
                let level = k as f32 * (1.0 / scale);
                Plane::from_fn(xs, ys, |x, y| {
                    let g = gray_plane.at(x, y);
                    let idx = ((g * scale * 256.0) as i32).clamp(0, top * 256);
                    beta * (g - level) + level + remap[(idx - 256 * k + top * 256) as usize]
                })
            })
            .collect(),
    ];
    for j in 1..j_max {
        let (xs, ys) = full[j];
        in_pyramid.push(in_pyramid[j - 1].down(xs, ys));
        let next = g_pyramid[j - 1].iter().map(|p| p.down(xs, ys)).collect();
        g_pyramid.push(next);
    }

    // The output's Laplacian pyramid, collapsed from the top down.
    let out_l = |j: usize| {
        let (xs, ys) = out[j];
        let laplacian: Vec<Plane> = (0..levels as usize)
            .map(|k| match g_pyramid.get(j + 1) {
                Some(coarser) => {
                    let up = coarser[k].up(xs, ys);
                    Plane::from_fn(xs, ys, |x, y| g_pyramid[j][k].at(x, y) - up.at(x, y))
                }
                None => g_pyramid[j][k].clone(),
            })
            .collect();
        Plane::from_fn(xs, ys, |x, y| {
            let level = in_pyramid[j].at(x, y) * scale;
            let li = (level as i32).clamp(0, levels - 2);
            let lf = level - li as f32;
            let at = |k: i32| laplacian[k as usize].at(x, y);
            (1.0 - lf) * at(li) + lf * at(li + 1)
        })
    };
    let mut out_g = out_l(j_max - 1);
    for j in (0..j_max - 1).rev() {
        let (xs, ys) = out[j];
        let up = out_g.up(xs, ys);
        let l = out_l(j);
        out_g = Plane::from_fn(xs, ys, |x, y| up.at(x, y) + l.at(x, y));
    }

    Ok(Buffer::from_fn(&[w, h, 3], |p| {
        let (x, y) = (p[0], p[1]);
        let v = f32::from(input.get(p).unwrap_or_default());
        let color = v * (out_g.at(x, y) + EPS) / (gray(x, y) + EPS);
        color.clamp(0.0, 65535.0) as u16
    })?)
}

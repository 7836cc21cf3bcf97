//! Halide's `bilateral_grid` app: an edge-preserving blur of a float gray
//! image (values in [0, 1]) through a bilateral grid. Each 8×8 block of
//! pixels is binned by intensity (bins `r_sigma` wide) into a 3-D grid
//! holding, per cell, the sum of the values and their count; the grid is
//! blurred by a 5-tap [1 4 6 4 1] filter along intensity, then x, then y;
//! each output pixel samples the grid trilinearly at its position and
//! intensity, and divides the blurred sum by the blurred count.

use crate::workload::{Image, Input, Workload};
use crate::{App, Scheduling, autoschedule, extents, noise};
use halide::boundary::repeat_edge;
use halide::math::{clamp, lerp, mux};
use halide::prelude::*;
use halide::{Error, MemoryType, Pipeline, Result};

/// The spatial size of a grid cell in pixels, the app's `s_sigma`.
pub const S_SIGMA: i32 = 8;

/// The width of an intensity bin, the app's default `r_sigma`.
pub const R_SIGMA: f32 = 0.1;

/// The output size the app's estimates describe (the input is as large).
pub const SIZE: [i32; 2] = [1536, 2560];

/// The bilateral grid app: `output(x, y)` for `input(x, y)` of the same
/// size and the bin width `r_sigma`.
pub struct BilateralGrid;

impl App for BilateralGrid {
    fn name(&self) -> &'static str {
        "bilateral_grid"
    }

    fn size(&self) -> &'static [i32] {
        &SIZE
    }

    fn test_size(&self) -> &'static [i32] {
        &[70, 45]
    }

    fn tolerance(&self) -> f64 {
        // The same sums in the same order, but LLVM may fuse the blurs'
        // and the lerps' multiply-adds, which Rust never does: a few ulps.
        1e-5
    }

    fn pipeline(&self, scheduling: Scheduling, target: &Target, size: &[i32]) -> Result<Pipeline> {
        let [w, h] = extents(self.name(), size)?;
        let [x, y, z, c] = Var::many(["x", "y", "z", "c"]);
        let input = ImageParam::new::<f32>(2, "input");
        let r_sigma = Param::<f32>::new("r_sigma");

        let clamped = repeat_edge(&input)?;
        let r = RDom::new("r", [(0, S_SIGMA), (0, S_SIGMA)])?;
        let (rx, ry) = (r.x(), r.y());
        let val = clamped.at((
            &x * S_SIGMA + &rx - S_SIGMA / 2,
            &y * S_SIGMA + &ry - S_SIGMA / 2,
        ));
        let val = clamp(val, 0.0f32, 1.0f32);
        let zi = (&val * (Expr::from(1.0f32) / &r_sigma) + 0.5f32).cast::<i32>();
        let mut histogram = Func::new("histogram");
        histogram.define([&x, &y, &z, &c], 0.0f32)?;
        let bin = (&x, &y, zi, &c);
        let sum = histogram.at(bin.clone()) + mux(&c, [val, Expr::from(1.0f32)]);
        histogram.update(bin, sum)?;

        // The [1 4 6 4 1] filter along one of the grid's first three axes.
        let taps = |f: &Func, axis: usize| -> Expr {
            let at = |d: i32| {
                let mut args = [&x, &y, &z, &c].map(|v| v.expr().clone());
                args[axis] = &args[axis] + d;
                f.at(args)
            };
            at(-2) + at(-1) * 4.0f32 + at(0) * 6.0f32 + at(1) * 4.0f32 + at(2)
        };
        let mut blurz = Func::new("blurz");
        blurz.define([&x, &y, &z, &c], taps(&histogram, 2))?;
        let mut blurx = Func::new("blurx");
        blurx.define([&x, &y, &z, &c], taps(&blurz, 0))?;
        let mut blury = Func::new("blury");
        blury.define([&x, &y, &z, &c], taps(&blurx, 1))?;

        let val = clamp(input.at((&x, &y)), 0.0f32, 1.0f32);
        let zv = &val * (Expr::from(1.0f32) / &r_sigma);
        let zi = zv.cast::<i32>();
        let zf = &zv - zi.cast::<f32>();
        let xf = (&x % S_SIGMA).cast::<f32>() / S_SIGMA as f32;
        let yf = (&y % S_SIGMA).cast::<f32>() / S_SIGMA as f32;
        let (xi, yi) = (&x / S_SIGMA, &y / S_SIGMA);
        let grid = |dx: i32, dy: i32, dz: i32| blury.at((&xi + dx, &yi + dy, &zi + dz, &c));
        // Bilinear in x and y on the intensity plane `dz` above zi.
        let plane = |dz: i32| {
            lerp(
                lerp(grid(0, 0, dz), grid(1, 0, dz), &xf),
                lerp(grid(0, 1, dz), grid(1, 1, dz), &xf),
                &yf,
            )
        };
        let mut interpolated = Func::new("interpolated");
        interpolated.define([&x, &y, &c], lerp(plane(0), plane(1), &zf))?;
        let mut output = Func::new("bilateral_grid");
        output.define(
            [&x, &y],
            interpolated.at((&x, &y, 0)) / interpolated.at((&x, &y, 1)),
        )?;

        input.set_estimates(&[(0, w), (0, h)])?;
        r_sigma.set_estimate(R_SIGMA)?;
        // The grid's intensity range for the default r_sigma, as the app
        // states it.
        histogram.set_estimate(&z, -2, 16)?;
        for f in [&mut blurz, &mut blurx, &mut blury] {
            f.set_estimate(&z, 0, 12)?;
        }
        output.set_estimates(&[(0, w), (0, h)])?;
        match scheduling {
            Scheduling::Manual => {
                blurz
                    .compute_at(&blurx, &y)?
                    .reorder(&[&c, &z, &x, &y])?
                    .vectorize(&x, 8)?
                    .unroll_loop(&c)?;
                histogram.compute_at(&blurz, &y)?;
                histogram
                    .update_stage(0)?
                    .reorder(&[&c, &rx, &ry, &x, &y])?
                    .unroll_loop(&c)?;
                blurx
                    .compute_root()?
                    .reorder(&[&c, &x, &z, &y])?
                    .parallel(&y)?
                    .vectorize(&x, 8)?
                    .unroll_loop(&c)?;
                blury
                    .compute_at(&output, &y)?
                    .store_in(MemoryType::Stack)?
                    .reorder(&[&c, &x, &y, &z])?
                    .reorder_storage(&[&c, &z, &x, &y])?
                    .vectorize(&x, 8)?
                    .unroll_loop(&c)?;
                output
                    .compute_root()?
                    .parallel_tasks(&y, 8)?
                    .vectorize(&x, 8)?;
            }
            Scheduling::Auto(scheduler) => autoschedule(&[&output], target, scheduler)?,
        }
        Pipeline::new(&[&output])
    }

    fn workload(&self, size: &[i32]) -> Result<Workload> {
        let size: [i32; 2] = extents(self.name(), size)?;
        Ok(Workload {
            inputs: vec![
                Input::Image(Image::F32(Buffer::from_fn(&size, noise)?)),
                Input::Float(R_SIGMA),
            ],
            output: Image::F32(Buffer::new(&size)?),
        })
    }

    fn reference(&self, workload: &Workload) -> Result<Image> {
        let r_sigma = match workload.inputs.get(1) {
            Some(Input::Float(r)) => *r,
            _ => return Err(Error::invalid("bilateral_grid's second input is r_sigma")),
        };
        match workload.image()? {
            Image::F32(input) => Ok(Image::F32(reference(input, r_sigma)?)),
            _ => Err(Error::invalid("bilateral_grid's input is float")),
        }
    }
}

/// A box of grid cells, each a (sum, count) pair; zero outside the box,
/// as the histogram is where no pixel fell.
struct Grid {
    min: [i32; 3],
    extent: [i32; 3],
    cells: Vec<[f32; 2]>,
}

impl Grid {
    fn new(min: [i32; 3], max: [i32; 3]) -> Self {
        let extent = [0, 1, 2].map(|d| max[d] - min[d] + 1);
        let n = extent.iter().map(|&e| e as usize).product();
        Grid {
            min,
            extent,
            cells: vec![[0.0; 2]; n],
        }
    }

    fn index(&self, p: [i32; 3]) -> Option<usize> {
        let mut i = 0usize;
        for d in (0..3).rev() {
            let q = p[d] - self.min[d];
            if q < 0 || q >= self.extent[d] {
                return None;
            }
            i = i * self.extent[d] as usize + q as usize;
        }
        Some(i)
    }

    fn get(&self, p: [i32; 3]) -> [f32; 2] {
        self.index(p).map_or([0.0; 2], |i| self.cells[i])
    }

    /// Every cell's position, in the order the cells are stored.
    fn positions(&self) -> impl Iterator<Item = [i32; 3]> + use<> {
        let (min, e) = (self.min, self.extent);
        (0..e[2]).flat_map(move |z| {
            (0..e[1])
                .flat_map(move |y| (0..e[0]).map(move |x| [min[0] + x, min[1] + y, min[2] + z]))
        })
    }

    /// The [1 4 6 4 1] filter of `self` along `axis`, over the same box.
    fn blur(&self, axis: usize) -> Grid {
        let mut out = Grid {
            min: self.min,
            extent: self.extent,
            cells: Vec::with_capacity(self.cells.len()),
        };
        for p in self.positions() {
            let at = |d: i32| {
                let mut q = p;
                q[axis] += d;
                self.get(q)
            };
            let cell = [0, 1]
                .map(|c| at(-2)[c] + at(-1)[c] * 4.0 + at(0)[c] * 6.0 + at(1)[c] * 4.0 + at(2)[c]);
            out.cells.push(cell);
        }
        out
    }
}

/// Halide's `lerp` for floats: `a * (1 - w) + b * w`.
fn lerp_f32(a: f32, b: f32, w: f32) -> f32 {
    a * (1.0 - w) + b * w
}

/// What the app computes, in plain Rust: the filtered image for `input`
/// (float, values clamped to [0, 1]) and intensity bins `r_sigma` wide.
///
/// ```
/// use halide::prelude::*;
/// // A flat image stays flat: every sample averages the one value.
/// let flat = Buffer::<f32>::from_fn(&[20, 12], |_| 0.25)?;
/// let out = halide_apps::bilateral_grid::reference(&flat, 0.1)?;
/// assert!(out.as_slice().iter().all(|&v| (v - 0.25).abs() < 1e-6));
/// assert!(halide_apps::bilateral_grid::reference(&flat, 0.0).is_err());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn reference(input: &Buffer<f32>, r_sigma: f32) -> Result<Buffer<f32>> {
    let extent = |d: usize| input.dim(d).map_or(0, |d| d.extent);
    let (w, h) = (extent(0), extent(1));
    if w < 1 || h < 1 || input.dimensions() != 2 {
        return Err(Error::invalid("bilateral_grid takes a non-empty 2-D image"));
    }
    if !(r_sigma > 0.0 && r_sigma.is_finite()) {
        return Err(Error::invalid("bilateral_grid's r_sigma is positive"));
    }
    let at = |x: i32, y: i32| {
        input
            .get(&[x.clamp(0, w - 1), y.clamp(0, h - 1)])
            .unwrap_or_default()
    };
    // The cells the output samples, and the blurs' 2-cell reach beyond.
    let top = (1.0f32 * (1.0 / r_sigma) + 0.5) as i32;
    let (nx, ny) = ((w - 1) / S_SIGMA, (h - 1) / S_SIGMA);
    let mut histogram = Grid::new([-2, -2, -2], [nx + 3, ny + 3, top + 3]);
    for gy in -2..=ny + 3 {
        for gx in -2..=nx + 3 {
            for ry in 0..S_SIGMA {
                for rx in 0..S_SIGMA {
                    let px = gx * S_SIGMA + rx - S_SIGMA / 2;
                    let py = gy * S_SIGMA + ry - S_SIGMA / 2;
                    let val = at(px, py).clamp(0.0, 1.0);
                    let zi = (val * (1.0 / r_sigma) + 0.5) as i32;
                    let i = histogram
                        .index([gx, gy, zi])
                        .ok_or_else(|| Error::invalid("a value outside the grid"))?;
                    let cell = &mut histogram.cells[i];
                    cell[0] += val;
                    cell[1] += 1.0;
                }
            }
        }
    }
    let blurred = histogram.blur(2).blur(0).blur(1);
    Ok(Buffer::from_fn(&[w, h], |p| {
        let (x, y) = (p[0], p[1]);
        let zv = at(x, y).clamp(0.0, 1.0) * (1.0 / r_sigma);
        let zi = zv as i32;
        let zf = zv - zi as f32;
        let xf = (x % S_SIGMA) as f32 / S_SIGMA as f32;
        let yf = (y % S_SIGMA) as f32 / S_SIGMA as f32;
        let (xi, yi) = (x / S_SIGMA, y / S_SIGMA);
        let channel = |c: usize| {
            let g = |dx: i32, dy: i32, dz: i32| blurred.get([xi + dx, yi + dy, zi + dz])[c];
            let plane = |dz: i32| {
                lerp_f32(
                    lerp_f32(g(0, 0, dz), g(1, 0, dz), xf),
                    lerp_f32(g(0, 1, dz), g(1, 1, dz), xf),
                    yf,
                )
            };
            lerp_f32(plane(0), plane(1), zf)
        };
        channel(0) / channel(1)
    })?)
}

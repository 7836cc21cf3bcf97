//! Halide's `harris` app: the Harris corner response of a float RGB image.
//! The gray image's derivatives `Ix` and `Iy` (3×3 Sobel taps, scaled by
//! 1/12) give the structure tensor's entries `Ix²`, `Iy²` and `Ix·Iy`,
//! each summed over a 3×3 window; the response is
//! `det - 0.04 · trace²` of that tensor. Each output pixel reads the input
//! two pixels around it, with no boundary condition, so the output sits
//! inside the input: as in the app, the input starts at 0 and the output at
//! `(3, 3)`, three smaller than the input on every side.

use crate::workload::{Image, Input, Workload};
use crate::{App, LUMA, Scheduling, autoschedule, extents, noise};
use halide::prelude::*;
use halide::{Error, Pipeline, Result};

/// The harris app.
pub struct Harris;

/// The output size the app's estimates describe: its 1536×2560 input less
/// a border of 3 on every side.
pub const SIZE: [i32; 2] = [1536 - 6, 2560 - 6];

/// Where the output starts, in the input's coordinates.
pub const BORDER: i32 = 3;

/// The weight of the trace² in the response.
const K: f32 = 0.04;

/// The derivative taps, one row (or column) of the 3×3 Sobel kernel divided
/// by 12, for offsets -1, 0 and +1 across the derivative.
const SOBEL: [f32; 3] = [1.0 / 12.0, 2.0 / 12.0, 1.0 / 12.0];

/// The 3×3 window's offsets, x offsets outer, in the order the sums add
/// them.
const WINDOW: [(i32, i32); 9] = [
    (-1, -1),
    (-1, 0),
    (-1, 1),
    (0, -1),
    (0, 0),
    (0, 1),
    (1, -1),
    (1, 0),
    (1, 1),
];

/// The terms added left to right, as one expression.
fn add_all(terms: impl IntoIterator<Item = Expr>) -> Result<Expr> {
    terms
        .into_iter()
        .reduce(|a, b| a + b)
        .ok_or_else(|| Error::invalid("an empty sum"))
}

impl App for Harris {
    fn name(&self) -> &'static str {
        "harris"
    }

    fn size(&self) -> &'static [i32] {
        &SIZE
    }

    fn test_size(&self) -> &'static [i32] {
        &[100, 80]
    }

    fn tolerance(&self) -> f64 {
        // The reference rounds every product and sum where LLVM may fuse
        // a multiply into the add after it, and the response cancels (det
        // against trace²): about 3e-6 apart on this machine's AVX2.
        2e-5
    }

    fn pipeline(&self, scheduling: Scheduling, target: &Target, size: &[i32]) -> Result<Pipeline> {
        let [w, h] = extents(self.name(), size)?;
        let [x, y, yi] = Var::many(["x", "y", "yi"]);
        let input = ImageParam::new::<f32>(3, "input");

        let mut gray = Func::new("gray");
        let channel = |c: i32| input.at((&x, &y, c)) * LUMA[c as usize];
        gray.define([&x, &y], channel(0) + channel(1) + channel(2))?;
        // Each derivative: the taps across it at -1 and +1, negative before
        // positive, for each offset along it, in the app's order.
        let g = |dx: i32, dy: i32| gray.at((&x + dx, &y + dy));
        let mut iy = Func::new("Iy");
        let iy_value = add_all((-1..=1).flat_map(|dx| {
            let tap = SOBEL[(dx + 1) as usize];
            [g(dx, -1) * -tap, g(dx, 1) * tap]
        }))?;
        iy.define([&x, &y], iy_value)?;
        let mut ix = Func::new("Ix");
        let ix_value = add_all((-1..=1).flat_map(|dy| {
            let tap = SOBEL[(dy + 1) as usize];
            [g(-1, dy) * -tap, g(1, dy) * tap]
        }))?;
        ix.define([&x, &y], ix_value)?;

        let product = |name: &str, a: &Func, b: &Func| -> Result<Func> {
            let mut f = Func::new(name);
            f.define([&x, &y], a.at([&x, &y]) * b.at([&x, &y]))?;
            Ok(f)
        };
        let ixx = product("Ixx", &ix, &ix)?;
        let iyy = product("Iyy", &iy, &iy)?;
        let ixy = product("Ixy", &ix, &iy)?;
        let sum3x3 = |name: &str, f: &Func| -> Result<Func> {
            let mut s = Func::new(name);
            let taps = WINDOW.iter().map(|&(dx, dy)| f.at((&x + dx, &y + dy)));
            s.define([&x, &y], add_all(taps)?)?;
            Ok(s)
        };
        let sxx = sum3x3("Sxx", &ixx)?;
        let syy = sum3x3("Syy", &iyy)?;
        let sxy = sum3x3("Sxy", &ixy)?;
        let at = |f: &Func| f.at([&x, &y]);
        let mut det = Func::new("det");
        det.define([&x, &y], at(&sxx) * at(&syy) - at(&sxy) * at(&sxy))?;
        let mut trace = Func::new("trace");
        trace.define([&x, &y], at(&sxx) + at(&syy))?;
        let mut output = Func::new("output");
        output.define([&x, &y], at(&det) - at(&trace) * K * at(&trace))?;

        input.set_estimates(&[(0, w + 2 * BORDER), (0, h + 2 * BORDER), (0, 3)])?;
        output.set_estimates(&[(BORDER, w), (BORDER, h)])?;
        match scheduling {
            Scheduling::Manual => {
                let vec = i32::try_from(target.natural_vector_size::<f32>()?)
                    .map_err(|_| Error::invalid("vector size out of range"))?;
                output
                    .split(&y, &y, &yi, 32)?
                    .parallel(&y)?
                    .vectorize(&x, vec)?;
                for f in [&mut gray, &mut ix, &mut iy] {
                    f.store_at(&output, &y)?
                        .compute_at(&output, &yi)?
                        .vectorize(&x, vec)?;
                }
                // Both derivatives read the same gray rows: one loop.
                ix.compute_with(&iy, &x)?;
            }
            Scheduling::Auto(scheduler) => autoschedule(&[&output], target, scheduler)?,
        }
        Pipeline::new(&[&output])
    }

    fn workload(&self, size: &[i32]) -> Result<Workload> {
        let [w, h] = extents(self.name(), size)?;
        let mut output = Buffer::new(&[w, h])?;
        output.set_min(&[BORDER, BORDER])?;
        Ok(Workload {
            inputs: vec![Input::Image(Image::F32(Buffer::from_fn(
                &[w + 2 * BORDER, h + 2 * BORDER, 3],
                noise,
            )?))],
            output: Image::F32(output),
        })
    }

    fn reference(&self, workload: &Workload) -> Result<Image> {
        match workload.image()? {
            Image::F32(input) => Ok(Image::F32(reference(input)?)),
            _ => Err(Error::invalid("harris's input is float")),
        }
    }
}

/// What the app computes, in plain Rust: the response for `input` (3
/// channels, starting at 0), [`BORDER`] smaller on every side and starting
/// at `(BORDER, BORDER)`.
///
/// ```
/// use halide::prelude::*;
/// use halide_apps::harris::reference;
/// // A vertical edge: a strong gradient in x alone, no corner.
/// let edge = Buffer::<f32>::from_fn(&[8, 7, 3], |c| if c[0] < 4 { 0.0 } else { 1.0 })?;
/// let out = reference(&edge)?;
/// assert_eq!(out.shape(), [2, 1]);
/// assert!(out.get(&[3, 3]).unwrap() < 0.0);
/// assert!(reference(&Buffer::<f32>::new(&[6, 6, 3])?).is_err());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn reference(input: &Buffer<f32>) -> Result<Buffer<f32>> {
    let extent = |d: usize| input.dim(d).map_or(0, |d| d.extent);
    let (w, h) = (extent(0) - 2 * BORDER, extent(1) - 2 * BORDER);
    if w < 1 || h < 1 || extent(2) != 3 {
        return Err(Error::invalid(
            "harris takes an image of 3 channels, at least 7×7",
        ));
    }
    let gray = |x: i32, y: i32| {
        let at = |c: i32| input.get(&[x, y, c]).unwrap_or_default();
        at(0) * LUMA[0] + at(1) * LUMA[1] + at(2) * LUMA[2]
    };
    // Each sum left to right in the pipeline's order, so the roundings
    // match but for fused multiply-adds.
    let iy = |x: i32, y: i32| {
        let taps = (-1..=1).flat_map(|dx| {
            let tap = SOBEL[(dx + 1) as usize];
            [gray(x + dx, y - 1) * -tap, gray(x + dx, y + 1) * tap]
        });
        taps.reduce(|a, b| a + b).unwrap_or_default()
    };
    let ix = |x: i32, y: i32| {
        let taps = (-1..=1).flat_map(|dy| {
            let tap = SOBEL[(dy + 1) as usize];
            [gray(x - 1, y + dy) * -tap, gray(x + 1, y + dy) * tap]
        });
        taps.reduce(|a, b| a + b).unwrap_or_default()
    };
    let sum3x3 = |f: &dyn Fn(i32, i32) -> f32, x: i32, y: i32| {
        let taps = WINDOW.iter().map(|&(dx, dy)| f(x + dx, y + dy));
        taps.reduce(|a, b| a + b).unwrap_or_default()
    };
    let ixx = |x: i32, y: i32| ix(x, y) * ix(x, y);
    let iyy = |x: i32, y: i32| iy(x, y) * iy(x, y);
    let ixy = |x: i32, y: i32| ix(x, y) * iy(x, y);
    let mut out = Buffer::from_fn(&[w, h], |c| {
        let (x, y) = (c[0] + BORDER, c[1] + BORDER);
        let (sxx, syy, sxy) = (sum3x3(&ixx, x, y), sum3x3(&iyy, x, y), sum3x3(&ixy, x, y));
        let det = sxx * syy - sxy * sxy;
        let trace = sxx + syy;
        det - trace * K * trace
    })?;
    out.set_min(&[BORDER, BORDER])?;
    Ok(out)
}

//! Halide's `blur` app: a 3×3 box blur of a 16-bit image, in its pure
//! form: two 3-tap passes, each sum (wrapping at 16 bits, as the app's
//! does) divided by 3. `output(x, y)` averages `input` over
//! `[x, x + 2] × [y, y + 2]`, so the input is two wider and taller than
//! the output.

use crate::workload::{Image, Input, Workload};
use crate::{App, Scheduling, autoschedule, extents, noise};
use halide::prelude::*;
use halide::{Error, Pipeline, Result};

/// The blur app.
pub struct Blur;

/// The output size the app's estimates describe (the input is 2 larger).
pub const SIZE: [i32; 2] = [1536, 2560];

impl App for Blur {
    fn name(&self) -> &'static str {
        "blur"
    }

    fn size(&self) -> &'static [i32] {
        &SIZE
    }

    fn test_size(&self) -> &'static [i32] {
        &[130, 67]
    }

    fn pipeline(&self, scheduling: Scheduling, target: &Target, size: &[i32]) -> Result<Pipeline> {
        let (_, mut blur_x, mut output) = funcs(size)?;
        let [x, y, yi] = Var::many(["x", "y", "yi"]);
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
        Pipeline::new(&[&output])
    }

    fn workload(&self, size: &[i32]) -> Result<Workload> {
        let [w, h] = extents(self.name(), size)?;
        Ok(Workload {
            inputs: vec![Input::Image(Image::U16(input(w + 2, h + 2)?))],
            output: Image::U16(Buffer::new(&[w, h])?),
        })
    }

    fn reference(&self, workload: &Workload) -> Result<Image> {
        match workload.image()? {
            Image::U16(input) => Ok(Image::U16(reference(input)?)),
            _ => Err(Error::invalid("the blur's input is 16-bit")),
        }
    }
}

/// The blur's input and its two Funcs, `blur_x` and the output, with the
/// estimates for outputs of `size`.
fn funcs(size: &[i32]) -> Result<(ImageParam, Func, Func)> {
    let [w, h] = extents(Blur.name(), size)?;
    let [x, y] = Var::many(["x", "y"]);
    let input = ImageParam::new::<u16>(2, "input");
    let mut blur_x = Func::new("blur_x");
    let row = input.at((&x, &y)) + input.at((&x + 1, &y)) + input.at((&x + 2, &y));
    blur_x.define([&x, &y], row / 3)?;
    let mut output = Func::new("blur_y");
    let column = blur_x.at([&x, &y]) + blur_x.at((&x, &y + 1)) + blur_x.at((&x, &y + 2));
    output.define([&x, &y], column / 3)?;
    input.set_estimates(&[(0, w + 2), (0, h + 2)])?;
    output.set_estimates(&[(0, w), (0, h)])?;
    Ok((input, blur_x, output))
}

/// The blur under the app's schedule retuned for wide vectors: the
/// target's natural vector width (32 lanes of u16 with AVX-512, where the
/// app's 8 was chosen for SSE) and strips of 32 rows. The apps benchmark
/// measures it beside the app's own.
///
/// ```
/// use halide::prelude::*;
/// let target = Target::host()?;
/// let tuned = halide_apps::blur::tuned(&target)?.compile(&target)?;
/// let input = halide_apps::blur::input(130, 66)?;
/// let mut out = Buffer::<u16>::new(&[128, 64])?;
/// tuned.call(halide::args![&input, &mut out])?;
/// assert_eq!(out.as_slice(), halide_apps::blur::reference(&input)?.as_slice());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn tuned(target: &Target) -> Result<Pipeline> {
    let (_, mut blur_x, mut output) = funcs(&SIZE)?;
    let [x, y, yi] = Var::many(["x", "y", "yi"]);
    let vec = i32::try_from(target.natural_vector_size::<u16>()?)
        .map_err(|_| Error::invalid("vector size out of range"))?;
    output
        .split(&y, &y, &yi, 32)?
        .parallel(&y)?
        .vectorize(&x, vec)?;
    blur_x
        .store_at(&output, &y)?
        .compute_at(&output, &yi)?
        .vectorize(&x, vec)?;
    Pipeline::new(&[&output])
}

/// The test image: `w × h` of noise over the whole 16-bit range.
pub fn input(w: i32, h: i32) -> Result<Buffer<u16>> {
    Ok(Buffer::from_fn(&[w, h], |c| (noise(c) * 65535.0) as u16)?)
}

/// What the app computes, in plain Rust: the output for `input`, two
/// smaller in each dimension.
///
/// ```
/// use halide::prelude::*;
/// let input = Buffer::<u16>::from_fn(&[4, 3], |c| (c[0] * 3) as u16)?;
/// assert_eq!(halide_apps::blur::reference(&input)?.as_slice(), &[3, 6]);
/// assert!(halide_apps::blur::reference(&Buffer::<u16>::new(&[2, 9])?).is_err());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn reference(input: &Buffer<u16>) -> Result<Buffer<u16>> {
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

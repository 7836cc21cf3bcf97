//! What an app runs over: its inputs and its output buffer, whatever their
//! element types, run through the Rust app's compiled pipeline or its C++
//! twin, and compared with another output or the plain Rust reference.

use crate::cpp::{CppApp, CppArg};
use halide::prelude::*;
use halide::{Arg, Error, IntoArg, Result};

/// An image of one of the element types the apps use.
#[derive(Debug)]
pub enum Image {
    /// 8-bit unsigned.
    U8(Buffer<u8>),
    /// 16-bit unsigned.
    U16(Buffer<u16>),
    /// 32-bit float.
    F32(Buffer<f32>),
}

/// Applies `$body` to the typed buffer inside an [`Image`].
macro_rules! with_buffer {
    ($image:expr, $b:ident => $body:expr) => {
        match $image {
            Image::U8($b) => $body,
            Image::U16($b) => $body,
            Image::F32($b) => $body,
        }
    };
}

impl Image {
    /// The element values, widened to `f64` (exactly: every element type
    /// here converts to `f64` without rounding).
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide_apps::workload::Image;
    /// let image = Image::U16(Buffer::from_vec(vec![1u16, 65535], &[2])?);
    /// assert_eq!(image.values(), [1.0, 65535.0]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn values(&self) -> Vec<f64> {
        with_buffer!(self, b => b.as_slice().iter().map(|&v| f64::from(v)).collect())
    }

    /// The shape.
    pub fn shape(&self) -> Vec<i32> {
        with_buffer!(self, b => b.shape())
    }

    fn arg(&self) -> Arg<'_> {
        with_buffer!(self, b => b.into_arg())
    }

    fn arg_mut(&mut self) -> Arg<'_> {
        with_buffer!(self, b => b.into_arg())
    }

    fn cpp_arg(&self) -> CppArg<'_> {
        with_buffer!(self, b => CppArg::input(b))
    }

    fn cpp_arg_mut(&mut self) -> CppArg<'_> {
        with_buffer!(self, b => CppArg::output(b))
    }
}

/// One input of an app, in the order of its pipeline's arguments.
#[derive(Debug)]
pub enum Input {
    /// An input image.
    Image(Image),
    /// A 32-bit integer parameter.
    Int(i32),
    /// A 32-bit float parameter.
    Float(f32),
}

impl Input {
    fn arg(&self) -> Arg<'_> {
        match self {
            Input::Image(image) => image.arg(),
            Input::Int(v) => v.into_arg(),
            Input::Float(v) => v.into_arg(),
        }
    }

    fn cpp_arg(&self) -> CppArg<'_> {
        match self {
            Input::Image(image) => image.cpp_arg(),
            Input::Int(v) => CppArg::int(*v),
            Input::Float(v) => CppArg::float(*v),
        }
    }
}

/// An app's inputs and its output buffer: one run's arguments.
#[derive(Debug)]
pub struct Workload {
    /// The inputs, in the pipeline's argument order.
    pub inputs: Vec<Input>,
    /// Where the output goes.
    pub output: Image,
}

impl Workload {
    /// Runs `callable`, the Rust app compiled, over the inputs into the
    /// output.
    pub fn run(&mut self, callable: &Callable) -> Result<()> {
        let mut args: Vec<Arg<'_>> = self.inputs.iter().map(Input::arg).collect();
        args.push(self.output.arg_mut());
        callable.call(&args)
    }

    /// Runs the app's C++ twin over the inputs into the output.
    pub fn run_cpp(&mut self, cpp: &CppApp) -> Result<()> {
        let mut args: Vec<CppArg<'_>> = self.inputs.iter().map(Input::cpp_arg).collect();
        args.push(self.output.cpp_arg_mut());
        cpp.call(&args)
    }

    /// The first input image.
    pub fn image(&self) -> Result<&Image> {
        self.inputs
            .iter()
            .find_map(|i| match i {
                Input::Image(image) => Some(image),
                _ => None,
            })
            .ok_or_else(|| Error::invalid("the app has no input image"))
    }
}

/// How far `got` is from `want`: the largest difference relative to
/// `max(|want|, floor)`, so values near zero are compared absolutely.
/// `Err` if the shapes differ.
///
/// ```
/// use halide::prelude::*;
/// use halide_apps::workload::{Image, distance};
/// let a = Image::F32(Buffer::from_vec(vec![1.0f32, 2.0], &[2])?);
/// let b = Image::F32(Buffer::from_vec(vec![1.0f32, 2.2], &[2])?);
/// assert!((distance(&a, &b, 1e-3)? - 0.2 / 2.2).abs() < 1e-6);
/// assert_eq!(distance(&a, &a, 1e-3)?, 0.0);
/// # Ok::<(), halide::Error>(())
/// ```
pub fn distance(got: &Image, want: &Image, floor: f64) -> Result<f64> {
    if got.shape() != want.shape() {
        return Err(Error::invalid(format!(
            "shapes differ: {:?} against {:?}",
            got.shape(),
            want.shape()
        )));
    }
    Ok(got
        .values()
        .iter()
        .zip(want.values())
        .map(|(g, w)| (g - w).abs() / w.abs().max(floor))
        .fold(0.0, f64::max))
}

/// Whether `a` and `b` hold the same bits: same shape, same element type,
/// equal values (floats compared by their bits).
pub fn identical(a: &Image, b: &Image) -> bool {
    match (a, b) {
        (Image::U8(a), Image::U8(b)) => a.shape() == b.shape() && a.as_slice() == b.as_slice(),
        (Image::U16(a), Image::U16(b)) => a.shape() == b.shape() && a.as_slice() == b.as_slice(),
        (Image::F32(a), Image::F32(b)) => {
            a.shape() == b.shape()
                && a.as_slice()
                    .iter()
                    .zip(b.as_slice())
                    .all(|(x, y)| x.to_bits() == y.to_bits())
        }
        _ => false,
    }
}

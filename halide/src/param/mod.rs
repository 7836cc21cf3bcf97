//! Pipeline inputs: image parameters and scalar parameters.

mod image;
mod scalar;

pub use image::{Dimension, ImageParam, OutputBuffer};
pub use scalar::{DynParam, Param};

use crate::convert::Scalar;

mod sealed {
    use super::image::ImageParamHandle;
    use super::scalar::ParamHandle;

    /// The shim handle of a pipeline input.
    pub enum InputHandle<'a> {
        Scalar(&'a ParamHandle),
        Buffer(&'a ImageParamHandle),
    }

    pub trait AsInput {
        fn input_handle(&self) -> InputHandle<'_>;
    }
}
pub(crate) use sealed::InputHandle;

/// An input of a pipeline, a [`Param`], [`DynParam`] or [`ImageParam`], as
/// listed by [`Pipeline::compile_with_inputs`](crate::Pipeline::compile_with_inputs)
/// and [`Aot::inputs`](crate::aot::Aot::inputs).
pub trait Input: sealed::AsInput {}

impl sealed::AsInput for DynParam {
    fn input_handle(&self) -> InputHandle<'_> {
        InputHandle::Scalar(self.handle())
    }
}
impl Input for DynParam {}

impl<T: Scalar> sealed::AsInput for Param<T> {
    fn input_handle(&self) -> InputHandle<'_> {
        InputHandle::Scalar(self.handle())
    }
}
impl<T: Scalar> Input for Param<T> {}

impl sealed::AsInput for ImageParam {
    fn input_handle(&self) -> InputHandle<'_> {
        InputHandle::Buffer(self.handle())
    }
}
impl Input for ImageParam {}

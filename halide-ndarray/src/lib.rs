//! ndarray arrays into and out of Halide pipelines without copies.
//!
//! ## Axis order
//!
//! Halide's dimension 0 is the innermost one: `f(x, y)` walks `x` fastest.
//! ndarray's standard (C) layout walks its *last* axis fastest. So, as in
//! Halide's Python bindings, an array's axes map to Halide dimensions in
//! reverse: an image `Array3<u8>` of shape `(height, width, channels)`
//! becomes a buffer with dimension 0 = channel, 1 = x, 2 = y.
//! [`AxisOrder::Same`] keeps ndarray's order instead (axis `i` is
//! dimension `i`), which suits Fortran-layout arrays.
//!
//! ## Inputs and outputs
//!
//! - [`AsBuffer::as_buffer`] views any array (any dimensionality, standard,
//!   Fortran, sliced, stepped, transposed or reversed) as a
//!   [`BufferRef`](halide_runtime::BufferRef), and [`AsBufferMut::as_buffer_mut`]
//!   as a [`BufferMut`](halide_runtime::BufferMut): the same memory, no copy.
//! - [`AsArray`] views a Halide buffer as an ndarray view, also without a copy.
//! - [`buffer_into_array`] and [`array_into_buffer`] move owned data across,
//!   copying only when the memory cannot change hands.
//! - With the default `jit` feature, [`realize_array`] and
//!   [`realize_into_array`] run a `halide::Func` straight into arrays.
//!
//! ```
//! use halide::prelude::*;
//! use halide_ndarray::{AsBuffer, realize_array};
//! use ndarray::{Array2, s};
//!
//! let (x, y) = (Var::new("x"), Var::new("y"));
//! let input = ImageParam::new::<f32>(2, "input");
//! let mut double = Func::new("double");
//! double.define([&x, &y], input.at((&x, &y)) * 2.0f32)?;
//!
//! let a = Array2::from_shape_fn((3, 4), |(i, j)| (10 * i + j) as f32);
//! let view = a.as_buffer()?;              // no copy: dimension 0 is a's last axis
//! let out: Array2<f32> = realize_array(&mut double, (3, 4), &[input.bind(&view)])?;
//! assert_eq!(out, &a * 2.0);
//!
//! // Strided and reversed views pass too, once the input accepts any stride.
//! input.dim(0).allow_any_stride()?;
//! let every_other = a.slice(s![.., ..;-2]);
//! let view = every_other.as_buffer()?;
//! let out: Array2<f32> = realize_array(&mut double, (3, 2), &[input.bind(&view)])?;
//! assert_eq!(out, &every_other * 2.0);
//! # Ok::<(), halide_ndarray::Error>(())
//! ```
//!
//! ## Features
#![doc = document_features::document_features!()]

mod error;
mod owned;
#[cfg(feature = "jit")]
mod realize;
mod view;

pub use error::Error;
pub use owned::{AsArray, array_into_buffer, buffer_into_array};
#[cfg(feature = "jit")]
pub use realize::{realize_array, realize_array_with, realize_into_array, realize_into_array_with};
pub use view::{AsBuffer, AsBufferMut};

/// How ndarray axes map to Halide dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AxisOrder {
    /// Axis `i` of an `n`-dimensional array is Halide dimension `n - 1 - i`:
    /// a standard-layout array's contiguous last axis is dimension 0. The
    /// convention of Halide's Python bindings, and the default.
    #[default]
    Reversed,
    /// Axis `i` is Halide dimension `i`: a Fortran-layout array's contiguous
    /// first axis is dimension 0.
    Same,
}

impl AxisOrder {
    /// Puts per-axis values into Halide's dimension order (or back: the
    /// mapping is its own inverse).
    pub(crate) fn arrange<T>(self, mut values: Vec<T>) -> Vec<T> {
        if self == AxisOrder::Reversed {
            values.reverse();
        }
        values
    }
}

//! JIT-compiled Funcs realized straight into arrays.

use crate::{AsBufferMut, AxisOrder, Error};
use halide::{Arg, Func};
use halide_runtime::{Element, HalideBufferMut};
use ndarray::{Array, ArrayBase, DataMut, Dimension, ShapeBuilder};

/// Realizes `func` over an array of `shape` (ndarray's axis order), reading
/// `inputs`, with the array's last axis as Halide dimension 0.
///
/// The result is a standard-layout array written by Halide in place.
pub fn realize_array<T: Element, Sh: ShapeBuilder>(
    func: &mut Func,
    shape: Sh,
    inputs: &[Arg<'_>],
) -> Result<Array<T, Sh::Dim>, Error> {
    realize_array_with(func, shape, inputs, AxisOrder::Reversed)
}

/// [`realize_array`] with axes mapped as `order` says; for
/// [`AxisOrder::Same`] the result has Fortran layout, so that Halide's
/// dimension 0 stays contiguous.
pub fn realize_array_with<T: Element, Sh: ShapeBuilder>(
    func: &mut Func,
    shape: Sh,
    inputs: &[Arg<'_>],
    order: AxisOrder,
) -> Result<Array<T, Sh::Dim>, Error> {
    let shape = match order {
        AxisOrder::Reversed => shape.into_shape_with_order(),
        AxisOrder::Same => shape.f(),
    };
    let mut out = Array::from_elem(shape, T::zeroed());
    realize_into_array_with(func, &mut out, inputs, order)?;
    Ok(out)
}

/// Realizes `func` into an existing array (or mutable view), reading `inputs`,
/// with the array's last axis as Halide dimension 0. For a GPU target the
/// result is copied back into the array before this returns.
pub fn realize_into_array<T: Element, S: DataMut<Elem = T>, D: Dimension>(
    func: &mut Func,
    out: &mut ArrayBase<S, D>,
    inputs: &[Arg<'_>],
) -> Result<(), Error> {
    realize_into_array_with(func, out, inputs, AxisOrder::Reversed)
}

/// [`realize_into_array`] with axes mapped as `order` says.
pub fn realize_into_array_with<T: Element, S: DataMut<Elem = T>, D: Dimension>(
    func: &mut Func,
    out: &mut ArrayBase<S, D>,
    inputs: &[Arg<'_>],
    order: AxisOrder,
) -> Result<(), Error> {
    let mut buffer = out.as_buffer_mut_with(order)?;
    func.realize_into_with(&mut buffer, inputs)?;
    // For a GPU target the result is on the device; the array only sees
    // it once it is copied back (the view's device memory is freed when
    // the view drops).
    buffer.copy_to_host().map_err(halide::Error::from)?;
    Ok(())
}

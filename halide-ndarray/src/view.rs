//! Arrays viewed as Halide buffers, in place.

use crate::{AxisOrder, Error};
use halide_runtime::{BufferMut, BufferRef, Dim, Element, INLINE_DIMS};
use ndarray::{ArrayBase, Data, DataMut, Dimension, RawData};

/// `f` of the Halide shape of an array: one [`Dim`] per axis, in `order`,
/// on the stack for up to [`INLINE_DIMS`] axes (as the buffer stores them),
/// so that viewing such an array allocates nothing.
pub(crate) fn with_dims<S: RawData, D: Dimension, R>(
    a: &ArrayBase<S, D>,
    order: AxisOrder,
    f: impl FnOnce(&[Dim]) -> R,
) -> Result<R, Error> {
    let n = a.ndim();
    let mut inline = [Dim::default(); INLINE_DIMS];
    let mut heap = Vec::new();
    let dims: &mut [Dim] = if n <= INLINE_DIMS {
        &mut inline[..n]
    } else {
        heap.resize(n, Dim::default());
        &mut heap
    };
    let axes = a.shape().iter().zip(a.strides());
    for (axis, (slot, (&len, &stride))) in dims.iter_mut().zip(axes).enumerate() {
        let extent = i32::try_from(len).map_err(|_| Error::TooLarge {
            what: format!("axis {axis} of length {len}"),
        })?;
        let stride = i32::try_from(stride).map_err(|_| Error::TooLarge {
            what: format!("stride {stride} of axis {axis}"),
        })?;
        *slot = Dim::new(0, extent, stride);
    }
    if order == AxisOrder::Reversed {
        dims.reverse();
    }
    Ok(f(dims))
}

/// Views an array as a read-only Halide buffer over the same memory.
pub trait AsBuffer<T: Element> {
    /// The buffer, with the array's last axis as Halide dimension 0
    /// ([`AxisOrder::Reversed`]).
    ///
    /// ```
    /// use halide_ndarray::AsBuffer;
    /// use halide_runtime::{Dim, HalideBuffer};
    /// let a = ndarray::Array2::<u8>::zeros((480, 640)); // height, width
    /// let b = a.as_buffer()?;
    /// assert_eq!(b.dim(0), Some(Dim::new(0, 640, 1)));   // x
    /// assert_eq!(b.dim(1), Some(Dim::new(0, 480, 640))); // y
    /// assert_eq!(b.raw().as_raw().host.cast_const(), a.as_ptr()); // a view, not a copy
    /// # Ok::<(), halide_ndarray::Error>(())
    /// ```
    fn as_buffer(&self) -> Result<BufferRef<'_, T>, Error> {
        self.as_buffer_with(AxisOrder::Reversed)
    }

    /// The buffer, with axes mapped to dimensions as `order` says.
    fn as_buffer_with(&self, order: AxisOrder) -> Result<BufferRef<'_, T>, Error>;
}

impl<T: Element, S: Data<Elem = T>, D: Dimension> AsBuffer<T> for ArrayBase<S, D> {
    fn as_buffer_with(&self, order: AxisOrder) -> Result<BufferRef<'_, T>, Error> {
        let host = self.as_ptr();
        // SAFETY: as_ptr() is the element at index 0 of every axis (Halide's
        // mins), and ndarray guarantees that every element the shape and
        // strides reach is initialised and readable while `self` is borrowed.
        Ok(with_dims(self, order, |dims| unsafe {
            BufferRef::from_raw_parts(host, dims)
        })??)
    }
}

/// Views an array as a writable Halide buffer over the same memory.
pub trait AsBufferMut<T: Element> {
    /// The buffer, with the array's last axis as Halide dimension 0.
    fn as_buffer_mut(&mut self) -> Result<BufferMut<'_, T>, Error> {
        self.as_buffer_mut_with(AxisOrder::Reversed)
    }

    /// The buffer, with axes mapped to dimensions as `order` says.
    fn as_buffer_mut_with(&mut self, order: AxisOrder) -> Result<BufferMut<'_, T>, Error>;
}

impl<T: Element, S: DataMut<Elem = T>, D: Dimension> AsBufferMut<T> for ArrayBase<S, D> {
    fn as_buffer_mut_with(&mut self, order: AxisOrder) -> Result<BufferMut<'_, T>, Error> {
        let host = self.as_mut_ptr();
        // SAFETY: as in as_buffer_with; as_mut_ptr() also makes shared
        // storage unique, and `self` is borrowed mutably for the buffer's
        // life. Arrays with mutable access never alias their elements.
        Ok(with_dims(self, order, |dims| unsafe {
            BufferMut::from_raw_parts(host, dims)
        })??)
    }
}

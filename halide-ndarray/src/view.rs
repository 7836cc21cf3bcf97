//! Arrays viewed as Halide buffers, in place.

use crate::{AxisOrder, Error};
use halide_runtime::{BufferMut, BufferRef, Dim, Element, INLINE_DIMS};
use ndarray::{ArrayBase, Data, DataMut, Dimension, RawData};

/// The Halide shape of an array, on the stack for up to [`INLINE_DIMS`]
/// axes (as the buffer stores them), so that viewing such an array
/// allocates nothing.
pub(crate) struct Shape {
    inline: [Dim; INLINE_DIMS],
    /// Used beyond `INLINE_DIMS` axes (an empty `Vec` allocates nothing).
    heap: Vec<Dim>,
    len: usize,
}

impl Shape {
    /// One [`Dim`] per axis of `a`, in `order`.
    #[inline(always)]
    pub(crate) fn of<S: RawData, D: Dimension>(
        a: &ArrayBase<S, D>,
        order: AxisOrder,
    ) -> Result<Shape, Error> {
        let len = a.ndim();
        let mut shape = Shape {
            inline: [Dim::default(); INLINE_DIMS],
            heap: Vec::new(),
            len,
        };
        if len > INLINE_DIMS {
            shape.heap.resize(len, Dim::default());
        }
        let dims = shape.dims_mut();
        let axes = a.shape().iter().zip(a.strides());
        for (axis, (slot, (&len, &stride))) in dims.iter_mut().zip(axes).enumerate() {
            match (i32::try_from(len), i32::try_from(stride)) {
                (Ok(extent), Ok(stride)) => *slot = Dim::new(0, extent, stride),
                _ => return Err(too_large(axis, len, stride)),
            }
        }
        if order == AxisOrder::Reversed {
            dims.reverse();
        }
        Ok(shape)
    }

    #[inline(always)]
    fn dims_mut(&mut self) -> &mut [Dim] {
        if self.len <= INLINE_DIMS {
            &mut self.inline[..self.len]
        } else {
            &mut self.heap
        }
    }

    /// The dimensions, Halide's dimension 0 first.
    #[inline(always)]
    pub(crate) fn dims(&self) -> &[Dim] {
        if self.len <= INLINE_DIMS {
            &self.inline[..self.len]
        } else {
            &self.heap
        }
    }
}

/// The error for an axis whose length or stride does not fit Halide's
/// 32 bits; out of line, off the path of every view.
#[cold]
#[inline(never)]
fn too_large(axis: usize, len: usize, stride: isize) -> Error {
    let what = if i32::try_from(len).is_err() {
        format!("axis {axis} of length {len}")
    } else {
        format!("stride {stride} of axis {axis}")
    };
    Error::TooLarge { what }
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
    #[inline]
    fn as_buffer(&self) -> Result<BufferRef<'_, T>, Error> {
        self.as_buffer_with(AxisOrder::Reversed)
    }

    /// The buffer, with axes mapped to dimensions as `order` says.
    fn as_buffer_with(&self, order: AxisOrder) -> Result<BufferRef<'_, T>, Error>;
}

impl<T: Element, S: Data<Elem = T>, D: Dimension> AsBuffer<T> for ArrayBase<S, D> {
    #[inline]
    fn as_buffer_with(&self, order: AxisOrder) -> Result<BufferRef<'_, T>, Error> {
        let shape = Shape::of(self, order)?;
        // SAFETY: as_ptr() is the element at index 0 of every axis (Halide's
        // mins), and ndarray guarantees that every element the shape and
        // strides reach is initialised and readable while `self` is borrowed.
        Ok(unsafe { BufferRef::from_raw_parts(self.as_ptr(), shape.dims()) }?)
    }
}

/// Views an array as a writable Halide buffer over the same memory.
pub trait AsBufferMut<T: Element> {
    /// The buffer, with the array's last axis as Halide dimension 0.
    #[inline]
    fn as_buffer_mut(&mut self) -> Result<BufferMut<'_, T>, Error> {
        self.as_buffer_mut_with(AxisOrder::Reversed)
    }

    /// The buffer, with axes mapped to dimensions as `order` says.
    fn as_buffer_mut_with(&mut self, order: AxisOrder) -> Result<BufferMut<'_, T>, Error>;
}

impl<T: Element, S: DataMut<Elem = T>, D: Dimension> AsBufferMut<T> for ArrayBase<S, D> {
    #[inline]
    fn as_buffer_mut_with(&mut self, order: AxisOrder) -> Result<BufferMut<'_, T>, Error> {
        let shape = Shape::of(self, order)?;
        // SAFETY: as in as_buffer_with; as_mut_ptr() also makes shared
        // storage unique, and `self` is borrowed mutably for the buffer's
        // life. Arrays with mutable access never alias their elements.
        Ok(unsafe { BufferMut::from_raw_parts(self.as_mut_ptr(), shape.dims()) }?)
    }
}

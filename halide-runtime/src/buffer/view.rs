//! [`BufferRef`] and [`BufferMut`]: buffers over borrowed memory.
//!
//! The two differ only in the borrow they stand for, `&'a [T]` or
//! `&'a mut [T]`. Their constructors share the shape checks and the building
//! of the `RawBuffer` (`slice_raw`, `parts_raw`); their trait impls come
//! from `buffer_traits!`. Each holds its borrow as a `PhantomData`, which
//! also gives it exactly the `Send` and `Sync` of that reference.

use super::{Dim, RawBuffer, ShapeError, buffer_traits, dense_dims};
use crate::types::Element;
use std::marker::PhantomData;

/// A read-only Halide view of a borrowed slice.
///
/// ```
/// use halide_runtime::{BufferRef, Dim, HalideBuffer};
/// let data: Vec<u8> = (0..12).collect();
/// let img = BufferRef::new(&data, &[4, 3]).unwrap(); // 4 wide, 3 high
/// assert_eq!(img.get(&[1, 2]), Some(9));
/// // A transposed view of the same memory: no copy.
/// let t = BufferRef::with_dims(&data, &[Dim::new(0, 3, 4), Dim::new(0, 4, 1)], 0).unwrap();
/// assert_eq!(t.get(&[2, 1]), Some(9));
/// // Shapes that reach outside the slice are refused.
/// assert!(BufferRef::new(&data, &[4, 4]).is_err());
/// ```
pub struct BufferRef<'a, T: Element> {
    pub(super) raw: RawBuffer,
    _data: PhantomData<&'a [T]>,
}

/// A writable Halide view of a mutably borrowed slice.
///
/// ```
/// use halide_runtime::{BufferMut, HalideBuffer, HalideBufferMut};
/// let mut data = vec![0f32; 6];
/// let mut out = BufferMut::new(&mut data, &[3, 2]).unwrap();
/// out.set(&[2, 1], 1.5).unwrap();
/// drop(out);
/// assert_eq!(data[5], 1.5);
/// ```
pub struct BufferMut<'a, T: Element> {
    pub(super) raw: RawBuffer,
    _data: PhantomData<&'a mut [T]>,
}

buffer_traits!(BufferRef<'_>);
buffer_traits!(BufferMut<'_>, mut);

impl<'a, T: Element> BufferRef<'a, T> {
    /// A dense view: `shape[0]` elements per row, dimension 0 innermost.
    pub fn new(data: &'a [T], shape: &[i32]) -> Result<Self, ShapeError> {
        Self::with_dims(data, &dense_dims(shape)?, 0)
    }

    /// A view with explicit mins, extents and strides, whose element at the
    /// mins is `data[offset]`. Every element the shape reaches must lie in `data`.
    pub fn with_dims(data: &'a [T], dims: &[Dim], offset: usize) -> Result<Self, ShapeError> {
        slice_raw(data.as_ptr(), data.len(), dims, offset).map(Self::borrowing)
    }

    /// A view of memory described by a pointer and a shape, for bridges to
    /// other array types whose views are not slices.
    ///
    /// # Safety
    ///
    /// `host` points at the element at the mins, and every element the
    /// shape addresses is initialised, valid for reads, and not written
    /// through any other path for `'a`.
    #[inline]
    pub unsafe fn from_raw_parts(host: *const T, dims: &[Dim]) -> Result<Self, ShapeError> {
        parts_raw(host, dims).map(Self::borrowing)
    }

    /// Ties `raw`, whose elements the caller has checked or vouched for, to
    /// the shared borrow `'a`.
    #[inline]
    pub(super) fn borrowing(raw: RawBuffer) -> Self {
        BufferRef {
            raw,
            _data: PhantomData,
        }
    }
}

impl<'a, T: Element> BufferMut<'a, T> {
    /// A dense view: `shape[0]` elements per row, dimension 0 innermost.
    pub fn new(data: &'a mut [T], shape: &[i32]) -> Result<Self, ShapeError> {
        Self::with_dims(data, &dense_dims(shape)?, 0)
    }

    /// A view with explicit mins, extents and strides, whose element at the
    /// mins is `data[offset]`. Every element the shape reaches must lie in `data`.
    pub fn with_dims(data: &'a mut [T], dims: &[Dim], offset: usize) -> Result<Self, ShapeError> {
        slice_raw(data.as_mut_ptr(), data.len(), dims, offset).map(Self::borrowing)
    }

    /// A writable view of memory described by a pointer and a shape.
    ///
    /// # Safety
    ///
    /// `host` points at the element at the mins, and every element the
    /// shape addresses is initialised, valid for reads and writes, and not
    /// accessed through any other path for `'a`.
    #[inline]
    pub unsafe fn from_raw_parts(host: *mut T, dims: &[Dim]) -> Result<Self, ShapeError> {
        parts_raw(host, dims).map(Self::borrowing)
    }

    /// Ties `raw`, whose elements the caller has checked or vouched for, to
    /// the exclusive borrow `'a`. The borrowed memory outlives the view, so
    /// data a pipeline leaves on a device the view owns is copied back to
    /// it on drop.
    #[inline]
    pub(super) fn borrowing(mut raw: RawBuffer) -> Self {
        raw.keep_host_current();
        BufferMut {
            raw,
            _data: PhantomData,
        }
    }
}

/// The `RawBuffer` of a view into the `len` elements from `start`, with its
/// element at the mins `offset` elements in, once the shape is checked to
/// reach only those elements. Keeps write permission when `start` has it.
fn slice_raw<T: Element>(
    start: *const T,
    len: usize,
    dims: &[Dim],
    offset: usize,
) -> Result<RawBuffer, ShapeError> {
    check_within(dims, offset, len)?;
    // wrapping_add: for an empty shape offset may be len or more; the host
    // pointer is never dereferenced then.
    Ok(RawBuffer::new(start.wrapping_add(offset), dims))
}

/// The `RawBuffer` of a view from a pointer: the shape is checked for
/// negative extents; the caller vouches for the memory.
#[inline]
fn parts_raw<T: Element>(host: *const T, dims: &[Dim]) -> Result<RawBuffer, ShapeError> {
    reach(dims)?;
    Ok(RawBuffer::new(host, dims))
}

/// The lowest and highest element offsets (relative to the host pointer)
/// that `dims` can address, or `None` when some extent is zero.
#[inline]
pub(super) fn reach(dims: &[Dim]) -> Result<Option<(i64, i64)>, ShapeError> {
    let (mut lo, mut hi) = (0i64, 0i64);
    for (d, dim) in dims.iter().enumerate() {
        if dim.extent < 0 {
            return Err(ShapeError::NegativeExtent {
                dim: d,
                extent: dim.extent,
            });
        }
        if dim.extent == 0 {
            return Ok(None);
        }
        let span = i64::from(dim.stride) * i64::from(dim.extent - 1);
        if span >= 0 {
            hi += span;
        } else {
            lo += span;
        }
    }
    Ok(Some((lo, hi)))
}

/// Checks that `dims`, with the host pointer at `offset` elements into a
/// slice of `len` elements, only reaches inside the slice.
fn check_within(dims: &[Dim], offset: usize, len: usize) -> Result<(), ShapeError> {
    let Some((lo, hi)) = reach(dims)? else {
        return Ok(());
    };
    let base = i64::try_from(offset).map_err(|_| ShapeError::TooLarge)?;
    let (lowest, highest) = (base + lo, base + hi);
    if lowest < 0 || highest >= len as i64 {
        return Err(ShapeError::OutOfBounds {
            lowest,
            highest,
            len,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::{HalideBuffer, HalideBufferMut};

    #[test]
    fn reach_spans_both_directions() {
        let dims = [Dim::new(0, 3, -4), Dim::new(7, 4, 1)];
        assert_eq!(reach(&dims), Ok(Some((-8, 3))));
        assert_eq!(reach(&[Dim::new(0, 0, 9), Dim::new(0, -1, 1)]), Ok(None));
        assert!(reach(&[Dim::new(0, -1, 1)]).is_err());
        assert_eq!(check_within(&dims, 8, 12), Ok(()));
        assert_eq!(
            check_within(&dims, 7, 12),
            Err(ShapeError::OutOfBounds {
                lowest: -1,
                highest: 10,
                len: 12
            })
        );
    }

    #[test]
    fn borrowed_views_check_bounds() {
        let data = [1u16, 2, 3, 4, 5, 6];
        // Reversed along dimension 0: stride -1 from the last element.
        let rev = BufferRef::with_dims(&data, &[Dim::new(0, 6, -1)], 5).unwrap();
        assert_eq!(rev.get(&[0]), Some(6));
        assert_eq!(rev.get(&[5]), Some(1));
        assert!(BufferRef::with_dims(&data, &[Dim::new(0, 6, -1)], 4).is_err());
        // Broadcast: stride 0.
        let b = BufferRef::with_dims(&data, &[Dim::new(0, 100, 0)], 2).unwrap();
        assert_eq!(b.get(&[99]), Some(3));
        // Empty shapes never reach memory.
        assert!(BufferRef::with_dims(&data, &[Dim::new(0, 0, 1000)], 6).is_ok());
        assert!(matches!(
            BufferRef::new(&data, &[7]),
            Err(ShapeError::OutOfBounds { .. })
        ));
    }

    #[test]
    fn set_checks_coordinates() {
        let mut data = [0u8; 4];
        let mut m = BufferMut::new(&mut data, &[2, 2]).unwrap();
        assert!(m.set(&[2, 0], 1).is_err());
        assert!(matches!(
            m.set(&[0], 1),
            Err(ShapeError::WrongDimensions { .. })
        ));
        m.set(&[1, 1], 9).unwrap();
        assert!(format!("{m:?}").starts_with("BufferMut"));
        assert_eq!(data, [0, 0, 0, 9]);
    }

    #[test]
    fn raw_parts_views() {
        let mut data = [0i32, 1, 2, 3, 4, 5];
        // SAFETY: the shape reaches elements 1, 3 and 5 of data, borrowed for the view's life.
        let view =
            unsafe { BufferRef::from_raw_parts(data.as_ptr().add(5), &[Dim::new(0, 3, -2)]) }
                .unwrap();
        assert_eq!((view.get(&[0]), view.get(&[2])), (Some(5), Some(1)));
        assert!(format!("{view:?}").starts_with("BufferRef"));
        // SAFETY: the shape reaches elements 0 and 3, borrowed exclusively for the view's life.
        let mut m =
            unsafe { BufferMut::from_raw_parts(data.as_mut_ptr(), &[Dim::new(0, 2, 3)]) }.unwrap();
        m.set(&[1], 30).unwrap();
        assert_eq!(data[3], 30);
    }
}

//! Shape operations in place: each buffer kind changes its own shape, and
//! [`BufferRef`] makes views that borrow its data rather than itself.
//!
//! Every kind can relabel its elements in place (translate, transpose,
//! permute, reverse the axes, add dimensions of extent 1); these keep any
//! device memory, whose layout they do not change. The views can also crop
//! and slice in place. An owned [`Buffer`] cannot: its storage must stay
//! the dense block from its host pointer that `as_slice` returns; crop or
//! slice a view of it instead (`cropped`, `cropped_mut`).

use super::shape_ops::{Reshape, reshape_in_place, view_raw};
use super::{Buffer, BufferMut, BufferRef, RawBuffer, ShapeError};
use crate::types::Element;

/// The start of every example below: `b` holds `x + 10 * y` at `(x, y)`,
/// 4 wide and 3 high.
macro_rules! example {
    (Buffer) => {
        "let mut b = Buffer::<u8>::from_fn(&[4, 3], |c| (c[0] + 10 * c[1]) as u8)?;"
    };
    (BufferRef) => {
        "let data: Vec<u8> = (0..3).flat_map(|y| (0..4).map(move |x| x + 10 * y)).collect();\n\
         let mut b = BufferRef::new(&data, &[4, 3])?;"
    };
    (BufferMut) => {
        "let mut data: Vec<u8> = (0..3).flat_map(|y| (0..4).map(move |x| x + 10 * y)).collect();\n\
         let mut b = BufferMut::new(&mut data, &[4, 3])?;"
    };
}

/// Doc text: a summary, then an example that sets up `b` for `$ty` and runs `$body`.
macro_rules! doc_example {
    ($ty:ident, $summary:literal, $body:literal) => {
        concat!(
            $summary,
            "\n\n```\nuse halide_runtime::{Buffer, BufferMut, BufferRef, HalideBuffer, HalideBufferExt};\n",
            example!($ty),
            "\n",
            $body,
            "\n# Ok::<(), halide_runtime::ShapeError>(())\n```"
        )
    };
}

/// The in-place relabelings, for `$ty` (`Buffer`, `BufferRef`, `BufferMut`).
macro_rules! relabel_in_place {
    ($ty:ident $(<$lt:lifetime>)?) => {
        impl<$($lt,)? T: Element> $ty<$($lt,)? T> {
            #[doc = doc_example!($ty,
                "Moves the coordinates of dimension `dim` by `delta`: the element at `x` is then at `x + delta`.",
                "b.translate(0, 10)?;\nassert_eq!(b.get(&[11, 2]), Some(21));\nassert!(b.translate(0, i32::MAX).is_err());")]
            pub fn translate(&mut self, dim: usize, delta: i32) -> Result<(), ShapeError> {
                reshape_in_place::<T>(&mut self.raw, |s| s.translate(dim, delta))
            }

            #[doc = doc_example!($ty,
                "Translates every dimension `d` by `deltas[d]`; all or none.",
                "b.translate_all(&[10, 20])?;\nassert_eq!(b.get(&[11, 22]), Some(21));")]
            pub fn translate_all(&mut self, deltas: &[i32]) -> Result<(), ShapeError> {
                reshape_in_place::<T>(&mut self.raw, |s| s.translate_all(deltas))
            }

            #[doc = doc_example!($ty,
                "Swaps dimensions `d1` and `d2`.",
                "b.transpose(0, 1)?;\nassert_eq!(b.shape(), [3, 4]);\nassert_eq!(b.get(&[2, 1]), Some(21));")]
            pub fn transpose(&mut self, d1: usize, d2: usize) -> Result<(), ShapeError> {
                reshape_in_place::<T>(&mut self.raw, |s| s.transpose(d1, d2))
            }

            #[doc = doc_example!($ty,
                "Reorders the dimensions: dimension `i` becomes what dimension `order[i]` was. `order` names each dimension once.",
                "b.permute(&[1, 0])?;\nassert_eq!(b.get(&[2, 1]), Some(21));\nassert!(b.permute(&[1, 1]).is_err());")]
            pub fn permute(&mut self, order: &[usize]) -> Result<(), ShapeError> {
                reshape_in_place::<T>(&mut self.raw, |s| s.permute(order))
            }

            #[doc = doc_example!($ty,
                "Reverses the order of the dimensions, the last becoming dimension 0.",
                "b.reverse_axes();\nassert_eq!(b.shape(), [3, 4]);\nassert_eq!(b.get(&[2, 1]), Some(21));")]
            pub fn reverse_axes(&mut self) {
                reshape_in_place::<T>(&mut self.raw, |s| {
                    s.reverse_axes();
                    Ok(())
                })
                .expect("reversing the axes keeps the elements where they are");
            }

            #[doc = doc_example!($ty,
                "Inserts a dimension of extent 1 at coordinate `pos` before dimension `dim` (`dim == dimensions()` appends it).",
                "b.embed(0, 5)?;\nassert_eq!(b.shape(), [1, 4, 3]);\nassert_eq!(b.get(&[5, 1, 2]), Some(21));")]
            pub fn embed(&mut self, dim: usize, pos: i32) -> Result<(), ShapeError> {
                reshape_in_place::<T>(&mut self.raw, |s| s.embed(dim, pos))
            }

            #[doc = doc_example!($ty,
                "Appends a dimension of extent 1 at coordinate 0.",
                "b.add_dimension();\nassert_eq!(b.shape(), [4, 3, 1]);\nassert_eq!(b.get(&[1, 2, 0]), Some(21));")]
            pub fn add_dimension(&mut self) {
                reshape_in_place::<T>(&mut self.raw, |s| {
                    s.add_dimension();
                    Ok(())
                })
                .expect("adding a dimension keeps the elements where they are");
            }
        }
    };
}

/// In-place crop and slice, for the views.
macro_rules! crop_in_place {
    ($ty:ident<$lt:lifetime>) => {
        impl<$lt, T: Element> $ty<$lt, T> {
            #[doc = doc_example!($ty,
                "Keeps only coordinates `min..min + extent` of dimension `dim`, which must lie inside the current range. Refused for a view that owns device memory.",
                "b.crop(0, 1, 2)?;\nassert_eq!(b.shape(), [2, 3]);\nassert_eq!(b.get(&[1, 2]), Some(21));\nassert_eq!(b.get(&[0, 2]), None);\nassert!(b.crop(0, 0, 2).is_err());")]
            pub fn crop(&mut self, dim: usize, min: i32, extent: i32) -> Result<(), ShapeError> {
                reshape_in_place::<T>(&mut self.raw, |s| s.crop(dim, min, extent))
            }

            #[doc = doc_example!($ty,
                "Keeps only coordinate `pos` of dimension `dim`, and removes that dimension. Refused for a view that owns device memory.",
                "b.slice(1, 2)?;\nassert_eq!(b.shape(), [4]);\nassert_eq!(b.get(&[1]), Some(21));")]
            pub fn slice(&mut self, dim: usize, pos: i32) -> Result<(), ShapeError> {
                reshape_in_place::<T>(&mut self.raw, |s| s.slice(dim, pos))
            }
        }
    };
}

relabel_in_place!(Buffer);
relabel_in_place!(BufferRef<'a>);
relabel_in_place!(BufferMut<'a>);
crop_in_place!(BufferRef<'a>);
crop_in_place!(BufferMut<'a>);

/// Doc text for a `BufferRef` view that outlives the `BufferRef`.
macro_rules! lasting_doc {
    ($name:literal, $body:literal) => {
        concat!(
            "[`HalideBufferExt::",
            $name,
            "`](super::HalideBufferExt::",
            $name,
            "), as a view that borrows the data for `'a` rather than borrowing this `BufferRef`.",
            "\n\n```\nuse halide_runtime::{BufferRef, HalideBuffer, HalideBufferExt};\n",
            "let data: Vec<u8> = (0..3).flat_map(|y| (0..4).map(move |x| x + 10 * y)).collect();\n",
            "let view = {\n    let b = BufferRef::new(&data, &[4, 3])?;\n    ",
            $body,
            "\n}; // b is gone; the view lives on\n",
            "assert_eq!(view.get(&[1, 2]), Some(21));\n",
            "# Ok::<(), halide_runtime::ShapeError>(())\n```"
        )
    };
}

impl<'a, T: Element> BufferRef<'a, T> {
    /// A view of the same data transformed by `f`, for `'a`: it reaches only
    /// elements `self` does (see `shape_ops`), borrowed shared for `'a`, as
    /// is the device memory it shares, which is that of the buffer `self`
    /// views, not `self`'s own crop of it (see `RawBuffer::lend_device`).
    fn lasting(
        &self,
        f: impl FnOnce(&mut Reshape) -> Result<(), ShapeError>,
    ) -> Result<BufferRef<'a, T>, ShapeError> {
        view_raw::<T>(&self.raw, f).map(BufferRef::borrowing)
    }

    #[doc = lasting_doc!("cropped", "b.cropped(0, 1, 2)?")]
    pub fn cropped(
        &self,
        dim: usize,
        min: i32,
        extent: i32,
    ) -> Result<BufferRef<'a, T>, ShapeError> {
        self.lasting(|s| s.crop(dim, min, extent))
    }

    #[doc = lasting_doc!("sliced", "b.sliced(0, 1)?.embedded(0, 1)?")]
    pub fn sliced(&self, dim: usize, pos: i32) -> Result<BufferRef<'a, T>, ShapeError> {
        self.lasting(|s| s.slice(dim, pos))
    }

    #[doc = lasting_doc!("translated", "b.translated(0, 1)?.translated(0, -1)?")]
    pub fn translated(&self, dim: usize, delta: i32) -> Result<BufferRef<'a, T>, ShapeError> {
        self.lasting(|s| s.translate(dim, delta))
    }

    #[doc = lasting_doc!("translated_all", "b.translated_all(&[0, 0])?")]
    pub fn translated_all(&self, deltas: &[i32]) -> Result<BufferRef<'a, T>, ShapeError> {
        self.lasting(|s| s.translate_all(deltas))
    }

    #[doc = lasting_doc!("transposed", "b.transposed(0, 1)?.transposed(1, 0)?")]
    pub fn transposed(&self, d1: usize, d2: usize) -> Result<BufferRef<'a, T>, ShapeError> {
        self.lasting(|s| s.transpose(d1, d2))
    }

    #[doc = lasting_doc!("permuted", "b.permuted(&[0, 1])?")]
    pub fn permuted(&self, order: &[usize]) -> Result<BufferRef<'a, T>, ShapeError> {
        self.lasting(|s| s.permute(order))
    }

    #[doc = lasting_doc!("reversed_axes", "b.reversed_axes()?.reversed_axes()?")]
    pub fn reversed_axes(&self) -> Result<BufferRef<'a, T>, ShapeError> {
        self.lasting(|s| {
            s.reverse_axes();
            Ok(())
        })
    }

    #[doc = lasting_doc!("embedded", "b.embedded(2, 0)?.sliced(2, 0)?")]
    pub fn embedded(&self, dim: usize, pos: i32) -> Result<BufferRef<'a, T>, ShapeError> {
        self.lasting(|s| s.embed(dim, pos))
    }

    #[doc = lasting_doc!("with_added_dimension", "b.with_added_dimension()?.sliced(2, 0)?")]
    pub fn with_added_dimension(&self) -> Result<BufferRef<'a, T>, ShapeError> {
        self.lasting(|s| {
            s.add_dimension();
            Ok(())
        })
    }
}

impl<T: Element> Clone for BufferRef<'_, T> {
    /// Another view of the same elements (and device memory), like copying a `&[T]`.
    ///
    /// ```
    /// use halide_runtime::{BufferRef, HalideBuffer};
    /// let data = [1u8, 2, 3];
    /// let a = BufferRef::new(&data, &[3])?;
    /// let mut b = a.clone();
    /// b.crop(0, 1, 2)?;
    /// assert_eq!((a.len(), b.len(), b.get(&[2])), (3, 2, Some(3)));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn clone(&self) -> Self {
        // The same shape over the same shared borrow, sharing the same
        // device memory; where the runtime fails to crop it (it can only
        // run out of memory), the clone describes the host copy alone.
        self.lasting(|_| Ok(())).unwrap_or_else(|_| {
            let host = self.raw.as_raw().host.cast::<T>().cast_const();
            BufferRef::borrowing(RawBuffer::new(host, &self.raw.dims()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::{Dim, HalideBuffer, HalideBufferExt, HalideBufferMut, HalideBufferMutExt};
    use crate::sys::halide_buffer_flags;

    fn grid() -> Vec<u8> {
        (0..3)
            .flat_map(|y| (0..4).map(move |x| x + 10 * y))
            .collect()
    }

    #[test]
    fn owned_relabelings_keep_storage_dense() {
        let mut b = Buffer::<u8>::from_vec(grid(), &[4, 3]).unwrap();
        b.transpose(0, 1).unwrap();
        b.embed(1, 9).unwrap();
        b.add_dimension();
        b.translate_all(&[1, 0, 0, 0]).unwrap();
        assert_eq!(b.shape(), [3, 1, 4, 1]);
        assert_eq!(b.get(&[3, 9, 1, 0]), Some(21));
        assert_eq!(b.as_slice(), grid(), "the memory is untouched");
        assert_eq!(b.view().get(&[3, 9, 1, 0]), Some(21));
        let copy = b.clone();
        assert_eq!(copy.dims(), b.dims(), "clones keep the layout");
        assert_eq!(copy.get(&[3, 9, 1, 0]), Some(21));
        b.reverse_axes();
        b.permute(&[3, 2, 1, 0]).unwrap();
        assert_eq!(b.dims(), copy.dims());
        assert_eq!(b.into_vec(), grid());
    }

    #[test]
    fn view_crops_in_place_keep_their_borrow() {
        let data = grid();
        let mut v = BufferRef::new(&data, &[4, 3]).unwrap();
        v.crop(1, 1, 2).unwrap();
        v.slice(0, 3).unwrap();
        assert_eq!(
            (v.shape(), v.get(&[1]), v.get(&[2])),
            (vec![2], Some(13), Some(23))
        );
        assert!(v.slice(0, 0).is_err());
        assert!(v.crop(1, 0, 1).is_err());
        let mut data = grid();
        let mut m = BufferMut::new(&mut data, &[4, 3]).unwrap();
        m.crop(0, 2, 1).unwrap();
        m.fill(0);
        drop(m);
        assert_eq!(&data[..4], &[0, 1, 0, 3]);
    }

    #[test]
    fn lasting_views_outlive_their_source() {
        let data = grid();
        let (row, col) = {
            let b = BufferRef::new(&data, &[4, 3]).unwrap();
            (b.sliced(1, 1).unwrap(), b.sliced(0, 2).unwrap())
        };
        assert_eq!(row.get(&[3]), Some(13));
        assert_eq!(col.get(&[2]), Some(22));
        let copy = row.clone();
        drop(row);
        assert_eq!(copy.to_dense().unwrap().into_vec(), [10, 11, 12, 13]);
    }

    /// What a pipeline does to a buffer it moves to a device.
    fn poke(m: &mut BufferMut<'_, u8>, f: impl FnOnce(&mut crate::sys::halide_buffer_t)) {
        // SAFETY: the pointer is to m's own halide_buffer_t, alive and not
        // otherwise borrowed for this call.
        f(unsafe { &mut *m.as_raw_mut_ptr() });
    }

    /// Buffers with device memory relabel in place, but neither crop nor
    /// slice there, and views of device-dirty data are refused.
    #[test]
    fn device_memory_limits_shape_changes() {
        let mut data = grid();
        let mut m = BufferMut::new(&mut data, &[4, 3]).unwrap();
        // A fake allocation without an interface: drop finds nothing to call.
        poke(&mut m, |b| b.device = 1);
        m.transpose(0, 1).unwrap();
        assert_eq!(m.crop(0, 0, 1), Err(ShapeError::HasDeviceAllocation));
        assert_eq!(m.slice(0, 0), Err(ShapeError::HasDeviceAllocation));
        assert_eq!(m.dims()[0], Dim::new(0, 3, 4), "refusals change nothing");
        m.fill(7);
        assert!(m.host_dirty(), "writes mark the host dirty");
        let dirty = u64::from(halide_buffer_flags::halide_buffer_flag_device_dirty.0);
        poke(&mut m, |b| b.flags = dirty);
        assert_eq!(m.to_dense().err(), Some(ShapeError::DeviceDirty));
        m.transpose(0, 1).unwrap();
        assert!(m.device_dirty(), "relabelings keep the device fields");
        poke(&mut m, |b| (b.device, b.flags) = (0, 0));
        drop(m);
        assert_eq!(&data[..4], &[7, 7, 7, 7]);
    }
}

//! [`HalideBufferMutExt`]: writable views and whole-buffer writes, and the
//! free functions that walk several buffers in lockstep
//! ([`for_each_value2`] and its siblings).

use super::iterate::{self, Lockstep, for_each_ptr, host};
use super::sealed::Token;
use super::shape_ops::{Reshape, view_raw};
use super::{BufferMut, HalideBuffer, HalideBufferMut, ShapeError};
use std::ptr::NonNull;

/// A writable view of `b` transformed by `f`.
fn view_mut<B: HalideBufferMut + ?Sized>(
    b: &mut B,
    f: impl FnOnce(&mut Reshape) -> Result<(), ShapeError>,
) -> Result<BufferMut<'_, B::Elem>, ShapeError> {
    let mut raw = view_raw::<B::Elem>(b.raw(), f)?;
    // The view reaches only elements of `b` (see `shape_ops`), which `b`
    // owns or borrows exclusively; `&mut b` keeps every other path to them,
    // and to `b`'s device memory and flags, out for as long as the view
    // lives, which is what lets the view report its dirty flags to `b`.
    // The pointer is made last, so no later use of `b` invalidates it.
    raw.report_to(NonNull::from(b.raw_mut(Token(())).as_raw_mut()));
    Ok(BufferMut::borrowing(raw))
}

/// Writable views and whole-buffer writes, for every buffer a pipeline may
/// write. Implemented for everything that implements [`HalideBufferMut`].
///
/// The views are those of [`HalideBufferExt`](super::HalideBufferExt),
/// borrowing the buffer mutably: writes through them land in its memory.
/// As there, they describe the host copy only, and a buffer whose current
/// data is on a device is refused ([`ShapeError::DeviceDirty`]). Making one
/// marks the host copy as changed when the buffer has device memory.
///
/// ```
/// use halide_runtime::{Buffer, HalideBuffer, HalideBufferMutExt};
/// let mut img = Buffer::<u8>::new(&[4, 4])?;
/// img.cropped_mut(0, 1, 2)?.cropped_mut(1, 1, 2)?.fill(9);
/// assert_eq!(img.get(&[2, 2]), Some(9));
/// assert_eq!(img.get(&[3, 2]), Some(0));
/// # Ok::<(), halide_runtime::ShapeError>(())
/// ```
pub trait HalideBufferMutExt: HalideBufferMut {
    /// A writable view of coordinates `min..min + extent` of dimension `dim`.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferMut, HalideBufferMutExt};
    /// let mut img = Buffer::<u8>::new(&[4, 3])?;
    /// img.cropped_mut(0, 2, 2)?.set(&[3, 1], 7)?;
    /// assert_eq!(img.get(&[3, 1]), Some(7));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn cropped_mut(
        &mut self,
        dim: usize,
        min: i32,
        extent: i32,
    ) -> Result<BufferMut<'_, Self::Elem>, ShapeError> {
        view_mut(self, |s| s.crop(dim, min, extent))
    }

    /// A writable view of coordinate `pos` of dimension `dim`, with that
    /// dimension removed.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferMutExt};
    /// let mut img = Buffer::<u8>::new(&[4, 3, 3])?;
    /// img.sliced_mut(2, 1)?.fill(255); // the green channel
    /// assert_eq!(img.get(&[0, 0, 1]), Some(255));
    /// assert_eq!(img.get(&[0, 0, 2]), Some(0));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn sliced_mut(
        &mut self,
        dim: usize,
        pos: i32,
    ) -> Result<BufferMut<'_, Self::Elem>, ShapeError> {
        view_mut(self, |s| s.slice(dim, pos))
    }

    /// A writable view translated by `delta` along `dim`.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferMut, HalideBufferMutExt};
    /// let mut img = Buffer::<u8>::new(&[4, 3])?;
    /// img.translated_mut(1, -10)?.set(&[0, -8], 1)?;
    /// assert_eq!(img.get(&[0, 2]), Some(1));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn translated_mut(
        &mut self,
        dim: usize,
        delta: i32,
    ) -> Result<BufferMut<'_, Self::Elem>, ShapeError> {
        view_mut(self, |s| s.translate(dim, delta))
    }

    /// A writable view translated by `deltas[d]` along every dimension `d`.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferMut, HalideBufferMutExt};
    /// let mut img = Buffer::<u8>::new(&[4, 3])?;
    /// img.translated_all_mut(&[1, 1])?.set(&[1, 1], 5)?;
    /// assert_eq!(img.get(&[0, 0]), Some(5));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn translated_all_mut(
        &mut self,
        deltas: &[i32],
    ) -> Result<BufferMut<'_, Self::Elem>, ShapeError> {
        view_mut(self, |s| s.translate_all(deltas))
    }

    /// A writable view with dimensions `d1` and `d2` swapped.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferMut, HalideBufferMutExt};
    /// let mut img = Buffer::<u8>::new(&[4, 3])?;
    /// img.transposed_mut(0, 1)?.set(&[2, 3], 8)?;
    /// assert_eq!(img.get(&[3, 2]), Some(8));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn transposed_mut(
        &mut self,
        d1: usize,
        d2: usize,
    ) -> Result<BufferMut<'_, Self::Elem>, ShapeError> {
        view_mut(self, |s| s.transpose(d1, d2))
    }

    /// A writable view whose dimension `i` is this buffer's `order[i]`.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferMut, HalideBufferMutExt};
    /// let mut img = Buffer::<u8>::new(&[4, 3, 2])?;
    /// img.permuted_mut(&[2, 0, 1])?.set(&[1, 3, 2], 4)?;
    /// assert_eq!(img.get(&[3, 2, 1]), Some(4));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn permuted_mut(&mut self, order: &[usize]) -> Result<BufferMut<'_, Self::Elem>, ShapeError> {
        view_mut(self, |s| s.permute(order))
    }

    /// A writable view with the dimension order reversed.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferMut, HalideBufferMutExt};
    /// let mut img = Buffer::<u8>::new(&[4, 3, 2])?;
    /// img.reversed_axes_mut()?.set(&[1, 2, 3], 6)?;
    /// assert_eq!(img.get(&[3, 2, 1]), Some(6));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn reversed_axes_mut(&mut self) -> Result<BufferMut<'_, Self::Elem>, ShapeError> {
        view_mut(self, |s| {
            s.reverse_axes();
            Ok(())
        })
    }

    /// A writable view with a dimension of extent 1 at coordinate `pos`
    /// inserted before dimension `dim`.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferMut, HalideBufferMutExt};
    /// let mut row = Buffer::<u8>::new(&[4])?;
    /// row.embedded_mut(1, 3)?.set(&[2, 3], 1)?;
    /// assert_eq!(row.get(&[2]), Some(1));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn embedded_mut(
        &mut self,
        dim: usize,
        pos: i32,
    ) -> Result<BufferMut<'_, Self::Elem>, ShapeError> {
        view_mut(self, |s| s.embed(dim, pos))
    }

    /// A writable view with a new last dimension of extent 1 at coordinate 0.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferMut, HalideBufferMutExt};
    /// let mut gray = Buffer::<u8>::new(&[4, 3])?;
    /// gray.with_added_dimension_mut()?.set(&[1, 1, 0], 2)?;
    /// assert_eq!(gray.get(&[1, 1]), Some(2));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn with_added_dimension_mut(&mut self) -> Result<BufferMut<'_, Self::Elem>, ShapeError> {
        view_mut(self, |s| {
            s.add_dimension();
            Ok(())
        })
    }

    /// Sets every element to `value`. Writes the host copy, like
    /// [`set`](HalideBufferMut::set).
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBufferExt, HalideBufferMutExt};
    /// let mut img = Buffer::<f32>::new(&[4, 3])?;
    /// img.fill(1.5);
    /// assert!(img.all_equal(1.5));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn fill(&mut self, value: Self::Elem) {
        self.for_each_value_mut(|v| *v = value);
    }

    /// Calls `f` on every element in turn, dimension 0 fastest, to read or
    /// change it. Works on the host copy.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferMutExt};
    /// let mut img = Buffer::<i32>::from_fn(&[4, 3], |c| c[0] + 10 * c[1])?;
    /// img.for_each_value_mut(|v| *v *= 2);
    /// assert_eq!(img.get(&[3, 2]), Some(46));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn for_each_value_mut(&mut self, mut f: impl FnMut(&mut Self::Elem)) {
        self.for_each_element_mut(|_, v| f(v));
    }

    /// Calls `f(coords, element)` on every element in turn, dimension 0
    /// fastest. Works on the host copy.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferMutExt};
    /// let mut img = Buffer::<i32>::new(&[4, 3])?;
    /// img.cropped_mut(0, 1, 2)?.for_each_element_mut(|c, v| *v = c[0] * c[1]);
    /// assert_eq!(img.get(&[2, 2]), Some(4));
    /// assert_eq!(img.get(&[3, 2]), Some(0));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn for_each_element_mut(&mut self, mut f: impl FnMut(&[i32], &mut Self::Elem)) {
        for_each_ptr::<Self::Elem>(self.raw(), |c, element| {
            // SAFETY: `element` is an element of this buffer's shape: by the
            // module invariant initialised memory that it owns or borrows
            // exclusively, which `&mut self` keeps every other access out
            // of. The `&mut` lives for this one call only, so elements the
            // shape reaches twice (stride 0) are never borrowed twice at once.
            f(c, unsafe { &mut *element });
            true
        });
        self.raw_mut(Token(())).set_host_dirty();
    }

    /// Copies the elements of `other` at the coordinates both buffers have
    /// (their intersection; possibly none) into this buffer. Refused when
    /// the dimension counts differ or either buffer's current data is on a
    /// device.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferExt, HalideBufferMutExt};
    /// let mut canvas = Buffer::<u8>::new(&[8, 8])?;
    /// let mut stamp = Buffer::<u8>::new(&[4, 4])?;
    /// stamp.fill(1);
    /// stamp.set_min(&[6, 6])?; // hangs over the canvas's corner
    /// canvas.copy_from(&stamp)?;
    /// assert_eq!(canvas.get(&[7, 7]), Some(1));
    /// assert_eq!(canvas.get(&[5, 7]), Some(0));
    /// assert!(canvas.cropped(0, 6, 2)?.cropped(1, 6, 2)?.all_equal(1));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn copy_from(
        &mut self,
        other: &(impl HalideBuffer<Elem = Self::Elem> + ?Sized),
    ) -> Result<(), ShapeError> {
        iterate::copy_from(self, other)
    }
}

impl<B: HalideBufferMut + ?Sized> HalideBufferMutExt for B {}

/// Calls `f(a, b)` with the elements of two buffers of the same extents in
/// lockstep, the first mutably: `a`'s `i`-th element from its mins with
/// `b`'s `i`-th (their mins may differ), dimension 0 fastest. Refused when
/// the dimensions or extents differ, or a buffer's current data is on a
/// device.
///
/// ```
/// use halide_runtime::{Buffer, HalideBuffer, for_each_value2};
/// let mut sum = Buffer::<f32>::from_fn(&[3, 2], |c| c[0] as f32)?;
/// let other = Buffer::<u8>::from_fn(&[3, 2], |c| c[1] as u8)?;
/// for_each_value2(&mut sum, &other, |s, o| *s += f32::from(o))?;
/// assert_eq!(sum.get(&[2, 1]), Some(3.0));
/// let wrong = Buffer::<u8>::new(&[2, 3])?;
/// assert!(for_each_value2(&mut sum, &wrong, |_, _| ()).is_err());
/// # Ok::<(), halide_runtime::ShapeError>(())
/// ```
pub fn for_each_value2<A, B>(
    a: &mut A,
    b: &B,
    mut f: impl FnMut(&mut A::Elem, B::Elem),
) -> Result<(), ShapeError>
where
    A: HalideBufferMut + ?Sized,
    B: HalideBuffer + ?Sized,
{
    let walk = Lockstep::new([a.raw(), b.raw()])?;
    let (pa, pb) = (host::<A::Elem>(a.raw()), host::<B::Elem>(b.raw()));
    walk.run(|[oa, ob]| {
        // SAFETY: the walk yields offsets of elements inside each buffer's
        // shape (same extents, each from its own mins): by the module
        // invariant initialised memory each owns or borrows. `a` owns or
        // exclusively borrows its memory and is borrowed mutably here, so
        // no other buffer shares it; the `&mut` lasts one call.
        unsafe { f(&mut *pa.wrapping_offset(oa), pb.wrapping_offset(ob).read()) }
    });
    a.raw_mut(Token(())).set_host_dirty();
    Ok(())
}

/// [`for_each_value2`] over three buffers: `f(a, b, c)`.
///
/// ```
/// use halide_runtime::{Buffer, HalideBuffer, for_each_value3};
/// let mut out = Buffer::<i32>::new(&[4])?;
/// let x = Buffer::<i32>::from_fn(&[4], |c| c[0])?;
/// let y = Buffer::<i16>::from_fn(&[4], |c| 10 * c[0] as i16)?;
/// for_each_value3(&mut out, &x, &y, |o, x, y| *o = x + i32::from(y))?;
/// assert_eq!(out.get(&[3]), Some(33));
/// # Ok::<(), halide_runtime::ShapeError>(())
/// ```
pub fn for_each_value3<A, B, C>(
    a: &mut A,
    b: &B,
    c: &C,
    mut f: impl FnMut(&mut A::Elem, B::Elem, C::Elem),
) -> Result<(), ShapeError>
where
    A: HalideBufferMut + ?Sized,
    B: HalideBuffer + ?Sized,
    C: HalideBuffer + ?Sized,
{
    let walk = Lockstep::new([a.raw(), b.raw(), c.raw()])?;
    let pa = host::<A::Elem>(a.raw());
    let (pb, pc) = (host::<B::Elem>(b.raw()), host::<C::Elem>(c.raw()));
    walk.run(|[oa, ob, oc]| {
        // SAFETY: as in `for_each_value2`.
        unsafe {
            f(
                &mut *pa.wrapping_offset(oa),
                pb.wrapping_offset(ob).read(),
                pc.wrapping_offset(oc).read(),
            )
        }
    });
    a.raw_mut(Token(())).set_host_dirty();
    Ok(())
}

/// [`for_each_value2`] over four buffers: `f(a, b, c, d)`.
///
/// ```
/// use halide_runtime::{Buffer, HalideBuffer, for_each_value4};
/// let mut rgba = Buffer::<u32>::new(&[2, 2])?;
/// let r = Buffer::<u8>::from_fn(&[2, 2], |c| c[0] as u8)?;
/// let g = Buffer::<u8>::from_fn(&[2, 2], |c| c[1] as u8)?;
/// let b = Buffer::<u8>::new(&[2, 2])?;
/// for_each_value4(&mut rgba, &r, &g, &b, |p, r, g, b| {
///     *p = u32::from_le_bytes([r, g, b, 255]);
/// })?;
/// assert_eq!(rgba.get(&[1, 1]), Some(0xff00_0101));
/// # Ok::<(), halide_runtime::ShapeError>(())
/// ```
pub fn for_each_value4<A, B, C, D>(
    a: &mut A,
    b: &B,
    c: &C,
    d: &D,
    mut f: impl FnMut(&mut A::Elem, B::Elem, C::Elem, D::Elem),
) -> Result<(), ShapeError>
where
    A: HalideBufferMut + ?Sized,
    B: HalideBuffer + ?Sized,
    C: HalideBuffer + ?Sized,
    D: HalideBuffer + ?Sized,
{
    let walk = Lockstep::new([a.raw(), b.raw(), c.raw(), d.raw()])?;
    let pa = host::<A::Elem>(a.raw());
    let (pb, pc) = (host::<B::Elem>(b.raw()), host::<C::Elem>(c.raw()));
    let pd = host::<D::Elem>(d.raw());
    walk.run(|[oa, ob, oc, od]| {
        // SAFETY: as in `for_each_value2`.
        unsafe {
            f(
                &mut *pa.wrapping_offset(oa),
                pb.wrapping_offset(ob).read(),
                pc.wrapping_offset(oc).read(),
                pd.wrapping_offset(od).read(),
            )
        }
    });
    a.raw_mut(Token(())).set_host_dirty();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::{Buffer, BufferRef, Dim, HalideBufferExt};
    use crate::sys::{halide_buffer_flags, halide_buffer_t};

    /// What a pipeline does to a buffer it moves to a device.
    fn poke<B: HalideBufferMut + ?Sized>(b: &mut B, f: impl FnOnce(&mut halide_buffer_t)) {
        // SAFETY: the pointer is to b's own halide_buffer_t, alive and not
        // otherwise borrowed for this call.
        f(unsafe { &mut *b.as_raw_mut_ptr() });
    }

    const DEVICE_DIRTY: u64 = halide_buffer_flags::halide_buffer_flag_device_dirty.0 as u64;

    #[test]
    fn broadcast_writes_hit_one_element() {
        let mut data = [0u32; 2];
        let mut m = BufferMut::with_dims(&mut data, &[Dim::new(0, 5, 0)], 1).unwrap();
        let mut calls = 0;
        m.for_each_value_mut(|v| {
            *v += 1;
            calls += 1;
        });
        m.fill(9);
        drop(m);
        assert_eq!((calls, data), (5, [0, 9]));
    }

    #[test]
    fn lockstep_pairs_positions_not_coordinates() {
        let mut a = Buffer::<i32>::new(&[3, 2]).unwrap();
        a.set_min(&[10, 10]).unwrap();
        let b = Buffer::<i32>::from_fn(&[3, 2], |c| c[0] + 10 * c[1]).unwrap();
        let rev = [5u8, 4, 3, 2, 1, 0];
        let c = BufferRef::with_dims(&rev, &[Dim::new(0, 3, -1), Dim::new(0, 2, -3)], 5).unwrap();
        // A broadcast with other mins still pairs by position.
        let hundred = [100i64];
        let d =
            BufferRef::with_dims(&hundred, &[Dim::new(-7, 3, 0), Dim::new(5, 2, 0)], 0).unwrap();
        for_each_value2(&mut a, &b, |x, y| *x = y).unwrap();
        assert_eq!(a.get(&[12, 11]), Some(12));
        for_each_value3(&mut a, &b, &c, |x, y, z| *x = y + i32::from(z)).unwrap();
        assert_eq!(a.get(&[12, 11]), Some(12 + 5));
        for_each_value4(&mut a, &b, &c, &d, |x, _, _, w| *x = w as i32).unwrap();
        assert!(a.all_equal(100));
        let wrong = Buffer::<u8>::new(&[3, 3]).unwrap();
        assert_eq!(
            for_each_value3(&mut a, &b, &wrong, |_, _, _| ()),
            Err(ShapeError::ExtentMismatch {
                dim: 1,
                expected: 2,
                found: 3
            })
        );
    }

    #[test]
    fn copies_between_layouts() {
        let src = Buffer::<u16>::from_fn(&[4, 3], |c| (c[0] + 10 * c[1]) as u16).unwrap();
        let mut dst = Buffer::<u16>::new_interleaved(3, 4, 1).unwrap();
        dst.copy_from(&src.transposed(0, 1).unwrap().embedded(2, 0).unwrap())
            .unwrap();
        assert_eq!(dst.get(&[2, 1, 0]), Some(21));
        let mut small = Buffer::<u16>::new(&[2, 2]).unwrap();
        small.translate_all(&[3, 2]).unwrap();
        small.copy_from(&src).unwrap();
        assert_eq!(small.as_slice(), [23, 0, 0, 0], "only (3, 2) overlaps");
        assert!(matches!(
            small.copy_from(&Buffer::<u16>::new(&[2]).unwrap()),
            Err(ShapeError::DimensionMismatch { .. })
        ));
    }

    #[test]
    fn device_state_is_respected() {
        let mut a = Buffer::<u8>::new(&[2]).unwrap();
        let b = Buffer::<u8>::new(&[2]).unwrap();
        // A fake allocation without an interface: drop finds nothing to call.
        poke(&mut a, |raw| raw.device = 1);
        a.fill(1);
        assert!(a.host_dirty(), "host writes are marked");
        poke(&mut a, |raw| raw.flags = DEVICE_DIRTY);
        let refused = Err(ShapeError::DeviceDirty);
        assert_eq!(a.copy_from(&b), refused);
        assert_eq!(for_each_value2(&mut a, &b, |_, _| ()), refused);
        let mut c = Buffer::<u8>::new(&[2]).unwrap();
        assert_eq!(c.copy_from(&a), refused);
        // Views share device memory, which needs the interface this fake lacks.
        assert!(matches!(a.sliced_mut(0, 0), Err(ShapeError::Device(_))));
        poke(&mut a, |raw| (raw.device, raw.flags) = (0, 0));
        assert_eq!(c.copy_from(&a), Ok(()));
        assert!(!c.host_dirty(), "no device, nothing to mark");
    }
}

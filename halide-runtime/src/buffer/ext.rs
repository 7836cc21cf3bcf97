//! [`HalideBufferExt`]: what every buffer offers beyond element access:
//! geometry, views of a new shape over the same memory, whole-buffer reads
//! and dense copies.

use super::iterate::{self, for_each_ptr};
use super::shape_ops::{Reshape, view_raw};
use super::view::reach;
use super::{Buffer, BufferRef, HalideBuffer, ShapeError};

/// A shared view of `b` transformed by `f`.
fn view<B: HalideBuffer + ?Sized>(
    b: &B,
    f: impl FnOnce(&mut Reshape) -> Result<(), ShapeError>,
) -> Result<BufferRef<'_, B::Elem>, ShapeError> {
    // The view reaches only elements of `b` (see `shape_ops`), which `b`
    // owns or borrows for at least as long as it is borrowed here, as it
    // does any device memory it shares with the view. Nothing writes
    // through a shared view, so `b` needs no report from it.
    view_raw::<B::Elem>(b.raw(), f).map(BufferRef::borrowing)
}

/// Geometry, shape views, whole-buffer reads and dense copies, for every
/// buffer kind. Implemented for everything that implements [`HalideBuffer`].
///
/// The views (`cropped`, `sliced`, `translated`, ...) share the buffer's
/// memory and borrow the buffer, like slicing a `Vec`. They describe the host
/// copy only: a buffer whose current data a pipeline left on a device is
/// refused with [`ShapeError::DeviceDirty`] until
/// [`copy_to_host`](super::HalideBufferMut::copy_to_host). Views of a
/// [`BufferRef`] can outlive it: its own methods of the same names borrow
/// the data for the `BufferRef`'s lifetime.
///
/// ```
/// use halide_runtime::{Buffer, HalideBuffer, HalideBufferExt};
/// let img = Buffer::<u8>::from_fn(&[8, 6, 3], |c| (c[0] + c[1] + c[2]) as u8)?;
/// let green = img.sliced(2, 1)?; // the 8 x 6 plane of channel 1
/// let patch = green.cropped(0, 2, 3)?.cropped(1, 4, 2)?;
/// assert_eq!((patch.width(), patch.height(), patch.left(), patch.top()), (3, 2, 2, 4));
/// assert_eq!(patch.get(&[2, 4]), Some(7));
/// # Ok::<(), halide_runtime::ShapeError>(())
/// ```
pub trait HalideBufferExt: HalideBuffer {
    /// The extent of dimension 0; 1 when there is none.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBufferExt};
    /// let img = Buffer::<u8>::new(&[640, 480, 3])?;
    /// assert_eq!((img.width(), img.height(), img.channels()), (640, 480, 3));
    /// let row = Buffer::<u8>::new(&[5])?;
    /// assert_eq!((row.width(), row.height(), row.channels()), (5, 1, 1));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn width(&self) -> i32 {
        self.dim(0).map_or(1, |d| d.extent)
    }

    /// The extent of dimension 1; 1 when there is none.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBufferExt};
    /// assert_eq!(Buffer::<f32>::new(&[4, 3])?.height(), 3);
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn height(&self) -> i32 {
        self.dim(1).map_or(1, |d| d.extent)
    }

    /// The extent of dimension 2; 1 when there is none.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBufferExt};
    /// assert_eq!(Buffer::<u8>::new_interleaved(4, 3, 4)?.channels(), 4);
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn channels(&self) -> i32 {
        self.dim(2).map_or(1, |d| d.extent)
    }

    /// The smallest coordinate of dimension 0; 0 when there is none.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBufferExt};
    /// let mut img = Buffer::<u8>::new(&[4, 3])?;
    /// img.set_min(&[-2, 10])?;
    /// assert_eq!((img.left(), img.right(), img.top(), img.bottom()), (-2, 1, 10, 12));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn left(&self) -> i32 {
        self.dim(0).map_or(0, |d| d.min)
    }

    /// The largest coordinate of dimension 0 (`left() - 1` when it is
    /// empty); 0 when there is none.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBufferExt};
    /// assert_eq!(Buffer::<u8>::new(&[4, 3])?.right(), 3);
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn right(&self) -> i32 {
        self.dim(0)
            .map_or(0, |d| d.min.saturating_add(d.extent - 1))
    }

    /// The smallest coordinate of dimension 1; 0 when there is none.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBufferExt};
    /// let img = Buffer::<u8>::new(&[4, 3])?.translated(1, 5)?.top();
    /// assert_eq!(img, 5);
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn top(&self) -> i32 {
        self.dim(1).map_or(0, |d| d.min)
    }

    /// The largest coordinate of dimension 1 (`top() - 1` when it is
    /// empty); 0 when there is none.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBufferExt};
    /// assert_eq!(Buffer::<u8>::new(&[4, 3])?.bottom(), 2);
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn bottom(&self) -> i32 {
        self.dim(1)
            .map_or(0, |d| d.min.saturating_add(d.extent - 1))
    }

    /// The bytes from the lowest to the highest element the shape reaches,
    /// gaps included: what a device copy of the buffer occupies. 0 when
    /// there is no element.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBufferExt};
    /// let img = Buffer::<u16>::new(&[4, 3])?;
    /// assert_eq!(img.size_in_bytes(), 24);
    /// // Columns 1 and 2 of every row: rows 4 elements apart.
    /// assert_eq!(img.cropped(0, 1, 2)?.size_in_bytes(), (2 * 4 + 2) * 2);
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn size_in_bytes(&self) -> usize {
        match reach(&self.dims()) {
            Ok(Some((lowest, highest))) => {
                (highest - lowest + 1) as usize * self.element_type().bytes()
            }
            _ => 0,
        }
    }

    /// Whether `coords` (one per dimension, absolute) name an element.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBufferExt};
    /// let img = Buffer::<u8>::new(&[4, 3])?;
    /// assert!(img.contains(&[3, 2]));
    /// assert!(!img.contains(&[4, 2]));
    /// assert!(!img.contains(&[3]));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn contains(&self, coords: &[i32]) -> bool {
        coords.len() == self.dimensions()
            && coords.iter().zip(self.dims()).all(|(&c, d)| {
                let i = i64::from(c) - i64::from(d.min);
                (0..i64::from(d.extent)).contains(&i)
            })
    }

    /// A view of coordinates `min..min + extent` of dimension `dim`, at
    /// the same coordinates. The range must lie inside the buffer's.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferExt, ShapeError};
    /// let img = Buffer::<i32>::from_fn(&[4, 3], |c| c[0] + 10 * c[1])?;
    /// let right = img.cropped(0, 2, 2)?;
    /// assert_eq!((right.left(), right.width()), (2, 2));
    /// assert_eq!(right.get(&[3, 1]), Some(13));
    /// assert_eq!(right.get(&[1, 1]), None);
    /// assert!(matches!(img.cropped(0, 3, 2), Err(ShapeError::NotContained { .. })));
    /// # Ok::<(), ShapeError>(())
    /// ```
    fn cropped(
        &self,
        dim: usize,
        min: i32,
        extent: i32,
    ) -> Result<BufferRef<'_, Self::Elem>, ShapeError> {
        view(self, |s| s.crop(dim, min, extent))
    }

    /// A view of the elements at coordinate `pos` of dimension `dim`, with
    /// that dimension removed (the later ones move down).
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferExt};
    /// let img = Buffer::<i32>::from_fn(&[4, 3], |c| c[0] + 10 * c[1])?;
    /// let row = img.sliced(1, 2)?;
    /// assert_eq!(row.shape(), [4]);
    /// assert_eq!(row.get(&[1]), Some(21));
    /// let column = img.sliced(0, 3)?;
    /// assert_eq!(column.get(&[2]), Some(23));
    /// assert!(img.sliced(1, 3).is_err());
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn sliced(&self, dim: usize, pos: i32) -> Result<BufferRef<'_, Self::Elem>, ShapeError> {
        view(self, |s| s.slice(dim, pos))
    }

    /// A view in which the element at coordinate `x` of dimension `dim`
    /// is at `x + delta`.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferExt};
    /// let img = Buffer::<i32>::from_fn(&[4, 3], |c| c[0] + 10 * c[1])?;
    /// let moved = img.translated(0, 100)?;
    /// assert_eq!(moved.get(&[101, 2]), Some(21));
    /// assert!(img.translated(0, i32::MAX).is_err());
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn translated(&self, dim: usize, delta: i32) -> Result<BufferRef<'_, Self::Elem>, ShapeError> {
        view(self, |s| s.translate(dim, delta))
    }

    /// A view translated by `deltas[d]` along every dimension `d`.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferExt};
    /// let img = Buffer::<i32>::from_fn(&[4, 3], |c| c[0] + 10 * c[1])?;
    /// let moved = img.translated_all(&[-1, 5])?;
    /// assert_eq!(moved.get(&[0, 7]), Some(21));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn translated_all(&self, deltas: &[i32]) -> Result<BufferRef<'_, Self::Elem>, ShapeError> {
        view(self, |s| s.translate_all(deltas))
    }

    /// A view with dimensions `d1` and `d2` swapped.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferExt};
    /// let img = Buffer::<i32>::from_fn(&[4, 3], |c| c[0] + 10 * c[1])?;
    /// let t = img.transposed(0, 1)?;
    /// assert_eq!(t.shape(), [3, 4]);
    /// assert_eq!(t.get(&[2, 1]), Some(21));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn transposed(&self, d1: usize, d2: usize) -> Result<BufferRef<'_, Self::Elem>, ShapeError> {
        view(self, |s| s.transpose(d1, d2))
    }

    /// A view whose dimension `i` is this buffer's dimension `order[i]`;
    /// `order` names every dimension once (C++'s `transposed(order)`).
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferExt};
    /// let planar = Buffer::<u8>::new(&[4, 3, 2])?;
    /// let channels_first = planar.permuted(&[2, 0, 1])?;
    /// assert_eq!(channels_first.shape(), [2, 4, 3]);
    /// assert!(planar.permuted(&[0, 0, 1]).is_err());
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn permuted(&self, order: &[usize]) -> Result<BufferRef<'_, Self::Elem>, ShapeError> {
        view(self, |s| s.permute(order))
    }

    /// A view with the dimension order reversed, the last becoming
    /// dimension 0: the row-major reading of a Halide buffer.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferExt};
    /// let img = Buffer::<i32>::from_fn(&[4, 3, 2], |c| c[0] + 10 * c[1] + 100 * c[2])?;
    /// let r = img.reversed_axes()?;
    /// assert_eq!(r.shape(), [2, 3, 4]);
    /// assert_eq!(r.get(&[1, 2, 3]), Some(123));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn reversed_axes(&self) -> Result<BufferRef<'_, Self::Elem>, ShapeError> {
        view(self, |s| {
            s.reverse_axes();
            Ok(())
        })
    }

    /// A view with a new dimension of extent 1 at coordinate `pos` inserted
    /// before dimension `dim` (`dim == dimensions()` appends it).
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferExt};
    /// let row = Buffer::<i32>::from_fn(&[4], |c| c[0])?;
    /// let img = row.embedded(1, 7)?; // a 4 x 1 image at y = 7
    /// assert_eq!((img.height(), img.top()), (1, 7));
    /// assert_eq!(img.get(&[3, 7]), Some(3));
    /// assert!(row.embedded(2, 0).is_err());
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn embedded(&self, dim: usize, pos: i32) -> Result<BufferRef<'_, Self::Elem>, ShapeError> {
        view(self, |s| s.embed(dim, pos))
    }

    /// A view with a new last dimension of extent 1 at coordinate 0 (C++'s
    /// `add_dimension`, as a view).
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferExt};
    /// let gray = Buffer::<u8>::new(&[4, 3])?;
    /// let one_channel = gray.with_added_dimension()?;
    /// assert_eq!(one_channel.shape(), [4, 3, 1]);
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn with_added_dimension(&self) -> Result<BufferRef<'_, Self::Elem>, ShapeError> {
        view(self, |s| {
            s.add_dimension();
            Ok(())
        })
    }

    /// Calls `f` with the coordinates of every element, dimension 0 fastest.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBufferExt};
    /// let mut img = Buffer::<u8>::new(&[2, 2])?;
    /// img.set_min(&[5, 0])?;
    /// let mut seen = Vec::new();
    /// img.for_each_element(|c| seen.push((c[0], c[1])));
    /// assert_eq!(seen, [(5, 0), (6, 0), (5, 1), (6, 1)]);
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn for_each_element(&self, f: impl FnMut(&[i32])) {
        iterate::for_each_element(self.raw(), f);
    }

    /// Calls `f` with every element's value, dimension 0 fastest. Reads
    /// the host copy, like [`get`](HalideBuffer::get).
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBufferExt};
    /// let img = Buffer::<u32>::from_fn(&[4, 3], |c| (c[0] * c[1]) as u32)?;
    /// let mut sum = 0;
    /// img.cropped(0, 2, 2)?.for_each_value(|v| sum += v);
    /// assert_eq!(sum, (2 + 3) * (0 + 1 + 2));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn for_each_value(&self, mut f: impl FnMut(Self::Elem)) {
        for_each_ptr::<Self::Elem>(self.raw(), |_, element| {
            // SAFETY: `element` is an element of this buffer's shape: by the
            // module invariant initialised memory it owns or borrows, which
            // `&self` keeps writers out of while we read.
            f(unsafe { element.read() });
            true
        });
    }

    /// Whether every element equals `value` (true for an empty buffer).
    /// Reads the host copy.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBufferExt, HalideBufferMutExt};
    /// let mut img = Buffer::<f32>::new(&[4, 3])?;
    /// assert!(img.all_equal(0.0));
    /// img.cropped_mut(1, 1, 1)?.fill(0.5);
    /// assert!(!img.all_equal(0.0));
    /// assert!(img.sliced(1, 1)?.all_equal(0.5));
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn all_equal(&self, value: Self::Elem) -> bool
    where
        Self::Elem: PartialEq,
    {
        iterate::all_equal(self, value)
    }

    /// A dense, owned copy of the elements: the same mins and extents,
    /// dimension 0 innermost whatever this buffer's strides (a transposed
    /// view comes back transposed in memory). Refused with
    /// [`ShapeError::TooLarge`] when the copy would not fit a buffer (a
    /// broadcast view can be far larger than its memory).
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer, HalideBufferExt};
    /// let img = Buffer::<i32>::from_fn(&[4, 3], |c| c[0] + 10 * c[1])?;
    /// let t = img.transposed(0, 1)?.to_dense()?;
    /// assert_eq!(t.shape(), [3, 4]);
    /// assert_eq!(&t.as_slice()[..4], &[0, 10, 20, 1]);
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    fn to_dense(&self) -> Result<Buffer<Self::Elem>, ShapeError> {
        iterate::to_dense(self)
    }
}

impl<B: HalideBuffer + ?Sized> HalideBufferExt for B {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::{BufferMut, Dim};

    #[test]
    fn geometry_of_missing_dimensions() {
        let s = Buffer::make_scalar(1u8);
        let g = (s.width(), s.height(), s.channels(), s.left(), s.right());
        assert_eq!(g, (1, 1, 1, 0, 0));
        assert_eq!((s.top(), s.bottom(), s.size_in_bytes()), (0, 0, 1));
        assert!(s.contains(&[]));
        let empty = Buffer::<u32>::new(&[0, 3]).unwrap();
        assert_eq!((empty.right(), empty.size_in_bytes()), (-1, 0));
        assert!(!empty.contains(&[0, 0]));
    }

    #[test]
    fn strided_views_read_the_right_elements() {
        let data: Vec<i16> = (0..12).collect();
        // Reversed rows of a 4 x 3 image: row 2 first.
        let rev = BufferRef::with_dims(&data, &[Dim::new(0, 4, 1), Dim::new(0, 3, -4)], 8).unwrap();
        assert_eq!(rev.size_in_bytes(), 24);
        let mut seen = Vec::new();
        rev.cropped(0, 1, 2)
            .unwrap()
            .for_each_value(|v| seen.push(v));
        assert_eq!(seen, [9, 10, 5, 6, 1, 2]);
        let t = rev.transposed(0, 1).unwrap().to_dense().unwrap();
        assert_eq!(t.as_slice()[..3], [8, 4, 0]);
        assert!(
            !rev.sliced(1, 2).unwrap().all_equal(0),
            "row 2 is 0, 1, 2, 3"
        );
        assert!(
            rev.sliced(1, 2)
                .unwrap()
                .cropped(0, 0, 1)
                .unwrap()
                .all_equal(0)
        );
    }

    #[test]
    fn broadcasts_read_one_element_many_times() {
        let data = [7u8];
        let wide = BufferRef::with_dims(&data, &[Dim::new(0, 1 << 16, 0); 2], 0).unwrap();
        assert_eq!(wide.size_in_bytes(), 1);
        assert!(
            wide.cropped(0, 5, 10)
                .unwrap()
                .cropped(1, 0, 10)
                .unwrap()
                .all_equal(7)
        );
        assert_eq!(wide.to_dense().unwrap_err(), ShapeError::TooLarge);
    }

    #[test]
    fn shared_views_of_a_mutable_view() {
        let mut data = [1u8, 2, 3, 4];
        let m = BufferMut::new(&mut data, &[2, 2]).unwrap();
        let row = m.sliced(1, 1).unwrap();
        assert_eq!((row.get(&[0]), row.get(&[1])), (Some(3), Some(4)));
        assert_eq!(m.embedded(0, 3).unwrap().get(&[3, 1, 1]), Some(4));
    }
}

//! Constructors for common layouts: interleaved images (channels
//! innermost) and zero-dimensional scalars.

use super::{Buffer, BufferMut, BufferRef, Dim, ShapeError, dense_dims};
use crate::types::Element;

/// The dims of an interleaved `width` x `height` x `channels` image: the
/// channels of a pixel adjacent (stride 1), then pixels, then rows.
pub(crate) fn interleaved_dims(
    width: i32,
    height: i32,
    channels: i32,
) -> Result<Vec<Dim>, ShapeError> {
    for (dim, extent) in [width, height, channels].into_iter().enumerate() {
        if extent < 0 {
            return Err(ShapeError::NegativeExtent { dim, extent });
        }
    }
    // Dense with channels innermost, then reordered to x, y, c.
    let d = dense_dims(&[channels, width, height])?;
    Ok(vec![d[1], d[2], d[0]])
}

impl<T: Element> Buffer<T> {
    /// A zero-filled `width` x `height` x `channels` image whose channels
    /// are interleaved (stride 1, like packed RGB): dimension 0 is x
    /// (stride `channels`), 1 is y, 2 is the channel. C++'s
    /// `Buffer::make_interleaved(width, height, channels)`.
    ///
    /// ```
    /// use halide_runtime::{Buffer, Dim, HalideBuffer, HalideBufferMut};
    /// let mut rgb = Buffer::<u8>::new_interleaved(4, 2, 3)?;
    /// assert_eq!(rgb.dims(), [Dim::new(0, 4, 3), Dim::new(0, 2, 12), Dim::new(0, 3, 1)]);
    /// rgb.set(&[1, 0, 2], 255)?; // blue of pixel (1, 0)
    /// assert_eq!(rgb.as_slice()[..6], [0, 0, 0, 0, 0, 255]);
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    pub fn new_interleaved(width: i32, height: i32, channels: i32) -> Result<Self, ShapeError> {
        // Checks the extents in x, y, c order, for the errors to say so.
        interleaved_dims(width, height, channels)?;
        let mut b = Self::new(&[channels, width, height])?;
        b.permute(&[1, 2, 0])?;
        Ok(b)
    }

    /// An interleaved image (see [`new_interleaved`](Self::new_interleaved))
    /// that takes over `data`, packed pixel by pixel, row by row.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer};
    /// let rgb = Buffer::from_vec_interleaved(vec![1u8, 2, 3, 4, 5, 6], 2, 1, 3)?;
    /// assert_eq!(rgb.get(&[1, 0, 0]), Some(4)); // red of the second pixel
    /// assert!(Buffer::from_vec_interleaved(vec![0u8; 5], 2, 1, 3).is_err());
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    pub fn from_vec_interleaved(
        data: Vec<T>,
        width: i32,
        height: i32,
        channels: i32,
    ) -> Result<Self, ShapeError> {
        // As in `new_interleaved`.
        interleaved_dims(width, height, channels)?;
        let mut b = Self::from_vec(data, &[channels, width, height])?;
        b.permute(&[1, 2, 0])?;
        Ok(b)
    }

    /// A zero-dimensional buffer holding `value`: one element, addressed by
    /// no coordinates.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer};
    /// let s = Buffer::make_scalar(2.5f32);
    /// assert_eq!((s.dimensions(), s.len()), (0, 1));
    /// assert_eq!(s.get(&[]), Some(2.5));
    /// ```
    pub fn make_scalar(value: T) -> Self {
        let mut b = Self::new(&[]).expect("a scalar's shape is valid");
        b.as_mut_slice()[0] = value;
        b
    }
}

impl<'a, T: Element> BufferRef<'a, T> {
    /// A view of `data` as an interleaved `width` x `height` x `channels`
    /// image (channel stride 1), as laid out by most image libraries. C++'s
    /// `Buffer::make_interleaved(data, width, height, channels)`.
    ///
    /// ```
    /// use halide_runtime::{BufferRef, HalideBuffer};
    /// let rgba = [10u8, 20, 30, 255, 11, 21, 31, 255];
    /// let img = BufferRef::new_interleaved(&rgba, 2, 1, 4)?;
    /// assert_eq!(img.get(&[1, 0, 1]), Some(21)); // green of pixel (1, 0)
    /// assert!(BufferRef::new_interleaved(&rgba, 3, 1, 4).is_err());
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    pub fn new_interleaved(
        data: &'a [T],
        width: i32,
        height: i32,
        channels: i32,
    ) -> Result<Self, ShapeError> {
        Self::with_dims(data, &interleaved_dims(width, height, channels)?, 0)
    }
}

impl<'a, T: Element> BufferMut<'a, T> {
    /// A writable view of `data` as an interleaved `width` x `height` x
    /// `channels` image (channel stride 1).
    ///
    /// ```
    /// use halide_runtime::{BufferMut, HalideBufferMut};
    /// let mut rgb = [0u8; 6];
    /// let mut img = BufferMut::new_interleaved(&mut rgb, 2, 1, 3)?;
    /// img.set(&[1, 0, 0], 9)?;
    /// drop(img);
    /// assert_eq!(rgb, [0, 0, 0, 9, 0, 0]);
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    pub fn new_interleaved(
        data: &'a mut [T],
        width: i32,
        height: i32,
        channels: i32,
    ) -> Result<Self, ShapeError> {
        Self::with_dims(data, &interleaved_dims(width, height, channels)?, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::{HalideBuffer, HalideBufferExt};

    #[test]
    fn interleaved_shapes_are_checked_in_xyc_order() {
        assert_eq!(
            Buffer::<u8>::new_interleaved(4, -1, 3).unwrap_err(),
            ShapeError::NegativeExtent { dim: 1, extent: -1 }
        );
        assert_eq!(
            Buffer::<u8>::new_interleaved(1 << 16, 1 << 16, 1).unwrap_err(),
            ShapeError::TooLarge
        );
        let empty = Buffer::<u8>::new_interleaved(0, 5, 3).unwrap();
        assert!(empty.is_empty());
        assert_eq!(empty.channels(), 3);
    }

    #[test]
    fn interleaved_clone_and_dense_copy() {
        let rgb = Buffer::from_vec_interleaved((0u8..12).collect(), 2, 2, 3).unwrap();
        assert_eq!(rgb.get(&[1, 1, 2]), Some(11));
        let clone = rgb.clone();
        assert_eq!(clone.dims(), rgb.dims());
        assert_eq!(clone.as_slice(), rgb.as_slice());
        // A dense copy is planar: each channel's plane in turn.
        let planar = rgb.to_dense().unwrap();
        assert_eq!(planar.as_slice()[..4], [0, 3, 6, 9]);
        assert_eq!(planar.get(&[1, 1, 2]), Some(11));
        assert_eq!(Buffer::make_scalar(true).get(&[]), Some(true));
    }
}

//! [`ImageBridgeError`] and [`MoveError`]: why an image and a buffer could
//! not be bridged, and a refused move's value, given back.

use crate::buffer::{Dim, ShapeError};
use std::fmt;

/// Why an image and a Halide buffer could not be bridged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImageBridgeError {
    /// The image's extents, its row length in samples or its sample count
    /// do not fit Halide's 32-bit shape fields.
    TooLarge {
        /// The image's width.
        width: u32,
        /// The image's height.
        height: u32,
        /// Channels per pixel.
        channels: u8,
    },
    /// The buffer's layout is not an image's (interleaved, dense, x then y),
    /// so its memory cannot become an image's without a copy.
    NotInterleaved {
        /// The buffer's shape.
        dims: Vec<Dim>,
    },
    /// The buffer's memory is its own aligned allocation, which an image's
    /// `Vec` cannot take over without a copy.
    NotVecBacked,
    /// The buffer's shape or device state was refused.
    Shape(ShapeError),
}

impl fmt::Display for ImageBridgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageBridgeError::TooLarge {
                width,
                height,
                channels,
            } => write!(
                f,
                "a {width} x {height} image of {channels} channels does not fit \
                 Halide's 32-bit extents and strides"
            ),
            ImageBridgeError::NotInterleaved { dims } => write!(
                f,
                "a buffer of shape {dims:?} is not laid out as an image \
                 (interleaved, dense, x then y): buffer_to_image copies it into one"
            ),
            ImageBridgeError::NotVecBacked => f.write_str(
                "the buffer's memory is its own aligned allocation, which an image's \
                 Vec cannot take over: buffer_to_image copies it",
            ),
            ImageBridgeError::Shape(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ImageBridgeError {}

impl From<ShapeError> for ImageBridgeError {
    fn from(e: ShapeError) -> Self {
        ImageBridgeError::Shape(e)
    }
}

/// A refused move ([`image_into_buffer`](super::image_into_buffer),
/// [`buffer_into_image`](super::buffer_into_image)): why,
/// and the value that was to be moved, given back unchanged.
///
/// ```
/// use halide_runtime::{Buffer, buffer_into_image};
/// let aligned = Buffer::<u8>::new_interleaved(2, 2, 3)?;
/// let refused = buffer_into_image::<image::Rgb<u8>>(aligned).unwrap_err();
/// println!("{refused}"); // the buffer's memory is its own aligned allocation, ...
/// let aligned: Buffer<u8> = refused.into_inner(); // to copy instead
/// # Ok::<(), halide_runtime::ShapeError>(())
/// ```
pub struct MoveError<V> {
    error: ImageBridgeError,
    // Boxed: a Buffer is large, and the Err of every move would be as large.
    value: Box<V>,
}

impl<V> MoveError<V> {
    /// A refusal to move `value`, for `error`.
    pub(super) fn new(error: ImageBridgeError, value: V) -> Self {
        MoveError {
            error,
            value: Box::new(value),
        }
    }

    /// Why the move was refused.
    ///
    /// ```
    /// use halide_runtime::{Buffer, ImageBridgeError, buffer_into_image};
    /// let aligned = Buffer::<u16>::new_interleaved(2, 2, 1)?;
    /// let refused = buffer_into_image::<image::Luma<u16>>(aligned).unwrap_err();
    /// assert_eq!(refused.error(), &ImageBridgeError::NotVecBacked);
    /// # Ok::<(), halide_runtime::ShapeError>(())
    /// ```
    pub fn error(&self) -> &ImageBridgeError {
        &self.error
    }

    /// The value that was to be moved.
    ///
    /// ```
    /// use halide_runtime::image_into_buffer;
    /// // Wider than Halide's i32 extents (and empty, so cheap to make).
    /// let wide = image::GrayImage::from_raw(1 << 31, 0, vec![]).unwrap();
    /// let wide = image_into_buffer(wide).unwrap_err().into_inner();
    /// assert_eq!(wide.width(), 1 << 31);
    /// ```
    pub fn into_inner(self) -> V {
        *self.value
    }
}

// Not derived: the value (a whole image or buffer) need not be Debug, and
// would drown the reason.
impl<V> fmt::Debug for MoveError<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MoveError")
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<V> fmt::Display for MoveError<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl<V> std::error::Error for MoveError<V> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_display() {
        let e = ImageBridgeError::TooLarge {
            width: 1 << 31,
            height: 2,
            channels: 3,
        };
        assert_eq!(
            e.to_string(),
            "a 2147483648 x 2 image of 3 channels does not fit Halide's 32-bit extents and strides"
        );
        let moved = MoveError::new(e, ());
        assert!(moved.to_string().starts_with("a 2147483648 x 2"));
        assert!(format!("{moved:?}").starts_with("MoveError { error: TooLarge"));
        assert!(
            ImageBridgeError::from(ShapeError::DeviceDirty)
                .to_string()
                .contains("on a device")
        );
    }
}

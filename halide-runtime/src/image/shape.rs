//! An image's shape in Halide's terms: the dims of its views, checked to
//! fit Halide's 32-bit fields, and whether a buffer's memory is laid out
//! as an image's.

use super::ImageBridgeError;
use crate::buffer::{Dim, HalideBuffer, ShapeError, interleaved_dims};
use ::image::Pixel;

/// An image's shape in Halide's terms, checked to fit its 32-bit fields.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Shape {
    pub(super) width: i32,
    pub(super) height: i32,
    pub(super) channels: i32,
}

impl Shape {
    /// The shape of a `width` x `height` image of pixel type `P`.
    pub(super) fn of<P: Pixel>(width: u32, height: u32) -> Result<Self, ImageBridgeError> {
        let channels = P::CHANNEL_COUNT;
        let too_large = || ImageBridgeError::TooLarge {
            width,
            height,
            channels,
        };
        let (Ok(w), Ok(h)) = (i32::try_from(width), i32::try_from(height)) else {
            return Err(too_large());
        };
        let shape = Shape {
            width: w,
            height: h,
            channels: i32::from(channels),
        };
        // The same check as every interleaved Buffer's, so that one can
        // always adopt the image's Vec (`image_into_buffer`).
        shape.interleaved().map_err(|_| too_large())?;
        Ok(shape)
    }

    /// Samples in the image: at most `i32::MAX`, by `Shape::of`'s check.
    pub(super) fn len(self) -> usize {
        [self.width, self.height, self.channels]
            .iter()
            .map(|&e| e as usize)
            .product()
    }

    /// Dims (x, y, c), strides (channels, width * channels, 1).
    pub(super) fn interleaved(self) -> Result<Vec<Dim>, ShapeError> {
        interleaved_dims(self.width, self.height, self.channels)
    }

    /// Dims (x, y) of a single-channel image: its interleaved dims less c.
    pub(super) fn flat(self) -> Result<Vec<Dim>, ImageBridgeError> {
        if self.channels != 1 {
            return Err(ShapeError::ExtentMismatch {
                dim: 2,
                expected: 1,
                found: self.channels,
            }
            .into());
        }
        let mut dims = self.interleaved()?;
        dims.truncate(2);
        Ok(dims)
    }

    /// The image shape of a buffer meant to become an image of pixel type
    /// `P`: dims (x, y, c) with c of `P`'s channel count, or (x, y) when
    /// `P` has one channel. The expected dims come along, for the layout check.
    pub(super) fn of_buffer<P: Pixel>(dims: &[Dim]) -> Result<(Self, Vec<Dim>), ImageBridgeError> {
        let channels = i32::from(P::CHANNEL_COUNT);
        let found = dims.get(2).map_or(1, |d| d.extent);
        match dims.len() {
            2 if channels == 1 => {}
            3 if found == channels => {}
            3 => {
                return Err(ShapeError::ExtentMismatch {
                    dim: 2,
                    expected: channels,
                    found,
                }
                .into());
            }
            n => {
                return Err(ShapeError::DimensionMismatch {
                    expected: 3,
                    found: n,
                }
                .into());
            }
        }
        // Buffers never have negative extents: the casts are exact.
        let shape = Shape::of::<P>(dims[0].extent as u32, dims[1].extent as u32)?;
        let expected = if dims.len() == 2 {
            shape.flat()?
        } else {
            shape.interleaved()?
        };
        Ok((shape, expected))
    }
}

/// Whether `dims` address each element where `expected` does: strides
/// agree wherever they matter, on dimensions of more than one coordinate
/// (an empty shape addresses nothing, so it agrees with any). Mins are
/// not compared; images have none.
fn same_layout(dims: &[Dim], expected: &[Dim]) -> bool {
    dims.len() == expected.len()
        && (dims.iter().any(|d| d.extent == 0)
            || dims
                .iter()
                .zip(expected)
                .all(|(d, e)| d.extent == e.extent && (d.extent == 1 || d.stride == e.stride)))
}

/// The image shape of `buffer` when its memory is laid out as an image of
/// pixel type `P` and current on the host.
pub(super) fn image_layout<P: Pixel>(
    buffer: &impl HalideBuffer,
) -> Result<Shape, ImageBridgeError> {
    if buffer.device_dirty() {
        return Err(ShapeError::DeviceDirty.into());
    }
    let dims = buffer.dims();
    let (shape, expected) = Shape::of_buffer::<P>(&dims)?;
    if !same_layout(&dims, &expected) {
        return Err(ImageBridgeError::NotInterleaved { dims });
    }
    Ok(shape)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::image::{Luma, Rgb, Rgba};

    #[test]
    fn shapes_fit_i32_or_are_refused() {
        let too_large = |width, height, channels| ImageBridgeError::TooLarge {
            width,
            height,
            channels,
        };
        assert_eq!(
            Shape::of::<Rgb<u8>>(1 << 31, 1),
            Err(too_large(1 << 31, 1, 3))
        );
        // Each extent fits, the row length does not.
        assert_eq!(
            Shape::of::<Rgba<u8>>(1 << 29, 0),
            Err(too_large(1 << 29, 0, 4))
        );
        // The row fits, the sample count does not.
        assert_eq!(
            Shape::of::<Luma<u8>>(1 << 16, 1 << 15),
            Err(too_large(1 << 16, 1 << 15, 1))
        );
        let s = Shape::of::<Rgb<u8>>(5, 4).unwrap();
        assert_eq!(s.len(), 60);
        assert_eq!(
            s.interleaved().unwrap(),
            [Dim::new(0, 5, 3), Dim::new(0, 4, 15), Dim::new(0, 3, 1)]
        );
        assert!(s.flat().is_err());
        let g = Shape::of::<Luma<u8>>(5, 4).unwrap();
        assert_eq!(g.flat().unwrap(), [Dim::new(0, 5, 1), Dim::new(0, 4, 5)]);
    }

    #[test]
    fn buffer_shapes_name_what_is_wrong() {
        let d = |e: i32, s: i32| Dim::new(0, e, s);
        assert_eq!(
            Shape::of_buffer::<Rgb<u8>>(&[d(2, 3), d(2, 6)]).unwrap_err(),
            ShapeError::DimensionMismatch {
                expected: 3,
                found: 2
            }
            .into()
        );
        assert_eq!(
            Shape::of_buffer::<Rgb<u8>>(&[d(2, 4), d(2, 8), d(4, 1)]).unwrap_err(),
            ShapeError::ExtentMismatch {
                dim: 2,
                expected: 3,
                found: 4
            }
            .into()
        );
        let (shape, expected) = Shape::of_buffer::<Luma<u8>>(&[d(2, 1), d(3, 2)]).unwrap();
        assert_eq!((shape.width, shape.height, shape.channels), (2, 3, 1));
        assert_eq!(expected, [d(2, 1), d(3, 2)]);
    }

    #[test]
    fn layouts_agree_where_strides_matter() {
        let d = |e: i32, s: i32| Dim::new(0, e, s);
        let rgb = [d(4, 3), d(2, 12), d(3, 1)];
        assert!(same_layout(&rgb, &rgb));
        // Planar: same extents, other strides.
        assert!(!same_layout(&[d(4, 1), d(2, 4), d(3, 8)], &rgb));
        // One channel: planar and interleaved address the same samples.
        let gray = [d(4, 1), d(2, 4), d(1, 1)];
        assert!(same_layout(&[d(4, 1), d(2, 4), d(1, 8)], &gray));
        // Empty shapes address nothing; a wrong dimension count never agrees.
        assert!(same_layout(&[d(0, 7), d(2, 9), d(3, 1)], &rgb));
        assert!(!same_layout(&rgb[..2], &rgb));
        // Mins do not matter.
        assert!(same_layout(&[Dim::new(5, 4, 3), d(2, 12), d(3, 1)], &rgb));
    }
}

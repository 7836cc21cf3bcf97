//! [`ShapeError`]: why a buffer could not be built or a shape operation
//! was refused.

use crate::error::Error;
use std::fmt;

/// Why a buffer could not be built, or a shape operation was refused.
///
/// ```
/// use halide_runtime::{Buffer, HalideBufferExt, ShapeError};
/// let img = Buffer::<u8>::new(&[4, 3])?;
/// let err = img.cropped(0, 2, 3).unwrap_err();
/// assert!(matches!(err, ShapeError::NotContained { dim: 0, .. }));
/// assert_eq!(
///     err.to_string(),
///     "coordinates 2..5 of dimension 0 are not all inside the buffer's 0..4"
/// );
/// # Ok::<(), ShapeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeError {
    /// An extent was negative.
    NegativeExtent {
        /// Which dimension.
        dim: usize,
        /// Its extent.
        extent: i32,
    },
    /// The shape addresses elements outside the memory given.
    OutOfBounds {
        /// Lowest element offset the shape reaches, relative to the start of the slice.
        lowest: i64,
        /// Highest element offset the shape reaches.
        highest: i64,
        /// Elements available.
        len: usize,
    },
    /// The element count or byte size overflows.
    TooLarge,
    /// A coordinate list had the wrong length.
    WrongDimensions {
        /// Dimensions the buffer has.
        expected: usize,
        /// Coordinates given.
        given: usize,
    },
    /// A dimension index past the buffer's last dimension.
    NoSuchDimension {
        /// The index given.
        dim: usize,
        /// Dimensions the buffer has.
        dimensions: usize,
    },
    /// A crop's range, or a slice's coordinate (as a range of extent 1),
    /// reaches outside the buffer.
    NotContained {
        /// Which dimension.
        dim: usize,
        /// First coordinate asked for.
        min: i32,
        /// Number of coordinates asked for.
        extent: i32,
        /// The buffer's first coordinate in that dimension.
        buffer_min: i32,
        /// The buffer's extent in that dimension.
        buffer_extent: i32,
    },
    /// Translating would move a dimension's coordinates past `i32`'s range.
    CoordinateOverflow {
        /// Which dimension.
        dim: usize,
    },
    /// A dimension order that does not name every dimension exactly once.
    NotAPermutation {
        /// Dimensions the buffer has.
        dimensions: usize,
    },
    /// Buffers that had to have as many dimensions as each other did not.
    DimensionMismatch {
        /// Dimensions of the first buffer.
        expected: usize,
        /// Dimensions of the other.
        found: usize,
    },
    /// Buffers that had to have the same extents did not.
    ExtentMismatch {
        /// Which dimension.
        dim: usize,
        /// The first buffer's extent.
        expected: i32,
        /// The other's.
        found: i32,
    },
    /// The buffer's current data is on a device, where views and copies
    /// cannot see it: call [`copy_to_host`](super::HalideBufferMut::copy_to_host)
    /// first.
    DeviceDirty,
    /// Cropping or slicing in place would move the origin of the device
    /// memory the buffer owns: make a view (such as `cropped_mut`) instead.
    HasDeviceAllocation,
    /// The device runtime failed to crop or slice the buffer's device
    /// memory for a view; its error.
    Device(Error),
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShapeError::NegativeExtent { dim, extent } => {
                write!(f, "dimension {dim} has negative extent {extent}")
            }
            ShapeError::OutOfBounds {
                lowest,
                highest,
                len,
            } => write!(
                f,
                "the shape reaches elements {lowest}..={highest}, but the slice holds {len} elements"
            ),
            ShapeError::TooLarge => f.write_str("the buffer's size overflows"),
            ShapeError::WrongDimensions { expected, given } => {
                write!(
                    f,
                    "{given} coordinates given for a {expected}-dimensional buffer"
                )
            }
            ShapeError::NoSuchDimension { dim, dimensions } => {
                write!(f, "no dimension {dim} in a {dimensions}-dimensional buffer")
            }
            ShapeError::NotContained {
                dim,
                min,
                extent,
                buffer_min,
                buffer_extent,
            } => {
                let end = i64::from(*min) + i64::from(*extent);
                let buffer_end = i64::from(*buffer_min) + i64::from(*buffer_extent);
                write!(
                    f,
                    "coordinates {min}..{end} of dimension {dim} are not all inside the buffer's {buffer_min}..{buffer_end}"
                )
            }
            ShapeError::CoordinateOverflow { dim } => {
                write!(f, "dimension {dim}'s coordinates would not fit in an i32")
            }
            ShapeError::NotAPermutation { dimensions } => write!(
                f,
                "the dimension order does not name each of the {dimensions} dimensions exactly once"
            ),
            ShapeError::DimensionMismatch { expected, found } => write!(
                f,
                "a {found}-dimensional buffer where {expected} dimensions were needed"
            ),
            ShapeError::ExtentMismatch {
                dim,
                expected,
                found,
            } => write!(
                f,
                "dimension {dim} has extent {found} where {expected} was needed"
            ),
            ShapeError::DeviceDirty => f.write_str(
                "the buffer's current data is on a device: copy it to the host first",
            ),
            ShapeError::HasDeviceAllocation => f.write_str(
                "the buffer has device memory, which cropping or slicing in place would misplace: make a view instead",
            ),
            ShapeError::Device(e) => write!(f, "the device memory could not be viewed: {e}"),
        }
    }
}

impl std::error::Error for ShapeError {}

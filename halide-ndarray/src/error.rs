//! Errors of the bridge.

use std::fmt;

/// Why an array and a Halide buffer could not be bridged, or a pipeline
/// could not run on them.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// An extent or stride does not fit Halide's 32-bit shape fields.
    TooLarge {
        /// What overflowed.
        what: String,
    },
    /// The array and buffer disagree on the number of dimensions.
    Dimensions {
        /// Dimensions expected.
        expected: usize,
        /// Dimensions found.
        found: usize,
    },
    /// The buffer's data is on a device; copy it to the host first.
    OnDevice,
    /// A Halide buffer shape was rejected.
    Shape(halide_runtime::ShapeError),
    /// The pipeline refused the memory layout it was given; the message says
    /// what Halide required and how to give it that.
    Layout {
        /// Halide's message.
        message: String,
    },
    /// Halide reported an error.
    #[cfg(feature = "jit")]
    Halide(halide::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::TooLarge { what } => {
                write!(f, "{what} does not fit Halide's 32-bit buffer shape")
            }
            Error::Dimensions { expected, found } => {
                write!(f, "expected {expected} dimensions, found {found}")
            }
            Error::OnDevice => f.write_str(
                "the buffer's data is on a device, not the host: call copy_to_host() first",
            ),
            Error::Shape(e) => write!(f, "{e}"),
            Error::Layout { message } => write!(
                f,
                "{message}\nHalide requires dimension 0 (an array's last axis under \
                 AxisOrder::Reversed, its first under AxisOrder::Same) to be contiguous. \
                 Either pass a contiguous array (`.as_standard_layout()` makes one), or let \
                 the input accept any stride: `param.dim(0).allow_any_stride()`."
            ),
            #[cfg(feature = "jit")]
            Error::Halide(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<halide_runtime::ShapeError> for Error {
    fn from(e: halide_runtime::ShapeError) -> Self {
        Error::Shape(e)
    }
}

#[cfg(feature = "jit")]
impl From<halide::Error> for Error {
    /// Halide's stride-constraint failures become [`Error::Layout`], which
    /// says how to fix them; everything else stays Halide's error.
    fn from(e: halide::Error) -> Self {
        let stride0 =
            e.message().contains("Constraint violated") && e.message().contains(".stride.0");
        if stride0 {
            Error::Layout {
                message: e.message().to_owned(),
            }
        } else {
            Error::Halide(e)
        }
    }
}

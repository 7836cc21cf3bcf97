//! The signature of a pipeline: what each argument is.

use crate::Type;
use std::borrow::Cow;
use std::fmt;

/// What an argument of a pipeline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArgumentKind {
    /// A scalar parameter.
    InputScalar,
    /// An input buffer.
    InputBuffer,
    /// An output buffer, one per value of each output Func.
    OutputBuffer,
}

/// One argument of a pipeline, JIT-compiled or ahead of time.
///
/// ```
/// use halide_runtime::{ArgumentInfo, ArgumentKind, Type};
/// let input = ArgumentInfo::new("input", ArgumentKind::InputBuffer, Type::uint(8), 2);
/// assert_eq!(input.to_string(), "input: input buffer of uint8 x2");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgumentInfo {
    /// The parameter's or output Func's name.
    pub name: Cow<'static, str>,
    /// Scalar, input buffer or output buffer.
    pub kind: ArgumentKind,
    /// The scalar's or the buffer elements' type.
    pub ty: Type,
    /// The buffer's dimensions (0 for scalars).
    pub dimensions: usize,
}

impl ArgumentInfo {
    /// An argument description; usable in constants.
    pub const fn new(name: &'static str, kind: ArgumentKind, ty: Type, dimensions: usize) -> Self {
        ArgumentInfo {
            name: Cow::Borrowed(name),
            kind,
            ty,
            dimensions,
        }
    }
}

impl fmt::Display for ArgumentInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, ty, dims) = (&self.name, self.ty, self.dimensions);
        match self.kind {
            ArgumentKind::InputScalar => write!(f, "{name}: {ty}"),
            ArgumentKind::InputBuffer => write!(f, "{name}: input buffer of {ty} x{dims}"),
            ArgumentKind::OutputBuffer => write!(f, "{name}: output buffer of {ty} x{dims}"),
        }
    }
}

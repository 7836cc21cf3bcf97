//! The one error type of the front end.

use std::fmt;
use std::sync::Arc;

/// Which part of Halide (or of this crate) rejected the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Halide found the program wrong (`Halide::CompileError`): bad
    /// definitions, wrong argument counts, type errors, bad targets.
    Compile,
    /// A pipeline failed while running (`Halide::RuntimeError`), e.g. an
    /// input buffer too small for the region read.
    Runtime,
    /// An internal error in Halide (`Halide::InternalError`).
    Internal,
    /// Another C++ exception escaped Halide (`std::bad_alloc`, ...).
    Other,
    /// This crate refused the call before reaching Halide (a shape that
    /// cannot be described, a name with a NUL byte, ...).
    InvalidArgument,
    /// A file could not be read or written; `source()` is the I/O error.
    Io,
    /// halide-build failed (say, writing a wrapper); `source()` is its error.
    Build,
}

/// An error carrying Halide's own message.
///
/// ```
/// use halide::{ErrorKind, Target};
/// let err = "x86-64-linux-nonsense".parse::<Target>().unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Compile);
/// assert!(err.message().contains("Did not understand Halide target"));
/// ```
#[derive(Debug, Clone)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    code: Option<halide_runtime::ErrorCode>,
    /// The error this one reports, where it wraps one (an I/O error, a
    /// halide-build error).
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

/// Errors are equal when they say the same: the same kind, code and message.
impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        (self.kind, &self.message, self.code) == (other.kind, &other.message, other.code)
    }
}

impl Eq for Error {}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            code: None,
            source: None,
        }
    }

    /// An I/O error about `path`, keeping the cause as its `source()`.
    pub(crate) fn io(path: &std::path::Path, e: std::io::Error) -> Self {
        Error {
            message: format!("{}: {e}", path.display()),
            source: Some(Arc::new(e)),
            ..Error::new(ErrorKind::Io, "")
        }
    }

    /// An error Halide reported, its message without Halide's `Error:`
    /// prefix and surrounding blank space.
    pub(crate) fn from_halide(kind: ErrorKind, message: &str) -> Self {
        let message = message.trim();
        Error::new(
            kind,
            message
                .strip_prefix("Error: ")
                .unwrap_or(message)
                .trim_start(),
        )
    }

    /// A run-time failure of a compiled pipeline, with its error code.
    pub(crate) fn runtime(code: halide_runtime::ErrorCode, message: &str) -> Self {
        let e = Error::from_halide(ErrorKind::Runtime, message);
        Error {
            code: Some(code),
            message: if e.message.is_empty() {
                code.description().to_owned()
            } else {
                e.message
            },
            ..Error::new(ErrorKind::Runtime, "")
        }
    }

    /// An [`ErrorKind::InvalidArgument`] error: for code built on this crate,
    /// such as a generator refusing a parameter value.
    ///
    /// ```
    /// let e = halide::Error::invalid("rotation must be cw or ccw");
    /// assert_eq!(e.kind(), halide::ErrorKind::InvalidArgument);
    /// ```
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArgument, message)
    }

    /// Which part of Halide raised it.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Halide's message, without its `Error: ` prefix and trailing newline.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The run-time error code, for failures of a compiled pipeline's call.
    pub fn code(&self) -> Option<halide_runtime::ErrorCode> {
        self.code
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            ErrorKind::Compile => "Halide compile error",
            ErrorKind::Runtime => "Halide runtime error",
            ErrorKind::Internal => "Halide internal error",
            ErrorKind::Other => "C++ exception in Halide",
            ErrorKind::InvalidArgument => "invalid argument",
            ErrorKind::Io => "I/O error",
            ErrorKind::Build => "building ahead-of-time output failed",
        };
        write!(f, "{kind}: {}", self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<halide_build::Error> for Error {
    fn from(e: halide_build::Error) -> Self {
        Error {
            message: e.to_string(),
            source: Some(Arc::new(e)),
            ..Error::new(ErrorKind::Build, "")
        }
    }
}

impl From<halide_runtime::Error> for Error {
    fn from(e: halide_runtime::Error) -> Self {
        Error::runtime(e.code(), e.message().unwrap_or_default())
    }
}

impl From<halide_runtime::ShapeError> for Error {
    fn from(e: halide_runtime::ShapeError) -> Self {
        Error::invalid(e.to_string())
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

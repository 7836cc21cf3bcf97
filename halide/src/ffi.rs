//! The seam between the shim's C conventions and Rust: error out-parameters,
//! owned handles and strings.

use crate::error::{Error, ErrorKind, Result};
use halide_sys as sys;
use std::ffi::{CStr, CString, c_char};
use std::ptr::{self, NonNull};

/// Takes ownership of a shim error and turns it into an [`Error`].
///
/// # Safety
/// `err` must be a non-null error returned by the shim, not yet freed.
unsafe fn take_error(err: *mut sys::hl_error) -> Error {
    // SAFETY: per the contract, err is a live error; the message it returns
    // lives as long as err, and is copied before err is freed.
    let (kind, message) = unsafe {
        let kind = sys::hl_error_kind_of(err);
        let message = CStr::from_ptr(sys::hl_error_message(err))
            .to_string_lossy()
            .into_owned();
        sys::hl_error_free(err);
        (kind, message)
    };
    let kind = match kind {
        sys::hl_error_kind::HL_ERROR_COMPILE => ErrorKind::Compile,
        sys::hl_error_kind::HL_ERROR_RUNTIME => ErrorKind::Runtime,
        sys::hl_error_kind::HL_ERROR_INTERNAL => ErrorKind::Internal,
        _ => ErrorKind::Other,
    };
    let message = message.trim_end();
    Error::new(
        kind,
        message
            .strip_prefix("Error: ")
            .unwrap_or(message)
            .trim_start(),
    )
}

/// Calls a shim function with an error out-parameter and returns its value,
/// or the error it reported.
pub(crate) fn call<T>(f: impl FnOnce(*mut *mut sys::hl_error) -> T) -> Result<T> {
    let mut err = ptr::null_mut();
    let value = f(&mut err);
    if err.is_null() {
        Ok(value)
    } else {
        // SAFETY: the shim stored a fresh error, owned by us now.
        Err(unsafe { take_error(err) })
    }
}

/// [`call`] for shim functions returning a new object: also treats NULL as
/// failure (which happens when even allocating the error failed).
pub(crate) fn call_new<T>(f: impl FnOnce(*mut *mut sys::hl_error) -> *mut T) -> Result<NonNull<T>> {
    let p = call(f)?;
    NonNull::new(p).ok_or_else(|| {
        Error::new(
            ErrorKind::Other,
            "Halide returned no object and no error (out of memory?)",
        )
    })
}

/// [`call`] for shim functions returning a string the caller must free.
pub(crate) fn call_string(
    f: impl FnOnce(*mut *mut sys::hl_error) -> *mut c_char,
) -> Result<String> {
    let p = call_new(f)?;
    // SAFETY: the shim returns a NUL-terminated malloc'd string that we own.
    let s = unsafe { CStr::from_ptr(p.as_ptr()).to_string_lossy().into_owned() };
    // SAFETY: freed exactly once, with the shim's matching function.
    unsafe { sys::hl_string_free(p.as_ptr()) };
    Ok(s)
}

/// A C string for a name or target string; a NUL inside is an error.
pub(crate) fn c_string(s: &str) -> Result<CString> {
    CString::new(s).map_err(|_| Error::invalid(format!("{s:?} contains a NUL byte")))
}

/// Declares an owned handle to a shim object, freed on drop. With a clone
/// function it is also `Clone`, sharing the underlying Halide object as C++
/// copies do.
macro_rules! handle {
    ($name:ident, $raw:ty, $free:path) => {
        pub(crate) struct $name(std::ptr::NonNull<$raw>);

        impl $name {
            pub(crate) fn new(
                f: impl FnOnce(*mut *mut halide_sys::hl_error) -> *mut $raw,
            ) -> $crate::error::Result<Self> {
                $crate::ffi::call_new(f).map($name)
            }

            pub(crate) fn as_ptr(&self) -> *mut $raw {
                self.0.as_ptr()
            }
        }

        impl Drop for $name {
            fn drop(&mut self) {
                // SAFETY: we own this object and free it exactly once.
                unsafe { $free(self.0.as_ptr()) }
            }
        }
    };
    ($name:ident, $raw:ty, $free:path, clone = $clone:path) => {
        $crate::ffi::handle!($name, $raw, $free);

        impl Clone for $name {
            fn clone(&self) -> Self {
                // SAFETY: self is a live object. Copying a Halide handle only
                // allocates, so failure means out of memory, which Rust treats
                // as fatal everywhere else too.
                $name::new(|err| unsafe { $clone(self.as_ptr(), err) })
                    .expect("out of memory copying a Halide handle")
            }
        }
    };
}
pub(crate) use handle;

//! Halide's run-time error codes (`halide_error_code_t`) as a Rust enum.

use crate::sys::halide_error_code_t as C;
use std::fmt;

macro_rules! error_codes {
    ($($variant:ident = $code:ident, $text:literal;)*) => {
        /// What went wrong in a Halide pipeline or runtime call, decoded from
        /// `halide_error_code_t`.
        ///
        /// Codes that this version does not know (a newer runtime's) decode to
        /// [`ErrorCode::Unknown`] with the raw value, never to a wrong variant.
        ///
        /// ```
        /// use halide_runtime::ErrorCode;
        /// assert_eq!(ErrorCode::from_code(-4), Some(ErrorCode::AccessOutOfBounds));
        /// assert_eq!(ErrorCode::from_code(0), None); // success
        /// assert_eq!(ErrorCode::from_code(-9999), Some(ErrorCode::Unknown(-9999)));
        /// assert_eq!(ErrorCode::AccessOutOfBounds.code(), -4);
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(
                #[doc = $text]
                $variant,
            )*
            /// A code this version of halide-runtime does not know.
            Unknown(i32),
        }

        impl ErrorCode {
            /// Decodes a return value of a Halide pipeline or runtime function:
            /// `None` for success (0), the error otherwise.
            #[inline]
            pub fn from_code(code: i32) -> Option<Self> {
                if code == C::halide_error_code_success.0 {
                    return None;
                }
                Some(match code {
                    $(c if c == C::$code.0 => ErrorCode::$variant,)*
                    other => ErrorCode::Unknown(other),
                })
            }

            /// The raw `halide_error_code_t` value.
            pub fn code(self) -> i32 {
                match self {
                    $(ErrorCode::$variant => C::$code.0,)*
                    ErrorCode::Unknown(c) => c,
                }
            }

            /// A short description of the code (the pipeline's own message,
            /// when there is one, says more).
            pub fn description(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $text,)*
                    ErrorCode::Unknown(_) => "unknown Halide error code",
                }
            }
        }
    };
}

error_codes! {
    Generic = halide_error_code_generic_error, "An uncategorized error occurred.";
    ExplicitBoundsTooSmall = halide_error_code_explicit_bounds_too_small, "A Func was given an explicit bound smaller than the region used.";
    BadType = halide_error_code_bad_type, "A buffer's element type does not match the pipeline's.";
    AccessOutOfBounds = halide_error_code_access_out_of_bounds, "A buffer was accessed outside the region it holds.";
    BufferAllocationTooLarge = halide_error_code_buffer_allocation_too_large, "A buffer allocation exceeded the size limit.";
    BufferExtentsTooLarge = halide_error_code_buffer_extents_too_large, "A buffer's extents exceeded the size limit.";
    ConstraintsMakeRequiredRegionSmaller = halide_error_code_constraints_make_required_region_smaller, "Constraints on a buffer shrank the region a pipeline requires.";
    ConstraintViolated = halide_error_code_constraint_violated, "A constraint on a buffer's shape was violated.";
    ParamTooSmall = halide_error_code_param_too_small, "A scalar parameter was below its minimum.";
    ParamTooLarge = halide_error_code_param_too_large, "A scalar parameter was above its maximum.";
    OutOfMemory = halide_error_code_out_of_memory, "An allocation failed.";
    BufferArgumentIsNull = halide_error_code_buffer_argument_is_null, "A buffer argument was null.";
    DebugToFileFailed = halide_error_code_debug_to_file_failed, "debug_to_file could not write its file.";
    CopyToHostFailed = halide_error_code_copy_to_host_failed, "Copying a buffer from the device to the host failed.";
    CopyToDeviceFailed = halide_error_code_copy_to_device_failed, "Copying a buffer from the host to the device failed.";
    DeviceMallocFailed = halide_error_code_device_malloc_failed, "Allocating device memory failed.";
    DeviceSyncFailed = halide_error_code_device_sync_failed, "Synchronising with the device failed.";
    DeviceFreeFailed = halide_error_code_device_free_failed, "Freeing device memory failed.";
    NoDeviceInterface = halide_error_code_no_device_interface, "A buffer has device memory but no device interface.";
    Unimplemented = halide_error_code_unimplemented, "The operation is not implemented for this target.";
    SymbolNotFound = halide_error_code_symbol_not_found, "A required symbol could not be found.";
    InternalError = halide_error_code_internal_error, "Halide's runtime hit an internal error.";
    DeviceRunFailed = halide_error_code_device_run_failed, "Running a kernel on the device failed.";
    UnalignedHostPtr = halide_error_code_unaligned_host_ptr, "A buffer's host pointer is not aligned as the pipeline requires.";
    BadFold = halide_error_code_bad_fold, "A fold_storage directive is invalid.";
    FoldFactorTooSmall = halide_error_code_fold_factor_too_small, "A fold_storage factor is too small for the access pattern.";
    RequirementFailed = halide_error_code_requirement_failed, "A require() condition of the pipeline was false.";
    BufferExtentsNegative = halide_error_code_buffer_extents_negative, "A buffer has a negative extent.";
    GpuDeviceError = halide_error_code_gpu_device_error, "The GPU device reported an error.";
    TraceFailed = halide_error_code_trace_failed, "Writing a trace failed.";
    SpecializeFail = halide_error_code_specialize_fail, "A specialize_fail() branch was reached.";
    DeviceWrapNativeFailed = halide_error_code_device_wrap_native_failed, "Wrapping a native device handle failed.";
    DeviceDetachNativeFailed = halide_error_code_device_detach_native_failed, "Detaching a native device handle failed.";
    HostIsNull = halide_error_code_host_is_null, "A buffer's host pointer is null where host memory is needed.";
    BadExternFold = halide_error_code_bad_extern_fold, "An extern stage's fold is invalid.";
    DeviceInterfaceNoDevice = halide_error_code_device_interface_no_device, "A buffer has a device interface but no device allocation.";
    HostAndDeviceDirty = halide_error_code_host_and_device_dirty, "A buffer is dirty on both the host and the device.";
    BufferIsNull = halide_error_code_buffer_is_null, "A buffer pointer is null.";
    DeviceBufferCopyFailed = halide_error_code_device_buffer_copy_failed, "Copying between buffers on the device failed.";
    DeviceCropUnsupported = halide_error_code_device_crop_unsupported, "The device interface cannot crop buffers.";
    DeviceCropFailed = halide_error_code_device_crop_failed, "Cropping a device buffer failed.";
    IncompatibleDeviceInterface = halide_error_code_incompatible_device_interface, "A buffer is on a different device interface than required.";
    BadDimensions = halide_error_code_bad_dimensions, "A buffer has the wrong number of dimensions.";
    DeviceDirtyWithNoDeviceSupport = halide_error_code_device_dirty_with_no_device_support, "A buffer is device-dirty but the pipeline has no device support.";
    StorageBoundTooSmall = halide_error_code_storage_bound_too_small, "A bound_storage directive is too small.";
    SplitFactorNotPositive = halide_error_code_split_factor_not_positive, "A split factor evaluated to zero or less.";
    VscaleInvalid = halide_error_code_vscale_invalid, "The vector scale of the target is invalid.";
    CannotProfilePipeline = halide_error_code_cannot_profile_pipeline, "The pipeline cannot be profiled.";
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (halide_error_code {})",
            self.description(),
            self.code()
        )
    }
}

/// An error from Halide's runtime: the code, and the message the runtime
/// printed for it when one was captured.
///
/// ```
/// use halide_runtime::{Error, ErrorCode};
/// let e = Error::new(ErrorCode::BadType, Some("Input buffer b0 has type uint16 but type float32 was expected".into()));
/// assert!(e.to_string().contains("uint16"));
/// assert_eq!(e.code(), ErrorCode::BadType);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: Option<String>,
}

impl Error {
    /// An error with a code and, optionally, the runtime's message.
    pub fn new(code: ErrorCode, message: Option<String>) -> Self {
        Error { code, message }
    }

    /// The decoded error code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The runtime's own message, when one was captured.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Turns a raw return value into `Ok(())` or the matching error.
    ///
    /// ```
    /// use halide_runtime::Error;
    /// assert!(Error::check(0).is_ok());
    /// assert_eq!(Error::check(-3).unwrap_err().code().code(), -3);
    /// ```
    pub fn check(code: i32) -> Result<(), Error> {
        match ErrorCode::from_code(code) {
            None => Ok(()),
            Some(code) => Err(Error::new(code, None)),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(m) => write!(f, "{m} ({})", self.code),
            None => write!(f, "{}", self.code),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_code_round_trips() {
        for raw in -100..=0 {
            match ErrorCode::from_code(raw) {
                None => assert_eq!(raw, 0),
                Some(code) => assert_eq!(code.code(), raw),
            }
        }
    }

    #[test]
    fn known_codes_are_not_unknown() {
        for raw in -47..0 {
            if raw == -26 {
                continue; // unused in halide_error_code_t
            }
            assert!(
                !matches!(ErrorCode::from_code(raw), Some(ErrorCode::Unknown(_))),
                "{raw}"
            );
        }
    }
}

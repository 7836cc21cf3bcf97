//! The contract between code compiled for a `webgpu` target and a WebGPU
//! implementation outside Halide's runtime (the `halide-wgpu` crate).
//!
//! Halide's own WebGPU runtime calls a C WebGPU library (Dawn). halide-rs
//! instead links pipelines for `webgpu` targets against a standalone
//! runtime *without* Halide's WebGPU module plus a small C bridge
//! (`halide-build`'s `src/webgpu/bridge.c`) that defines the four functions
//! such code calls (`halide_webgpu_device_interface`,
//! `halide_webgpu_initialize_kernels`, `halide_webgpu_run`,
//! `halide_webgpu_finalize_kernels`) and forwards each to a [`Hooks`] entry,
//! together with the [`RuntimeFns`] of the runtime it was linked with. The
//! layouts here and in the bridge are one contract: change both together.
//!
//! ```
//! use halide_runtime::webgpu::{Hooks, RuntimeFns};
//! // Eight pointers each way: four hooks; fourteen generic device
//! // functions and three helpers.
//! assert_eq!(std::mem::size_of::<Hooks>(), 4 * std::mem::size_of::<usize>());
//! assert_eq!(std::mem::size_of::<RuntimeFns>(), 17 * std::mem::size_of::<usize>());
//! ```

use crate::sys::{halide_buffer_t, halide_device_interface_t, halide_type_t};
use std::ffi::{c_char, c_int, c_void};

/// The Halide runtime functions a device interface is made of, and those
/// a device implementation reports and allocates through, taken from the
/// runtime the pipeline was linked with (its copies of Halide's
/// `device_interface.cpp`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct RuntimeFns {
    /// `halide_device_malloc` .. `halide_device_detach_native`: the first
    /// fourteen fields of every `halide_device_interface_t`, in its order.
    pub generic: [*const c_void; 14],
    /// `halide_error`.
    pub error: unsafe extern "C" fn(*mut c_void, *const c_char),
    /// `halide_default_device_and_host_malloc`.
    pub default_device_and_host_malloc: unsafe extern "C" fn(
        *mut c_void,
        *mut halide_buffer_t,
        *const halide_device_interface_t,
    ) -> c_int,
    /// `halide_default_device_and_host_free`.
    pub default_device_and_host_free: unsafe extern "C" fn(
        *mut c_void,
        *mut halide_buffer_t,
        *const halide_device_interface_t,
    ) -> c_int,
}

/// `halide_webgpu_initialize_kernels(user_context, state_ptr, src, size)`,
/// with the runtime first.
pub type InitializeKernels = unsafe extern "C" fn(
    *const RuntimeFns,
    *mut c_void,
    *mut *mut c_void,
    *const c_char,
    c_int,
) -> c_int;

/// `halide_webgpu_finalize_kernels(user_context, state)`, with the runtime first.
pub type FinalizeKernels = unsafe extern "C" fn(*const RuntimeFns, *mut c_void, *mut c_void);

/// `halide_webgpu_run(user_context, state, entry, groups x/y/z, threads
/// x/y/z, workgroup memory bytes, argument types, arguments, which
/// arguments are buffers)`, with the runtime first. The argument arrays end
/// at the first null in `args`.
pub type Run = unsafe extern "C" fn(
    *const RuntimeFns,
    *mut c_void,
    *mut c_void,
    *const c_char,
    c_int,
    c_int,
    c_int,
    c_int,
    c_int,
    c_int,
    c_int,
    *const halide_type_t,
    *mut *mut c_void,
    *const i8,
) -> c_int;

/// `halide_webgpu_device_interface()`: the interface made of this runtime's
/// generic functions.
pub type DeviceInterfaceOf =
    unsafe extern "C" fn(*const RuntimeFns) -> *const halide_device_interface_t;

/// A WebGPU implementation, as the bridge calls it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct Hooks {
    /// Compiles a pipeline's WGSL, once per pipeline and device.
    pub initialize_kernels: InitializeKernels,
    /// Ends a call's hold on its kernels.
    pub finalize_kernels: FinalizeKernels,
    /// Dispatches one kernel.
    pub run: Run,
    /// The device interface.
    pub device_interface: DeviceInterfaceOf,
}

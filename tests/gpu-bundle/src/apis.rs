//! The device APIs the bundle was compiled for: their interfaces and native
//! handles in the linked runtime, and the pipelines compiled for each.

use crate::generated::*;
use halide_runtime::sys::{self, halide_buffer_t, halide_device_interface_t};
use halide_runtime::{DeviceApi, DeviceInterface, Error, HalideBuffer, HalideBufferMut, aot};
use std::ffi::c_void;

/// The APIs `build.rs` compiled every pipeline for.
pub const APIS: [DeviceApi; 4] = [
    DeviceApi::Cuda,
    DeviceApi::OpenCl,
    DeviceApi::Vulkan,
    DeviceApi::WebGpu,
];

unsafe extern "C" {
    fn halide_cuda_device_interface() -> *const halide_device_interface_t;
    fn halide_opencl_device_interface() -> *const halide_device_interface_t;
    fn halide_vulkan_device_interface() -> *const halide_device_interface_t;
    /// The WebGPU bridge's, in the runtime: halide-wgpu's interface.
    fn halide_webgpu_device_interface() -> *const halide_device_interface_t;
    fn halide_cuda_get_device_ptr(uc: *mut c_void, buf: *mut halide_buffer_t) -> usize;
    fn halide_opencl_get_cl_mem(uc: *mut c_void, buf: *mut halide_buffer_t) -> usize;
    fn halide_vulkan_get_vk_buffer(uc: *mut c_void, buf: *mut halide_buffer_t) -> usize;
}

// SAFETY: the setters of the one Halide runtime linked into this program.
static RUNTIME: aot::HandlerSetters = unsafe {
    aot::HandlerSetters::new(
        sys::halide_set_error_handler,
        sys::halide_set_custom_print,
        sys::halide_set_custom_trace,
    )
};

/// Device operations outside pipeline calls report the runtime's message.
pub fn report_device_errors() {
    aot::report_device_errors(&RUNTIME);
}

/// The linked runtime's interface to `api`.
pub fn interface(api: DeviceApi) -> DeviceInterface {
    // SAFETY: the runtime was compiled with every API in APIS; the
    // functions return its static interfaces.
    let raw = unsafe {
        match api {
            DeviceApi::Cuda => halide_cuda_device_interface(),
            DeviceApi::OpenCl => halide_opencl_device_interface(),
            DeviceApi::Vulkan => halide_vulkan_device_interface(),
            DeviceApi::WebGpu => halide_webgpu_device_interface(),
            _ => std::ptr::null(),
        }
    };
    // SAFETY: null or the static interface of the runtime linked in.
    unsafe { DeviceInterface::from_raw(raw) }.expect("the bundle was compiled for this API")
}

/// The native handle of `buf`'s device memory on `api` (a `CUdeviceptr`, a
/// `cl_mem`, Vulkan's buffer handle, by the runtime's own accessors; for
/// WebGPU a `*const wgpu::Buffer`, halide-wgpu's native handle, to a new
/// reference kept for the rest of the program), or 0 without one.
pub fn native_handle(api: DeviceApi, buf: &impl HalideBuffer) -> u64 {
    if api == DeviceApi::WebGpu {
        return halide_wgpu::device_buffer(buf).map_or(0, |view| {
            std::ptr::from_ref(Box::leak(Box::new(view.buffer))) as u64
        });
    }
    let raw = buf.as_raw_ptr().cast_mut();
    // SAFETY: the accessors only read the device fields of the live buffer,
    // which has memory on `api`'s device (the caller's to ensure: they
    // check the interface, and return 0 without device memory).
    let handle = unsafe {
        match api {
            DeviceApi::Cuda => halide_cuda_get_device_ptr(std::ptr::null_mut(), raw),
            DeviceApi::OpenCl => halide_opencl_get_cl_mem(std::ptr::null_mut(), raw),
            DeviceApi::Vulkan => halide_vulkan_get_vk_buffer(std::ptr::null_mut(), raw),
            _ => 0,
        }
    };
    handle as u64
}

/// Whether `a` and `b` hold the same device memory on `api`.
pub fn same_memory(api: DeviceApi, a: &impl HalideBuffer, b: &impl HalideBuffer) -> bool {
    if api == DeviceApi::WebGpu {
        // Each WebGPU handle is a new reference: compare what they name.
        return match (halide_wgpu::device_buffer(a), halide_wgpu::device_buffer(b)) {
            (Some(a), Some(b)) => a.buffer == b.buffer && a.offset == b.offset,
            _ => false,
        };
    }
    native_handle(api, a) != 0 && native_handle(api, a) == native_handle(api, b)
}

/// `out = input * scale + (x - y)` (`gpu_scaled`), compiled for `api`.
pub fn scaled(
    api: DeviceApi,
    input: &impl HalideBuffer<Elem = f32>,
    scale: f32,
    out: &mut impl HalideBufferMut<Elem = f32>,
) -> Result<(), Error> {
    match api {
        DeviceApi::Cuda => scaled_cuda::run(input, scale, out),
        DeviceApi::OpenCl => scaled_opencl::run(input, scale, out),
        DeviceApi::WebGpu => scaled_webgpu::run(input, scale, out),
        _ => scaled_vulkan::run(input, scale, out),
    }
}

/// `out = input`, compiled for `api`.
pub fn copy(
    api: DeviceApi,
    input: &impl HalideBuffer<Elem = f32>,
    out: &mut impl HalideBufferMut<Elem = f32>,
) -> Result<(), Error> {
    match api {
        DeviceApi::Cuda => copy_cuda::run(input, out),
        DeviceApi::OpenCl => copy_opencl::run(input, out),
        DeviceApi::WebGpu => copy_webgpu::run(input, out),
        _ => copy_vulkan::run(input, out),
    }
}

/// A 3×3 box blur of `input`, which reaches one element past `out` on
/// every side, compiled for `api`.
pub fn blur(
    api: DeviceApi,
    input: &impl HalideBuffer<Elem = f32>,
    out: &mut impl HalideBufferMut<Elem = f32>,
) -> Result<(), Error> {
    match api {
        DeviceApi::Cuda => blur_cuda::run(input, out),
        DeviceApi::OpenCl => blur_opencl::run(input, out),
        DeviceApi::WebGpu => blur_webgpu::run(input, out),
        _ => blur_vulkan::run(input, out),
    }
}

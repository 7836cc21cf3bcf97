//! Devices: which device APIs work on this machine.
//!
//! A pipeline runs on a device when its target has the API's feature
//! (`Target::host()?.with_feature("opencl")?`) and its Funcs are scheduled
//! onto GPU loops ([`Schedule::gpu_tile`]).
//! Who owns device memory is halide-runtime's `device` module's rule: a
//! buffer lent `&mut` keeps what a pipeline attached and frees it on drop;
//! a buffer lent `&` is never written; views (crops, slices, ...) share
//! their buffer's device memory; native memory wrapped with
//! `device_wrap_native` is detached, never freed.
//!
//! # Known problems of Halide 21's device runtimes
//!
//! Measured with Mesa's lavapipe (Vulkan) and pocl (OpenCL); the tests in
//! `halide/tests/gpu/` and `tests/gpu-bundle` record them.
//!
//! - **Vulkan: buffers whose size is not a multiple of 64 bytes** go wrong
//!   on devices that align buffers to 64 bytes (lavapipe, RADV): the
//!   allocator rounds such sizes differently on its two passes, so the
//!   allocation fails ("Failed to allocate device memory!") or, worse,
//!   comes out short and the last values are silently wrong. This covers
//!   a pipeline's own intermediate buffers too (halide/Halide#8868, fixed
//!   after 21.0.0). Until the pinned Halide has the fix, set
//!   `HL_VK_ALLOC_CONFIG=0:32:0:0:64` (allocations rounded to 64 bytes, in
//!   32 MiB blocks) before the first Vulkan call, as lesson 12 does.
//! - **OpenCL: crops that start at an offset the device cannot address**
//!   (`CL_DEVICE_MEM_BASE_ADDR_ALIGN`; one `f32` in, on pocl) are refused
//!   when a pipeline uses them: `Err(CL_MISALIGNED_SUB_BUFFER_OFFSET)`.

use crate::error::{ErrorKind, Result};
use crate::ffi::{self, shim};
use crate::func::Func;
use crate::schedule::{GpuTile, Schedule};
use crate::target::Target;
use crate::var::Var;
use halide_runtime::{Buffer, HalideBufferMut};
pub use halide_runtime::{DeviceApi, DeviceInterface};
use halide_sys as sys;
use std::sync::OnceLock;

/// Every device API with whether it works here (see [`check`]).
///
/// ```
/// for (api, status) in halide::gpu::available() {
///     match status {
///         Ok(()) => println!("{api}: works"),
///         Err(why) => println!("{api}: {why}"),
///     }
/// }
/// ```
pub fn available() -> Vec<(DeviceApi, Result<()>)> {
    DeviceApi::ALL
        .iter()
        .map(|&api| (api, check(api)))
        .collect()
}

/// Whether `api` works here: `Ok` when a small pipeline compiled for the
/// host with the API's feature ran on it and gave the right values, else
/// Halide's error saying why (library missing, no device, driver error, or
/// no JIT support for the API on this OS). Probed once per process.
///
/// ```
/// use halide::gpu::{self, DeviceApi};
/// if gpu::check(DeviceApi::OpenCl).is_ok() {
///     // schedule with gpu_tile and compile for host-opencl
/// }
/// ```
pub fn check(api: DeviceApi) -> Result<()> {
    static PROBED: [OnceLock<Result<()>>; DeviceApi::ALL.len()] =
        [const { OnceLock::new() }; DeviceApi::ALL.len()];
    let i = DeviceApi::ALL.iter().position(|&a| a == api).unwrap_or(0);
    PROBED[i].get_or_init(|| probe(api)).clone()
}

/// The device interface of libHalide's JIT runtime for `api` (for WebGPU
/// with an implementation installed, see [`crate::webgpu`], that of its
/// runtime): what [`HalideBufferMut::copy_to_device`] takes to put a
/// buffer's data on that device ahead of the pipelines that read it
/// there. Loads the runtime on first use.
///
/// ```
/// use halide::gpu::{self, DeviceApi};
/// use halide::prelude::*;
/// if let Ok(opencl) = gpu::interface(DeviceApi::OpenCl) {
///     let mut b = Buffer::<f32>::from_fn(&[64], |c| c[0] as f32)?;
///     if b.copy_to_device(opencl).is_ok() {
///         assert!(b.has_device_allocation() && !b.host_dirty());
///     }
/// }
/// # Ok::<(), halide::Error>(())
/// ```
pub fn interface(api: DeviceApi) -> Result<DeviceInterface> {
    if api == DeviceApi::WebGpu && crate::webgpu::implementation().is_some() {
        return crate::webgpu::device_interface();
    }
    // An API whose runtime libHalide could not even build or link here
    // (WebGPU without a webgpu.h implementation in the process, Metal off
    // macOS) is refused with that error: asking libHalide for the same
    // runtime again can crash inside it. A run-time failure (no driver,
    // no device) leaves it sound, and copies then fail with the reason.
    if let Err(e) = check(api) {
        if e.kind() != ErrorKind::Runtime {
            return Err(e);
        }
    }
    crate::callable::install_device_caller();
    let name = ffi::c_string(api.feature())?;
    let target = Target::host()?.with_feature(api.feature())?;
    shim!(sys::hl_device_interface, name.as_c_str(), target.handle())
}

/// Runs `f(x) = 3x + 1` over 64 values in blocks of 16 threads on `api`.
fn probe(api: DeviceApi) -> Result<()> {
    let [x, bx, tx] = Var::many(["x", "bx", "tx"]);
    let mut f = Func::new("device_probe");
    f.define([&x], &x * 3 + 1)?;
    f.gpu_tile(&[GpuTile {
        var: &x,
        block: &bx,
        thread: &tx,
        size: 16,
    }])?;
    f.compile_jit(&Target::host()?.with_feature(api.feature())?)?;
    let mut out = Buffer::<i32>::new(&[64])?;
    f.realize_into(&mut out)?;
    out.copy_to_host()?;
    if out
        .as_slice()
        .iter()
        .enumerate()
        .all(|(i, &v)| v == 3 * i as i32 + 1)
    {
        Ok(())
    } else {
        Err(crate::Error::invalid(format!(
            "{api} ran but computed wrong values"
        )))
    }
}

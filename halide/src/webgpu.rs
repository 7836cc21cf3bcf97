//! Pipelines for `webgpu` targets, run on the `wgpu` crate.
//!
//! Halide's own WebGPU runtime needs Dawn's C library. Instead, once a
//! WebGPU implementation is installed (`halide_wgpu::register()` does it),
//! [`Pipeline::compile`](crate::Pipeline::compile) compiles pipelines for
//! `webgpu` targets through the [compile cache](crate::cache), whose
//! runtime for them carries halide-build's bridge to the implementation.
//! The cache's directory is used for them even when the cache is turned
//! off, since the JIT cannot run them. Without an implementation they go
//! to the JIT as before, which fails for want of Dawn's symbols.

use crate::error::Result;
pub use halide_runtime::webgpu::Hooks;

/// Installs the WebGPU implementation that `webgpu` targets run on (the
/// first call's stays) and loads the runtime for the host's `webgpu`
/// target, so that buffers can move to the device before a pipeline runs.
/// Libraries such as halide-wgpu call this from their own `register`.
///
/// ```no_run
/// # let hooks: halide::webgpu::Hooks = unimplemented!();
/// halide::webgpu::set_implementation(hooks)?;
/// assert!(halide::webgpu::implementation().is_some());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn set_implementation(hooks: Hooks) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        crate::shared_library::set_webgpu_hooks(hooks);
        crate::cache::load_webgpu_runtime()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = hooks;
        Err(crate::error::Error::invalid(
            "webgpu targets run on wgpu only on Linux, where the compile cache works",
        ))
    }
}

/// The installed implementation, if any.
///
/// ```
/// if halide::webgpu::implementation().is_none() {
///     println!("webgpu targets run only once halide_wgpu::register() was called");
/// }
/// ```
pub fn implementation() -> Option<Hooks> {
    #[cfg(target_os = "linux")]
    {
        crate::shared_library::webgpu_hooks()
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// The device interface buffers move to the WebGPU device with (what
/// `halide::gpu::interface(DeviceApi::WebGpu)` returns once an
/// implementation is installed).
///
/// ```no_run
/// # let hooks: halide::webgpu::Hooks = unimplemented!();
/// halide::webgpu::set_implementation(hooks)?;
/// let interface = halide::webgpu::device_interface()?;
/// # Ok::<(), halide::Error>(())
/// ```
pub fn device_interface() -> Result<halide_runtime::DeviceInterface> {
    #[cfg(target_os = "linux")]
    {
        let missing = || {
            crate::error::Error::invalid(
                "WebGPU runs on wgpu here only with an implementation: call halide_wgpu::register()",
            )
        };
        implementation().ok_or_else(missing)?;
        crate::cache::load_webgpu_runtime()?;
        let raw = crate::shared_library::webgpu_interface().ok_or_else(missing)?;
        // SAFETY: the bridge's interface is built from a runtime that stays
        // loaded for the process, and lives as long.
        unsafe { halide_runtime::DeviceInterface::from_raw(raw.cast()) }.ok_or_else(missing)
    }
    #[cfg(not(target_os = "linux"))]
    {
        Err(crate::error::Error::invalid(
            "webgpu targets run on wgpu only on Linux, where the compile cache works",
        ))
    }
}

//! Running JIT-compiled pipelines for `webgpu` targets here.

use crate::interface::HOOKS;

/// Makes `webgpu` targets of the `halide` crate run on wgpu through this
/// crate: installs it as their WebGPU implementation and loads their
/// runtime (built into the compile cache once per machine, which takes a
/// few seconds the first time). Calling it again does nothing more.
///
/// ```
/// halide_wgpu::register()?;
/// assert!(halide::webgpu::implementation().is_some());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn register() -> Result<(), halide::Error> {
    halide::webgpu::set_implementation(HOOKS)
}

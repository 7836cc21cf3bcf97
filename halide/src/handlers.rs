//! Runtime handlers for JIT runs: the runtime crate's [`Handlers`], whose
//! C view (`RawHandlers`) is the shim's `hl_handlers` itself.

use halide_runtime::Handlers;
use halide_sys as sys;

/// Runs `f` with the shim's view of `handlers` (null for all defaults).
#[inline]
pub(crate) fn run_with<R>(handlers: &Handlers, f: impl FnOnce(*const sys::hl_handlers) -> R) -> R {
    handlers.run(|raw| f(raw.map_or(std::ptr::null(), std::ptr::from_ref)))
}

//! Runtime handlers for JIT runs: the runtime crate's [`Handlers`], handed
//! to the shim in its own struct.

use halide_runtime::Handlers;
use halide_sys as sys;

/// Runs `f` with the shim's view of `handlers` (null for all defaults).
pub(crate) fn run_with<R>(handlers: &Handlers, f: impl FnOnce(*const sys::hl_handlers) -> R) -> R {
    handlers.run(|raw| {
        let shim = raw.map(|r| sys::hl_handlers {
            user: r.user,
            print: r.print,
            trace: r.trace,
            error: r.error,
        });
        f(shim.as_ref().map_or(std::ptr::null(), std::ptr::from_ref))
    })
}

//! Pipelines loaded from shared libraries (the compile cache's entries),
//! and the Halide runtime they share: one per runtime library, loaded once
//! per process and never unloaded, so every cached pipeline of a target
//! uses one thread pool and one set of handlers.
//!
//! A pipeline library is a Halide pipeline compiled with the `no_runtime`
//! and `user_context` features and linked against its runtime library,
//! which the loader finds beside it. It is called through its `_argv`
//! entry point with the same argument array the JIT takes, and through
//! `halide_runtime::aot::call`, which gives each call its own context: its
//! errors, printed text and trace events reach that call's handlers, as
//! with the JIT.

use crate::error::{Error, Result};
use halide_runtime::Handlers;
use halide_runtime::aot::{self, HandlerSetters};
use halide_runtime::webgpu::Hooks;
use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};
use std::collections::HashMap;
use std::ffi::{c_int, c_void};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// A pipeline's `<name>_argv`: one pointer per argument, the user
/// context's first.
type ArgvFn = unsafe extern "C" fn(*mut *mut c_void) -> c_int;

/// The symbol every cached pipeline is compiled as.
pub(crate) const FUNCTION: &str = "halide_rs_pipeline";

/// A loaded Halide runtime: the setters its pipelines' calls install
/// handlers with.
pub(crate) type Runtime = &'static HandlerSetters;

static WEBGPU_HOOKS: OnceLock<Hooks> = OnceLock::new();

/// Installs the WebGPU implementation runtimes with the bridge get; the
/// first call wins.
pub(crate) fn set_webgpu_hooks(hooks: Hooks) {
    let _ = WEBGPU_HOOKS.set(hooks);
}

/// The installed WebGPU implementation.
pub(crate) fn webgpu_hooks() -> Option<Hooks> {
    WEBGPU_HOOKS.get().copied()
}

/// The device interface of the first runtime loaded with the bridge.
static WEBGPU_INTERFACE: OnceLock<usize> = OnceLock::new();

/// That interface, once such a runtime is loaded.
pub(crate) fn webgpu_interface() -> Option<*const c_void> {
    WEBGPU_INTERFACE.get().map(|&a| a as *const c_void)
}

/// The runtimes loaded so far, by path.
static RUNTIMES: Mutex<Option<HashMap<PathBuf, Runtime>>> = Mutex::new(None);

fn load_error(path: &Path, e: &libloading::Error) -> Error {
    Error::invalid(format!("cannot load {}: {e}", path.display()))
}

/// The runtime loaded from `path`, if this process loaded it.
pub(crate) fn loaded_runtime(path: &Path) -> Option<Runtime> {
    let runtimes = RUNTIMES.lock().unwrap_or_else(|e| e.into_inner());
    runtimes.as_ref()?.get(path).copied()
}

/// Loads the runtime library at `path`, once per process.
///
/// # Safety
/// `path` must be a Halide runtime compiled for this machine and linked as
/// a shared library: loading it runs no code but its ELF initializers
/// (Halide's runtime has none that can fail).
pub(crate) unsafe fn load_runtime(path: &Path) -> Result<Runtime> {
    let mut runtimes = RUNTIMES.lock().unwrap_or_else(|e| e.into_inner());
    let runtimes = runtimes.get_or_insert_with(HashMap::new);
    if let Some(runtime) = runtimes.get(path) {
        return Ok(runtime);
    }
    // SAFETY: per the contract.
    let library = unsafe { Library::open(Some(path), RTLD_NOW | RTLD_LOCAL) }
        .map_err(|e| load_error(path, &e))?;
    // SAFETY: a Halide runtime defines these three with these signatures
    // (HalideRuntime.h); the library is never unloaded (leaked below), so
    // the pointers stay valid for the program.
    let setters = unsafe {
        HandlerSetters::new(
            *library
                .get(b"halide_set_error_handler\0")
                .map_err(|e| load_error(path, &e))?,
            *library
                .get(b"halide_set_custom_print\0")
                .map_err(|e| load_error(path, &e))?,
            *library
                .get(b"halide_set_custom_trace\0")
                .map_err(|e| load_error(path, &e))?,
        )
    }
    .without_device_errors();
    // SAFETY: the library is a runtime, so a symbol of this name is the
    // WebGPU bridge's hooks variable (halide-build's bridge.c).
    if let Ok(slot) = unsafe { library.get::<*mut Hooks>(b"halide_rs_webgpu_hooks\0") } {
        let hooks = webgpu_hooks().ok_or_else(|| {
            Error::invalid("a runtime for webgpu targets needs a WebGPU implementation (halide_wgpu::register())")
        })?;
        // SAFETY: the variable has the layout of `Hooks` (the bridge's
        // contract) and no code of the library runs yet.
        unsafe { (*slot).write(hooks) };
        // SAFETY: the bridge defines this function (no arguments, returns
        // a pointer); calling it lets the implementation learn this
        // runtime, so buffers can move to the device before any pipeline
        // of it runs. The library stays loaded (below).
        let interface = unsafe {
            library
                .get::<unsafe extern "C" fn() -> *const c_void>(b"halide_webgpu_device_interface\0")
        }
        .map_err(|e| load_error(path, &e))?;
        // SAFETY: as above.
        let interface = unsafe { interface() };
        let _ = WEBGPU_INTERFACE.set(interface as usize);
    }
    // Never unloaded: its thread pool's workers run its code after calls.
    std::mem::forget(library);
    let runtime: Runtime = Box::leak(Box::new(setters));
    runtimes.insert(path.to_owned(), runtime);
    Ok(runtime)
}

/// A pipeline loaded from a shared library; unloaded when dropped.
pub(crate) struct SharedPipeline {
    argv: ArgvFn,
    runtime: Runtime,
    _library: Library,
}

impl SharedPipeline {
    /// Loads the pipeline library at `path`, whose runtime is `runtime`.
    ///
    /// # Safety
    /// `path` must be a library that defines [`FUNCTION`]'s argv entry
    /// point as Halide compiles it with the `user_context` feature, and
    /// whose runtime symbols resolve to the library `runtime` was loaded
    /// from.
    pub(crate) unsafe fn load(path: &Path, runtime: Runtime) -> Result<Self> {
        // SAFETY: per the contract; loading runs no code of the pipeline's.
        let library = unsafe { Library::open(Some(path), RTLD_NOW | RTLD_LOCAL) }
            .map_err(|e| load_error(path, &e))?;
        let symbol = format!("{FUNCTION}_argv\0");
        // SAFETY: per the contract, the symbol is that entry point; the
        // pointer is used only while `_library` keeps it loaded.
        let argv: ArgvFn = *unsafe { library.get::<ArgvFn>(symbol.as_bytes()) }
            .map_err(|e| load_error(path, &e))?;
        Ok(SharedPipeline {
            argv,
            runtime,
            _library: library,
        })
    }

    /// Calls the pipeline with `argv` (slot 0 free for the user context,
    /// then one pointer per argument), reporting to `handlers`.
    ///
    /// # Safety
    /// Every argument slot must point as the JIT's would: at a value of
    /// the argument's type for a scalar, at a live `halide_buffer_t` for a
    /// buffer (writable for outputs), for the whole call.
    pub(crate) unsafe fn call(
        &self,
        argv: &mut [*const c_void],
        handlers: &Handlers,
    ) -> Result<()> {
        aot::call(self.runtime, handlers, |mut user_context| {
            argv[0] = std::ptr::from_mut(&mut user_context).cast_const().cast();
            // SAFETY: slot 0 points at the context for the call, the others
            // per the contract; the library stays loaded while self lives.
            unsafe { (self.argv)(argv.as_mut_ptr().cast()) }
        })
        .map_err(|e| Error::runtime(e.code(), e.message().unwrap_or_default()))
    }
}

//! Serving one compilation from the cache: lower, key, find or build the
//! runtime and the pipeline's entry, load them. Every failure here means
//! "use the JIT": Halide's own errors (which the JIT then reports again,
//! the same way as without the cache) silently, the cache's (disk,
//! compiler, loader) with one warning per kind.

use super::key::{self, Versions};
use super::link::{self, LinkError};
use super::store::{Scratch, Store};
use super::{CacheSettings, Request};
use crate::callable::{Callable, CallableHandle};
use crate::error::{Error, Result};
use crate::ffi::{self, Handle, shim};
use crate::shared_library::{self, Runtime, SharedPipeline};
use crate::target::Target;
use halide_sys as sys;
use std::ffi::c_void;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Why the cache could not serve a compilation.
enum Fallback {
    /// Not cached by design (the module docs list the cases).
    Bypass(&'static str),
    /// Halide refused something; the JIT will say what.
    Halide,
    /// The cache directory cannot be used.
    Directory(PathBuf, std::io::Error),
    /// Reading or writing an entry failed (a full disk, say).
    Disk(std::io::Error),
    /// No C compiler to link with.
    NoCompiler(std::ffi::OsString),
    /// Linking failed.
    Link(String),
    /// The dynamic loader refused an entry.
    Load(Error),
}

impl From<std::io::Error> for Fallback {
    fn from(e: std::io::Error) -> Self {
        Fallback::Disk(e)
    }
}

impl Fallback {
    /// The failure's kind (an index, one per variant that logs) and what
    /// to say; `None` for Halide's refusals, which the JIT reports.
    fn describe(&self) -> Option<(usize, String)> {
        Some(match self {
            Fallback::Halide => return None,
            Fallback::Bypass(why) => (0, (*why).to_owned()),
            Fallback::Directory(dir, e) => (1, format!("cannot use {}: {e}", dir.display())),
            Fallback::Disk(e) => (2, format!("cannot read or write an entry: {e}")),
            Fallback::NoCompiler(cc) => (
                3,
                format!(
                    "no C compiler ({}) to link entries with",
                    cc.to_string_lossy()
                ),
            ),
            Fallback::Link(e) => (4, format!("linking an entry failed: {e}")),
            Fallback::Load(e) => (5, format!("loading an entry failed: {e}")),
        })
    }

    /// Logs the failure, once per kind and process.
    fn report(&self) {
        // One flag per kind that logs (every variant but Halide).
        static SAID: [AtomicBool; 6] = [const { AtomicBool::new(false) }; 6];
        let Some((kind, message)) = self.describe() else {
            return;
        };
        if SAID[kind].swap(true, Ordering::Relaxed) {
            return;
        }
        if kind == 0 {
            log::info!(target: "halide::cache", "{message}; compiling with the JIT");
        } else {
            log::warn!(
                target: "halide::cache",
                "{message}; compiling with the JIT (said once per process)"
            );
        }
    }
}

impl From<LinkError> for Fallback {
    fn from(e: LinkError) -> Self {
        match e {
            LinkError::NoCompiler(cc) => Fallback::NoCompiler(cc),
            LinkError::Failed(e) => Fallback::Link(e),
        }
    }
}

/// The callable for `request` and whether it was a hit, or `None` for the
/// JIT.
pub(super) fn compile(request: &Request<'_>, settings: &CacheSettings) -> Option<(Callable, bool)> {
    match try_compile(request, settings) {
        Ok(served) => Some(served),
        Err(fallback) => {
            fallback.report();
            None
        }
    }
}

fn try_compile(
    request: &Request<'_>,
    settings: &CacheSettings,
) -> std::result::Result<(Callable, bool), Fallback> {
    let target = request.target;
    if super::has_rust_extern(request.pipeline).map_err(|_| Fallback::Halide)? {
        return Err(Fallback::Bypass(
            "pipelines with extern stages computed by Rust closures are not cached: \
             their code points into this process",
        ));
    }
    let webgpu = target.has_feature("webgpu").map_err(|_| Fallback::Halide)?;
    let other_gpu = match webgpu {
        true => target
            .without_feature("webgpu")
            .map_err(|_| Fallback::Halide)?
            .has_gpu_feature(),
        false => target.has_gpu_feature(),
    };
    if other_gpu {
        return Err(Fallback::Bypass(
            "the compile cache holds CPU and WebGPU code only; other GPU targets are not cached",
        ));
    }
    if webgpu && crate::shared_library::webgpu_hooks().is_none() {
        return Err(Fallback::Bypass(
            "webgpu targets run through the cache only with a WebGPU implementation \
             (halide_wgpu::register())",
        ));
    }
    for feature in ["profile", "profile_by_timer", "jit"] {
        if target.has_feature(feature).map_err(|_| Fallback::Halide)? {
            return Err(Fallback::Bypass(
                "targets with profile, profile_by_timer or jit are not cached",
            ));
        }
    }
    let store =
        Store::open(&settings.dir).map_err(|e| Fallback::Directory(settings.dir.clone(), e))?;
    let aot = target
        .with_feature("no_runtime")
        .and_then(|t| t.with_feature("user_context"))
        .map_err(|_| Fallback::Halide)?;
    let signature = signature(request).map_err(|_| Fallback::Halide)?;
    let (runtime, runtime_path) = runtime(&store, &aot, settings)?;
    let fingerprint = fingerprint_key(request, &signature, &aot);
    let known = fingerprint
        .as_deref()
        .and_then(|f| store.alias(f))
        .map(|key| format!("{key}.so"))
        .filter(|name| store.check(name).unwrap_or(false));
    let (name, hit) = match known {
        Some(name) => {
            store.touch(&name);
            (name, true)
        }
        None => {
            let module = lower(request, &aot).map_err(|_| Fallback::Halide)?;
            let key = module_key(&module).map_err(|_| Fallback::Halide)?;
            let name = format!("{key}.so");
            let hit = !ensure(&store, &name, settings, |scratch| {
                let object = scratch.path("pipeline.o");
                compile_object(&module, &object).map_err(|_| Fallback::Halide)?;
                let library = scratch.path(&name);
                link::link(&[object], Some(&runtime_path), &library)?;
                Ok(library)
            })?;
            if let Some(fingerprint) = &fingerprint {
                if let Err(e) = store.set_alias(fingerprint, &key) {
                    Fallback::Disk(e).report();
                }
            }
            (name, hit)
        }
    };
    // SAFETY: the entry is whole (checked or just built), so it is the
    // pipeline compiled for a key that covers its code (found by that key,
    // or by a fingerprint recorded for it), as FUNCTION with user_context,
    // linked against the runtime at runtime_path.
    let code =
        unsafe { SharedPipeline::load(&store.path(&name), runtime) }.map_err(Fallback::Load)?;
    let callable = Callable::from_shared(signature, code, request.name.to_owned(), target)
        .map_err(|_| Fallback::Halide)?;
    Ok((callable, hit))
}

/// The fingerprint key of `request` (see `key::fingerprint_key`), unless
/// Halide cannot serialize the pipeline whole.
fn fingerprint_key(
    request: &Request<'_>,
    signature: &CallableHandle,
    aot: &Target,
) -> Option<String> {
    let serialized = super::halide_serialization(request.pipeline).ok()?;
    let inputs = shim!(sys::hl_callable_inputs_text, signature).ok()?;
    let arguments: Vec<String> = crate::callable::arguments_of(signature)
        .ok()?
        .iter()
        .map(|a| format!("{a:?}"))
        .collect();
    Some(key::fingerprint_key(
        &serialized,
        &inputs,
        &arguments,
        &aot.to_string(),
        &Versions::current(),
    ))
}

/// Makes sure entry `name` exists, building it with `build` (which returns
/// the library it made) if not; true when it was built here.
fn ensure(
    store: &Store,
    name: &str,
    settings: &CacheSettings,
    build: impl FnOnce(&Scratch) -> std::result::Result<PathBuf, Fallback>,
) -> std::result::Result<bool, Fallback> {
    if store.check(name)? {
        store.touch(name);
        return Ok(false);
    }
    let _lock = store.lock(name)?;
    if store.check(name)? {
        store.touch(name);
        return Ok(false);
    }
    let scratch = store.scratch()?;
    let built = build(&scratch)?;
    store.install(&built, name)?;
    if let Err(e) = store.evict(settings.max_bytes, name) {
        Fallback::Disk(e).report();
    }
    Ok(true)
}

/// Loads the runtime for the host's `webgpu` target (see `crate::webgpu`).
pub(super) fn webgpu_runtime(settings: &CacheSettings) -> Result<()> {
    let failed = |f: Fallback| {
        let why = f
            .describe()
            .map_or_else(|| "Halide refused it".to_owned(), |(_, m)| m);
        Error::invalid(format!("the runtime for webgpu targets: {why}"))
    };
    let store = Store::open(&settings.dir)
        .map_err(|e| failed(Fallback::Directory(settings.dir.clone(), e)))?;
    let aot = Target::host()?
        .with_feature("webgpu")?
        .with_feature("no_runtime")?
        .with_feature("user_context")?;
    runtime(&store, &aot, settings).map(drop).map_err(failed)
}

/// The runtime for pipelines compiled for `aot`, built into the cache if
/// needed and loaded once per process, and its path.
fn runtime(
    store: &Store,
    aot: &Target,
    settings: &CacheSettings,
) -> std::result::Result<(Runtime, PathBuf), Fallback> {
    let target = halide_build::target::runtime(&aot.to_string());
    let webgpu = halide_build::webgpu::has_webgpu(&aot.to_string());
    // The bridge's source is part of a WebGPU runtime's identity.
    let identity = match webgpu {
        true => format!("{target}+{}", halide_build::webgpu::BRIDGE_SOURCE),
        false => target.clone(),
    };
    let key = key::runtime_key(&identity, &Versions::current());
    let name = format!("libhalide_rs_runtime-{}.so", &key[..32]);
    let path = store.path(&name);
    if let Some(runtime) = shared_library::loaded_runtime(&path) {
        return Ok((runtime, path));
    }
    ensure(store, &name, settings, |scratch| {
        let object = scratch.path("runtime.o");
        let target: Target = target.parse().map_err(|_| Fallback::Halide)?;
        compile_runtime_object(&target, &object).map_err(|_| Fallback::Halide)?;
        let mut objects = vec![object];
        if webgpu {
            let bridge = scratch.path("webgpu_bridge.o");
            halide_build::webgpu::compile_bridge(&bridge, halide_build::webgpu::Linkage::Loaded)
                .map_err(|e| Fallback::Link(e.to_string()))?;
            objects.push(bridge);
        }
        let library = scratch.path(&name);
        link::link(&objects, None, &library)?;
        Ok(library)
    })?;
    // SAFETY: the entry is whole, so it is a Halide runtime this crate
    // compiled for the host and linked as a shared library.
    let runtime = unsafe { shared_library::load_runtime(&path) }.map_err(Fallback::Load)?;
    Ok((runtime, path))
}

type ModuleHandle = Handle<sys::hl_module>;

fn lower(request: &Request<'_>, target: &Target) -> Result<ModuleHandle> {
    let name = ffi::c_string(shared_library::FUNCTION)?;
    // Lowering changes nothing the pipeline is made of.
    let p = request.pipeline.keeping_code();
    let t = target.handle().as_ptr();
    // SAFETY: the pipeline, target, params and name are borrowed for the
    // call; both input arrays have the inputs' length.
    unsafe {
        ffi::call(|err| {
            sys::hl_pipeline_lower(
                p.as_ptr(),
                t,
                request.infer,
                request.scalars.as_ptr(),
                request.buffers.as_ptr(),
                request.scalars.len(),
                name.as_ptr(),
                sys::hl_linkage::HL_LINKAGE_EXTERNAL_PLUS_METADATA,
                err,
            )
        })
    }
}

fn signature(request: &Request<'_>) -> Result<CallableHandle> {
    let p = request.pipeline.keeping_code();
    // SAFETY: as for `lower`.
    unsafe {
        ffi::call(|err| {
            sys::hl_pipeline_signature(
                p.as_ptr(),
                request.infer,
                request.scalars.as_ptr(),
                request.buffers.as_ptr(),
                request.scalars.len(),
                err,
            )
        })
    }
}

fn module_key(module: &ModuleHandle) -> Result<String> {
    let text = shim!(sys::hl_module_key_text, module)?;
    let count = shim!(sys::hl_module_buffer_count, module)?;
    let mut buffers = Vec::with_capacity(count);
    for i in 0..count {
        let (mut data, mut len) = (std::ptr::null::<c_void>(), 0usize);
        // SAFETY: the module is borrowed for the call; the slots are ours.
        unsafe {
            ffi::call(|err| {
                sys::hl_module_buffer_data(module.as_ptr(), i, &mut data, &mut len, err)
            })
        }?;
        // SAFETY: the shim pointed data at len bytes of the module's
        // buffer, which lives as long as the module, borrowed here.
        buffers.push(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) });
    }
    Ok(key::pipeline_key(&text, &buffers, &Versions::current()))
}

fn compile_object(module: &ModuleHandle, path: &Path) -> Result<()> {
    let kind = ffi::c_string("object")?;
    let path = ffi::c_string(&path.to_string_lossy())?;
    let m = module.as_ptr();
    // SAFETY: the module and the strings are borrowed for the call; both
    // arrays have the one element given.
    unsafe { ffi::call(|err| sys::hl_module_compile(m, &kind.as_ptr(), &path.as_ptr(), 1, err)) }
        .map(drop)
}

fn compile_runtime_object(target: &Target, path: &Path) -> Result<()> {
    let kind = ffi::c_string("object")?;
    let path = ffi::c_string(&path.to_string_lossy())?;
    let t = target.handle().as_ptr();
    // SAFETY: the target and strings are borrowed for the call; both
    // arrays have the one element given.
    unsafe {
        ffi::call(|err| {
            sys::hl_compile_standalone_runtime(t, &kind.as_ptr(), &path.as_ptr(), 1, err)
        })
    }
    .map(drop)
}

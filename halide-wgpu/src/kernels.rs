//! A pipeline's WGSL, compiled once per device, and the compute pipelines
//! made from it, once per entry point and workgroup shape.
//!
//! Generated code keeps one `void *` of state per pipeline and passes its
//! address to every `halide_webgpu_initialize_kernels` and
//! `halide_webgpu_run`. The first call stores there a leaked [`Kernels`]
//! (one per loaded pipeline, as Halide's runtimes keep theirs until
//! released); later calls, from any thread, find it there. Unlike Halide's
//! runtime, which makes a compute pipeline on every run, pipelines are
//! kept: a run costs a bind group and a dispatch.

use crate::gpu::Gpu;
use halide_runtime::{Error, ErrorCode};
use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::{Arc, Mutex, PoisonError};

/// One pipeline's shaders.
#[derive(Debug)]
pub(crate) struct Kernels {
    source: String,
    /// The module compiled on each device, by device id.
    modules: Mutex<HashMap<u64, Arc<Module>>>,
}

/// A shader module and the compute pipelines made from it.
#[derive(Debug)]
pub(crate) struct Module {
    module: wgpu::ShaderModule,
    pipelines: Mutex<HashMap<PipelineKey, wgpu::ComputePipeline>>,
}

/// An entry point and the values of the WGSL `override` constants Halide
/// declares: workgroup size and workgroup memory.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PipelineKey {
    pub entry: String,
    pub threads: [u32; 3],
    pub workgroup_mem_bytes: u32,
}

/// Every pipeline's kernels, so a device release can drop its modules.
static ALL: Mutex<Vec<&'static Kernels>> = Mutex::new(Vec::new());

/// The kernels behind `state`, made from `source` on first use.
///
/// # Safety
/// `state` points to a pipeline's kernel state: null, or set by this
/// function, for as long as that pipeline's code is loaded.
pub(crate) unsafe fn kernels(state: *mut *mut c_void, source: &str) -> &'static Kernels {
    let mut all = ALL.lock().unwrap_or_else(PoisonError::into_inner);
    // SAFETY: the caller's contract; the lock orders the first store with
    // every other thread's read.
    let current = unsafe { *state }.cast::<Kernels>();
    // SAFETY: a non-null state is a Kernels leaked below.
    if let Some(k) = unsafe { current.as_ref() } {
        return k;
    }
    let k: &'static Kernels = Box::leak(Box::new(Kernels {
        source: patch(source),
        modules: Mutex::new(HashMap::new()),
    }));
    // SAFETY: the caller's contract: state is writable.
    unsafe { *state = std::ptr::from_ref(k).cast_mut().cast() };
    all.push(k);
    k
}

/// Halide 21's WGSL calls `halide_popcount`, `halide_count_leading_zeros`
/// and `halide_count_trailing_zeros` (its C backend's helper names) without
/// defining them, so naga (and Tint) reject every shader that uses them.
/// WGSL's built-ins compute the same for the 32-bit values they are called
/// with; narrower Halide types are held in 32 bits too, so leading and
/// trailing zero counts of those count 32 bits (see the crate's README).
fn patch(source: &str) -> String {
    const BUILTINS: [(&str, &str); 3] = [
        ("halide_popcount", "countOneBits"),
        ("halide_count_leading_zeros", "countLeadingZeros"),
        ("halide_count_trailing_zeros", "countTrailingZeros"),
    ];
    let mut text = source.to_owned();
    for (helper, builtin) in BUILTINS {
        if !text.contains(&format!("fn {helper}(")) {
            text = text.replace(&format!("{helper}("), &format!("{builtin}("));
        }
    }
    text
}

/// The kernels `state` was given by [`kernels`], if any.
///
/// # Safety
/// As for [`kernels`].
pub(crate) unsafe fn existing(state: *mut c_void) -> Option<&'static Kernels> {
    // SAFETY: `state` is the pipeline's stored value: null or a leaked Kernels.
    unsafe { state.cast::<Kernels>().cast_const().as_ref() }
}

/// Drops every module compiled on `gpu`.
pub(crate) fn release(gpu: &Gpu) {
    for k in ALL.lock().unwrap_or_else(PoisonError::into_inner).iter() {
        k.modules
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&gpu.id());
    }
}

impl Kernels {
    /// The module for `gpu`, compiled now if it is not yet; naga's message
    /// when the WGSL does not compile.
    pub fn module(&self, gpu: &Gpu) -> Result<Arc<Module>, Error> {
        let mut modules = self.modules.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(m) = modules.get(&gpu.id()) {
            return Ok(Arc::clone(m));
        }
        let module = gpu
            .scoped(ErrorCode::GpuDeviceError, || {
                gpu.device()
                    .create_shader_module(wgpu::ShaderModuleDescriptor {
                        label: Some("halide kernels"),
                        source: wgpu::ShaderSource::Wgsl(self.source.as_str().into()),
                    })
            })
            .map_err(|e| context(e, "compiling the pipeline's WGSL failed"))?;
        let module = Arc::new(Module {
            module,
            pipelines: Mutex::new(HashMap::new()),
        });
        modules.insert(gpu.id(), Arc::clone(&module));
        Ok(module)
    }
}

impl Module {
    /// The compute pipeline for `key`, made on first use.
    pub fn pipeline(&self, gpu: &Gpu, key: &PipelineKey) -> Result<wgpu::ComputePipeline, Error> {
        let mut pipelines = self
            .pipelines
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(p) = pipelines.get(key) {
            return Ok(p.clone());
        }
        let constants = [
            ("wgsize_x", f64::from(key.threads[0])),
            ("wgsize_y", f64::from(key.threads[1])),
            ("wgsize_z", f64::from(key.threads[2])),
            ("workgroup_mem_bytes", f64::from(key.workgroup_mem_bytes)),
        ];
        let pipeline = gpu
            .scoped(ErrorCode::DeviceRunFailed, || {
                gpu.device()
                    .create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                        label: Some(&key.entry),
                        layout: None,
                        module: &self.module,
                        entry_point: Some(&key.entry),
                        compilation_options: wgpu::PipelineCompilationOptions {
                            constants: &constants,
                            zero_initialize_workgroup_memory: false,
                        },
                        cache: None,
                    })
            })
            .map_err(|e| context(e, &format!("making the compute pipeline for {}", key.entry)))?;
        pipelines.insert(key.clone(), pipeline.clone());
        Ok(pipeline)
    }
}

/// `e` with what was being done in front of its message.
pub(crate) fn context(e: Error, what: &str) -> Error {
    let message = match e.message() {
        Some(m) => format!("{what}: {m}"),
        None => what.to_owned(),
    };
    Error::new(e.code(), Some(message))
}

#[cfg(test)]
mod tests {
    use super::patch;

    #[test]
    fn undefined_helpers_become_builtins_and_defined_ones_stay() {
        let wgsl = "let _19 : i32 = halide_popcount(_18);\nlet _20 : u32 = halide_count_leading_zeros(_7);";
        assert_eq!(
            patch(wgsl),
            "let _19 : i32 = countOneBits(_18);\nlet _20 : u32 = countLeadingZeros(_7);"
        );
        let defined = "fn halide_popcount(x : i32) -> i32 { return countOneBits(x); }\nlet a = halide_popcount(b);";
        assert_eq!(patch(defined), defined);
    }
}

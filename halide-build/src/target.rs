//! Target strings for libraries that share one standalone runtime.

/// The target a library is compiled for: each of the (comma-separated)
/// targets gets `no_runtime`, because the runtime is linked once on its
/// own, and `user_context`, which lets each call carry its own handlers.
///
/// ```
/// use halide_build::target;
/// assert_eq!(target::library("host"), "host-no_runtime-user_context");
/// assert_eq!(
///     target::library("x86-64-linux-avx2,x86-64-linux-user_context"),
///     "x86-64-linux-avx2-no_runtime-user_context,x86-64-linux-user_context-no_runtime"
/// );
/// ```
pub fn library(target: &str) -> String {
    target
        .split(',')
        .map(|t| {
            let mut t = t.trim().to_owned();
            for feature in ["no_runtime", "user_context"] {
                if !t.split('-').any(|f| f == feature) {
                    t.push('-');
                    t.push_str(feature);
                }
            }
            t
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The target of the runtime for libraries compiled for `target`: the
/// baseline (last) target of a multi-target list, without `no_runtime`,
/// without `strict_float`, a flag for pipeline code only (with it,
/// Halide 21 fails to compile a runtime: "Setting fast math flags in a
/// module compiled with target flag strict_float"), and without `webgpu`,
/// whose calls the [bridge](crate::webgpu) takes instead of Halide's
/// WebGPU module.
///
/// ```
/// use halide_build::target;
/// assert_eq!(target::runtime("x86-64-linux-avx2-no_runtime,x86-64-linux-no_runtime"), "x86-64-linux");
/// assert_eq!(target::runtime("x86-64-linux-strict_float-no_runtime"), "x86-64-linux");
/// assert_eq!(target::runtime("x86-64-linux-webgpu-no_runtime"), "x86-64-linux");
/// ```
pub fn runtime(target: &str) -> String {
    let baseline = target.rsplit(',').next().unwrap_or(target).trim();
    baseline
        .split('-')
        .filter(|f| !matches!(*f, "no_runtime" | "strict_float" | "webgpu"))
        .collect::<Vec<_>>()
        .join("-")
}

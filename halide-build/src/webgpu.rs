//! Libraries for `webgpu` targets: Halide's WebGPU runtime needs a C
//! WebGPU library (Dawn); halide-rs runs such code on the `wgpu` crate
//! instead, through `halide-wgpu`. A runtime for a `webgpu` target is
//! therefore built without Halide's WebGPU module ([`target::runtime`]
//! drops the feature) and with the bridge here, which forwards the
//! calls generated code makes to halide-wgpu.
//!
//! [`target::runtime`]: crate::target::runtime

use crate::{Error, RuntimeLibrary};
use std::path::Path;
use std::process::Command;

/// The bridge's C source (see halide-runtime's `webgpu` module for the
/// contract it implements).
pub const BRIDGE_SOURCE: &str = include_str!("webgpu/bridge.c");

/// How the bridge finds halide-wgpu's hooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linkage {
    /// Through halide-wgpu's `halide_rs_webgpu_hooks` static, resolved
    /// when the program is linked: static libraries.
    Linked,
    /// Through a variable of the bridge's own that whoever loads the
    /// library fills: shared libraries loaded at run time (the `halide`
    /// crate's compile cache).
    Loaded,
}

/// Whether any of the (comma-separated) targets has the `webgpu` feature.
///
/// ```
/// assert!(halide_build::webgpu::has_webgpu("host-webgpu"));
/// assert!(!halide_build::webgpu::has_webgpu("host-vulkan,host"));
/// ```
pub fn has_webgpu(target: &str) -> bool {
    target
        .split(',')
        .any(|t| t.trim().split('-').any(|f| f == "webgpu"))
}

/// Compiles the bridge to the object file `object` with the C compiler
/// (`$CC`, else `cc`), position-independent so either kind of library
/// can hold it.
pub fn compile_bridge(object: &Path, linkage: Linkage) -> Result<(), Error> {
    let source = object.with_extension("c");
    std::fs::write(&source, BRIDGE_SOURCE).map_err(|e| Error::io(&source, e))?;
    let cc = std::env::var_os("CC")
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "cc".into());
    let mut command = Command::new(&cc);
    command.args(["-c", "-O2", "-fPIC", "-std=c99"]);
    if linkage == Linkage::Loaded {
        command.arg("-DHALIDE_RS_WEBGPU_HOOKS_HERE");
    }
    command.arg(&source).arg("-o").arg(object);
    run(command, &cc.to_string_lossy())
}

/// Completes a standalone runtime built for `target` (already without
/// Halide's WebGPU module, as [`target::runtime`](crate::target::runtime)
/// makes it): when `target` has `webgpu`, compiles the bridge
/// ([`Linkage::Linked`]) and adds it to the runtime's static library.
pub fn complete_runtime(runtime: &RuntimeLibrary, target: &str) -> Result<(), Error> {
    if !has_webgpu(target) {
        return Ok(());
    }
    let bridge = runtime.static_library.with_extension("webgpu_bridge.o");
    compile_bridge(&bridge, Linkage::Linked)?;
    add_to_archive(&runtime.static_library, &bridge)
}

/// Adds `object` to the static library `archive` (with `$AR`, else `ar`).
fn add_to_archive(archive: &Path, object: &Path) -> Result<(), Error> {
    let ar = std::env::var_os("AR")
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "ar".into());
    let mut command = Command::new(&ar);
    command.arg("rs").arg(archive).arg(object);
    run(command, &ar.to_string_lossy())
}

fn run(mut command: Command, name: &str) -> Result<(), Error> {
    let shown = format!("{command:?}");
    let failed = |message: String| Error::Generator {
        command: shown.clone(),
        message,
    };
    let out = command
        .output()
        .map_err(|e| failed(format!("cannot run {name}: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(failed(
            String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bridge_compiles_both_ways_and_defines_the_entry_points() {
        let dir = std::env::temp_dir().join(format!("halide-build-bridge-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (linkage, name) in [(Linkage::Linked, "linked.o"), (Linkage::Loaded, "loaded.o")] {
            let object = dir.join(name);
            compile_bridge(&object, linkage).unwrap();
            let symbols = Command::new("nm").arg(&object).output().unwrap();
            let symbols = String::from_utf8_lossy(&symbols.stdout);
            for entry in ["halide_webgpu_run", "halide_webgpu_initialize_kernels"] {
                assert!(symbols.contains(&format!("T {entry}")), "{symbols}");
            }
            // The hooks are defined here only for loaded libraries.
            let defined = symbols
                .lines()
                .any(|l| l.ends_with(" B halide_rs_webgpu_hooks"));
            assert_eq!(defined, linkage == Linkage::Loaded, "{symbols}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

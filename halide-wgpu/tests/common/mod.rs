//! What the tests share: the `webgpu` target with halide-wgpu registered,
//! GPU tiling, and comparisons with the same pipeline on the CPU.
#![allow(dead_code)]

use halide::GpuTile;
use halide::prelude::*;
use std::sync::OnceLock;

/// The host's `webgpu` target, halide-wgpu registered; prints the adapter
/// once (on CI, Mesa's lavapipe: `llvmpipe (…)`). `None`, after saying
/// why, where wgpu finds no adapter, unless `HALIDE_REQUIRE_GPU` lists
/// `webgpu` (as CI's does): then that is a failure.
pub fn webgpu() -> Option<Target> {
    static READY: OnceLock<Result<String, String>> = OnceLock::new();
    let ready = READY.get_or_init(|| {
        halide_wgpu::register().map_err(|e| e.to_string())?;
        halide_wgpu::gpu()
            .map(|g| g.adapter_name().to_owned())
            .map_err(|e| e.to_string())
    });
    match ready {
        Ok(adapter) => {
            println!("WebGPU: runs on {adapter}");
            Some(Target::host().unwrap().with_feature("webgpu").unwrap())
        }
        Err(why) => {
            let required = std::env::var("HALIDE_REQUIRE_GPU").unwrap_or_default();
            assert!(
                !required.split(',').any(|r| r.trim() == "webgpu"),
                "WebGPU is required (HALIDE_REQUIRE_GPU) but: {why}"
            );
            println!("WebGPU: skipped: {why}");
            None
        }
    }
}

/// Tiles `f` over `x` and `y` onto GPU blocks of `size`×`size` threads.
pub fn tile(f: &mut Func, x: &Var, y: &Var, size: i32) {
    let [bx, by, tx, ty] = Var::many(["bx", "by", "tx", "ty"]);
    f.gpu_tile(&[
        GpuTile {
            var: x,
            block: &bx,
            thread: &tx,
            size,
        },
        GpuTile {
            var: y,
            block: &by,
            thread: &ty,
            size,
        },
    ])
    .unwrap();
}

/// Whether `a` and `b` are at most `ulps` representable floats apart.
pub fn within_ulps(a: f32, b: f32, ulps: u32) -> bool {
    if a == b {
        return true;
    }
    if a.is_nan() || b.is_nan() || a.signum() != b.signum() {
        return false;
    }
    a.to_bits().abs_diff(b.to_bits()) <= ulps
}

/// The coordinates where `got` and `want` differ by more than `ulps`.
pub fn float_mismatches(
    got: &Buffer<f32>,
    want: &Buffer<f32>,
    ulps: u32,
) -> Vec<(usize, f32, f32)> {
    got.as_slice()
        .iter()
        .zip(want.as_slice())
        .enumerate()
        .filter(|(_, (g, w))| !within_ulps(**g, **w, ulps))
        .map(|(i, (g, w))| (i, *g, *w))
        .collect()
}

/// A 2-D input of `w`×`h` values made from `f(x, y)`.
pub fn image<T: halide_runtime::Element>(w: i32, h: i32, f: impl Fn(i32, i32) -> T) -> Buffer<T> {
    Buffer::from_fn(&[w, h], |c| f(c[0], c[1])).unwrap()
}

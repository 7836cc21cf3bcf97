//! Compiles the bundle's pipelines ahead of time for every device API it
//! tests, with one runtime holding all their device support. Compiling
//! needs no device: CUDA's PTX comes from libHalide's LLVM.

use halide::prelude::*;
use halide::{GpuTile, Target};
use halide_build::Build;
use std::error::Error;

/// The APIs the bundle is compiled for, as target features.
const APIS: [&str; 4] = ["cuda", "opencl", "vulkan", "webgpu"];

/// `x` and `y` tiled onto GPU blocks of 32×8 threads, `x` innermost, so
/// that neighbouring threads touch neighbouring memory.
fn tile(f: &mut Func, x: &Var, y: &Var) -> halide::Result<()> {
    let [bx, by, tx, ty] = Var::many(["bx", "by", "tx", "ty"]);
    f.gpu_tile(&[
        GpuTile {
            var: x,
            block: &bx,
            thread: &tx,
            size: 32,
        },
        GpuTile {
            var: y,
            block: &by,
            thread: &ty,
            size: 8,
        },
    ])?;
    Ok(())
}

/// `out(x, y) = input(x, y)`: the bandwidth benchmark's pipeline copy.
fn copy() -> halide::Result<(Func, ImageParam)> {
    let [x, y] = Var::many(["x", "y"]);
    let input = ImageParam::new::<f32>(2, "input");
    let mut out = Func::new("copy");
    out.define([&x, &y], input.at((&x, &y)))?;
    tile(&mut out, &x, &y)?;
    Ok((out, input))
}

/// A 3×3 box blur over an input one element larger on every side.
fn blur() -> halide::Result<(Func, ImageParam)> {
    let [x, y] = Var::many(["x", "y"]);
    let input = ImageParam::new::<f32>(2, "input");
    let mut sum = Expr::from(0.0f32);
    for dy in -1..=1 {
        for dx in -1..=1 {
            sum = sum + input.at((&x + dx, &y + dy));
        }
    }
    let mut out = Func::new("blur");
    out.define([&x, &y], sum * (1.0f32 / 9.0))?;
    tile(&mut out, &x, &y)?;
    Ok((out, input))
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut build = Build::new()?;
    let host: Target = build.target().parse()?;
    let out = build.out_dir().to_owned();
    let mut runtime = host.clone();
    for api in APIS {
        let mut target = host.with_feature(api)?;
        if api == "cuda" {
            // Volta and later: PTX any current driver compiles.
            target = target.with_feature("cuda_capability_70")?;
        }
        let (scaled, input, scale) = halide_test_generators::gpu_scaled()?;
        let library = scaled
            .aot(&format!("scaled_{api}"))?
            .inputs(&[&input, &scale])
            .target(&target)
            .compile_library(&out)?;
        build.library(library);
        let (copy, input) = copy()?;
        let library = copy
            .aot(&format!("copy_{api}"))?
            .inputs(&[&input])
            .target(&target);
        build.library(library.compile_library(&out)?);
        let (blur, input) = blur()?;
        let library = blur
            .aot(&format!("blur_{api}"))?
            .inputs(&[&input])
            .target(&target);
        build.library(library.compile_library(&out)?);
        runtime = runtime.with_feature(api)?;
    }
    build.runtime(halide::aot::compile_runtime(
        &out,
        "halide_runtime",
        &runtime,
    )?);
    build.finish()?;
    Ok(())
}

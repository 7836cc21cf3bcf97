//! Generators written in Rust: compiled in-process by the downstream
//! crate's build script, and by `cargo xtask build-generators` through the
//! `halide-test-generators` binary.

use halide::boundary::repeat_edge;
use halide::generator::{Generator, GeneratorContext, Signature};
use halide::math::{u8_sat, u16};
use halide::prelude::*;

/// Every generator here.
pub const ALL: &[&dyn Generator] = &[&Brighten, &Blur];

/// Lesson 10's pipeline, as a plain Func: `brighter(x, y) = input(x, y) +
/// offset`, saturating; returns it with its inputs in call order.
pub fn brighter() -> halide::Result<(Func, ImageParam, Param<u8>)> {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let input = ImageParam::new::<u8>(2, "input");
    let offset = Param::<u8>::new("offset");
    let mut brighter = Func::new("brighter");
    brighter.define([&x, &y], u8_sat(u16(input.at([&x, &y])) + u16(&offset)))?;
    brighter.vectorize(&x, 16)?.parallel(&y)?;
    Ok((brighter, input, offset))
}

/// A pipeline for the GPU: `out(x, y) = input(x, y) * scale + x - y` over
/// f32, in 16×16 tiles of GPU threads; returns it with its inputs in call
/// order. Compile it for a target with a device API's feature.
pub fn gpu_scaled() -> halide::Result<(Func, ImageParam, Param<f32>)> {
    let [x, y, bx, by, tx, ty] = Var::many(["x", "y", "bx", "by", "tx", "ty"]);
    let input = ImageParam::new::<f32>(2, "input");
    let scale = Param::<f32>::new("scale");
    let mut out = Func::new("gpu_scaled");
    out.define(
        [&x, &y],
        input.at((&x, &y)) * &scale + (&x - &y).cast::<f32>(),
    )?;
    out.gpu_tile(&[
        halide::GpuTile {
            var: &x,
            block: &bx,
            thread: &tx,
            size: 16,
        },
        halide::GpuTile {
            var: &y,
            block: &by,
            thread: &ty,
            size: 16,
        },
    ])?;
    Ok((out, input, scale))
}

/// Adds `offset` to an 8-bit image, saturating.
pub struct Brighten;

impl Generator for Brighten {
    fn name(&self) -> &str {
        "brighten"
    }

    fn generate(&self, g: &mut GeneratorContext) -> halide::Result<Signature> {
        let vector: i32 = g.param("vector", 16)?;
        let (x, y) = (Var::new("x"), Var::new("y"));
        let input = ImageParam::new::<u8>(2, "input");
        let offset = Param::<u8>::new("offset");
        let mut out = Func::new("brighten");
        out.define([&x, &y], u8_sat(u16(input.at([&x, &y])) + u16(&offset)))?;
        out.vectorize(&x, vector)?.parallel(&y)?;
        Signature::new()
            .input(input)
            .input(offset)
            .output::<u8>(out, 2)
    }
}

/// A 3×3 box blur of a 16-bit image, edges repeated; with `divide=false`
/// it returns the 3×3 sums instead of their means.
pub struct Blur;

impl Generator for Blur {
    fn name(&self) -> &str {
        "blur"
    }

    fn generate(&self, g: &mut GeneratorContext) -> halide::Result<Signature> {
        let divide: bool = g.param("divide", true)?;
        let (x, y) = (Var::new("x"), Var::new("y"));
        let input = ImageParam::new::<u16>(2, "input");
        let clamped = repeat_edge(&input)?;
        let mut blur_x = Func::new("blur_x");
        blur_x.define(
            [&x, &y],
            clamped.at([&x - 1, (&y).into()])
                + clamped.at([&x, &y])
                + clamped.at([&x + 1, (&y).into()]),
        )?;
        let mut out = Func::new("blur");
        let sum = blur_x.at([(&x).into(), &y - 1])
            + blur_x.at([&x, &y])
            + blur_x.at([(&x).into(), &y + 1]);
        out.define([&x, &y], if divide { sum / 9 } else { sum })?;
        if !g.using_autoscheduler() {
            let vector = i32::try_from(g.target().natural_vector_size::<u16>()?).unwrap_or(8);
            blur_x.compute_at(&out, &y)?.vectorize(&x, vector)?;
            out.vectorize(&x, vector)?.parallel(&y)?;
        }
        input.dim(0).set_estimate(0, 1536)?;
        input.dim(1).set_estimate(0, 1024)?;
        out.set_estimate(&x, 0, 1536)?.set_estimate(&y, 0, 1024)?;
        Signature::new().input(input).output::<u16>(out, 2)
    }
}

//! Pipelines on wgpu, each checked against the same pipeline on the CPU:
//! exactly for integer pipelines. For floats: the blur bit for bit against
//! the CPU compiled with `strict_float`, so that both evaluate in source
//! order (Halide otherwise lets LLVM reorder the CPU's float arithmetic);
//! quotients within 3 ulps (WGSL allows `/` 2.5 ulps; lavapipe's equal
//! the CPU's here).

mod common;

use common::{float_mismatches, image, tile, webgpu};
use halide::math::saturating_cast;
use halide::prelude::*;
use halide::{MemoryType, args};

/// The host with `strict_float`: float operations in source order.
fn strict_cpu() -> Target {
    Target::host()
        .unwrap()
        .with_feature("strict_float")
        .unwrap()
}

/// A 3×3 box blur, separable: `blur_x` computed per GPU block into
/// workgroup memory by the block's threads, `blur_y` tiled 16×16.
fn blur(input: &ImageParam, on_gpu: bool) -> Func {
    const THIRD: f32 = 1.0 / 3.0;
    let [x, y] = Var::many(["x", "y"]);
    let mut blur_x = Func::new("blur_x");
    blur_x
        .define(
            [&x, &y],
            (input.at((&x, &y)) + input.at((&x + 1, &y)) + input.at((&x + 2, &y))) * THIRD,
        )
        .unwrap();
    let mut blur_y = Func::new("blur_y");
    blur_y
        .define(
            [&x, &y],
            (blur_x.at((&x, &y)) + blur_x.at((&x, &y + 1)) + blur_x.at((&x, &y + 2))) * THIRD,
        )
        .unwrap();
    if on_gpu {
        let [bx, by, tx, ty] = Var::many(["bx", "by", "tx", "ty"]);
        blur_y
            .gpu_tile(&[
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
            ])
            .unwrap();
        blur_x
            .compute_at(&blur_y, &bx)
            .unwrap()
            .gpu_threads(&[&x, &y])
            .unwrap()
            .store_in(MemoryType::GpuShared)
            .unwrap();
    } else {
        // Not inlined, so that Halide simplifies the same sums alike.
        blur_x.compute_root().unwrap();
    }
    blur_y
}

#[test]
fn a_blur_matches_the_cpu() {
    let Some(target) = webgpu() else { return };
    let data = image(258, 258, |x, y| ((x * 37 + y * 91) % 255) as f32 / 7.0);
    let input = ImageParam::new::<f32>(2, "input");
    let cpu = Pipeline::new(&[&blur(&input, false)])
        .unwrap()
        .compile(&strict_cpu())
        .unwrap();
    let gpu = Pipeline::new(&[&blur(&input, true)])
        .unwrap()
        .compile(&target)
        .unwrap();
    let mut want = Buffer::<f32>::new(&[256, 256]).unwrap();
    cpu.call(args![&data, &mut want]).unwrap();
    let mut got = Buffer::<f32>::new(&[256, 256]).unwrap();
    gpu.call(args![&data, &mut got]).unwrap();
    assert!(
        got.device_dirty(),
        "the output stays on the device until asked for"
    );
    got.copy_to_host().unwrap();
    let max = got
        .as_slice()
        .iter()
        .zip(want.as_slice())
        .map(|(a, b)| a.to_bits().abs_diff(b.to_bits()))
        .max();
    let wrong = float_mismatches(&got, &want, 2);
    assert!(
        wrong.is_empty(),
        "{} values differ by more than 2 ulps (max {max:?}): {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(5)]
    );
}

/// Three stages: one computed on its own into device memory, one per
/// block, the output.
fn stages(on_gpu: bool) -> Func {
    let [x, y] = Var::many(["x", "y"]);
    let mut a = Func::new("a");
    a.define([&x, &y], &x * 3 - &y * 5).unwrap();
    let mut b = Func::new("b");
    b.define([&x, &y], a.at((&x, &y)) * a.at((&y, &x)) + 7)
        .unwrap();
    let mut c = Func::new("c");
    c.define([&x, &y], b.at((&x, &y)) - b.at((&x + 1, &y + 1)) / 3)
        .unwrap();
    if on_gpu {
        tile(&mut c, &x, &y, 8);
        a.compute_root().unwrap();
        tile(&mut a, &x, &y, 8);
        let bx = Var::new("bx");
        b.compute_at(&c, &bx)
            .unwrap()
            .gpu_threads(&[&x, &y])
            .unwrap();
    }
    c
}

#[test]
fn stages_computed_root_and_per_block_are_exact() {
    let Some(target) = webgpu() else { return };
    let want: Buffer<i32> = stages(false).realize(&[67, 45]).unwrap();
    let mut gpu = stages(true);
    gpu.compile_jit(&target).unwrap();
    let got: Buffer<i32> = gpu.realize(&[67, 45]).unwrap();
    assert_eq!(got.as_slice(), want.as_slice());
}

/// `saturating_cast<u8>(input * gain + offset)`: a u8 pipeline (Halide
/// emulates 8-bit buffers with atomics) with a float and an int scalar.
fn levels(input: &ImageParam, gain: &Param<f32>, offset: &Param<i32>, on_gpu: bool) -> Func {
    let [x, y] = Var::many(["x", "y"]);
    let mut f = Func::new("levels");
    f.define(
        [&x, &y],
        saturating_cast::<u8>(
            input.at((&x, &y)).cast::<f32>() * gain + offset.expr().cast::<f32>(),
        ),
    )
    .unwrap();
    if on_gpu {
        tile(&mut f, &x, &y, 16);
    }
    f
}

#[test]
fn a_u8_pipeline_with_scalar_arguments_is_exact() {
    let Some(target) = webgpu() else { return };
    let data = image(61, 37, |x, y| (x * 7 + y * 13) as u8);
    let (input, gain, offset) = (
        ImageParam::new::<u8>(2, "input"),
        Param::<f32>::new("gain"),
        Param::<i32>::new("offset"),
    );
    let cpu = Pipeline::new(&[&levels(&input, &gain, &offset, false)])
        .unwrap()
        .compile(&Target::host().unwrap())
        .unwrap();
    let gpu = Pipeline::new(&[&levels(&input, &gain, &offset, true)])
        .unwrap()
        .compile(&target)
        .unwrap();
    for (g, o) in [(1.5f32, -20i32), (0.25, 100), (3.0, 0)] {
        let mut want = Buffer::<u8>::new(&[61, 37]).unwrap();
        cpu.call(args![&data, g, o, &mut want]).unwrap();
        let mut got = Buffer::<u8>::new(&[61, 37]).unwrap();
        gpu.call(args![&data, g, o, &mut got]).unwrap();
        got.copy_to_host().unwrap();
        assert_eq!(got.as_slice(), want.as_slice(), "gain {g}, offset {o}");
    }
}

#[test]
fn scalar_arguments_of_every_type_webgpu_allows() {
    let Some(target) = webgpu() else { return };
    let [x, y] = Var::many(["x", "y"]);
    let (a, b, c) = (
        Param::<i8>::new("a"),
        Param::<i16>::new("b"),
        Param::<i32>::new("c"),
    );
    let (d, e, f) = (
        Param::<u8>::new("d"),
        Param::<u16>::new("e"),
        Param::<u32>::new("f"),
    );
    let (g, h) = (Param::<f32>::new("g"), Param::<bool>::new("h"));
    let define = |on_gpu: bool| {
        let mut out = Func::new("scalars");
        out.define(
            [&x, &y],
            &x * a.expr().cast::<i32>()
                + &y * b.expr().cast::<i32>()
                + c.expr()
                + d.expr().cast::<i32>() * 3
                + e.expr().cast::<i32>()
                + (f.expr() >> 20u32).cast::<i32>()
                + (x.cast::<f32>() * g.expr()).cast::<i32>()
                + select(h.expr(), 1000, -1000),
        )
        .unwrap();
        if on_gpu {
            tile(&mut out, &x, &y, 8);
            out.compile_jit(&target).unwrap();
        }
        out
    };
    let (mut cpu, mut gpu) = (define(false), define(true));
    // Extremes of each type, so sign and zero extension both show.
    for (va, vb, vc, vd, ve, vf, vg, vh) in [
        (
            -128i8,
            -32768i16,
            i32::MIN / 4,
            255u8,
            65535u16,
            u32::MAX,
            -2.5f32,
            true,
        ),
        (127, 32767, i32::MAX / 4, 0, 0, 3_000_000_000, 1.25, false),
    ] {
        a.set(va).unwrap();
        b.set(vb).unwrap();
        c.set(vc).unwrap();
        d.set(vd).unwrap();
        e.set(ve).unwrap();
        f.set(vf).unwrap();
        g.set(vg).unwrap();
        h.set(vh).unwrap();
        let want: Buffer<i32> = cpu.realize(&[19, 11]).unwrap();
        let got: Buffer<i32> = gpu.realize(&[19, 11]).unwrap();
        assert_eq!(
            got.as_slice(),
            want.as_slice(),
            "{va} {vb} {vc} {vd} {ve} {vf} {vg} {vh}"
        );
    }
}

#[test]
fn division_is_within_what_wgsl_allows() {
    let Some(target) = webgpu() else { return };
    let [x, y] = Var::many(["x", "y"]);
    let define = || {
        let mut f = Func::new("quotient");
        f.define(
            [&x, &y],
            ((&x * 7919 + 1).cast::<f32>() * 0.37f32) / ((&y * 104729 + 3).cast::<f32>() * 0.11f32),
        )
        .unwrap();
        f
    };
    let want: Buffer<f32> = define().realize(&[64, 64]).unwrap();
    let mut gpu = define();
    tile(&mut gpu, &x, &y, 8);
    gpu.compile_jit(&target).unwrap();
    let got: Buffer<f32> = gpu.realize(&[64, 64]).unwrap();
    let wrong = float_mismatches(&got, &want, 3);
    assert!(
        wrong.is_empty(),
        "{} quotients off by more than 3 ulps: {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(5)]
    );
}

#[test]
fn types_webgpu_lacks_are_refused_with_halides_message() {
    let Some(target) = webgpu() else { return };
    let [x, y] = Var::many(["x", "y"]);
    let wide = Param::<i64>::new("wide");
    let double = Param::<f64>::new("double");
    let cases: [(Expr, &str); 4] = [
        (wide.expr() * &x, "non-buffer args larger than 4 bytes"),
        (
            double.expr() * x.cast::<f64>(),
            "non-buffer args larger than 4 bytes",
        ),
        (x.cast::<f64>() / 3.0f64, "WGSL only supports 32-bit floats"),
        (
            x.expr().cast_to(halide_runtime::Type::float(16)) * 2,
            "WGSL only supports 32-bit floats",
        ),
    ];
    for (value, message) in cases {
        let mut f = Func::new("wide");
        f.define([&x, &y], value.cast::<f32>()).unwrap();
        tile(&mut f, &x, &y, 8);
        let e = f.compile_jit(&target).unwrap_err();
        assert!(e.to_string().contains(message), "{e}");
    }
}

#[test]
fn one_callable_many_calls_keeps_device_inputs() {
    let Some(target) = webgpu() else { return };
    let input = ImageParam::new::<f32>(2, "input");
    let gpu = Pipeline::new(&[&blur(&input, true)])
        .unwrap()
        .compile(&target)
        .unwrap();
    let cpu = Pipeline::new(&[&blur(&input, false)])
        .unwrap()
        .compile(&strict_cpu())
        .unwrap();
    let mut data = image(66, 34, |x, y| (x + y) as f32);
    let mut out = Buffer::<f32>::new(&[64, 32]).unwrap();
    let mut want = Buffer::<f32>::new(&[64, 32]).unwrap();
    // Lent mutably, the input keeps its device copy between calls.
    gpu.call(args![&mut data, &mut out]).unwrap();
    assert!(data.has_device_allocation());
    // Changed on the host, it is copied again.
    data.set(&[10, 10], 1000.0).unwrap();
    gpu.call(args![&mut data, &mut out]).unwrap();
    out.copy_to_host().unwrap();
    cpu.call(args![&data, &mut want]).unwrap();
    assert!(float_mismatches(&out, &want, 0).is_empty());
    assert!(out.get(&[9, 9]).unwrap() > 100.0);
}

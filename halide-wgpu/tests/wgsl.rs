//! Where Halide 21's WGSL and the CPU disagree, pinned down (the crate's
//! README lists them with their causes). A test here failing after a
//! Halide upgrade means Halide changed: update the README.

mod common;

use common::{tile, webgpu};
use halide::math::{
    count_leading_zeros, count_trailing_zeros, halving_add, popcount, pow, widening_mul,
};
use halide::prelude::*;

/// `value` realized over 32×4 on the CPU and on the GPU.
fn both<T: halide_runtime::Element>(
    target: &Target,
    value: impl Fn(&Var, &Var) -> Expr,
) -> (Buffer<T>, Buffer<T>) {
    let [x, y] = Var::many(["x", "y"]);
    let mut cpu = Func::new("cpu");
    cpu.define([&x, &y], value(&x, &y)).unwrap();
    let mut gpu = Func::new("gpu");
    gpu.define([&x, &y], value(&x, &y)).unwrap();
    tile(&mut gpu, &x, &y, 4);
    gpu.compile_jit(target).unwrap();
    (
        cpu.realize(&[32, 4]).unwrap(),
        gpu.realize(&[32, 4]).unwrap(),
    )
}

/// Halide's WGSL calls helpers it never defines for these; naga rejects
/// such shaders ("no definition in scope for identifier:
/// `halide_popcount`"). halide-wgpu maps them to WGSL's built-ins, exact
/// for 32-bit values.
#[test]
fn bit_counts_of_32_bit_values_are_exact() {
    let Some(target) = webgpu() else { return };
    let (cpu, gpu) = both::<i32>(&target, |x, y| {
        popcount(x * 37 + y)
            + count_leading_zeros(x * 1001 + 1) * 100
            + count_trailing_zeros(x * 8 + y + 1) * 10_000
    });
    assert_eq!(gpu.as_slice(), cpu.as_slice());
}

/// Casts to 8- and 16-bit types do not wrap in Halide's WGSL (such values
/// live in 32 bits, and `u8(x)` is printed as `u32(x)`): arithmetic on
/// them keeps the high bits. Stores wrap, so only intermediate values are
/// affected.
#[test]
fn narrow_casts_do_not_wrap_intermediate_values() {
    let Some(target) = webgpu() else { return };
    let (cpu, gpu) = both::<u16>(&target, |x, _| {
        widening_mul((x * 9).cast::<u8>(), Expr::from(13u8))
    });
    // x = 29: u8(261) = 5, times 13 is 65; unwrapped, 261 × 13 = 3393.
    assert_eq!(
        (cpu.get(&[29, 0]), gpu.get(&[29, 0])),
        (Some(65), Some(3393))
    );
    let (cpu, gpu) = both::<u8>(&target, |x, _| {
        halving_add((x * 9).cast::<u8>(), Expr::from(0u8))
    });
    assert_eq!((cpu.get(&[29, 0]), gpu.get(&[29, 0])), (Some(2), Some(130)));
    // Values that fit agree.
    assert_eq!(cpu.get(&[10, 0]), gpu.get(&[10, 0]));
}

/// Halide emulates C's `pow` for non-positive bases, but gives NaN where C
/// gives 0: `pow(0, y)` for a positive non-integer `y`.
#[test]
fn pow_of_zero_is_nan() {
    let Some(target) = webgpu() else { return };
    let (cpu, gpu) = both::<f32>(&target, |x, _| {
        pow(x.expr().cast::<f32>(), Expr::from(0.5f32))
    });
    assert_eq!(cpu.get(&[0, 0]), Some(0.0));
    assert!(gpu.get(&[0, 0]).unwrap().is_nan());
    // Positive bases agree to within WGSL's accuracy.
    let (c, g) = (cpu.get(&[9, 0]).unwrap(), gpu.get(&[9, 0]).unwrap());
    assert!((c - g).abs() <= 3.0 * f32::EPSILON * c, "{c} {g}");
}

/// `gpu_lanes` is refused by Halide's WebGPU backend.
#[test]
fn gpu_lanes_is_refused() {
    let Some(target) = webgpu() else { return };
    let [x, xo, xi] = Var::many(["x", "xo", "xi"]);
    let mut f = Func::new("lanes");
    f.define([&x], &x * 2).unwrap();
    f.split(&x, &xo, &xi, 32)
        .unwrap()
        .gpu_blocks(&[&xo])
        .unwrap()
        .gpu_lanes(&xi)
        .unwrap();
    let e = f.compile_jit(&target).unwrap_err();
    assert!(
        e.to_string()
            .contains("does not support the gpu_lanes() directive"),
        "{e}"
    );
}

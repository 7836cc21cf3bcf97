//! The arithmetic intrinsics and `halide::intrinsic`, each over a grid of
//! operands against the same computation in plain Rust.

use halide::intrinsic::*;
use halide::math::*;
use halide::prelude::*;

/// `f(a, b)` realized over a ∈ `a_range`, b ∈ `b_range` as a buffer of `T`
/// (a innermost), with a and b as expressions of types `A` and `B`.
fn grid<T: Element, A: Element, B: Element>(
    a_range: std::ops::RangeInclusive<i32>,
    b_range: std::ops::RangeInclusive<i32>,
    f: impl Fn(Expr, Expr) -> Expr,
) -> Vec<T> {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let a = (&x + *a_range.start()).cast::<A>();
    let b = (&y + *b_range.start()).cast::<B>();
    let mut g = Func::new("grid");
    g.define([&x, &y], f(a, b)).unwrap();
    let w = a_range.end() - a_range.start() + 1;
    let h = b_range.end() - b_range.start() + 1;
    g.realize::<T>(&[w, h]).unwrap().as_slice().to_vec()
}

fn expected<T>(
    a_range: std::ops::RangeInclusive<i32>,
    b_range: std::ops::RangeInclusive<i32>,
    f: impl Fn(i32, i32) -> T,
) -> Vec<T> {
    b_range
        .flat_map(|b| a_range.clone().map(move |a| (a, b)))
        .map(|(a, b)| f(a, b))
        .collect()
}

#[test]
fn division_rounding_toward_zero_matches_rust() {
    let nonzero = |b: i32| if b == 0 { 1 } else { b };
    let div = grid::<i32, i32, i32>(-20..=20, -7..=7, |a, b| {
        div_round_to_zero(a, select(b.eq(0), 1, b.clone()))
    });
    assert_eq!(div, expected(-20..=20, -7..=7, |a, b| a / nonzero(b)));
    let rem = grid::<i32, i32, i32>(-20..=20, -7..=7, |a, b| {
        mod_round_to_zero(a, select(b.eq(0), 1, b.clone()))
    });
    assert_eq!(rem, expected(-20..=20, -7..=7, |a, b| a % nonzero(b)));
}

#[test]
fn hypot_matches_rust() {
    let got = grid::<f32, f32, f32>(-10..=10, -10..=10, hypot);
    let want = expected(-10..=10, -10..=10, |a, b| (a as f32).hypot(b as f32));
    for (g, w) in got.iter().zip(&want) {
        assert!((g - w).abs() <= 1e-5 * w.max(1.0), "{g} vs {w}");
    }
}

#[test]
fn rounding_shifts_match_rust() {
    // u8 values, shifts 0..=7 right: round to nearest, ties up, no overflow.
    let right = grid::<u8, u8, u8>(0..=255, 0..=7, rounding_shift_right);
    let want = expected(0..=255, 0..=7, |a, b| {
        let rounding = if b == 0 { 0 } else { 1u32 << (b - 1) };
        ((a as u32 + rounding) >> b) as u8
    });
    assert_eq!(right, want);
    // A negative left shift is a rounding right shift.
    let left = grid::<i16, i16, i16>(-300..=300, -4..=0, rounding_shift_left);
    let want = expected(-300..=300, -4..=0, |a, b| {
        let s = -b;
        let rounding = if s == 0 { 0 } else { 1 << (s - 1) };
        ((a + rounding) >> s) as i16
    });
    assert_eq!(left, want);
}

#[test]
fn widening_operations_keep_every_bit() {
    let shifted = grid::<u16, u8, u8>(0..=255, 0..=8, widening_shift_left);
    assert_eq!(shifted, expected(0..=255, 0..=8, |a, b| (a as u16) << b));
    let shifted = grid::<i16, i8, u8>(-128..=127, 0..=7, widening_shift_right);
    assert_eq!(shifted, expected(-128..=127, 0..=7, |a, b| (a as i16) >> b));
    // Right operands half as wide as the left.
    let add = grid::<u16, u16, u8>(60000..=60100, 0..=255, widen_right_add);
    assert_eq!(add, expected(60000..=60100, 0..=255, |a, b| (a + b) as u16));
    let sub = grid::<i16, i16, i8>(-1000..=1000, -128..=127, widen_right_sub);
    assert_eq!(
        sub,
        expected(-1000..=1000, -128..=127, |a, b| (a - b) as i16)
    );
    let mul = grid::<u16, u16, u8>(0..=200, 0..=255, widen_right_mul);
    assert_eq!(mul, expected(0..=200, 0..=255, |a, b| (a * b) as u16));
    assert!(
        widen_right_add(Expr::from(1u8), Expr::from(1u8))
            .check()
            .is_err(),
        "the left operand must be twice as wide"
    );
}

#[test]
fn bit_fields_match_rust() {
    let got = grid::<u8, u32, u8>(0..=4096, 0..=24, |v, lsb| {
        extract_bits::<u8>(v * 977u32, lsb)
    });
    assert_eq!(
        got,
        expected(0..=4096, 0..=24, |v, lsb| ((v as u32 * 977) >> lsb) as u8)
    );
    let got = grid::<u32, u16, u16>(0..=300, 0..=300, |lo, hi| concat_bits(&[lo, hi]));
    assert_eq!(
        got,
        expected(0..=300, 0..=300, |lo, hi| lo as u32 | (hi as u32) << 16)
    );
    assert!(concat_bits(&[]).check().is_err());
    assert!(
        concat_bits(&[Expr::from(1u8), Expr::from(1u16)])
            .check()
            .is_err()
    );
}

/// `e` evaluated by a pipeline compiled for `target`.
fn on_target(target: &str, e: Expr) -> i32 {
    let mut f = Func::new("on_target");
    f.define([Var::new("x")], e).unwrap();
    f.compile_jit(&target.parse().unwrap()).unwrap();
    f.realize::<i32>(&[1]).unwrap().as_slice()[0]
}

#[test]
fn target_predicates_are_resolved_at_compile_time() {
    // Compiled (not run) for other architectures: lowering resolves the
    // predicates, so the statement shows which side survived.
    for (target, arch, bits) in [
        ("x86-64-linux", "x86", 64),
        ("arm-64-linux", "arm", 64),
        ("arm-32-android", "arm", 32),
    ] {
        let mut f = Func::new("which");
        f.define(
            [Var::new("x")],
            select(target_arch_is(arch), 1000, 0)
                + select(target_arch_is("hexagon"), 1, 0)
                + target_bits(),
        )
        .unwrap();
        let stmt = f.lowered_stmt(&target.parse().unwrap()).unwrap();
        assert!(
            stmt.contains(&format!("{}", 1000 + bits)),
            "{target}: {stmt}"
        );
    }
    let host = Target::host().unwrap();
    assert_eq!(
        on_target(&host.to_string(), select(target_os_is("linux"), 1, 0)),
        1
    );
    assert_eq!(
        on_target(&host.to_string(), select(target_os_is("windows"), 1, 0)),
        0
    );
    let avx2 = host.has_feature("avx2").unwrap() as i32;
    assert_eq!(
        on_target(&host.to_string(), select(target_has_feature("avx2"), 1, 0)),
        avx2
    );
    let lanes = host.natural_vector_size::<f32>().unwrap() as i32;
    assert_eq!(
        on_target(&host.to_string(), target_natural_vector_size::<f32>()),
        lanes
    );
    for bad in [
        target_arch_is("sparc"),
        target_os_is("plan9"),
        target_has_feature("warp_drive"),
    ] {
        assert!(bad.check().is_err());
    }
}

#[test]
fn gather_and_scatter_hints_keep_values() {
    let got = grid::<i32, i32, i32>(0..=9, 0..=3, |a, b| {
        gather(&[a.clone() * b.clone()]) + scatter(&[a])
    });
    assert_eq!(got, expected(0..=9, 0..=3, |a, b| a * b + a));
}

//! Halide's math functions against Rust's, through real pipelines.

use halide::math::*;
use halide::prelude::*;

/// A name, a Halide function of x, and the Rust function it should match.
type Case = (&'static str, fn(Expr) -> Expr, fn(f32) -> f32);

/// Realizes `f(x)` for x in 0..n, with `x` given to `f` as a float in [-2, 2).
fn sample(n: i32, f: impl Fn(Expr) -> Expr) -> Vec<f32> {
    let x = Var::new("x");
    let t = x.expr().cast::<f32>() * (4.0f32 / n as f32) - 2.0f32;
    let mut func = Func::new("sampled");
    func.define([&x], f(t).cast::<f32>()).unwrap();
    func.realize::<f32>(&[n]).unwrap().into_vec()
}

fn reference(n: i32, f: impl Fn(f32) -> f32) -> Vec<f32> {
    (0..n)
        .map(|i| f(i as f32 * (4.0 / n as f32) - 2.0))
        .collect()
}

fn close(a: &[f32], b: &[f32], tolerance: f32) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| (x.is_nan() && y.is_nan()) || (x - y).abs() <= tolerance * (1.0 + y.abs()))
}

#[test]
fn float_functions_match_rust() {
    let n = 64;
    let cases: Vec<Case> = vec![
        ("sin", |e| sin(e), f32::sin),
        ("cos", |e| cos(e), f32::cos),
        ("tan", |e| tan(e), f32::tan),
        ("atan", |e| atan(e), f32::atan),
        ("sinh", |e| sinh(e), f32::sinh),
        ("cosh", |e| cosh(e), f32::cosh),
        ("tanh", |e| tanh(e), f32::tanh),
        ("asinh", |e| asinh(e), f32::asinh),
        ("exp", |e| exp(e), f32::exp),
        ("abs", |e| abs(e), f32::abs),
        ("floor", |e| floor(e), f32::floor),
        ("ceil", |e| ceil(e), f32::ceil),
        ("trunc", |e| trunc(e), f32::trunc),
        ("round", |e| round(e), f32::round_ties_even),
        ("fract", |e| fract(e), |v| v - v.trunc()),
        ("sqrt of |x|", |e| sqrt(abs(e)), |v| v.abs().sqrt()),
        ("log of 3+x", |e| log(e + 3.0f32), |v| (v + 3.0).ln()),
        ("asin of x/2", |e| asin(e / 2.0f32), |v| (v / 2.0).asin()),
        ("acos of x/2", |e| acos(e / 2.0f32), |v| (v / 2.0).acos()),
        ("pow", |e| pow(abs(e.clone()), e), |v| v.abs().powf(v)),
        ("atan2", |e| atan2(e.clone(), 1.5 - e), |v| v.atan2(1.5 - v)),
        (
            "clamp",
            |e| clamp(e, -1.0f32, 0.5f32),
            |v| v.clamp(-1.0, 0.5),
        ),
        ("lerp", |e| lerp(0.0f32, 10.0f32, e), |v| 10.0 * v),
    ];
    for (name, halide, rust) in cases {
        let (got, want) = (sample(n, halide), reference(n, rust));
        assert!(close(&got, &want, 1e-5), "{name}: {got:?} vs {want:?}");
    }
    // The fast approximations are close, not exact.
    let fast: Vec<Case> = vec![
        ("fast_sin", |e| fast_sin(e), f32::sin),
        ("fast_cos", |e| fast_cos(e), f32::cos),
        ("fast_exp", |e| fast_exp(e), f32::exp),
        ("fast_log", |e| fast_log(e + 3.0f32), |v| (v + 3.0).ln()),
        (
            "fast_inverse_sqrt",
            |e| fast_inverse_sqrt(abs(e) + 0.5f32),
            |v| 1.0 / (v.abs() + 0.5).sqrt(),
        ),
    ];
    for (name, halide, rust) in fast {
        let (got, want) = (sample(n, halide), reference(n, rust));
        assert!(close(&got, &want, 1e-2), "{name}: {got:?} vs {want:?}");
    }
}

fn realize_u8(value: Expr) -> u8 {
    let x = Var::new("x");
    let mut f = Func::new("one");
    f.define([&x], value).unwrap();
    f.realize::<u8>(&[1]).unwrap().as_slice()[0]
}

#[test]
fn integer_functions() {
    let (a, b) = (Expr::from(200u8), Expr::from(100u8));
    assert_eq!(realize_u8(saturating_add(&a, &b)), 255);
    assert_eq!(realize_u8(saturating_sub(&b, &a)), 0);
    assert_eq!(realize_u8(halving_add(&a, &b)), 150);
    assert_eq!(
        realize_u8(rounding_halving_add(Expr::from(3u8), Expr::from(4u8))),
        4
    );
    assert_eq!(realize_u8(absd(&b, &a)), 100);
    assert_eq!(realize_u8(popcount(Expr::from(0b1011_0110u8))), 5);
    assert_eq!(
        realize_u8(count_leading_zeros(Expr::from(0b0001_0000u8))),
        3
    );
    assert_eq!(
        realize_u8(count_trailing_zeros(Expr::from(0b0001_0000u8))),
        4
    );
    assert_eq!(widening_add(&a, &b).type_of().unwrap(), Type::uint(16));
    assert_eq!(widening_mul(&a, &b).type_of().unwrap(), Type::uint(16));
    assert_eq!(widening_sub(&a, &b).type_of().unwrap(), Type::int(16));
    assert_eq!(
        realize_u8(mul_shift_right(&a, &b, Expr::from(8u8))),
        ((200 * 100) >> 8) as u8
    );
    assert_eq!(realize_u8(saturating_cast::<u8>(Expr::from(-5i32))), 0);
    assert_eq!(realize_u8(reinterpret::<u8>(Expr::from(-1i8))), 255);
}

#[test]
fn float_predicates() {
    let pred = |e: Expr| realize_u8(e.cast::<u8>());
    assert_eq!(pred(is_nan(Expr::from(f32::NAN))), 1);
    assert_eq!(pred(is_inf(Expr::from(f32::INFINITY))), 1);
    assert_eq!(pred(is_finite(Expr::from(1.0f32))), 1);
    assert_eq!(pred(is_finite(Expr::from(f32::NEG_INFINITY))), 0);
}

#[test]
fn hints_do_not_change_values() {
    let x = Var::new("x");
    let mut f = Func::new("hinted");
    f.define(
        [&x],
        select(
            likely(x.lt(10)),
            strict_float(x.expr().cast::<f32>() * 0.5f32),
            erf(Expr::from(0.0f32)),
        ),
    )
    .unwrap();
    assert_eq!(
        f.realize::<f32>(&[12]).unwrap().as_slice()[..3],
        [0.0, 0.5, 1.0]
    );
}

#[test]
fn math_on_wrong_types_is_an_error() {
    let err = popcount(Expr::from(1.5f32)).check().unwrap_err();
    assert!(!err.message().is_empty());
    let err = reinterpret::<u8>(Expr::from(1i32)).check().unwrap_err();
    assert!(
        err.message().contains("Reinterpret cast from type int32"),
        "{err}"
    );
}

//! One test per disagreement the fuzzer found.
//!
//! `halide_bug_*` tests pin a Halide 21 bug: they assert what Halide does
//! today, with the right answer in a comment, and fail once Halide changes
//! (then drop the matching exclusion: its name is the test's, in
//! `reference.rs`, `harness.rs` or `generate.rs`). `reference_*` tests
//! check, through the fuzzer's own harness, cases where the reference had
//! Halide's documented semantics wrong and was fixed.

use crate::ast::{Bin, Lit, Node, Un};
use crate::batch::Batch;
use crate::harness::{Stats, check};
use crate::ty::{NUMERIC, Ty, Val};
use halide::math::{abs, clamp, mux, rounding_mul_shift_right, saturating_add, widening_mul};
use halide::prelude::*;
use halide::{Callable, args};

fn b(n: Node) -> Box<Node> {
    Box::new(n)
}

/// `node` checked by the harness over the fuzzer's grid, all Params zero
/// except those given.
fn agrees(node: Node, vector: Option<i32>, set: &[(Ty, Val)]) -> Result<(), String> {
    let mut params: Vec<Val> = NUMERIC
        .iter()
        .map(|t| if t.is_float() { Val::F(0.0) } else { Val::I(0) })
        .collect();
    for (t, v) in set {
        params[NUMERIC.iter().position(|p| p == t).unwrap()] = *v;
    }
    let batch = Batch {
        exprs: vec![node],
        params: vec![params],
        vector,
        floats: true,
    };
    check(&batch, &Stats::default())
}

fn vars() -> (Var, Var) {
    (Var::new("x"), Var::new("y"))
}

/// Compiles `f(x, y) = e` (scalar, or vectorized by `vector`) for `target`.
fn compile(
    e: Expr,
    vector: Option<i32>,
    target: &Target,
    inputs: &[&dyn halide::Input],
) -> halide::Result<Callable> {
    let (x, y) = vars();
    let mut f = Func::new("f");
    f.define([&x, &y], e)?;
    if let Some(v) = vector {
        f.vectorize(&x, v)?;
    }
    Pipeline::new(&[&f])?.compile_with_inputs(target, inputs)
}

fn strict() -> Target {
    Target::host()
        .unwrap()
        .with_feature("strict_float")
        .unwrap()
}

#[test]
fn halide_bug_partitioned_select_of_conditions() {
    // With p = 1 and y = 1, select(p > 0, y < 100, y <= 0) holds and the
    // result is 0. Partitioning the loop over y, Halide keeps only the
    // `y <= 0` case and computes u16(x) for y >= 1 (vectorized here, as
    // the fuzzer found it).
    let p = Param::<i32>::new("p");
    let (x, y) = vars();
    let cond = select(p.gt(0), y.lt(100), y.le(0));
    let e = select(cond, Expr::from(0u16), x.cast::<u16>());
    let c = compile(e, Some(4), &Target::host().unwrap(), &[&p]).unwrap();
    let mut out = Buffer::<u16>::new(&[16, 4]).unwrap();
    out.set_min(&[-8, -2]).unwrap();
    c.call(args![1i32, &mut out]).unwrap();
    // Row y = 1, x = -8.
    assert_eq!(
        out.as_slice()[3 * 16],
        65528,
        "fixed: the condition holds now"
    );
}

#[test]
fn halide_bug_constant_int_to_float_double_rounding() {
    // 2^54 - 2^29 - 1 rounds to the float 2^54 - 2^30; Halide converts the
    // constant through a double, rounding twice, and gets 2^54.
    let v = (1u64 << 54) - (1 << 29) - 1;
    let c = compile(
        Expr::from(v).cast::<f32>(),
        None,
        &Target::host().unwrap(),
        &[],
    )
    .unwrap();
    let mut out = Buffer::<f32>::new(&[1, 1]).unwrap();
    c.call(args![&mut out]).unwrap();
    assert_eq!(v as f32, ((1u64 << 54) - (1 << 30)) as f32);
    assert_eq!(
        out.as_slice(),
        &[(1u64 << 54) as f32],
        "fixed: one rounding now"
    );
}

#[test]
fn halide_bug_vectorized_clamp_of_saturating_add() {
    // At x = -8, y = 0: clamp(saturating_add(x, -83409935), 0, y >> 27) is
    // 0 (the saturating sum is -83409943, nowhere near saturation);
    // vectorized, the clamp is lost and the sum comes out.
    let (x, y) = vars();
    let e = clamp(
        saturating_add(&x, Expr::from(-83409935i32)),
        0,
        &y >> Expr::from(27u8),
    );
    let c = compile(e, Some(4), &Target::host().unwrap(), &[]).unwrap();
    let mut out = Buffer::<i32>::new(&[16, 1]).unwrap();
    out.set_min(&[-8, 0]).unwrap();
    c.call(args![&mut out]).unwrap();
    assert_eq!(out.as_slice()[0], -83409943, "fixed: clamped to 0 now");
}

#[test]
fn halide_bug_x86_float_le_nan() {
    // With strict_float, `0.0 <= NaN` must be false; x86 code computes
    // `a <= b` as `!(a > b)` (CodeGen_X86::visit(const LE *)).
    let p = Param::<f64>::new("p");
    let c = compile(
        select(Expr::from(0.0f64).le(&p), 1u8, 0u8),
        None,
        &strict(),
        &[&p],
    )
    .unwrap();
    let mut out = Buffer::<u8>::new(&[1, 1]).unwrap();
    c.call(args![f64::NAN, &mut out]).unwrap();
    assert_eq!(out.as_slice(), &[1], "fixed: 0.0 <= NaN is now false");
}

#[test]
fn halide_bug_constant_eq_int_min() {
    // `0 == INT_MIN` is false; the simplifier computes `0 - INT_MIN` and
    // fails the compilation for signed overflow.
    let e = select(Expr::from(0i32).eq(Expr::from(i32::MIN)), 1u8, 0u8);
    let err = compile(e, None, &Target::host().unwrap(), &[]).expect_err("fixed: compiles now");
    assert!(err.message().contains("Signed integer overflow"), "{err}");
}

#[test]
fn halide_bug_vectorized_max_near_int_max() {
    // f(x) = max(x, p) is p for p = INT_MAX - 1 and x in [-8, 8); vectorized,
    // loop partitioning computes `p - min.x`, which overflows, and x comes out.
    let p = Param::<i32>::new("p");
    let (x, _) = vars();
    let c = compile(max(&x, &p), Some(4), &Target::host().unwrap(), &[&p]).unwrap();
    let mut out = Buffer::<i32>::new(&[16, 1]).unwrap();
    out.set_min(&[-8, 0]).unwrap();
    c.call(args![i32::MAX - 1, &mut out]).unwrap();
    assert_eq!(
        out.as_slice()[0],
        -8,
        "fixed: max(-8, INT_MAX - 1) is right now"
    );
}

#[test]
fn halide_bug_simplifier_moves_terms_into_overflow() {
    // (-1 - max(p, y)) <= p holds for p = 1714894908 (no overflow); the
    // simplifier makes it !((max(p, y) + p) < -1), and p + p overflows.
    let p = Param::<i32>::new("p");
    let (_, y) = vars();
    let e = select((Expr::from(-1i32) - max(&p, &y)).le(&p), 1u8, 0u8);
    let c = compile(e, None, &Target::host().unwrap(), &[&p]).unwrap();
    let mut out = Buffer::<u8>::new(&[1, 1]).unwrap();
    c.call(args![1714894908i32, &mut out]).unwrap();
    assert_eq!(out.as_slice(), &[0], "fixed: the comparison holds now");
}

#[test]
fn halide_bug_spurious_overflow_when_compiling() {
    // Nothing overflows in (p >> 21) <= -2048, but the simplifier's
    // rewrite does, so Halide refuses to compile it.
    let p = Param::<i32>::new("p");
    let e = widening_mul(
        Expr::from(0u8),
        (&p >> Expr::from(21u16)).le(-2048).cast::<i8>(),
    );
    let err = compile(e, None, &Target::host().unwrap(), &[&p]).expect_err("fixed: compiles now");
    assert!(err.message().contains("Signed integer overflow"), "{err}");
}

#[test]
fn halide_bug_strict_float_div_by_constant_zero() {
    // IEEE defines p / 0.0 (an infinity or NaN); with strict_float, code
    // generation asserts that no divisor is a constant zero.
    let p = Param::<f32>::new("p");
    let err =
        compile(&p / Expr::from(0.0f32), None, &strict(), &[&p]).expect_err("fixed: compiles now");
    assert!(err.message().contains("Division by constant zero"), "{err}");
}

#[test]
fn halide_bug_cast_of_cast_of_float() {
    // uint64(int64(-8.0)) is 2^64 - 8. The simplifier drops the inner cast
    // of a cast (Simplify_Cast.cpp checks `op->value`'s type, not the
    // innermost value's), leaving uint64(-8.0), which is undefined.
    let (x, _) = vars();
    let e = x.cast::<i16>().cast::<f64>().cast::<i64>().cast::<u64>();
    let c = compile(e, None, &Target::host().unwrap(), &[]).unwrap();
    let mut out = Buffer::<u64>::new(&[1, 1]).unwrap();
    out.set_min(&[-8, 0]).unwrap();
    c.call(args![&mut out]).unwrap();
    assert_ne!(
        out.as_slice()[0],
        0u64.wrapping_sub(8),
        "fixed: the cast chain is right now"
    );
}

#[test]
fn halide_bug_rounding_mul_shift_right_folding() {
    // rounding_mul_shift_right(0, b, 0) is 0; constant folding fails.
    let e = rounding_mul_shift_right(Expr::from(0u16), Expr::from(5u16), Expr::from(0u16));
    let err = compile(e, None, &Target::host().unwrap(), &[]).expect_err("fixed: compiles now");
    assert!(err.message().contains("Signed integer overflow"), "{err}");
}

#[test]
fn halide_bug_vectorized_uint64_wrapping_mul() {
    // At x = 0, int64(uint64(uint16(x)) * UINT64_MAX) == 0; vectorized, the
    // select is simplified away as if the wrapping product were never 0.
    let (x, _) = vars();
    let product = x.cast::<u16>().cast::<u64>() * Expr::from(u64::MAX);
    let e = select(
        product.cast::<i64>().eq(Expr::from(0i64)),
        1.0f64,
        x.cast::<f64>(),
    );
    let c = compile(e, Some(4), &Target::host().unwrap(), &[]).unwrap();
    let mut out = Buffer::<f64>::new(&[8, 1]).unwrap();
    out.set_min(&[-4, 0]).unwrap();
    c.call(args![&mut out]).unwrap();
    assert_eq!(out.as_slice()[4], 0.0, "fixed: the select is kept now");
}

#[test]
fn halide_bug_cse_merges_signed_zeros() {
    // mux(k, [-0.0, 0.0]) at k = 1 is +0.0; Halide's IR equality takes the
    // constants for one, and both come out -0.0.
    let (x, y) = vars();
    let k = Var::new("k");
    let mut f = Func::new("f");
    f.define(
        [&x, &y, &k],
        mux(&k, [Expr::from(-0.0f64), Expr::from(0.0f64)]),
    )
    .unwrap();
    let out = f.realize::<f64>(&[1, 1, 2]).unwrap();
    assert!(
        out.as_slice()[1].is_sign_negative(),
        "fixed: +0.0 stays +0.0"
    );
}

#[test]
fn halide_bug_abs_negative_zero_folding() {
    // abs(-0.0) is +0.0 (and is, computed at run time); constant folding
    // gives -0.0. The fuzzer compares zeros regardless of sign, since
    // Halide keeps no sign of zero (above), so this one is found no more.
    let e = abs(Expr::from(-0.0f64));
    let c = compile(e, None, &strict(), &[]).unwrap();
    let mut out = Buffer::<f64>::new(&[1, 1]).unwrap();
    c.call(args![&mut out]).unwrap();
    assert!(
        out.as_slice()[0].is_sign_negative(),
        "fixed: abs(-0.0) folds to +0.0"
    );
}

/// The crashes of the `*_crashes` tests below, run only in the child
/// process each starts (`HALIDE_FUZZ_CRASH_CHILD` names the crash).
#[test]
fn crash_child() {
    let Ok(which) = std::env::var("HALIDE_FUZZ_CRASH_CHILD") else {
        return;
    };
    let p = Param::<i32>::new("p");
    let (x, y) = vars();
    let e = match which.as_str() {
        "rounding_mul_shift_right" => max(&x, rounding_mul_shift_right(&p, &y, Expr::from(20u32))),
        _ => clamp(&x, Expr::from(i32::MAX - 1), &p),
    };
    let c = compile(e, Some(8), &Target::host().unwrap(), &[&p]).unwrap();
    let mut out = Buffer::<i32>::new(&[16, 4]).unwrap();
    out.set_min(&[-8, -2]).unwrap();
    c.call(args![97i32, &mut out]).unwrap();
}

/// Whether the crash `which` of `crash_child` kills its process.
fn crashes(which: &str) -> bool {
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "regressions::crash_child", "--test-threads=1"])
        .env("HALIDE_FUZZ_CRASH_CHILD", which)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    // Killed by a signal: no exit code.
    status.code().is_none()
}

#[test]
fn halide_bug_vectorized_rounding_mul_shift_right_crashes() {
    // max(x, rounding_mul_shift_right(p, y, 20)) on int32, vectorized, has
    // bounds Halide computes near the int32 limits: loop partitioning's
    // arithmetic overflows and the code it emits crashes (SIGSEGV).
    assert!(crashes("rounding_mul_shift_right"), "fixed: no crash now");
}

#[test]
fn halide_bug_vectorized_clamp_near_int_max_crashes() {
    // clamp(x, INT_MAX - 1, p), vectorized, crashes (SIGSEGV): loop
    // partitioning's bounds overflow, as in
    // `halide_bug_vectorized_max_near_int_max`.
    assert!(crashes("clamp"), "fixed: no crash now");
}

#[test]
fn reference_mux_out_of_range_is_the_last_value() {
    // IROperator.h: an out-of-range index, negative too, gives the last
    // value (not a clamped one, as `halide::math::mux`'s doc says).
    let values = vec![
        Node::Const(Ty::U8, Val::I(10)),
        Node::Const(Ty::U8, Val::I(20)),
        Node::Param(Ty::U8),
    ];
    let node = Node::Mux(b(Node::Cast(Ty::I8, b(Node::X))), values);
    agrees(node, None, &[(Ty::U8, Val::I(30))]).unwrap();
}

#[test]
fn reference_saturating_cast_of_nan_is_unspecified() {
    // saturating_cast to a float clamps with min and max, unspecified for
    // NaN (Halide gives +inf): the reference first expected NaN, and now
    // counts the value undefined.
    let node = Node::SaturatingCast(
        Ty::F32,
        b(Node::Un(Un::Sqrt, b(Node::Cast(Ty::F32, b(Node::Y))))),
    );
    agrees(node, None, &[]).unwrap();
}

#[test]
fn reference_undefined_anywhere_spoils_the_whole_run() {
    // 2147483646 + x overflows only for x >= 2, but vectorized loop
    // partitioning, assuming no overflow, got x = -8 wrong too: undefined
    // behaviour anywhere makes the whole run undefined.
    let big = Node::BinLit(Bin::Add, b(Node::X), Lit::Int(2147483646), true);
    let node = Node::Bin(Bin::Max, b(big), b(Node::Y));
    let node = Node::Clamp(
        b(Node::Const(Ty::I32, Val::I(0))),
        b(Node::Param(Ty::I32)),
        b(node),
    );
    agrees(node, Some(8), &[]).unwrap();
}

#[test]
fn reference_euclidean_division_and_modulo() {
    // IROperator.h: division rounds down for positive divisors and up for
    // negative ones, the remainder is never negative, and x / 0 = x % 0 = 0.
    for op in [Bin::Div, Bin::Mod] {
        let node = Node::Bin(
            op,
            b(Node::Cast(Ty::I8, b(Node::X))),
            b(Node::Param(Ty::I8)),
        );
        for d in [-3, 0, 3, -128] {
            agrees(node.clone(), Some(8), &[(Ty::I8, Val::I(d))]).unwrap();
        }
    }
}

#[test]
fn reference_negative_shift_reverses() {
    // `e << n` with a negative n shifts right, through Expr and int operands.
    let amount = Node::Param(Ty::I8);
    let node = Node::Bin(Bin::Shl, b(Node::Cast(Ty::I16, b(Node::X))), b(amount));
    agrees(node, None, &[(Ty::I8, Val::I(-2))]).unwrap();
    let node = Node::BinLit(
        Bin::Shl,
        b(Node::Cast(Ty::I16, b(Node::X))),
        Lit::Int(-2),
        false,
    );
    agrees(node, None, &[]).unwrap();
}

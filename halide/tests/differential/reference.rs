//! The reference evaluator: Halide's documented semantics in plain Rust.
//!
//! Integers are computed exactly (in i128) and then wrapped or checked;
//! floats in IEEE arithmetic of their own width. Where Halide leaves a
//! result undefined, or a known Halide bug may show, the evaluation says
//! so (see [`Flags`]): the harness then compares nothing of that run, or
//! excuses a wrong value.

use crate::ast::{Bin, Lit, Node, Un, bin_ty, lit_operand_ty, lit_ty};
use crate::ty::{NUMERIC, Ty, Val, cast, from_bits, int_to_float, match_types, round_float, wrap};
use crate::ty::{match_bits, saturating_cast, to_bits};

/// The inputs of one evaluation.
#[derive(Clone, Copy, Debug)]
pub struct Env<'a> {
    pub x: i32,
    pub y: i32,
    /// The Params' values, in the order of `ty::NUMERIC`.
    pub params: &'a [Val],
}

/// What the evaluation met, anywhere in the expression (even in a
/// `select` branch not taken: Halide evaluates both, and optimises on the
/// assumption that nothing overflows).
#[derive(Clone, Copy, Debug, Default)]
pub struct Flags {
    /// Some result is undefined in Halide: compare nothing.
    pub undefined: bool,
    /// Something Halide's constant folding reports as "signed integer
    /// overflow", failing the compilation, were its operands constants:
    /// signed 32- or 64-bit overflow, a shift by the type's width or more,
    /// and two Halide bugs: `==`/`!=` of 32- or 64-bit values whose
    /// difference overflows (`halide_bug_constant_eq_int_min`),
    /// `rounding_mul_shift_right(0, b, 0)` (`halide_bug_rounding_mul_shift_right_folding`).
    pub folding_overflow: bool,
    /// A float division by zero, which Halide refuses to compile where the
    /// zero is a constant (with `strict_float`; see [`folds_badly`]).
    pub float_div_by_zero: bool,
    /// A known Halide bug that may change the result here: the name of its
    /// regression test (the first met).
    pub known_bug: Option<&'static str>,
}

/// Signed 32- or 64-bit values of at least a quarter of their type's range
/// in magnitude. Halide's simplifier treats these types as mathematical
/// integers and moves terms around (`a - b <= c` becomes `a <= b + c`),
/// which can overflow for such values; loop partitioning of vectorized
/// loops computes bounds that overflow near the limits.
const LARGE: &str =
    "halide_bug_simplifier_moves_terms_into_overflow, halide_bug_vectorized_max_near_int_max";

/// Halide does not keep the sign of a zero (see `Val::same`).
const SIGNED_ZERO: &str = "halide_bug_cse_merges_signed_zeros";

impl Flags {
    fn set_overflow(&mut self) {
        self.undefined = true;
        self.folding_overflow = true;
    }

    fn bug(&mut self, test: &'static str) {
        self.known_bug.get_or_insert(test);
    }
}

/// `v`, an exact integer result of type `ty`: wrapped for types whose
/// overflow Halide defines, else flagged when out of range.
fn fit(ty: Ty, v: i128, flags: &mut Flags) -> Val {
    if !ty.wraps() && (v < ty.min_int() || v > ty.max_int()) {
        flags.set_overflow();
    }
    Val::I(wrap(ty, v))
}

/// An IEEE operation in the precision of float type `ty`.
fn float_op(
    ty: Ty,
    a: f64,
    b: f64,
    op: impl Fn(f64, f64) -> f64,
    op32: impl Fn(f32, f32) -> f32,
) -> Val {
    if ty == Ty::F32 {
        Val::F(f64::from(op32(a as f32, b as f32)))
    } else {
        Val::F(op(a, b))
    }
}

/// Evaluates `node` for `env`.
pub fn eval(node: &Node, env: &Env<'_>, flags: &mut Flags) -> Val {
    eval_typed(node, env, flags).1
}

/// Evaluates `node`, with its type (found on the way up, not by
/// `Node::ty`, which would walk each subtree again).
fn eval_typed(node: &Node, env: &Env<'_>, flags: &mut Flags) -> (Ty, Val) {
    let (ty, v) = eval_node(node, env, flags);
    note_large(ty, v, flags);
    (ty, v)
}

/// Flags a [`LARGE`] value.
fn note_large(ty: Ty, v: Val, flags: &mut Flags) {
    if let Val::I(i) = v {
        if ty.is_signed() && ty.bits() >= 32 && i.unsigned_abs() >= 1u128 << (ty.bits() - 2) {
            flags.bug(LARGE);
        }
    }
}

fn eval_node(node: &Node, env: &Env<'_>, flags: &mut Flags) -> (Ty, Val) {
    let mut ev = |n: &Node| eval_typed(n, env, flags);
    match node {
        Node::X => (Ty::I32, Val::I(i128::from(env.x))),
        Node::Y => (Ty::I32, Val::I(i128::from(env.y))),
        Node::Param(t) => (*t, env.params[NUMERIC.iter().position(|p| p == t).unwrap()]),
        Node::Const(t, v) => (*t, *v),
        Node::Cast(..) | Node::Reinterpret(..) => {
            let Some((t, e)) = int_cast(node) else {
                return reinterpret(node, env, flags);
            };
            if let Some((mid, inner)) = int_cast(e) {
                let (from, v) = ev(inner);
                let v_mid = convert(from, mid, v, flags);
                let result = convert(mid, t, v_mid, flags);
                // Halide's simplifier drops the middle cast of these (it
                // checks the wrong type), even when that changes the value.
                let same_kind_narrower = t.is_int() == mid.is_int()
                    && t.is_signed() == mid.is_signed()
                    && t.bits() < mid.bits();
                let int_narrowing = t.is_int() && mid.is_int() && t.bits() <= mid.bits();
                if (same_kind_narrower || int_narrowing)
                    && !cast(from, t, v).is_some_and(|d| d.same(result))
                {
                    flags.bug("halide_bug_cast_of_cast_of_float");
                }
                return (t, result);
            }
            let (from, v) = ev(e);
            (t, convert(from, t, v, flags))
        }
        Node::SaturatingCast(t, e) => {
            let (from, v) = ev(e);
            (*t, {
                note_double_rounding(*t, v, flags);
                undefined_if_none(saturating_cast(from, *t, v), *t, flags)
            })
        }
        Node::Un(op, e) => {
            let (ty, v) = ev(e);
            let result_ty = match op {
                Un::IsNan | Un::IsInf | Un::IsFinite => Ty::Bool,
                Un::Abs if ty.is_signed() => ty.to_unsigned(),
                _ => ty,
            };
            (result_ty, unary(*op, ty, v, flags))
        }
        Node::Bin(op, a, b) => {
            let (va, vb) = (ev(a), ev(b));
            if matches!(op, Bin::Min | Bin::Max) {
                note_saturating_bound(&[a, b], flags);
            }
            let (a, b) = (va, vb);
            (bin_ty(*op, a.0, b.0), binary(*op, a, b, flags))
        }
        Node::BinLit(op, e, lit, left) => {
            let (ty, v) = ev(e);
            let lt = lit_operand_ty(*op, ty, *lit, *left);
            let lv = match *lit {
                Lit::Int(i) if lt.is_float() => Val::F(int_to_float(lt, i128::from(i))),
                Lit::Int(i) => Val::I(i128::from(i)),
                Lit::Float(f) => Val::F(round_float(lt, f)),
            };
            note_large(lt, lv, flags);
            let result = match (*op, *left, *lit) {
                // `e << n` with a negative int is `e >> -n`, and vice versa
                // (Halide's `operator<<(Expr, int)`).
                (Bin::Shl | Bin::Shr, false, Lit::Int(n)) if n < 0 => {
                    let flipped = if *op == Bin::Shl { Bin::Shr } else { Bin::Shl };
                    binary(flipped, (ty, v), (lt, Val::I(-i128::from(n))), flags)
                }
                (_, true, _) => binary(*op, (lt, lv), (ty, v), flags),
                _ => binary(*op, (ty, v), (lt, lv), flags),
            };
            (lit_ty(*op, ty, *lit, *left), result)
        }
        Node::Select(c, t, f) => {
            let (c, t, f) = (ev(c).1, ev(t), ev(f));
            if c.bool() { t } else { f }
        }
        Node::Clamp(a, lo, hi) => {
            let (va, vlo, vhi) = (ev(a), ev(lo), ev(hi));
            note_saturating_bound(&[a, lo, hi], flags);
            let (a, lo, hi) = (va, vlo, vhi);
            let ty = a.0;
            let m = binary(Bin::Min, a, hi, flags);
            (ty, binary(Bin::Max, (ty, m), lo, flags))
        }
        Node::MulShiftRight(round, a, b, q) => {
            let ((ty, a), (_, b)) = (ev(a), ev(b));
            let product = a.int() * b.int();
            let q = i128::from(*q);
            // Halide's constant folding fails on these.
            flags.folding_overflow |= *round && q == 0 && a.int() == 0;
            let rounding = if *round && q > 0 { 1i128 << (q - 1) } else { 0 };
            (
                ty,
                Val::I(((product + rounding) >> q).clamp(ty.min_int(), ty.max_int())),
            )
        }
        Node::Mux(i, values) => {
            // Out of range (negative included) is the last value (IROperator.h).
            let i = ev(i).1.int();
            let vals: Vec<(Ty, Val)> = values.iter().map(&mut ev).collect();
            let k = usize::try_from(i).ok().filter(|&k| k < vals.len());
            vals[k.unwrap_or(vals.len() - 1)]
        }
    }
}

fn undefined_if_none(v: Option<Val>, ty: Ty, flags: &mut Flags) -> Val {
    v.unwrap_or_else(|| {
        flags.undefined = true;
        if ty.is_float() {
            Val::F(0.0)
        } else {
            Val::I(0)
        }
    })
}

fn unary(op: Un, ty: Ty, v: Val, flags: &mut Flags) -> Val {
    match (op, v) {
        (Un::Neg, Val::I(i)) => fit(ty, -i, flags),
        // `0 - x`, so the negation of +0.0 is +0.0.
        (Un::Neg, Val::F(f)) => float_op(ty, 0.0, f, |a, b| a - b, |a, b| a - b),
        (Un::BitNot, Val::I(i)) => Val::I(wrap(ty, !i)),
        (Un::Not, Val::B(b)) => Val::B(!b),
        (Un::Abs, Val::I(i)) => Val::I(i.abs()),
        (Un::Abs, Val::F(f)) => Val::F(f.abs()),
        (Un::Popcount, Val::I(_)) => Val::I(i128::from(to_bits(ty, v).count_ones())),
        (Un::CountLeadingZeros, Val::I(_)) => {
            let lz = to_bits(ty, v).leading_zeros() - (64 - ty.bits());
            Val::I(i128::from(lz))
        }
        (Un::CountTrailingZeros, Val::I(i)) => {
            let tz = if i == 0 {
                ty.bits()
            } else {
                to_bits(ty, v).trailing_zeros()
            };
            Val::I(i128::from(tz))
        }
        (Un::Floor, Val::F(f)) => Val::F(f.floor()),
        (Un::Ceil, Val::F(f)) => Val::F(f.ceil()),
        (Un::Round, Val::F(f)) => Val::F(f.round_ties_even()),
        (Un::Trunc, Val::F(f)) => Val::F(f.trunc()),
        // Halide defines fract(x) as x - trunc(x).
        (Un::Fract, Val::F(f)) => float_op(ty, f, f.trunc(), |a, b| a - b, |a, b| a - b),
        (Un::Sqrt, Val::F(f)) => float_op(ty, f, 0.0, |a, _| a.sqrt(), |a, _| a.sqrt()),
        (Un::IsNan, Val::F(f)) => Val::B(f.is_nan()),
        (Un::IsInf, Val::F(f)) => Val::B(f.is_infinite()),
        (Un::IsFinite, Val::F(f)) => Val::B(f.is_finite()),
        (op, v) => panic!("ill-typed {op:?} of {v:?}: {ty}"),
    }
}

/// Converts an operand to the operation's type (Halide inserts the cast).
fn to(ty: Ty, (from, v): (Ty, Val), flags: &mut Flags) -> Val {
    convert(from, ty, v, flags)
}

/// A cast, flagged undefined where Halide leaves it so.
fn convert(from: Ty, to: Ty, v: Val, flags: &mut Flags) -> Val {
    note_double_rounding(to, v, flags);
    undefined_if_none(cast(from, to, v), to, flags)
}

/// Halide converts a constant integer to float32 through float64, which
/// can round twice (`halide_bug_constant_int_to_float_double_rounding`).
fn note_double_rounding(to: Ty, v: Val, flags: &mut Flags) {
    if let (Ty::F32, Val::I(i)) = (to, v) {
        if f64::from(i as f64 as f32) != f64::from(i as f32) {
            flags.bug("halide_bug_constant_int_to_float_double_rounding");
        }
    }
}

/// Euclidean division and modulo (IROperator.h, `operator/`, `operator%`):
/// the remainder is never negative; by zero, both are zero.
fn div_mod(ty: Ty, a: i128, b: i128, flags: &mut Flags) -> (Val, Val) {
    if b == 0 {
        return (Val::I(0), Val::I(0));
    }
    (fit(ty, a.div_euclid(b), flags), Val::I(a.rem_euclid(b)))
}

/// `a op b`, each operand with its type.
pub fn binary(op: Bin, a: (Ty, Val), b: (Ty, Val), flags: &mut Flags) -> Val {
    let (ta, tb) = (a.0, b.0);
    match op {
        Bin::And => Val::B(a.1.bool() && b.1.bool()),
        Bin::Or => Val::B(a.1.bool() || b.1.bool()),
        Bin::BitAnd | Bin::BitOr | Bin::BitXor => {
            let (ta, tb) = match_bits(ta, tb);
            let (x, y) = (to(ta, a, flags).int(), to(tb, b, flags).int());
            let r = match op {
                Bin::BitAnd => x & y,
                Bin::BitOr => x | y,
                _ => x ^ y,
            };
            Val::I(wrap(ta, r))
        }
        Bin::Shl | Bin::Shr => {
            let (ta, tb) = match_bits(ta, tb);
            let (x, n) = (to(ta, a, flags).int(), to(tb, b, flags).int());
            shift(op == Bin::Shl, ta, x, n, flags)
        }
        Bin::WideningMul => {
            let ty = crate::ast::bin_ty(op, ta, tb);
            let (ma, mb) = match_bits(ta, tb);
            Val::I(ty_check(
                ty,
                to(ma, a, flags).int() * to(mb, b, flags).int(),
            ))
        }
        _ => {
            let t = match_types(ta, tb);
            let (x, y) = (to(t, a, flags), to(t, b, flags));
            if t.is_float() {
                float_binary(op, t, x.float(), y.float(), flags)
            } else {
                int_binary(op, t, x.int(), y.int(), flags)
            }
        }
    }
}

/// A result that always fits its type by construction.
fn ty_check(ty: Ty, v: i128) -> i128 {
    assert!(
        v >= ty.min_int() && v <= ty.max_int(),
        "{v} does not fit {ty}"
    );
    v
}

/// `x << n` (or `>>`): a negative signed amount shifts the other way
/// (CodeGen_Internal's `lower_signed_shift_*`); amounts of the type's
/// width or more are undefined, as is a left shift of a 32- or 64-bit
/// signed value that overflows (Halide treats it as a multiplication).
fn shift(left: bool, ty: Ty, x: i128, n: i128, flags: &mut Flags) -> Val {
    let (left, n) = if n < 0 { (!left, -n) } else { (left, n) };
    if n >= i128::from(ty.bits()) {
        flags.set_overflow();
        return Val::I(0);
    }
    if left {
        fit(ty, x << n, flags)
    } else {
        Val::I(x >> n)
    }
}

fn int_binary(op: Bin, t: Ty, x: i128, y: i128, flags: &mut Flags) -> Val {
    let clamp = |v: i128| Val::I(v.clamp(t.min_int(), t.max_int()));
    match op {
        Bin::Add => fit(t, x + y, flags),
        Bin::Sub => fit(t, x - y, flags),
        // Wrapping: only a u64 product can leave i128, and it wraps anyway.
        Bin::Mul => {
            if t == Ty::U64 && x.checked_mul(y).is_none_or(|p| p > t.max_int()) {
                flags.bug("halide_bug_vectorized_uint64_wrapping_mul");
            }
            fit(t, x.wrapping_mul(y), flags)
        }
        Bin::Div => div_mod(t, x, y, flags).0,
        Bin::Mod => div_mod(t, x, y, flags).1,
        Bin::Min => Val::I(x.min(y)),
        Bin::Max => Val::I(x.max(y)),
        Bin::Lt => Val::B(x < y),
        Bin::Le => Val::B(x <= y),
        Bin::Gt => Val::B(x > y),
        Bin::Ge => Val::B(x >= y),
        Bin::Eq | Bin::Ne => {
            if !t.wraps() && (x - y < t.min_int() || x - y > t.max_int()) {
                flags.folding_overflow = true;
            }
            Val::B((x == y) == (op == Bin::Eq))
        }
        Bin::Absd => Val::I((x - y).abs()),
        Bin::WideningAdd => Val::I(x + y),
        Bin::WideningSub => Val::I(x - y),
        Bin::SaturatingAdd => clamp(x + y),
        Bin::SaturatingSub => clamp(x - y),
        // narrow((widen(a) + widen(b)) / 2) and friends: exact, then floor.
        Bin::HalvingAdd => Val::I((x + y).div_euclid(2)),
        Bin::HalvingSub => Val::I(wrap(t, (x - y).div_euclid(2))),
        Bin::RoundingHalvingAdd => Val::I((x + y + 1).div_euclid(2)),
        other => panic!("{other:?} is not an arithmetic operation"),
    }
}

fn float_binary(op: Bin, t: Ty, x: f64, y: f64, flags: &mut Flags) -> Val {
    let minmax = |flags: &mut Flags, want_min: bool| {
        // Halide leaves min/max of NaN unspecified.
        if x.is_nan() || y.is_nan() {
            flags.undefined = true;
        }
        Val::F(if (x < y) == want_min { x } else { y })
    };
    match op {
        Bin::Add => float_op(t, x, y, |a, b| a + b, |a, b| a + b),
        Bin::Sub => float_op(t, x, y, |a, b| a - b, |a, b| a - b),
        Bin::Mul => float_op(t, x, y, |a, b| a * b, |a, b| a * b),
        Bin::Div => {
            flags.float_div_by_zero |= y == 0.0;
            if y == 0.0 {
                // The sign of the zero decides the infinity's, and Halide
                // does not keep it (see `Val::same`).
                flags.bug(SIGNED_ZERO);
            }
            float_op(t, x, y, |a, b| a / b, |a, b| a / b)
        }
        Bin::Min => minmax(flags, true),
        Bin::Max => minmax(flags, false),
        Bin::Le | Bin::Ge if x.is_nan() || y.is_nan() => {
            // x86 code computes `a <= b` as `!(a > b)`, true for NaN.
            flags.bug("halide_bug_x86_float_le_nan");
            Val::B(false)
        }
        Bin::Lt => Val::B(x < y),
        Bin::Le => Val::B(x <= y),
        Bin::Gt => Val::B(x > y),
        Bin::Ge => Val::B(x >= y),
        Bin::Eq => Val::B(x == y),
        Bin::Ne => Val::B(x != y),
        // absd of floats is abs(a - b).
        Bin::Absd => Val::F(float_op(t, x, y, |a, b| a - b, |a, b| a - b).float().abs()),
        other => panic!("{other:?} is not a float operation"),
    }
}

/// Whether Halide would refuse to compile `node`, defined or not, for a
/// constant it finds while compiling: a subexpression without variables
/// or Params that overflows or shifts too far, or `==`/`!=` of constants
/// whose difference overflows (see [`Flags`]); a shift by a constant of
/// the value's width or more; a float division by a constant zero (with
/// `strict_float`, a Halide bug: `halide_bug_strict_float_div_by_constant_zero`).
/// The generator avoids these.
pub fn folds_badly(node: &Node) -> bool {
    fn constant(n: &Node) -> bool {
        !matches!(n, Node::X | Node::Y | Node::Param(_)) && n.children().into_iter().all(constant)
    }
    let eval_constant = |n: &Node| {
        let mut flags = Flags::default();
        let v = eval_typed(
            n,
            &Env {
                x: 0,
                y: 0,
                params: &[],
            },
            &mut flags,
        );
        (v, flags.folding_overflow || flags.float_div_by_zero)
    };
    if constant(node) {
        return eval_constant(node).1;
    }
    let refused = match node {
        Node::Bin(Bin::Shl | Bin::Shr, a, b) if constant(b) => {
            let ((tb, n), _) = eval_constant(b);
            let bits = match_bits(a.ty(), tb).0.bits();
            cast(tb, Ty::I64, n).is_some_and(|n| n.int().abs() >= i128::from(bits))
        }
        Node::BinLit(Bin::Shl | Bin::Shr, e, Lit::Int(n), false) => {
            n.unsigned_abs() >= e.ty().bits()
        }
        Node::Bin(Bin::Div, _, b) if node.ty().is_float() && constant(b) => {
            let ((tb, d), _) = eval_constant(b);
            cast(tb, node.ty(), d).is_some_and(|d| d.float() == 0.0)
        }
        Node::BinLit(Bin::Div, e, Lit::Int(0), false) => e.ty().is_float(),
        Node::BinLit(Bin::Div, e, Lit::Float(f), false) => e.ty().is_float() && *f == 0.0,
        _ => false,
    };
    refused || node.children().into_iter().any(folds_badly)
}

/// `node` as a plain cast (its type, its operand): a `Cast`, or a `Reinterpret`
/// between integer types (of one width), which Halide makes a cast.
fn int_cast(node: &Node) -> Option<(Ty, &Node)> {
    match node {
        Node::Cast(t, e) => Some((*t, e)),
        Node::Reinterpret(t, e) if t.is_int() && e.ty().is_int() => Some((*t, e)),
        _ => None,
    }
}

/// A reinterpret to or from a float type.
fn reinterpret(node: &Node, env: &Env<'_>, flags: &mut Flags) -> (Ty, Val) {
    let Node::Reinterpret(t, e) = node else {
        unreachable!("{node:?} is no reinterpret")
    };
    let (from, v) = eval_typed(e, env, flags);
    // A NaN's payload is unspecified, so its bits are too.
    if matches!(v, Val::F(f) if f.is_nan()) && !t.is_float() {
        flags.undefined = true;
    }
    // Halide does not keep the sign of zero (see `Val::same`).
    if matches!(v, Val::F(f) if f == 0.0) && !t.is_float() {
        flags.bug(SIGNED_ZERO);
    }
    (*t, from_bits(*t, to_bits(from, v)))
}

/// Vectorized, Halide's loop partitioning gets `min`, `max` and `clamp` of
/// a saturating sum wrong (`halide_bug_vectorized_clamp_of_saturating_add`).
fn note_saturating_bound(operands: &[&Node], flags: &mut Flags) {
    let saturating =
        |n: &&Node| matches!(n, Node::Bin(Bin::SaturatingAdd | Bin::SaturatingSub, ..));
    if operands.iter().any(saturating) {
        flags.bug("halide_bug_vectorized_clamp_of_saturating_add");
    }
}

//! Functions on expressions: `min`, `max`, `select`, and Halide's math
//! library, named as in Halide. Arguments may be expressions, variables,
//! params or Rust scalars (an integer alone is int32, a float float32).
//!
//! ```
//! use halide::prelude::*;
//! use halide::math::{sqrt, clamp, absd};
//! let x = Var::new("x");
//! let mut f = Func::new("math");
//! f.define([&x], clamp(sqrt(x.expr().cast::<f32>()) * 10.0f32, 0.0f32, 25.0f32))?;
//! let expected: Vec<f32> = (0..5).map(|i| (i as f32).sqrt() * 10.0).collect();
//! assert_eq!(f.realize::<f32>(&[5])?.as_slice(), expected.as_slice());
//! assert_eq!(absd(Expr::from(3u8), Expr::from(10u8)).type_of()?, Type::uint(8));
//! # Ok::<(), halide::Error>(())
//! ```

use crate::convert::{IntoArgs, IntoOperand};
use crate::expr::{Expr, raw_ptrs};
use crate::ffi::{self, shim};
use crate::ops::binary;
use halide_runtime::Element;
use halide_sys as sys;

/// The smaller of two values, with Halide's type promotion.
///
/// ```
/// use halide::prelude::*;
/// let x = Var::new("x");
/// assert_eq!(min(&x, 10).to_string(), "min(x, 10)");
/// ```
pub fn min<'a, 'b>(a: impl IntoOperand<'a>, b: impl IntoOperand<'b>) -> Expr {
    binary(sys::hl_binary_op::HL_OP_MIN, a, b)
}

/// The larger of two values, with Halide's type promotion.
pub fn max<'a, 'b>(a: impl IntoOperand<'a>, b: impl IntoOperand<'b>) -> Expr {
    binary(sys::hl_binary_op::HL_OP_MAX, a, b)
}

/// `if_true` where `condition` holds, else `if_false`. The condition must be
/// boolean; the values are matched to a common type.
///
/// ```
/// use halide::prelude::*;
/// let x = Var::new("x");
/// let e = select(x.lt(0), 0, &x);
/// assert_eq!(e.to_string(), "select(x < 0, 0, x)");
/// ```
pub fn select<'a, 'b, 'c>(
    condition: impl IntoOperand<'a>,
    if_true: impl IntoOperand<'b>,
    if_false: impl IntoOperand<'c>,
) -> Expr {
    // Halide's select itself gives integer literals the other branch's type.
    let (c, t, f) = (
        condition.into_operand().to_expr(),
        if_true.into_operand().to_expr(),
        if_false.into_operand().to_expr(),
    );
    Expr::build(|| shim!(sys::hl_expr_select, c.handle()?, t.handle()?, f.handle()?))
}

impl Expr {
    /// `select(self, if_true, if_false)`: this boolean expression chooses.
    pub fn select_with<'a, 'b>(
        &self,
        if_true: impl IntoOperand<'a>,
        if_false: impl IntoOperand<'b>,
    ) -> Expr {
        select(self, if_true, if_false)
    }
}

fn math1(op: sys::hl_math1, x: Expr) -> Expr {
    Expr::build(|| shim!(sys::hl_expr_math1, op, x.handle()?))
}

fn math2(op: sys::hl_math2, a: Expr, b: Expr) -> Expr {
    Expr::build(|| shim!(sys::hl_expr_math2, op, a.handle()?, b.handle()?))
}

fn math3(op: sys::hl_math3, a: Expr, b: Expr, c: Expr) -> Expr {
    Expr::build(|| {
        shim!(
            sys::hl_expr_math3,
            op,
            a.handle()?,
            b.handle()?,
            c.handle()?
        )
    })
}

macro_rules! unary_functions {
    ($($(#[$doc:meta])* $name:ident $op:ident),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $name<'a>(x: impl IntoOperand<'a>) -> Expr {
            math1(sys::hl_math1::$op, x.into_operand().to_expr())
        }
    )*};
}

macro_rules! binary_functions {
    ($($(#[$doc:meta])* $name:ident $op:ident),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $name<'a, 'b>(a: impl IntoOperand<'a>, b: impl IntoOperand<'b>) -> Expr {
            math2(sys::hl_math2::$op, a.into_operand().to_expr(), b.into_operand().to_expr())
        }
    )*};
}

macro_rules! ternary_functions {
    ($($(#[$doc:meta])* $name:ident($a:ident, $b:ident, $c:ident) $op:ident),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $name<'a, 'b, 'c>($a: impl IntoOperand<'a>, $b: impl IntoOperand<'b>, $c: impl IntoOperand<'c>) -> Expr {
            math3(sys::hl_math3::$op, $a.into_operand().to_expr(), $b.into_operand().to_expr(), $c.into_operand().to_expr())
        }
    )*};
}

unary_functions! {
    /// Square root.
    sqrt HL_MATH1_SQRT,
    /// Sine (radians).
    sin HL_MATH1_SIN,
    /// Cosine (radians).
    cos HL_MATH1_COS,
    /// Tangent (radians).
    tan HL_MATH1_TAN,
    /// Arcsine.
    asin HL_MATH1_ASIN,
    /// Arccosine.
    acos HL_MATH1_ACOS,
    /// Arctangent.
    atan HL_MATH1_ATAN,
    /// Hyperbolic sine.
    sinh HL_MATH1_SINH,
    /// Hyperbolic cosine.
    cosh HL_MATH1_COSH,
    /// Hyperbolic tangent.
    tanh HL_MATH1_TANH,
    /// Inverse hyperbolic sine.
    asinh HL_MATH1_ASINH,
    /// Inverse hyperbolic cosine.
    acosh HL_MATH1_ACOSH,
    /// Inverse hyperbolic tangent.
    atanh HL_MATH1_ATANH,
    /// e raised to the power of the argument.
    exp HL_MATH1_EXP,
    /// Natural logarithm.
    log HL_MATH1_LOG,
    /// Absolute value (unsigned for signed integers, as in Halide).
    abs HL_MATH1_ABS,
    /// Largest integer not above (as a float).
    floor HL_MATH1_FLOOR,
    /// Smallest integer not below (as a float).
    ceil HL_MATH1_CEIL,
    /// Nearest integer, ties to even (as a float).
    round HL_MATH1_ROUND,
    /// Rounds toward zero (as a float).
    trunc HL_MATH1_TRUNC,
    /// The fractional part with the sign of `x`: `x - trunc(x)`.
    fract HL_MATH1_FRACT,
    /// Whether a float is NaN.
    is_nan HL_MATH1_IS_NAN,
    /// Whether a float is infinite.
    is_inf HL_MATH1_IS_INF,
    /// Whether a float is neither NaN nor infinite.
    is_finite HL_MATH1_IS_FINITE,
    /// The number of set bits.
    popcount HL_MATH1_POPCOUNT,
    /// The number of leading zero bits.
    count_leading_zeros HL_MATH1_COUNT_LEADING_ZEROS,
    /// The number of trailing zero bits.
    count_trailing_zeros HL_MATH1_COUNT_TRAILING_ZEROS,
    /// A fast, approximate `1 / x` for floats.
    fast_inverse HL_MATH1_FAST_INVERSE,
    /// A fast, approximate `1 / sqrt(x)` for floats.
    fast_inverse_sqrt HL_MATH1_FAST_INVERSE_SQRT,
    /// A fast, approximate natural logarithm of a float32.
    fast_log HL_MATH1_FAST_LOG,
    /// A fast, approximate `exp` of a float32.
    fast_exp HL_MATH1_FAST_EXP,
    /// A fast, approximate sine of a float32.
    fast_sin HL_MATH1_FAST_SIN,
    /// A fast, approximate cosine of a float32.
    fast_cos HL_MATH1_FAST_COS,
    /// The error function of a float32.
    erf HL_MATH1_ERF,
    /// Marks a condition as usually true, guiding loop partitioning.
    likely HL_MATH1_LIKELY,
    /// `likely`, but only in the innermost loop.
    likely_if_innermost HL_MATH1_LIKELY_IF_INNERMOST,
    /// Evaluates the float arithmetic inside without reassociation or fusion.
    strict_float HL_MATH1_STRICT_FLOAT
}

binary_functions! {
    /// `x` raised to the power `y` (floats).
    pow HL_MATH2_POW,
    /// The angle of the vector (x: second, y: first argument), as `atan2(y, x)`.
    atan2 HL_MATH2_ATAN2,
    /// The absolute difference `|a - b|`, as an unsigned type for integers.
    absd HL_MATH2_ABSD,
    /// A fast, approximate `pow` for float32.
    fast_pow HL_MATH2_FAST_POW,
    /// `a + b` in a type twice as wide, so it cannot overflow.
    widening_add HL_MATH2_WIDENING_ADD,
    /// `a - b` in a wider signed type, so it cannot overflow.
    widening_sub HL_MATH2_WIDENING_SUB,
    /// `a * b` in a type twice as wide, so it cannot overflow.
    widening_mul HL_MATH2_WIDENING_MUL,
    /// `a + b`, clamped to the type's range.
    saturating_add HL_MATH2_SATURATING_ADD,
    /// `a - b`, clamped to the type's range.
    saturating_sub HL_MATH2_SATURATING_SUB,
    /// `(a + b) / 2` without intermediate overflow, rounding down.
    halving_add HL_MATH2_HALVING_ADD,
    /// `(a - b) / 2` without intermediate overflow, rounding down.
    halving_sub HL_MATH2_HALVING_SUB,
    /// `(a + b + 1) / 2` without intermediate overflow.
    rounding_halving_add HL_MATH2_ROUNDING_HALVING_ADD,
    /// Integer division rounding toward zero, as in C and Rust (Halide's
    /// `/` rounds toward negative infinity).
    div_round_to_zero HL_MATH2_DIV_ROUND_TO_ZERO,
    /// The remainder of [`div_round_to_zero`]: the sign of `a`, as Rust's `%`.
    mod_round_to_zero HL_MATH2_MOD_ROUND_TO_ZERO,
    /// `sqrt(a² + b²)` for floats.
    hypot HL_MATH2_HYPOT,
    /// `a << b` with rounding when `b` is negative (a right shift).
    rounding_shift_left HL_MATH2_ROUNDING_SHIFT_LEFT,
    /// `(a + 2^(b-1)) >> b` computed without overflow: a right shift that
    /// rounds to nearest, ties up.
    rounding_shift_right HL_MATH2_ROUNDING_SHIFT_RIGHT,
    /// `a + widen(b)`, `a` being twice as wide as `b`.
    widen_right_add HL_MATH2_WIDEN_RIGHT_ADD,
    /// `a - widen(b)`, `a` being twice as wide as `b`.
    widen_right_sub HL_MATH2_WIDEN_RIGHT_SUB,
    /// `a * widen(b)`, `a` being twice as wide as `b`.
    widen_right_mul HL_MATH2_WIDEN_RIGHT_MUL,
    /// `widen(a) << b`, in a type twice as wide, so no bits are lost.
    widening_shift_left HL_MATH2_WIDENING_SHIFT_LEFT,
    /// `widen(a) >> b`, in a type twice as wide.
    widening_shift_right HL_MATH2_WIDENING_SHIFT_RIGHT
}

ternary_functions! {
    /// `x` clamped to `[min, max]`.
    clamp(x, min, max) HL_MATH3_CLAMP,
    /// Linear interpolation `zero + (one - zero) * weight`, with integer weights as fixed-point fractions.
    lerp(zero, one, weight) HL_MATH3_LERP,
    /// `(a * b) >> q` computed in a wider type.
    mul_shift_right(a, b, q) HL_MATH3_MUL_SHIFT_RIGHT,
    /// `(a * b + (1 << (q - 1))) >> q` computed in a wider type.
    rounding_mul_shift_right(a, b, q) HL_MATH3_ROUNDING_MUL_SHIFT_RIGHT
}

/// `value`, with Halide told that it lies in `[min, max]` without
/// clamping it, so that, say, a lookup table indexed by it is read with no
/// bounds check. Targets with the `check_unsafe_promises` feature check
/// the promise at run time (a broken one is then an `Err`).
///
/// # Safety
/// Where the promise is not checked, `value` must lie in `[min, max]` at
/// every point the pipeline evaluates it: a broken promise makes loads out
/// of bounds, reading or writing memory outside any buffer.
///
/// ```
/// use halide::prelude::*;
/// use halide::math::unsafe_promise_clamped;
/// let x = Var::new("x");
/// let mut table = Func::new("table");
/// table.define([&x], &x * 10)?;
/// table.compute_root()?.bound(&x, 0, 4)?;
/// let mut f = Func::new("lookup");
/// // SAFETY: x % 4 lies in [0, 3] for every x.
/// let i = unsafe { unsafe_promise_clamped(&x % 4, 0, 3) };
/// f.define([&x], table.at([i]))?;
/// assert_eq!(f.realize::<i32>(&[6])?.as_slice(), &[0, 10, 20, 30, 0, 10]);
/// # Ok::<(), halide::Error>(())
/// ```
pub unsafe fn unsafe_promise_clamped<'a, 'b, 'c>(
    value: impl IntoOperand<'a>,
    min: impl IntoOperand<'b>,
    max: impl IntoOperand<'c>,
) -> Expr {
    math3(
        sys::hl_math3::HL_MATH3_UNSAFE_PROMISE_CLAMPED,
        value.into_operand().to_expr(),
        min.into_operand().to_expr(),
        max.into_operand().to_expr(),
    )
}

/// The bits of `x` read as `T` (which must have the same total width).
///
/// ```
/// use halide::prelude::*;
/// let x = Var::new("x");
/// let mut f = Func::new("bits");
/// f.define([&x], halide::math::reinterpret::<u32>(1.0f32))?;
/// assert_eq!(f.realize::<u32>(&[1])?.as_slice(), &[1.0f32.to_bits()]);
/// # Ok::<(), halide::Error>(())
/// ```
pub fn reinterpret<'a, T: Element>(x: impl IntoOperand<'a>) -> Expr {
    let x = x.into_operand().to_expr();
    Expr::build(|| shim!(sys::hl_expr_reinterpret, T::TYPE.to_raw(), x.handle()?))
}

/// `x` converted to `T`, clamped to `T`'s range instead of wrapping.
///
/// ```
/// use halide::prelude::*;
/// let x = Var::new("x");
/// let mut f = Func::new("sat");
/// f.define([&x], halide::math::saturating_cast::<u8>(&x * 100 - 50))?;
/// assert_eq!(f.realize::<u8>(&[5])?.as_slice(), &[0, 50, 150, 250, 255]);
/// # Ok::<(), halide::Error>(())
/// ```
pub fn saturating_cast<'a, T: Element>(x: impl IntoOperand<'a>) -> Expr {
    let x = x.into_operand().to_expr();
    Expr::build(|| shim!(sys::hl_expr_saturating_cast, T::TYPE.to_raw(), x.handle()?))
}

macro_rules! concise_casts {
    ($($name:ident $sat:ident $t:ty),* $(,)?) => {$(
        #[doc = concat!("`x` cast to `", stringify!($t), "` (wrapping, as C casts do); Halide's concise cast.")]
        pub fn $name<'a>(x: impl IntoOperand<'a>) -> Expr {
            x.into_operand().to_expr().cast::<$t>()
        }
        #[doc = concat!("`x` cast to `", stringify!($t), "`, clamped to its range.")]
        pub fn $sat<'a>(x: impl IntoOperand<'a>) -> Expr {
            saturating_cast::<$t>(x)
        }
    )*};
}
concise_casts! {
    i8 i8_sat i8, i16 i16_sat i16, i32 i32_sat i32, i64 i64_sat i64,
    u8 u8_sat u8, u16 u16_sat u16, u32 u32_sat u32, u64 u64_sat u64,
    f32 f32_sat f32, f64 f64_sat f64,
}

/// The first value whose condition holds, else `default`: Halide's n-ary
/// `select(c0, v0, c1, v1, ..., default)`.
///
/// ```
/// use halide::prelude::*;
/// use halide::math::select_cases;
/// let x = Var::new("x");
/// let mut f = Func::new("f");
/// f.define([&x], select_cases(&[(x.lt(2), Expr::from(10)), (x.lt(4), Expr::from(20))], 30))?;
/// assert_eq!(f.realize::<i32>(&[5])?.as_slice(), &[10, 10, 20, 20, 30]);
/// # Ok::<(), halide::Error>(())
/// ```
pub fn select_cases<'d>(cases: &[(Expr, Expr)], default: impl IntoOperand<'d>) -> Expr {
    cases
        .iter()
        .rev()
        .fold(default.into_operand().to_expr(), |otherwise, (c, v)| {
            select(c, v, otherwise)
        })
}

/// `values[index]`: one of several values, picked by an integer
/// expression. An index out of range, negative ones included, picks the
/// last value (as the `select` chain it stands for would).
///
/// ```
/// use halide::prelude::*;
/// use halide::math::mux;
/// let (x, c) = (Var::new("x"), Var::new("c"));
/// let mut rgb = Func::new("rgb");
/// rgb.define([&x, &c], mux(&c, [Expr::from(255u8), Expr::from(128u8), x.expr().cast::<u8>()]))?;
/// let out = rgb.realize::<u8>(&[2, 3])?;
/// assert_eq!((out.get(&[1, 0]), out.get(&[1, 1]), out.get(&[1, 2])), (Some(255), Some(128), Some(1)));
/// let mut picked = Func::new("picked");
/// picked.define([&x], mux(&x - 1, [Expr::from(10), Expr::from(20), Expr::from(30)]))?;
/// // x - 1 = -1 and 3 are out of range: the last value.
/// assert_eq!(picked.realize::<i32>(&[5])?.as_slice(), &[30, 10, 20, 30, 30]);
/// # Ok::<(), halide::Error>(())
/// ```
pub fn mux<'a>(index: impl IntoOperand<'a>, values: impl IntoArgs) -> Expr {
    let index = index.into_operand().to_expr();
    let values = values.into_args();
    Expr::build(|| {
        let ih = index.handle()?.as_ptr();
        let ptrs = raw_ptrs(&values)?;
        // SAFETY: the index and the array's expressions are borrowed for
        // the call; the length is the array's.
        unsafe { ffi::call(|err| sys::hl_expr_mux(ih, ptrs.as_ptr(), ptrs.len(), err)) }
    })
}

/// `values[0]`, printing all of `values` (expressions and `&str`s,
/// separated by spaces) each time it is evaluated. The text goes to the
/// print handler (see [`Handlers`](crate::Handlers)), stderr by default.
pub fn print(values: impl IntoArgs) -> Expr {
    print_impl(values.into_args(), None)
}

/// [`print`](fn@print) only where `condition` holds.
pub fn print_when<'c>(condition: impl IntoOperand<'c>, values: impl IntoArgs) -> Expr {
    print_impl(values.into_args(), Some(condition.into_operand().to_expr()))
}

fn print_impl(values: Vec<Expr>, condition: Option<Expr>) -> Expr {
    Expr::build(|| {
        let ptrs = raw_ptrs(&values)?;
        let c = condition.as_ref().map(Expr::handle).transpose()?;
        let cptr = c.map_or(std::ptr::null(), |h| h.as_ptr());
        // SAFETY: the array's expressions and the condition (or NULL, "no
        // condition") are borrowed for the call; the length is the array's.
        unsafe { ffi::call(|err| sys::hl_expr_print(ptrs.as_ptr(), ptrs.len(), cptr, err)) }
    })
}

/// `value`, after checking `condition`: where it fails, the pipeline fails
/// with `message` (expressions and `&str`s) as its error.
///
/// ```
/// use halide::prelude::*;
/// use halide::math::require;
/// let x = Var::new("x");
/// let limit = Param::<i32>::new("limit");
/// let mut f = Func::new("f");
/// f.define([&x], require(x.lt(&limit), &x * 2, ("x must stay below", &limit)))?;
/// limit.set(10)?;
/// assert!(f.realize::<i32>(&[5]).is_ok());
/// limit.set(3)?;
/// let err = f.realize::<i32>(&[5]).unwrap_err();
/// assert!(err.message().contains("x must stay below 3"), "{err}");
/// # Ok::<(), halide::Error>(())
/// ```
pub fn require<'c, 'v>(
    condition: impl IntoOperand<'c>,
    value: impl IntoOperand<'v>,
    message: impl IntoArgs,
) -> Expr {
    let (c, v) = (
        condition.into_operand().to_expr(),
        value.into_operand().to_expr(),
    );
    let message = message.into_args();
    Expr::build(|| {
        let (ch, vh) = (c.handle()?.as_ptr(), v.handle()?.as_ptr());
        let ptrs = raw_ptrs(&message)?;
        // SAFETY: the condition, value and message expressions are borrowed
        // for the call; the length is the array's.
        unsafe { ffi::call(|err| sys::hl_expr_require(ch, vh, ptrs.as_ptr(), ptrs.len(), err)) }
    })
}

/// The undefined value of type `T`: in an update of a Tuple-valued Func,
/// leaves that element as it was.
pub fn undef<T: Element>() -> Expr {
    Expr::from_result(shim!(sys::hl_expr_undef, T::TYPE.to_raw()))
}

fn random(ty: halide_runtime::Type, seed: Option<Expr>) -> Expr {
    Expr::build(|| {
        let seed = seed.as_ref().map(Expr::handle).transpose()?;
        shim!(sys::hl_expr_random, ty.to_raw(), seed)
    })
}

/// A uniform random float32 in [0, 1): a pure function of the coordinates
/// of the Func it appears in (and of `seed`, if given), so recomputing a
/// value gives the same number.
pub fn random_float(seed: Option<Expr>) -> Expr {
    random(f32::TYPE, seed)
}

/// A random int32 (see [`random_float`]).
pub fn random_int(seed: Option<Expr>) -> Expr {
    random(i32::TYPE, seed)
}

/// A random uint32 (see [`random_float`]).
pub fn random_uint(seed: Option<Expr>) -> Expr {
    random(u32::TYPE, seed)
}

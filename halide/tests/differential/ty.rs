//! Scalar types and values of the reference evaluator, with Halide's
//! implicit type coercion (`match_types`, `match_bits`) and casts.

use std::fmt;

/// A scalar Halide type the fuzzer uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
}

/// The integer types.
pub const INTS: [Ty; 8] = [
    Ty::I8,
    Ty::I16,
    Ty::I32,
    Ty::I64,
    Ty::U8,
    Ty::U16,
    Ty::U32,
    Ty::U64,
];

/// Every non-boolean type, in the order of the pipeline's Params.
pub const NUMERIC: [Ty; 10] = [
    Ty::I8,
    Ty::I16,
    Ty::I32,
    Ty::I64,
    Ty::U8,
    Ty::U16,
    Ty::U32,
    Ty::U64,
    Ty::F32,
    Ty::F64,
];

impl Ty {
    pub fn bits(self) -> u32 {
        match self {
            Ty::Bool => 1,
            Ty::I8 | Ty::U8 => 8,
            Ty::I16 | Ty::U16 => 16,
            Ty::I32 | Ty::U32 | Ty::F32 => 32,
            Ty::I64 | Ty::U64 | Ty::F64 => 64,
        }
    }

    pub fn is_signed(self) -> bool {
        matches!(self, Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64)
    }

    pub fn is_unsigned(self) -> bool {
        matches!(self, Ty::U8 | Ty::U16 | Ty::U32 | Ty::U64)
    }

    /// A signed or unsigned integer (not bool).
    pub fn is_int(self) -> bool {
        self.is_signed() || self.is_unsigned()
    }

    pub fn is_float(self) -> bool {
        matches!(self, Ty::F32 | Ty::F64)
    }

    pub fn int(bits: u32) -> Ty {
        match bits {
            8 => Ty::I8,
            16 => Ty::I16,
            32 => Ty::I32,
            _ => Ty::I64,
        }
    }

    pub fn uint(bits: u32) -> Ty {
        match bits {
            8 => Ty::U8,
            16 => Ty::U16,
            32 => Ty::U32,
            _ => Ty::U64,
        }
    }

    /// The same kind of number with `bits` bits.
    pub fn with_bits(self, bits: u32) -> Ty {
        match self {
            t if t.is_signed() => Ty::int(bits),
            t if t.is_unsigned() => Ty::uint(bits),
            _ if bits == 32 => Ty::F32,
            _ => Ty::F64,
        }
    }

    pub fn to_unsigned(self) -> Ty {
        Ty::uint(self.bits())
    }

    pub fn to_signed(self) -> Ty {
        Ty::int(self.bits())
    }

    /// Twice the bits, same kind (integers of at most 32 bits).
    pub fn widen(self) -> Ty {
        self.with_bits(self.bits() * 2)
    }

    /// Half the bits, same kind (integers of at least 16 bits).
    pub fn narrow(self) -> Ty {
        self.with_bits(self.bits() / 2)
    }

    pub fn min_int(self) -> i128 {
        if self.is_signed() {
            -(1i128 << (self.bits() - 1))
        } else {
            0
        }
    }

    pub fn max_int(self) -> i128 {
        match self {
            Ty::Bool => 1,
            t if t.is_signed() => (1i128 << (t.bits() - 1)) - 1,
            t => (1i128 << t.bits()) - 1,
        }
    }

    /// Whether Halide defines overflow of this integer type as wrapping:
    /// unsigned types and signed types of at most 16 bits
    /// (`Type::can_overflow` in Halide's Type.h).
    pub fn wraps(self) -> bool {
        self.is_unsigned() || (self.is_signed() && self.bits() <= 16)
    }

    pub fn name(self) -> &'static str {
        match self {
            Ty::Bool => "bool",
            Ty::I8 => "i8",
            Ty::I16 => "i16",
            Ty::I32 => "i32",
            Ty::I64 => "i64",
            Ty::U8 => "u8",
            Ty::U16 => "u16",
            Ty::U32 => "u32",
            Ty::U64 => "u64",
            Ty::F32 => "f32",
            Ty::F64 => "f64",
        }
    }

    pub fn halide(self) -> halide::Type {
        use halide::Type;
        match self {
            Ty::Bool => Type::bool(),
            t if t.is_signed() => Type::int(t.bits() as u8),
            t if t.is_unsigned() => Type::uint(t.bits() as u8),
            t => Type::float(t.bits() as u8),
        }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The common type of two operands of an arithmetic operator or
/// comparison (Halide's `match_types`, IROperator.h): a float wins (the
/// wider float of two), then same-kind integers widen, and mixed
/// signed/unsigned integers meet in a signed type of the wider width.
pub fn match_types(a: Ty, b: Ty) -> Ty {
    if a == b {
        a
    } else if a.is_float() && b.is_float() {
        if a.bits() >= b.bits() { a } else { b }
    } else if a.is_float() {
        a
    } else if b.is_float() {
        b
    } else if a.is_unsigned() && b.is_unsigned() {
        Ty::uint(a.bits().max(b.bits()))
    } else {
        Ty::int(a.bits().max(b.bits()))
    }
}

/// Halide's `match_bits`: each side keeps its kind, the narrower widens.
pub fn match_bits(a: Ty, b: Ty) -> (Ty, Ty) {
    let bits = a.bits().max(b.bits());
    (a.with_bits(bits), b.with_bits(bits))
}

/// A value: integers exactly (always within their type's range), floats
/// as f64 (an f32's value is exactly representable).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val {
    B(bool),
    I(i128),
    F(f64),
}

impl Val {
    pub fn int(self) -> i128 {
        match self {
            Val::I(i) => i,
            Val::B(b) => i128::from(b),
            Val::F(f) => panic!("float {f} used as an integer"),
        }
    }

    pub fn float(self) -> f64 {
        match self {
            Val::F(f) => f,
            other => panic!("{other:?} used as a float"),
        }
    }

    pub fn bool(self) -> bool {
        match self {
            Val::B(b) => b,
            other => panic!("{other:?} used as a bool"),
        }
    }

    /// Whether two results agree: NaNs agree with any NaN (their payloads
    /// are not specified), and zeros with zeros, whatever their sign: Halide
    /// does not keep a constant's sign of zero (test
    /// `halide_bug_cse_merges_signed_zeros`).
    pub fn same(self, other: Val) -> bool {
        match (self, other) {
            (Val::F(a), Val::F(b)) => (a.is_nan() && b.is_nan()) || a == b,
            (a, b) => a == b,
        }
    }

    /// This value written as a Rust literal of type `ty`.
    pub fn show(self, ty: Ty) -> String {
        match self {
            Val::B(b) => b.to_string(),
            Val::I(i) => format!("{i}{}", ty.name()),
            Val::F(f) if f.is_nan() => format!("{}::NAN", ty.name()),
            Val::F(f) if f.is_infinite() => {
                format!("{}{}::INFINITY", if f < 0.0 { "-" } else { "" }, ty.name())
            }
            Val::F(f) => format!("{f:?}{}", ty.name()),
        }
    }
}

/// `v` wrapped into integer type `ty` (two's complement truncation).
pub fn wrap(ty: Ty, v: i128) -> i128 {
    let bits = ty.bits();
    let m = v & ((1i128 << bits) - 1);
    if ty.is_signed() && m >= 1i128 << (bits - 1) {
        m - (1i128 << bits)
    } else {
        m
    }
}

/// An integer rounded to float type `ty` (to nearest, ties to even).
pub fn int_to_float(ty: Ty, v: i128) -> f64 {
    if ty == Ty::F32 {
        f64::from(v as f32)
    } else {
        v as f64
    }
}

/// A float rounded to float type `ty`.
pub fn round_float(ty: Ty, v: f64) -> f64 {
    if ty == Ty::F32 {
        f64::from(v as f32)
    } else {
        v
    }
}

/// A plain cast (Halide's `cast`): integers wrap, integers round to the
/// nearest float, floats truncate toward zero into integers. `None` where
/// Halide leaves the result undefined: a float that is NaN, infinite, or
/// out of the integer type's range after truncation.
pub fn cast(from: Ty, to: Ty, v: Val) -> Option<Val> {
    Some(match (v, to) {
        _ if from == to => v,
        (Val::B(b), Ty::Bool) => Val::B(b),
        (Val::I(i), Ty::Bool) => Val::B(i != 0),
        (Val::F(f), Ty::Bool) => Val::B(f != 0.0),
        (Val::B(b), t) if t.is_float() => Val::F(f64::from(u8::from(b))),
        (Val::B(b), _) => Val::I(i128::from(b)),
        (Val::I(i), t) if t.is_float() => Val::F(int_to_float(t, i)),
        (Val::I(i), t) => Val::I(wrap(t, i)),
        (Val::F(f), t) if t.is_float() => Val::F(round_float(t, f)),
        (Val::F(f), t) => {
            let whole = f.trunc();
            // The bounds are exact in f64 except u64/i64 max, where the
            // comparison with the rounded-up bound is still exact.
            if !whole.is_finite() || whole < t.min_int() as f64 || whole > t.max_int() as f64 {
                return None;
            }
            let i = whole as i128;
            if i > t.max_int() {
                return None;
            }
            Val::I(i)
        }
    })
}

/// `saturating_cast` (IROperator.h: "clamping to the minimum and maximum
/// values of the result type"); a float type's range is all floats,
/// infinities included, so casting to a float only rounds. `None` for
/// NaN, which Halide clamps with `min` and `max`, unspecified for NaN.
pub fn saturating_cast(from: Ty, to: Ty, v: Val) -> Option<Val> {
    Some(match (v, to) {
        (Val::F(f), _) if f.is_nan() => return None,
        (_, t) if t.is_float() => return cast(from, to, v),
        (Val::I(i), t) => Val::I(i.clamp(t.min_int(), t.max_int())),
        (Val::B(b), _) => Val::I(i128::from(b)),
        // `as` truncates toward zero and saturates at i128's range.
        (Val::F(f), t) => Val::I((f as i128).clamp(t.min_int(), t.max_int())),
    })
}

/// The bits of a value of type `ty`, as an unsigned number.
pub fn to_bits(ty: Ty, v: Val) -> u64 {
    match v {
        Val::F(f) if ty == Ty::F32 => u64::from((f as f32).to_bits()),
        Val::F(f) => f.to_bits(),
        other => wrap(ty.to_unsigned(), other.int()) as u64,
    }
}

/// A value of type `ty` with the given bits.
pub fn from_bits(ty: Ty, bits: u64) -> Val {
    match ty {
        Ty::F32 => Val::F(f64::from(f32::from_bits(bits as u32))),
        Ty::F64 => Val::F(f64::from_bits(bits)),
        t => Val::I(wrap(t, i128::from(bits))),
    }
}

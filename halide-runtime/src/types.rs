//! Element types: the mapping between Rust scalar types and `halide_type_t`.

use crate::sys::{halide_type_code_t, halide_type_t};
use std::fmt;

/// The kind of a Halide scalar type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeCode {
    /// Signed integer.
    Int,
    /// Unsigned integer (`bool` is a 1-bit unsigned integer).
    UInt,
    /// IEEE floating point.
    Float,
    /// An opaque pointer.
    Handle,
    /// Brain floating point (bfloat16).
    BFloat,
}

impl TypeCode {
    fn from_raw(code: u8) -> Option<Self> {
        let code = u32::from(code);
        Some(match code {
            c if c == halide_type_code_t::halide_type_int.0 => TypeCode::Int,
            c if c == halide_type_code_t::halide_type_uint.0 => TypeCode::UInt,
            c if c == halide_type_code_t::halide_type_float.0 => TypeCode::Float,
            c if c == halide_type_code_t::halide_type_handle.0 => TypeCode::Handle,
            c if c == halide_type_code_t::halide_type_bfloat.0 => TypeCode::BFloat,
            _ => return None,
        })
    }

    fn to_raw(self) -> u8 {
        let code = match self {
            TypeCode::Int => halide_type_code_t::halide_type_int,
            TypeCode::UInt => halide_type_code_t::halide_type_uint,
            TypeCode::Float => halide_type_code_t::halide_type_float,
            TypeCode::Handle => halide_type_code_t::halide_type_handle,
            TypeCode::BFloat => halide_type_code_t::halide_type_bfloat,
        };
        // The codes are 0..=4, well inside u8.
        code.0 as u8
    }
}

/// A Halide type: code, bit width and vector lanes.
///
/// ```
/// use halide_runtime::{Element, Type};
/// assert_eq!(u16::TYPE, Type::uint(16));
/// assert_eq!(Type::float(32).to_string(), "float32");
/// assert_eq!(Type::bool().bytes(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Type {
    /// The kind of scalar.
    pub code: TypeCode,
    /// Bits per scalar (1 for bool).
    pub bits: u8,
    /// Vector lanes; 1 for scalars.
    pub lanes: u16,
}

impl Type {
    /// A signed integer type of `bits` bits.
    pub const fn int(bits: u8) -> Self {
        Type {
            code: TypeCode::Int,
            bits,
            lanes: 1,
        }
    }
    /// An unsigned integer type of `bits` bits.
    pub const fn uint(bits: u8) -> Self {
        Type {
            code: TypeCode::UInt,
            bits,
            lanes: 1,
        }
    }
    /// A floating-point type of `bits` bits.
    pub const fn float(bits: u8) -> Self {
        Type {
            code: TypeCode::Float,
            bits,
            lanes: 1,
        }
    }
    /// bfloat16.
    pub const fn bfloat(bits: u8) -> Self {
        Type {
            code: TypeCode::BFloat,
            bits,
            lanes: 1,
        }
    }
    /// Halide's boolean: a 1-bit unsigned integer stored in a byte.
    pub const fn bool() -> Self {
        Type::uint(1)
    }
    /// An opaque 64-bit pointer.
    pub const fn handle() -> Self {
        Type {
            code: TypeCode::Handle,
            bits: 64,
            lanes: 1,
        }
    }
    /// The same type with `lanes` vector lanes.
    pub const fn with_lanes(self, lanes: u16) -> Self {
        Type { lanes, ..self }
    }
    /// Bytes per scalar element in memory (bool occupies one byte).
    pub const fn bytes(self) -> usize {
        (self.bits as usize).div_ceil(8)
    }
    /// Whether this is Halide's boolean type.
    pub const fn is_bool(self) -> bool {
        matches!(self.code, TypeCode::UInt) && self.bits == 1
    }

    /// Converts from the C struct; `None` for a code Halide does not define.
    pub fn from_raw(t: halide_type_t) -> Option<Self> {
        Some(Type {
            code: TypeCode::from_raw(t.code)?,
            bits: t.bits,
            lanes: t.lanes,
        })
    }

    /// The C struct.
    pub fn to_raw(self) -> halide_type_t {
        halide_type_t {
            code: self.code.to_raw(),
            bits: self.bits,
            lanes: self.lanes,
        }
    }
}

/// Queries and variations, as Halide's `Type` has them.
impl Type {
    /// Whether this is a signed integer type.
    pub const fn is_int(self) -> bool {
        matches!(self.code, TypeCode::Int)
    }
    /// Whether this is an unsigned integer type (bool included).
    pub const fn is_uint(self) -> bool {
        matches!(self.code, TypeCode::UInt)
    }
    /// Whether this is a signed or unsigned integer type.
    pub const fn is_int_or_uint(self) -> bool {
        self.is_int() || self.is_uint()
    }
    /// Whether this is a floating-point type, bfloat included (as in Halide).
    pub const fn is_float(self) -> bool {
        matches!(self.code, TypeCode::Float | TypeCode::BFloat)
    }
    /// Whether this is a bfloat type.
    pub const fn is_bfloat(self) -> bool {
        matches!(self.code, TypeCode::BFloat)
    }
    /// Whether this is an opaque pointer.
    pub const fn is_handle(self) -> bool {
        matches!(self.code, TypeCode::Handle)
    }
    /// Whether this has more than one lane.
    pub const fn is_vector(self) -> bool {
        self.lanes != 1
    }
    /// Whether this has one lane.
    pub const fn is_scalar(self) -> bool {
        self.lanes == 1
    }
    /// The scalar type of one lane.
    pub const fn element_of(self) -> Self {
        self.with_lanes(1)
    }
    /// The same kind and lanes with `bits` bits.
    pub const fn with_bits(self, bits: u8) -> Self {
        Type { bits, ..self }
    }
    /// The same width and lanes with another code.
    pub const fn with_code(self, code: TypeCode) -> Self {
        Type { code, ..self }
    }

    /// Whether every value of `other` is a value of this type (Halide's
    /// `Type::can_represent(Type)`): lanes must match; an int holds
    /// narrower-or-equal ints and strictly narrower uints; a float holds
    /// narrower floats and, exactly, integers up to its mantissa.
    ///
    /// ```
    /// use halide_runtime::Type;
    /// assert!(Type::int(16).can_represent(Type::uint(8)));
    /// assert!(!Type::int(16).can_represent(Type::uint(16)));
    /// assert!(Type::float(64).can_represent(Type::int(32)));
    /// assert!(!Type::float(32).can_represent(Type::int(32)));
    /// assert!(!Type::uint(8).can_represent(Type::uint(8).with_lanes(4)));
    /// ```
    pub const fn can_represent(self, other: Type) -> bool {
        if self.lanes != other.lanes {
            return false;
        }
        if matches!(self.code, TypeCode::Handle) {
            return matches!(other.code, TypeCode::Handle) && self.bits == other.bits;
        }
        match self.code {
            TypeCode::Int => {
                (other.is_int() && other.bits <= self.bits)
                    || (other.is_uint() && other.bits < self.bits)
            }
            TypeCode::UInt => other.is_uint() && other.bits <= self.bits,
            TypeCode::BFloat => other.is_bfloat() && other.bits <= self.bits,
            TypeCode::Float => {
                if other.is_bfloat() {
                    self.bits > other.bits
                } else {
                    (matches!(other.code, TypeCode::Float) && other.bits <= self.bits)
                        || (self.bits == 64 && other.bits <= 32)
                        || (self.bits == 32 && other.bits <= 16)
                }
            }
            TypeCode::Handle => false,
        }
    }

    /// Whether `value` is exactly a value of this (scalar) type.
    ///
    /// ```
    /// use halide_runtime::Type;
    /// assert!(Type::uint(8).can_represent_value(255.0));
    /// assert!(!Type::uint(8).can_represent_value(256.0));
    /// assert!(!Type::int(32).can_represent_value(0.5));
    /// assert!(Type::float(32).can_represent_value(0.5));
    /// assert!(!Type::float(32).can_represent_value(0.1)); // not exactly
    /// assert!(Type::float(64).can_represent_value(0.1));
    /// ```
    pub fn can_represent_value(self, value: f64) -> bool {
        match self.code {
            TypeCode::Int | TypeCode::UInt => {
                let (min, max) = self.integer_range();
                value.fract() == 0.0 && value >= min as f64 && value <= max as f64
            }
            TypeCode::Float => match self.bits {
                16 => value.is_nan() || f64::from(half_round_trip(value)) == value,
                32 => value.is_nan() || f64::from(value as f32) == value,
                64 => true,
                _ => false,
            },
            TypeCode::BFloat => value.is_nan() || f64::from(bfloat_round_trip(value)) == value,
            TypeCode::Handle => false,
        }
    }

    /// The smallest and largest values of an integer type, as i128 (every
    /// Halide integer type fits).
    ///
    /// ```
    /// use halide_runtime::Type;
    /// assert_eq!(Type::int(8).integer_range(), (-128, 127));
    /// assert_eq!(Type::uint(64).integer_range(), (0, u64::MAX as i128));
    /// assert_eq!(Type::bool().integer_range(), (0, 1));
    /// ```
    pub const fn integer_range(self) -> (i128, i128) {
        let bits = self.bits as u32;
        match self.code {
            TypeCode::Int if bits > 0 => (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1),
            TypeCode::UInt if bits > 0 => (0, (1i128 << bits) - 1),
            _ => (0, 0),
        }
    }
}

/// `value` rounded to the nearest IEEE half and back: exact values survive.
fn half_round_trip(value: f64) -> f32 {
    let f = value as f32;
    if f64::from(f) != value || !f.is_finite() {
        return f;
    }
    // A half has 11 significant bits and exponents down to -24.
    let bits = f.to_bits();
    let exponent = ((bits >> 23) & 0xff) as i32 - 127;
    if !(-24..=15).contains(&exponent) && f != 0.0 {
        return f32::NAN;
    }
    let keep = if exponent < -14 {
        10 - (-14 - exponent)
    } else {
        10
    };
    let mask = (1u32 << (23 - keep.max(0) as u32)) - 1;
    if bits & mask == 0 { f } else { f32::NAN }
}

/// `value` through bfloat16 (8 significant bits, float32's exponents).
fn bfloat_round_trip(value: f64) -> f32 {
    let f = value as f32;
    if f64::from(f) != value || f.to_bits() & 0xffff != 0 {
        return f32::NAN;
    }
    f
}

impl fmt::Display for Type {
    /// Halide's spelling: `uint8`, `float32`, `bool`, `int32x8`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_bool() {
            f.write_str("bool")?;
        } else {
            let name = match self.code {
                TypeCode::Int => "int",
                TypeCode::UInt => "uint",
                TypeCode::Float => "float",
                TypeCode::Handle => "handle",
                TypeCode::BFloat => "bfloat",
            };
            write!(f, "{name}{}", self.bits)?;
        }
        if self.lanes != 1 {
            write!(f, "x{}", self.lanes)?;
        }
        Ok(())
    }
}

/// A Rust type that can be an element of a Halide buffer.
///
/// # Safety
///
/// `TYPE` must describe `Self` exactly: a scalar (`lanes == 1`) whose size is
/// `TYPE.bytes()`, and for which every bit pattern Halide can write for that
/// type is a valid value of `Self`. All-zero bytes must be a valid value too.
/// Buffers hand zero-initialised and Halide-written memory back as `&[Self]`
/// on the strength of this.
pub unsafe trait Element: Copy + Send + Sync + 'static {
    /// The Halide type of this element.
    const TYPE: Type;

    /// The value whose bytes are all zero (0, 0.0, `false`).
    ///
    /// ```
    /// use halide_runtime::Element;
    /// assert_eq!(f32::zeroed(), 0.0);
    /// assert!(!bool::zeroed());
    /// ```
    fn zeroed() -> Self {
        // SAFETY: the trait's contract makes all-zero bytes a valid Self.
        unsafe { std::mem::zeroed() }
    }
}

macro_rules! element {
    ($($t:ty => $ty:expr),* $(,)?) => {
        $(
            // SAFETY: a primitive of exactly TYPE.bytes() bytes; every bit
            // pattern is a valid value (bool: Halide writes only 0 or 1), and
            // zero bytes are 0, 0.0 or false.
            unsafe impl Element for $t {
                const TYPE: Type = $ty;
            }
        )*
    };
}

element! {
    u8 => Type::uint(8), u16 => Type::uint(16), u32 => Type::uint(32), u64 => Type::uint(64),
    i8 => Type::int(8), i16 => Type::int(16), i32 => Type::int(32), i64 => Type::int(64),
    f32 => Type::float(32), f64 => Type::float(64),
    bool => Type::bool(),
}

#[cfg(feature = "half")]
element! {
    half::f16 => Type::float(16),
    half::bf16 => Type::bfloat(16),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: Element>() {
        assert_eq!(T::TYPE.bytes(), size_of::<T>(), "{}", T::TYPE);
        assert_eq!(Type::from_raw(T::TYPE.to_raw()), Some(T::TYPE));
    }

    #[test]
    fn sizes_match_rust_types() {
        check::<u8>();
        check::<u16>();
        check::<u32>();
        check::<u64>();
        check::<i8>();
        check::<i16>();
        check::<i32>();
        check::<i64>();
        check::<f32>();
        check::<f64>();
        check::<bool>();
        #[cfg(feature = "half")]
        {
            check::<half::f16>();
            check::<half::bf16>();
        }
    }

    #[test]
    fn unknown_code_is_rejected() {
        let raw = halide_type_t {
            code: 9,
            bits: 8,
            lanes: 1,
        };
        assert_eq!(Type::from_raw(raw), None);
    }

    #[test]
    fn names() {
        assert_eq!(Type::int(32).with_lanes(8).to_string(), "int32x8");
        assert_eq!(Type::bool().to_string(), "bool");
        assert_eq!(Type::bfloat(16).to_string(), "bfloat16");
    }

    #[test]
    fn integer_ranges_and_values_match_rust() {
        assert_eq!(
            Type::int(16).integer_range(),
            (i16::MIN.into(), i16::MAX.into())
        );
        assert_eq!(Type::uint(32).integer_range(), (0, u32::MAX.into()));
        assert_eq!(
            Type::int(64).integer_range(),
            (i64::MIN.into(), i64::MAX.into())
        );
        for v in [-129.0f64, -128.0, 127.0, 128.0, 0.5, -0.0] {
            let fits = v.fract() == 0.0 && (-128.0..=127.0).contains(&v);
            assert_eq!(Type::int(8).can_represent_value(v), fits, "{v}");
        }
        for v in [0.1f64, 1e-40, 3.4e38, 1e39, f64::INFINITY] {
            assert_eq!(
                Type::float(32).can_represent_value(v),
                f64::from(v as f32) == v,
                "{v}"
            );
        }
    }

    #[test]
    fn integer_can_represent_follows_the_value_ranges() {
        // An integer type holds another exactly when its range contains it.
        let all = [1, 8, 16, 32, 64]
            .into_iter()
            .flat_map(|b| [Type::int(b), Type::uint(b)]);
        for a in all.clone().filter(|t| t.bits > 1 || t.is_uint()) {
            for b in all.clone().filter(|t| t.bits > 1 || t.is_uint()) {
                let ((amin, amax), (bmin, bmax)) = (a.integer_range(), b.integer_range());
                assert_eq!(a.can_represent(b), amin <= bmin && bmax <= amax, "{a} {b}");
            }
        }
    }

    #[cfg(feature = "half")]
    #[test]
    fn half_values_match_the_half_crate() {
        for bits in 0..=u16::MAX {
            let h = half::f16::from_bits(bits);
            let exact = f64::from(h);
            assert!(Type::float(16).can_represent_value(exact), "{exact}");
            // Halfway to the next half is never a half.
            let next = f64::from(half::f16::from_bits(bits.wrapping_add(1)));
            let mid = (exact + next) / 2.0;
            if h.is_finite() && next.is_finite() && mid != exact && mid != next {
                assert!(!Type::float(16).can_represent_value(mid), "{mid}");
            }
            let b = half::bf16::from_bits(bits);
            assert!(Type::bfloat(16).can_represent_value(f64::from(b)), "{b}");
        }
    }
}

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
}

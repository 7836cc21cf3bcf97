//! Arguments of a compiled pipeline's call, borrowing what they refer to.

use crate::convert::Scalar;
use halide_runtime::sys::halide_buffer_t;
use halide_runtime::{HalideBuffer, HalideBufferMut, Type};
use std::ffi::c_void;
use std::marker::PhantomData;

/// One argument of a [`Callable::call`](crate::Callable::call), borrowing what it refers to.
pub struct Arg<'a> {
    pub(crate) value: ArgValue,
    _borrow: PhantomData<&'a mut ()>,
}

pub(crate) enum ArgValue {
    /// The value's bytes at the start of `bits` (u64-aligned, so aligned for any scalar).
    Scalar { ty: Type, bits: u64 },
    Buffer {
        ptr: *const halide_buffer_t,
        ty: Type,
        dimensions: usize,
        writable: bool,
    },
}

impl Arg<'_> {
    /// The buffer of an argument made from `&mut buffer`.
    pub(crate) fn output_buffer(&self) -> Option<*mut halide_buffer_t> {
        match self.value {
            ArgValue::Buffer {
                ptr,
                writable: true,
                ..
            } => Some(ptr.cast_mut()),
            _ => None,
        }
    }

    #[inline]
    pub(crate) fn as_argv(&self) -> *const c_void {
        match &self.value {
            ArgValue::Scalar { bits, .. } => std::ptr::from_ref(bits).cast(),
            ArgValue::Buffer { ptr, .. } => ptr.cast(),
        }
    }
}

/// Converts into an [`Arg`]: `&B` (input buffer), `&mut B` (output or
/// input buffer) for any buffer type, and Rust scalars.
pub trait IntoArg<'a> {
    /// The argument.
    fn into_arg(self) -> Arg<'a>;
}

impl<'a, B: HalideBuffer> IntoArg<'a> for &'a B {
    fn into_arg(self) -> Arg<'a> {
        let value = ArgValue::Buffer {
            ptr: self.as_raw_ptr(),
            ty: self.element_type(),
            dimensions: self.dimensions(),
            writable: false,
        };
        Arg {
            value,
            _borrow: PhantomData,
        }
    }
}

impl<'a, B: HalideBufferMut> IntoArg<'a> for &'a mut B {
    fn into_arg(self) -> Arg<'a> {
        let (ty, dimensions) = (self.element_type(), self.dimensions());
        let value = ArgValue::Buffer {
            ptr: self.as_raw_mut_ptr().cast_const(),
            ty,
            dimensions,
            writable: true,
        };
        Arg {
            value,
            _borrow: PhantomData,
        }
    }
}

fn scalar_arg<T: Scalar>(value: T) -> Arg<'static> {
    const { assert!(size_of::<T>() <= 8 && align_of::<T>() <= 8) };
    let mut bits = 0u64;
    // SAFETY: T is at most 8 bytes and aligned to at most 8 (checked at
    // compile time above), so it fits at the start of a u64.
    unsafe { std::ptr::from_mut(&mut bits).cast::<T>().write(value) };
    Arg {
        value: ArgValue::Scalar { ty: T::TYPE, bits },
        _borrow: PhantomData,
    }
}

macro_rules! scalar_args {
    ($($t:ty),*) => {$(
        impl IntoArg<'static> for $t {
            fn into_arg(self) -> Arg<'static> {
                scalar_arg(self)
            }
        }
    )*};
}
scalar_args!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, bool);

/// The arguments of a [`Callable::call`](crate::Callable::call): `args![&input, 2.0f32, &mut output]`.
#[macro_export]
macro_rules! args {
    ($($arg:expr),* $(,)?) => {
        &[$($crate::IntoArg::into_arg($arg)),*]
    };
}

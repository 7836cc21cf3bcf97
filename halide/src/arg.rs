//! Arguments of a compiled pipeline's call, borrowing what they refer to:
//! the one argument type of JIT code, for [`Callable::call`](crate::Callable::call)
//! (by position) and [`Func::realize_with`](crate::Func::realize_with) (by
//! the input each is bound to).

use crate::convert::Scalar;
use crate::error::Result;
use crate::param::{DynParam, ImageParam, Param};
use halide_runtime::sys::halide_buffer_t;
use halide_runtime::{HalideBuffer, HalideBufferMut, LentInput, Type};
use std::ffi::c_void;
use std::marker::PhantomData;

/// One argument of compiled code, borrowing what it refers to: a buffer or
/// a scalar, and for arguments made by [`ImageParam::bind`] and
/// [`Param::bind`], the input it is meant for.
pub struct Arg<'a> {
    pub(crate) value: ArgValue,
    /// The name of the input this argument is bound to.
    pub(crate) input: Option<&'a str>,
    _borrow: PhantomData<&'a mut ()>,
}

#[derive(Clone, Copy)]
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

impl<'a> Arg<'a> {
    /// A scalar of type `ty` whose value's bytes start `bits`.
    pub(crate) fn from_bits(ty: Type, bits: u64) -> Self {
        Arg {
            value: ArgValue::Scalar { ty, bits },
            input: None,
            _borrow: PhantomData,
        }
    }

    /// The same argument, borrowed from this one for a shorter time.
    pub(crate) fn reborrow(&self) -> Arg<'_> {
        Arg {
            value: self.value,
            input: self.input,
            _borrow: PhantomData,
        }
    }

    fn bound_to(mut self, input: &'a str) -> Self {
        self.input = Some(input);
        self
    }

    /// A copy of the `halide_buffer_t` of a buffer lent by `&`, for code
    /// that may move it to a device.
    pub(crate) fn lent_input(&self) -> Option<LentInput<'a>> {
        let ArgValue::Buffer {
            ptr,
            writable: false,
            ..
        } = self.value
        else {
            return None;
        };
        // SAFETY: `ptr` came from a `&B` borrowed for 'a, which `self`
        // still holds, so it points at a live halide_buffer_t.
        Some(LentInput::new(unsafe { &*ptr }))
    }

    /// Prepares the buffer of an argument made from `&mut buffer` to be an
    /// input of device code (`halide_runtime::device::prepare_input`).
    pub(crate) fn prepare_device_input(&self) {
        if let ArgValue::Buffer {
            ptr,
            writable: true,
            ..
        } = self.value
        {
            // SAFETY: `ptr` came from a `&mut B` borrowed for 'a, which
            // `self` still holds: a live halide_buffer_t we may write.
            halide_runtime::device::prepare_input(unsafe { &mut *ptr.cast_mut() });
        }
    }

    /// Whether the argument is a buffer with device memory attached.
    pub(crate) fn has_device_data(&self) -> bool {
        match self.value {
            // SAFETY: `ptr` came from a buffer borrowed for 'a, which `self`
            // still holds, so it points at a live halide_buffer_t.
            ArgValue::Buffer { ptr, .. } => unsafe { (*ptr).device != 0 },
            ArgValue::Scalar { .. } => false,
        }
    }

    /// The `halide_buffer_t` of an argument made from `&mut buffer`.
    pub(crate) fn writable_buffer(&self) -> Option<*mut halide_buffer_t> {
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
/// input buffer) for any buffer type, Rust scalars, and bound inputs
/// (`input.bind(&buffer)`, `gain.bind(2.0)`).
pub trait IntoArg<'a> {
    /// The argument.
    fn into_arg(self) -> Arg<'a>;
}

impl<'a> IntoArg<'a> for Arg<'a> {
    fn into_arg(self) -> Arg<'a> {
        self
    }
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
            input: None,
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
            input: None,
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
    Arg::from_bits(T::TYPE, bits)
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

impl ImageParam {
    /// This input's buffer for one run: an [`Arg`] that
    /// [`Func::realize_with`](crate::Func::realize_with) finds by name and
    /// [`Callable::call`](crate::Callable::call) checks against the name
    /// of the argument in its position. The buffer stays borrowed for as
    /// long as the argument lives.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let input = ImageParam::new::<u8>(1, "input");
    /// let mut doubled = Func::new("doubled");
    /// doubled.define([&x], input.at([&x]).cast::<u16>() * 2)?;
    /// let buf = BufferRef::new(&[1u8, 2, 200], &[3])?;
    /// let out = doubled.realize_with::<u16>(&[3], &[input.bind(&buf)])?;
    /// assert_eq!(out.as_slice(), &[2, 4, 400]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn bind<'a, B: HalideBuffer>(&'a self, buffer: &'a B) -> Arg<'a> {
        buffer.into_arg().bound_to(self.name())
    }
}

impl<T: Scalar> Param<T> {
    /// This input's value for one run, in place of the one last
    /// [`set`](Param::set): an [`Arg`] found by name, as
    /// [`ImageParam::bind`]'s are.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let gain = Param::<i32>::with_value("gain", 2)?;
    /// let mut f = Func::new("scaled");
    /// f.define([&x], &x * &gain)?;
    /// assert_eq!(f.realize::<i32>(&[3])?.as_slice(), &[0, 2, 4]);
    /// assert_eq!(f.realize_with::<i32>(&[3], &[gain.bind(10)])?.as_slice(), &[0, 10, 20]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn bind(&self, value: T) -> Arg<'_> {
        scalar_arg(value).bound_to(self.name())
    }
}

impl DynParam {
    /// This input's value for one run, as [`Param::bind`]'s; `Err` unless
    /// `V` is the parameter's type.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let gain = DynParam::new(Type::int(16), "gain")?;
    /// let mut f = Func::new("scaled");
    /// f.define([&x], x.expr().cast::<i16>() * &gain)?;
    /// assert_eq!(f.realize_with::<i16>(&[3], &[gain.bind(10i16)?])?.as_slice(), &[0, 10, 20]);
    /// assert!(gain.bind(10i32).is_err());
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn bind<V: Scalar>(&self, value: V) -> Result<Arg<'_>> {
        self.check::<V>()?;
        Ok(scalar_arg(value).bound_to(self.name()))
    }
}

/// The arguments of a [`Callable::call`](crate::Callable::call): `args![&input, 2.0f32, &mut output]`.
#[macro_export]
macro_rules! args {
    ($($arg:expr),* $(,)?) => {
        &[$($crate::IntoArg::into_arg($arg)),*]
    };
}

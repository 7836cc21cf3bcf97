//! Scalar functions written in Rust, called from expressions:
//! `f(x) = my_rust_fn(x)`, Halide's JIT externs with closures.
//!
//! An [`ExternFn`] takes one to three arguments of one type (`f32`, `f64` or
//! `i32`) and returns that type; Halide calls it once per value (vectorized
//! loops call it lane by lane). The closure is kept for the rest of the
//! process, and pipelines that call one are compiled by the JIT only (see
//! [`extern_stage`](crate::extern_stage)). A scalar function cannot fail:
//! a panic is caught (it must not unwind into generated code), its message
//! printed by the panic hook, and the value becomes NaN (or 0 for `i32`).
//!
//! ```
//! use halide::prelude::*;
//! use halide::extern_fn::ExternFn;
//! // Any Rust code: here, the digit sum.
//! let digits = ExternFn::<i32>::unary("digit_sum", |v| {
//!     v.abs().to_string().bytes().map(|b| i32::from(b - b'0')).sum()
//! });
//! let x = Var::new("x");
//! let mut f = Func::new("f");
//! f.define([&x], digits.call([&x * 7]))?;
//! assert_eq!(f.realize::<i32>(&[5])?.as_slice(), &[0, 7, 5, 3, 10]);
//! # Ok::<(), halide::Error>(())
//! ```

use crate::convert::IntoArgs;
use crate::error::Error;
use crate::expr::{Expr, raw_ptrs};
use crate::ffi;
use halide_runtime::Element;
use halide_sys as sys;
use std::ffi::c_void;
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

/// The types a Rust scalar function takes and returns.
pub trait ExternScalar: Element + Copy + Send + Sync + 'static {
    /// The value from the double it crossed the boundary as (exact).
    fn from_f64(v: f64) -> Self;
    /// The value as a double (exact).
    fn to_f64(self) -> f64;
}

impl ExternScalar for f32 {
    fn from_f64(v: f64) -> Self {
        v as f32
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl ExternScalar for f64 {
    fn from_f64(v: f64) -> Self {
        v
    }
    fn to_f64(self) -> f64 {
        self
    }
}

impl ExternScalar for i32 {
    fn from_f64(v: f64) -> Self {
        v as i32
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

type Body = dyn Fn(&[f64]) -> f64 + Send + Sync;

/// What the trampolines reach through the state pointer.
struct State {
    arity: usize,
    body: Box<Body>,
}

/// A Rust function Halide expressions can call; see the [module](self) docs.
pub struct ExternFn<T> {
    name: String,
    state: &'static State,
    _type: PhantomData<fn(T) -> T>,
}

impl<T> std::fmt::Debug for ExternFn<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ExternFn({}, {} arguments)", self.name, self.state.arity)
    }
}

impl<T: ExternScalar> ExternFn<T> {
    fn new(name: &str, arity: usize, body: Box<Body>) -> Self {
        static REGISTER: Once = Once::new();
        // SAFETY: `callback` has the signature the shim declares.
        REGISTER.call_once(|| unsafe { sys::hl_set_scalar_callback(Some(callback)) });
        // Compiled code calls it for as long as the process lives.
        let state = Box::leak(Box::new(State { arity, body }));
        ExternFn {
            name: name.to_owned(),
            state,
            _type: PhantomData,
        }
    }

    /// A function of one argument; `name` is for messages.
    pub fn unary(name: &str, f: impl Fn(T) -> T + Send + Sync + 'static) -> Self {
        Self::new(name, 1, Box::new(move |a| f(T::from_f64(a[0])).to_f64()))
    }

    /// A function of two arguments.
    pub fn binary(name: &str, f: impl Fn(T, T) -> T + Send + Sync + 'static) -> Self {
        Self::new(
            name,
            2,
            Box::new(move |a| f(T::from_f64(a[0]), T::from_f64(a[1])).to_f64()),
        )
    }

    /// A function of three arguments.
    pub fn ternary(name: &str, f: impl Fn(T, T, T) -> T + Send + Sync + 'static) -> Self {
        Self::new(
            name,
            3,
            Box::new(move |a| f(T::from_f64(a[0]), T::from_f64(a[1]), T::from_f64(a[2])).to_f64()),
        )
    }

    /// The call on `args`, which must be as many as the function takes and
    /// of its type (an error in the expression otherwise).
    pub fn call(&self, args: impl IntoArgs) -> Expr {
        let args: Vec<Expr> = args.into_args();
        let (state, arity, name) = (self.state, self.state.arity, self.name.clone());
        Expr::build(move || {
            if args.len() != arity {
                return Err(Error::invalid(format!(
                    "{name} takes {arity} arguments, not {}",
                    args.len()
                )));
            }
            let ptrs = raw_ptrs(&args)?;
            // SAFETY: the state is 'static; the expressions are borrowed
            // for the call, and the array has args.len() elements.
            unsafe {
                ffi::call(|err| {
                    sys::hl_expr_rust_scalar_call(
                        std::ptr::from_ref(state).cast_mut().cast::<c_void>(),
                        T::TYPE.to_raw(),
                        ptrs.as_ptr(),
                        ptrs.len(),
                        err,
                    )
                })
            }
        })
    }
}

/// The trampolines' callback: the function on its arguments, a panic
/// turned into NaN (which `i32` results read as 0).
unsafe extern "C" fn callback(state: *mut c_void, args: *const f64, n: i32) -> f64 {
    // SAFETY: state is the &'static State baked into the code; args holds n
    // values (the trampoline's own array).
    let (state, args) = unsafe {
        (
            &*state.cast_const().cast::<State>(),
            std::slice::from_raw_parts(args, usize::try_from(n).unwrap_or(0)),
        )
    };
    catch_unwind(AssertUnwindSafe(|| (state.body)(args))).unwrap_or(f64::NAN)
}

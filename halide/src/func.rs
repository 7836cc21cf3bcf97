//! Funcs: pure definitions, calls, and realization by JIT compilation.

use crate::error::{Error, Result};
use crate::expr::{Expr, ExprHandle, IntoExpr, raw_ptrs};
use crate::ffi::{self, handle};
use crate::handlers::{self, Handlers};
use crate::param::Input;
use crate::pipeline::Arg;
use crate::target::Target;
use crate::tuple::{IntoValues, Tuple};
use crate::var::Var;
use halide_runtime::sys::halide_buffer_t;
use halide_runtime::{Buffer, Element, HalideBufferMut, Type};
use halide_sys as sys;
use std::fmt;

handle!(FuncHandle, sys::hl_func, sys::hl_func_free);
pub(crate) use FuncHandle as Handle;

/// A Halide function: a stage of a pipeline, defined over pure variables.
///
/// A `Func` is neither `Send` nor `Sync`: expressions that call it share its
/// definition with it, and Halide does not synchronise access to that.
///
/// ```
/// use halide::prelude::*;
/// let (x, y) = (Var::new("x"), Var::new("y"));
/// let mut gradient = Func::new("gradient");
/// gradient.define([&x, &y], &x + &y)?;
/// let out = gradient.realize::<i32>(&[4, 3])?;
/// assert_eq!(out.get(&[3, 2]), Some(5));
/// # Ok::<(), halide::Error>(())
/// ```
pub struct Func {
    handle: FuncHandle,
    /// The target of the last `compile_jit`, reused by realizations so that
    /// they run the code compiled for it.
    jit_target: Option<Target>,
    /// The staleness count (see `staleness`) the JIT code was compiled under.
    compiled_generation: Option<u64>,
    /// Where realizations' print, trace and error output goes.
    handlers: Handlers,
}

impl Func {
    /// A new, undefined function.
    ///
    /// # Panics
    /// If `name` contains a NUL byte.
    pub fn new(name: &str) -> Self {
        let c = ffi::c_string(name).expect("Func names cannot contain NUL bytes");
        // SAFETY: c is a valid C string for the duration of the call.
        let handle = FuncHandle::new(|err| unsafe { sys::hl_func_new(c.as_ptr(), err) })
            .expect("out of memory creating a Halide Func");
        Func::from_handle(handle)
    }

    /// A Func around a handle the shim made (e.g. a boundary condition).
    pub(crate) fn from_handle(handle: FuncHandle) -> Self {
        Func {
            handle,
            jit_target: None,
            compiled_generation: None,
            handlers: Handlers::new(),
        }
    }

    pub(crate) fn as_ptr(&self) -> *mut sys::hl_func {
        self.handle.as_ptr()
    }

    /// The function's name.
    pub fn name(&self) -> String {
        // SAFETY: self is a live Func.
        ffi::call_string(|err| unsafe { sys::hl_func_name(self.handle.as_ptr(), err) })
            .unwrap_or_default()
    }

    /// Whether the function has a definition.
    pub fn is_defined(&self) -> bool {
        // SAFETY: self is a live Func.
        ffi::call(|err| unsafe { sys::hl_func_defined(self.handle.as_ptr(), err) }).unwrap_or(false)
    }

    /// The number of pure arguments of the definition.
    pub fn dimensions(&self) -> Result<usize> {
        // SAFETY: self is a live Func.
        let n = ffi::call(|err| unsafe { sys::hl_func_dimensions(self.handle.as_ptr(), err) })?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// The type of each value the function computes (one, unless it is a Tuple).
    pub fn output_types(&self) -> Result<Vec<Type>> {
        let h = self.handle.as_ptr();
        // SAFETY: self is a live Func.
        let n = ffi::call(|err| unsafe { sys::hl_func_outputs(h, err) })?;
        (0..n)
            .map(|i| {
                let mut raw = Default::default();
                // SAFETY: i is in range; raw is a valid place to write.
                ffi::call(|err| unsafe { sys::hl_func_output_type(h, i, &mut raw, err) })?;
                Type::from_raw(raw)
                    .ok_or_else(|| Error::invalid("Halide returned an unknown type code"))
            })
            .collect()
    }

    /// Gives the function its pure definition: `self(vars...) = value`,
    /// where `value` is one expression or a [`Tuple`] of several.
    ///
    /// Fails with Halide's message if `value` is invalid, if the function is
    /// already defined with other arguments, or if the variables repeat.
    pub fn define(&mut self, vars: impl IntoVars, value: impl IntoValues) -> Result<()> {
        let vars = vars.into_vars();
        let ptrs: Vec<*const sys::hl_var> = vars.iter().map(Var::as_ptr).collect();
        let values = value.into_values();
        let vptrs = raw_ptrs(&values)?;
        // SAFETY: every pointer is to a live Var kept alive by `vars` or a
        // live expression kept alive by `values`.
        ffi::call(|err| unsafe {
            sys::hl_func_define(
                self.handle.as_ptr(),
                ptrs.as_ptr(),
                ptrs.len(),
                vptrs.as_ptr(),
                vptrs.len(),
                err,
            )
        })?;
        Ok(())
    }

    /// Adds an update definition: `self(args...) = value`, where the
    /// arguments may use [`RDom`](crate::RDom) variables and the value may
    /// call `self`. Updates run in order after the pure definition. A
    /// Tuple-valued function is updated with a Tuple of as many values.
    pub fn update(&mut self, args: impl IntoArgs, value: impl IntoValues) -> Result<()> {
        let args = args.into_args();
        let ptrs = raw_ptrs(&args)?;
        let values = value.into_values();
        let vptrs = raw_ptrs(&values)?;
        // SAFETY: every pointer is to a live expression kept alive above.
        ffi::call(|err| unsafe {
            sys::hl_func_define_update(
                self.handle.as_ptr(),
                ptrs.as_ptr(),
                ptrs.len(),
                vptrs.as_ptr(),
                vptrs.len(),
                err,
            )
        })?;
        Ok(())
    }

    /// The number of update definitions.
    pub fn updates(&self) -> Result<usize> {
        // SAFETY: self is a live Func.
        let n = ffi::call(|err| unsafe { sys::hl_func_updates(self.handle.as_ptr(), err) })?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// A call of this function, `self(args...)`, as an expression.
    ///
    /// The call may precede the definition; a call with the wrong number of
    /// arguments yields an expression carrying Halide's error.
    pub fn at(&self, args: impl IntoArgs) -> Expr {
        self.call(&args.into_args(), -1)
    }

    /// Value `index` of a call of this Tuple-valued function.
    pub fn value_at(&self, args: impl IntoArgs, index: usize) -> Expr {
        let index = i32::try_from(index).unwrap_or(i32::MAX);
        self.call(&args.into_args(), index)
    }

    /// A call of this Tuple-valued function: all its values. The function
    /// must be defined first, so that its number of values is known.
    pub fn at_tuple(&self, args: impl IntoArgs) -> Tuple {
        let args = args.into_args();
        // SAFETY: self is a live Func.
        match ffi::call(|err| unsafe { sys::hl_func_outputs(self.handle.as_ptr(), err) }) {
            Ok(n) => (0..n).map(|i| self.call(&args, i)).collect(),
            Err(e) => Tuple::invalid(e),
        }
    }

    fn call(&self, args: &[Expr], index: i32) -> Expr {
        Expr::build(|| {
            let ptrs = raw_ptrs(args)?;
            // SAFETY: every pointer is to a live expression kept alive by `args`.
            ExprHandle::new(|err| unsafe {
                sys::hl_func_call(self.handle.as_ptr(), ptrs.as_ptr(), ptrs.len(), index, err)
            })
        })
    }

    /// Sends the print, trace and error output of this function's
    /// realizations to `handlers`.
    pub fn set_handlers(&mut self, handlers: Handlers) {
        self.handlers = handlers;
    }

    /// JIT-compiles the function for `target` now; later realizations use
    /// this code. Without it, the first realization compiles for
    /// [`Target::jit_from_environment`].
    pub fn compile_jit(&mut self, target: &Target) -> Result<()> {
        self.refresh()?;
        // SAFETY: both are live objects.
        ffi::call(|err| unsafe {
            sys::hl_func_compile_jit(self.handle.as_ptr(), target.as_ptr(), err)
        })?;
        self.jit_target = Some(target.clone());
        Ok(())
    }

    /// Drops JIT code compiled before input constraints or schedules last changed.
    fn refresh(&mut self) -> Result<()> {
        let now = crate::staleness::current();
        if self.compiled_generation.is_some_and(|g| g != now) {
            // SAFETY: self is a live Func.
            ffi::call(|err| unsafe { sys::hl_func_invalidate_jit(self.handle.as_ptr(), err) })?;
        }
        self.compiled_generation = Some(now);
        Ok(())
    }

    fn target(&self) -> Result<Target> {
        match &self.jit_target {
            Some(t) => Ok(t.clone()),
            None => Target::jit_from_environment(),
        }
    }

    /// Computes the function over `sizes` (dimension 0 first, all mins 0)
    /// into a new buffer of element type `T`, compiling it first if needed.
    pub fn realize<T: Element>(&mut self, sizes: &[i32]) -> Result<Buffer<T>> {
        self.realize_with(sizes, &[])
    }

    /// [`realize`](Self::realize), reading the given inputs.
    pub fn realize_with<T: Element>(
        &mut self,
        sizes: &[i32],
        inputs: &[Input<'_>],
    ) -> Result<Buffer<T>> {
        let mut out = Buffer::<T>::new(sizes)?;
        self.realize_into_with(&mut out, inputs)?;
        Ok(out)
    }

    /// Computes the function over the region `out` covers, writing into it.
    ///
    /// `out` may be an owned [`Buffer`] or a [`halide_runtime::BufferMut`]
    /// over the caller's memory; its element type must match the function's,
    /// and it is only borrowed for the duration of this call.
    pub fn realize_into(&mut self, out: &mut impl HalideBufferMut) -> Result<()> {
        self.realize_into_with(out, &[])
    }

    /// [`realize_into`](Self::realize_into), reading the given inputs. Each
    /// input's buffer is bound to its parameter for this call only.
    pub fn realize_into_with(
        &mut self,
        out: &mut impl HalideBufferMut,
        inputs: &[Input<'_>],
    ) -> Result<()> {
        self.realize_raw(&[out.as_raw_mut_ptr()], inputs)
    }

    /// Computes every value of this Tuple-valued function into its own
    /// buffer, `outputs` in order: `f.realize_into_all(args![&mut a, &mut b])`.
    /// The buffers must have the same shape.
    pub fn realize_into_all(&mut self, outputs: &[Arg<'_>]) -> Result<()> {
        self.realize_into_all_with(outputs, &[])
    }

    /// [`realize_into_all`](Self::realize_into_all), reading the given inputs.
    pub fn realize_into_all_with(
        &mut self,
        outputs: &[Arg<'_>],
        inputs: &[Input<'_>],
    ) -> Result<()> {
        let types = self.output_types()?;
        if outputs.len() != types.len() {
            return Err(Error::invalid(format!(
                "Func {} computes {} values, but {} output buffers were given",
                self.name(),
                types.len(),
                outputs.len()
            )));
        }
        let raws = outputs
            .iter()
            .enumerate()
            .map(|(i, a)| {
                a.output_buffer().ok_or_else(|| {
                    Error::invalid(format!("output {i} is not a buffer borrowed with `&mut`"))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.realize_raw(&raws, inputs)
    }

    fn realize_raw(
        &mut self,
        outputs: &[*mut halide_buffer_t],
        inputs: &[Input<'_>],
    ) -> Result<()> {
        self.refresh()?;
        let target = self.target()?;
        let params: Vec<_> = inputs.iter().map(Input::param).collect();
        let buffers: Vec<_> = inputs.iter().map(Input::buffer).collect();
        let handle = self.handle.as_ptr();
        handlers::run_with(&self.handlers, |handlers| {
            // SAFETY: each output points to a halide_buffer_t whose shape lies
            // inside memory its owner owns or borrows mutably, and which stays
            // mutably borrowed for the whole call (the callers' `&mut`);
            // Halide writes elements and flags only. Each input buffer is
            // borrowed by its Input for at least this call, and the shim unbinds
            // it before returning. The handlers stay valid during `run`.
            ffi::call(|err| unsafe {
                sys::hl_func_realize(
                    handle,
                    outputs.as_ptr(),
                    outputs.len(),
                    params.as_ptr(),
                    buffers.as_ptr(),
                    inputs.len(),
                    target.as_ptr(),
                    handlers,
                    err,
                )
            })
            .map(drop)
        })
    }
}

impl fmt::Debug for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Func({})", self.name())
    }
}

/// The variables of a pure definition: an array, slice or `Vec` of
/// [`Var`]s or `&Var`s, or a tuple of `&Var`s.
pub trait IntoVars {
    /// The variables, in order.
    fn into_vars(self) -> Vec<Var>;
}

impl<const N: usize> IntoVars for [&Var; N] {
    fn into_vars(self) -> Vec<Var> {
        self.into_iter().cloned().collect()
    }
}

impl<const N: usize> IntoVars for [Var; N] {
    fn into_vars(self) -> Vec<Var> {
        self.into()
    }
}

impl IntoVars for &[Var] {
    fn into_vars(self) -> Vec<Var> {
        self.to_vec()
    }
}

impl IntoVars for &[&Var] {
    fn into_vars(self) -> Vec<Var> {
        self.iter().map(|&v| v.clone()).collect()
    }
}

impl IntoVars for Vec<Var> {
    fn into_vars(self) -> Vec<Var> {
        self
    }
}

/// The arguments of a call: an array, slice or `Vec` of one kind of
/// argument, or a tuple mixing kinds, e.g. `(&x - 1, &y)`.
pub trait IntoArgs {
    /// The arguments, in order.
    fn into_args(self) -> Vec<Expr>;
}

impl<T: IntoExpr, const N: usize> IntoArgs for [T; N] {
    fn into_args(self) -> Vec<Expr> {
        self.into_iter().map(IntoExpr::into_expr).collect()
    }
}

impl<T: IntoExpr> IntoArgs for Vec<T> {
    fn into_args(self) -> Vec<Expr> {
        self.into_iter().map(IntoExpr::into_expr).collect()
    }
}

impl<'a, T> IntoArgs for &'a [T]
where
    &'a T: IntoExpr,
{
    fn into_args(self) -> Vec<Expr> {
        self.iter().map(IntoExpr::into_expr).collect()
    }
}

macro_rules! tuple_args {
    ($($name:ident),+) => {
        impl<$($name: IntoExpr),+> IntoArgs for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_args(self) -> Vec<Expr> {
                let ($($name,)+) = self;
                vec![$($name.into_expr()),+]
            }
        }

        impl<'v> IntoVars for ($(tuple_args!(@var $name),)+) {
            #[allow(non_snake_case)]
            fn into_vars(self) -> Vec<Var> {
                let ($($name,)+) = self;
                vec![$($name.clone()),+]
            }
        }
    };
    (@var $name:ident) => { &'v Var };
}
tuple_args!(A);
tuple_args!(A, B);
tuple_args!(A, B, C);
tuple_args!(A, B, C, D);
tuple_args!(A, B, C, D, E);
tuple_args!(A, B, C, D, E, F);
tuple_args!(A, B, C, D, E, F, G);
tuple_args!(A, B, C, D, E, F, G, H);

/// A Func defined in one expression: `lambda([&x, &y], &x + &y)` is the
/// Func `f(x, y) = x + y`, with a generated name.
///
/// ```
/// use halide::prelude::*;
/// let (x, y) = (Var::new("x"), Var::new("y"));
/// let mut f = halide::lambda([&x, &y], &x * &y)?;
/// assert_eq!(f.realize::<i32>(&[4, 4])?.get(&[3, 2]), Some(6));
/// # Ok::<(), halide::Error>(())
/// ```
pub fn lambda(vars: impl IntoVars, value: impl IntoValues) -> Result<Func> {
    // SAFETY: NULL asks for a generated name.
    let handle = FuncHandle::new(|err| unsafe { sys::hl_func_new(std::ptr::null(), err) })?;
    let mut f = Func::from_handle(handle);
    f.define(vars, value)?;
    Ok(f)
}

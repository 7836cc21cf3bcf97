//! Realizing a Func: compiling the pipeline it outputs to a [`Callable`]
//! once, and calling that with the inputs found by name and the outputs
//! the caller owns or borrows. There is no second calling convention: a
//! realization is a [`Callable::call`].

use crate::arg::{Arg, IntoArg};
use crate::callable::Callable;
use crate::convert::IntoExpr;
use crate::error::{Error, Result};
use crate::func::Func;
use crate::pipeline::Pipeline;
use crate::target::Target;
use crate::var::Var;
use halide_runtime::{ArgumentKind, Buffer, Element, HalideBuffer, HalideBufferMut, Handlers};

impl Func {
    /// Sends the print, trace and error output of this function's
    /// realizations to `handlers`.
    pub fn set_handlers(&mut self, handlers: Handlers) {
        self.jit.handlers = handlers;
    }

    /// JIT-compiles the function for `target` now; later realizations use
    /// this code. Without it, the first realization compiles for
    /// [`Target::jit_from_environment`].
    pub fn compile_jit(&mut self, target: &Target) -> Result<()> {
        self.jit.target = Some(target.clone());
        self.jit.callable = None;
        self.callable().map(drop)
    }

    /// The compiled code realizations call, compiled again when schedules
    /// or input constraints changed since (see `ffi` and `staleness`).
    fn callable(&mut self) -> Result<&Callable> {
        let now = crate::staleness::current();
        if self.jit.callable.as_ref().is_some_and(|(_, g)| *g != now) {
            self.jit.callable = None;
        }
        if self.jit.callable.is_none() {
            let target = match &self.jit.target {
                Some(t) => t.clone(),
                None => Target::jit_from_environment()?,
            };
            let callable = Pipeline::new(&[self])?.compile(&target)?;
            self.jit.callable = Some((callable, now));
        }
        match &self.jit.callable {
            Some((callable, _)) => Ok(callable),
            None => unreachable!("compiled just above"),
        }
    }

    /// Computes the function over `sizes` (dimension 0 first, all mins 0)
    /// into a new buffer of element type `T`, compiling it first if needed.
    pub fn realize<T: Element>(&mut self, sizes: &[i32]) -> Result<Buffer<T>> {
        self.realize_with(sizes, &[])
    }

    /// [`realize`](Self::realize), with inputs bound by
    /// [`ImageParam::bind`](crate::ImageParam::bind) and
    /// [`Param::bind`](crate::Param::bind). Every image the function reads
    /// must be bound; a scalar input not bound takes the value last
    /// [`set`](crate::Param::set). Bound inputs it does not read are ignored.
    pub fn realize_with<T: Element>(
        &mut self,
        sizes: &[i32],
        inputs: &[Arg<'_>],
    ) -> Result<Buffer<T>> {
        let mut out = Buffer::<T>::new(sizes)?;
        self.realize_into_with(&mut out, inputs)?;
        // As C++'s Func::realize does: the returned buffer's host data is current.
        out.copy_to_host()?;
        Ok(out)
    }

    /// Computes the function over the region `out` covers, writing into it.
    ///
    /// `out` may be an owned [`Buffer`] or a [`halide_runtime::BufferMut`]
    /// over the caller's memory; its element type must match the function's,
    /// and it is only borrowed for the duration of this call. For a GPU
    /// target the result stays on the device (`out.device_dirty()`) until
    /// [`copy_to_host`](HalideBufferMut::copy_to_host).
    pub fn realize_into(&mut self, out: &mut impl HalideBufferMut) -> Result<()> {
        self.realize_into_with(out, &[])
    }

    /// [`realize_into`](Self::realize_into), reading the given inputs (as
    /// [`realize_with`](Self::realize_with) does).
    pub fn realize_into_with(
        &mut self,
        out: &mut impl HalideBufferMut,
        inputs: &[Arg<'_>],
    ) -> Result<()> {
        self.realize_into_all_with(&[out.into_arg()], inputs)
    }

    /// Computes every value of this Tuple-valued function into its own
    /// buffer, `outputs` in order: `f.realize_into_all(args![&mut a, &mut b])`.
    /// The buffers must have the same shape.
    pub fn realize_into_all(&mut self, outputs: &[Arg<'_>]) -> Result<()> {
        self.realize_into_all_with(outputs, &[])
    }

    /// [`realize_into_all`](Self::realize_into_all), reading the given
    /// inputs (as [`realize_with`](Self::realize_with) does).
    pub fn realize_into_all_with(&mut self, outputs: &[Arg<'_>], inputs: &[Arg<'_>]) -> Result<()> {
        self.callable()?;
        let (Some((callable, _)), handlers) = (&self.jit.callable, &self.jit.handlers) else {
            unreachable!("compiled just above")
        };
        let arguments = callable.arguments();
        let n_inputs = arguments
            .iter()
            .take_while(|a| a.kind != ArgumentKind::OutputBuffer)
            .count();
        if outputs.len() != arguments.len() - n_inputs {
            return Err(Error::invalid(format!(
                "Func {} computes {} values, but {} output buffers were given",
                self.name(),
                arguments.len() - n_inputs,
                outputs.len()
            )));
        }
        let mut values = Vec::with_capacity(n_inputs);
        for (i, info) in arguments[..n_inputs].iter().enumerate() {
            let bound = inputs.iter().find(|a| a.input == Some(&*info.name));
            values.push(match (bound, info.kind) {
                (Some(arg), _) => arg.reborrow(),
                (None, ArgumentKind::InputScalar) => callable.current_value(i)?,
                (None, _) => {
                    return Err(Error::invalid(format!(
                        "Func {} reads the image {}; bind a buffer to it: \
                         `realize_with(sizes, &[{}.bind(&buffer)])`",
                        self.name(),
                        info.name,
                        info.name
                    )));
                }
            });
        }
        values.extend(outputs.iter().map(Arg::reborrow));
        callable.call_with(&values, handlers)
    }
}

/// The value of an expression that depends on no variable, computed now
/// (Halide's `evaluate`): a zero-dimensional Func realized for the host.
///
/// ```
/// use halide::prelude::*;
/// use halide::math::{sqrt, u8_sat};
/// assert_eq!(halide::evaluate::<f32>(sqrt(Expr::from(2.0f32)) * 2.0f32)?, 2.0f32.sqrt() * 2.0);
/// assert_eq!(halide::evaluate::<u8>(u8_sat(Expr::from(300)))?, 255);
/// assert!(halide::evaluate::<i32>(Var::new("x")).is_err()); // depends on x
/// # Ok::<(), halide::Error>(())
/// ```
pub fn evaluate<T: Element>(value: impl IntoExpr) -> Result<T> {
    let mut f = Func::new("evaluate");
    f.define([] as [&Var; 0], value.into_expr())?;
    let out = f.realize::<T>(&[])?;
    out.get(&[])
        .ok_or_else(|| Error::invalid("a zero-dimensional result without its value"))
}

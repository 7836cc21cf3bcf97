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
use crate::schedule::Schedule;
use crate::target::Target;
use crate::var::Var;
use halide_runtime::{ArgumentKind, Buffer, Element, HalideBuffer, HalideBufferMut, Handlers};
use std::collections::BTreeMap;

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

    /// The target realizations compile for.
    fn jit_target(&self) -> Result<Target> {
        match &self.jit.target {
            Some(t) => Ok(t.clone()),
            None => Target::jit_from_environment(),
        }
    }

    /// The region of each image input that realizing over `sizes` reads,
    /// as [`Pipeline::infer_input_bounds`] finds it for the target
    /// realizations compile for.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let input = ImageParam::new::<u8>(1, "input");
    /// let mut pairs = Func::new("pairs");
    /// pairs.define([&x], input.at([&x * 2]) / 2 + input.at([&x * 2 + 1]) / 2)?;
    /// let regions = pairs.infer_input_bounds(&[8])?;
    /// let (min, extent) = regions["input"][0];
    /// assert_eq!((min, extent), (0, 16));
    /// let data = Buffer::<u8>::from_vec(vec![10; extent as usize], &[extent])?;
    /// let out = pairs.realize_with::<u8>(&[8], &[input.bind(&data)])?;
    /// assert_eq!(out.as_slice(), &[10; 8]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn infer_input_bounds(&self, sizes: &[i32]) -> Result<BTreeMap<String, Vec<(i32, i32)>>> {
        Pipeline::new(&[self])?.infer_input_bounds(sizes, &self.jit_target()?)
    }

    /// The compiled code realizations call, compiled again when schedules
    /// or input constraints changed since (see `ffi` and `staleness`).
    fn callable(&mut self) -> Result<&Callable> {
        let now = crate::staleness::current();
        if self.jit.callable.as_ref().is_some_and(|(_, g)| *g != now) {
            self.jit.callable = None;
        }
        if self.jit.callable.is_none() {
            let callable = Pipeline::new(&[self])?.compile(&self.jit_target()?)?;
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
        call_by_name(
            callable,
            &format!("Func {}", self.name()),
            outputs,
            inputs,
            handlers,
        )
    }
}

impl Pipeline {
    /// Computes every output over `sizes` (dimension 0 first, all mins 0)
    /// into new buffers of element type `T`, one per output value in
    /// order (a Tuple's values one after another), for
    /// [`Target::jit_from_environment`]. Inputs are bound as
    /// [`Func::realize_with`] binds them. Outputs of several types go
    /// through [`realize_into`](Self::realize_into) instead. Each call
    /// compiles (through the compile cache, so a repeat is a lookup); to
    /// call again and again, [`compile`](Self::compile) once and call the
    /// [`Callable`].
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let (mut square, mut halves) = (Func::new("square"), Func::new("halves"));
    /// square.define([&x], &x * &x)?;
    /// halves.define([&x], Tuple::new([&x / 2, &x % 2]))?;
    /// let out = Pipeline::new(&[&square, &halves])?.realize::<i32>(&[4], &[])?;
    /// let values: Vec<&[i32]> = out.iter().map(|b| b.as_slice()).collect();
    /// assert_eq!(values, [&[0, 1, 4, 9][..], &[0, 0, 1, 1], &[0, 1, 0, 1]]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn realize<T: Element>(&self, sizes: &[i32], inputs: &[Arg<'_>]) -> Result<Vec<Buffer<T>>> {
        let callable = self.compile(&Target::jit_from_environment()?)?;
        let types: Vec<_> = callable
            .arguments()
            .iter()
            .filter(|a| a.kind == ArgumentKind::OutputBuffer)
            .map(|a| a.ty)
            .collect();
        if let Some(other) = types.iter().find(|&&t| t != T::TYPE) {
            return Err(Error::invalid(format!(
                "pipeline {self:?} has an output of type {other}, not {}; \
                 realize_into takes buffers of each output's type",
                T::TYPE
            )));
        }
        let mut outputs = types
            .iter()
            .map(|_| Buffer::<T>::new(sizes))
            .collect::<Result<Vec<_>, _>>()?;
        let args: Vec<Arg<'_>> = outputs.iter_mut().map(|b| b.into_arg()).collect();
        call_by_name(
            &callable,
            &format!("{self:?}"),
            &args,
            inputs,
            &Handlers::new(),
        )?;
        drop(args);
        for out in &mut outputs {
            // As Func::realize: the buffers' host data is current.
            out.copy_to_host()?;
        }
        Ok(outputs)
    }

    /// Computes every output into `outputs` (one buffer per output value,
    /// in order, all of one shape), reading the given inputs, for
    /// [`Target::jit_from_environment`]; compiled per call, as
    /// [`realize`](Self::realize) is.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::args;
    /// let x = Var::new("x");
    /// let (mut count, mut half) = (Func::new("count"), Func::new("half"));
    /// count.define([&x], &x)?;
    /// half.define([&x], x.expr().cast::<f32>() / 2.0f32)?;
    /// let (mut a, mut b) = (Buffer::<i32>::new(&[3])?, Buffer::<f32>::new(&[3])?);
    /// Pipeline::new(&[&count, &half])?.realize_into(args![&mut a, &mut b], &[])?;
    /// assert_eq!((a.as_slice(), b.as_slice()), (&[0, 1, 2][..], &[0.0, 0.5, 1.0][..]));
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn realize_into(&self, outputs: &[Arg<'_>], inputs: &[Arg<'_>]) -> Result<()> {
        let callable = self.compile(&Target::jit_from_environment()?)?;
        call_by_name(
            &callable,
            &format!("{self:?}"),
            outputs,
            inputs,
            &Handlers::new(),
        )
    }
}

/// Calls `callable` with the inputs found by name in `inputs` (a scalar
/// not given takes its param's current value), then `outputs`; `what`
/// names the caller in errors.
fn call_by_name(
    callable: &Callable,
    what: &str,
    outputs: &[Arg<'_>],
    inputs: &[Arg<'_>],
    handlers: &Handlers,
) -> Result<()> {
    let arguments = callable.arguments();
    let n_inputs = arguments
        .iter()
        .take_while(|a| a.kind != ArgumentKind::OutputBuffer)
        .count();
    if outputs.len() != arguments.len() - n_inputs {
        return Err(Error::invalid(format!(
            "{what} computes {} values, but {} output buffers were given",
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
                    "{what} reads the image {}; bind a buffer to it among the \
                     inputs: `{}.bind(&buffer)`",
                    info.name, info.name
                )));
            }
        });
    }
    values.extend(outputs.iter().map(Arg::reborrow));
    callable.call_with(&values, handlers)
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
    evaluate_on(value, false)
}

/// [`evaluate`], on the GPU when [`Target::jit_from_environment`] has one
/// (a single GPU thread computes it), else on the host.
///
/// ```
/// use halide::prelude::*;
/// use halide::math::sqrt;
/// assert_eq!(halide::evaluate_may_gpu::<f32>(sqrt(Expr::from(16.0f32)))?, 4.0);
/// # Ok::<(), halide::Error>(())
/// ```
pub fn evaluate_may_gpu<T: Element>(value: impl IntoExpr) -> Result<T> {
    evaluate_on(value, Target::jit_from_environment()?.has_gpu_feature())
}

fn evaluate_on<T: Element>(value: impl IntoExpr, gpu: bool) -> Result<T> {
    let mut f = Func::new("evaluate");
    f.define([] as [&Var; 0], value.into_expr())?;
    if gpu {
        f.gpu_single_thread()?;
    }
    let out = f.realize::<T>(&[])?;
    out.get(&[])
        .ok_or_else(|| Error::invalid("a zero-dimensional result without its value"))
}

//! Pipelines: the Funcs computed together, compiled to a [`Callable`].

use crate::callable::{Callable, CallableHandle};
use crate::convert::{IntoArgs, IntoOperand};
use crate::error::{Error, Result};
use crate::expr::raw_ptrs;
use crate::ffi::{self, Handle, shim};
use crate::func::Func;
use crate::param::{Input, InputHandle};
use crate::target::Target;
use halide_runtime::{ArgumentInfo, ArgumentKind};
use halide_sys as sys;
use std::collections::BTreeMap;
use std::fmt;

pub(crate) type PipelineHandle = Handle<sys::hl_pipeline>;

/// One or more Funcs computed together, compiled once into a [`Callable`].
///
/// ```
/// use halide::prelude::*;
/// use halide::args;
/// let x = Var::new("x");
/// let input = ImageParam::new::<u8>(1, "input");
/// let offset = Param::<u8>::new("offset");
/// let mut shifted = Func::new("shifted");
/// shifted.define([&x], input.at([&x]) + &offset)?;
///
/// let callable = Pipeline::new(&[&shifted])?.compile(&Target::host()?)?;
/// let data = [1u8, 2, 3];
/// let mut out = Buffer::<u8>::new(&[3])?;
/// // Arguments: buffers, then scalars, then outputs (see `arguments()`).
/// callable.call(args![&BufferRef::new(&data, &[3])?, 10u8, &mut out])?;
/// assert_eq!(out.as_slice(), &[11, 12, 13]);
/// # Ok::<(), halide::Error>(())
/// ```
pub struct Pipeline {
    handle: PipelineHandle,
    name: String,
}

impl Pipeline {
    /// A pipeline computing `outputs` (each with one output buffer per value).
    pub fn new(outputs: &[&Func]) -> Result<Self> {
        if outputs.is_empty() {
            return Err(Error::invalid("a pipeline needs at least one output Func"));
        }
        // Making a pipeline changes none of its Funcs.
        let funcs: Vec<_> = outputs.iter().map(|f| f.handle().keeping_code()).collect();
        let ptrs: Vec<*mut sys::hl_func> = funcs.iter().map(|f| f.as_ptr()).collect();
        // SAFETY: the Funcs are borrowed for the call; the length is the array's.
        let handle =
            unsafe { ffi::call(|err| sys::hl_pipeline_new(ptrs.as_ptr(), ptrs.len(), err)) }?;
        let name = outputs
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join("+");
        Ok(Pipeline { handle, name })
    }

    pub(crate) fn handle(&self) -> &PipelineHandle {
        &self.handle
    }

    /// The Funcs the pipeline outputs, sharing them (as C++ copies do): a
    /// schedule given to one is the pipeline's.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let (mut a, mut b) = (Func::new("a"), Func::new("b"));
    /// a.define([&x], x.expr().clone())?;
    /// b.define([&x], &x * 2)?;
    /// let p = Pipeline::new(&[&a, &b])?;
    /// let names: Vec<String> = p.outputs()?.iter().map(Func::name).collect();
    /// assert_eq!(names, ["a", "b"]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn outputs(&self) -> Result<Vec<Func>> {
        let n = shim!(sys::hl_pipeline_outputs_len, &self.handle)?;
        (0..n)
            .map(|i| shim!(sys::hl_pipeline_output, &self.handle, i).map(Func::from_handle))
            .collect()
    }

    /// A pipeline of an object the shim made, named `name`.
    /// Makes every run check `condition` before computing anything, and
    /// fail with `message` (expressions and `&str`s, printed as
    /// [`math::require`](crate::math::require)'s) where it does not hold.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::args;
    /// let x = Var::new("x");
    /// let n = Param::<i32>::new("n");
    /// let mut f = Func::new("f");
    /// f.define([&x], &x * &n)?;
    /// let mut pipeline = Pipeline::new(&[&f])?;
    /// pipeline.add_requirement(n.expr().gt(0), ("n must be positive, not", &n))?;
    /// let callable = pipeline.compile(&Target::host()?)?;
    /// let mut out = Buffer::<i32>::new(&[4])?;
    /// callable.call(args![3, &mut out])?;
    /// assert_eq!(out.as_slice(), &[0, 3, 6, 9]);
    /// let e = callable.call(args![-2, &mut out]).unwrap_err();
    /// assert!(e.message().contains("n must be positive, not -2"), "{e}");
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn add_requirement<'c>(
        &mut self,
        condition: impl IntoOperand<'c>,
        message: impl IntoArgs,
    ) -> Result<&mut Self> {
        let condition = condition.into_operand().to_expr();
        let message = message.into_args();
        let ptrs = raw_ptrs(&message)?;
        let (c, p) = (
            condition.handle()?.as_ptr(),
            self.handle.mutating().as_ptr(),
        );
        // SAFETY: the pipeline, the condition and the message expressions
        // are borrowed for the call; the length is the array's.
        unsafe {
            ffi::call(|err| sys::hl_pipeline_add_requirement(p, c, ptrs.as_ptr(), ptrs.len(), err))
        }?;
        Ok(self)
    }

    /// The arguments [`compile`](Self::compile)'s callable takes, in
    /// order, without compiling: the inputs the pipeline reads (buffers,
    /// then scalars, each in name order), then one output buffer per
    /// output value.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::ArgumentKind;
    /// let x = Var::new("x");
    /// let (input, gain) = (ImageParam::new::<u8>(1, "input"), Param::<f32>::new("gain"));
    /// let mut f = Func::new("scaled");
    /// f.define([&x], input.at([&x]).cast::<f32>() * &gain)?;
    /// let args = Pipeline::new(&[&f])?.infer_arguments()?;
    /// let names: Vec<_> = args.iter().map(|a| (&*a.name, a.kind)).collect();
    /// assert_eq!(names, [
    ///     ("input", ArgumentKind::InputBuffer),
    ///     ("gain", ArgumentKind::InputScalar),
    ///     ("scaled", ArgumentKind::OutputBuffer),
    /// ]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn infer_arguments(&self) -> Result<Vec<ArgumentInfo>> {
        let p = self.handle.keeping_code();
        // SAFETY: the pipeline is borrowed for the call; with `infer`, the
        // empty input arrays are not read.
        let signature = unsafe {
            ffi::call(|err| {
                sys::hl_pipeline_signature(
                    p.as_ptr(),
                    true,
                    std::ptr::null(),
                    std::ptr::null(),
                    0,
                    err,
                )
            })
        }?;
        crate::callable::arguments_of(&signature)
    }

    /// The region of each image input that computing outputs of `sizes`
    /// (all mins 0) reads: for each input's name, `(min, extent)` per
    /// dimension. Halide JIT-compiles the pipeline for `target` to find out
    /// (C++'s `infer_input_bounds`, which binds a new buffer of each region
    /// to its input: here the buffers are freed and the regions returned,
    /// and the inputs stay unbound). Every output gets `sizes`.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let [x, y] = Var::many(["x", "y"]);
    /// let input = ImageParam::new::<f32>(2, "input");
    /// let mut blur = Func::new("blur");
    /// blur.define([&x, &y], (input.at((&x - 1, &y)) + input.at((&x + 1, &y * 2))) / 2.0f32)?;
    /// let regions = Pipeline::new(&[&blur])?.infer_input_bounds(&[100, 50], &Target::host()?)?;
    /// assert_eq!(regions["input"], [(-1, 102), (0, 99)]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn infer_input_bounds(
        &self,
        sizes: &[i32],
        target: &Target,
    ) -> Result<BTreeMap<String, Vec<(i32, i32)>>> {
        let images: Vec<ArgumentInfo> = self
            .infer_arguments()?
            .into_iter()
            .filter(|a| a.kind == ArgumentKind::InputBuffer)
            .collect();
        let mut regions = vec![0i32; images.iter().map(|a| 2 * a.dimensions).sum()];
        let (p, t) = (self.handle.keeping_code(), target.handle());
        // SAFETY: the pipeline and target are borrowed for the call; each
        // array's length is its own.
        unsafe {
            ffi::call(|err| {
                sys::hl_pipeline_infer_input_bounds(
                    p.as_ptr(),
                    t.as_ptr(),
                    sizes.as_ptr(),
                    sizes.len(),
                    regions.as_mut_ptr(),
                    regions.len(),
                    err,
                )
            })
        }?;
        let mut values = regions.chunks_exact(2).map(|r| (r[0], r[1]));
        Ok(images
            .into_iter()
            .map(|a| {
                (
                    a.name.to_string(),
                    values.by_ref().take(a.dimensions).collect(),
                )
            })
            .collect())
    }

    /// The loop nest the outputs' schedules produce, as pseudo-code
    /// (Halide's `print_loop_nest`, as text).
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let (mut f, mut g) = (Func::new("f"), Func::new("g"));
    /// f.define([&x], &x * 2)?;
    /// g.define([&x], f.at([&x]) + 1)?;
    /// f.compute_root()?;
    /// let nest = Pipeline::new(&[&g])?.loop_nest()?;
    /// assert!(nest.find("produce f").unwrap() < nest.find("produce g").unwrap(), "{nest}");
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn loop_nest(&self) -> Result<String> {
        shim!(sys::hl_pipeline_loop_nest, &self.handle)
    }

    /// The Func at `index` among every Func of the pipeline (those it
    /// computes, inlined or not, and those Halide makes to read image
    /// inputs), in Halide's topological order: the outputs come last.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let (mut f, mut g) = (Func::new("f"), Func::new("g"));
    /// f.define([&x], &x * 2)?;
    /// g.define([&x], f.at([&x]) + 1)?;
    /// let p = Pipeline::new(&[&g])?;
    /// assert_eq!(p.get_func(0)?.name(), "f");
    /// assert_eq!(p.get_func(1)?.name(), "g");
    /// assert!(p.get_func(2).is_err());
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn get_func(&self, index: usize) -> Result<Func> {
        shim!(sys::hl_pipeline_get_func, &self.handle, index).map(Func::from_handle)
    }

    pub(crate) fn from_handle(handle: PipelineHandle, name: String) -> Self {
        Pipeline { handle, name }
    }

    /// JIT-compiles the pipeline for `target`, which must be this machine's
    /// architecture, bit width and OS, without CPU features it lacks (an
    /// `Err` says which; [`aot`](Self::aot) compiles for any target). The callable's arguments
    /// are the inputs it reads (buffers, then scalars, each in name order;
    /// see [`Callable::arguments`]), then its outputs.
    pub fn compile(&self, target: &Target) -> Result<Callable> {
        self.compile_raw(target, None)
    }

    /// [`compile`](Self::compile) with the inputs in the order given, then
    /// the outputs. Every input the pipeline reads must be listed; extra
    /// ones are accepted and ignored by the pipeline.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::args;
    /// let x = Var::new("x");
    /// let (gain, input) = (Param::<i32>::new("gain"), ImageParam::new::<i32>(1, "input"));
    /// let mut f = Func::new("f");
    /// f.define([&x], input.at([&x]) * &gain)?;
    /// let callable = Pipeline::new(&[&f])?.compile_with_inputs(&Target::host()?, &[&gain, &input])?;
    /// let mut out = Buffer::<i32>::new(&[3])?;
    /// callable.call(args![3, &BufferRef::new(&[1, 2, 3], &[3])?, &mut out])?;
    /// assert_eq!(out.as_slice(), &[3, 6, 9]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn compile_with_inputs(&self, target: &Target, inputs: &[&dyn Input]) -> Result<Callable> {
        self.compile_raw(target, Some(inputs))
    }

    fn compile_raw(&self, target: &Target, inputs: Option<&[&dyn Input]>) -> Result<Callable> {
        target.check_jit()?;
        let (scalars, buffers) = split_inputs(inputs.unwrap_or_default());
        let request = crate::cache::Request {
            pipeline: &self.handle,
            infer: inputs.is_none(),
            scalars: &scalars,
            buffers: &buffers,
            target,
            name: &self.name,
        };
        if let Some(callable) = crate::cache::compile(&request) {
            return Ok(callable);
        }
        // Compiling changes nothing the pipeline is made of.
        let p = self.handle.keeping_code();
        let t = target.handle().as_ptr();
        // SAFETY: the pipeline, the target and the params are borrowed for
        // the call; both arrays have the inputs' length.
        let handle: CallableHandle = unsafe {
            ffi::call(|err| {
                sys::hl_pipeline_compile(
                    p.as_ptr(),
                    t,
                    inputs.is_none(),
                    scalars.as_ptr(),
                    buffers.as_ptr(),
                    scalars.len(),
                    err,
                )
            })
        }?;
        Callable::from_handle(handle, self.name.clone(), target)
    }
}

impl fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pipeline({})", self.name)
    }
}

/// The shim's two parallel input arrays: for each input, its scalar param
/// or its image param, the other null. The pointers borrow from `inputs`.
pub(crate) fn split_inputs(
    inputs: &[&dyn Input],
) -> (Vec<*const sys::hl_param>, Vec<*const sys::hl_image_param>) {
    inputs
        .iter()
        .map(|input| match input.input_handle() {
            InputHandle::Scalar(p) => (p.as_ptr(), std::ptr::null()),
            InputHandle::Buffer(p) => (std::ptr::null(), p.as_ptr()),
        })
        .unzip()
}

impl Func {
    /// The loop nest this Func's schedule produces, as pseudo-code: Halide's
    /// `print_loop_nest`, returned instead of printed.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let (x, y, xi, yi) = (Var::new("x"), Var::new("y"), Var::new("xi"), Var::new("yi"));
    /// let mut f = Func::new("f");
    /// f.define([&x, &y], &x + &y)?;
    /// f.tile(&x, &y, &xi, &yi, 8, 8)?.parallel(&y)?.vectorize(&xi, 8)?;
    /// let nest = f.loop_nest()?;
    /// assert!(nest.contains("parallel y.y:"), "{nest}");
    /// assert!(nest.contains("vectorized x.xi"), "{nest}");
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn loop_nest(&self) -> Result<String> {
        Pipeline::new(&[self])?.loop_nest()
    }
}

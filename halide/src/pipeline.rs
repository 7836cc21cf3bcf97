//! Pipelines, and the callables they compile to.

use crate::arg::{Arg, ArgValue};
use crate::error::{Error, Result};
use crate::ffi::{self, Handle, shim};
use crate::func::Func;
use crate::handlers;
use crate::param::{Input, InputHandle};
use crate::target::Target;
use halide_runtime::{ArgumentInfo, ArgumentKind, ErrorCode, Handlers, Type};
use halide_sys as sys;
use std::ffi::{CStr, c_void};
use std::fmt;

type PipelineHandle = Handle<sys::hl_pipeline>;
type CallableHandle = Handle<sys::hl_callable>;

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

    /// JIT-compiles the pipeline for `target`. The callable's arguments
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
        let (scalars, buffers) = split_inputs(inputs.unwrap_or_default());
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
        let n = shim!(sys::hl_callable_argument_count, &handle)?;
        let arguments = (0..n)
            .map(|i| {
                let mut raw = sys::hl_argument::default();
                shim!(sys::hl_callable_argument, &handle, i, &mut raw)?;
                // SAFETY: the shim filled raw from the callable, which lives.
                unsafe { argument_from_raw(&raw) }
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Callable {
            handle,
            arguments,
            name: self.name.clone(),
            handlers: Handlers::new(),
        })
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

/// Describes a compiled callable's argument from the shim's view of it.
///
/// # Safety
/// `raw` was filled by `hl_callable_argument` from a callable that is
/// still alive (its name points into the callable).
unsafe fn argument_from_raw(raw: &sys::hl_argument) -> Result<ArgumentInfo> {
    // SAFETY: per the contract, the name is a live C string.
    let name = unsafe { CStr::from_ptr(raw.name) }
        .to_string_lossy()
        .into_owned()
        .into();
    let kind = match raw.kind {
        sys::hl_argument_kind::HL_ARGUMENT_INPUT_SCALAR => ArgumentKind::InputScalar,
        sys::hl_argument_kind::HL_ARGUMENT_INPUT_BUFFER => ArgumentKind::InputBuffer,
        _ => ArgumentKind::OutputBuffer,
    };
    let ty = Type::from_raw(raw.type_)
        .ok_or_else(|| Error::invalid("Halide returned an unknown type code"))?;
    Ok(ArgumentInfo {
        name,
        kind,
        ty,
        dimensions: usize::try_from(raw.dimensions).unwrap_or(0),
    })
}

/// A compiled pipeline: call it any number of times, from any number of
/// threads at once, with buffers borrowed only for the call.
///
/// Arguments are checked against [`arguments`](Callable::arguments) before
/// the call (count, kind, element type, dimensions); the pipeline itself
/// checks sizes and constraints, and its failures come back as
/// [`ErrorKind::Runtime`](crate::ErrorKind::Runtime) errors with Halide's
/// code and message.
pub struct Callable {
    handle: CallableHandle,
    arguments: Vec<ArgumentInfo>,
    name: String,
    handlers: Handlers,
}

// SAFETY: a Halide Callable is immutable once compiled, and each call gets
// its own JIT context (see hl_callable_call), so calls from several threads
// at once are safe, as Halide documents.
unsafe impl Send for Callable {}
// SAFETY: as above; `call` takes &self.
unsafe impl Sync for Callable {}

impl Callable {
    /// This callable with its print, trace and error output going to
    /// `handlers` (set it before sharing the callable between threads).
    pub fn with_handlers(mut self, handlers: Handlers) -> Self {
        self.handlers = handlers;
        self
    }

    /// The arguments [`call`](Callable::call) takes, in order: the inputs
    /// (as given to [`Pipeline::compile_with_inputs`], or else buffers,
    /// then scalars, each in name order), then the outputs.
    pub fn arguments(&self) -> &[ArgumentInfo] {
        &self.arguments
    }

    fn signature(&self) -> String {
        let args: Vec<String> = self.arguments.iter().map(ToString::to_string).collect();
        format!("{}({})", self.name, args.join(", "))
    }

    fn check(&self, args: &[Arg<'_>]) -> Result<()> {
        if args.len() != self.arguments.len() {
            return Err(Error::invalid(format!(
                "{} takes {} arguments, {} given",
                self.signature(),
                self.arguments.len(),
                args.len()
            )));
        }
        for (i, (info, arg)) in self.arguments.iter().zip(args).enumerate() {
            let problem = match (&arg.value, info.kind) {
                (ArgValue::Scalar { ty, .. }, ArgumentKind::InputScalar) => {
                    (*ty != info.ty).then(|| format!("a {ty} scalar was given"))
                }
                (
                    ArgValue::Buffer {
                        ty,
                        dimensions,
                        writable,
                        ..
                    },
                    kind,
                ) if kind != ArgumentKind::InputScalar => {
                    if kind == ArgumentKind::OutputBuffer && !writable {
                        Some("a read-only buffer was given; pass `&mut`".to_owned())
                    } else if *ty != info.ty || *dimensions != info.dimensions {
                        Some(format!("a buffer of {ty} x{dimensions} was given"))
                    } else {
                        None
                    }
                }
                (ArgValue::Scalar { ty, .. }, _) => Some(format!("a {ty} scalar was given")),
                (ArgValue::Buffer { .. }, _) => Some("a buffer was given".to_owned()),
            };
            if let Some(problem) = problem {
                return Err(Error::invalid(format!(
                    "argument {i} of {} is {info}, but {problem}",
                    self.name
                )));
            }
        }
        Ok(())
    }

    /// Runs the pipeline. Build the arguments with [`args!`](crate::args):
    /// `&buffer` for inputs, `&mut buffer` for outputs, values for scalars.
    pub fn call(&self, args: &[Arg<'_>]) -> Result<()> {
        self.check(args)?;
        // Slot 0 is the shim's; the arguments follow. Up to 16 arguments
        // need no allocation, so a call costs what C++'s Callable costs.
        let mut stack = [std::ptr::null::<c_void>(); 17];
        let mut heap = Vec::new();
        let argv: &mut [*const c_void] = if args.len() < stack.len() {
            &mut stack[..=args.len()]
        } else {
            heap.resize(args.len() + 1, std::ptr::null());
            &mut heap
        };
        for (slot, arg) in argv[1..].iter_mut().zip(args) {
            *slot = arg.as_argv();
        }
        let mut message = std::ptr::null_mut();
        let c = self.handle.as_ptr();
        let code = handlers::run_with(&self.handlers, |handlers| {
            // SAFETY: check() matched every argument to the signature: scalars
            // point at values of the declared type inside `args`, buffers at
            // halide_buffer_t's whose memory is borrowed by `args` for this call
            // (mutably for outputs). argv has args.len() + 1 slots. The
            // handlers stay valid during `run`.
            unsafe {
                ffi::call(|err| {
                    sys::hl_callable_call(
                        c,
                        argv.as_mut_ptr(),
                        args.len(),
                        handlers,
                        &mut message,
                        err,
                    )
                })
            }
        })?;
        let text = if message.is_null() {
            String::new()
        } else {
            // SAFETY: the shim stored an owned `char *` in message.
            unsafe { ffi::ShimReturn::adopt(message) }?
        };
        match ErrorCode::from_code(code) {
            None => Ok(()),
            Some(code) => Err(Error::runtime(code, &text)),
        }
    }
}

impl fmt::Debug for Callable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Callable({})", self.signature())
    }
}

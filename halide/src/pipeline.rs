//! Pipelines, and the callables they compile to.

use crate::error::{Error, Result};
use crate::expr::Scalar;
use crate::ffi::{self, handle};
use crate::func::Func;
use crate::handlers::{self, Handlers};
use crate::param::{PipelineInput, RawInput};
use crate::target::Target;
use halide_runtime::sys::halide_buffer_t;
use halide_runtime::{ArgumentInfo, ArgumentKind, ErrorCode, HalideBuffer, HalideBufferMut, Type};
use halide_sys as sys;
use std::ffi::{CStr, c_void};
use std::fmt;
use std::marker::PhantomData;

handle!(PipelineHandle, sys::hl_pipeline, sys::hl_pipeline_free);
handle!(CallableHandle, sys::hl_callable, sys::hl_callable_free);

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
        let ptrs: Vec<*mut sys::hl_func> = outputs.iter().map(|f| f.as_ptr()).collect();
        // SAFETY: every pointer is to a live Func borrowed for the call.
        let handle = PipelineHandle::new(|err| unsafe {
            sys::hl_pipeline_new(ptrs.as_ptr(), ptrs.len(), err)
        })?;
        let name = outputs
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join("+");
        Ok(Pipeline { handle, name })
    }

    pub(crate) fn as_ptr(&self) -> *mut sys::hl_pipeline {
        self.handle.as_ptr()
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
    pub fn compile_with_inputs(
        &self,
        target: &Target,
        inputs: &[&dyn PipelineInput],
    ) -> Result<Callable> {
        self.compile_raw(target, Some(inputs))
    }

    fn compile_raw(
        &self,
        target: &Target,
        inputs: Option<&[&dyn PipelineInput]>,
    ) -> Result<Callable> {
        let (scalars, buffers) = split_inputs(inputs.unwrap_or_default());
        // SAFETY: both are live objects; every input pointer is to a live
        // param borrowed by `inputs`, and both arrays have its length.
        let handle = CallableHandle::new(|err| unsafe {
            sys::hl_pipeline_compile(
                self.handle.as_ptr(),
                target.as_ptr(),
                inputs.is_none(),
                scalars.as_ptr(),
                buffers.as_ptr(),
                scalars.len(),
                err,
            )
        })?;
        // SAFETY: handle is a live callable.
        let n = unsafe { sys::hl_callable_argument_count(handle.as_ptr()) };
        let arguments = (0..n)
            .map(|i| {
                let mut raw = sys::hl_argument::default();
                // SAFETY: i < n; raw is a valid place to write.
                ffi::call(|err| unsafe {
                    sys::hl_callable_argument(handle.as_ptr(), i, &mut raw, err)
                })?;
                argument_from_raw(&raw)
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
    inputs: &[&dyn PipelineInput],
) -> (Vec<*const sys::hl_param>, Vec<*const sys::hl_image_param>) {
    inputs
        .iter()
        .map(|input| match input.raw_input() {
            RawInput::Scalar(p) => (p, std::ptr::null()),
            RawInput::Buffer(p) => (std::ptr::null(), p),
        })
        .unzip()
}

/// Describes a compiled callable's argument from the shim's view of it.
fn argument_from_raw(raw: &sys::hl_argument) -> Result<ArgumentInfo> {
    // SAFETY: the name lives as long as the callable, which outlives this call.
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
        let code = handlers::run_with(&self.handlers, |handlers| {
            // SAFETY: check() matched every argument to the signature: scalars
            // point at values of the declared type inside `args`, buffers at
            // halide_buffer_t's whose memory is borrowed by `args` for this call
            // (mutably for outputs). argv has args.len() + 1 slots. The
            // handlers stay valid during `run`.
            ffi::call(|err| unsafe {
                sys::hl_callable_call(
                    self.handle.as_ptr(),
                    argv.as_mut_ptr(),
                    args.len(),
                    handlers,
                    &mut message,
                    err,
                )
            })
        })?;
        let text = if message.is_null() {
            String::new()
        } else {
            // SAFETY: the shim returned an owned, NUL-terminated string.
            let s = unsafe { CStr::from_ptr(message) }
                .to_string_lossy()
                .into_owned();
            // SAFETY: freed once, with the matching function.
            unsafe { sys::hl_string_free(message) };
            s
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

/// One argument of a [`Callable::call`], borrowing what it refers to.
pub struct Arg<'a> {
    value: ArgValue,
    _borrow: PhantomData<&'a mut ()>,
}

enum ArgValue {
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

    fn as_argv(&self) -> *const c_void {
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
        let raw = self.raw();
        let value = ArgValue::Buffer {
            ptr: self.as_raw_ptr(),
            ty: raw.element_type(),
            dimensions: raw.dimensions(),
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
        let (ty, dimensions) = (self.raw().element_type(), self.raw().dimensions());
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
    let mut bits = 0u64;
    // SAFETY: T is at most 8 bytes (Halide scalars are), and u64's alignment
    // satisfies every scalar's.
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

/// The arguments of a [`Callable::call`]: `args![&input, 2.0f32, &mut output]`.
#[macro_export]
macro_rules! args {
    ($($arg:expr),* $(,)?) => {
        &[$($crate::IntoArg::into_arg($arg)),*]
    };
}

//! Compiled pipelines and the one way JIT code is called: positional
//! [`Arg`]s, checked against the callable's signature, on the stack.
//!
//! [`Callable::call`] and [`Func::realize`](crate::Func::realize) both end
//! here: a realization is a call of the Func's cached callable with its
//! inputs looked up by name.

use crate::arg::{Arg, ArgValue};
use crate::error::{Error, Result};
use crate::ffi::{self, Handle, shim};
use crate::handlers;
use crate::target::Target;
use halide_runtime::{ArgumentInfo, ArgumentKind, ErrorCode, Handlers, LentInput, Type};
use halide_sys as sys;
use std::ffi::{CStr, c_int, c_void};
use std::fmt;

pub(crate) type CallableHandle = Handle<sys::hl_callable>;

/// A compiled pipeline: call it any number of times, from any number of
/// threads at once, with buffers borrowed only for the call.
///
/// Arguments are checked against [`arguments`](Callable::arguments) before
/// the call (count, kind, element type, dimensions, and the name of an
/// argument made by [`ImageParam::bind`](crate::ImageParam::bind) or
/// [`Param::bind`](crate::Param::bind)); the pipeline itself checks sizes
/// and constraints, and its failures come back as
/// [`ErrorKind::Runtime`](crate::ErrorKind::Runtime) errors with Halide's
/// code and message.
pub struct Callable {
    /// The signature and parameters, and for JIT code the code itself.
    handle: CallableHandle,
    /// Code loaded from the compile cache, if not JIT code.
    #[cfg(target_os = "linux")]
    shared: Option<std::sync::Arc<crate::shared_library::SharedPipeline>>,
    arguments: Vec<ArgumentInfo>,
    name: String,
    handlers: Handlers,
    /// Whether the code may move inputs to a device, writing the device
    /// fields of their `halide_buffer_t` (see [`LentInput`]).
    on_device: bool,
}

// SAFETY: a Halide Callable is immutable once compiled, and each call gets
// its own JIT context (see hl_callable_call), so calls from several threads
// at once are safe, as Halide documents.
unsafe impl Send for Callable {}
// SAFETY: as above; `call` takes &self.
unsafe impl Sync for Callable {}

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

/// The arguments of the shim callable `handle`, in order.
pub(crate) fn arguments_of(handle: &CallableHandle) -> Result<Vec<ArgumentInfo>> {
    let n = shim!(sys::hl_callable_argument_count, handle)?;
    (0..n)
        .map(|i| {
            let mut raw = sys::hl_argument::default();
            shim!(sys::hl_callable_argument, handle, i, &mut raw)?;
            // SAFETY: the shim filled raw from the callable, which lives.
            unsafe { argument_from_raw(&raw) }
        })
        .collect()
}

/// Device operations on buffers outside a call (copies, frees on drop)
/// run inside a JIT user context, so that a failing one is an error, not
/// an abort (see halide-runtime's `DeviceCaller`). Installed when JIT code
/// or a JIT device interface first exists.
pub(crate) fn install_device_caller() {
    halide_runtime::device::set_device_caller(|call| {
        unsafe extern "C" fn trampoline(data: *mut c_void, user_context: *mut c_void) -> c_int {
            // SAFETY: `data` is the `&mut dyn FnMut` below, live for the call.
            let run = unsafe { &mut *data.cast::<&mut dyn FnMut(*mut c_void) -> c_int>() };
            run(user_context)
        }
        let mut run = call.run;
        let data = std::ptr::from_mut(&mut run).cast::<c_void>();
        let mut message = std::ptr::null_mut();
        // SAFETY: the trampoline gets `data` back, which points at `run`
        // for the whole call; message is a slot for an owned string.
        let code = unsafe {
            ffi::call(|err| sys::hl_with_jit_context(Some(trampoline), data, &mut message, err))
        };
        match code {
            Ok(code) if message.is_null() => (code, String::new()),
            // SAFETY: the shim stored an owned `char *` in message.
            Ok(code) => (
                code,
                unsafe { ffi::ShimReturn::adopt(message) }.unwrap_or_default(),
            ),
            Err(e) => (ErrorCode::Generic.code(), e.to_string()),
        }
    });
}

impl Callable {
    /// The callable the shim compiled for `target`, named `name` in messages.
    pub(crate) fn from_handle(
        handle: CallableHandle,
        name: String,
        target: &Target,
    ) -> Result<Self> {
        let arguments = arguments_of(&handle)?;
        Ok(Callable {
            handle,
            #[cfg(target_os = "linux")]
            shared: None,
            arguments,
            name,
            handlers: Handlers::new(),
            on_device: target.has_gpu_feature(),
        })
    }

    /// The callable of `signature` (a shim callable without code) whose
    /// code is the cached library `code`, compiled for a CPU target.
    #[cfg(target_os = "linux")]
    pub(crate) fn from_shared(
        signature: CallableHandle,
        code: crate::shared_library::SharedPipeline,
        name: String,
        target: &Target,
    ) -> Result<Self> {
        let mut callable = Callable::from_handle(signature, name, target)?;
        callable.shared = Some(std::sync::Arc::new(code));
        Ok(callable)
    }

    /// Whether the code was loaded from the compile cache (see
    /// [`cache`](crate::cache)) rather than JIT-compiled in this process.
    pub fn is_cached(&self) -> bool {
        #[cfg(target_os = "linux")]
        {
            self.shared.is_some()
        }
        #[cfg(not(target_os = "linux"))]
        {
            false
        }
    }

    /// This callable with its print, trace and error output going to
    /// `handlers` (set it before sharing the callable between threads).
    pub fn with_handlers(mut self, handlers: Handlers) -> Self {
        self.handlers = handlers;
        self
    }

    /// The arguments [`call`](Callable::call) takes, in order: the inputs
    /// (as given to [`Pipeline::compile_with_inputs`](crate::Pipeline::compile_with_inputs),
    /// or else buffers, then scalars, each in name order), then the outputs.
    pub fn arguments(&self) -> &[ArgumentInfo] {
        &self.arguments
    }

    /// The value input `i` takes when the caller gives none: the one its
    /// [`Param`](crate::Param) was last [`set`](crate::Param::set) to.
    pub(crate) fn current_value(&self, i: usize) -> Result<Arg<'static>> {
        let ty = self.arguments[i].ty;
        let mut bits = 0u64;
        shim!(sys::hl_callable_param_value, &self.handle, i, &mut bits)?;
        Ok(Arg::from_bits(ty, bits))
    }

    fn signature(&self) -> String {
        let args: Vec<String> = self.arguments.iter().map(ToString::to_string).collect();
        format!("{}({})", self.name, args.join(", "))
    }

    #[inline]
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
            if let Some(problem) = mismatch(info, arg) {
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
    #[inline]
    pub fn call(&self, args: &[Arg<'_>]) -> Result<()> {
        self.call_with(args, &self.handlers)
    }

    /// [`call`](Self::call), reporting to `handlers`.
    #[inline]
    pub(crate) fn call_with(&self, args: &[Arg<'_>], handlers: &Handlers) -> Result<()> {
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
        #[cfg(target_os = "linux")]
        if let Some(shared) = &self.shared {
            if self.on_device {
                // A webgpu entry: its runtime moves device data itself.
                return self.invoke_on_device(args, argv, |argv| {
                    // SAFETY: check() matched every argument to the
                    // signature; lent copies live until the call ends.
                    unsafe { shared.call(argv, handlers) }
                });
            }
            return self.invoke_shared(shared, args, argv, handlers);
        }
        if self.on_device {
            self.invoke_on_device(args, argv, |argv| self.invoke(argv, handlers))
        } else {
            self.invoke(argv, handlers)
        }
    }

    /// [`invoke`](Self::invoke) for device code, which reads inputs lent
    /// by `&` from copies (halide-runtime's `device` module says why); the
    /// copies stay in place until the call ends: all are made before any
    /// is pointed to. Kept out of line, off the CPU path.
    #[inline(never)]
    fn invoke_on_device(
        &self,
        args: &[Arg<'_>],
        argv: &mut [*const c_void],
        invoke: impl FnOnce(&mut [*const c_void]) -> Result<()>,
    ) -> Result<()> {
        let mut lent: Vec<(usize, LentInput<'_>)> = Vec::new();
        for (i, (info, arg)) in self.arguments.iter().zip(args).enumerate() {
            if info.kind != ArgumentKind::InputBuffer {
                continue;
            }
            match arg.lent_input() {
                Some(copy) => lent.push((i, copy)),
                None => arg.prepare_device_input(),
            }
        }
        for (i, copy) in &mut lent {
            argv[*i + 1] = copy.as_mut_ptr().cast_const().cast();
        }
        let result = invoke(argv);
        drop(lent);
        result
    }

    /// Calls code loaded from the cache. It links its own runtime, which
    /// must never run a device interface of another (libHalide's JIT), so
    /// arguments whose current data is on a device are brought to the
    /// host first, through their own runtime; inputs lent by `&` through
    /// copies, as for device code.
    #[cfg(target_os = "linux")]
    fn invoke_shared(
        &self,
        shared: &crate::shared_library::SharedPipeline,
        args: &[Arg<'_>],
        argv: &mut [*const c_void],
        handlers: &Handlers,
    ) -> Result<()> {
        let mut lent: Vec<LentInput<'_>> = Vec::new();
        for (i, arg) in args.iter().enumerate() {
            if !arg.has_device_data() {
                continue;
            }
            let raw = match arg.lent_input() {
                Some(copy) => {
                    lent.push(copy);
                    lent.last_mut().map(LentInput::as_mut_ptr)
                }
                None => arg.writable_buffer(),
            };
            if let Some(raw) = raw {
                // SAFETY: a lent copy lives in `lent` until the call ends;
                // a writable buffer is borrowed mutably by `args`; both
                // describe live memory whose device fields a runtime set.
                unsafe { halide_runtime::device::sync_to_host(&mut *raw) }
                    .map_err(|e| Error::runtime(e.code(), e.message().unwrap_or_default()))?;
                argv[i + 1] = raw.cast_const().cast();
            }
        }
        // SAFETY: check() matched every argument to the signature, as for
        // `invoke`; the lent copies live until after the call.
        let result = unsafe { shared.call(argv, handlers) };
        drop(lent);
        result
    }

    /// Calls the compiled code with `argv` (slot 0 the shim's, then one
    /// pointer per argument, each checked by `check`).
    #[inline]
    fn invoke(&self, argv: &mut [*const c_void], handlers: &Handlers) -> Result<()> {
        let mut message = std::ptr::null_mut();
        let c = self.handle.as_ptr();
        let argc = argv.len() - 1;
        let code = handlers::run_with(handlers, |handlers| {
            // SAFETY: check() matched every argument to the signature: scalars
            // point at values of the declared type inside `args`, buffers at
            // halide_buffer_t's whose memory is borrowed by `args` (or, for
            // device code, copies that outlive the call) for this call
            // (mutably for outputs). argv has argc + 1 slots. The handlers
            // stay valid during `run`.
            unsafe {
                ffi::call(|err| {
                    sys::hl_callable_call(c, argv.as_mut_ptr(), argc, handlers, &mut message, err)
                })
            }
        })?;
        if ErrorCode::from_code(code).is_none() {
            return Ok(());
        }
        self.failure(code, message)
    }

    /// The error for a failed call: Halide's code and the messages it
    /// reported (`message`, owned, from the shim). Out of line: the
    /// successful path does not pay for building it.
    #[cold]
    #[inline(never)]
    fn failure(&self, code: i32, message: *mut std::ffi::c_char) -> Result<()> {
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

/// Why an argument cannot be passed where it was: found on every call, so
/// finding it allocates nothing; the words are built only for the error.
enum Mismatch<'a> {
    BoundElsewhere(&'a str),
    Scalar(Type),
    ReadOnlyOutput,
    ElementType(Type),
    Dimensions(usize),
    Buffer,
}

impl fmt::Display for Mismatch<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::BoundElsewhere(input) => {
                write!(f, "an argument bound to input {input} was given")
            }
            Mismatch::Scalar(ty) => write!(f, "a {ty} scalar was given"),
            Mismatch::ReadOnlyOutput => f.write_str("a read-only buffer was given; pass `&mut`"),
            Mismatch::ElementType(ty) => write!(f, "a buffer of element type {ty} was given"),
            Mismatch::Dimensions(n) => write!(f, "a {n}-dimensional buffer was given"),
            Mismatch::Buffer => f.write_str("a buffer was given"),
        }
    }
}

/// Why `arg` cannot be passed as the argument `info` describes, if it cannot.
#[inline]
fn mismatch<'a>(info: &ArgumentInfo, arg: &Arg<'a>) -> Option<Mismatch<'a>> {
    if let Some(input) = arg.input.filter(|input| **input != *info.name) {
        return Some(Mismatch::BoundElsewhere(input));
    }
    match (&arg.value, info.kind) {
        (ArgValue::Scalar { ty, .. }, ArgumentKind::InputScalar) => {
            (*ty != info.ty).then_some(Mismatch::Scalar(*ty))
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
                Some(Mismatch::ReadOnlyOutput)
            } else if *ty != info.ty {
                Some(Mismatch::ElementType(*ty))
            } else if *dimensions != info.dimensions {
                Some(Mismatch::Dimensions(*dimensions))
            } else {
                None
            }
        }
        (ArgValue::Scalar { ty, .. }, _) => Some(Mismatch::Scalar(*ty)),
        (ArgValue::Buffer { .. }, _) => Some(Mismatch::Buffer),
    }
}

impl fmt::Debug for Callable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Callable({})", self.signature())
    }
}

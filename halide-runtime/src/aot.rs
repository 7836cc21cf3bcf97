//! Calling pipelines compiled ahead of time, safely: what the Rust wrappers
//! that `halide-build` emits next to each library rely on.
//!
//! Halide's runtime reports errors through `halide_error`, whose default
//! prints the message and aborts the process. The first call through a
//! wrapper installs handlers that instead keep the message with the call
//! that caused it, so the call returns it as [`Error`]. Pipelines compiled
//! with the `user_context` target feature (the default of `halide-build` and
//! of the `halide` crate's AOT helpers) get a per-call context: their
//! errors, printed text and trace events go to that call's [`Handlers`]
//! even when they happen on Halide's worker threads. Without it, only
//! errors raised on the calling thread (argument checks, the usual case)
//! keep their message; print and trace keep Halide's defaults.
//!
//! User code does not call this module directly; the generated wrappers
//! look like this:
//!
//! ```ignore
//! pub fn run(input: &impl HalideBuffer<Elem = u8>, output: &mut impl HalideBufferMut<Elem = u8>)
//!     -> Result<(), Error>
//! {
//!     let (mut input, output) = (aot::input(input, "input")?, aot::output(output, "output")?);
//!     // SAFETY: ...
//!     aot::call(&RUNTIME, &Handlers::new(), |uc| unsafe { ffi::add(uc, input.as_mut_ptr(), output) })
//! }
//! ```

use crate::device::{DeviceOpCall, set_device_caller};
use crate::sys::{
    halide_buffer_t, halide_error_handler_t, halide_filter_metadata_t, halide_print_t,
    halide_trace_event_t, halide_trace_t,
};
use crate::{
    ArgumentInfo, ArgumentKind, Error, ErrorCode, HalideBuffer, HalideBufferMut, Handlers,
    LentInput, RawHandlers, Type,
};
use std::cell::RefCell;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::sync::{Mutex, OnceLock};

/// The runtime functions a wrapper installs its handlers with, taken from
/// the Halide runtime linked into the program.
#[derive(Debug)]
pub struct HandlerSetters {
    set_error_handler: unsafe extern "C" fn(halide_error_handler_t) -> halide_error_handler_t,
    set_custom_print: unsafe extern "C" fn(halide_print_t) -> halide_print_t,
    set_custom_trace: unsafe extern "C" fn(halide_trace_t) -> halide_trace_t,
    /// Whether device operations outside calls report through this runtime.
    device_errors: bool,
    installed: OnceLock<()>,
}

impl HandlerSetters {
    /// The setters of the linked runtime.
    ///
    /// # Safety
    /// The functions must be `halide_set_error_handler`,
    /// `halide_set_custom_print` and `halide_set_custom_trace` of the one
    /// Halide runtime the program's pipelines use.
    pub const unsafe fn new(
        set_error_handler: unsafe extern "C" fn(halide_error_handler_t) -> halide_error_handler_t,
        set_custom_print: unsafe extern "C" fn(halide_print_t) -> halide_print_t,
        set_custom_trace: unsafe extern "C" fn(halide_trace_t) -> halide_trace_t,
    ) -> Self {
        HandlerSetters {
            set_error_handler,
            set_custom_print,
            set_custom_trace,
            device_errors: true,
            installed: OnceLock::new(),
        }
    }

    /// These setters, for a runtime without device support: calls through
    /// it never make it the runtime device operations report through (see
    /// [`report_device_errors`]), which suits a CPU runtime loaded beside
    /// libHalide's JIT (whose device runtimes need the JIT's own caller).
    pub const fn without_device_errors(mut self) -> Self {
        self.device_errors = false;
        self
    }

    /// Installs this module's handlers in this runtime, once; remembers the
    /// first runtime's own print and trace handlers for calls without a
    /// context (every runtime's print to stderr alike), and makes device
    /// operations report the runtime's messages.
    #[inline]
    fn install(&'static self) {
        self.installed.get_or_init(|| {
            if self.device_errors {
                report_device_errors(self);
            }
            // SAFETY: per `new`, these are the runtime's setters; the
            // handlers are valid for the whole program.
            let defaults = unsafe {
                (self.set_error_handler)(Some(on_error));
                Defaults {
                    print: (self.set_custom_print)(Some(on_print)),
                    trace: (self.set_custom_trace)(Some(on_trace)),
                }
            };
            let _ = DEFAULTS.set(defaults);
        });
    }
}

/// The runtime's print and trace handlers from before ours.
struct Defaults {
    print: halide_print_t,
    trace: halide_trace_t,
}

static DEFAULTS: OnceLock<Defaults> = OnceLock::new();

/// Marks a user context as one of ours. A user_context is only ever a
/// `Context` when a wrapper made the call; the tag guards against a
/// pointer some other caller in the process passes.
const TAG: u64 = 0x4841_4c49_4445_5253; // "HALIDERS"

/// What one call's handlers need: the first field is the tag.
#[repr(C)]
struct Context {
    tag: u64,
    handlers: Option<RawHandlers>,
    messages: Mutex<String>,
}

thread_local! {
    /// Errors of pipelines without a user context, raised on this thread.
    static THREAD_MESSAGES: RefCell<String> = const { RefCell::new(String::new()) };
}

/// # Safety
/// `user_context` must be null or point to at least 8 readable bytes; a
/// pipeline passes back what its caller gave it.
unsafe fn context_of<'a>(user_context: *mut c_void) -> Option<&'a Context> {
    if user_context.is_null() {
        return None;
    }
    // SAFETY: per the contract; the tag is the first field of Context.
    let tag = unsafe { user_context.cast::<u64>().read_unaligned() };
    // SAFETY: a matching tag means a wrapper passed its live Context.
    (tag == TAG).then(|| unsafe { &*user_context.cast::<Context>() })
}

/// # Safety
/// `text` must be null or NUL-terminated.
unsafe fn text_of(text: *const c_char) -> String {
    if text.is_null() {
        String::new()
    } else {
        // SAFETY: per the contract.
        unsafe { CStr::from_ptr(text) }
            .to_string_lossy()
            .into_owned()
    }
}

unsafe extern "C" fn on_error(user_context: *mut c_void, text: *const c_char) {
    // SAFETY: the runtime passes the caller's user context and its message.
    let (context, message) = unsafe { (context_of(user_context), text_of(text)) };
    match context {
        Some(context) => {
            push_line(
                &mut context.messages.lock().unwrap_or_else(|e| e.into_inner()),
                &message,
            );
            if let Some(RawHandlers {
                user,
                error: Some(error),
                ..
            }) = context.handlers
            {
                // SAFETY: the handlers are live for the call (Handlers::run).
                unsafe { error(user, text) };
            }
        }
        None => THREAD_MESSAGES.with(|m| push_line(&mut m.borrow_mut(), &message)),
    }
}

unsafe extern "C" fn on_print(user_context: *mut c_void, text: *const c_char) {
    // SAFETY: as for on_error.
    let context = unsafe { context_of(user_context) };
    if let Some(RawHandlers {
        user,
        print: Some(print),
        ..
    }) = context.and_then(|c| c.handlers)
    {
        // SAFETY: the handlers are live for the call.
        unsafe { print(user, text) };
    } else if let Some(Some(default)) = DEFAULTS.get().map(|d| d.print) {
        // SAFETY: the runtime's own handler, with the runtime's arguments.
        unsafe { default(user_context, text) };
    }
}

unsafe extern "C" fn on_trace(
    user_context: *mut c_void,
    event: *const halide_trace_event_t,
) -> c_int {
    // SAFETY: as for on_error.
    let context = unsafe { context_of(user_context) };
    if let Some(RawHandlers {
        user,
        trace: Some(trace),
        ..
    }) = context.and_then(|c| c.handlers)
    {
        // SAFETY: the handlers are live for the call; the event is the runtime's.
        unsafe { trace(user, event) }
    } else if let Some(Some(default)) = DEFAULTS.get().map(|d| d.trace) {
        // SAFETY: the runtime's own handler, with the runtime's arguments.
        unsafe { default(user_context, event) }
    } else {
        0
    }
}

/// The messages errors without a context of ours left on this thread.
pub(crate) fn take_thread_messages() -> String {
    let text = THREAD_MESSAGES.with(|m| std::mem::take(&mut *m.borrow_mut()));
    text.trim_end().to_owned()
}

fn push_line(messages: &mut String, line: &str) {
    if !messages.is_empty() && !messages.ends_with('\n') {
        messages.push('\n');
    }
    messages.push_str(line);
}

/// Runs one call of an AOT pipeline: `f` makes the call, given the user
/// context to pass if the pipeline takes one. A nonzero return becomes an
/// [`Error`] with Halide's message; a handler's panic resumes here.
///
/// ```ignore
/// aot::call(&RUNTIME, &handlers, |uc| unsafe { ffi::blur(uc, input, output) })
/// ```
pub fn call(
    runtime: &'static HandlerSetters,
    handlers: &Handlers,
    f: impl FnOnce(*mut c_void) -> c_int,
) -> Result<(), Error> {
    runtime.install();
    let mut context = Context {
        tag: TAG,
        handlers: None,
        messages: Mutex::new(String::new()),
    };
    let code = handlers.run(|raw| {
        context.handlers = raw.copied();
        f(std::ptr::from_ref(&context).cast_mut().cast())
    });
    let Some(code) = ErrorCode::from_code(code) else {
        return Ok(());
    };
    let mut message = context
        .messages
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    // A pipeline built without a user context reports on the thread-local
    // of the thread that raised the error.
    let from_thread = take_thread_messages();
    if message.is_empty() {
        message = from_thread;
    }
    let message = message.trim_end().to_owned();
    Err(Error::new(code, (!message.is_empty()).then_some(message)))
}

/// The runtime whose handlers device operations run with, once
/// [`report_device_errors`] named it.
static DEVICE_RUNTIME: OnceLock<&'static HandlerSetters> = OnceLock::new();

/// Makes device operations on buffers outside pipeline calls
/// (`copy_to_device`, `copy_to_host`, `device_malloc`, device crops of
/// views, ...) return the runtime's message in their `Err`, as pipeline
/// calls do, by running them under this module's handlers for `runtime`.
/// Without it the runtime prints its message to stderr and the `Err`
/// carries only the code. The first pipeline [`call`] does this too; call
/// it first where device operations come before any pipeline call. The
/// first call in a process takes effect (in a program that links
/// libHalide, the `halide` crate's JIT caller instead).
pub fn report_device_errors(runtime: &'static HandlerSetters) {
    if DEVICE_RUNTIME.set(runtime).is_ok() {
        set_device_caller(run_device_op);
    }
}

/// The [`DeviceCaller`](crate::device::DeviceCaller) [`report_device_errors`] installs.
fn run_device_op(op: DeviceOpCall<'_>) -> (c_int, String) {
    let runtime = DEVICE_RUNTIME
        .get()
        .expect("set before the caller is installed");
    match call(runtime, &Handlers::new(), |uc| (op.run)(uc)) {
        Ok(()) => (0, String::new()),
        Err(e) => (e.code().code(), e.message().unwrap_or_default().to_owned()),
    }
}

/// Checks an input buffer for a call and returns what to pass: a
/// [`LentInput`], the pipeline's own copy of the `halide_buffer_t`, so that
/// a pipeline for a GPU target, which writes an input's device fields, never
/// writes through the shared borrow (see `device`). Keep it alive for the
/// call and pass [`LentInput::as_mut_ptr`].
///
/// Halide treats a buffer with a null host pointer as a bounds query and
/// writes its shape; such a buffer is refused instead.
pub fn input<'a>(buffer: &'a impl HalideBuffer, name: &str) -> Result<LentInput<'a>, Error> {
    let raw = buffer.raw().as_raw();
    if raw.host.is_null() {
        return Err(null_host(name));
    }
    Ok(LentInput::new(raw))
}

/// Checks an output buffer for a call and returns the pointer to pass; as
/// [`input`], a null host pointer is refused.
pub fn output(
    buffer: &mut impl HalideBufferMut,
    name: &str,
) -> Result<*mut halide_buffer_t, Error> {
    let raw = buffer.as_raw_mut_ptr();
    // SAFETY: the pointer is to the buffer's live halide_buffer_t.
    if unsafe { (*raw).host.is_null() } {
        return Err(null_host(name));
    }
    Ok(raw)
}

fn null_host(name: &str) -> Error {
    Error::new(
        ErrorCode::HostIsNull,
        Some(format!(
            "buffer {name} has no host memory; bounds queries are not supported"
        )),
    )
}

/// A pipeline's metadata as its library records it: the name it was
/// compiled under, its target, and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// The C function's name.
    pub name: String,
    /// The target string the library was compiled for.
    pub target: String,
    /// The arguments in call order (without the user context).
    pub arguments: Vec<ArgumentInfo>,
}

impl Metadata {
    /// Reads the metadata a pipeline's `<name>_metadata()` returns.
    ///
    /// # Safety
    /// `raw` must be what a Halide pipeline's metadata function returned
    /// (static data, valid for the program's lifetime).
    pub unsafe fn from_raw(raw: *const halide_filter_metadata_t) -> Metadata {
        // SAFETY: per the contract, raw points to valid static metadata.
        let raw = unsafe { &*raw };
        let arguments = (0..usize::try_from(raw.num_arguments).unwrap_or(0))
            // SAFETY: the metadata holds num_arguments arguments.
            .map(|i| unsafe { &*raw.arguments.add(i) })
            .filter(|a| {
                // SAFETY: names in the metadata are NUL-terminated.
                let name = unsafe { text_of(a.name) };
                !(name == "__user_context" && Type::from_raw(a.type_) == Some(Type::handle()))
            })
            .map(|a| {
                let kind = match a.kind {
                    0 => ArgumentKind::InputScalar,
                    1 => ArgumentKind::InputBuffer,
                    _ => ArgumentKind::OutputBuffer,
                };
                ArgumentInfo {
                    // SAFETY: names in the metadata are NUL-terminated.
                    name: unsafe { text_of(a.name) }.into(),
                    kind,
                    ty: Type::from_raw(a.type_).unwrap_or(Type::uint(8)),
                    dimensions: usize::try_from(a.dimensions).unwrap_or(0),
                }
            })
            .collect();
        Metadata {
            // SAFETY: as for the argument names.
            name: unsafe { text_of(raw.name) },
            // SAFETY: as for the argument names.
            target: unsafe { text_of(raw.target) },
            arguments,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_joined_once() {
        let mut m = String::new();
        push_line(&mut m, "a");
        push_line(&mut m, "b\n");
        push_line(&mut m, "c");
        assert_eq!(m, "a\nb\nc");
    }

    #[test]
    fn only_tagged_contexts_are_ours() {
        let context = Context {
            tag: TAG,
            handlers: None,
            messages: Mutex::new(String::new()),
        };
        let other = [0u64; 4];
        // SAFETY: both point to live memory of at least 8 bytes.
        unsafe {
            assert!(context_of(std::ptr::from_ref(&context).cast_mut().cast()).is_some());
            assert!(context_of(other.as_ptr().cast_mut().cast()).is_none());
            assert!(context_of(std::ptr::null_mut()).is_none());
        }
    }
}

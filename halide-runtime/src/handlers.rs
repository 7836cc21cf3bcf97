//! Runtime handlers: where a running pipeline's print, trace and error
//! output goes. The same handlers serve JIT pipelines (through the `halide`
//! crate) and ahead-of-time ones (through [`aot`](crate::aot)).

use crate::TraceEvent;
use crate::sys::halide_trace_event_t;
use std::any::Any;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};

type TextHandler = Arc<dyn Fn(&str) + Send + Sync>;
type TraceHandler = Arc<dyn Fn(&TraceEvent<'_>) + Send + Sync>;

/// Where a pipeline's runtime output goes: the text of `print` and
/// `print_when` expressions, trace events (from `trace_stores` and
/// friends), and error messages. Each is Halide's default (print to stderr)
/// unless set. Handlers run on the pipeline's threads, possibly several at
/// once, hence `Send + Sync`; a panic in one is carried to the caller of
/// the pipeline once it has returned.
///
/// Attach them to a JIT `Func` or `Callable` of the `halide` crate, or pass
/// them to an ahead-of-time pipeline's generated `run_with`.
///
/// ```
/// use halide_runtime::Handlers;
/// use std::sync::{Arc, Mutex};
/// let lines = Arc::new(Mutex::new(Vec::new()));
/// let sink = lines.clone();
/// let handlers = Handlers::new()
///     .on_print(move |text| sink.lock().unwrap().push(text.to_owned()))
///     .on_trace(|event| assert!(!event.func.is_empty()));
/// assert!(format!("{handlers:?}").contains("print: true"));
/// ```
#[derive(Clone, Default)]
pub struct Handlers {
    print: Option<TextHandler>,
    trace: Option<TraceHandler>,
    error: Option<TextHandler>,
}

impl Handlers {
    /// Halide's defaults for everything.
    pub fn new() -> Self {
        Handlers::default()
    }

    /// Everything to the [`log`] crate, target `halide`: printed text at
    /// `info`, trace events at `trace`, errors at `error` (they are still
    /// returned as `Err` too).
    pub fn log() -> Self {
        Handlers::new()
            .on_print(|text| log::info!(target: "halide", "{}", text.trim_end()))
            .on_trace(|e| {
                log::trace!(target: "halide", "{:?} {} {:?}", e.kind, e.func, e.coordinates);
            })
            .on_error(|text| log::error!(target: "halide", "{}", text.trim_end()))
    }

    /// Sends printed text (one call per line, with its newline) to `f`.
    pub fn on_print(mut self, f: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.print = Some(Arc::new(f));
        self
    }

    /// Sends trace events to `f`.
    pub fn on_trace(mut self, f: impl Fn(&TraceEvent<'_>) + Send + Sync + 'static) -> Self {
        self.trace = Some(Arc::new(f));
        self
    }

    /// Also sends error messages to `f` (the call still returns them as `Err`).
    pub fn on_error(mut self, f: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.error = Some(Arc::new(f));
        self
    }

    #[inline]
    fn is_default(&self) -> bool {
        self.print.is_none() && self.trace.is_none() && self.error.is_none()
    }

    /// Runs a pipeline: `f` gets the C view of these handlers (`None` for
    /// all defaults), valid for its duration. A handler's panic resumes here
    /// afterwards, on the caller's thread.
    #[inline]
    pub fn run<R>(&self, f: impl FnOnce(Option<&RawHandlers>) -> R) -> R {
        let run = Run::new(self);
        let raw = run.raw();
        let result = f(raw.as_ref());
        run.finish();
        result
    }
}

/// The C view of a set of [`Handlers`] during one run, as the `halide`
/// crate's shim and [`aot`](crate::aot) pass them on: each function gets
/// `user` as its first argument. A `None` handler means Halide's default.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct RawHandlers {
    /// The run's state; only valid during [`Handlers::run`].
    pub user: *mut c_void,
    /// Receives text from `print` and the runtime.
    pub print: Option<unsafe extern "C" fn(user: *mut c_void, text: *const c_char)>,
    /// Receives a trace event; returns the event's id.
    pub trace: Option<
        unsafe extern "C" fn(user: *mut c_void, event: *const halide_trace_event_t) -> c_int,
    >,
    /// Receives an error message.
    pub error: Option<unsafe extern "C" fn(user: *mut c_void, text: *const c_char)>,
}

impl fmt::Debug for Handlers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handlers")
            .field("print", &self.print.is_some())
            .field("trace", &self.trace.is_some())
            .field("error", &self.error.is_some())
            .finish()
    }
}

/// The handlers of one pipeline run, with what the run needs besides: a
/// place for a handler's panic and the ids of trace events.
struct Run<'h> {
    handlers: &'h Handlers,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
    next_id: AtomicI32,
}

impl<'h> Run<'h> {
    #[inline]
    fn new(handlers: &'h Handlers) -> Self {
        Run {
            handlers,
            panic: Mutex::new(None),
            next_id: AtomicI32::new(0),
        }
    }

    /// The C view of the handlers, or `None` for all defaults. It points
    /// into `self`, which must outlive the pipeline run.
    #[inline]
    fn raw(&self) -> Option<RawHandlers> {
        if self.handlers.is_default() {
            return None;
        }
        Some(RawHandlers {
            user: std::ptr::from_ref(self).cast_mut().cast(),
            print: self
                .handlers
                .print
                .is_some()
                .then_some(print_trampoline as _),
            trace: self
                .handlers
                .trace
                .is_some()
                .then_some(trace_trampoline as _),
            error: self
                .handlers
                .error
                .is_some()
                .then_some(error_trampoline as _),
        })
    }

    /// Ends the run: a handler's panic resumes here, on the caller's thread.
    #[inline]
    fn finish(self) {
        let panic = self.panic.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(payload) = panic {
            resume_unwind(payload);
        }
    }

    /// Runs a handler, keeping the first panic instead of unwinding into C.
    fn guard<T>(&self, fallback: T, f: impl FnOnce() -> T) -> T {
        catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
            let mut slot = self.panic.lock().unwrap_or_else(|e| e.into_inner());
            slot.get_or_insert(payload);
            fallback
        })
    }
}

/// # Safety
/// `user` must be the `Run` that `raw` made the handlers from, still live.
unsafe fn run_of<'a>(user: *mut c_void) -> &'a Run<'a> {
    // SAFETY: per the contract.
    unsafe { &*user.cast::<Run<'a>>() }
}

/// # Safety
/// `text` must be null or NUL-terminated.
unsafe fn text_of<'a>(text: *const c_char) -> std::borrow::Cow<'a, str> {
    if text.is_null() {
        "".into()
    } else {
        // SAFETY: per the contract.
        unsafe { CStr::from_ptr(text) }.to_string_lossy()
    }
}

unsafe extern "C" fn print_trampoline(user: *mut c_void, text: *const c_char) {
    // SAFETY: the caller passes the user pointer of `raw` and the runtime's message.
    let (run, text) = unsafe { (run_of(user), text_of(text)) };
    if let Some(f) = &run.handlers.print {
        run.guard((), || f(&text));
    }
}

unsafe extern "C" fn error_trampoline(user: *mut c_void, text: *const c_char) {
    // SAFETY: as for print_trampoline.
    let (run, text) = unsafe { (run_of(user), text_of(text)) };
    if let Some(f) = &run.handlers.error {
        run.guard((), || f(&text));
    }
}

unsafe extern "C" fn trace_trampoline(
    user: *mut c_void,
    event: *const halide_trace_event_t,
) -> c_int {
    // SAFETY: the caller passes the user pointer of `raw`.
    let run = unsafe { run_of(user) };
    let id = run.next_id.fetch_add(1, Ordering::Relaxed) + 1;
    if let (Some(f), false) = (&run.handlers.trace, event.is_null()) {
        // SAFETY: the runtime passes a valid event for the duration of the call.
        let event = unsafe { TraceEvent::from_raw(&*event) };
        run.guard((), || f(&event));
    }
    id
}

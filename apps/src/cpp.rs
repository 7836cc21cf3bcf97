//! The C++ references, built from `cpp/` against the same libHalide as
//! the Rust side: each app written with Halide's C++ API and scheduled as
//! the Rust app is by hand, and [`CppCallable`], the call-overhead
//! benchmark's reference.

use halide::prelude::*;
use halide::{Error, Result};
use halide_runtime::sys::halide_buffer_t;
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::marker::PhantomData;
use std::ptr::NonNull;

unsafe extern "C" {
    fn halide_apps_cpp_new(
        name: *const c_char,
        message: *mut c_char,
        capacity: usize,
    ) -> *mut c_void;
    fn halide_apps_cpp_call(
        app: *mut c_void,
        argc: usize,
        argv: *const *const c_void,
        message: *mut c_char,
        capacity: usize,
    ) -> c_int;
    fn halide_apps_cpp_free(app: *mut c_void);
    fn halide_bench_cpp_new() -> *mut c_void;
    fn halide_bench_cpp_call(h: *mut c_void, out: *mut halide_buffer_t) -> i32;
    fn halide_bench_cpp_free(h: *mut c_void);
}

/// One argument of a [`CppApp`]'s call, borrowing what it refers to.
pub struct CppArg<'a>(CppValue, PhantomData<&'a mut ()>);

enum CppValue {
    Buffer(*const halide_buffer_t),
    Int(i32),
    Float(f32),
}

impl<'a> CppArg<'a> {
    /// An input buffer, read by the call.
    pub fn input<B: HalideBuffer>(buffer: &'a B) -> Self {
        CppArg(CppValue::Buffer(buffer.as_raw_ptr()), PhantomData)
    }

    /// An output buffer, written by the call.
    pub fn output<B: HalideBufferMut>(buffer: &'a mut B) -> Self {
        CppArg(
            CppValue::Buffer(buffer.as_raw_mut_ptr().cast_const()),
            PhantomData,
        )
    }

    /// A 32-bit integer parameter.
    pub fn int(value: i32) -> Self {
        CppArg(CppValue::Int(value), PhantomData)
    }

    /// A 32-bit float parameter.
    pub fn float(value: f32) -> Self {
        CppArg(CppValue::Float(value), PhantomData)
    }

    /// What Halide's `Callable::call_argv_fast` takes for this argument:
    /// a buffer's `halide_buffer_t*` itself, a scalar's address.
    fn pointer(&self) -> *const c_void {
        match &self.0 {
            CppValue::Buffer(b) => b.cast(),
            CppValue::Int(v) => std::ptr::from_ref(v).cast(),
            CppValue::Float(v) => std::ptr::from_ref(v).cast(),
        }
    }
}

/// An app written with Halide's C++ API and scheduled by hand as the Rust
/// app's manual schedule is, compiled once for the host.
///
/// ```
/// use halide::prelude::*;
/// use halide_apps::cpp::{CppApp, CppArg};
/// let blur = CppApp::new("blur")?;
/// let input = Buffer::<u16>::from_fn(&[34, 10], |c| (c[0] * 1000 + c[1]) as u16)?;
/// let mut out = Buffer::<u16>::new(&[32, 8])?;
/// blur.call(&[CppArg::input(&input), CppArg::output(&mut out)])?;
/// assert_eq!(out.as_slice(), halide_apps::blur::reference(&input)?.as_slice());
/// assert!(CppApp::new("no_such_app").is_err());
/// # Ok::<(), halide::Error>(())
/// ```
pub struct CppApp {
    app: NonNull<c_void>,
    name: String,
}

impl CppApp {
    /// The app called `name`, as [`App::name`](crate::App::name) says.
    pub fn new(name: &str) -> Result<CppApp> {
        let c = CString::new(name).map_err(|_| Error::invalid("an app name without NUL bytes"))?;
        let mut message = [0 as c_char; 1024];
        // SAFETY: the name is NUL-terminated and the message array has the
        // capacity given, both for the call; the C++ side catches every
        // exception.
        let app = unsafe { halide_apps_cpp_new(c.as_ptr(), message.as_mut_ptr(), message.len()) };
        match NonNull::new(app) {
            Some(app) => Ok(CppApp {
                app,
                name: name.to_owned(),
            }),
            None => {
                // SAFETY: on failure the C++ side wrote a NUL-terminated
                // message into the zeroed array.
                let text = unsafe { CStr::from_ptr(message.as_ptr()) }.to_string_lossy();
                Err(Error::invalid(format!("the C++ {name}: {text}")))
            }
        }
    }

    /// Runs the app with `args`, in its pipeline's argument order (the
    /// outputs last); `Err` with Halide's message for arguments it refuses.
    pub fn call(&self, args: &[CppArg<'_>]) -> Result<()> {
        let argv: Vec<*const c_void> = args.iter().map(CppArg::pointer).collect();
        let mut message = [0 as c_char; 1024];
        // SAFETY: the app is live; every pointer in argv is borrowed by
        // `args` for the call (inputs only read: a host target writes no
        // device fields; outputs borrowed mutably); Halide checks their
        // number, types and shapes against the pipeline's arguments. The
        // message array has the capacity given.
        let code = unsafe {
            halide_apps_cpp_call(
                self.app.as_ptr(),
                argv.len(),
                argv.as_ptr(),
                message.as_mut_ptr(),
                message.len(),
            )
        };
        if code == 0 {
            return Ok(());
        }
        // SAFETY: the C++ side wrote a NUL-terminated message, or left the
        // array zeroed.
        let text = unsafe { CStr::from_ptr(message.as_ptr()) }.to_string_lossy();
        Err(Error::invalid(format!(
            "the C++ {} failed ({code}): {text}",
            self.name
        )))
    }
}

impl Drop for CppApp {
    fn drop(&mut self) {
        // SAFETY: made by halide_apps_cpp_new, freed once.
        unsafe { halide_apps_cpp_free(self.app.as_ptr()) }
    }
}

/// `f(x) = x * 2 + 1` compiled in C++ to a `Halide::Callable`.
pub struct CppCallable(NonNull<c_void>);

impl CppCallable {
    /// Compiles the pipeline for the host; `None` if Halide failed.
    pub fn new() -> Option<Self> {
        // SAFETY: no arguments; the harness catches every exception.
        NonNull::new(unsafe { halide_bench_cpp_new() }).map(CppCallable)
    }

    /// Calls it from C++, writing `out`; Halide's error code.
    pub fn call(&self, out: &mut Buffer<i32>) -> i32 {
        // SAFETY: self is live; out is a 1-D int32 buffer borrowed mutably
        // for the call. The callable checks its shape itself.
        unsafe { halide_bench_cpp_call(self.0.as_ptr(), out.as_raw_mut_ptr()) }
    }
}

impl Drop for CppCallable {
    fn drop(&mut self) {
        // SAFETY: made by halide_bench_cpp_new, freed once.
        unsafe { halide_bench_cpp_free(self.0.as_ptr()) }
    }
}

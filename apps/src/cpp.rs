//! The C++ references, built from `cpp/` against the same libHalide as
//! the Rust side: each app written with Halide's C++ API and scheduled as
//! the Rust app is by hand, and [`CppCallable`], the call-overhead
//! benchmark's reference.

use halide::prelude::*;
use halide::{Error, Result};
use halide_runtime::sys::halide_buffer_t;
use std::ffi::{c_char, c_int};

unsafe extern "C" {
    fn halide_apps_cpp_blur(
        input: *const halide_buffer_t,
        out: *mut halide_buffer_t,
        message: *mut c_char,
        capacity: usize,
    ) -> c_int;
    fn halide_apps_cpp_unsharp(
        input: *const halide_buffer_t,
        out: *mut halide_buffer_t,
        message: *mut c_char,
        capacity: usize,
    ) -> c_int;
    fn halide_bench_cpp_new() -> *mut std::ffi::c_void;
    fn halide_bench_cpp_call(h: *mut std::ffi::c_void, out: *mut halide_buffer_t) -> i32;
    fn halide_bench_cpp_free(h: *mut std::ffi::c_void);
}

type AppFn =
    unsafe extern "C" fn(*const halide_buffer_t, *mut halide_buffer_t, *mut c_char, usize) -> c_int;

/// Compiles and runs a C++ app over `input` into `out`.
fn run<T: Element>(app: AppFn, name: &str, input: &Buffer<T>, out: &mut Buffer<T>) -> Result<()> {
    let mut message = [0 as c_char; 1024];
    // SAFETY: both buffers are live and borrowed for the call (the input
    // only read); the message array has the capacity given; the C++ side
    // catches every exception.
    let code = unsafe {
        app(
            input.raw().as_raw(),
            out.as_raw_mut_ptr(),
            message.as_mut_ptr(),
            message.len(),
        )
    };
    if code == 0 {
        return Ok(());
    }
    // SAFETY: the C++ side wrote a NUL-terminated message (or none: zeros).
    let text = unsafe { std::ffi::CStr::from_ptr(message.as_ptr()) }.to_string_lossy();
    Err(Error::invalid(format!(
        "the C++ {name} failed ({code}): {text}"
    )))
}

/// The blur app in C++, scheduled by hand as [`Blur`](crate::blur::Blur)'s
/// manual schedule is, over `input` into `out`.
///
/// ```
/// use halide::prelude::*;
/// let input = Buffer::<u16>::from_fn(&[34, 10], |c| (c[0] * 1000 + c[1]) as u16)?;
/// let mut out = Buffer::<u16>::new(&[32, 8])?;
/// halide_apps::cpp::blur(&input, &mut out)?;
/// assert_eq!(out.as_slice(), halide_apps::blur::Blur::reference(&input)?.as_slice());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn blur(input: &Buffer<u16>, out: &mut Buffer<u16>) -> Result<()> {
    run(halide_apps_cpp_blur, "blur", input, out)
}

/// The unsharp app in C++, scheduled by hand as
/// [`Unsharp`](crate::unsharp::Unsharp)'s manual schedule is.
pub fn unsharp(input: &Buffer<f32>, out: &mut Buffer<f32>) -> Result<()> {
    run(halide_apps_cpp_unsharp, "unsharp", input, out)
}

/// `f(x) = x * 2 + 1` compiled in C++ to a `Halide::Callable`.
pub struct CppCallable(std::ptr::NonNull<std::ffi::c_void>);

impl CppCallable {
    /// Compiles the pipeline for the host; `None` if Halide failed.
    pub fn new() -> Option<Self> {
        // SAFETY: no arguments; the harness catches every exception.
        std::ptr::NonNull::new(unsafe { halide_bench_cpp_new() }).map(CppCallable)
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

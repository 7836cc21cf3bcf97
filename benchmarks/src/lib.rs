//! Benchmarks of halide-rs, each against a reference measured in the same
//! run (`cargo bench -p halide-benchmarks`), and the pieces they share.
//!
//! The call-overhead benchmark times one call of a compiled pipeline with a
//! one-element output three ways: through [`halide::Callable`], through the
//! same pipeline compiled to a C++ `Halide::Callable` and called from C++
//! ([`CppCallable`]), and through `Func::realize_into`.

pub mod local_laplacian;
pub mod paired;

use halide::prelude::*;
use halide_runtime::sys::halide_buffer_t;

unsafe extern "C" {
    fn halide_bench_cpp_new() -> *mut std::ffi::c_void;
    fn halide_bench_cpp_call(h: *mut std::ffi::c_void, out: *mut halide_buffer_t) -> i32;
    fn halide_bench_cpp_free(h: *mut std::ffi::c_void);
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

/// The same pipeline as [`CppCallable`], defined in Rust.
pub fn overhead_func() -> Result<Func, halide::Error> {
    let x = Var::new("x");
    let mut f = Func::new("overhead_rust");
    f.define([&x], &x * 2 + 1)?;
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use halide::args;

    #[test]
    fn the_three_ways_compute_the_same() {
        let cpp = CppCallable::new().unwrap();
        let mut f = overhead_func().unwrap();
        let callable = Pipeline::new(&[&f])
            .unwrap()
            .compile(&Target::host().unwrap())
            .unwrap();
        let (mut a, mut b, mut c) = (
            Buffer::<i32>::new(&[5]).unwrap(),
            Buffer::<i32>::new(&[5]).unwrap(),
            Buffer::<i32>::new(&[5]).unwrap(),
        );
        assert_eq!(cpp.call(&mut a), 0);
        callable.call(args![&mut b]).unwrap();
        f.realize_into(&mut c).unwrap();
        assert_eq!(a.as_slice(), &[1, 3, 5, 7, 9]);
        assert_eq!(a.as_slice(), b.as_slice());
        assert_eq!(b.as_slice(), c.as_slice());
    }
}

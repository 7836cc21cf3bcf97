//! Benchmarks of halide-rs, each against a reference measured in the same
//! run (`cargo bench -p halide-benchmarks`), and the pieces they share.
//!
//! The call-overhead benchmark times one call of a compiled pipeline with a
//! one-element output three ways: through [`halide::Callable`], through the
//! same pipeline compiled to a C++ `Halide::Callable` and called from C++
//! ([`CppCallable`]), and through `Func::realize_into`.

pub mod paired;
pub mod plot;

use halide::prelude::*;
pub use halide_apps::cpp::CppCallable;

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

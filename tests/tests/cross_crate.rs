//! halide and halide-runtime used together, as a user's crate would.

use halide::prelude::*;

/// The buffer types of halide are halide-runtime's, not copies of them.
#[test]
fn buffers_are_shared_types() {
    fn takes_runtime_buffer(b: &halide_runtime::Buffer<u8>) -> usize {
        b.len()
    }
    let x = Var::new("x");
    let mut f = Func::new("ones");
    f.define([&x], Expr::from(1u8)).unwrap();
    let out: halide::Buffer<u8> = f.realize(&[7]).unwrap();
    assert_eq!(takes_runtime_buffer(&out), 7);
}

/// A pipeline writes into memory the caller allocated with halide-runtime,
/// and the result is moved to another thread.
#[test]
fn realize_into_caller_memory_then_send() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new("checker");
    f.define(
        [&x, &y],
        select((&x + &y).eq(0) | ((&x + &y) % 2).eq(0), 255u8, 0u8),
    )
    .unwrap();
    let mut pixels = vec![0u8; 8 * 8];
    {
        let mut view = halide_runtime::BufferMut::new(&mut pixels, &[8, 8]).unwrap();
        f.realize_into(&mut view).unwrap();
    }
    let owned =
        halide_runtime::Buffer::<u8>::from_fn(&[8, 8], |c| pixels[(c[1] * 8 + c[0]) as usize])
            .unwrap();
    let count = std::thread::spawn(move || owned.as_slice().iter().filter(|&&p| p == 255).count())
        .join()
        .unwrap();
    assert_eq!(count, 32);
}

/// Shape errors of halide-runtime flow into halide's Result with `?`.
#[test]
fn shape_errors_convert() {
    fn build() -> halide::Result<()> {
        let data = [0u16; 3];
        let _view = BufferRef::new(&data, &[2, 2])?;
        Ok(())
    }
    let err = build().unwrap_err();
    assert_eq!(err.kind(), halide::ErrorKind::InvalidArgument);
    assert!(err.message().contains("3 elements"), "{err}");
}

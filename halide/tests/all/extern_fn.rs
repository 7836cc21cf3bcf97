//! Rust scalar functions called from expressions, against plain Rust.

use halide::extern_fn::ExternFn;
use halide::prelude::*;

#[test]
fn float_functions_match_rust_in_vectorized_and_parallel_loops() {
    let wave = ExternFn::<f32>::binary("wave", |a, b| (a * 0.1).sin() * b.sqrt());
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new("f");
    f.define(
        [&x, &y],
        wave.call([x.expr().cast::<f32>(), y.expr().cast::<f32>()]),
    )
    .unwrap();
    f.vectorize(&x, 8).unwrap().parallel(&y).unwrap();
    let out = f.realize::<f32>(&[32, 6]).unwrap();
    let expected: Vec<f32> = (0..6)
        .flat_map(|y| (0..32).map(move |x| (x as f32 * 0.1).sin() * (y as f32).sqrt()))
        .collect();
    assert_eq!(out.as_slice(), expected.as_slice());
    // Never cached (with the cache on, as it is by default).
    let callable = Pipeline::new(&[&f])
        .unwrap()
        .compile(&Target::host().unwrap())
        .unwrap();
    assert!(!callable.is_cached());

    let e = f
        .aot("wave")
        .unwrap()
        .compile(std::env::temp_dir())
        .unwrap_err();
    assert!(e.to_string().contains("ahead of time"), "{e}");
}

#[test]
fn integer_and_double_functions() {
    let median = ExternFn::<i32>::ternary("median", |a, b, c| {
        let mut v = [a, b, c];
        v.sort();
        v[1]
    });
    let x = Var::new("x");
    let mut f = Func::new("median_of");
    f.define(
        [&x],
        median.call([&x * 3 % 7, &x * 5 % 11, x.expr().clone()]),
    )
    .unwrap();
    let out = f.realize::<i32>(&[20]).unwrap();
    let expected: Vec<i32> = (0..20)
        .map(|x| {
            let mut v = [x * 3 % 7, x * 5 % 11, x];
            v.sort();
            v[1]
        })
        .collect();
    assert_eq!(out.as_slice(), expected.as_slice());

    let precise = ExternFn::<f64>::unary("precise", |v| v.ln_1p());
    let mut g = Func::new("g");
    g.define([&x], precise.call([x.expr().cast::<f64>() * 1e-9]))
        .unwrap();
    let out = g.realize::<f64>(&[4]).unwrap();
    for (i, v) in out.as_slice().iter().enumerate() {
        assert_eq!(*v, (i as f64 * 1e-9).ln_1p());
    }
}

#[test]
fn misuse_is_an_error_and_panics_are_contained() {
    let square = ExternFn::<f32>::unary("square", |v| v * v);
    let x = Var::new("x");
    assert!(
        square
            .call([x.expr().cast::<f32>(), x.expr().cast::<f32>()])
            .check()
            .is_err()
    );
    let e = square.call([x.expr().clone()]).check().unwrap_err();
    assert!(e.to_string().contains("int32, not float32"), "{e}");

    let fragile = ExternFn::<f32>::unary("fragile", |v| {
        assert!(v < 2.0, "fragile({v}) refuses");
        v
    });
    let mut f = Func::new("f");
    f.define([&x], fragile.call([x.expr().cast::<f32>()]))
        .unwrap();
    let out = f.realize::<f32>(&[3]).unwrap();
    assert_eq!(&out.as_slice()[..2], &[0.0, 1.0]);
    assert!(out.as_slice()[2].is_nan(), "a panic yields NaN");
}

//! Call overhead of a compiled pipeline with a one-element output: the Rust
//! `Callable`, the C++ `Halide::Callable` reference, and `Func::realize_into`,
//! in one run. Report `rust_callable / cpp_callable`.

// criterion's macros generate undocumented items.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use halide::args;
use halide::prelude::*;
use halide_benchmarks::{CppCallable, overhead_func};
use std::hint::black_box;

fn call_overhead(c: &mut Criterion) {
    let cpp = CppCallable::new().expect("the C++ harness compiles its pipeline");
    let mut f = overhead_func().unwrap();
    f.compile_jit(&Target::host().unwrap()).unwrap();
    let callable = Pipeline::new(&[&f])
        .unwrap()
        .compile(&Target::host().unwrap())
        .unwrap();
    let mut out = Buffer::<i32>::new(&[1]).unwrap();

    let mut group = c.benchmark_group("call_overhead");
    group.bench_function("cpp_callable", |b| {
        b.iter(|| black_box(cpp.call(black_box(&mut out))))
    });
    group.bench_function("rust_callable", |b| {
        b.iter(|| callable.call(args![black_box(&mut out)]).unwrap())
    });
    group.bench_function("func_realize_into", |b| {
        b.iter(|| f.realize_into(black_box(&mut out)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, call_overhead);
criterion_main!(benches);

//! Call overhead of a compiled pipeline with a one-element output: the Rust
//! `Callable` against the C++ `Halide::Callable` reference, and
//! `Func::realize_into` against the same reference, in one run.
//!
//! Criterion times each, interleaved with the reference; the headline is
//! the paired ratio printed at the end (see `halide_benchmarks::paired`).

// criterion's macros generate undocumented items.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group};
use halide::args;
use halide::prelude::*;
use halide_benchmarks::paired::{self, Paired, Side};
use halide_benchmarks::{CppCallable, overhead_func};
use std::hint::black_box;

/// The reference and the two subjects, over one output buffer.
struct Callers {
    cpp: CppCallable,
    func: Func,
    callable: Callable,
    out: Buffer<i32>,
}

impl Callers {
    fn new() -> Self {
        let cpp = CppCallable::new().expect("the C++ harness compiles its pipeline");
        let target = Target::host().unwrap();
        let mut func = overhead_func().unwrap();
        func.compile_jit(&target).unwrap();
        let callable = Pipeline::new(&[&func]).unwrap().compile(&target).unwrap();
        let out = Buffer::<i32>::new(&[1]).unwrap();
        Callers {
            cpp,
            func,
            callable,
            out,
        }
    }

    fn cpp(&mut self) {
        assert_eq!(self.cpp.call(black_box(&mut self.out)), 0);
    }

    fn callable(&mut self) {
        self.callable.call(args![black_box(&mut self.out)]).unwrap();
    }

    fn realize(&mut self) {
        self.func.realize_into(black_box(&mut self.out)).unwrap();
    }
}

/// A subject of [`Callers`], against the C++ reference.
type Subject = fn(&mut Callers);

const SUBJECTS: [(&str, Subject); 2] = [
    ("rust_callable", Callers::callable),
    ("func_realize", Callers::realize),
];

fn side(callers: &mut Callers, subject: Subject) -> impl FnMut(Side) + '_ {
    move |side| match side {
        Side::Reference => callers.cpp(),
        Side::Subject => subject(callers),
    }
}

fn call_overhead(c: &mut Criterion) {
    let mut callers = Callers::new();
    let mut group = c.benchmark_group("call_overhead");
    for (name, subject) in SUBJECTS {
        group.bench_function(format!("cpp_callable_beside_{name}"), |b| {
            b.iter_custom(|iters| {
                paired::interleaved(&mut side(&mut callers, subject), Side::Reference, iters)
            })
        });
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                paired::interleaved(&mut side(&mut callers, subject), Side::Subject, iters)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, call_overhead);

fn main() {
    benches();
    println!("\npaired: median of (subject / C++ Callable) over block pairs, 95% CI");
    println!("{}", Paired::header("C++ ns/call", "subject ns"));
    let mut callers = Callers::new();
    for (name, subject) in SUBJECTS {
        let paired = paired::measure(paired::budget(), side(&mut callers, subject));
        println!("{}", paired.row(name));
    }
    Criterion::default().configure_from_args().final_summary();
}

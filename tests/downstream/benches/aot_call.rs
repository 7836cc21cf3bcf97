//! An AOT pipeline called through its emitted Rust wrapper against the
//! same library called from C, in one run. The ratio wrapper / C is the
//! wrapper's cost: argument checks, the per-call context and handlers.
//!
//! Criterion times each caller; the headline is the paired ratio printed at
//! the end (see `paired`): blocks of calls of the two callers run back to
//! back, and the median of their time ratios, with its 95% confidence
//! interval.

// criterion's macros generate undocumented items.
#![allow(missing_docs)]

use criterion::{BenchmarkId, Criterion, criterion_group};
use halide_downstream::brighten;
use halide_runtime::sys::halide_buffer_t;
use halide_runtime::{Buffer, HalideBuffer, HalideBufferMut};
use std::hint::black_box;

// Shared with halide-benchmarks, which links libHalide: this crate must not.
// Its unit tests run there; a bench target drops them and keeps their
// imports, and uses only part of it.
#[path = "../../../benchmarks/src/paired.rs"]
#[allow(unused_imports, dead_code)]
mod paired;
use paired::{Paired, Side};

unsafe extern "C" {
    fn brighten_from_c(
        input: *mut halide_buffer_t,
        offset: u8,
        output: *mut halide_buffer_t,
    ) -> i32;
}

const SIZES: [i32; 3] = [16, 256, 1024];

/// The buffers both callers pass: the same memory, so that where buffers
/// happen to lie cannot favour one caller.
struct Callers {
    input: Buffer<u8>,
    output: Buffer<u8>,
}

impl Callers {
    fn new(size: i32) -> Self {
        Callers {
            input: Buffer::from_fn(&[size, size], |p| (p[0] ^ p[1]) as u8).unwrap(),
            output: Buffer::new(&[size, size]).unwrap(),
        }
    }

    /// The C caller is the reference, the wrapper the subject.
    fn call(&mut self, side: Side) {
        match side {
            Side::Reference => {
                let input = self.input.as_raw_ptr().cast_mut();
                // SAFETY: both buffers are live, match the pipeline's
                // signature and are not borrowed elsewhere; the pipeline
                // only reads its input.
                let status =
                    unsafe { brighten_from_c(black_box(input), 3, self.output.as_raw_mut_ptr()) };
                assert_eq!(status, 0);
            }
            Side::Subject => brighten::run(black_box(&self.input), 3, &mut self.output).unwrap(),
        }
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("aot_call");
    for size in SIZES {
        let mut callers = Callers::new(size);
        for (name, side) in [
            ("c_caller", Side::Reference),
            ("rust_wrapper", Side::Subject),
        ] {
            group.bench_function(BenchmarkId::new(name, size), |b| {
                b.iter_custom(|iters| paired::interleaved(&mut |s| callers.call(s), side, iters))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    benches();
    println!("\npaired: median of (wrapper / C) over block pairs, 95% CI");
    println!("{}", Paired::header("C ns/call", "wrapper ns"));
    for size in SIZES {
        let mut callers = Callers::new(size);
        let paired = paired::measure(paired::budget(), |s| callers.call(s));
        println!("{}", paired.row(&format!("{size}x{size}")));
    }
    Criterion::default().configure_from_args().final_summary();
}

//! An AOT pipeline called through its emitted Rust wrapper against the
//! same library called from C, in one run. The ratio wrapper / C is the
//! wrapper's cost: argument checks, the per-call context and handlers.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use halide_downstream::brighten;
use halide_runtime::sys::halide_buffer_t;
use halide_runtime::{Buffer, HalideBuffer, HalideBufferMut};
use std::hint::black_box;

unsafe extern "C" {
    fn brighten_from_c(
        input: *mut halide_buffer_t,
        offset: u8,
        output: *mut halide_buffer_t,
    ) -> i32;
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("aot_call");
    for size in [16, 256, 1024] {
        let input = Buffer::<u8>::from_fn(&[size, size], |p| (p[0] ^ p[1]) as u8).unwrap();
        let mut out = Buffer::<u8>::new(&[size, size]).unwrap();
        let input_raw = input.as_raw_ptr().cast_mut();
        let out_raw = out.as_raw_mut_ptr();
        group.bench_function(BenchmarkId::new("c_caller", size), |b| {
            // SAFETY: both buffers are live for the benchmark and match the
            // pipeline's signature; the pipeline only reads the input.
            b.iter(|| {
                assert_eq!(
                    unsafe { brighten_from_c(black_box(input_raw), 3, out_raw) },
                    0
                )
            })
        });
        group.bench_function(BenchmarkId::new("rust_wrapper", size), |b| {
            b.iter(|| brighten::run(black_box(&input), 3, &mut out).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

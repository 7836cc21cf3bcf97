//! The cost of bridging an ndarray array to a Halide buffer, from 10² to 10⁷
//! elements: it depends on the number of dimensions, not on the size. The
//! reference, measured in the same run, is ndarray's own `.view()`.

// criterion's macros generate undocumented items.
#![allow(missing_docs)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use halide_ndarray::{AsBuffer, AsBufferMut};
use ndarray::Array2;
use std::hint::black_box;

fn bridge(c: &mut Criterion) {
    let mut group = c.benchmark_group("as_buffer");
    for exp in 2..=7u32 {
        let n = 10usize.pow(exp);
        // As square as the element count allows: rows × 10.
        let mut a = Array2::<f32>::zeros((n / 10, 10));
        // Each view is looked at where it was made, not moved out: what
        // is timed is making the view, not the harness's copy of it.
        group.bench_with_input(BenchmarkId::new("ndarray_view", n), &n, |b, _| {
            b.iter(|| {
                let view = black_box(&a).view();
                black_box(&view);
            })
        });
        group.bench_with_input(BenchmarkId::new("ref", n), &n, |b, _| {
            b.iter(|| {
                let buf = black_box(&a).as_buffer().unwrap();
                black_box(&buf);
            })
        });
        group.bench_with_input(BenchmarkId::new("mut", n), &n, |b, _| {
            b.iter(|| {
                let buf = black_box(&mut a).as_buffer_mut().unwrap();
                black_box(&buf);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bridge);
criterion_main!(benches);

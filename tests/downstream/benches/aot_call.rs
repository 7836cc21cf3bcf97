//! An AOT pipeline called through its emitted Rust wrapper against the
//! same library called from C, in one run. The ratio wrapper / C is the
//! wrapper's cost: argument checks, the per-call context and handlers.
//!
//! Criterion times each caller; the headline is the paired ratio printed at
//! the end: blocks of calls of the two callers run back to back, and the
//! median of their time ratios, with its 95% confidence interval. Pairing
//! cancels what drifts on a shared machine (other load, clock speed), which
//! is far larger than the few nanoseconds the wrapper adds.

// criterion's macros generate undocumented items.
#![allow(missing_docs)]

use criterion::{BenchmarkId, Criterion, criterion_group};
use halide_downstream::brighten;
use halide_runtime::sys::halide_buffer_t;
use halide_runtime::{Buffer, HalideBuffer, HalideBufferMut};
use std::hint::black_box;
use std::time::{Duration, Instant};

unsafe extern "C" {
    fn brighten_from_c(
        input: *mut halide_buffer_t,
        offset: u8,
        output: *mut halide_buffer_t,
    ) -> i32;
}

const SIZES: [i32; 3] = [16, 256, 1024];

#[derive(Clone, Copy, PartialEq)]
enum Caller {
    C,
    Rust,
}

impl Caller {
    fn other(self) -> Self {
        match self {
            Caller::C => Caller::Rust,
            Caller::Rust => Caller::C,
        }
    }
}

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

    fn call(&mut self, caller: Caller) {
        match caller {
            Caller::C => {
                let input = self.input.as_raw_ptr().cast_mut();
                // SAFETY: both buffers are live, match the pipeline's
                // signature and are not borrowed elsewhere; the pipeline
                // only reads its input.
                let status =
                    unsafe { brighten_from_c(black_box(input), 3, self.output.as_raw_mut_ptr()) };
                assert_eq!(status, 0);
            }
            Caller::Rust => brighten::run(black_box(&self.input), 3, &mut self.output).unwrap(),
        }
    }

    fn block(&mut self, caller: Caller, calls: u64) -> Duration {
        let start = Instant::now();
        for _ in 0..calls {
            self.call(caller);
        }
        start.elapsed()
    }

    /// Times `iters` calls of `timed`, with as many calls of the other
    /// caller in between, 32 at a time, so that criterion measures both
    /// callers under the same conditions.
    fn interleaved(&mut self, timed: Caller, iters: u64) -> Duration {
        let mut total = Duration::ZERO;
        let mut done = 0;
        while done < iters {
            let n = 32.min(iters - done);
            total += self.block(timed, n);
            self.block(timed.other(), n);
            done += n;
        }
        total
    }

    /// Block pairs for `budget`, alternating which caller goes first; each
    /// block lasts about 50 µs.
    fn paired(&mut self, budget: Duration) -> Paired {
        self.block(Caller::C, 10);
        let one = self.block(Caller::C, 10) / 10;
        let calls = (50_000 / one.as_nanos().max(1)).max(1) as u64;
        let mut pairs = Vec::new();
        let start = Instant::now();
        while pairs.is_empty() || start.elapsed() < budget {
            let first = if pairs.len() % 2 == 0 {
                Caller::C
            } else {
                Caller::Rust
            };
            let a = self.block(first, calls);
            let b = self.block(first.other(), calls);
            let (c, rust) = if first == Caller::C { (a, b) } else { (b, a) };
            pairs.push((c, rust));
        }
        Paired { calls, pairs }
    }
}

struct Paired {
    calls: u64,
    /// (C, wrapper) time of each block pair.
    pairs: Vec<(Duration, Duration)>,
}

impl Paired {
    /// The median of `values` and the order statistics bounding its 95%
    /// confidence interval (normal approximation to the binomial).
    fn median_ci(mut values: Vec<f64>) -> (f64, f64, f64) {
        values.sort_by(f64::total_cmp);
        let n = values.len() as f64;
        let half = 0.98 * n.sqrt();
        let at = |i: f64| values[(i.max(0.0) as usize).min(values.len() - 1)];
        (at(n / 2.0), at(n / 2.0 - half), at(n / 2.0 + half))
    }

    fn per_call(&self, pick: fn(&(Duration, Duration)) -> Duration) -> f64 {
        let times = self
            .pairs
            .iter()
            .map(|p| pick(p).as_secs_f64() * 1e9 / self.calls as f64);
        Self::median_ci(times.collect()).0
    }

    fn report(&self, size: i32) {
        let ratios = self
            .pairs
            .iter()
            .map(|(c, r)| r.as_secs_f64() / c.as_secs_f64());
        let (ratio, lo, hi) = Self::median_ci(ratios.collect());
        println!(
            "{:>9}  {:>12.0}  {:>12.0}  {ratio:>7.3}  [{lo:.3}, {hi:.3}]  {}",
            format!("{size}x{size}"),
            self.per_call(|p| p.0),
            self.per_call(|p| p.1),
            self.pairs.len(),
        );
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("aot_call");
    for size in SIZES {
        let mut callers = Callers::new(size);
        for (name, caller) in [("c_caller", Caller::C), ("rust_wrapper", Caller::Rust)] {
            group.bench_function(BenchmarkId::new(name, size), |b| {
                b.iter_custom(|iters| callers.interleaved(caller, iters))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    benches();
    // `cargo bench` passes --bench; `cargo test --benches` does not, and
    // then one block pair per size shows the report works.
    let budget = if std::env::args().any(|a| a == "--bench") {
        Duration::from_secs(4)
    } else {
        Duration::ZERO
    };
    println!("\npaired: median of (wrapper / C) over block pairs, 95% CI");
    println!(
        "{:>9}  {:>12}  {:>12}  {:>7}  {:>16}  pairs",
        "image", "C ns/call", "wrapper ns", "ratio", "95% CI"
    );
    for size in SIZES {
        Callers::new(size).paired(budget).report(size);
    }
    Criterion::default().configure_from_args().final_summary();
}

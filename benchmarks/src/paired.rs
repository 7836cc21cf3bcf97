//! Paired, interleaved timing of a subject against a reference in the same
//! run, reported as the median ratio with its 95% confidence interval.
//!
//! Blocks of calls of the two run back to back, alternating which goes
//! first; each block pair gives one ratio. Pairing cancels what drifts on a
//! shared machine (other load, clock speed), which is far larger than the
//! few nanoseconds being measured. Used by the benchmarks of this crate and
//! (through `#[path]`) of `tests/downstream`, which must not link libHalide.

use std::time::{Duration, Instant};

/// Which of the two a call runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// What the subject is measured against.
    Reference,
    /// What is measured.
    Subject,
}

impl Side {
    /// The other side.
    pub fn other(self) -> Self {
        match self {
            Side::Reference => Side::Subject,
            Side::Subject => Side::Reference,
        }
    }
}

fn block(call: &mut impl FnMut(Side), side: Side, calls: u64) -> Duration {
    let start = Instant::now();
    for _ in 0..calls {
        call(side);
    }
    start.elapsed()
}

/// Times `iters` calls of `timed`, with as many calls of the other side in
/// between, 32 at a time: for criterion's `iter_custom`, so that it
/// measures both sides under the same conditions.
pub fn interleaved(call: &mut impl FnMut(Side), timed: Side, iters: u64) -> Duration {
    let mut total = Duration::ZERO;
    let mut done = 0;
    while done < iters {
        let n = 32.min(iters - done);
        total += block(call, timed, n);
        block(call, timed.other(), n);
        done += n;
    }
    total
}

/// Block pairs for `budget` (at least one), alternating which side goes
/// first; each block lasts about 50 µs.
pub fn measure(budget: Duration, mut call: impl FnMut(Side)) -> Paired {
    block(&mut call, Side::Reference, 10);
    let one = block(&mut call, Side::Reference, 10) / 10;
    let calls = (50_000 / one.as_nanos().max(1)).max(1) as u64;
    let mut pairs = Vec::new();
    let start = Instant::now();
    while pairs.is_empty() || start.elapsed() < budget {
        let first = if pairs.len() % 2 == 0 {
            Side::Reference
        } else {
            Side::Subject
        };
        let a = block(&mut call, first, calls);
        let b = block(&mut call, first.other(), calls);
        pairs.push(if first == Side::Reference {
            (a, b)
        } else {
            (b, a)
        });
    }
    Paired { calls, pairs }
}

/// The block pairs of one [`measure`]ment.
#[derive(Debug)]
pub struct Paired {
    calls: u64,
    /// (reference, subject) time of each block pair.
    pairs: Vec<(Duration, Duration)>,
}

/// The median of `values` and the order statistics bounding its 95%
/// confidence interval (normal approximation to the binomial).
fn median_ci(mut values: Vec<f64>) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    let n = values.len() as f64;
    let half = 0.98 * n.sqrt();
    let at = |i: f64| values[(i.max(0.0) as usize).min(values.len() - 1)];
    (at(n / 2.0), at(n / 2.0 - half), at(n / 2.0 + half))
}

impl Paired {
    /// The median subject / reference ratio and its 95% confidence interval.
    pub fn ratio(&self) -> (f64, f64, f64) {
        median_ci(
            self.pairs
                .iter()
                .map(|(r, s)| s.as_secs_f64() / r.as_secs_f64())
                .collect(),
        )
    }

    /// The median time of one call, in ns, of the reference and the subject.
    pub fn per_call_ns(&self) -> (f64, f64) {
        let side = |pick: fn(&(Duration, Duration)) -> Duration| {
            median_ci(
                self.pairs
                    .iter()
                    .map(|p| pick(p).as_secs_f64() * 1e9 / self.calls as f64)
                    .collect(),
            )
            .0
        };
        (side(|p| p.0), side(|p| p.1))
    }

    /// One table row: `label`, both times, the ratio, its interval, the
    /// number of pairs.
    pub fn row(&self, label: &str) -> String {
        let (reference, subject) = self.per_call_ns();
        let (ratio, lo, hi) = self.ratio();
        format!(
            "{label:>12}  {reference:>12.1}  {subject:>12.1}  {ratio:>7.3}  [{lo:.3}, {hi:.3}]  {}",
            self.pairs.len()
        )
    }

    /// The subject's effective bandwidth as a fraction of the reference's,
    /// both moving `bytes` per call, as a line of a report: the higher the
    /// better, with the ratio's 95% confidence interval.
    pub fn bandwidth_row(&self, label: &str, bytes: f64, reference: &str) -> String {
        let (reference_ns, subject_ns) = self.per_call_ns();
        let (ratio, lo, hi) = self.ratio();
        format!(
            "{label:>12}  {:.2} GB/s vs {reference}'s {:.2} GB/s: {:.0}% of it (95% CI {:.0}%-{:.0}%)",
            bytes / subject_ns,
            bytes / reference_ns,
            100.0 / ratio,
            100.0 / hi,
            100.0 / lo,
        )
    }

    /// The header of [`row`](Self::row)'s table.
    pub fn header(reference: &str, subject: &str) -> String {
        format!(
            "{:>12}  {:>12}  {:>12}  {:>7}  {:>16}  pairs",
            "", reference, subject, "ratio", "95% CI"
        )
    }
}

/// The measuring budget per row: a few seconds under `cargo bench` (which
/// passes `--bench`), none under `cargo test --benches`, where one block
/// pair shows the report works.
pub fn budget() -> Duration {
    if std::env::args().any(|a| a == "--bench") {
        Duration::from_secs(4)
    } else {
        Duration::ZERO
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_are_subject_over_reference_with_their_median() {
        let ms = Duration::from_millis;
        let paired = Paired {
            calls: 10,
            pairs: vec![(ms(10), ms(20)), (ms(10), ms(30)), (ms(20), ms(20))],
        };
        let (ratio, lo, hi) = paired.ratio();
        assert_eq!(ratio, 2.0);
        assert!(lo <= ratio && ratio <= hi);
        assert_eq!(paired.per_call_ns(), (1e6, 2e6));
    }

    #[test]
    fn measuring_alternates_which_side_goes_first() {
        let mut order = Vec::new();
        let paired = measure(Duration::ZERO, |side| order.push(side));
        assert_eq!(paired.pairs.len(), 1);
        assert!(order.contains(&Side::Subject));
        let mut calls = Vec::new();
        interleaved(&mut |side| calls.push(side), Side::Subject, 40);
        assert_eq!(calls.iter().filter(|s| **s == Side::Subject).count(), 40);
        assert_eq!(calls[..32], [Side::Subject; 32]);
    }
}

//! Counts changes that make JIT-compiled code stale.
//!
//! Halide bakes input constraints and schedules into the code it compiles,
//! and a Func keeps its compiled code between realizations, which would
//! not notice later changes to them, including changes to the schedule of
//! a producer another pipeline calls. Every such change bumps one
//! process-wide count; a Func whose code predates the current count
//! compiles again before running (`realize`).
//! Changes normally all happen before the first compilation, so in practice
//! nothing compiles twice.

use std::sync::atomic::{AtomicU64, Ordering};

static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Records a change that stales compiled code.
pub(crate) fn bump() {
    GENERATION.fetch_add(1, Ordering::AcqRel);
}

/// The number of such changes so far.
pub(crate) fn current() -> u64 {
    GENERATION.load(Ordering::Acquire)
}

#[cfg(test)]
mod tests {
    use super::current;
    use crate::prelude::*;

    /// Runs `change` and reports whether it recorded a change (other tests
    /// may record theirs meanwhile, so only "not recorded" can be missed,
    /// never invented: each change is checked to record one).
    fn records(change: impl FnOnce()) -> bool {
        let before = current();
        change();
        current() > before
    }

    /// One change of each kind that changes generated code goes through
    /// the funnel in `ffi` (a `*mut` handle), with nothing to remember at
    /// the call site.
    #[test]
    fn every_kind_of_change_records_itself() {
        let [x, xo, xi] = Var::many(["x", "xo", "xi"]);
        let mut f = Func::new("staleness_f");
        f.define([&x], &x).unwrap();
        let schedule = records(|| {
            f.split(&x, &xo, &xi, 4).unwrap();
        });
        assert!(schedule, "schedule");
        let storage = records(|| {
            f.compute_root().unwrap();
        });
        assert!(storage, "storage");
        let p = Param::<i32>::new("staleness_p");
        assert!(records(|| p.set_range(0, 9).unwrap()), "param constraint");
        let input = ImageParam::new::<u8>(1, "staleness_in");
        let input_constraint = records(|| input.dim(0).set_extent(8).unwrap());
        assert!(input_constraint, "input constraint");
        let estimate = records(|| {
            f.set_estimate(&x, 0, 64).unwrap();
        });
        assert!(estimate, "estimate");
        let mut r = RDom::new("staleness_r", [(0, 4)]).unwrap();
        let predicate = records(|| {
            r.where_(r.x().lt(2)).unwrap();
        });
        assert!(predicate, "RDom predicate");
        let mut g = Func::new("staleness_g");
        g.define([&x], 0).unwrap();
        assert!(
            records(|| g.update([&x], g.at([&x]) + r.x()).unwrap()),
            "update"
        );
    }

    /// Setting a Param's value is read at run time and compiles nothing.
    #[test]
    fn a_params_value_is_not_a_change() {
        let p = Param::<i32>::new("staleness_value");
        // Other tests run concurrently, so try a few times for a quiet window.
        assert!((0..20).any(|_| !records(|| p.set(3).unwrap())));
    }
}

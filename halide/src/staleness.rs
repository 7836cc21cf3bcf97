//! Counts changes that make JIT-compiled code stale.
//!
//! Halide bakes input constraints and schedules into the code it compiles
//! and caches that code per pipeline, without noticing later changes to
//! them, including changes to the schedule of a producer another pipeline
//! calls. Every such change bumps one process-wide count; a Func whose code
//! predates the current count drops it before running (`Func::refresh`).
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

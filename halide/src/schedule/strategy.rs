//! How loops meet the bounds of what they fuse with or read ahead:
//! [`LoopAlignStrategy`] for `compute_with`, [`PrefetchBoundStrategy`]
//! for `prefetch`.

use halide_sys as sys;

/// How a loop fused by [`Schedule::compute_with_aligned`](super::Schedule::compute_with_aligned)
/// lines up with the other stage's loop when their bounds differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LoopAlignStrategy {
    /// Halide decides (the default).
    #[default]
    Auto,
    /// The loops start together: the shorter one is guarded at its end.
    AlignStart,
    /// The loops end together: the shorter one is guarded at its start.
    AlignEnd,
    /// One loop over the union of both ranges, each stage guarded.
    NoAlign,
}

impl LoopAlignStrategy {
    pub(crate) fn to_raw(self) -> sys::hl_loop_align {
        use sys::hl_loop_align as A;
        match self {
            LoopAlignStrategy::Auto => A::HL_ALIGN_AUTO,
            LoopAlignStrategy::AlignStart => A::HL_ALIGN_START,
            LoopAlignStrategy::AlignEnd => A::HL_ALIGN_END,
            LoopAlignStrategy::NoAlign => A::HL_ALIGN_NONE,
        }
    }
}

/// How a [`Schedule::prefetch`](super::Schedule::prefetch) that would read
/// past the end of its source stays within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PrefetchBoundStrategy {
    /// Clamps the prefetched region to the source's bounds.
    Clamp,
    /// Skips a prefetch that would leave the bounds (Halide's default).
    #[default]
    GuardWithIf,
    /// Prefetches anyway: for memory where reading out of bounds cannot
    /// fault.
    NonFaulting,
}

impl PrefetchBoundStrategy {
    pub(crate) fn to_raw(self) -> sys::hl_prefetch_bound {
        use sys::hl_prefetch_bound as P;
        match self {
            PrefetchBoundStrategy::Clamp => P::HL_PREFETCH_CLAMP,
            PrefetchBoundStrategy::GuardWithIf => P::HL_PREFETCH_GUARD_WITH_IF,
            PrefetchBoundStrategy::NonFaulting => P::HL_PREFETCH_NON_FAULTING,
        }
    }
}

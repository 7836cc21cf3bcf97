//! Loop partitioning: whether Halide splits a loop's first and last
//! iterations (where boundary conditions and split tails need guards) from
//! the steady state between them.

use halide_sys as sys;

/// How Halide partitions a loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Partition {
    /// Halide decides (the default): it partitions where it sees a gain.
    #[default]
    Auto,
    /// One loop, with the guards in every iteration: less code.
    Never,
    /// Partitioned, and an error when Halide finds nothing to partition.
    Always,
}

impl Partition {
    pub(crate) fn to_raw(self) -> sys::hl_partition {
        match self {
            Partition::Auto => sys::hl_partition::HL_PARTITION_AUTO,
            Partition::Never => sys::hl_partition::HL_PARTITION_NEVER,
            Partition::Always => sys::hl_partition::HL_PARTITION_ALWAYS,
        }
    }
}

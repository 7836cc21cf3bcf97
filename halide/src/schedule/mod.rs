//! Schedules: the loops and places a schedule names (`loop_var`,
//! `loop_level`, `tail`), how each definition's loops run ([`Schedule`]:
//! `stage`), and where a Func is computed and stored (`storage`).

// In layers, bottom-up, as in the crate root.
mod loop_var;
mod memory_type;
mod partition;
mod strategy;
mod tail;
// -
mod loop_level;
mod tile;
// -
mod stage;
// -
mod storage;

pub use loop_level::LoopLevel;
pub use loop_var::{GpuTile, LoopVar};
pub use memory_type::MemoryType;
pub use partition::Partition;
pub use stage::{Schedule, Stage};
pub use strategy::{LoopAlignStrategy, PrefetchBoundStrategy};
pub use tail::{MAX_UNROLL, MAX_VECTOR, TailStrategy};
pub use tile::Tile;

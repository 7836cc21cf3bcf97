//! Schedules: the loops and places a schedule names (`loop_var`,
//! `loop_level`, `tail`), how each definition's loops run ([`Schedule`]:
//! `stage`), and where a Func is computed and stored (`storage`).

// Bottom-up, as in the crate root.
mod loop_level;
mod loop_var;
mod stage;
mod storage;
mod tail;

pub use loop_level::LoopLevel;
pub use loop_var::LoopVar;
pub(crate) use loop_var::LoopVars;
pub use stage::{GpuTile, Schedule, Stage};
pub use tail::TailStrategy;

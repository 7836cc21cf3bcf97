//! One loop of the list form of `tile`.

use super::loop_var::LoopVar;
use super::tail::TailStrategy;

/// One loop of a [`Schedule::tile_many`](super::Schedule::tile_many):
/// `var` split into `outer` and `inner` by `factor`, with `tail`.
pub struct Tile<'a> {
    /// The loop to tile.
    pub var: &'a dyn LoopVar,
    /// The loop over tiles it becomes.
    pub outer: &'a dyn LoopVar,
    /// The loop within a tile it becomes.
    pub inner: &'a dyn LoopVar,
    /// The tile's size along this loop.
    pub factor: i32,
    /// What to do where the extent is not a multiple of `factor`.
    pub tail: TailStrategy,
}

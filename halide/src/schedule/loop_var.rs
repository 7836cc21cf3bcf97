//! The loops a schedule names: pure variables and reduction variables,
//! and the GPU tiles made of them.

use crate::error::Result;
use crate::ffi::LoopVarName;
use crate::rdom::RVar;
use crate::var::Var;
use halide_sys as sys;

mod sealed {
    use super::*;

    /// What [`LoopVar`](super::LoopVar) needs, hidden from users.
    pub trait Named {
        /// The variable's name and whether it is a reduction variable.
        fn loop_var(&self) -> Result<LoopVarName>;
        /// The name for messages, even if the variable is invalid.
        fn description(&self) -> String;
    }
}

/// A loop a schedule can name: a [`Var`] (pure loops) or an [`RVar`]
/// (reduction loops, and the loops splitting them makes).
///
/// ```
/// use halide::prelude::*;
/// use halide::LoopVar;
/// let loops: [&dyn LoopVar; 2] = [&Var::new("x"), &RVar::new("r")];
/// assert!(!loops[0].is_rvar() && loops[1].is_rvar());
/// assert_eq!(loops[0].as_var().map(Var::name).as_deref(), Some("x"));
/// assert_eq!(loops[1].as_rvar().map(RVar::name), Some("r"));
/// ```
pub trait LoopVar: sealed::Named {
    /// Whether this is a reduction loop.
    fn is_rvar(&self) -> bool {
        self.as_rvar().is_some()
    }
    /// The pure variable, if it is one.
    fn as_var(&self) -> Option<&Var>;
    /// The reduction variable, if it is one.
    fn as_rvar(&self) -> Option<&RVar>;
}

impl sealed::Named for Var {
    fn loop_var(&self) -> Result<LoopVarName> {
        LoopVarName::new(&self.name(), false)
    }
    fn description(&self) -> String {
        self.name()
    }
}
impl LoopVar for Var {
    fn as_var(&self) -> Option<&Var> {
        Some(self)
    }
    fn as_rvar(&self) -> Option<&RVar> {
        None
    }
}

impl sealed::Named for RVar {
    fn loop_var(&self) -> Result<LoopVarName> {
        LoopVarName::new(self.checked_name()?, true)
    }
    fn description(&self) -> String {
        self.name().to_owned()
    }
}
impl LoopVar for RVar {
    fn as_var(&self) -> Option<&Var> {
        None
    }
    fn as_rvar(&self) -> Option<&RVar> {
        Some(self)
    }
}

/// Names of several loop variables, kept alive while the shim reads `raw`.
pub(crate) struct LoopVars {
    _names: Vec<LoopVarName>,
    /// Points into `_names`.
    pub(crate) raw: Vec<sys::hl_loop_var>,
}

impl LoopVars {
    pub(crate) fn new(vars: &[&dyn LoopVar]) -> Result<Self> {
        let names = vars
            .iter()
            .map(|v| v.loop_var())
            .collect::<Result<Vec<_>>>()?;
        let raw = names.iter().map(LoopVarName::raw).collect();
        Ok(LoopVars { _names: names, raw })
    }

    pub(crate) fn len(&self) -> usize {
        self.raw.len()
    }
}

/// One loop of a [`Schedule::gpu_tile`](super::Schedule::gpu_tile): `var` split into `block` (GPU
/// blocks) and `thread` (GPU threads within one), `size` threads per block.
pub struct GpuTile<'a> {
    /// The loop to tile.
    pub var: &'a dyn LoopVar,
    /// The loop over blocks it becomes.
    pub block: &'a dyn LoopVar,
    /// The loop over threads within a block it becomes.
    pub thread: &'a dyn LoopVar,
    /// Threads per block along this loop.
    pub size: i32,
}

//! Loop levels: places in a loop nest where a Func is computed or stored.

use super::loop_var::LoopVar;
use crate::error::{Error, Result};
use crate::ffi::{Handle, shim};
use crate::func::Func;
use halide_sys as sys;
use std::fmt;

type LoopLevelHandle = Handle<sys::hl_loop_level>;

/// A place in a schedule's loop nest: the root, inlined, or the loop over
/// a variable of some Func.
#[derive(Clone)]
pub struct LoopLevel {
    /// The level, or why it could not be made (reported where it is used).
    handle: std::result::Result<LoopLevelHandle, Error>,
    /// What the level is, for Debug (Halide cannot print an unlocked level).
    description: String,
    /// The stage it names, when made with one (Halide reads it back only
    /// from levels it has locked, at compilation).
    stage: Option<usize>,
}

impl LoopLevel {
    /// Outside every loop: computed once, in full.
    pub fn root() -> Self {
        LoopLevel {
            handle: shim!(sys::hl_loop_level_root),
            description: "root".into(),
            stage: None,
        }
    }

    /// Inlined into every use.
    pub fn inlined() -> Self {
        LoopLevel {
            handle: shim!(sys::hl_loop_level_inlined),
            description: "inlined".into(),
            stage: None,
        }
    }

    /// Inside the loop over `var` (a [`Var`](crate::Var) or an [`RVar`](crate::RVar)) of `func`'s
    /// last stage.
    pub fn at(func: &Func, var: &impl LoopVar) -> Self {
        Self::at_stage(func, var, None)
    }

    /// Inside the loop over `var` of one stage of `func`: `Some(0)` its pure
    /// definition, `Some(i)` its update `i - 1`, `None` its last stage.
    pub fn at_stage(func: &Func, var: &impl LoopVar, stage: Option<usize>) -> Self {
        let description = match stage {
            Some(i) => format!("{}.s{i}.{}", func.name(), var.description()),
            None => format!("{}.{}", func.name(), var.description()),
        };
        let index = stage.map_or(-1, |i| i32::try_from(i).unwrap_or(i32::MAX));
        LoopLevel {
            handle: var
                .loop_var()
                .and_then(|v| shim!(sys::hl_loop_level_at, func.handle(), &v, index)),
            description,
            stage,
        }
    }

    /// The stage this level is in, as [`at_stage`](Self::at_stage) was
    /// given it: `None` for a Func's last stage, the root and inlined.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let (x, f) = (Var::new("x"), Func::new("f"));
    /// assert_eq!(LoopLevel::at_stage(&f, &x, Some(1)).stage_index(), Some(1));
    /// assert_eq!(LoopLevel::at(&f, &x).stage_index(), None);
    /// ```
    pub fn stage_index(&self) -> Option<usize> {
        self.stage
    }

    /// The level, or why it could not be made.
    pub(crate) fn handle(&self) -> Result<&LoopLevelHandle> {
        self.handle.as_ref().map_err(Clone::clone)
    }
}

impl fmt::Debug for LoopLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LoopLevel({})", self.description)
    }
}

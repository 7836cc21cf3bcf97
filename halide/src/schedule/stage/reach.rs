//! The [`Stage`] type, and how a [`Schedule`](super::Schedule) reaches the
//! stage it schedules: a Func's pure definition, or a Stage's own.

use crate::error::{Error, Result};
use crate::ffi::{Handle, shim};
use crate::func::Func;
use halide_sys as sys;
use std::fmt;

pub(in crate::schedule) type StageHandle = Handle<sys::hl_stage>;

/// One definition of a [`Func`], scheduled on its own: an update definition
/// ([`Func::update_stage`]) or a specialization ([`Schedule::specialize`](crate::Schedule::specialize)).
/// A Func schedules its pure definition through the same [`Schedule`](crate::Schedule) methods.
///
/// ```
/// use halide::prelude::*;
/// let x = Var::new("x");
/// let r = RDom::new("r", [(0, 10)])?;
/// let mut f = Func::new("f");
/// f.define([&x], 0)?;
/// f.update([&x], f.at([&x]) + r.x())?;
/// f.vectorize(&x, 8)?;                        // the pure definition
/// f.update_stage(0)?.vectorize(&x, 8)?;       // the update, separately
/// assert_eq!(f.update_stage(0)?.name(), "f.update(0)");
/// assert_eq!(f.realize::<i32>(&[16])?.get(&[5]), Some(45));
/// # Ok::<(), halide::Error>(())
/// ```
pub struct Stage {
    pub(super) handle: StageHandle,
}

impl Stage {
    /// The stage's name: `f` for a pure definition, `f.update(0)` for the first update.
    pub fn name(&self) -> String {
        shim!(sys::hl_stage_name, &self.handle).unwrap_or_default()
    }

    /// Leaves this update stage unscheduled on purpose: Halide then does
    /// not warn that its loops run serially in definition order.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let (x, r) = (Var::new("x"), RDom::new("r", [(0, 3)])?);
    /// let mut f = Func::new("f");
    /// f.define([&x], 0)?;
    /// f.update([&x], f.at([&x]) + r.x())?;
    /// f.update_stage(0)?.unscheduled()?;
    /// assert_eq!(f.realize::<i32>(&[2])?.as_slice(), &[3, 3]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn unscheduled(&mut self) -> Result<()> {
        shim!(sys::hl_stage_unscheduled, self.handle.mutating()).map(drop)
    }

    /// The variables this stage's definition depends on, as Halide lists
    /// them (a debugging aid).
    ///
    /// ```
    /// use halide::prelude::*;
    /// let [x, y] = Var::many(["x", "y"]);
    /// let r = RDom::new("r", [(0, 4)])?;
    /// let mut f = Func::new("f");
    /// f.define([&x, &y], 0)?;
    /// f.update([&x, &y], f.at([&x, &y]) + r.x())?;
    /// let listed = f.update_stage(0)?.dump_argument_list()?;
    /// assert!(listed.contains('x') && listed.contains("r"), "{listed}");
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn dump_argument_list(&self) -> Result<String> {
        shim!(sys::hl_stage_dump_argument_list, &self.handle)
    }
}

impl fmt::Debug for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Stage({})", self.name())
    }
}

pub(in crate::schedule) mod sealed {
    use super::*;

    /// How a [`Schedule`](super::Schedule) reaches its stage.
    pub trait AsStage {
        /// Runs `f` on the stage's handle.
        fn with_stage<R>(&mut self, f: impl FnOnce(&StageHandle) -> Result<R>) -> Result<R>;
    }
}

impl sealed::AsStage for Stage {
    fn with_stage<R>(&mut self, f: impl FnOnce(&StageHandle) -> Result<R>) -> Result<R> {
        f(&self.handle)
    }
}

impl sealed::AsStage for Func {
    fn with_stage<R>(&mut self, f: impl FnOnce(&StageHandle) -> Result<R>) -> Result<R> {
        f(&self.stage_handle(0)?)
    }
}

impl Func {
    fn stage_handle(&self, index: usize) -> Result<StageHandle> {
        let index = i32::try_from(index).map_err(|_| Error::invalid("stage index out of range"))?;
        shim!(sys::hl_func_stage, self.handle(), index)
    }

    /// Update definition `i` (0 is the first), to schedule it: by default
    /// its loops run serially in the order of its variables and RVars.
    pub fn update_stage(&self, i: usize) -> Result<Stage> {
        Ok(Stage {
            handle: self.stage_handle(i + 1)?,
        })
    }
}

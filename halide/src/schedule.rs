//! Schedules: how a Func's loops run ([`Schedule`], for each definition)
//! and where it is computed and stored (methods of [`Func`]).

use crate::error::{Error, Result};
use crate::expr::{Expr, IntoExpr, IntoOperand, raw_ptrs};
use crate::ffi::{self, handle};
use crate::func::Func;
use crate::param::ImageParam;
use crate::rdom::RVar;
use crate::target::Target;
use crate::var::Var;
use halide_sys as sys;
use std::ffi::CString;
use std::fmt;

/// How a split treats an extent its factor does not divide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TailStrategy {
    /// Halide picks one that is safe for this Func.
    #[default]
    Auto,
    /// Rounds the extent up, computing (and for outputs, requiring) extra values.
    RoundUp,
    /// Guards the last iteration with an `if`.
    GuardWithIf,
    /// Predicates the last iteration's loads and stores.
    Predicate,
    /// Predicates only loads.
    PredicateLoads,
    /// Predicates only stores.
    PredicateStores,
    /// Shifts the last iteration back inside the extent, recomputing some values.
    ShiftInwards,
    /// ShiftInwards, blending with the existing values.
    ShiftInwardsAndBlend,
    /// RoundUp, blending with the existing values.
    RoundUpAndBlend,
}

impl TailStrategy {
    fn to_raw(self) -> sys::hl_tail_strategy {
        use sys::hl_tail_strategy as T;
        match self {
            TailStrategy::Auto => T::HL_TAIL_AUTO,
            TailStrategy::RoundUp => T::HL_TAIL_ROUND_UP,
            TailStrategy::GuardWithIf => T::HL_TAIL_GUARD_WITH_IF,
            TailStrategy::Predicate => T::HL_TAIL_PREDICATE,
            TailStrategy::PredicateLoads => T::HL_TAIL_PREDICATE_LOADS,
            TailStrategy::PredicateStores => T::HL_TAIL_PREDICATE_STORES,
            TailStrategy::ShiftInwards => T::HL_TAIL_SHIFT_INWARDS,
            TailStrategy::ShiftInwardsAndBlend => T::HL_TAIL_SHIFT_INWARDS_AND_BLEND,
            TailStrategy::RoundUpAndBlend => T::HL_TAIL_ROUND_UP_AND_BLEND,
        }
    }
}

handle!(
    LoopLevelHandle,
    sys::hl_loop_level,
    sys::hl_loop_level_free,
    clone = sys::hl_loop_level_clone
);

/// A place in a schedule's loop nest: the root, inlined, or the loop over
/// a variable of some Func.
#[derive(Clone)]
pub struct LoopLevel {
    /// The level, or why it could not be made (reported where it is used).
    handle: std::result::Result<LoopLevelHandle, Error>,
    /// What the level is, for Debug (Halide cannot print an unlocked level).
    description: String,
}

impl LoopLevel {
    fn make(
        description: String,
        f: impl FnOnce(*mut *mut sys::hl_error) -> *mut sys::hl_loop_level,
    ) -> Self {
        LoopLevel {
            handle: LoopLevelHandle::new(f),
            description,
        }
    }

    /// Outside every loop: computed once, in full.
    pub fn root() -> Self {
        // SAFETY: no arguments but the error slot.
        Self::make("root".into(), |err| unsafe { sys::hl_loop_level_root(err) })
    }

    /// Inlined into every use.
    pub fn inlined() -> Self {
        // SAFETY: no arguments but the error slot.
        Self::make("inlined".into(), |err| unsafe {
            sys::hl_loop_level_inlined(err)
        })
    }

    /// Inside the loop over `var` (a [`Var`] or an [`RVar`]) of `func`'s
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
        match var.loop_var() {
            // SAFETY: func is live; the name outlives the call.
            Ok(v) => Self::make(description, |err| unsafe {
                sys::hl_loop_level_at(func.as_ptr(), v.raw(), index, err)
            }),
            Err(e) => LoopLevel {
                handle: Err(e),
                description,
            },
        }
    }

    fn as_ptr(&self) -> Result<*const sys::hl_loop_level> {
        match &self.handle {
            Ok(h) => Ok(h.as_ptr().cast_const()),
            Err(e) => Err(e.clone()),
        }
    }
}

impl fmt::Debug for LoopLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LoopLevel({})", self.description)
    }
}

/// The factor of a split or directive as an expression handle.
fn factor_expr(factor: impl IntoExpr) -> Result<Expr> {
    let e = factor.into_expr();
    e.check()?;
    Ok(e)
}

mod sealed {
    use super::*;

    /// What [`LoopVar`](super::LoopVar) needs, hidden from users.
    pub trait LoopVarName {
        /// The variable's name and whether it is a reduction variable.
        fn loop_var(&self) -> Result<Name>;
        /// The name for messages, even if the variable is invalid.
        fn description(&self) -> String;
    }

    /// How a [`Schedule`](super::Schedule) reaches its stage.
    pub trait AsStage {
        /// Runs `f` on the stage's handle.
        fn with_stage<R>(&mut self, f: impl FnOnce(*mut sys::hl_stage) -> Result<R>) -> Result<R>;
    }

    /// A loop variable as the shim takes it; `raw` borrows `name`.
    pub struct Name {
        pub(super) name: CString,
        pub(super) is_rvar: bool,
    }

    impl Name {
        pub(crate) fn raw(&self) -> sys::hl_loop_var {
            sys::hl_loop_var {
                name: self.name.as_ptr(),
                is_rvar: self.is_rvar,
            }
        }
    }
}

/// A loop a schedule can name: a [`Var`] (pure loops) or an [`RVar`]
/// (reduction loops, and the loops splitting them makes).
pub trait LoopVar: sealed::LoopVarName {}

impl sealed::LoopVarName for Var {
    fn loop_var(&self) -> Result<sealed::Name> {
        Ok(sealed::Name {
            name: ffi::c_string(&self.name())?,
            is_rvar: false,
        })
    }
    fn description(&self) -> String {
        self.name()
    }
}
impl LoopVar for Var {}

impl sealed::LoopVarName for RVar {
    fn loop_var(&self) -> Result<sealed::Name> {
        Ok(sealed::Name {
            name: ffi::c_string(self.checked_name()?)?,
            is_rvar: true,
        })
    }
    fn description(&self) -> String {
        self.name().to_owned()
    }
}
impl LoopVar for RVar {}

/// Names of several loop variables, kept alive while the shim reads `raw`.
struct LoopVars {
    names: Vec<sealed::Name>,
    raw: Vec<sys::hl_loop_var>,
}

impl LoopVars {
    fn new(vars: &[&dyn LoopVar]) -> Result<Self> {
        let names = vars
            .iter()
            .map(|v| v.loop_var())
            .collect::<Result<Vec<_>>>()?;
        let raw = names.iter().map(sealed::Name::raw).collect();
        Ok(LoopVars { names, raw })
    }

    fn len(&self) -> usize {
        self.names.len()
    }
}

handle!(StageHandle, sys::hl_stage, sys::hl_stage_free);

/// One definition of a [`Func`], scheduled on its own: an update definition
/// ([`Func::update_stage`]) or a specialization ([`Schedule::specialize`]).
/// A Func schedules its pure definition through the same [`Schedule`] methods.
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
    handle: StageHandle,
}

impl Stage {
    /// The stage's name: `f` for a pure definition, `f.update(0)` for the first update.
    pub fn name(&self) -> String {
        // SAFETY: self is a live stage.
        ffi::call_string(|err| unsafe { sys::hl_stage_name(self.handle.as_ptr(), err) })
            .unwrap_or_default()
    }
}

impl fmt::Debug for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Stage({})", self.name())
    }
}

impl sealed::AsStage for Stage {
    fn with_stage<R>(&mut self, f: impl FnOnce(*mut sys::hl_stage) -> Result<R>) -> Result<R> {
        f(self.handle.as_ptr())
    }
}

impl sealed::AsStage for Func {
    fn with_stage<R>(&mut self, f: impl FnOnce(*mut sys::hl_stage) -> Result<R>) -> Result<R> {
        f(self.stage_handle(0)?.as_ptr())
    }
}

impl Func {
    fn stage_handle(&self, index: usize) -> Result<StageHandle> {
        let index = i32::try_from(index).map_err(|_| Error::invalid("stage index out of range"))?;
        // SAFETY: self is a live Func.
        StageHandle::new(|err| unsafe { sys::hl_func_stage(self.as_ptr(), index, err) })
    }

    /// Update definition `i` (0 is the first), to schedule it: by default
    /// its loops run serially in the order of its variables and RVars.
    pub fn update_stage(&self, i: usize) -> Result<Stage> {
        Ok(Stage {
            handle: self.stage_handle(i + 1)?,
        })
    }
}

/// One loop of a [`Schedule::gpu_tile`]: `var` split into `block` (GPU
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

/// The loop schedule of a definition, shared by [`Func`] (its pure
/// definition) and [`Stage`] (an update or a specialization).
///
/// Every directive returns `Result<&mut Self>`, so a schedule reads as a
/// chain: `f.tile(&x, &y, &xi, &yi, 64, 16)?.vectorize(&xi, 8)?.parallel(&y)?;`.
/// Halide checks each directive as it is given (an unknown variable is an
/// `Err` at once); where a Func is computed is checked when it compiles.
pub trait Schedule: sealed::AsStage + Sized {
    /// Splits loop `old` into `outer` and `inner` loops, `inner` running
    /// `factor` iterations.
    fn split(
        &mut self,
        old: &impl LoopVar,
        outer: &impl LoopVar,
        inner: &impl LoopVar,
        factor: impl IntoExpr,
    ) -> Result<&mut Self> {
        self.split_with_tail(old, outer, inner, factor, TailStrategy::Auto)
    }

    /// [`split`](Self::split) with an explicit [`TailStrategy`].
    fn split_with_tail(
        &mut self,
        old: &impl LoopVar,
        outer: &impl LoopVar,
        inner: &impl LoopVar,
        factor: impl IntoExpr,
        tail: TailStrategy,
    ) -> Result<&mut Self> {
        let factor = factor_expr(factor)?;
        let vars = LoopVars::new(&[old, outer, inner])?;
        let fh = factor.handle()?;
        let [o, out, inn] = [vars.raw[0], vars.raw[1], vars.raw[2]];
        // SAFETY: the names and the factor are live for the call.
        directive(self, |s, err| unsafe {
            sys::hl_stage_split(s, o, out, inn, fh.as_ptr(), tail.to_raw(), err)
        })
    }

    /// Fuses loops `inner` and `outer` into one loop `fused`.
    fn fuse(
        &mut self,
        inner: &impl LoopVar,
        outer: &impl LoopVar,
        fused: &impl LoopVar,
    ) -> Result<&mut Self> {
        let vars = LoopVars::new(&[inner, outer, fused])?;
        let [i, o, f] = [vars.raw[0], vars.raw[1], vars.raw[2]];
        // SAFETY: the names are live for the call.
        directive(self, |s, err| unsafe {
            sys::hl_stage_fuse(s, i, o, f, err)
        })
    }

    /// Tiles loops `x` and `y` into `xi` by `yi` tiles of `x_factor` by
    /// `y_factor`; `x` and `y` become the loops over tiles.
    fn tile(
        &mut self,
        x: &impl LoopVar,
        y: &impl LoopVar,
        xi: &impl LoopVar,
        yi: &impl LoopVar,
        x_factor: impl IntoExpr,
        y_factor: impl IntoExpr,
    ) -> Result<&mut Self> {
        self.tile_outer(x, y, x, y, xi, yi, x_factor, y_factor, TailStrategy::Auto)
    }

    /// [`tile`](Self::tile) naming the loops over tiles (`xo`, `yo`), with a [`TailStrategy`].
    #[allow(clippy::too_many_arguments)]
    fn tile_outer(
        &mut self,
        x: &impl LoopVar,
        y: &impl LoopVar,
        xo: &impl LoopVar,
        yo: &impl LoopVar,
        xi: &impl LoopVar,
        yi: &impl LoopVar,
        x_factor: impl IntoExpr,
        y_factor: impl IntoExpr,
        tail: TailStrategy,
    ) -> Result<&mut Self> {
        let (xf, yf) = (factor_expr(x_factor)?, factor_expr(y_factor)?);
        let (xfh, yfh) = (xf.handle()?, yf.handle()?);
        let vars = LoopVars::new(&[x, y, xo, yo, xi, yi])?;
        let v = &vars.raw;
        // SAFETY: the names and factors are live for the call.
        directive(self, |s, err| unsafe {
            sys::hl_stage_tile(
                s,
                v[0],
                v[1],
                v[2],
                v[3],
                v[4],
                v[5],
                xfh.as_ptr(),
                yfh.as_ptr(),
                tail.to_raw(),
                err,
            )
        })
    }

    /// Orders the loops, innermost first.
    fn reorder(&mut self, vars: &[&dyn LoopVar]) -> Result<&mut Self> {
        let vars = LoopVars::new(vars)?;
        // SAFETY: the names are live for the call.
        directive(self, |s, err| unsafe {
            sys::hl_stage_reorder(s, vars.raw.as_ptr(), vars.len(), err)
        })
    }

    /// Splits `var` by `factor` and vectorizes the inner loop.
    fn vectorize(&mut self, var: &impl LoopVar, factor: impl IntoExpr) -> Result<&mut Self> {
        loop_directive(
            self,
            sys::hl_loop_kind::HL_LOOP_VECTORIZED,
            var,
            Some(factor_expr(factor)?),
        )
    }

    /// Vectorizes the whole loop `var` (whose extent must be a known constant).
    fn vectorize_loop(&mut self, var: &impl LoopVar) -> Result<&mut Self> {
        loop_directive(self, sys::hl_loop_kind::HL_LOOP_VECTORIZED, var, None)
    }

    /// Splits `var` by `factor` and unrolls the inner loop.
    fn unroll(&mut self, var: &impl LoopVar, factor: impl IntoExpr) -> Result<&mut Self> {
        loop_directive(
            self,
            sys::hl_loop_kind::HL_LOOP_UNROLLED,
            var,
            Some(factor_expr(factor)?),
        )
    }

    /// Unrolls the whole loop `var` (whose extent must be a known constant).
    fn unroll_loop(&mut self, var: &impl LoopVar) -> Result<&mut Self> {
        loop_directive(self, sys::hl_loop_kind::HL_LOOP_UNROLLED, var, None)
    }

    /// Runs the iterations of loop `var` in parallel on Halide's thread pool.
    fn parallel(&mut self, var: &impl LoopVar) -> Result<&mut Self> {
        loop_directive(self, sys::hl_loop_kind::HL_LOOP_PARALLEL, var, None)
    }

    /// Runs loop `var` in parallel tasks of `task_size` iterations each.
    fn parallel_tasks(
        &mut self,
        var: &impl LoopVar,
        task_size: impl IntoExpr,
    ) -> Result<&mut Self> {
        loop_directive(
            self,
            sys::hl_loop_kind::HL_LOOP_PARALLEL,
            var,
            Some(factor_expr(task_size)?),
        )
    }

    /// Runs loop `var` serially (undoing parallel, vectorize or unroll).
    fn serial(&mut self, var: &impl LoopVar) -> Result<&mut Self> {
        loop_directive(self, sys::hl_loop_kind::HL_LOOP_SERIAL, var, None)
    }

    /// Maps 1 to 3 loops (innermost first) to GPU blocks. Needs a GPU target.
    fn gpu_blocks(&mut self, vars: &[&dyn LoopVar]) -> Result<&mut Self> {
        gpu_directive(self, sys::hl_gpu_loop::HL_GPU_BLOCKS, vars)
    }

    /// Maps 1 to 3 loops (innermost first) to GPU threads within a block.
    fn gpu_threads(&mut self, vars: &[&dyn LoopVar]) -> Result<&mut Self> {
        gpu_directive(self, sys::hl_gpu_loop::HL_GPU_THREADS, vars)
    }

    /// Maps loop `var` to the lanes of a GPU warp.
    fn gpu_lanes(&mut self, var: &impl LoopVar) -> Result<&mut Self> {
        gpu_directive(self, sys::hl_gpu_loop::HL_GPU_LANES, &[var])
    }

    /// Tiles 1 to 3 loops into GPU blocks of GPU threads.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::GpuTile;
    /// let (x, y, bx, by, tx, ty) =
    ///     (Var::new("x"), Var::new("y"), Var::new("bx"), Var::new("by"), Var::new("tx"), Var::new("ty"));
    /// let mut f = Func::new("f");
    /// f.define([&x, &y], &x + &y)?;
    /// f.gpu_tile(&[
    ///     GpuTile { var: &x, block: &bx, thread: &tx, size: 16 },
    ///     GpuTile { var: &y, block: &by, thread: &ty, size: 8 },
    /// ])?;
    /// // Lowering for a GPU target needs no GPU.
    /// let stmt = f.lowered_stmt(&Target::host()?.with_feature("cuda")?)?;
    /// assert!(stmt.contains("ctaid.y") && stmt.contains("tid.x")); // PTX block and thread ids
    /// # Ok::<(), halide::Error>(())
    /// ```
    fn gpu_tile(&mut self, tiles: &[GpuTile<'_>]) -> Result<&mut Self> {
        let vars = LoopVars::new(&tiles.iter().map(|t| t.var).collect::<Vec<_>>())?;
        let blocks = LoopVars::new(&tiles.iter().map(|t| t.block).collect::<Vec<_>>())?;
        let threads = LoopVars::new(&tiles.iter().map(|t| t.thread).collect::<Vec<_>>())?;
        let sizes: Vec<Expr> = tiles.iter().map(|t| Expr::from(t.size)).collect();
        let sizes = raw_ptrs(&sizes)?;
        // SAFETY: the names and sizes are live for the call; all arrays
        // have tiles.len() elements.
        directive(self, |s, err| unsafe {
            sys::hl_stage_gpu_tile(
                s,
                vars.raw.as_ptr(),
                blocks.raw.as_ptr(),
                threads.raw.as_ptr(),
                sizes.as_ptr(),
                tiles.len(),
                TailStrategy::Auto.to_raw(),
                err,
            )
        })
    }

    /// Runs the whole definition in one GPU thread.
    fn gpu_single_thread(&mut self) -> Result<&mut Self> {
        // SAFETY: no arguments but the stage.
        directive(self, |s, err| unsafe {
            sys::hl_stage_gpu_single_thread(s, err)
        })
    }

    /// A specialization of this definition for when `condition` holds:
    /// Halide compiles it separately and picks it at run time. Schedule the
    /// returned [`Stage`] as you would this one.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let wide = Param::<bool>::new("wide");
    /// let mut f = Func::new("f");
    /// f.define([&x], &x * 2)?;
    /// f.specialize(&wide)?.vectorize(&x, 8)?;
    /// let stmt = f.lowered_stmt(&Target::host()?)?;
    /// assert!(stmt.contains("if ((uint1)wide)"));
    /// # Ok::<(), halide::Error>(())
    /// ```
    fn specialize<'c>(&mut self, condition: impl IntoOperand<'c>) -> Result<Stage> {
        let c = condition.into_operand().to_expr();
        let ch = c.handle()?;
        let stage = self.with_stage(|s| {
            // SAFETY: s and the condition are live.
            StageHandle::new(|err| unsafe { sys::hl_stage_specialize(s, ch.as_ptr(), err) })
        })?;
        crate::staleness::bump();
        Ok(Stage { handle: stage })
    }

    /// Makes the pipeline fail with `message` when none of the
    /// specializations given so far applies.
    fn specialize_fail(&mut self, message: &str) -> Result<&mut Self> {
        let m = ffi::c_string(message)?;
        // SAFETY: the message is live for the call.
        directive(self, |s, err| unsafe {
            sys::hl_stage_specialize_fail(s, m.as_ptr(), err)
        })
    }

    /// Factors this update's reduction: each `(rvar, var)` pair makes `rvar`
    /// the pure variable `var` of a new intermediate Func, returned for
    /// scheduling (say, in parallel); this stage then reduces its results.
    fn rfactor(&mut self, preserved: &[(&RVar, &Var)]) -> Result<Func> {
        let rvars = LoopVars::new(
            &preserved
                .iter()
                .map(|(r, _)| *r as &dyn LoopVar)
                .collect::<Vec<_>>(),
        )?;
        let vars: Vec<*const sys::hl_var> = preserved.iter().map(|(_, v)| v.as_ptr()).collect();
        let handle = self.with_stage(|s| {
            // SAFETY: the names and Vars are live; both arrays have preserved.len() elements.
            crate::func::Handle::new(|err| unsafe {
                sys::hl_stage_rfactor(s, rvars.raw.as_ptr(), vars.as_ptr(), preserved.len(), err)
            })
        })?;
        crate::staleness::bump();
        Ok(Func::from_handle(handle))
    }

    /// Makes this update's stores atomic, so that a reduction can run its
    /// loops in parallel. Halide checks that the update is associative;
    /// `override_associativity_test` skips the check.
    fn atomic(&mut self, override_associativity_test: bool) -> Result<&mut Self> {
        // SAFETY: no arguments but the stage.
        directive(self, |s, err| unsafe {
            sys::hl_stage_atomic(s, override_associativity_test, err)
        })
    }

    /// Lets parallel loops write the same place (you vouch for the result).
    fn allow_race_conditions(&mut self) -> Result<&mut Self> {
        // SAFETY: no arguments but the stage.
        directive(self, |s, err| unsafe {
            sys::hl_stage_allow_race_conditions(s, err)
        })
    }

    /// Computes this definition in the same loop nest as the pure
    /// definition of `other`, fused at its loop `var` and outside. Both
    /// must be computed at the same place (say, both `compute_root`).
    fn compute_with(&mut self, other: &Func, var: &impl LoopVar) -> Result<&mut Self> {
        self.compute_with_level(&LoopLevel::at_stage(other, var, Some(0)))
    }

    /// [`compute_with`](Self::compute_with) at a level of any stage, made
    /// with [`LoopLevel::at_stage`] (naming the stage is required here).
    fn compute_with_level(&mut self, level: &LoopLevel) -> Result<&mut Self> {
        let l = level.as_ptr()?;
        // SAFETY: the level is live.
        directive(self, |s, err| unsafe {
            sys::hl_stage_compute_with(s, l, err)
        })
    }

    /// Prefetches Func `source` inside loop `at`, for the iteration
    /// `offset` iterations ahead along loop `from`.
    fn prefetch(
        &mut self,
        source: &Func,
        at: &impl LoopVar,
        from: &impl LoopVar,
        offset: impl IntoExpr,
    ) -> Result<&mut Self> {
        prefetch(self, source.as_ptr(), std::ptr::null(), at, from, offset)
    }

    /// [`prefetch`](Self::prefetch) of an input image.
    fn prefetch_image(
        &mut self,
        source: &ImageParam,
        at: &impl LoopVar,
        from: &impl LoopVar,
        offset: impl IntoExpr,
    ) -> Result<&mut Self> {
        prefetch(self, std::ptr::null(), source.as_ptr(), at, from, offset)
    }
}

impl Schedule for Func {}
impl Schedule for Stage {}

/// Runs a directive on `s`'s stage, recording that compiled code is now stale.
fn directive<S: Schedule>(
    s: &mut S,
    f: impl FnOnce(*mut sys::hl_stage, *mut *mut sys::hl_error) -> bool,
) -> Result<&mut S> {
    s.with_stage(|h| ffi::call(|err| f(h, err)).map(drop))?;
    crate::staleness::bump();
    Ok(s)
}

fn loop_directive<'s, S: Schedule>(
    s: &'s mut S,
    kind: sys::hl_loop_kind,
    var: &impl LoopVar,
    factor: Option<Expr>,
) -> Result<&'s mut S> {
    let factor_handle = factor.as_ref().map(|e| e.handle()).transpose()?;
    let fptr = factor_handle.map_or(std::ptr::null(), |h| h.as_ptr().cast_const());
    let v = var.loop_var()?;
    let tail = TailStrategy::Auto.to_raw();
    // SAFETY: the name is live; fptr is null or a live expression.
    directive(s, |h, err| unsafe {
        sys::hl_stage_loop(h, kind, v.raw(), fptr, tail, err)
    })
}

fn gpu_directive<'s, S: Schedule>(
    s: &'s mut S,
    kind: sys::hl_gpu_loop,
    vars: &[&dyn LoopVar],
) -> Result<&'s mut S> {
    let vars = LoopVars::new(vars)?;
    // SAFETY: the names are live for the call.
    directive(s, |h, err| unsafe {
        sys::hl_stage_gpu(h, kind, vars.raw.as_ptr(), vars.len(), err)
    })
}

fn prefetch<'s, S: Schedule>(
    s: &'s mut S,
    func: *const sys::hl_func,
    image: *const sys::hl_image_param,
    at: &impl LoopVar,
    from: &impl LoopVar,
    offset: impl IntoExpr,
) -> Result<&'s mut S> {
    let offset = factor_expr(offset)?;
    let oh = offset.handle()?;
    let (at, from) = (at.loop_var()?, from.loop_var()?);
    // SAFETY: func or image is a live object (the other null), the names
    // and offset are live for the call.
    directive(s, |h, err| unsafe {
        sys::hl_stage_prefetch(h, func, image, at.raw(), from.raw(), oh.as_ptr(), err)
    })
}

impl Func {
    /// Runs a Func-wide directive, recording that compiled code is now stale.
    fn directive(
        &mut self,
        f: impl FnOnce(*mut sys::hl_func, *mut *mut sys::hl_error) -> bool,
    ) -> Result<&mut Self> {
        let h = self.as_ptr();
        ffi::call(|err| f(h, err))?;
        crate::staleness::bump();
        Ok(self)
    }

    /// Promises that dimension `var` is only ever used over `[min, min + extent)`.
    pub fn bound(
        &mut self,
        var: &Var,
        min: impl IntoExpr,
        extent: impl IntoExpr,
    ) -> Result<&mut Self> {
        let (min, extent) = (factor_expr(min)?, factor_expr(extent)?);
        let (mh, eh) = (min.handle()?, extent.handle()?);
        // SAFETY: all handles are live.
        self.directive(|h, err| unsafe {
            sys::hl_func_bound(h, var.as_ptr(), mh.as_ptr(), eh.as_ptr(), err)
        })
    }

    /// Computes this Func where `level` says: [`LoopLevel::root`] (once, in
    /// full), [`LoopLevel::inlined`], or inside a loop of a consumer.
    pub fn compute_at_level(&mut self, level: &LoopLevel) -> Result<&mut Self> {
        let l = level.as_ptr()?;
        // SAFETY: the level is live.
        self.directive(|h, err| unsafe { sys::hl_func_compute_at(h, l, err) })
    }

    /// Computes this Func inside the loop over `var` of `consumer`.
    pub fn compute_at(&mut self, consumer: &Func, var: &impl LoopVar) -> Result<&mut Self> {
        self.compute_at_level(&LoopLevel::at(consumer, var))
    }

    /// Computes this Func once, in full, before its consumers.
    pub fn compute_root(&mut self) -> Result<&mut Self> {
        self.compute_at_level(&LoopLevel::root())
    }

    /// Inlines this Func into every use (the default).
    pub fn compute_inline(&mut self) -> Result<&mut Self> {
        self.compute_at_level(&LoopLevel::inlined())
    }

    /// Allocates this Func's storage where `level` says.
    pub fn store_at_level(&mut self, level: &LoopLevel) -> Result<&mut Self> {
        let l = level.as_ptr()?;
        // SAFETY: the level is live.
        self.directive(|h, err| unsafe { sys::hl_func_store_at(h, l, err) })
    }

    /// Allocates this Func's storage inside the loop over `var` of `consumer`.
    pub fn store_at(&mut self, consumer: &Func, var: &impl LoopVar) -> Result<&mut Self> {
        self.store_at_level(&LoopLevel::at(consumer, var))
    }

    /// Allocates this Func's storage outside every loop.
    pub fn store_root(&mut self) -> Result<&mut Self> {
        self.store_at_level(&LoopLevel::root())
    }

    /// Orders the dimensions of this Func's storage, innermost first (by
    /// default, as its arguments are).
    pub fn reorder_storage(&mut self, vars: &[&Var]) -> Result<&mut Self> {
        let ptrs: Vec<*const sys::hl_var> = vars.iter().map(|v| v.as_ptr()).collect();
        // SAFETY: every pointer is to a live Var borrowed for the call.
        self.directive(|h, err| unsafe {
            sys::hl_func_reorder_storage(h, ptrs.as_ptr(), ptrs.len(), err)
        })
    }

    /// Stores only `extent` values along `var`, as a circular buffer, when
    /// consumers move forward along it (Halide checks that they do).
    pub fn fold_storage(&mut self, var: &Var, extent: impl IntoExpr) -> Result<&mut Self> {
        let e = factor_expr(extent)?;
        let eh = e.handle()?;
        // SAFETY: both are live for the call.
        self.directive(|h, err| unsafe {
            sys::hl_func_fold_storage(h, var.as_ptr(), eh.as_ptr(), true, err)
        })
    }

    /// Widens the region computed along `var` to start at a multiple of
    /// `modulus` (plus `remainder`) and span a multiple of it.
    pub fn align_bounds(
        &mut self,
        var: &Var,
        modulus: impl IntoExpr,
        remainder: impl IntoExpr,
    ) -> Result<&mut Self> {
        let (m, r) = (factor_expr(modulus)?, factor_expr(remainder)?);
        let (mh, rh) = (m.handle()?, r.handle()?);
        // SAFETY: all are live for the call.
        self.directive(|h, err| unsafe {
            sys::hl_func_align_bounds(h, var.as_ptr(), mh.as_ptr(), rh.as_ptr(), err)
        })
    }

    /// Rounds the extent of this Func's storage along `var` up to a
    /// multiple of `alignment`.
    pub fn align_storage(&mut self, var: &Var, alignment: impl IntoExpr) -> Result<&mut Self> {
        let a = factor_expr(alignment)?;
        let ah = a.handle()?;
        // SAFETY: both are live for the call.
        self.directive(|h, err| unsafe {
            sys::hl_func_align_storage(h, var.as_ptr(), ah.as_ptr(), err)
        })
    }

    fn flag(&mut self, flag: sys::hl_func_flag) -> Result<&mut Self> {
        // SAFETY: no arguments but the Func.
        self.directive(|h, err| unsafe { sys::hl_func_set_flag(h, flag, err) })
    }

    /// Caches this Func's values across realizations (for compute_root
    /// Funcs whose inputs rarely change).
    pub fn memoize(&mut self) -> Result<&mut Self> {
        self.flag(sys::hl_func_flag::HL_FUNC_MEMOIZE)
    }

    /// Computes this Func on its own thread, concurrently with its consumers.
    pub fn async_(&mut self) -> Result<&mut Self> {
        self.flag(sys::hl_func_flag::HL_FUNC_ASYNC)
    }

    /// Reports every value loaded from this Func to the trace handler
    /// (see [`Handlers`](crate::Handlers)).
    pub fn trace_loads(&mut self) -> Result<&mut Self> {
        self.flag(sys::hl_func_flag::HL_FUNC_TRACE_LOADS)
    }

    /// Reports every value stored to this Func to the trace handler.
    pub fn trace_stores(&mut self) -> Result<&mut Self> {
        self.flag(sys::hl_func_flag::HL_FUNC_TRACE_STORES)
    }

    /// Reports the start and end of each realization of this Func to the
    /// trace handler.
    pub fn trace_realizations(&mut self) -> Result<&mut Self> {
        self.flag(sys::hl_func_flag::HL_FUNC_TRACE_REALIZATIONS)
    }

    fn wrapper(&mut self, consumers: &[&Func], clone: bool) -> Result<Func> {
        let ptrs: Vec<*mut sys::hl_func> = consumers.iter().map(|f| f.as_ptr()).collect();
        let h = self.as_ptr();
        // SAFETY: every pointer is to a live Func borrowed for the call.
        let handle = crate::func::Handle::new(|err| unsafe {
            sys::hl_func_wrapper(h, ptrs.as_ptr(), ptrs.len(), clone, err)
        })?;
        crate::staleness::bump();
        Ok(Func::from_handle(handle))
    }

    /// A wrapper Func that `consumers` (all of them, for an empty slice)
    /// call instead of this one, with a schedule of its own: say, to copy
    /// a tile of an input into a local buffer. Halide's `Func::in`.
    pub fn in_(&mut self, consumers: &[&Func]) -> Result<Func> {
        self.wrapper(consumers, false)
    }

    /// Like [`in_`](Self::in_), but the wrapper is a copy of this Func's
    /// definition, so `consumers` recompute it as scheduled there.
    pub fn clone_in(&mut self, consumers: &[&Func]) -> Result<Func> {
        self.wrapper(consumers, true)
    }

    /// The statement Halide lowers this Func to for `target`: the loop nest
    /// its schedule produces, for inspecting a schedule.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let (x, y) = (Var::new("x"), Var::new("y"));
    /// let mut f = Func::new("f");
    /// f.define([&x, &y], &x + &y)?;
    /// f.vectorize(&x, 8)?.parallel(&y)?;
    /// let stmt = f.lowered_stmt(&Target::host()?)?;
    /// assert!(stmt.contains("par_for_f_s0_y"));      // y runs on the thread pool
    /// assert!(stmt.contains("ramp((f.s0.x.x*8)"));  // x in vectors of 8
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn lowered_stmt(&mut self, target: &Target) -> Result<String> {
        self.lowered(target, false)
    }

    /// [`lowered_stmt`](Self::lowered_stmt) as Halide's interactive HTML page.
    pub fn lowered_stmt_html(&mut self, target: &Target) -> Result<String> {
        self.lowered(target, true)
    }

    fn lowered(&mut self, target: &Target, html: bool) -> Result<String> {
        let h = self.as_ptr();
        // SAFETY: both are live objects.
        ffi::call_string(|err| unsafe { sys::hl_func_lowered_stmt(h, target.as_ptr(), html, err) })
    }
}

//! Schedules: how a Func's loops run and where it is computed and stored.
//!
//! Every directive returns `Result<&mut Func>`, so a schedule reads as a
//! chain: `f.tile(&x, &y, &xi, &yi, 64, 16)?.vectorize(&xi, 8)?.parallel(&y)?;`.
//! Halide checks each directive as it is given (an unknown variable is an
//! `Err` at once); where a Func is computed is checked when it compiles.

use crate::error::Result;
use crate::expr::IntoExpr;
use crate::ffi::{self, handle};
use crate::func::Func;
use crate::target::Target;
use crate::var::Var;
use halide_sys as sys;
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
    handle: LoopLevelHandle,
    /// What the level is, for Debug (Halide cannot print an unlocked level).
    description: String,
}

impl LoopLevel {
    fn make(
        description: String,
        f: impl FnOnce(*mut *mut sys::hl_error) -> *mut sys::hl_loop_level,
    ) -> Self {
        let handle = LoopLevelHandle::new(f).expect("out of memory creating a Halide LoopLevel");
        LoopLevel {
            handle,
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

    /// Inside the loop over `var` of `func`.
    pub fn at(func: &Func, var: &Var) -> Self {
        let description = format!("{}.{}", func.name(), var.name());
        // SAFETY: both are live objects.
        Self::make(description, |err| unsafe {
            sys::hl_loop_level_at(func.as_ptr(), var.as_ptr(), err)
        })
    }
}

impl fmt::Debug for LoopLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LoopLevel({})", self.description)
    }
}

/// The factor of a split or directive as an expression handle.
fn factor_expr(factor: impl IntoExpr) -> Result<crate::expr::Expr> {
    let e = factor.into_expr();
    e.check()?;
    Ok(e)
}

impl Func {
    /// Runs a schedule directive, recording that compiled code is now stale.
    fn directive(
        &mut self,
        f: impl FnOnce(*mut sys::hl_func, *mut *mut sys::hl_error) -> bool,
    ) -> Result<&mut Self> {
        let h = self.as_ptr();
        ffi::call(|err| f(h, err))?;
        crate::staleness::bump();
        Ok(self)
    }

    fn loop_directive(
        &mut self,
        kind: sys::hl_loop_kind,
        var: &Var,
        factor: Option<crate::expr::Expr>,
    ) -> Result<&mut Self> {
        let factor_handle = factor.as_ref().map(|e| e.handle()).transpose()?;
        let fptr = factor_handle.map_or(std::ptr::null(), |h| h.as_ptr().cast_const());
        let tail = TailStrategy::Auto.to_raw();
        // SAFETY: var is live; fptr is null or a live expression.
        self.directive(|h, err| unsafe {
            sys::hl_func_loop(h, kind, var.as_ptr(), fptr, tail, err)
        })
    }

    /// Splits loop `old` into `outer` and `inner` loops, `inner` running
    /// `factor` iterations.
    pub fn split(
        &mut self,
        old: &Var,
        outer: &Var,
        inner: &Var,
        factor: impl IntoExpr,
    ) -> Result<&mut Self> {
        self.split_with_tail(old, outer, inner, factor, TailStrategy::Auto)
    }

    /// [`split`](Self::split) with an explicit [`TailStrategy`].
    pub fn split_with_tail(
        &mut self,
        old: &Var,
        outer: &Var,
        inner: &Var,
        factor: impl IntoExpr,
        tail: TailStrategy,
    ) -> Result<&mut Self> {
        let factor = factor_expr(factor)?;
        let fh = factor.handle()?;
        // SAFETY: all handles are live.
        self.directive(|h, err| unsafe {
            sys::hl_func_split(
                h,
                old.as_ptr(),
                outer.as_ptr(),
                inner.as_ptr(),
                fh.as_ptr(),
                tail.to_raw(),
                err,
            )
        })
    }

    /// Fuses loops `inner` and `outer` into one loop `fused`.
    pub fn fuse(&mut self, inner: &Var, outer: &Var, fused: &Var) -> Result<&mut Self> {
        // SAFETY: all handles are live.
        self.directive(|h, err| unsafe {
            sys::hl_func_fuse(h, inner.as_ptr(), outer.as_ptr(), fused.as_ptr(), err)
        })
    }

    /// Tiles loops `x` and `y` into `xi` by `yi` tiles of `x_factor` by
    /// `y_factor`; `x` and `y` become the loops over tiles.
    pub fn tile(
        &mut self,
        x: &Var,
        y: &Var,
        xi: &Var,
        yi: &Var,
        x_factor: impl IntoExpr,
        y_factor: impl IntoExpr,
    ) -> Result<&mut Self> {
        self.tile_outer(x, y, x, y, xi, yi, x_factor, y_factor, TailStrategy::Auto)
    }

    /// [`tile`](Self::tile) naming the loops over tiles (`xo`, `yo`), with a [`TailStrategy`].
    #[allow(clippy::too_many_arguments)]
    pub fn tile_outer(
        &mut self,
        x: &Var,
        y: &Var,
        xo: &Var,
        yo: &Var,
        xi: &Var,
        yi: &Var,
        x_factor: impl IntoExpr,
        y_factor: impl IntoExpr,
        tail: TailStrategy,
    ) -> Result<&mut Self> {
        let (xf, yf) = (factor_expr(x_factor)?, factor_expr(y_factor)?);
        let (xfh, yfh) = (xf.handle()?, yf.handle()?);
        // SAFETY: all handles are live.
        self.directive(|h, err| unsafe {
            sys::hl_func_tile(
                h,
                x.as_ptr(),
                y.as_ptr(),
                xo.as_ptr(),
                yo.as_ptr(),
                xi.as_ptr(),
                yi.as_ptr(),
                xfh.as_ptr(),
                yfh.as_ptr(),
                tail.to_raw(),
                err,
            )
        })
    }

    /// Orders the loops, innermost first.
    pub fn reorder(&mut self, vars: &[&Var]) -> Result<&mut Self> {
        let ptrs: Vec<*const sys::hl_var> = vars.iter().map(|v| v.as_ptr()).collect();
        // SAFETY: every pointer is to a live Var borrowed for the call.
        self.directive(|h, err| unsafe { sys::hl_func_reorder(h, ptrs.as_ptr(), ptrs.len(), err) })
    }

    /// Splits `var` by `factor` and vectorizes the inner loop.
    pub fn vectorize(&mut self, var: &Var, factor: impl IntoExpr) -> Result<&mut Self> {
        self.loop_directive(
            sys::hl_loop_kind::HL_LOOP_VECTORIZED,
            var,
            Some(factor_expr(factor)?),
        )
    }

    /// Vectorizes the whole loop `var` (whose extent must be a known constant).
    pub fn vectorize_loop(&mut self, var: &Var) -> Result<&mut Self> {
        self.loop_directive(sys::hl_loop_kind::HL_LOOP_VECTORIZED, var, None)
    }

    /// Splits `var` by `factor` and unrolls the inner loop.
    pub fn unroll(&mut self, var: &Var, factor: impl IntoExpr) -> Result<&mut Self> {
        self.loop_directive(
            sys::hl_loop_kind::HL_LOOP_UNROLLED,
            var,
            Some(factor_expr(factor)?),
        )
    }

    /// Unrolls the whole loop `var` (whose extent must be a known constant).
    pub fn unroll_loop(&mut self, var: &Var) -> Result<&mut Self> {
        self.loop_directive(sys::hl_loop_kind::HL_LOOP_UNROLLED, var, None)
    }

    /// Runs the iterations of loop `var` in parallel on Halide's thread pool.
    pub fn parallel(&mut self, var: &Var) -> Result<&mut Self> {
        self.loop_directive(sys::hl_loop_kind::HL_LOOP_PARALLEL, var, None)
    }

    /// Runs loop `var` in parallel tasks of `task_size` iterations each.
    pub fn parallel_tasks(&mut self, var: &Var, task_size: impl IntoExpr) -> Result<&mut Self> {
        self.loop_directive(
            sys::hl_loop_kind::HL_LOOP_PARALLEL,
            var,
            Some(factor_expr(task_size)?),
        )
    }

    /// Runs loop `var` serially (undoing parallel, vectorize or unroll).
    pub fn serial(&mut self, var: &Var) -> Result<&mut Self> {
        self.loop_directive(sys::hl_loop_kind::HL_LOOP_SERIAL, var, None)
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
        // SAFETY: the level is live.
        self.directive(|h, err| unsafe { sys::hl_func_compute_at(h, level.handle.as_ptr(), err) })
    }

    /// Computes this Func inside the loop over `var` of `consumer`.
    pub fn compute_at(&mut self, consumer: &Func, var: &Var) -> Result<&mut Self> {
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
        // SAFETY: the level is live.
        self.directive(|h, err| unsafe { sys::hl_func_store_at(h, level.handle.as_ptr(), err) })
    }

    /// Allocates this Func's storage inside the loop over `var` of `consumer`.
    pub fn store_at(&mut self, consumer: &Func, var: &Var) -> Result<&mut Self> {
        self.store_at_level(&LoopLevel::at(consumer, var))
    }

    /// Allocates this Func's storage outside every loop.
    pub fn store_root(&mut self) -> Result<&mut Self> {
        self.store_at_level(&LoopLevel::root())
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

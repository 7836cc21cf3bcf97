//! Stages and their loop schedules: the [`Schedule`] directives every
//! definition takes.

use super::loop_level::LoopLevel;
use super::loop_var::{GpuTile, LoopVar, LoopVars};
use super::partition::Partition;
use super::strategy::{LoopAlignStrategy, PrefetchBoundStrategy};
use super::tail::{MAX_UNROLL, MAX_VECTOR, TailStrategy, bounded_factor, factor_expr};
use super::tile::Tile;
use crate::convert::{IntoExpr, IntoOperand};
use crate::error::Result;
use crate::ffi::{self, shim};
use crate::func::Func;
use crate::param::ImageParam;
use crate::rdom::RVar;
use crate::var::Var;
use halide_runtime::DeviceApi;
use halide_sys as sys;

mod directive;
mod reach;
use directive::{
    compute_with, directive, gpu_directive, gpu_single_thread, gpu_tile, loop_directive,
    loop_directive_with_tail, partition_all, partition_each, prefetch, rfactor, tile_many,
};
pub use reach::Stage;
use reach::sealed;

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
        let (o, out, inn) = (old.loop_var()?, outer.loop_var()?, inner.loop_var()?);
        let (fh, tail) = (factor.handle()?, tail.to_raw());
        directive(self, |s| {
            shim!(sys::hl_stage_split, s, &o, &out, &inn, fh, tail)
        })
    }

    /// Fuses loops `inner` and `outer` into one loop `fused`.
    fn fuse(
        &mut self,
        inner: &impl LoopVar,
        outer: &impl LoopVar,
        fused: &impl LoopVar,
    ) -> Result<&mut Self> {
        let (i, o, f) = (inner.loop_var()?, outer.loop_var()?, fused.loop_var()?);
        directive(self, |s| shim!(sys::hl_stage_fuse, s, &i, &o, &f))
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
        let v = [x.loop_var()?, y.loop_var()?, xo.loop_var()?, yo.loop_var()?];
        let (xi, yi, tail) = (xi.loop_var()?, yi.loop_var()?, tail.to_raw());
        directive(self, |s| {
            let (x, y, xo, yo) = (&v[0], &v[1], &v[2], &v[3]);
            shim!(
                sys::hl_stage_tile,
                s,
                x,
                y,
                xo,
                yo,
                &xi,
                &yi,
                xfh,
                yfh,
                tail
            )
        })
    }

    /// Tiles any number of loops at once (innermost first): each `var`
    /// becomes `outer` and `inner`, the outer loops outside all the inner
    /// ones (Halide's list form of `tile`).
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::Tile;
    /// let [x, y, z, xo, yo, zo, xi, yi, zi] = Var::many(["x", "y", "z", "xo", "yo", "zo", "xi", "yi", "zi"]);
    /// let mut f = Func::new("f");
    /// f.define([&x, &y, &z], &x + &y * 10 + &z * 100)?;
    /// let tile = |var, outer, inner, factor| Tile { var, outer, inner, factor, tail: TailStrategy::Auto };
    /// f.tile_many(&[tile(&x, &xo, &xi, 4), tile(&y, &yo, &yi, 2), tile(&z, &zo, &zi, 2)])?;
    /// assert!(f.loop_nest()?.contains("for x.xi"));
    /// assert_eq!(f.realize::<i32>(&[8, 4, 4])?.get(&[5, 3, 2]), Some(235));
    /// # Ok::<(), halide::Error>(())
    /// ```
    fn tile_many(&mut self, tiles: &[Tile<'_>]) -> Result<&mut Self> {
        tile_many(self, tiles)
    }

    /// Orders the loops, innermost first.
    fn reorder(&mut self, vars: &[&dyn LoopVar]) -> Result<&mut Self> {
        let vars = LoopVars::new(vars)?;
        directive(self, |s| {
            let s = s.as_ptr();
            // SAFETY: the stage and the names are borrowed for the call;
            // the length is the array's.
            unsafe { ffi::call(|err| sys::hl_stage_reorder(s, vars.raw.as_ptr(), vars.len(), err)) }
        })
    }

    /// Splits `var` by `factor` and vectorizes the inner loop. A constant
    /// factor above [`MAX_VECTOR`](crate::MAX_VECTOR) is refused.
    fn vectorize(&mut self, var: &impl LoopVar, factor: impl IntoExpr) -> Result<&mut Self> {
        loop_directive(
            self,
            sys::hl_loop_kind::HL_LOOP_VECTORIZED,
            var,
            Some(bounded_factor(factor, MAX_VECTOR, "vectorize")?),
        )
    }

    /// [`vectorize`](Self::vectorize) with an explicit [`TailStrategy`]
    /// for an extent the factor does not divide.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let mut f = Func::new("f");
    /// f.define([&x], &x * 3)?;
    /// f.unroll_with_tail(&x, 4, TailStrategy::GuardWithIf)?
    ///     .vectorize_with_tail(&x, 2, TailStrategy::GuardWithIf)?;
    /// // 10 is not a multiple of 4: the guarded tail computes exactly 10.
    /// assert_eq!(f.realize::<i32>(&[10])?.as_slice()[9], 27);
    /// # Ok::<(), halide::Error>(())
    /// ```
    fn vectorize_with_tail(
        &mut self,
        var: &impl LoopVar,
        factor: impl IntoExpr,
        tail: TailStrategy,
    ) -> Result<&mut Self> {
        let factor = bounded_factor(factor, MAX_VECTOR, "vectorize")?;
        loop_directive_with_tail(
            self,
            sys::hl_loop_kind::HL_LOOP_VECTORIZED,
            var,
            Some(factor),
            tail,
        )
    }

    /// Vectorizes the whole loop `var` (whose extent must be a known constant).
    fn vectorize_loop(&mut self, var: &impl LoopVar) -> Result<&mut Self> {
        loop_directive(self, sys::hl_loop_kind::HL_LOOP_VECTORIZED, var, None)
    }

    /// Splits `var` by `factor` and unrolls the inner loop. A constant
    /// factor above [`MAX_UNROLL`](crate::MAX_UNROLL) is refused.
    fn unroll(&mut self, var: &impl LoopVar, factor: impl IntoExpr) -> Result<&mut Self> {
        loop_directive(
            self,
            sys::hl_loop_kind::HL_LOOP_UNROLLED,
            var,
            Some(bounded_factor(factor, MAX_UNROLL, "unroll")?),
        )
    }

    /// [`unroll`](Self::unroll) with an explicit [`TailStrategy`].
    fn unroll_with_tail(
        &mut self,
        var: &impl LoopVar,
        factor: impl IntoExpr,
        tail: TailStrategy,
    ) -> Result<&mut Self> {
        let factor = bounded_factor(factor, MAX_UNROLL, "unroll")?;
        loop_directive_with_tail(
            self,
            sys::hl_loop_kind::HL_LOOP_UNROLLED,
            var,
            Some(factor),
            tail,
        )
    }

    /// Unrolls the whole loop `var` (whose extent must be a known constant).
    fn unroll_loop(&mut self, var: &impl LoopVar) -> Result<&mut Self> {
        loop_directive(self, sys::hl_loop_kind::HL_LOOP_UNROLLED, var, None)
    }

    /// Renames loop `old` to `new`, for later directives and statements.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let [x, y, i] = Var::many(["x", "y", "i"]);
    /// let mut f = Func::new("f");
    /// f.define([&x, &y], &x * 10 + &y)?;
    /// f.rename(&x, &i)?.vectorize(&i, 4)?;
    /// assert_eq!(f.realize::<i32>(&[4, 1])?.as_slice(), &[0, 10, 20, 30]);
    /// assert!(f.vectorize(&x, 4).is_err()); // x is gone
    /// # Ok::<(), halide::Error>(())
    /// ```
    fn rename(&mut self, old: &impl LoopVar, new: &impl LoopVar) -> Result<&mut Self> {
        let (o, n) = (old.loop_var()?, new.loop_var()?);
        directive(self, |h| shim!(sys::hl_stage_rename, h, &o, &n))
    }

    /// Sets how loop `var` is partitioned (see [`Partition`]).
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::{Partition, boundary};
    /// let x = Var::new("x");
    /// let input = ImageParam::new::<i32>(1, "input");
    /// let clamped = boundary::repeat_edge(&input)?;
    /// let mut f = Func::new("f");
    /// f.define([&x], clamped.at([&x - 1]) + clamped.at([&x + 1]))?;
    /// f.partition(&x, Partition::Never)?;
    /// let data = [1, 2, 3];
    /// let mut out = Buffer::<i32>::new(&[3])?;
    /// f.realize_into_with(&mut out, &[input.bind(&BufferRef::new(&data, &[3])?)])?;
    /// assert_eq!(out.as_slice(), &[3, 4, 5]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    fn partition(&mut self, var: &impl LoopVar, policy: Partition) -> Result<&mut Self> {
        let (v, policy) = (var.loop_var()?, policy.to_raw());
        directive(self, |h| shim!(sys::hl_stage_partition, h, &v, policy))
    }

    /// Never partitions the loops `vars`.
    fn never_partition(&mut self, vars: &[&dyn LoopVar]) -> Result<&mut Self> {
        partition_each(self, vars, Partition::Never)
    }

    /// Always partitions the loops `vars`.
    fn always_partition(&mut self, vars: &[&dyn LoopVar]) -> Result<&mut Self> {
        partition_each(self, vars, Partition::Always)
    }

    /// Never partitions any loop of this definition.
    fn never_partition_all(&mut self) -> Result<&mut Self> {
        partition_all(self, Partition::Never)
    }

    /// Always partitions every loop of this definition.
    fn always_partition_all(&mut self) -> Result<&mut Self> {
        partition_all(self, Partition::Always)
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
        gpu_directive(self, sys::hl_gpu_loop::HL_GPU_BLOCKS, vars, None)
    }

    /// [`gpu_blocks`](Self::gpu_blocks) on device API `api`, where the
    /// target has several (each GPU directive of this kind takes one; the
    /// others use the target's default).
    fn gpu_blocks_on(&mut self, api: DeviceApi, vars: &[&dyn LoopVar]) -> Result<&mut Self> {
        gpu_directive(self, sys::hl_gpu_loop::HL_GPU_BLOCKS, vars, Some(api))
    }

    /// Maps 1 to 3 loops (innermost first) to GPU threads within a block.
    fn gpu_threads(&mut self, vars: &[&dyn LoopVar]) -> Result<&mut Self> {
        gpu_directive(self, sys::hl_gpu_loop::HL_GPU_THREADS, vars, None)
    }

    /// [`gpu_threads`](Self::gpu_threads) on device API `api`.
    fn gpu_threads_on(&mut self, api: DeviceApi, vars: &[&dyn LoopVar]) -> Result<&mut Self> {
        gpu_directive(self, sys::hl_gpu_loop::HL_GPU_THREADS, vars, Some(api))
    }

    /// Maps loop `var` to the lanes of a GPU warp.
    fn gpu_lanes(&mut self, var: &impl LoopVar) -> Result<&mut Self> {
        gpu_directive(self, sys::hl_gpu_loop::HL_GPU_LANES, &[var], None)
    }

    /// [`gpu_lanes`](Self::gpu_lanes) on device API `api`.
    fn gpu_lanes_on(&mut self, api: DeviceApi, var: &impl LoopVar) -> Result<&mut Self> {
        gpu_directive(self, sys::hl_gpu_loop::HL_GPU_LANES, &[var], Some(api))
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
        gpu_tile(self, tiles, None, TailStrategy::Auto)
    }

    /// [`gpu_tile`](Self::gpu_tile) on device API `api`: with a target that
    /// has several, each stage can run on its own.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::GpuTile;
    /// use halide::gpu::DeviceApi;
    /// let [x, bx, tx] = Var::many(["x", "bx", "tx"]);
    /// let tile = [GpuTile { var: &x, block: &bx, thread: &tx, size: 16 }];
    /// let mut g = Func::new("on_opencl");
    /// g.define([&x], &x * 2)?;
    /// g.compute_root()?.gpu_tile_on(DeviceApi::OpenCl, &tile)?;
    /// let mut f = Func::new("on_cuda");
    /// f.define([&x], g.at([&x]) + 1)?;
    /// f.gpu_tile_on(DeviceApi::Cuda, &tile)?;
    /// let nest = f.loop_nest()?;
    /// assert!(nest.contains("gpu_block x.bx<OpenCL>") && nest.contains("gpu_block x.bx<CUDA>"));
    /// // Lowering for a target with both needs no GPU.
    /// f.lowered_stmt(&Target::host()?.with_feature("cuda")?.with_feature("opencl")?)?;
    /// # Ok::<(), halide::Error>(())
    /// ```
    fn gpu_tile_on(&mut self, api: DeviceApi, tiles: &[GpuTile<'_>]) -> Result<&mut Self> {
        gpu_tile(self, tiles, Some(api), TailStrategy::Auto)
    }

    /// [`gpu_tile`](Self::gpu_tile) (on `api`, or the target's GPU API
    /// for `None`) with `tail` deciding what happens where a loop's extent
    /// is not a multiple of its tile size, as for
    /// [`split_with_tail`](Self::split_with_tail).
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::GpuTile;
    /// let [x, bx, tx] = Var::many(["x", "bx", "tx"]);
    /// let mut f = Func::new("f");
    /// f.define([&x], &x * 2)?;
    /// let tile = GpuTile { var: &x, block: &bx, thread: &tx, size: 64 };
    /// f.gpu_tile_with_tail(&[tile], TailStrategy::GuardWithIf, None)?;
    /// // Lowered (no GPU needed), each thread checks it is inside the output.
    /// let stmt = f.lowered_stmt(&Target::host()?.with_feature("opencl")?)?;
    /// assert!(stmt.contains("if ("), "{stmt}");
    /// # Ok::<(), halide::Error>(())
    /// ```
    fn gpu_tile_with_tail(
        &mut self,
        tiles: &[GpuTile<'_>],
        tail: TailStrategy,
        api: Option<DeviceApi>,
    ) -> Result<&mut Self> {
        gpu_tile(self, tiles, api, tail)
    }

    /// Runs the whole definition in one GPU thread.
    fn gpu_single_thread(&mut self) -> Result<&mut Self> {
        gpu_single_thread(self, None)
    }

    /// [`gpu_single_thread`](Self::gpu_single_thread) on device API `api`.
    fn gpu_single_thread_on(&mut self, api: DeviceApi) -> Result<&mut Self> {
        gpu_single_thread(self, Some(api))
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
        let stage = self.with_stage(|s| shim!(sys::hl_stage_specialize, s.mutating(), ch))?;
        Ok(Stage { handle: stage })
    }

    /// Makes the pipeline fail with `message` when none of the
    /// specializations given so far applies.
    fn specialize_fail(&mut self, message: &str) -> Result<&mut Self> {
        let m = ffi::c_string(message)?;
        directive(self, |s| {
            shim!(sys::hl_stage_specialize_fail, s, m.as_c_str())
        })
    }

    /// Factors this update's reduction: each `(rvar, var)` pair makes `rvar`
    /// the pure variable `var` of a new intermediate Func, returned for
    /// scheduling (say, in parallel); this stage then reduces its results.
    fn rfactor(&mut self, preserved: &[(&RVar, &Var)]) -> Result<Func> {
        rfactor(self, preserved)
    }

    /// Makes this update's stores atomic, so that a reduction can run its
    /// loops in parallel. Halide checks that the update is associative;
    /// `override_associativity_test` skips the check.
    fn atomic(&mut self, override_associativity_test: bool) -> Result<&mut Self> {
        directive(self, |s| {
            shim!(sys::hl_stage_atomic, s, override_associativity_test)
        })
    }

    /// Lets parallel loops write the same place (you vouch for the result).
    fn allow_race_conditions(&mut self) -> Result<&mut Self> {
        directive(self, |s| shim!(sys::hl_stage_allow_race_conditions, s))
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
        self.compute_with_aligned(level, &[])
    }

    /// [`compute_with_level`](Self::compute_with_level), lining up each
    /// listed fused loop with the other stage's as its strategy says (the
    /// others: [`LoopAlignStrategy::Auto`]).
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::LoopAlignStrategy;
    /// let x = Var::new("x");
    /// let (mut a, mut b, mut out) = (Func::new("a"), Func::new("b"), Func::new("out"));
    /// a.define([&x], &x * 3)?;
    /// b.define([&x], &x * 5)?;
    /// // b is read two further along than a: their loops' ranges differ.
    /// out.define([&x], a.at([&x]) + b.at([&x + 2]))?;
    /// a.compute_root()?;
    /// b.compute_root()?;
    /// let level = LoopLevel::at_stage(&a, &x, Some(0));
    /// b.compute_with_aligned(&level, &[(&x, LoopAlignStrategy::AlignEnd)])?;
    /// assert_eq!(out.realize::<i32>(&[3])?.as_slice(), &[10, 18, 26]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    fn compute_with_aligned(
        &mut self,
        level: &LoopLevel,
        align: &[(&dyn LoopVar, LoopAlignStrategy)],
    ) -> Result<&mut Self> {
        compute_with(self, level, align)
    }

    /// Prefetches Func `source` inside loop `at`, for the iteration
    /// `offset` iterations ahead along loop `from`, kept within the
    /// source's bounds by `bound` (Halide's default:
    /// [`PrefetchBoundStrategy::GuardWithIf`]).
    fn prefetch(
        &mut self,
        source: &Func,
        at: &impl LoopVar,
        from: &impl LoopVar,
        offset: impl IntoExpr,
        bound: PrefetchBoundStrategy,
    ) -> Result<&mut Self> {
        prefetch(self, Some(source.handle()), None, at, from, offset, bound)
    }

    /// [`prefetch`](Self::prefetch) of an input image.
    fn prefetch_image(
        &mut self,
        source: &ImageParam,
        at: &impl LoopVar,
        from: &impl LoopVar,
        offset: impl IntoExpr,
        bound: PrefetchBoundStrategy,
    ) -> Result<&mut Self> {
        prefetch(self, None, Some(source.handle()), at, from, offset, bound)
    }

    /// Runs this definition from loop `var` inward (`Var::outermost()`:
    /// all of it) on a Hexagon DSP, for targets with `hvx`.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let mut f = Func::new("offloaded");
    /// f.define([&x], &x * 3)?;
    /// f.hexagon(&Var::outermost())?;
    /// let hvx: Target = "arm-64-android-hvx".parse()?;
    /// assert!(f.lowered_stmt(&hvx)?.contains("hexagon"));
    /// # Ok::<(), halide::Error>(())
    /// ```
    fn hexagon(&mut self, var: &impl LoopVar) -> Result<&mut Self> {
        let v = var.loop_var()?;
        directive(self, |s| shim!(sys::hl_stage_hexagon, s, &v))
    }
}

impl Schedule for Func {}
impl Schedule for Stage {}

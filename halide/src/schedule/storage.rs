//! Where a Func is computed and stored, and Func-wide directives: the
//! schedule of a Func as a whole, beside its loops' ([`Schedule`](super::Schedule)).

use super::loop_level::LoopLevel;
use super::loop_var::LoopVar;
use super::memory_type::MemoryType;
use super::tail::factor_expr;
use crate::convert::IntoExpr;
use crate::error::Result;
use crate::ffi::{self, Mutating, Ptrs, shim};
use crate::func::Func;
use crate::param::ImageParam;
use crate::var::Var;
use halide_runtime::DeviceApi;
use halide_sys as sys;

impl Func {
    /// Runs a Func-wide directive through the pointer that records a
    /// change (see `ffi`).
    fn directive(
        &mut self,
        f: impl FnOnce(Mutating<'_, sys::hl_func>) -> Result<bool>,
    ) -> Result<&mut Self> {
        f(self.handle().mutating())?;
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
        self.directive(|h| shim!(sys::hl_func_bound, h, var.handle(), mh, eh))
    }

    /// Computes this Func where `level` says: [`LoopLevel::root`] (once, in
    /// full), [`LoopLevel::inlined`], or inside a loop of a consumer.
    pub fn compute_at_level(&mut self, level: &LoopLevel) -> Result<&mut Self> {
        let l = level.handle()?;
        self.directive(|h| shim!(sys::hl_func_compute_at, h, l))
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
        let l = level.handle()?;
        self.directive(|h| shim!(sys::hl_func_store_at, h, l))
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
        let ptrs = Ptrs::new(vars.iter().map(|v| v.handle()));
        self.directive(|h| {
            let h = h.as_ptr();
            // SAFETY: the Func and the Vars are borrowed for the call; the
            // length is the array's.
            unsafe {
                ffi::call(|err| sys::hl_func_reorder_storage(h, ptrs.as_ptr(), ptrs.len(), err))
            }
        })
    }

    /// Stores only `extent` values along `var`, as a circular buffer, when
    /// consumers move forward along it (Halide checks that they do).
    pub fn fold_storage(&mut self, var: &Var, extent: impl IntoExpr) -> Result<&mut Self> {
        let e = factor_expr(extent)?;
        let eh = e.handle()?;
        self.directive(|h| shim!(sys::hl_func_fold_storage, h, var.handle(), eh, true))
    }

    /// [`fold_storage`](Self::fold_storage) for consumers that move
    /// backward along `var`.
    pub fn fold_storage_backward(&mut self, var: &Var, extent: impl IntoExpr) -> Result<&mut Self> {
        let e = factor_expr(extent)?;
        let eh = e.handle()?;
        self.directive(|h| shim!(sys::hl_func_fold_storage, h, var.handle(), eh, false))
    }

    /// Allocates this Func's storage where `level` says, at or outside the
    /// loop it is stored at, so that the realizations inside reuse one
    /// allocation. Halide's `hoist_storage`.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let [x, y] = Var::many(["x", "y"]);
    /// let mut f = Func::new("f");
    /// f.define([&x, &y], &x + &y)?;
    /// let mut g = Func::new("g");
    /// g.define([&x, &y], f.at((&x, &y)) * 2)?;
    /// f.compute_at(&g, &y)?.hoist_storage_root()?;
    /// assert_eq!(g.realize::<i32>(&[3, 2])?.as_slice(), &[0, 2, 4, 2, 4, 6]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn hoist_storage_at_level(&mut self, level: &LoopLevel) -> Result<&mut Self> {
        let l = level.handle()?;
        self.directive(|h| shim!(sys::hl_func_hoist_storage, h, l))
    }

    /// Hoists this Func's allocation to the loop over `var` of `consumer`
    /// (see [`hoist_storage_at_level`](Self::hoist_storage_at_level)).
    pub fn hoist_storage(&mut self, consumer: &Func, var: &impl LoopVar) -> Result<&mut Self> {
        self.hoist_storage_at_level(&LoopLevel::at(consumer, var))
    }

    /// Hoists this Func's allocation outside every loop.
    pub fn hoist_storage_root(&mut self) -> Result<&mut Self> {
        self.hoist_storage_at_level(&LoopLevel::root())
    }

    /// Bounds this Func's storage along `var` to `extent` values (a
    /// constant), where Halide cannot tell the extent itself; the pipeline
    /// fails if a realization needs more.
    pub fn bound_storage(&mut self, var: &Var, extent: impl IntoExpr) -> Result<&mut Self> {
        let e = factor_expr(extent)?;
        let eh = e.handle()?;
        self.directive(|h| shim!(sys::hl_func_bound_storage, h, var.handle(), eh))
    }

    /// Stores this Func in memory of the kind `memory`.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::MemoryType;
    /// let x = Var::new("x");
    /// let mut f = Func::new("f");
    /// f.define([&x], &x * 2)?;
    /// let mut g = Func::new("g");
    /// g.define([&x], f.at([&x]) + f.at([&x + 1]))?;
    /// f.compute_at(&g, &x)?.store_in(MemoryType::Stack)?;
    /// assert_eq!(g.realize::<i32>(&[3])?.as_slice(), &[2, 6, 10]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn store_in(&mut self, memory: MemoryType) -> Result<&mut Self> {
        let m = memory.to_raw();
        self.directive(|h| shim!(sys::hl_func_store_in, h, m))
    }

    /// Adds `tag` to this Func's trace: where its realizations or loads
    /// are traced, a tag event carrying it comes first (say, metadata for
    /// a trace visualizer).
    pub fn add_trace_tag(&mut self, tag: &str) -> Result<&mut Self> {
        let tag = ffi::c_string(tag)?;
        self.directive(|h| shim!(sys::hl_func_add_trace_tag, h, tag.as_c_str()))
    }

    /// Stores this Func in `buffers` allocations used in turn, so that a
    /// producer computed asynchronously can fill one while its consumer
    /// reads another. Needs [`hoist_storage`](Self::hoist_storage).
    pub fn ring_buffer(&mut self, buffers: impl IntoExpr) -> Result<&mut Self> {
        let b = factor_expr(buffers)?;
        let bh = b.handle()?;
        self.directive(|h| shim!(sys::hl_func_ring_buffer, h, bh))
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
        self.directive(|h| shim!(sys::hl_func_align_bounds, h, var.handle(), mh, rh))
    }

    /// Widens the region computed along `var` to a multiple of `modulus`
    /// values (its start unchanged).
    pub fn align_extent(&mut self, var: &Var, modulus: impl IntoExpr) -> Result<&mut Self> {
        let m = factor_expr(modulus)?;
        let mh = m.handle()?;
        self.directive(|h| shim!(sys::hl_func_align_extent, h, var.handle(), mh))
    }

    /// Promises that this Func is computed over exactly `extent` values
    /// along `var`, wherever it starts (a constant extent makes loops and
    /// allocations of known size).
    ///
    /// ```
    /// use halide::prelude::*;
    /// let [x, y] = Var::many(["x", "y"]);
    /// let mut f = Func::new("f");
    /// f.define([&x, &y], &x + &y)?;
    /// f.bound_extent(&x, 4)?.align_extent(&y, 2)?;
    /// assert_eq!(f.realize::<i32>(&[4, 2])?.as_slice(), &[0, 1, 2, 3, 1, 2, 3, 4]);
    /// assert!(f.realize::<i32>(&[5, 2]).is_err());
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn bound_extent(&mut self, var: &Var, extent: impl IntoExpr) -> Result<&mut Self> {
        let e = factor_expr(extent)?;
        let eh = e.handle()?;
        self.directive(|h| shim!(sys::hl_func_bound_extent, h, var.handle(), eh))
    }

    /// Rounds the extent of this Func's storage along `var` up to a
    /// multiple of `alignment`.
    pub fn align_storage(&mut self, var: &Var, alignment: impl IntoExpr) -> Result<&mut Self> {
        let a = factor_expr(alignment)?;
        let ah = a.handle()?;
        self.directive(|h| shim!(sys::hl_func_align_storage, h, var.handle(), ah))
    }

    fn flag(&mut self, flag: sys::hl_func_flag) -> Result<&mut Self> {
        self.directive(|h| shim!(sys::hl_func_set_flag, h, flag))
    }

    /// Caches this Func's values across realizations (for compute_root
    /// Funcs whose inputs rarely change).
    pub fn memoize(&mut self) -> Result<&mut Self> {
        self.flag(sys::hl_func_flag::HL_FUNC_MEMOIZE)
    }

    /// [`memoize`](Self::memoize), with the cache entries tagged by `key`
    /// (evaluated per realization), so the runtime's
    /// `halide_memoization_cache_evict` can drop them by that key.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let (mut cached, mut out) = (Func::new("cached"), Func::new("out"));
    /// cached.define([&x], &x * 2)?;
    /// cached.compute_root()?.memoize_with_key(7u64)?;
    /// out.define([&x], cached.at([&x]) + 1)?;
    /// assert_eq!(out.realize::<i32>(&[3])?.as_slice(), &[1, 3, 5]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn memoize_with_key(&mut self, key: impl IntoExpr) -> Result<&mut Self> {
        let key = key.into_expr();
        let kh = key.handle()?;
        self.directive(|h| shim!(sys::hl_func_memoize_with_key, h, kh))
    }

    /// Makes this Func, defined as a plain copy of another Func or an
    /// input, a copy of that data to the GPU of `api` (`None`: the
    /// target's), done by the device API's copy instead of a kernel.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let [x, bx, tx] = Var::many(["x", "bx", "tx"]);
    /// let input = ImageParam::new::<f32>(1, "input");
    /// let (mut up, mut on_gpu, mut down) = (Func::new("up"), Func::new("on_gpu"), Func::new("down"));
    /// up.define([&x], input.at([&x]))?;
    /// up.compute_root()?.copy_to_device(None)?;
    /// on_gpu.define([&x], up.at([&x]) * 2.0f32)?;
    /// on_gpu.compute_root()?.gpu_tile(&[halide::GpuTile { var: &x, block: &bx, thread: &tx, size: 64 }])?;
    /// down.define([&x], on_gpu.at([&x]))?;
    /// down.copy_to_host()?;
    /// // Lowered (no GPU needed): both copies are the device API's.
    /// let stmt = down.lowered_stmt(&Target::host()?.with_feature("opencl")?)?;
    /// assert_eq!(stmt.matches("halide_buffer_copy(").count(), 2, "{stmt}");
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn copy_to_device(&mut self, api: Option<DeviceApi>) -> Result<&mut Self> {
        let api = api.map(|a| ffi::c_string(a.feature())).transpose()?;
        self.directive(|h| shim!(sys::hl_func_copy_to_device, h, api.as_deref()))
    }

    /// [`copy_to_device`](Self::copy_to_device)'s opposite: a copy of the
    /// data back to host memory.
    pub fn copy_to_host(&mut self) -> Result<&mut Self> {
        self.flag(sys::hl_func_flag::HL_FUNC_COPY_TO_HOST)
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
        // The consumers' calls change too: each pointer records a change.
        let consumers: Vec<_> = consumers.iter().map(|f| f.handle().mutating()).collect();
        let ptrs: Vec<*mut sys::hl_func> = consumers.iter().map(Mutating::as_ptr).collect();
        let h = self.handle().mutating();
        // SAFETY: this Func and the consumers are borrowed for the call; the
        // length is the array's.
        let handle = unsafe {
            ffi::call(|err| sys::hl_func_wrapper(h.as_ptr(), ptrs.as_ptr(), ptrs.len(), clone, err))
        }?;
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
}

/// Scheduling an input's loads: Halide's `ImageParam::in` and
/// `ImageParam::trace_loads`.
impl crate::ImageParam {
    /// A wrapper Func that `consumers` (all of them, for an empty slice)
    /// read this input through, with a schedule of its own: say, to copy a
    /// tile of the input into a local buffer before a stencil reads it.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let (x, y) = (Var::new("x"), Var::new("y"));
    /// let input = ImageParam::new::<u8>(2, "input");
    /// let mut f = Func::new("f");
    /// f.define([&x, &y], input.at((&x, &y)).cast::<u16>() + input.at((&x + 1, &y)))?;
    /// let mut staged = input.in_(&[])?;
    /// staged.compute_at(&f, &y)?; // one row of the input at a time
    /// assert!(f.lowered_stmt(&Target::host()?)?.contains("produce input_im"));
    /// let data: Vec<u8> = (0..12).collect();
    /// let out = f.realize_with::<u16>(&[3, 3], &[input.bind(&BufferRef::new(&data, &[4, 3])?)])?;
    /// assert_eq!(out.get(&[2, 1]), Some(6 + 7));
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn in_(&self, consumers: &[&Func]) -> Result<Func> {
        let consumers: Vec<_> = consumers.iter().map(|f| f.handle().mutating()).collect();
        let ptrs: Vec<*mut sys::hl_func> = consumers.iter().map(Mutating::as_ptr).collect();
        let p = self.handle().mutating();
        // SAFETY: the input and the consumers are borrowed for the call;
        // the length is the array's.
        let handle = unsafe {
            ffi::call(|err| sys::hl_image_param_wrapper(p.as_ptr(), ptrs.as_ptr(), ptrs.len(), err))
        }?;
        Ok(Func::from_handle(handle))
    }

    /// Reports every load from this input to the trace handler.
    pub fn trace_loads(&self) -> Result<()> {
        shim!(sys::hl_image_param_trace_loads, self.handle().mutating())?;
        Ok(())
    }
}

impl ImageParam {
    /// Where the buffers passed for this input live, for GPU targets
    /// (e.g. [`MemoryType::GpuTexture`]).
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::MemoryType;
    /// let input = ImageParam::new::<f32>(2, "input");
    /// assert_eq!(input.memory_type()?, MemoryType::Auto);
    /// input.store_in(MemoryType::GpuTexture)?;
    /// assert_eq!(input.memory_type()?, MemoryType::GpuTexture);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn store_in(&self, memory: MemoryType) -> Result<()> {
        shim!(
            sys::hl_image_param_store_in,
            self.handle().mutating(),
            memory.to_raw()
        )
        .map(drop)
    }

    /// The memory [`store_in`](Self::store_in) chose.
    pub fn memory_type(&self) -> Result<MemoryType> {
        MemoryType::from_raw(shim!(sys::hl_image_param_memory_type, self.handle())?)
    }
}

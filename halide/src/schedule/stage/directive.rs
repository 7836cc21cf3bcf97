//! How the [`Schedule`] methods reach the shim: each directive on a
//! stage, through the pointer that records a change (see `ffi`).

use super::super::loop_level::LoopLevel;
use super::super::loop_var::{GpuTile, LoopVar, LoopVars};
use super::super::partition::Partition;
use super::super::strategy::{LoopAlignStrategy, PrefetchBoundStrategy};
use super::super::tail::{TailStrategy, factor_expr};
use super::super::tile::Tile;
use super::Schedule;
use crate::convert::IntoExpr;
use crate::error::Result;
use crate::expr::{Expr, raw_ptrs};
use crate::ffi::{self, Handle, Mutating, Ptrs, shim};
use crate::func::{Func, FuncHandle};
use crate::rdom::RVar;
use crate::var::Var;
use halide_runtime::DeviceApi;
use halide_sys as sys;
use std::ffi::{CString, c_char};

/// Runs a directive on `s`'s stage, through the pointer that records a
/// change (see `ffi`).
pub(super) fn directive<S: Schedule>(
    s: &mut S,
    f: impl FnOnce(Mutating<'_, sys::hl_stage>) -> Result<bool>,
) -> Result<&mut S> {
    s.with_stage(|h| f(h.mutating()))?;
    Ok(s)
}

pub(super) fn loop_directive<'s, S: Schedule>(
    s: &'s mut S,
    kind: sys::hl_loop_kind,
    var: &impl LoopVar,
    factor: Option<Expr>,
) -> Result<&'s mut S> {
    loop_directive_with_tail(s, kind, var, factor, TailStrategy::Auto)
}

pub(super) fn loop_directive_with_tail<'s, S: Schedule>(
    s: &'s mut S,
    kind: sys::hl_loop_kind,
    var: &impl LoopVar,
    factor: Option<Expr>,
    tail: TailStrategy,
) -> Result<&'s mut S> {
    let factor = factor.as_ref().map(Expr::handle).transpose()?;
    let (v, tail) = (var.loop_var()?, tail.to_raw());
    directive(s, |h| shim!(sys::hl_stage_loop, h, kind, &v, factor, tail))
}

pub(super) fn partition_each<'s, S: Schedule>(
    s: &'s mut S,
    vars: &[&dyn LoopVar],
    policy: Partition,
) -> Result<&'s mut S> {
    let vars = vars
        .iter()
        .map(|v| v.loop_var())
        .collect::<Result<Vec<_>>>()?;
    let policy = policy.to_raw();
    for v in &vars {
        directive(&mut *s, |h| shim!(sys::hl_stage_partition, h, v, policy))?;
    }
    Ok(s)
}

pub(super) fn partition_all<S: Schedule>(s: &mut S, policy: Partition) -> Result<&mut S> {
    let policy = policy.to_raw();
    directive(s, |h| shim!(sys::hl_stage_partition_all, h, policy))
}

/// The loops a tiling splits, the outer and inner loops they become, and
/// the factors, as the shim takes them (all of one length).
struct Tiling {
    vars: LoopVars,
    outers: LoopVars,
    inners: LoopVars,
    factors: Vec<Expr>,
}

impl Tiling {
    /// The tiling of `tiles`, each giving its loop, outer and inner loop and
    /// factor through `parts`.
    fn new<'a, T>(tiles: &'a [T], parts: impl Fn(&'a T) -> Parts<'a>) -> Result<Tiling> {
        let split: Vec<Parts<'a>> = tiles.iter().map(parts).collect();
        Ok(Tiling {
            vars: LoopVars::new(&split.iter().map(|p| p.0).collect::<Vec<_>>())?,
            outers: LoopVars::new(&split.iter().map(|p| p.1).collect::<Vec<_>>())?,
            inners: LoopVars::new(&split.iter().map(|p| p.2).collect::<Vec<_>>())?,
            factors: split.iter().map(|p| Expr::from(p.3)).collect(),
        })
    }
}

/// One tile: its loop, outer loop, inner loop and factor.
type Parts<'a> = (&'a dyn LoopVar, &'a dyn LoopVar, &'a dyn LoopVar, i32);

pub(super) fn tile_many<'s, S: Schedule>(s: &'s mut S, tiles: &[Tile<'_>]) -> Result<&'s mut S> {
    let t = Tiling::new(tiles, |t| (t.var, t.outer, t.inner, t.factor))?;
    let factors = raw_ptrs(&t.factors)?;
    let tails: Vec<_> = tiles.iter().map(|t| t.tail.to_raw()).collect();
    directive(s, |h| {
        let h = h.as_ptr();
        // SAFETY: the stage, the names and the factors are borrowed for the
        // call; all five arrays have tiles.len() elements.
        unsafe {
            ffi::call(|err| {
                sys::hl_stage_tile_n(
                    h,
                    t.vars.raw.as_ptr(),
                    t.outers.raw.as_ptr(),
                    t.inners.raw.as_ptr(),
                    factors.as_ptr(),
                    tails.as_ptr(),
                    tiles.len(),
                    err,
                )
            })
        }
    })
}

/// The shim's name for the device API of a GPU directive: none for the
/// target's default.
fn api_name(api: Option<DeviceApi>) -> Result<Option<CString>> {
    api.map(|a| ffi::c_string(a.feature())).transpose()
}

fn name_ptr(name: &Option<CString>) -> *const c_char {
    name.as_ref().map_or(std::ptr::null(), |n| n.as_ptr())
}

pub(super) fn gpu_directive<'s, S: Schedule>(
    s: &'s mut S,
    kind: sys::hl_gpu_loop,
    vars: &[&dyn LoopVar],
    api: Option<DeviceApi>,
) -> Result<&'s mut S> {
    let vars = LoopVars::new(vars)?;
    let api = api_name(api)?;
    directive(s, |h| {
        let h = h.as_ptr();
        // SAFETY: the stage, the names and the API's name are borrowed for
        // the call; the length is the array's.
        unsafe {
            ffi::call(|err| {
                sys::hl_stage_gpu(h, kind, vars.raw.as_ptr(), vars.len(), name_ptr(&api), err)
            })
        }
    })
}

pub(super) fn gpu_tile<'s, S: Schedule>(
    s: &'s mut S,
    tiles: &[GpuTile<'_>],
    api: Option<DeviceApi>,
    tail: TailStrategy,
) -> Result<&'s mut S> {
    let t = Tiling::new(tiles, |t| (t.var, t.block, t.thread, t.size))?;
    let sizes = raw_ptrs(&t.factors)?;
    let (tail, api) = (tail.to_raw(), api_name(api)?);
    directive(s, |h| {
        let h = h.as_ptr();
        // SAFETY: the stage, the names, the sizes and the API's name are
        // borrowed for the call; all four arrays have tiles.len() elements.
        unsafe {
            ffi::call(|err| {
                sys::hl_stage_gpu_tile(
                    h,
                    t.vars.raw.as_ptr(),
                    t.outers.raw.as_ptr(),
                    t.inners.raw.as_ptr(),
                    sizes.as_ptr(),
                    tiles.len(),
                    tail,
                    name_ptr(&api),
                    err,
                )
            })
        }
    })
}

pub(super) fn gpu_single_thread<S: Schedule>(s: &mut S, api: Option<DeviceApi>) -> Result<&mut S> {
    let api = api_name(api)?;
    directive(s, |h| {
        let h = h.as_ptr();
        // SAFETY: the stage and the API's name are borrowed for the call.
        unsafe { ffi::call(|err| sys::hl_stage_gpu_single_thread(h, name_ptr(&api), err)) }
    })
}

pub(super) fn prefetch<'s, S: Schedule>(
    s: &'s mut S,
    func: Option<&FuncHandle>,
    image: Option<&Handle<sys::hl_image_param>>,
    at: &impl LoopVar,
    from: &impl LoopVar,
    offset: impl IntoExpr,
    bound: PrefetchBoundStrategy,
) -> Result<&'s mut S> {
    let offset = factor_expr(offset)?;
    let oh = offset.handle()?;
    let (at, from) = (at.loop_var()?, from.loop_var()?);
    directive(s, |h| {
        shim!(
            sys::hl_stage_prefetch,
            h,
            func,
            image,
            &at,
            &from,
            oh,
            bound.to_raw()
        )
    })
}

pub(super) fn compute_with<'s, S: Schedule>(
    s: &'s mut S,
    level: &LoopLevel,
    align: &[(&dyn LoopVar, LoopAlignStrategy)],
) -> Result<&'s mut S> {
    let l = level.handle()?;
    let vars: Vec<&dyn LoopVar> = align.iter().map(|(v, _)| *v).collect();
    let vars = LoopVars::new(&vars)?;
    let aligns: Vec<_> = align.iter().map(|(_, a)| a.to_raw()).collect();
    directive(s, |s| {
        let (s, l) = (s.as_ptr(), l.as_ptr());
        // SAFETY: the stage, level and both arrays (of one length) are
        // borrowed for the call.
        unsafe {
            ffi::call(|err| {
                sys::hl_stage_compute_with(
                    s,
                    l,
                    vars.raw.as_ptr(),
                    aligns.as_ptr(),
                    vars.len(),
                    err,
                )
            })
        }
    })
}

pub(super) fn rfactor<S: Schedule>(s: &mut S, preserved: &[(&RVar, &Var)]) -> Result<Func> {
    let rvars = LoopVars::new(
        &preserved
            .iter()
            .map(|(r, _)| *r as &dyn LoopVar)
            .collect::<Vec<_>>(),
    )?;
    let vars = Ptrs::new(preserved.iter().map(|(_, v)| v.handle()));
    let handle = s.with_stage(|s| {
        let s = s.mutating();
        // SAFETY: the stage, the names and the Vars are borrowed for the
        // call; both arrays have preserved.len() elements.
        unsafe {
            ffi::call(|err| {
                sys::hl_stage_rfactor(
                    s.as_ptr(),
                    rvars.raw.as_ptr(),
                    vars.as_ptr(),
                    preserved.len(),
                    err,
                )
            })
        }
    })?;
    Ok(Func::from_handle(handle))
}

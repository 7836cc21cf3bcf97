//! How the [`Schedule`] methods reach the shim: each directive on a
//! stage, through the pointer that records a change (see `ffi`).

use super::super::loop_var::{LoopVar, LoopVars};
use super::super::partition::Partition;
use super::super::tail::{TailStrategy, factor_expr};
use super::Schedule;
use crate::convert::IntoExpr;
use crate::error::Result;
use crate::expr::Expr;
use crate::ffi::{self, Handle, Mutating, shim};
use crate::func::FuncHandle;
use halide_sys as sys;

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

pub(super) fn gpu_directive<'s, S: Schedule>(
    s: &'s mut S,
    kind: sys::hl_gpu_loop,
    vars: &[&dyn LoopVar],
) -> Result<&'s mut S> {
    let vars = LoopVars::new(vars)?;
    directive(s, |h| {
        let h = h.as_ptr();
        // SAFETY: the stage and the names are borrowed for the call; the
        // length is the array's.
        unsafe { ffi::call(|err| sys::hl_stage_gpu(h, kind, vars.raw.as_ptr(), vars.len(), err)) }
    })
}

pub(super) fn prefetch<'s, S: Schedule>(
    s: &'s mut S,
    func: Option<&FuncHandle>,
    image: Option<&Handle<sys::hl_image_param>>,
    at: &impl LoopVar,
    from: &impl LoopVar,
    offset: impl IntoExpr,
) -> Result<&'s mut S> {
    let offset = factor_expr(offset)?;
    let oh = offset.handle()?;
    let (at, from) = (at.loop_var()?, from.loop_var()?);
    directive(s, |h| {
        shim!(sys::hl_stage_prefetch, h, func, image, &at, &from, oh)
    })
}

//! Reduction domains: the iteration spaces of update definitions.

use crate::error::{Error, Result};
use crate::expr::{Expr, ExprHandle, IntoExpr, IntoOperand, Operand, raw_ptrs};
use crate::ffi::{self, handle};
use halide_sys as sys;
use std::borrow::Cow;
use std::fmt;

handle!(RDomHandle, sys::hl_rdom, sys::hl_rdom_free);

/// A reduction domain: the (possibly multi-dimensional, possibly
/// predicated) range an update definition iterates over, in order.
///
/// ```
/// use halide::prelude::*;
/// let x = Var::new("x");
/// let input = ImageParam::new::<u8>(1, "input");
/// let r = RDom::new("r", [(0, 6)])?;
/// let mut histogram = Func::new("histogram");
/// histogram.define([&x], 0)?;
/// let bin = input.at([r.x()]).cast::<i32>() / 100;
/// histogram.update([bin.clone()], histogram.at([bin]) + 1)?;
/// let data = [5u8, 150, 250, 99, 100, 255];
/// let hist = histogram.realize_with::<i32>(&[3], &[input.bind(&BufferRef::new(&data, &[6])?)])?;
/// assert_eq!(hist.as_slice(), &[2, 2, 2]);
/// # Ok::<(), halide::Error>(())
/// ```
pub struct RDom {
    handle: RDomHandle,
    /// One variable per dimension, made once so that borrowing them is free.
    vars: Vec<Expr>,
    name: String,
}

impl RDom {
    /// A domain over `[min, min + extent)` in each dimension, iterated with
    /// the first dimension innermost.
    pub fn new<A: IntoExpr, B: IntoExpr>(
        name: &str,
        ranges: impl IntoIterator<Item = (A, B)>,
    ) -> Result<Self> {
        let (mins, extents): (Vec<Expr>, Vec<Expr>) = ranges
            .into_iter()
            .map(|(m, e)| (m.into_expr(), e.into_expr()))
            .unzip();
        if mins.is_empty() {
            return Err(Error::invalid("an RDom needs at least one dimension"));
        }
        let min_ptrs = raw_ptrs(&mins)?;
        let extent_ptrs = raw_ptrs(&extents)?;
        let c = ffi::c_string(name)?;
        // SAFETY: every pointer is to a live expression or string borrowed for the call.
        let handle = RDomHandle::new(|err| unsafe {
            sys::hl_rdom_new(
                min_ptrs.as_ptr(),
                extent_ptrs.as_ptr(),
                min_ptrs.len(),
                c.as_ptr(),
                err,
            )
        })?;
        let vars = (0..mins.len() as i32)
            .map(|i| {
                // SAFETY: handle is live and i is one of its dimensions.
                Expr::from_result(ExprHandle::new(|err| unsafe {
                    sys::hl_rdom_var(handle.as_ptr(), i, err)
                }))
            })
            .collect();
        Ok(RDom {
            handle,
            vars,
            name: name.to_owned(),
        })
    }

    /// The number of dimensions.
    pub fn dimensions(&self) -> usize {
        self.vars.len()
    }

    /// The variable of dimension `i`; an expression carrying an error if
    /// the domain has no such dimension.
    pub fn var(&self, i: usize) -> Expr {
        self.vars.get(i).cloned().unwrap_or_else(|| {
            Expr::from_result(Err(Error::invalid(format!(
                "RDom {} has {} dimensions, not {}",
                self.name,
                self.vars.len(),
                i + 1
            ))))
        })
    }

    /// The variable of dimension 0.
    pub fn x(&self) -> Expr {
        self.var(0)
    }

    /// The variable of dimension 1.
    pub fn y(&self) -> Expr {
        self.var(1)
    }

    /// The variable of dimension 2.
    pub fn z(&self) -> Expr {
        self.var(2)
    }

    /// The variable of dimension 3.
    pub fn w(&self) -> Expr {
        self.var(3)
    }

    /// Restricts the domain to the points where `predicate` holds (Halide's
    /// `RDom::where`). Call it before using the domain in a definition.
    pub fn where_(&mut self, predicate: impl IntoExpr) -> Result<&mut Self> {
        let p = predicate.into_expr();
        let h = p.handle()?;
        // SAFETY: both handles are live.
        ffi::call(|err| unsafe { sys::hl_rdom_where(self.handle.as_ptr(), h.as_ptr(), err) })?;
        Ok(self)
    }

    /// The domain as one expression: its only variable, for 1-D domains.
    fn as_expr(&self) -> Cow<'_, Expr> {
        match self.vars.as_slice() {
            [only] => Cow::Borrowed(only),
            _ => Cow::Owned(Expr::from_result(Err(Error::invalid(format!(
                "RDom {} has {} dimensions; use .x(), .y(), ... to pick one",
                self.name,
                self.vars.len()
            ))))),
        }
    }
}

impl fmt::Debug for RDom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RDom({}, {} dimensions)", self.name, self.vars.len())
    }
}

impl IntoExpr for &RDom {
    fn into_expr(self) -> Expr {
        self.as_expr().into_owned()
    }
}

impl<'a> IntoOperand<'a> for &'a RDom {
    fn into_operand(self) -> Operand<'a> {
        Operand::Expr(self.as_expr())
    }
}

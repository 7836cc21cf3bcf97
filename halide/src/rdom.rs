//! Reduction domains: the iteration spaces of update definitions.

use crate::convert::{IntoExpr, IntoOperand, Operand, holds_expr};
use crate::error::{Error, Result};
use crate::expr::{Expr, raw_ptrs};
use crate::ffi::{self, Handle, shim};
use crate::param::ImageParam;
use halide_runtime::HalideBuffer;
use halide_sys as sys;
use std::borrow::Cow;
use std::fmt;

type RDomHandle = Handle<sys::hl_rdom>;

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
    vars: Vec<RVar>,
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
        // SAFETY: both arrays' expressions and the name are borrowed for the
        // call; both arrays have the length given (one range per dimension).
        let handle = unsafe {
            ffi::call(|err| {
                sys::hl_rdom_new(
                    min_ptrs.as_ptr(),
                    extent_ptrs.as_ptr(),
                    min_ptrs.len(),
                    c.as_ptr(),
                    err,
                )
            })
        }?;
        Self::from_handle(handle, name)
    }

    /// A domain over every element of the buffer `image` is given, its
    /// dimensions in order.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let image = ImageParam::new::<i32>(2, "image");
    /// let r = RDom::over_image(&image, "r")?;
    /// let mut total = Func::new("total");
    /// total.define(Vec::<Var>::new(), 0)?;
    /// total.update(Vec::<Expr>::new(), total.at(Vec::<Expr>::new()) + image.at([r.x(), r.y()]))?;
    /// let data: Vec<i32> = (1..=6).collect();
    /// let input = BufferRef::new(&data, &[3, 2])?;
    /// let out = total.realize_with::<i32>(&[], &[image.bind(&input)])?;
    /// assert_eq!(out.as_slice(), &[21]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn over_image(image: &ImageParam, name: &str) -> Result<Self> {
        let c = ffi::c_string(name)?;
        let handle = shim!(sys::hl_rdom_from_image_param, image.handle(), c.as_c_str())?;
        Self::from_handle(handle, name)
    }

    /// A domain over the region `buffer` covers (its mins and extents,
    /// fixed now).
    pub fn over_buffer(buffer: &impl HalideBuffer, name: &str) -> Result<Self> {
        RDom::new(name, buffer.raw().dims().iter().map(|d| (d.min, d.extent)))
    }

    fn from_handle(handle: RDomHandle, name: &str) -> Result<Self> {
        let n = shim!(sys::hl_rdom_dimensions, &handle)?;
        let vars = (0..n)
            .map(|i| {
                let expr = Expr::from_result(shim!(sys::hl_rdom_var, &handle, i));
                let name = shim!(sys::hl_rdom_var_name, &handle, i)?;
                let bound =
                    |extent| Expr::from_result(shim!(sys::hl_rdom_bound, &handle, i, extent));
                let bounds = Some(Box::new((bound(false), bound(true))));
                Ok(RVar { expr, name, bounds })
            })
            .collect::<Result<Vec<_>>>()?;
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

    /// The variable of dimension `i`; one carrying an error if the domain
    /// has no such dimension.
    pub fn var(&self, i: usize) -> RVar {
        self.vars.get(i).cloned().unwrap_or_else(|| RVar {
            expr: Expr::from_result(Err(Error::invalid(format!(
                "RDom {} has {} dimensions, not {}",
                self.name,
                self.vars.len(),
                i + 1
            )))),
            name: String::new(),
            bounds: None,
        })
    }

    /// The variable of dimension 0.
    pub fn x(&self) -> RVar {
        self.var(0)
    }

    /// The variable of dimension 1.
    pub fn y(&self) -> RVar {
        self.var(1)
    }

    /// The variable of dimension 2.
    pub fn z(&self) -> RVar {
        self.var(2)
    }

    /// The variable of dimension 3.
    pub fn w(&self) -> RVar {
        self.var(3)
    }

    pub(crate) fn handle(&self) -> &RDomHandle {
        &self.handle
    }

    /// Whether `other` is this same domain, not an equal one made apart.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let r = RDom::new("r", [(0, 4)])?;
    /// assert!(r.same_as(&r)?);
    /// assert!(!r.same_as(&RDom::new("r", [(0, 4)])?)?);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn same_as(&self, other: &RDom) -> Result<bool> {
        shim!(sys::hl_rdom_same_as, &self.handle, &other.handle)
    }

    /// Restricts the domain to the points where `predicate` holds (Halide's
    /// `RDom::where`). Call it before using the domain in a definition.
    pub fn where_(&mut self, predicate: impl IntoExpr) -> Result<&mut Self> {
        let p = predicate.into_expr();
        shim!(sys::hl_rdom_where, self.handle.mutating(), p.handle()?)?;
        Ok(self)
    }

    /// The domain as one expression: its only variable, for 1-D domains.
    fn as_expr(&self) -> Cow<'_, Expr> {
        match self.vars.as_slice() {
            [only] => Cow::Borrowed(&only.expr),
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

/// A variable of a reduction domain, or a name for the loops scheduling
/// makes of one (see [`RVar::new`]).
///
/// It is an expression inside definitions and a loop in schedules:
///
/// ```
/// use halide::prelude::*;
/// let x = Var::new("x");
/// let r = RDom::new("r", [(0, 100)])?;
/// let mut total = Func::new("total");
/// total.define([&x], 0)?;
/// total.update([&x], total.at([&x]) + r.x() * &x)?;
/// // Split the reduction loop; its pieces are RVars too.
/// let (ro, ri) = (RVar::new("ro"), RVar::new("ri"));
/// total.update_stage(0)?.split(&r.x(), &ro, &ri, 10)?;
/// assert_eq!(total.realize::<i32>(&[3])?.as_slice(), &[0, 4950, 9900]);
/// # Ok::<(), halide::Error>(())
/// ```
#[derive(Clone)]
pub struct RVar {
    expr: Expr,
    name: String,
    /// The first value and the number of values, for a domain's variable.
    bounds: Option<Box<(Expr, Expr)>>,
}

impl RVar {
    /// A name for a loop that splitting or fusing reduction loops makes.
    /// It is not an expression: using it in one is an error.
    pub fn new(name: &str) -> Self {
        RVar {
            expr: Expr::from_result(Err(Error::invalid(format!(
                "RVar {name} names a loop of a schedule, not a reduction domain's variable"
            )))),
            name: name.to_owned(),
            bounds: None,
        }
    }

    /// The domain variable `expr` (a variable expression, its name its
    /// text) with its bounds.
    pub(crate) fn from_parts(expr: Expr, min: Expr, extent: Expr) -> Self {
        RVar {
            name: expr.to_string(),
            expr,
            bounds: Some(Box::new((min, extent))),
        }
    }

    /// The variable's name (`r$x` for dimension 0 of an RDom `r`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The variable as an expression.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// The first value the variable takes; for an RVar that only names a
    /// loop ([`RVar::new`]), an expression carrying that error.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let n = Param::<i32>::new("n");
    /// let r = RDom::new("r", [(2, n.expr() * 3)])?;
    /// assert_eq!(r.x().min().to_string(), "2");
    /// assert_eq!(r.x().extent().to_string(), "(n*3)");
    /// assert!(RVar::new("ro").min().check().is_err());
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn min(&self) -> Expr {
        self.bound(|b| &b.0)
    }

    /// How many values the variable takes (see [`min`](Self::min)).
    pub fn extent(&self) -> Expr {
        self.bound(|b| &b.1)
    }

    fn bound(&self, pick: fn(&(Expr, Expr)) -> &Expr) -> Expr {
        match &self.bounds {
            Some(b) => pick(b).clone(),
            None => Expr::from_result(Err(Error::invalid(format!(
                "RVar {} is not a reduction domain's variable: it has no bounds",
                self.name
            )))),
        }
    }

    /// The name, after checking that the variable is valid (a free RVar's
    /// error only matters in expressions).
    pub(crate) fn checked_name(&self) -> Result<&str> {
        if self.name.is_empty() {
            self.expr.check()?;
        }
        Ok(&self.name)
    }
}

impl fmt::Debug for RVar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RVar({})", self.name)
    }
}

holds_expr!(RVar, expr);

//! Automatic differentiation: the adjoints (gradients) of a pipeline's
//! output with respect to every Func, input and param it depends on, as
//! Funcs that schedule and realize like any other (Halide's
//! `Derivative.h`, reverse mode).
//!
//! ```
//! use halide::prelude::*;
//! use halide::derivative::propagate_adjoints;
//! // loss = Σ (w·x(i))², i in [0, 4), for x(i) = i: dloss/dw = 2·w·Σ i² = 28·w.
//! let i = Var::new("i");
//! let w = Param::<f32>::new("w");
//! let mut x = Func::new("x");
//! x.define([&i], i.expr().cast::<f32>())?;
//! let mut loss = Func::new("loss");
//! let r = RDom::new("r", [(0, 4)])?;
//! let term = &w * x.at([&r.x()]);
//! loss.define([] as [&Var; 0], 0.0f32)?;
//! loss.update([] as [Expr; 0], loss.at([] as [Expr; 0]) + &term * &term)?;
//!
//! let d = propagate_adjoints(&loss)?;
//! let mut dw = d.of_param(&w)?;
//! w.set(3.0)?;
//! let grad = dw.realize::<f32>(&[])?;
//! assert_eq!(grad.as_slice(), &[28.0 * 3.0]);
//! # Ok::<(), halide::Error>(())
//! ```

use crate::error::Result;
use crate::expr::{Expr, raw_ptrs};
use crate::ffi::{self, Handle, shim};
use crate::func::Func;
use crate::param::{DynParam, ImageParam};
use halide_sys as sys;

/// The adjoints of one output, found by [`propagate_adjoints`] or
/// [`propagate_adjoints_from`].
pub struct Derivative {
    handle: Handle<sys::hl_derivative>,
    /// The output differentiated, for messages.
    output: String,
}

impl std::fmt::Debug for Derivative {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Derivative(of {})", self.output)
    }
}

/// Back-propagates from a scalar (zero-dimensional) `output`, a loss, seeded
/// with 1. An output with dimensions is an error: it needs an adjoint over
/// a region ([`propagate_adjoints_from`]).
pub fn propagate_adjoints(output: &Func) -> Result<Derivative> {
    let dimensions = output.dimensions()?;
    if dimensions != 0 {
        return Err(crate::Error::invalid(format!(
            "propagate_adjoints: {} has {dimensions} dimensions; a loss is zero-dimensional \
             (use propagate_adjoints_from with an adjoint and the region it covers)",
            output.name()
        )));
    }
    propagate(output, None, &[])
}

/// Back-propagates `adjoint`, the gradient of something with respect to
/// `output`, defined over `bounds` (one `(min, extent)` per dimension of
/// `output`).
///
/// ```
/// use halide::prelude::*;
/// use halide::derivative::propagate_adjoints_from;
/// // out(x) = in(x)²; with the adjoint 1 everywhere, d/din = 2·in.
/// let x = Var::new("x");
/// let input = ImageParam::new::<f32>(1, "input");
/// let mut out = Func::new("out");
/// out.define([&x], input.at([&x]) * input.at([&x]))?;
/// let mut ones = Func::new("ones");
/// ones.define([&x], 1.0f32)?;
/// let d = propagate_adjoints_from(&out, &ones, &[(0.into(), 3.into())])?;
/// let mut din = d.of_input(&input)?;
/// let data = [1.0f32, 2.0, 3.0];
/// let grad = din.realize_with::<f32>(&[3], &[input.bind(&BufferRef::new(&data, &[3])?)])?;
/// assert_eq!(grad.as_slice(), &[2.0, 4.0, 6.0]);
/// # Ok::<(), halide::Error>(())
/// ```
pub fn propagate_adjoints_from(
    output: &Func,
    adjoint: &Func,
    bounds: &[(Expr, Expr)],
) -> Result<Derivative> {
    propagate(output, Some(adjoint), bounds)
}

fn propagate(output: &Func, adjoint: Option<&Func>, bounds: &[(Expr, Expr)]) -> Result<Derivative> {
    let mins = raw_ptrs(bounds.iter().map(|(m, _)| m))?;
    let extents = raw_ptrs(bounds.iter().map(|(_, e)| e))?;
    let adjoint = adjoint.map_or(std::ptr::null(), |a| a.handle().as_ptr());
    // SAFETY: the Funcs (adjoint may be null, which the shim accepts) and
    // the bound expressions are borrowed for the call; both arrays have
    // bounds.len() elements.
    unsafe {
        ffi::call(|err| {
            sys::hl_propagate_adjoints(
                output.handle().as_ptr(),
                adjoint,
                mins.as_ptr(),
                extents.as_ptr(),
                bounds.len(),
                err,
            )
        })
    }
    .map(|handle| Derivative {
        handle,
        output: output.name(),
    })
}

impl Derivative {
    /// The adjoint of `f` (of its pure definition): how the output changes
    /// with `f`'s values. An error where the output does not depend on `f`
    /// differentiably.
    pub fn of(&self, f: &Func) -> Result<Func> {
        shim!(sys::hl_derivative_func, &self.handle, f.handle(), -1i32).map(Func::from_handle)
    }

    /// The adjoint of `f`'s update `update` (0 for the first).
    pub fn of_update(&self, f: &Func, update: usize) -> Result<Func> {
        let update =
            i32::try_from(update).map_err(|_| crate::Error::invalid("update index too large"))?;
        shim!(sys::hl_derivative_func, &self.handle, f.handle(), update).map(Func::from_handle)
    }

    /// The adjoint of the input `p`: a Func over `p`'s dimensions.
    pub fn of_input(&self, p: &ImageParam) -> Result<Func> {
        self.named(p.name())
    }

    /// The adjoint of the scalar param `p`: a zero-dimensional Func.
    pub fn of_param(&self, p: &DynParam) -> Result<Func> {
        self.named(p.name())
    }

    fn named(&self, name: &str) -> Result<Func> {
        let name = ffi::c_string(name)?;
        shim!(sys::hl_derivative_named, &self.handle, name.as_c_str()).map(Func::from_handle)
    }
}

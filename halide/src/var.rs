//! Pure variables: the free variables of Func definitions.

use crate::error::Result;
use crate::expr::{Expr, ExprHandle, IntoExpr, IntoOperand, Operand};
use crate::ffi::{self, handle};
use halide_sys as sys;
use std::borrow::Cow;
use std::fmt;

handle!(
    VarHandle,
    sys::hl_var,
    sys::hl_var_free,
    clone = sys::hl_var_clone
);

/// A named variable, such as the `x` and `y` of `f(x, y) = x + y`.
///
/// ```
/// use halide::prelude::*;
/// let x = Var::new("x");
/// assert_eq!(x.name(), "x");
/// assert_eq!((&x * 2).to_string(), "(x*2)");
/// ```
#[derive(Clone)]
pub struct Var {
    handle: VarHandle,
    /// The variable as an expression, made once so that using `&x` in an
    /// expression borrows instead of allocating.
    expr: Expr,
}

// SAFETY: a Var and its expression are immutable Halide nodes (a name),
// reference-counted atomically, and refer to no Func or parameter.
unsafe impl Send for Var {}
// SAFETY: as above.
unsafe impl Sync for Var {}

impl Var {
    /// A variable with the given name.
    ///
    /// # Panics
    /// If `name` contains a NUL byte.
    pub fn new(name: &str) -> Self {
        let c = ffi::c_string(name).expect("Var names cannot contain NUL bytes");
        // SAFETY: c is a valid C string for the duration of the call.
        Self::from_result(VarHandle::new(|err| unsafe {
            sys::hl_var_new(c.as_ptr(), err)
        }))
    }

    /// A variable with a unique generated name.
    pub fn unique() -> Self {
        // SAFETY: NULL asks for a generated name.
        Self::from_result(VarHandle::new(|err| unsafe {
            sys::hl_var_new(std::ptr::null(), err)
        }))
    }

    /// The placeholder `_` of Halide's implicit arguments: in a definition
    /// or call it stands for as many trailing arguments as the Funcs
    /// involved need, so `f(_) = g(_) * 2` works whatever `g`'s dimensions.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let (x, y) = (Var::new("x"), Var::new("y"));
    /// let mut g = Func::new("g");
    /// g.define([&x, &y], &x + &y * 10)?;
    /// let mut f = Func::new("f");
    /// let all = Var::placeholder();
    /// f.define([&all], g.at([&all]) * 2)?;
    /// assert_eq!(f.dimensions()?, 2);
    /// assert_eq!(f.realize::<i32>(&[3, 3])?.get(&[1, 2]), Some(42));
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn placeholder() -> Self {
        Var::new("_")
    }

    /// The `n`th implicit variable (`_0`, `_1`, ...), as Halide names the
    /// arguments a [`placeholder`](Var::placeholder) stands for.
    pub fn implicit(n: usize) -> Self {
        Var::new(&format!("_{n}"))
    }

    fn from_result(handle: Result<VarHandle>) -> Self {
        // Creating a Var only allocates; failure is out of memory.
        let handle = handle.expect("out of memory creating a Halide Var");
        // SAFETY: handle is a live Var.
        let expr = Expr::from_result(ExprHandle::new(|err| unsafe {
            sys::hl_var_to_expr(handle.as_ptr(), err)
        }));
        Var { handle, expr }
    }

    /// The variable's name.
    pub fn name(&self) -> String {
        // SAFETY: self is a live Var.
        ffi::call_string(|err| unsafe { sys::hl_var_name(self.handle.as_ptr(), err) })
            .unwrap_or_default()
    }

    /// The variable as an expression.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// The variable converted to `T` (it is an int32).
    pub fn cast<T: halide_runtime::Element>(&self) -> Expr {
        self.expr.cast::<T>()
    }

    pub(crate) fn as_ptr(&self) -> *const sys::hl_var {
        self.handle.as_ptr()
    }
}

impl fmt::Debug for Var {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Var({})", self.name())
    }
}

impl fmt::Display for Var {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl IntoExpr for Var {
    fn into_expr(self) -> Expr {
        self.expr
    }
}

impl IntoExpr for &Var {
    fn into_expr(self) -> Expr {
        self.expr.clone()
    }
}

impl<'a> IntoOperand<'a> for Var {
    fn into_operand(self) -> Operand<'a> {
        Operand::Expr(Cow::Owned(self.expr))
    }
}

impl<'a> IntoOperand<'a> for &'a Var {
    fn into_operand(self) -> Operand<'a> {
        Operand::Expr(Cow::Borrowed(&self.expr))
    }
}

impl From<&Var> for Expr {
    fn from(v: &Var) -> Expr {
        v.expr.clone()
    }
}

impl From<Var> for Expr {
    fn from(v: Var) -> Expr {
        v.expr
    }
}

//! Pure variables: the free variables of Func definitions.

use crate::error::Result;
use crate::expr::Expr;
use crate::ffi::{self, Handle, shim};
use halide_sys as sys;
use std::fmt;

type VarHandle = Handle<sys::hl_var>;

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
    pub(crate) expr: Expr,
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
        Self::from_result(shim!(sys::hl_var_new, Some(c.as_c_str())))
    }

    /// Several variables at once, as Python's `hl.vars("x y")`.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let [x, y, xi, yi] = Var::many(["x", "y", "xi", "yi"]);
    /// assert_eq!((x.name(), yi.name()), ("x".to_owned(), "yi".to_owned()));
    /// # let _ = (y, xi);
    /// ```
    ///
    /// # Panics
    /// If a name contains a NUL byte.
    pub fn many<const N: usize>(names: [&str; N]) -> [Var; N] {
        names.map(Var::new)
    }

    /// A variable with a unique generated name.
    pub fn unique() -> Self {
        Self::from_result(shim!(sys::hl_var_new, None::<&std::ffi::CStr>))
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

    /// The loop level outside every loop of a Func's definition: in
    /// `store_at(consumer, &Var::outermost())` or
    /// `hoist_storage(consumer, &Var::outermost())`, storage outside all of
    /// the consumer's loops, but inside the consumer's own allocation.
    pub fn outermost() -> Self {
        Var::new("__outermost")
    }

    /// The `n`th implicit variable (`_0`, `_1`, ...), as Halide names the
    /// arguments a [`placeholder`](Var::placeholder) stands for.
    pub fn implicit(n: usize) -> Self {
        Var::new(&format!("_{n}"))
    }

    /// Whether this is an [`implicit`](Var::implicit) variable (`_0`,
    /// `_1`, ...), as Halide tells them by name.
    ///
    /// ```
    /// use halide::prelude::*;
    /// assert!(Var::implicit(2).is_implicit());
    /// assert_eq!(Var::implicit(2).implicit_index(), Some(2));
    /// assert!(!Var::new("x").is_implicit());
    /// assert!(Var::placeholder().is_placeholder());
    /// assert!(!Var::placeholder().is_implicit());
    /// ```
    pub fn is_implicit(&self) -> bool {
        self.implicit_index().is_some()
    }

    /// `n` for the implicit variable `_n`; `None` for any other.
    pub fn implicit_index(&self) -> Option<usize> {
        let digits = self.name().strip_prefix('_')?.to_owned();
        let canonical = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'));
        canonical.then(|| digits.parse().ok()).flatten()
    }

    /// Whether `other` is the same variable: Halide tells Vars apart by
    /// name alone.
    pub fn same_as(&self, other: &Var) -> bool {
        self.name() == other.name()
    }

    /// Whether this is the [`placeholder`](Var::placeholder) `_`.
    pub fn is_placeholder(&self) -> bool {
        self.name() == "_"
    }

    fn from_result(handle: Result<VarHandle>) -> Self {
        // Creating a Var only allocates; failure is out of memory.
        Var::from_handle(handle.expect("out of memory creating a Halide Var"))
    }

    /// A Var around a handle the shim made.
    pub(crate) fn from_handle(handle: VarHandle) -> Self {
        let expr = Expr::from_result(shim!(sys::hl_var_to_expr, &handle));
        Var { handle, expr }
    }

    /// The variable's name.
    pub fn name(&self) -> String {
        shim!(sys::hl_var_name, &self.handle).unwrap_or_default()
    }

    /// The variable as an expression.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// The variable converted to `T` (it is an int32).
    pub fn cast<T: halide_runtime::Element>(&self) -> Expr {
        self.expr.cast::<T>()
    }

    pub(crate) fn handle(&self) -> &VarHandle {
        &self.handle
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

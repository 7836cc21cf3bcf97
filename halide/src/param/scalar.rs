//! Scalar inputs: [`DynParam`], whose type is chosen at run time, and
//! [`Param`], a `DynParam` whose type is a Rust type the compiler checks.

use crate::convert::{IntoExpr, IntoOperand, Operand, Scalar};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ffi::{self, Handle, shim};
use halide_runtime::{Element, Type};
use halide_sys as sys;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

pub(crate) type ParamHandle = Handle<sys::hl_param>;
use sys::hl_param_field as Field;

/// A scalar input of a pipeline whose type is chosen at run time (C++'s
/// `Param<>`, Python's `Param(type)`): values must be of that type, which
/// is checked when they are given. A [`Param<T>`](Param) is one whose type
/// the compiler checks instead; it dereferences to its `DynParam`, so the
/// getters here serve both.
///
/// ```
/// use halide::prelude::*;
/// let x = Var::new("x");
/// let ty = Type::uint(16); // say, read from a file's header
/// let offset = DynParam::new(ty, "offset")?;
/// offset.set(7u16)?;
/// assert!(offset.set(7i32).is_err()); // an i32 for a uint16 param
/// let mut f = Func::new("f");
/// f.define([&x], x.expr().cast::<u16>() + &offset)?;
/// assert_eq!(f.realize::<u16>(&[3])?.as_slice(), &[7, 8, 9]);
/// assert_eq!(offset.ty(), Type::uint(16));
/// # Ok::<(), halide::Error>(())
/// ```
pub struct DynParam {
    handle: ParamHandle,
    name: String,
    ty: Type,
    /// The param as an expression, made once so that `&p` in an expression
    /// borrows instead of allocating.
    expr: Expr,
}

impl DynParam {
    /// A parameter of type `ty` named `name`; its value starts at zero.
    /// `Err` for a name with a NUL byte, or a type that is not one scalar
    /// of at most 64 bits.
    pub fn new(ty: Type, name: &str) -> Result<Self> {
        let c = ffi::c_string(name)?;
        let handle: ParamHandle = shim!(sys::hl_param_new, ty.to_raw(), c.as_c_str())?;
        let expr = Expr::from_result(shim!(sys::hl_param_to_expr, &handle));
        let name = shim!(sys::hl_param_name, &handle)?;
        let p = DynParam {
            handle,
            name,
            ty,
            expr,
        };
        // Halide leaves a new Param without a value; realizing with it
        // would fail, so it starts at zero as documented. Zero's bytes
        // are zero at any width.
        p.set_bytes(&0u64)?;
        Ok(p)
    }

    /// The parameter's name: the name of its argument in compiled code.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The parameter's type.
    pub fn ty(&self) -> Type {
        self.ty
    }

    /// The parameter as an expression.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// The parameter converted to `U`, as [`Expr::cast`] converts.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let gain = Param::<i32>::with_value("gain", 3)?;
    /// let mut f = Func::new("scaled");
    /// f.define([&x], x.expr().cast::<f32>() * gain.cast::<f32>() / 2.0f32)?;
    /// assert_eq!(f.realize::<f32>(&[3])?.as_slice(), &[0.0, 1.5, 3.0]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn cast<U: Element>(&self) -> Expr {
        self.expr.cast::<U>()
    }

    /// Sets the value that realizations use; `Err` unless `V` is the
    /// parameter's type.
    pub fn set<V: Scalar>(&self, value: V) -> Result<()> {
        self.check::<V>()?;
        self.set_bytes(&value)
    }

    /// Copies the parameter's value from `value`, whose first bytes hold a
    /// value of the parameter's type (at most 8 bytes: `new` checks).
    fn set_bytes<V>(&self, value: &V) -> Result<()> {
        debug_assert!(size_of::<V>() >= self.ty.bytes());
        let ptr: *const V = value;
        // A value is read when the pipeline runs, not compiled in.
        let param = self.handle.keeping_code();
        // SAFETY: the param is borrowed and ptr points at a live V, which
        // holds at least the parameter type's bytes, for the call.
        unsafe { ffi::call(|err| sys::hl_param_set_value(param.as_ptr(), ptr.cast(), err)) }?;
        Ok(())
    }

    /// Restricts the values the parameter may take to `[min, max]`; a
    /// pipeline given a value outside fails with an error.
    pub fn set_range<V: Scalar>(&self, min: V, max: V) -> Result<()> {
        self.set_min_value(min)?;
        self.set_max_value(max)
    }

    /// The smallest value the parameter may take.
    pub fn set_min_value<V: Scalar>(&self, min: V) -> Result<()> {
        self.set_field(Field::HL_PARAM_MIN, min)
    }

    /// The largest value the parameter may take.
    pub fn set_max_value<V: Scalar>(&self, max: V) -> Result<()> {
        self.set_field(Field::HL_PARAM_MAX, max)
    }

    /// The value autoschedulers assume the parameter takes.
    pub fn set_estimate<V: Scalar>(&self, value: V) -> Result<()> {
        self.set_field(Field::HL_PARAM_ESTIMATE, value)
    }

    /// The default value recorded for the parameter in compiled pipelines' metadata.
    pub fn set_default<V: Scalar>(&self, value: V) -> Result<()> {
        self.set_field(Field::HL_PARAM_DEFAULT, value)
    }

    /// The smallest value the parameter may take, if restricted.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let gain = Param::<f32>::new("gain");
    /// assert!(gain.min_value()?.is_none());
    /// gain.set_range(0.5, 4.0)?;
    /// assert_eq!(gain.min_value()?.map(|e| e.to_string()).as_deref(), Some("0.500000f"));
    /// assert_eq!(gain.max_value()?.map(|e| e.to_string()).as_deref(), Some("4.000000f"));
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn min_value(&self) -> Result<Option<Expr>> {
        self.field(Field::HL_PARAM_MIN)
    }

    /// The largest value the parameter may take, if restricted.
    pub fn max_value(&self) -> Result<Option<Expr>> {
        self.field(Field::HL_PARAM_MAX)
    }

    /// The value autoschedulers assume, if set.
    pub fn estimate(&self) -> Result<Option<Expr>> {
        self.field(Field::HL_PARAM_ESTIMATE)
    }

    /// The default value recorded in compiled pipelines' metadata, if set.
    pub fn default_value(&self) -> Result<Option<Expr>> {
        self.field(Field::HL_PARAM_DEFAULT)
    }

    /// The value realizations use now (the last one
    /// [`set`](Self::set)); `Err` unless `V` is the parameter's type.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let p = DynParam::new(Type::float(64), "p")?;
    /// assert_eq!(p.value::<f64>()?, 0.0);
    /// p.set(2.5f64)?;
    /// assert_eq!(p.value::<f64>()?, 2.5);
    /// assert!(p.value::<f32>().is_err());
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn value<V: Scalar>(&self) -> Result<V> {
        self.check::<V>()?;
        let mut bits = 0u64;
        shim!(sys::hl_param_value, &self.handle, &mut bits)?;
        let start: *const u64 = &bits;
        // SAFETY: the shim wrote a value of the parameter's type, which is
        // V's (checked above; at most 8 bytes, the u64's), at its start.
        Ok(unsafe { start.cast::<V>().read() })
    }

    /// Whether `other` is the very same parameter, not just one of the
    /// same name.
    pub fn same_as(&self, other: &DynParam) -> Result<bool> {
        shim!(sys::hl_param_same_as, &self.handle, &other.handle)
    }

    /// `Err` unless `V` is the parameter's type.
    pub(crate) fn check<V: Scalar>(&self) -> Result<()> {
        if V::TYPE == self.ty {
            Ok(())
        } else {
            Err(Error::invalid(format!(
                "parameter {} is of type {}, not {}",
                self.name,
                self.ty,
                V::TYPE
            )))
        }
    }

    fn set_field<V: Scalar>(&self, field: Field, value: V) -> Result<()> {
        self.check::<V>()?;
        let e = value.typed_constant();
        shim!(
            sys::hl_param_set_field,
            self.handle.mutating(),
            field,
            Some(e.handle()?)
        )?;
        Ok(())
    }

    fn field(&self, field: Field) -> Result<Option<Expr>> {
        if !shim!(sys::hl_param_has_field, &self.handle, field)? {
            return Ok(None);
        }
        Ok(Some(Expr::from_result(shim!(
            sys::hl_param_field_expr,
            &self.handle,
            field
        ))))
    }

    pub(crate) fn handle(&self) -> &ParamHandle {
        &self.handle
    }
}

impl fmt::Debug for DynParam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DynParam<{}>({})", self.ty, self.name)
    }
}

impl IntoExpr for &DynParam {
    fn into_expr(self) -> Expr {
        self.expr.clone()
    }
}

impl<'a> IntoOperand<'a> for &'a DynParam {
    fn into_operand(self) -> Operand<'a> {
        Operand::Expr(Cow::Borrowed(&self.expr))
    }
}

/// A scalar input of a pipeline, of Rust type `T`.
///
/// A param is an expression like any other. Its value is an argument of
/// compiled pipelines ([`Callable`](crate::Callable)); [`Func::realize`](crate::Func::realize)
/// uses the value last [`set`](Param::set). Its getters are
/// [`DynParam`]'s, which it dereferences to.
///
/// ```
/// use halide::prelude::*;
/// let x = Var::new("x");
/// let gain = Param::<f32>::new("gain");
/// gain.set_range(0.0, 4.0)?;
/// let mut f = Func::new("scaled");
/// f.define([&x], x.expr().cast::<f32>() * &gain)?;
/// gain.set(2.5)?;
/// assert_eq!(f.realize::<f32>(&[3])?.as_slice(), &[0.0, 2.5, 5.0]);
/// gain.set(9.0)?; // outside its range
/// assert!(f.realize::<f32>(&[3]).is_err());
/// # Ok::<(), halide::Error>(())
/// ```
pub struct Param<T> {
    /// Of type `T::TYPE`, so its run-time checks always pass.
    inner: DynParam,
    _value: PhantomData<T>,
}

impl<T: Scalar> Param<T> {
    /// A parameter named `name`; its value starts at zero.
    ///
    /// # Panics
    /// If `name` contains a NUL byte.
    pub fn new(name: &str) -> Self {
        let inner = DynParam::new(T::TYPE, name).unwrap_or_else(|e| panic!("Param::new: {e}"));
        Param {
            inner,
            _value: PhantomData,
        }
    }

    /// A parameter named `name` with an initial value, which is also its
    /// default in compiled pipelines' metadata.
    pub fn with_value(name: &str, value: T) -> Result<Self> {
        let p = Self::new(name);
        p.set(value)?;
        p.set_default(value)?;
        Ok(p)
    }

    /// Sets the value that realizations use.
    pub fn set(&self, value: T) -> Result<()> {
        self.inner.set(value)
    }

    /// Restricts the values the parameter may take to `[min, max]`; a
    /// pipeline given a value outside fails with an error.
    pub fn set_range(&self, min: T, max: T) -> Result<()> {
        self.inner.set_range(min, max)
    }

    /// The smallest value the parameter may take.
    pub fn set_min_value(&self, min: T) -> Result<()> {
        self.inner.set_min_value(min)
    }

    /// The largest value the parameter may take.
    pub fn set_max_value(&self, max: T) -> Result<()> {
        self.inner.set_max_value(max)
    }

    /// The value autoschedulers assume the parameter takes.
    pub fn set_estimate(&self, value: T) -> Result<()> {
        self.inner.set_estimate(value)
    }

    /// The default value recorded for the parameter in compiled pipelines' metadata.
    pub fn set_default(&self, value: T) -> Result<()> {
        self.inner.set_default(value)
    }
}

impl<T> Deref for Param<T> {
    type Target = DynParam;
    fn deref(&self) -> &DynParam {
        &self.inner
    }
}

impl<T: Scalar> fmt::Debug for Param<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Param<{}>({})", T::TYPE, self.name())
    }
}

impl<T: Scalar> IntoExpr for &Param<T> {
    fn into_expr(self) -> Expr {
        self.inner.into_expr()
    }
}

impl<'a, T: Scalar> IntoOperand<'a> for &'a Param<T> {
    fn into_operand(self) -> Operand<'a> {
        self.inner.into_operand()
    }
}

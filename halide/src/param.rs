//! Pipeline inputs: image parameters, bound to buffers only for one call.

use crate::error::Result;
use crate::expr::{Expr, ExprHandle, IntoExpr, IntoOperand, Operand, Scalar, raw_ptrs};
use crate::ffi::{self, handle};
use crate::func::IntoArgs;
use halide_runtime::sys::halide_buffer_t;
use halide_runtime::{Element, HalideBuffer, Type};
use halide_sys as sys;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

handle!(
    ImageParamHandle,
    sys::hl_image_param,
    sys::hl_image_param_free
);

/// An input image of a pipeline: a typed, n-dimensional placeholder that
/// expressions can read, given a buffer only when the pipeline runs.
///
/// Buffers are attached with [`ImageParam::bind`] for the duration of one
/// realization, so Halide never holds a pointer to memory after the borrow
/// that lent it ends.
///
/// ```
/// use halide::prelude::*;
/// let x = Var::new("x");
/// let input = ImageParam::new::<u8>(1, "input");
/// let mut doubled = Func::new("doubled");
/// doubled.define([&x], input.at([&x]).cast::<u16>() * 2)?;
/// let data = [1u8, 2, 200];
/// let buf = BufferRef::new(&data, &[3])?;
/// let out = doubled.realize_with::<u16>(&[3], &[input.bind(&buf)])?;
/// assert_eq!(out.as_slice(), &[2, 4, 400]);
/// # Ok::<(), halide::Error>(())
/// ```
pub struct ImageParam {
    handle: ImageParamHandle,
    ty: Type,
    dimensions: usize,
}

impl ImageParam {
    /// An input of element type `T` with `dimensions` dimensions.
    ///
    /// # Panics
    /// If `name` contains a NUL byte.
    pub fn new<T: Element>(dimensions: usize, name: &str) -> Self {
        Self::with_type(T::TYPE, dimensions, name)
    }

    /// An input of element type `ty` with `dimensions` dimensions.
    ///
    /// # Panics
    /// If `name` contains a NUL byte.
    pub fn with_type(ty: Type, dimensions: usize, name: &str) -> Self {
        let c = ffi::c_string(name).expect("ImageParam names cannot contain NUL bytes");
        let dims = i32::try_from(dimensions).expect("dimension count fits in i32");
        // SAFETY: c is a valid C string for the duration of the call.
        let handle = ImageParamHandle::new(|err| unsafe {
            sys::hl_image_param_new(ty.to_raw(), dims, c.as_ptr(), err)
        })
        .expect("out of memory creating a Halide ImageParam");
        ImageParam {
            handle,
            ty,
            dimensions,
        }
    }

    /// The parameter's name.
    pub fn name(&self) -> String {
        // SAFETY: self is a live parameter.
        ffi::call_string(|err| unsafe { sys::hl_image_param_name(self.handle.as_ptr(), err) })
            .unwrap_or_default()
    }

    /// The element type buffers bound to it must have.
    pub fn element_type(&self) -> Type {
        self.ty
    }

    /// The number of dimensions buffers bound to it must have.
    pub fn dimensions(&self) -> usize {
        self.dimensions
    }

    /// The constraints on dimension `d` of the buffers this input accepts.
    ///
    /// By default Halide requires dimension 0 to be dense (stride 1), which
    /// lets it vectorise loads; relax that to accept transposed or strided
    /// views:
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let input = ImageParam::new::<i32>(1, "every_other");
    /// input.dim(0).allow_any_stride()?;
    /// let mut copy = Func::new("copy");
    /// copy.define([&x], input.at([&x]))?;
    /// let data = [0, 1, 2, 3, 4, 5];
    /// let strided = BufferRef::with_dims(&data, &[Dim::new(0, 3, 2)], 0)?;
    /// assert_eq!(copy.realize_with::<i32>(&[3], &[input.bind(&strided)])?.as_slice(), &[0, 2, 4]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn dim(&self, d: usize) -> Dimension<'_> {
        Dimension {
            param: self,
            index: d,
        }
    }

    /// A read of the image at `args`, as an expression.
    pub fn at(&self, args: impl IntoArgs) -> Expr {
        let args = args.into_args();
        Expr::build(|| {
            let ptrs = raw_ptrs(&args)?;
            // SAFETY: every pointer is to a live expression kept alive by `args`.
            ExprHandle::new(|err| unsafe {
                sys::hl_image_param_call(self.handle.as_ptr(), ptrs.as_ptr(), ptrs.len(), err)
            })
        })
    }

    /// Pairs this input with a buffer for one realization. The buffer stays
    /// borrowed for as long as the returned [`Input`] lives.
    pub fn bind<'a, B: HalideBuffer>(&'a self, buffer: &'a B) -> Input<'a> {
        Input {
            param: self,
            buffer: buffer.as_raw_ptr(),
            _borrow: PhantomData,
        }
    }

    pub(crate) fn as_ptr(&self) -> *const sys::hl_image_param {
        self.handle.as_ptr()
    }
}

impl fmt::Debug for ImageParam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ImageParam({}: {} x{})",
            self.name(),
            self.ty,
            self.dimensions
        )
    }
}

/// One dimension of an [`ImageParam`]: constraints on the buffers it accepts,
/// checked by the pipeline each time it runs.
#[derive(Debug)]
pub struct Dimension<'a> {
    param: &'a ImageParam,
    index: usize,
}

impl Dimension<'_> {
    fn set(&self, field: sys::hl_dim_field, value: Option<Expr>) -> Result<()> {
        let d = i32::try_from(self.index)
            .map_err(|_| crate::Error::invalid("dimension index out of range"))?;
        let handle = value.as_ref().map(Expr::handle).transpose()?;
        let ptr = handle.map_or(std::ptr::null(), |h| h.as_ptr().cast_const());
        // SAFETY: the parameter is live; ptr is null or a live expression.
        ffi::call(|err| unsafe {
            sys::hl_image_param_set_dim(self.param.handle.as_ptr(), d, field, ptr, err)
        })?;
        crate::staleness::bump();
        Ok(())
    }

    /// Tells autoschedulers that buffers span `[min, min + extent)` in this dimension.
    pub fn set_estimate(&self, min: impl IntoExpr, extent: impl IntoExpr) -> Result<()> {
        let d = i32::try_from(self.index)
            .map_err(|_| crate::Error::invalid("dimension index out of range"))?;
        let (min, extent) = (min.into_expr(), extent.into_expr());
        let (mh, eh) = (min.handle()?, extent.handle()?);
        // SAFETY: all handles are live.
        ffi::call(|err| unsafe {
            sys::hl_image_param_set_estimate(
                self.param.handle.as_ptr(),
                d,
                mh.as_ptr(),
                eh.as_ptr(),
                err,
            )
        })?;
        Ok(())
    }

    /// Requires buffers to start at `min` in this dimension.
    pub fn set_min(&self, min: impl IntoExpr) -> Result<()> {
        self.set(sys::hl_dim_field::HL_DIM_MIN, Some(min.into_expr()))
    }

    /// Requires buffers to have `extent` elements in this dimension.
    pub fn set_extent(&self, extent: impl IntoExpr) -> Result<()> {
        self.set(sys::hl_dim_field::HL_DIM_EXTENT, Some(extent.into_expr()))
    }

    /// Requires buffers to have `stride` in this dimension.
    pub fn set_stride(&self, stride: impl IntoExpr) -> Result<()> {
        self.set(sys::hl_dim_field::HL_DIM_STRIDE, Some(stride.into_expr()))
    }

    /// Accepts any stride in this dimension, removing Halide's default
    /// requirement that dimension 0 be dense.
    pub fn allow_any_stride(&self) -> Result<()> {
        self.set(sys::hl_dim_field::HL_DIM_STRIDE, None)
    }
}

/// An [`ImageParam`] paired with the buffer it reads during one realization.
pub struct Input<'a> {
    param: &'a ImageParam,
    /// Points into a buffer borrowed for 'a.
    buffer: *const halide_buffer_t,
    _borrow: PhantomData<&'a ()>,
}

impl Input<'_> {
    pub(crate) fn param(&self) -> *const sys::hl_image_param {
        self.param.as_ptr()
    }

    pub(crate) fn buffer(&self) -> *const halide_buffer_t {
        self.buffer
    }
}

handle!(ParamHandle, sys::hl_param, sys::hl_param_free);

/// A scalar input of a pipeline, of Rust type `T`.
///
/// A param is an expression like any other. Its value is an argument of
/// compiled pipelines ([`Callable`](crate::Callable)); [`Func::realize`](crate::Func::realize)
/// uses the value last [`set`](Param::set).
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
    handle: ParamHandle,
    /// The param as an expression, made once so that `&p` in an expression
    /// borrows instead of allocating.
    expr: Expr,
    _value: PhantomData<T>,
}

impl<T: Scalar> Param<T> {
    /// A parameter named `name`; its value starts at zero.
    ///
    /// # Panics
    /// If `name` contains a NUL byte.
    pub fn new(name: &str) -> Self {
        let c = ffi::c_string(name).expect("Param names cannot contain NUL bytes");
        // SAFETY: c is a valid C string for the duration of the call.
        let handle =
            ParamHandle::new(|err| unsafe { sys::hl_param_new(T::TYPE.to_raw(), c.as_ptr(), err) })
                .expect("out of memory creating a Halide Param");
        // SAFETY: handle is a live param.
        let expr = Expr::from_result(ExprHandle::new(|err| unsafe {
            sys::hl_param_to_expr(handle.as_ptr(), err)
        }));
        let p = Param {
            handle,
            expr,
            _value: PhantomData,
        };
        // Halide leaves a new Param without a value; realizing with it
        // would fail, so it starts at zero as documented.
        p.set(T::zeroed())
            .expect("zero is a valid value of any Param without a range");
        p
    }

    /// A parameter named `name` with an initial value, which is also its
    /// default in compiled pipelines' metadata.
    pub fn with_value(name: &str, value: T) -> Result<Self> {
        let p = Self::new(name);
        p.set(value)?;
        p.set_default(value)?;
        Ok(p)
    }

    /// The parameter's name.
    pub fn name(&self) -> String {
        // SAFETY: self is a live param.
        ffi::call_string(|err| unsafe { sys::hl_param_name(self.handle.as_ptr(), err) })
            .unwrap_or_default()
    }

    /// The parameter as an expression.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// Sets the value that realizations use.
    pub fn set(&self, value: T) -> Result<()> {
        let ptr: *const T = &value;
        // SAFETY: ptr points at one T, the param's type, for the call.
        ffi::call(|err| unsafe { sys::hl_param_set_value(self.handle.as_ptr(), ptr.cast(), err) })?;
        Ok(())
    }

    /// Restricts the values the parameter may take to `[min, max]`; a
    /// pipeline given a value outside fails with an error.
    pub fn set_range(&self, min: T, max: T) -> Result<()> {
        let (min, max) = (min.typed_constant(), max.typed_constant());
        let (mh, xh) = (min.handle()?, max.handle()?);
        // SAFETY: all handles are live.
        ffi::call(|err| unsafe {
            sys::hl_param_set_range(self.handle.as_ptr(), mh.as_ptr(), xh.as_ptr(), err)
        })?;
        crate::staleness::bump();
        Ok(())
    }

    /// The value autoschedulers assume the parameter takes.
    pub fn set_estimate(&self, value: T) -> Result<()> {
        self.set_constant(value, sys::hl_param_set_estimate)
    }

    /// The default value recorded for the parameter in compiled pipelines' metadata.
    pub fn set_default(&self, value: T) -> Result<()> {
        self.set_constant(value, sys::hl_param_set_default)
    }

    fn set_constant(
        &self,
        value: T,
        setter: unsafe extern "C" fn(
            *mut sys::hl_param,
            *const sys::hl_expr,
            *mut *mut sys::hl_error,
        ) -> bool,
    ) -> Result<()> {
        let e = value.typed_constant();
        let h = e.handle()?;
        // SAFETY: both handles are live.
        ffi::call(|err| unsafe { setter(self.handle.as_ptr(), h.as_ptr(), err) })?;
        Ok(())
    }
}

impl<T: Scalar> fmt::Debug for Param<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Param<{}>({})", T::TYPE, self.name())
    }
}

impl<T: Scalar> IntoExpr for &Param<T> {
    fn into_expr(self) -> Expr {
        self.expr.clone()
    }
}

impl<'a, T: Scalar> IntoOperand<'a> for &'a Param<T> {
    fn into_operand(self) -> Operand<'a> {
        Operand::Expr(Cow::Borrowed(&self.expr))
    }
}

mod sealed {
    /// The shim handle of a pipeline input: a scalar or a buffer parameter.
    pub enum RawInput {
        Scalar(*const halide_sys::hl_param),
        Buffer(*const halide_sys::hl_image_param),
    }

    pub trait AsInput {
        fn raw_input(&self) -> RawInput;
    }
}
pub(crate) use sealed::RawInput;

/// An input of a pipeline, for [`Pipeline::compile_with_inputs`](crate::Pipeline::compile_with_inputs):
/// a [`Param`] or an [`ImageParam`].
pub trait PipelineInput: sealed::AsInput {}

impl<T: Scalar> sealed::AsInput for Param<T> {
    fn raw_input(&self) -> RawInput {
        RawInput::Scalar(self.handle.as_ptr())
    }
}
impl<T: Scalar> PipelineInput for Param<T> {}

impl sealed::AsInput for ImageParam {
    fn raw_input(&self) -> RawInput {
        RawInput::Buffer(self.as_ptr())
    }
}
impl PipelineInput for ImageParam {}

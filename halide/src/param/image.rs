//! Image inputs ([`ImageParam`]), a Func's output buffers
//! ([`OutputBuffer`]) and the dimensions of both ([`Dimension`]).

use crate::convert::{IntoArgs, IntoExpr};
use crate::error::{Error, Result};
use crate::expr::{Expr, raw_ptrs};
use crate::ffi::{self, Handle, shim};
use halide_runtime::{Element, Type};
use halide_sys as sys;
use std::fmt;

pub(crate) type ImageParamHandle = Handle<sys::hl_image_param>;

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
    name: String,
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
            .unwrap_or_else(|e| panic!("ImageParam::new: {e}"))
    }

    /// An input of element type `ty` with `dimensions` dimensions; `Err`
    /// for a type Halide cannot represent or a name with a NUL byte.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let input = ImageParam::with_type(Type::uint(16), 2, "input")?;
    /// assert_eq!(input.element_type(), Type::uint(16));
    /// assert!(ImageParam::with_type(Type::uint(3), 2, "odd").is_err());
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn with_type(ty: Type, dimensions: usize, name: &str) -> Result<Self> {
        let c = ffi::c_string(name)?;
        let dims = i32::try_from(dimensions)
            .map_err(|_| Error::invalid(format!("{dimensions} dimensions are too many")))?;
        let handle = shim!(sys::hl_image_param_new, ty.to_raw(), dims, c.as_c_str())?;
        let name = shim!(sys::hl_image_param_name, &handle)?;
        Ok(ImageParam {
            handle,
            name,
            ty,
            dimensions,
        })
    }

    /// The parameter's name: the name of its argument in compiled code.
    pub fn name(&self) -> &str {
        &self.name
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
            owner: Owner::Input(&self.handle),
            index: d,
        }
    }

    /// A read of the image at `args`, as an expression.
    pub fn at(&self, args: impl IntoArgs) -> Expr {
        let args = args.into_args();
        Expr::build(|| {
            let ptrs = raw_ptrs(&args)?;
            let h = self.handle.as_ptr();
            // SAFETY: the parameter and the array's expressions are borrowed
            // for the call; the length is the array's.
            unsafe { ffi::call(|err| sys::hl_image_param_call(h, ptrs.as_ptr(), ptrs.len(), err)) }
        })
    }

    /// Tells autoschedulers that buffers span `[min, min + extent)` in each
    /// dimension, dimension 0 first: `input.set_estimates(&[(0, 1920), (0, 1080)])`.
    pub fn set_estimates(&self, ranges: &[(i32, i32)]) -> Result<()> {
        if ranges.len() != self.dimensions {
            return Err(Error::invalid(format!(
                "{} has {} dimensions, but {} estimates were given",
                self.name(),
                self.dimensions,
                ranges.len()
            )));
        }
        for (d, &(min, extent)) in ranges.iter().enumerate() {
            self.dim(d).set_estimate(min, extent)?;
        }
        Ok(())
    }

    /// Requires the host memory of buffers passed for this input to start
    /// at a multiple of `bytes` (a power of two), which the generated code
    /// then relies on; a buffer that is not so aligned is an `Err` at the
    /// call.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let input = ImageParam::new::<u8>(1, "input");
    /// input.set_host_alignment(64)?;
    /// assert!(input.set_host_alignment(48).is_err());
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn set_host_alignment(&self, bytes: usize) -> Result<()> {
        let bytes = i32::try_from(bytes)
            .map_err(|_| Error::invalid(format!("host alignment {bytes} is too large")))?;
        shim!(
            sys::hl_image_param_set_host_alignment,
            self.handle.mutating(),
            bytes
        )?;
        Ok(())
    }

    /// The host alignment in bytes the pipeline assumes of this input's
    /// buffers (1 unless [`set_host_alignment`](Self::set_host_alignment)).
    ///
    /// ```
    /// use halide::prelude::*;
    /// let input = ImageParam::new::<u8>(1, "input");
    /// assert_eq!(input.host_alignment()?, 1);
    /// input.set_host_alignment(64)?;
    /// assert_eq!(input.host_alignment()?, 64);
    /// assert!(input.same_as(&input)? && !input.same_as(&ImageParam::new::<u8>(1, "input"))?);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn host_alignment(&self) -> Result<usize> {
        let bytes = shim!(sys::hl_image_param_host_alignment, &self.handle)?;
        usize::try_from(bytes)
            .map_err(|_| Error::invalid(format!("Halide reported a host alignment of {bytes}")))
    }

    /// Whether `other` is the very same input, not just one of the same
    /// name.
    pub fn same_as(&self, other: &ImageParam) -> Result<bool> {
        shim!(sys::hl_image_param_same_as, &self.handle, &other.handle)
    }

    pub(crate) fn handle(&self) -> &ImageParamHandle {
        &self.handle
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

/// The buffer a [`Func`](crate::Func)'s output is realized into, as its
/// pipeline sees it ([`Func::output_buffer`](crate::Func::output_buffer)):
/// constrain its shape through [`dim`](Self::dim) as an [`ImageParam`]'s,
/// for code compiled to accept interleaved outputs, say.
pub struct OutputBuffer {
    handle: Handle<sys::hl_output_buffer>,
    dimensions: usize,
}

impl OutputBuffer {
    pub(crate) fn from_handle(handle: Handle<sys::hl_output_buffer>, dimensions: usize) -> Self {
        OutputBuffer { handle, dimensions }
    }

    /// How many dimensions the output has.
    pub fn dimensions(&self) -> usize {
        self.dimensions
    }

    /// Dimension `d`, to read or constrain.
    pub fn dim(&self, d: usize) -> Dimension<'_> {
        Dimension {
            owner: Owner::Output(&self.handle),
            index: d,
        }
    }
}

impl fmt::Debug for OutputBuffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OutputBuffer(x{})", self.dimensions)
    }
}

/// Whose dimension a [`Dimension`] is.
#[derive(Clone, Copy)]
enum Owner<'a> {
    Input(&'a ImageParamHandle),
    Output(&'a Handle<sys::hl_output_buffer>),
}

/// One dimension of an [`ImageParam`] or an [`OutputBuffer`]: constraints
/// on the buffers it accepts, checked by the pipeline each time it runs.
pub struct Dimension<'a> {
    owner: Owner<'a>,
    index: usize,
}

impl fmt::Debug for Dimension<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Dimension({})", self.index)
    }
}

impl Dimension<'_> {
    fn index(&self) -> Result<i32> {
        i32::try_from(self.index).map_err(|_| Error::invalid("dimension index out of range"))
    }

    fn set(&self, field: sys::hl_dim_field, value: Option<Expr>) -> Result<()> {
        let value = value.as_ref().map(Expr::handle).transpose()?;
        let index = self.index()?;
        match self.owner {
            Owner::Input(h) => shim!(
                sys::hl_image_param_set_dim,
                h.mutating(),
                index,
                field,
                value
            )?,
            Owner::Output(h) => shim!(
                sys::hl_output_buffer_set_dim,
                h.mutating(),
                index,
                field,
                value
            )?,
        };
        Ok(())
    }

    /// A constraint or estimate, if set.
    fn constraint(&self, field: sys::hl_dim_field) -> Result<Option<Expr>> {
        let index = self.index()?;
        let set = match self.owner {
            Owner::Input(h) => shim!(sys::hl_image_param_dim_has, h, index, field)?,
            Owner::Output(h) => shim!(sys::hl_output_buffer_dim_has, h, index, field)?,
        };
        Ok(set.then(|| self.get(field)))
    }

    /// The first coordinate buffers must have in this dimension, if
    /// constrained ([`set_min`](Self::set_min)).
    ///
    /// ```
    /// use halide::prelude::*;
    /// let input = ImageParam::new::<u8>(2, "input");
    /// let d = input.dim(1);
    /// assert!(d.min_constraint()?.is_none());
    /// d.set_min(0)?;
    /// d.set_estimate(0, 480)?;
    /// assert_eq!(d.min_constraint()?.map(|e| e.to_string()).as_deref(), Some("0"));
    /// assert_eq!(d.extent_estimate()?.map(|e| e.to_string()).as_deref(), Some("480"));
    /// // Dimension 0's stride is 1 unless allowed otherwise.
    /// assert_eq!(input.dim(0).stride_constraint()?.map(|e| e.to_string()).as_deref(), Some("1"));
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn min_constraint(&self) -> Result<Option<Expr>> {
        self.constraint(sys::hl_dim_field::HL_DIM_MIN_CONSTRAINT)
    }

    /// The extent buffers must have in this dimension, if constrained.
    pub fn extent_constraint(&self) -> Result<Option<Expr>> {
        self.constraint(sys::hl_dim_field::HL_DIM_EXTENT_CONSTRAINT)
    }

    /// The stride buffers must have in this dimension, if constrained.
    pub fn stride_constraint(&self) -> Result<Option<Expr>> {
        self.constraint(sys::hl_dim_field::HL_DIM_STRIDE_CONSTRAINT)
    }

    /// The first coordinate autoschedulers assume, if estimated.
    pub fn min_estimate(&self) -> Result<Option<Expr>> {
        self.constraint(sys::hl_dim_field::HL_DIM_MIN_ESTIMATE)
    }

    /// The extent autoschedulers assume, if estimated.
    pub fn extent_estimate(&self) -> Result<Option<Expr>> {
        self.constraint(sys::hl_dim_field::HL_DIM_EXTENT_ESTIMATE)
    }

    fn get(&self, field: sys::hl_dim_field) -> Expr {
        let index = self.index();
        Expr::build(|| match self.owner {
            Owner::Input(h) => shim!(sys::hl_image_param_dim_expr, h, index?, field),
            Owner::Output(h) => shim!(sys::hl_output_buffer_dim_expr, h, index?, field),
        })
    }

    /// The first coordinate of the buffer a call gets, in this dimension:
    /// an expression the pipeline reads at run time.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let input = ImageParam::new::<i32>(1, "input");
    /// let d = input.dim(0);
    /// let mut f = Func::new("f");
    /// // Each element minus the input's first, read past the end as the last.
    /// let last = d.max();
    /// f.define([&x], input.at([min(&x, last)]) - input.at([d.min()]))?;
    /// let data = [5, 7, 12];
    /// let out = f.realize_with::<i32>(&[4], &[input.bind(&BufferRef::new(&data, &[3])?)])?;
    /// assert_eq!(out.as_slice(), &[0, 2, 7, 7]);
    /// assert_eq!(d.extent().to_string(), "input.extent.0");
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn min(&self) -> Expr {
        self.get(sys::hl_dim_field::HL_DIM_MIN)
    }

    /// The number of elements of the buffer a call gets, in this dimension.
    pub fn extent(&self) -> Expr {
        self.get(sys::hl_dim_field::HL_DIM_EXTENT)
    }

    /// The last coordinate: `min + extent - 1`.
    pub fn max(&self) -> Expr {
        self.min() + self.extent() - 1
    }

    /// The distance in elements between neighbours in this dimension.
    pub fn stride(&self) -> Expr {
        self.get(sys::hl_dim_field::HL_DIM_STRIDE)
    }

    /// Tells autoschedulers that buffers span `[min, min + extent)` in this dimension.
    pub fn set_estimate(&self, min: impl IntoExpr, extent: impl IntoExpr) -> Result<()> {
        let (min, extent) = (min.into_expr(), extent.into_expr());
        let (index, min, extent) = (self.index()?, min.handle()?, extent.handle()?);
        match self.owner {
            Owner::Input(h) => shim!(
                sys::hl_image_param_set_estimate,
                h.mutating(),
                index,
                min,
                extent
            )?,
            Owner::Output(h) => shim!(
                sys::hl_output_buffer_set_estimate,
                h.mutating(),
                index,
                min,
                extent
            )?,
        };
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

//! Buffers baked into pipelines: [`ConstBuffer`].

use crate::convert::IntoArgs;
use crate::error::{Error, Result};
use crate::expr::{Expr, raw_ptrs};
use crate::ffi::{self, Handle};
use crate::func::Func;
use crate::var::Var;
use halide_runtime::{Dim, HalideBuffer};
use halide_sys as sys;

/// A copy of a buffer's data baked into pipelines, read by expressions
/// directly without an [`ImageParam`](crate::ImageParam) to bind on every
/// call (Halide's `Buffer` in a Func definition): a lookup table, a
/// filter's weights, a small image known when the pipeline is built.
///
/// ```
/// use halide::prelude::*;
/// use halide::ConstBuffer;
/// let weights = Buffer::<f32>::from_vec(vec![0.25, 0.5, 0.25], &[3])?;
/// let weights = ConstBuffer::new("weights", &weights)?; // a copy
/// assert_eq!(weights.name(), "weights");
/// let (x, k) = (Var::new("x"), RDom::new("k", [(0, 3)])?);
/// let mut blurred = Func::new("blurred");
/// blurred.define([&x], 0.0f32)?;
/// blurred.update([&x], blurred.at([&x]) + weights.at([k.x()]) * (&x + k.x()).cast::<f32>())?;
/// assert_eq!(blurred.realize::<f32>(&[3])?.as_slice(), &[1.0, 2.0, 3.0]);
/// # Ok::<(), halide::Error>(())
/// ```
pub struct ConstBuffer {
    handle: Handle<sys::hl_const_buffer>,
    name: String,
    dims: Vec<Dim>,
}

impl std::fmt::Debug for ConstBuffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ConstBuffer({}, {:?})", self.name, self.dims)
    }
}

impl ConstBuffer {
    /// A copy of `buffer`, named `name` in generated code, keeping its
    /// mins: `at` reads the same coordinates the buffer has. An error for
    /// a buffer whose current data is on a device.
    pub fn new(name: &str, buffer: &(impl HalideBuffer + ?Sized)) -> Result<Self> {
        if buffer.device_dirty() {
            return Err(Error::invalid(format!(
                "{name}: the buffer's data is on a device; copy it to the host first"
            )));
        }
        let c = ffi::c_string(name)?;
        let raw = std::ptr::from_ref(buffer.raw().as_raw());
        // SAFETY: the buffer is borrowed for the call, which copies its
        // elements (the shape addresses only memory the buffer holds).
        let handle = unsafe { ffi::call(|err| sys::hl_const_buffer_new(raw, c.as_ptr(), err)) }?;
        Ok(ConstBuffer {
            handle,
            name: name.to_owned(),
            dims: buffer.raw().dims().to_vec(),
        })
    }

    /// The element at `args` (one coordinate per dimension), as an
    /// expression; reading outside the buffer is a pipeline error (use a
    /// [boundary condition](crate::boundary::extend) over [`func`](Self::func)).
    pub fn at(&self, args: impl IntoArgs) -> Expr {
        let args: Vec<Expr> = args.into_args();
        let b = self.handle.as_ptr();
        Expr::build(|| {
            let ptrs = raw_ptrs(&args)?;
            // SAFETY: the buffer and the expressions are borrowed for the
            // call; the array has args.len() elements.
            unsafe { ffi::call(|err| sys::hl_const_buffer_call(b, ptrs.as_ptr(), ptrs.len(), err)) }
        })
    }

    /// The buffer's `(min, extent)` in each dimension, as the boundary
    /// conditions take them.
    pub fn bounds(&self) -> Vec<(Expr, Expr)> {
        self.dims
            .iter()
            .map(|d| (Expr::from(d.min), Expr::from(d.extent)))
            .collect()
    }

    /// A Func reading the buffer, for what takes a Func: boundary
    /// conditions, extern stages.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::{ConstBuffer, boundary::{self, Boundary}};
    /// let table = ConstBuffer::new("table", &Buffer::<i32>::from_vec(vec![10, 20, 30], &[3])?)?;
    /// let clamped = boundary::extend(&table.func()?, &table.bounds(), &Boundary::RepeatEdge)?;
    /// let x = Var::new("x");
    /// let mut f = Func::new("f");
    /// f.define([&x], clamped.at([&x - 1]))?;
    /// assert_eq!(f.realize::<i32>(&[5])?.as_slice(), &[10, 10, 20, 30, 30]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn func(&self) -> Result<Func> {
        let vars: Vec<Var> = (0..self.dims.len()).map(|_| Var::unique()).collect();
        let mut f = Func::new(&format!("{}_func", self.name));
        let args: Vec<Expr> = vars.iter().map(|v| v.expr().clone()).collect();
        f.define(&vars.iter().collect::<Vec<_>>()[..], self.at(args))?;
        Ok(f)
    }

    /// The number of dimensions.
    pub fn dimensions(&self) -> usize {
        self.dims.len()
    }

    pub(crate) fn handle(&self) -> &Handle<sys::hl_const_buffer> {
        &self.handle
    }

    /// The buffer's name in generated code, as given to [`new`](Self::new).
    pub fn name(&self) -> &str {
        &self.name
    }
}

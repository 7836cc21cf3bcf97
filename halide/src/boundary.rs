//! Boundary conditions: Funcs that extend an image (or a Func) beyond the
//! region where it is defined, so stencils can read past the edges.
//!
//! ```
//! use halide::prelude::*;
//! use halide::boundary;
//! let x = Var::new("x");
//! let input = ImageParam::new::<u8>(1, "input");
//! let clamped = boundary::repeat_edge(&input)?;
//! let mut shifted = Func::new("shifted");
//! shifted.define([&x], clamped.at([&x - 2]))?;
//! let data = [10u8, 20, 30];
//! let buf = BufferRef::new(&data, &[3])?;
//! assert_eq!(shifted.realize_with::<u8>(&[5], &[input.bind(&buf)])?.as_slice(), &[10, 10, 10, 20, 30]);
//! # Ok::<(), halide::Error>(())
//! ```

use crate::convert::IntoExpr;
use crate::error::Result;
use crate::expr::{Expr, ExprHandle, raw_ptrs};
use crate::ffi::{self, shim};
use crate::func::Func;
use crate::param::ImageParam;
use halide_sys as sys;

/// How values outside the bounds are made.
#[derive(Debug, Clone)]
pub enum Boundary {
    /// A constant value outside.
    ConstantExterior(Expr),
    /// The nearest edge value (clamped coordinates).
    RepeatEdge,
    /// The image tiled periodically.
    RepeatImage,
    /// The image mirrored at each edge, repeating the edge value.
    MirrorImage,
    /// The image mirrored about the edge values, without repeating them.
    MirrorInterior,
}

impl Boundary {
    fn kind(&self) -> sys::hl_boundary {
        use sys::hl_boundary as B;
        match self {
            Boundary::ConstantExterior(_) => B::HL_BOUNDARY_CONSTANT_EXTERIOR,
            Boundary::RepeatEdge => B::HL_BOUNDARY_REPEAT_EDGE,
            Boundary::RepeatImage => B::HL_BOUNDARY_REPEAT_IMAGE,
            Boundary::MirrorImage => B::HL_BOUNDARY_MIRROR_IMAGE,
            Boundary::MirrorInterior => B::HL_BOUNDARY_MIRROR_INTERIOR,
        }
    }

    /// The exterior value, for the shim (none unless constant).
    fn value(&self) -> Result<Option<&ExprHandle>> {
        match self {
            Boundary::ConstantExterior(v) => v.handle().map(Some),
            _ => Ok(None),
        }
    }
}

/// `image` extended beyond the bounds of whatever buffer it is given, as `how` says.
pub fn extend_image(image: &ImageParam, how: &Boundary) -> Result<Func> {
    let handle = shim!(
        sys::hl_boundary_image,
        how.kind(),
        image.handle(),
        how.value()?
    )?;
    Ok(Func::from_handle(handle))
}

/// `source` extended beyond `bounds` (one `(min, extent)` per dimension), as `how` says.
///
/// ```
/// use halide::prelude::*;
/// use halide::boundary::{Boundary, extend};
/// let x = Var::new("x");
/// let mut ramp = Func::new("ramp");
/// ramp.define([&x], &x * 10)?;
/// let mut tiled = extend(&ramp, &[(Expr::from(0), Expr::from(3))], &Boundary::RepeatImage)?;
/// assert_eq!(tiled.realize::<i32>(&[7])?.as_slice(), &[0, 10, 20, 0, 10, 20, 0]);
/// # Ok::<(), halide::Error>(())
/// ```
pub fn extend(source: &Func, bounds: &[(Expr, Expr)], how: &Boundary) -> Result<Func> {
    let min_ptrs = raw_ptrs(bounds.iter().map(|(m, _)| m))?;
    let extent_ptrs = raw_ptrs(bounds.iter().map(|(_, e)| e))?;
    let value = how.value()?.map_or(std::ptr::null(), |v| v.as_ptr());
    let source = source.handle().as_ptr();
    // SAFETY: the source, both arrays' expressions and the value (or NULL,
    // "no value") are borrowed for the call; both arrays have bounds.len()
    // elements.
    let handle = unsafe {
        ffi::call(|err| {
            sys::hl_boundary_func(
                how.kind(),
                source,
                min_ptrs.as_ptr(),
                extent_ptrs.as_ptr(),
                bounds.len(),
                value,
                err,
            )
        })
    }?;
    Ok(Func::from_handle(handle))
}

/// `image` with a constant `value` outside its buffer's bounds.
pub fn constant_exterior(image: &ImageParam, value: impl IntoExpr) -> Result<Func> {
    extend_image(image, &Boundary::ConstantExterior(value.into_expr()))
}

/// `image` extended by repeating its edge values.
pub fn repeat_edge(image: &ImageParam) -> Result<Func> {
    extend_image(image, &Boundary::RepeatEdge)
}

/// `image` tiled periodically.
pub fn repeat_image(image: &ImageParam) -> Result<Func> {
    extend_image(image, &Boundary::RepeatImage)
}

/// `image` mirrored at its edges, repeating the edge values.
pub fn mirror_image(image: &ImageParam) -> Result<Func> {
    extend_image(image, &Boundary::MirrorImage)
}

/// `image` mirrored about its edge values, without repeating them.
pub fn mirror_interior(image: &ImageParam) -> Result<Func> {
    extend_image(image, &Boundary::MirrorInterior)
}

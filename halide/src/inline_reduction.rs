//! Inline reductions: `sum`, `product`, `maximum`, `minimum`, `argmax` and
//! `argmin` of an expression over the [`RDom`] variables it uses, as one
//! expression (Halide makes the reduction Func behind it).
//!
//! ```
//! use halide::prelude::*;
//! let x = Var::new("x");
//! let input = ImageParam::new::<f32>(1, "input");
//! let r = RDom::new("r", [(0, 3)])?;
//! // A 3-tap box filter and the position of each window's maximum.
//! let mut box3 = Func::new("box3");
//! box3.define([&x], sum(input.at([&x + r.x()])) / 3.0f32)?;
//! let mut peak = Func::new("peak");
//! peak.define([&x], argmax(input.at([&x + r.x()])).get(0))?;
//!
//! let data = [3.0f32, 9.0, 6.0, 0.0, 3.0];
//! let input_buf = BufferRef::new(&data, &[5])?;
//! let out = box3.realize_with::<f32>(&[3], &[input.bind(&input_buf)])?;
//! assert_eq!(out.as_slice(), &[6.0, 5.0, 3.0]);
//! let out = peak.realize_with::<i32>(&[3], &[input.bind(&input_buf)])?;
//! assert_eq!(out.as_slice(), &[1, 0, 0]); // window offsets of 9, 9, 6
//! # Ok::<(), halide::Error>(())
//! ```

use crate::convert::IntoOperand;
use crate::error::Error;
use crate::expr::Expr;
use crate::ffi::{self, ShimReturn};
use crate::rdom::RDom;
use crate::tuple::Tuple;
use halide_sys as sys;
use sys::hl_inline_reduction as Kind;

/// The most values an inline reduction gives: argmax/argmin of a domain of
/// up to 15 dimensions, plus the value.
const MAX_VALUES: usize = 16;

fn reduce(kind: Kind, domain: Option<&RDom>, e: Expr) -> Tuple {
    let handle = match e.handle() {
        Ok(h) => h,
        Err(err) => return Tuple::invalid(err),
    };
    let mut out = [std::ptr::null_mut(); MAX_VALUES];
    let rptr = domain.map_or(std::ptr::null(), |d| d.handle().as_ptr());
    // SAFETY: the expression and the domain (or NULL, "the expression's
    // own") are borrowed for the call; out has MAX_VALUES slots.
    let n = unsafe {
        ffi::call(|err| {
            sys::hl_expr_inline_reduce(
                kind,
                rptr,
                handle.as_ptr(),
                std::ptr::null(),
                out.as_mut_ptr(),
                MAX_VALUES,
                err,
            )
        })
    };
    match n {
        // SAFETY: the shim stored n new expressions, ours now, in out[..n].
        Ok(n) => out[..n]
            .iter()
            .map(|&p| Expr::from_result(unsafe { p.adopt() }))
            .collect(),
        Err(err) => Tuple::invalid(err),
    }
}

fn reduce_one(kind: Kind, domain: Option<&RDom>, e: Expr) -> Expr {
    let t = reduce(kind, domain, e);
    match t.len() {
        1 => t.get(0),
        n => Expr::from_result(Err(t.get(0).check().err().unwrap_or_else(|| {
            Error::invalid(format!("an inline reduction gave {n} values, not one"))
        }))),
    }
}

/// Defines `name(e)` and `name_over(domain, e)`, returning `$ret` through `$reduce`.
macro_rules! reductions {
    ($ret:ident $reduce:ident: $($(#[$doc:meta])* $name:ident $over:ident $kind:ident),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $name<'a>(e: impl IntoOperand<'a>) -> $ret {
            $reduce(Kind::$kind, None, e.into_operand().to_expr())
        }

        #[doc = concat!("[`", stringify!($name), "`] over `domain`, whether or not `e` uses all of it.")]
        pub fn $over<'a>(domain: &RDom, e: impl IntoOperand<'a>) -> $ret {
            $reduce(Kind::$kind, Some(domain), e.into_operand().to_expr())
        }
    )*};
}

reductions! { Expr reduce_one:
    /// The sum of `e` over its reduction domain, in `e`'s type (cast `e`
    /// to a wider type first to avoid overflow).
    sum sum_over HL_REDUCE_SUM,
    /// The product of `e` over its reduction domain.
    product product_over HL_REDUCE_PRODUCT,
    /// The largest value of `e` over its reduction domain.
    maximum maximum_over HL_REDUCE_MAXIMUM,
    /// The smallest value of `e` over its reduction domain.
    minimum minimum_over HL_REDUCE_MINIMUM,
}

reductions! { Tuple reduce:
    /// Where `e` is largest over its reduction domain (the first such
    /// point): a Tuple of the domain's coordinates, then the value.
    argmax argmax_over HL_REDUCE_ARGMAX,
    /// Where `e` is smallest over its reduction domain: as [`argmax`].
    argmin argmin_over HL_REDUCE_ARGMIN,
}

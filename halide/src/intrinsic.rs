//! Halide's intrinsics beyond arithmetic: bit fields, gather and scatter
//! hints, and predicates on the target a pipeline is compiled for, which
//! let one pipeline choose code per target (resolved when it is compiled).
//!
//! ```
//! use halide::prelude::*;
//! use halide::intrinsic::{concat_bits, extract_bits};
//! use halide::math::u8;
//! let x = Var::new("x");
//! let mut f = Func::new("bits");
//! // The high byte of x * 300, and two u8 halves joined into a u16.
//! f.define([&x], extract_bits::<u8>(&x * 300, 8).cast::<u16>() + concat_bits(&[u8(&x), u8(1)]))?;
//! let out = f.realize::<u16>(&[3])?;
//! assert_eq!(out.as_slice(), &[256, 257 + 1, 258 + 2]);
//! # Ok::<(), halide::Error>(())
//! ```

use crate::convert::IntoOperand;
use crate::expr::{Expr, raw_ptrs};
use crate::ffi::{self, shim};
use halide_runtime::Element;
use halide_sys as sys;

/// The bits of `value` from bit `lsb` up, as a `T` (bits past `value`'s
/// top read as zero). `T` need not be narrower than `value`.
///
/// ```
/// use halide::prelude::*;
/// use halide::intrinsic::extract_bits;
/// let f = extract_bits::<u8>(Expr::from(0x1234u16), 4);
/// assert_eq!(f.type_of()?, Type::uint(8));
/// let x = Var::new("x");
/// let mut g = Func::new("g");
/// g.define([&x], extract_bits::<u8>(Expr::from(0x1234u16), &x * 4))?;
/// assert_eq!(g.realize::<u8>(&[4])?.as_slice(), &[0x34, 0x23, 0x12, 0x01]);
/// # Ok::<(), halide::Error>(())
/// ```
pub fn extract_bits<'a, 'b, T: Element>(
    value: impl IntoOperand<'a>,
    lsb: impl IntoOperand<'b>,
) -> Expr {
    let (value, lsb) = (value.into_operand().to_expr(), lsb.into_operand().to_expr());
    Expr::build(|| {
        shim!(
            sys::hl_expr_extract_bits,
            T::TYPE.to_raw(),
            value.handle()?,
            lsb.handle()?
        )
    })
}

fn list(op: sys::hl_expr_list_op, args: &[Expr]) -> Expr {
    let args = args.to_vec();
    Expr::build(|| {
        let ptrs = raw_ptrs(&args)?;
        // SAFETY: the expressions are borrowed for the call; the length is
        // the array's.
        unsafe { ffi::call(|err| sys::hl_expr_list(op, ptrs.as_ptr(), ptrs.len(), err)) }
    })
}

/// The bits of `parts` side by side, `parts[0]` in the least significant
/// bits: a value as wide as all of them (all must have the same type).
///
/// ```
/// use halide::prelude::*;
/// use halide::intrinsic::concat_bits;
/// let joined = concat_bits(&[Expr::from(0x34u8), Expr::from(0x12u8)]);
/// assert_eq!(joined.type_of()?, Type::uint(16));
/// let mut f = Func::new("joined");
/// f.define([Var::new("x")], joined)?;
/// assert_eq!(f.realize::<u16>(&[1])?.as_slice(), &[0x1234]);
/// # Ok::<(), halide::Error>(())
/// ```
pub fn concat_bits(parts: &[Expr]) -> Expr {
    list(sys::hl_expr_list_op::HL_LIST_CONCAT_BITS, parts)
}

/// `values`, with a hint that a vector of them is loaded by a gather
/// (Hexagon's scatter-gather units); other targets ignore it.
pub fn gather(values: &[Expr]) -> Expr {
    list(sys::hl_expr_list_op::HL_LIST_GATHER, values)
}

/// `values`, with a hint that a vector of them is stored by a scatter;
/// other targets ignore it.
///
/// ```
/// use halide::prelude::*;
/// use halide::intrinsic::{gather, scatter};
/// let x = Var::new("x");
/// let mut f = Func::new("hinted");
/// f.define([&x], gather(&[x.expr() * 2]) + scatter(&[x.expr().clone()]))?;
/// assert_eq!(f.realize::<i32>(&[3])?.as_slice(), &[0, 3, 6]);
/// # Ok::<(), halide::Error>(())
/// ```
pub fn scatter(values: &[Expr]) -> Expr {
    list(sys::hl_expr_list_op::HL_LIST_SCATTER, values)
}

fn predicate(p: sys::hl_target_predicate, name: &str) -> Expr {
    let name = ffi::c_string(name);
    Expr::build(|| shim!(sys::hl_expr_target_predicate, p, name?.as_c_str()))
}

/// Whether the target's architecture is `arch`, named as in target
/// strings (`"x86"`, `"arm"`, `"powerpc"`, `"hexagon"`, `"wasm"`,
/// `"riscv"`); a boolean known when the pipeline is compiled, so a
/// `select` on it keeps only one side.
///
/// ```
/// use halide::prelude::*;
/// use halide::intrinsic::target_arch_is;
/// let mut f = Func::new("arch");
/// f.define([Var::new("x")], select(target_arch_is("x86"), 86, 0))?;
/// f.compile_jit(&"x86-64-linux".parse()?)?;
/// assert_eq!(f.realize::<i32>(&[1])?.as_slice(), &[86]);
/// assert!(target_arch_is("sparc").check().is_err());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn target_arch_is(arch: &str) -> Expr {
    predicate(sys::hl_target_predicate::HL_TARGET_ARCH_IS, arch)
}

/// Whether the target's OS is `os` (`"linux"`, `"windows"`, `"osx"`,
/// `"android"`, `"ios"`, `"noos"`, ...), known when the pipeline is compiled.
pub fn target_os_is(os: &str) -> Expr {
    predicate(sys::hl_target_predicate::HL_TARGET_OS_IS, os)
}

/// Whether the target has `feature` (`"avx2"`, `"cuda"`, ...), known when
/// the pipeline is compiled.
pub fn target_has_feature(feature: &str) -> Expr {
    predicate(sys::hl_target_predicate::HL_TARGET_HAS_FEATURE, feature)
}

/// The target's bit width (32 or 64), as an int32 known when the pipeline
/// is compiled.
pub fn target_bits() -> Expr {
    Expr::build(|| shim!(sys::hl_expr_target_bits))
}

/// The target's natural vector width for `T`, in lanes, as an int32 known
/// when the pipeline is compiled: what `vectorize` by it fills exactly.
pub fn target_natural_vector_size<T: Element>() -> Expr {
    Expr::build(|| shim!(sys::hl_expr_target_natural_vector_size, T::TYPE.to_raw()))
}

/// The user context pointer the pipeline was called with (a handle), to
/// pass to extern functions that take one.
///
/// ```
/// use halide::prelude::*;
/// use halide::intrinsic::user_context_value;
/// assert_eq!(user_context_value().type_of()?, Type::handle());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn user_context_value() -> Expr {
    Expr::build(|| shim!(sys::hl_expr_user_context))
}

/// `result`, which a [`memoize`](crate::Func::memoize)d Func computes,
/// with `keys` added to its cache key: values the result depends on that
/// Halide cannot see (say, the contents of a buffer a handle points at).
///
/// ```
/// use halide::prelude::*;
/// use halide::intrinsic::memoize_tag;
/// let x = Var::new("x");
/// let version = Param::<i32>::with_value("version", 1)?;
/// let mut f = Func::new("f");
/// f.define([&x], memoize_tag(&x * 2, &[version.expr().clone()]))?;
/// f.compute_root()?.memoize()?;
/// let mut g = Func::new("g");
/// g.define([&x], f.at([&x]) + 1)?;
/// assert_eq!(g.realize::<i32>(&[3])?.as_slice(), &[1, 3, 5]);
/// # Ok::<(), halide::Error>(())
/// ```
pub fn memoize_tag<'a>(result: impl IntoOperand<'a>, keys: &[Expr]) -> Expr {
    let result = result.into_operand().to_expr();
    let keys = keys.to_vec();
    Expr::build(|| {
        let rh = result.handle()?;
        let ptrs = raw_ptrs(&keys)?;
        let r = rh.as_ptr();
        // SAFETY: the expressions are borrowed for the call; the length is
        // the array's.
        unsafe { ffi::call(|err| sys::hl_expr_memoize_tag(r, ptrs.as_ptr(), ptrs.len(), err)) }
    })
}

//! Safe Rust bindings to [Halide](https://halide-lang.org), the language
//! for fast image and array pipelines.
//!
//! Write the algorithm as [`Func`]s over [`Var`]s with ordinary Rust
//! operators, then realize it: Halide JIT-compiles it for the host (or any
//! [`Target`]) and runs it over [`Buffer`]s you own or borrow.
//!
//! ```
//! use halide::prelude::*;
//!
//! let [x, y] = Var::many(["x", "y"]);
//! let mut brighter = Func::new("brighter");
//! brighter.define([&x, &y], min((&x + &y).cast::<u16>() * 2, 255).cast::<u8>())?;
//! let out: Buffer<u8> = brighter.realize(&[200, 100])?;
//! assert_eq!(out.get(&[10, 20]), Some(60));
//! assert_eq!(out.get(&[150, 90]), Some(255));
//!
//! // Comparisons are methods; Rust scalars take the other side's type.
//! let mut lower = Func::new("lower_triangle");
//! lower.define([&x, &y], select(x.le(&y), 255u8, 0u8))?;
//! let mask: Buffer<u8> = lower.realize(&[4, 4])?;
//! assert_eq!((mask.get(&[1, 2]), mask.get(&[2, 1])), (Some(255), Some(0)));
//! # Ok::<(), halide::Error>(())
//! ```
//!
//! Errors never abort: every fallible call returns [`Result`] with
//! Halide's own message, and an expression Halide rejected carries its
//! error to the first call that uses it (see [`Expr`]).
//!
//! Rust scalars in expressions follow C++'s literal rules: `u8_expr + 1`
//! stays `uint8`, `f32_expr * 0.5` stays `float32`; on the left of an
//! operator only `i32` and `f64` work (`2 * x`). Comparisons are methods
//! (`x.lt(3)`, `x.ge(&y)`), since Rust's return `bool`. The
//! [`convert`] module has the whole set of rules, with examples.
//!
//! ## The first build
//!
//! halide-sys looks for an installed Halide 21 (`HALIDE_ROOT`, CMake's
//! `Halide_DIR` or `CMAKE_PREFIX_PATH`, `pkg-config Halide`, the `halide`
//! Python package) and otherwise downloads the official Halide 21.0.0
//! wheel from PyPI: about 69 MB, kept with its unpacked contents (about
//! 165 MB) in `~/.cache/halide-rs` (`$XDG_CACHE_HOME/halide-rs`, or
//! `HALIDE_SYS_CACHE_DIR`), once per machine. Programs link Halide from
//! there, so they keep working after `cargo clean` or `cargo install`.
//! Behind a proxy, `HTTPS_PROXY` applies; `HALIDE_SYS_INDEX_URL` names a
//! PyPI mirror; offline, copy the wheel into the cache's `wheels/`
//! directory (a failed build prints its name, URL and sha256, and the exact
//! path).
//!
//! ## Features
#![doc = document_features::document_features!()]

// The modules in layers, bottom-up: a module uses only modules of the
// layers declared before its own (the test `layers` checks it).
// The seam with the shim.
mod error;
mod staleness;
// -
mod ffi;
// Expressions and what converts into them.
mod expr;
// -
mod var;
// -
pub mod convert;
// Inputs and targets.
mod param;
mod target;
// Compiled code and its arguments.
mod arg;
mod handlers;
// -
#[cfg(target_os = "linux")]
mod shared_library;
// -
mod callable;
// -
pub mod cache;
// Reduction domains.
mod rdom;
// Operators and functions of expressions.
mod ops;
// -
pub mod extern_fn;
pub mod intrinsic;
pub mod math;
pub mod webgpu;
// -
mod tuple;
// -
pub mod inline_reduction;
// Funcs, their boundary conditions and schedules.
mod func;
// -
pub mod boundary;
mod const_buffer;
// -
pub mod extern_stage;
mod schedule;
// Compiling and running pipelines.
mod pipeline;
// -
mod serialize;
// -
mod autoschedule;
pub mod derivative;
mod realize;
// -
pub mod aot;
pub mod gpu;
// -
pub mod generator;
mod module;

pub use arg::{Arg, IntoArg};
pub use autoschedule::{AutoSchedulerResults, Autoscheduler, load_plugin};
pub use callable::Callable;
pub use const_buffer::ConstBuffer;
pub use convert::{IntoArgs, IntoExpr, IntoOperand, IntoValues, IntoVars, Scalar};
pub use error::{Error, ErrorKind, Result};
pub use expr::Expr;
pub use func::{Func, lambda};
pub use halide_runtime::{
    ArgumentInfo, ArgumentKind, Buffer, BufferMut, BufferRef, Dim, Element, HalideBuffer,
    HalideBufferMut, Handlers, TraceEvent, TraceEventKind, Type, TypeCode,
};
pub use module::{LinkageType, Module, ModuleBuffer, link_modules};
pub use param::{Dimension, DynParam, ImageParam, Input, OutputBuffer, Param};
pub use pipeline::Pipeline;
pub use rdom::{RDom, RVar};
pub use realize::{evaluate, evaluate_may_gpu};
pub use schedule::{
    GpuTile, LoopAlignStrategy, LoopLevel, LoopVar, MAX_UNROLL, MAX_VECTOR, MemoryType, Partition,
    PrefetchBoundStrategy, Schedule, Stage, TailStrategy, Tile,
};
pub use target::Target;
pub use tuple::Tuple;
pub use var::Var;

#[doc = include_str!("parity.md")]
pub mod parity {}

/// The Halide release this crate runs, as halide-sys found it: `"21.0.0"`.
///
/// ```
/// assert!(halide::version().starts_with("21."));
/// ```
pub fn version() -> &'static str {
    halide_sys::paths::VERSION
}

/// The root of the Halide installation this crate links (its `include/`,
/// `lib/` or `lib64/`, and `bin/` or `share/` beneath), as the build found
/// it (Python's `halide.install_dir()`).
///
/// ```
/// assert!(halide::install_dir().join("include/Halide.h").exists());
/// ```
pub fn install_dir() -> std::path::PathBuf {
    halide_sys::paths::root()
}

/// Where halide-sys found that Halide: an installation's path, the
/// Python package, or the official wheel's cache.
///
/// ```
/// assert!(!halide::halide_source().is_empty());
/// ```
pub fn halide_source() -> &'static str {
    halide_sys::paths::SOURCE
}

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The names most programs need: `use halide::prelude::*;`.
pub mod prelude {
    pub use crate::inline_reduction::{argmax, argmin, maximum, minimum, product, sum};
    pub use crate::math::{max, min, select};
    pub use crate::{
        Buffer, BufferMut, BufferRef, Callable, Dim, DynParam, Element, Expr, Func, HalideBuffer,
        HalideBufferMut, Handlers, ImageParam, IntoExpr, LoopLevel, Param, Pipeline,
        PrefetchBoundStrategy, RDom, RVar, Schedule, Stage, TailStrategy, Target, Tuple, Type, Var,
    };
}

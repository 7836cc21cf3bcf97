//! Raw FFI to Halide's C++ front end, through a small C shim.
//!
//! This crate finds Halide at build time (see the README for the search
//! order), compiles `shim/` against it, and links `libHalide`. On Unix the
//! shim is a shared library that binaries name by its absolute path, and
//! that finds libHalide through its rpath, so no program that uses it needs
//! a loader path set. Every `hl_*`
//! function reports failure through its `hl_error **` argument; no C++
//! exception ever crosses into Rust. The safe API is the `halide` crate.
//!
//! ```
//! use std::ptr;
//! // SAFETY: plain calls into the shim; every handle is freed.
//! unsafe {
//!     let mut err = ptr::null_mut();
//!     let t = halide_sys::hl_target_parse(c"x86-64-linux-nonsense".as_ptr(), &mut err);
//!     assert!(t.is_null() && !err.is_null());
//!     let msg = std::ffi::CStr::from_ptr(halide_sys::hl_error_message(err));
//!     assert!(msg.to_string_lossy().contains("Did not understand Halide target"));
//!     halide_sys::hl_error_free(err);
//! }
//! ```
#![allow(non_camel_case_types, non_upper_case_globals, clippy::all)]

#[path = "version.rs"]
pub mod version;

pub mod paths;

// The doc comments are the C header's: brackets there are not links.
#[allow(
    missing_docs,
    clippy::undocumented_unsafe_blocks,
    rustdoc::broken_intra_doc_links
)]
mod bindings {
    include!("bindings.rs");
}
pub use bindings::*;

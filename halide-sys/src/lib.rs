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

// `hl_handlers` is halide-runtime's `RawHandlers`, re-exported by the
// bindings instead of generated, so no layout test of bindgen's covers it.
// The C header's struct is four pointers of these types, in this order
// (shim.h asserts that on the C++ side); this asserts the same of the Rust
// struct. The struct literal names every field with the C field's type, so
// a field added, removed, renamed or retyped on either side fails a build.
const _: () = {
    use core::ffi::{c_char, c_int, c_void};
    use core::mem::{align_of, offset_of, size_of};
    use halide_runtime::sys::halide_trace_event_t;

    type Text = unsafe extern "C" fn(user: *mut c_void, message: *const c_char);
    type Trace =
        unsafe extern "C" fn(user: *mut c_void, event: *const halide_trace_event_t) -> c_int;
    const PTR: usize = size_of::<*mut c_void>();

    let _ = hl_handlers {
        user: core::ptr::null_mut::<c_void>(),
        print: None::<Text>,
        trace: None::<Trace>,
        error: None::<Text>,
    };
    assert!(size_of::<hl_handlers>() == 4 * PTR);
    assert!(align_of::<hl_handlers>() == align_of::<*mut c_void>());
    assert!(offset_of!(hl_handlers, user) == 0);
    assert!(offset_of!(hl_handlers, print) == PTR);
    assert!(offset_of!(hl_handlers, trace) == 2 * PTR);
    assert!(offset_of!(hl_handlers, error) == 3 * PTR);
};

//! Halide's runtime side for Rust: buffers, element types and error codes.
//!
//! Everything here works without libHalide: it is what a program needs to
//! call pipelines compiled ahead of time, and what the `halide` crate's JIT
//! pipelines read and write.
//!
//! - [`Buffer`] owns 128-byte aligned memory; [`BufferRef`] and [`BufferMut`]
//!   borrow slices. All describe memory as a `halide_buffer_t` with any
//!   number of dimensions, mins and strides, dimension 0 innermost.
//! - [`Element`] maps Rust scalar types to Halide types.
//! - [`ErrorCode`] and [`Error`] decode `halide_error_code_t`.
//! - With the `image` feature, the `image` module views the
//!   `image` crate's `ImageBuffer`s as buffers without copying, and moves
//!   owned images into and out of [`Buffer`].
//!
//! ```
//! use halide_runtime::{Buffer, HalideBuffer, HalideBufferMut};
//! let mut img = Buffer::<u8>::new(&[640, 480, 3])?;
//! img.set(&[10, 20, 2], 255)?;
//! assert_eq!(img.get(&[10, 20, 2]), Some(255));
//! # Ok::<(), halide_runtime::ShapeError>(())
//! ```
//!
//! ## Features
#![doc = document_features::document_features!()]

pub mod aot;
pub mod argument;
pub mod buffer;
pub mod device;
pub mod error;
pub mod extern_stage;
pub mod handlers;
#[cfg(feature = "image")]
pub mod image;
#[allow(
    non_camel_case_types,
    non_upper_case_globals,
    non_snake_case,
    missing_docs,
    clippy::all,
    clippy::undocumented_unsafe_blocks,
    // The doc comments are the C header's: brackets there are not links.
    rustdoc::broken_intra_doc_links
)]
pub mod sys;
pub mod trace;
pub mod types;
pub mod webgpu;

#[cfg(feature = "image")]
pub use self::image::{
    ImageBridgeError, ImageBufferExt, ImageBufferMutExt, MoveError, OwnedImage, buffer_into_image,
    buffer_to_image, image_into_buffer,
};
pub use argument::{ArgumentInfo, ArgumentKind};
pub use buffer::{
    ALIGNMENT, Buffer, BufferMut, BufferRef, Dim, HalideBuffer, HalideBufferMut, INLINE_DIMS,
    RawBuffer, ShapeError,
};
pub use buffer::{
    HalideBufferExt, HalideBufferMutExt, for_each_value2, for_each_value3, for_each_value4,
};
pub use device::{DeviceApi, DeviceInterface, LentInput};
pub use error::{Error, ErrorCode};
pub use handlers::{Handlers, RawHandlers};
pub use trace::{TraceEvent, TraceEventKind};
pub use types::{Element, Type, TypeCode};

//! The `image` crate's [`ImageBuffer`](::image::ImageBuffer)s as Halide
//! buffers (feature `image`).
//!
//! `image` stores pixels interleaved: the channels of a pixel side by side,
//! pixels row by row. The views here describe that memory as Halide's
//! interleaved layout: dimensions (x, y, c) with strides (channels,
//! width × channels, 1), so that `f(x, y, c)` in a pipeline reads
//! `image.get_pixel(x, y)[c]`. The c dimension is there for every pixel
//! type (extent 1 for `Luma`), so one pipeline shape serves them all;
//! single-channel images also have a 2-D (x, y) view, since grayscale
//! pipelines usually are 2-D.
//!
//! | Conversion | Copies? |
//! |---|---|
//! | [`as_buffer`](ImageBufferExt::as_buffer), [`as_buffer_2d`](ImageBufferExt::as_buffer_2d), [`as_buffer_mut`](ImageBufferMutExt::as_buffer_mut), [`as_buffer_2d_mut`](ImageBufferMutExt::as_buffer_2d_mut) | no: views of the image's memory |
//! | [`image_into_buffer`] | no: the [`Buffer`](crate::Buffer) adopts the image's `Vec` |
//! | [`buffer_into_image`] | no: refused, the buffer given back, unless the buffer holds an adopted `Vec` in an image's layout |
//! | [`to_planar_buffer`](ImageBufferExt::to_planar_buffer), [`copy_from_buffer`](ImageBufferMutExt::copy_from_buffer), [`buffer_to_image`] | yes, from and to any layout |
//!
//! Halide requires dimension 0 of a pipeline's buffers to have stride 1
//! unless told otherwise; an interleaved image's x stride is its channel
//! count. Relax it for an input with `input.dim(0).set_stride(channels)`
//! (and `input.dim(2).set_stride(1)`); for an output, define the last
//! stage over (c, x, y) and realize into the view permuted to match
//! (`view.permute(&[2, 0, 1])`), whose dimension 0 is then dense.
//!
//! ```
//! use halide_runtime::{HalideBuffer, HalideBufferMut, ImageBufferExt, ImageBufferMutExt};
//! let mut img = image::RgbImage::from_fn(4, 3, |x, y| image::Rgb([x as u8, y as u8, 7]));
//! let view = img.as_buffer()?; // no copy
//! assert_eq!(view.get(&[2, 1, 0]), Some(2)); // red of pixel (2, 1)
//! assert_eq!(view.raw().as_raw().host.cast_const(), img.as_ptr());
//! img.as_buffer_mut()?.set(&[3, 2, 2], 99)?;
//! assert_eq!(img.get_pixel(3, 2).0, [3, 2, 99]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod owned;
mod shape;
mod view;

pub use error::{ImageBridgeError, MoveError};
pub use owned::{buffer_into_image, buffer_to_image, image_into_buffer};
pub use view::{ImageBufferExt, ImageBufferMutExt};

/// An image that owns its samples in a `Vec`, as `image`'s decoders and
/// [`ImageBuffer::new`](::image::ImageBuffer::new) make: what moves into
/// and out of a [`Buffer`](crate::Buffer) without a copy.
pub type OwnedImage<P> = ::image::ImageBuffer<P, Vec<<P as ::image::Pixel>::Subpixel>>;

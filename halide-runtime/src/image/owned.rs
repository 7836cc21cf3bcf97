//! Owned images into and out of [`Buffer`]: moves of the sample `Vec`
//! where the memory can change hands, and an explicit copy otherwise.

use super::shape::{Shape, image_layout};
use super::{ImageBridgeError, ImageBufferMutExt, MoveError, OwnedImage};
use crate::buffer::{Buffer, HalideBuffer, ShapeError};
use crate::types::Element;
use ::image::{ImageBuffer, Pixel};

/// Moves an image's samples into a [`Buffer`] with dims (x, y, c),
/// interleaved, **without copying**: the buffer adopts the image's `Vec`.
/// Single-channel images keep a c dimension of extent 1 (for a 2-D buffer,
/// [`Buffer::from_vec`] the samples with shape `[width, height]`). Refused,
/// the image given back, when it does not fit Halide's 32-bit shape.
///
/// ```
/// use halide_runtime::{HalideBuffer, image_into_buffer};
/// let img = image::Rgb32FImage::from_fn(3, 2, |x, _| image::Rgb([x as f32, 0.5, 1.0]));
/// let ptr = img.as_ptr();
/// let buf = image_into_buffer(img)?;
/// assert_eq!(buf.shape(), [3, 2, 3]);
/// assert_eq!(buf.get(&[2, 1, 0]), Some(2.0));
/// assert_eq!(buf.as_slice().as_ptr(), ptr); // moved, not copied
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn image_into_buffer<P>(
    image: OwnedImage<P>,
) -> Result<Buffer<P::Subpixel>, MoveError<OwnedImage<P>>>
where
    P: Pixel,
    P::Subpixel: Element,
{
    let shape = match Shape::of::<P>(image.width(), image.height()) {
        Ok(shape) => shape,
        Err(error) => {
            return Err(MoveError::new(error, image));
        }
    };
    let mut samples = image.into_raw();
    // `image` may hold more samples than its pixels need; dropping the
    // excess frees nothing and moves nothing.
    samples.truncate(shape.len());
    Ok(
        Buffer::from_vec_interleaved(samples, shape.width, shape.height, shape.channels)
            .expect("Shape::of made the same checks as this constructor, and the length fits"),
    )
}

/// Moves a [`Buffer`]'s elements into an image of pixel type `P`
/// **without copying**: the image takes over the `Vec` the buffer adopted.
///
/// Only a buffer made from a `Vec` ([`image_into_buffer`],
/// [`Buffer::from_vec_interleaved`], [`Buffer::from_vec`]) and laid out as
/// an image can move: dims (x, y, c) interleaved and dense with c of `P`'s
/// channel count, or dense (x, y) for a single-channel `P`. Its mins are
/// dropped. Anything else is refused with the buffer given back, for
/// [`buffer_to_image`] to copy; so is a buffer whose current data is on a
/// device (call [`copy_to_host`](crate::HalideBufferMut::copy_to_host) first).
///
/// ```
/// use halide_runtime::{Buffer, HalideBuffer, ImageBridgeError, buffer_into_image, buffer_to_image};
/// let samples: Vec<u16> = (0..12).collect();
/// let ptr = samples.as_ptr();
/// let buf = Buffer::from_vec_interleaved(samples, 2, 2, 3)?;
/// let img = buffer_into_image::<image::Rgb<u16>>(buf)?;
/// assert_eq!(img.get_pixel(1, 0).0, [3, 4, 5]);
/// assert_eq!(img.as_ptr(), ptr); // moved, not copied
///
/// // A planar buffer is refused; copying it is explicit.
/// let planar = Buffer::from_vec((0u16..12).collect(), &[2, 2, 3])?;
/// let refused = buffer_into_image::<image::Rgb<u16>>(planar).unwrap_err();
/// assert!(matches!(refused.error(), ImageBridgeError::NotInterleaved { .. }));
/// let img = buffer_to_image::<image::Rgb<u16>>(&refused.into_inner())?;
/// assert_eq!(img.get_pixel(1, 0).0, [1, 5, 9]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn buffer_into_image<P>(
    buffer: Buffer<P::Subpixel>,
) -> Result<OwnedImage<P>, MoveError<Buffer<P::Subpixel>>>
where
    P: Pixel,
    P::Subpixel: Element,
{
    let shape = match image_layout::<P>(&buffer) {
        Ok(shape) => shape,
        Err(error) => {
            return Err(MoveError::new(error, buffer));
        }
    };
    if !buffer.owns_vec() {
        return Err(MoveError::new(ImageBridgeError::NotVecBacked, buffer));
    }
    // No copy: the buffer adopted this Vec.
    let samples = buffer.into_vec();
    // A Vec-backed buffer holds exactly its elements, which the layout
    // check found to be the image's samples.
    let (width, height) = (shape.width as u32, shape.height as u32);
    Ok(ImageBuffer::from_raw(width, height, samples)
        .expect("a dense image-shaped buffer holds width * height * channels samples"))
}

/// **Copies** a buffer of any layout into a new image of pixel type `P`:
/// dims (x, y, c) with c of `P`'s channel count, or (x, y) for a
/// single-channel `P`, read from the buffer's mins. Refused when the
/// shape differs, the image would not fit Halide's 32-bit shape, or the
/// buffer's current data is on a device.
///
/// ```
/// use halide_runtime::{Buffer, buffer_to_image};
/// let gray = Buffer::<f32>::from_fn(&[3, 2], |c| c[0] as f32 + 0.5 * c[1] as f32)?;
/// let img = buffer_to_image::<image::Luma<f32>>(&gray)?;
/// assert_eq!(img.get_pixel(2, 1).0, [2.5]);
/// assert!(buffer_to_image::<image::Rgb<f32>>(&gray).is_err()); // no c dimension
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn buffer_to_image<P>(
    buffer: &(impl HalideBuffer<Elem = P::Subpixel> + ?Sized),
) -> Result<OwnedImage<P>, ImageBridgeError>
where
    P: Pixel,
    P::Subpixel: Element,
{
    if buffer.device_dirty() {
        return Err(ShapeError::DeviceDirty.into());
    }
    let (shape, _) = Shape::of_buffer::<P>(&buffer.dims())?;
    let mut image = ImageBuffer::new(shape.width as u32, shape.height as u32);
    image.copy_from_buffer(buffer)?;
    Ok(image)
}

//! [`ImageBufferExt`] and [`ImageBufferMutExt`]: images viewed as Halide
//! buffers in place, and copies between images and buffers of any layout.

use super::ImageBridgeError;
use super::shape::Shape;
use crate::buffer::{Buffer, BufferMut, BufferRef, HalideBuffer};
use crate::buffer::{HalideBufferMutExt, for_each_value2};
use crate::types::Element;
use ::image::{ImageBuffer, Pixel};
use std::ops::{Deref, DerefMut};

/// Views an image as a read-only Halide buffer over the same memory, or
/// copies it into a planar one.
///
/// Implemented for every [`ImageBuffer`] whose samples are an
/// [`Element`] (`u8`, `u16`, `f32`, ...) and whose container derefs to them.
pub trait ImageBufferExt<T: Element> {
    /// The image as dims (x, y, c), interleaved: no copy.
    ///
    /// ```
    /// use halide_runtime::{Dim, HalideBuffer, ImageBufferExt};
    /// let img = image::Rgba32FImage::new(640, 480);
    /// let view = img.as_buffer()?;
    /// assert_eq!(
    ///     view.dims(),
    ///     [Dim::new(0, 640, 4), Dim::new(0, 480, 640 * 4), Dim::new(0, 4, 1)]
    /// );
    /// # Ok::<(), halide_runtime::ImageBridgeError>(())
    /// ```
    fn as_buffer(&self) -> Result<BufferRef<'_, T>, ImageBridgeError>;

    /// A single-channel image as dims (x, y): no copy. Refused for more
    /// channels ([`ShapeError::ExtentMismatch`](crate::ShapeError::ExtentMismatch)
    /// on dimension 2).
    ///
    /// ```
    /// use halide_runtime::{Dim, HalideBuffer, ImageBufferExt};
    /// let gray = image::GrayImage::from_fn(4, 3, |x, y| image::Luma([(x + 10 * y) as u8]));
    /// let view = gray.as_buffer_2d()?;
    /// assert_eq!(view.dims(), [Dim::new(0, 4, 1), Dim::new(0, 3, 4)]);
    /// assert_eq!(view.get(&[1, 2]), Some(21));
    /// assert!(image::RgbImage::new(4, 3).as_buffer_2d().is_err());
    /// # Ok::<(), halide_runtime::ImageBridgeError>(())
    /// ```
    fn as_buffer_2d(&self) -> Result<BufferRef<'_, T>, ImageBridgeError>;

    /// A copy of the image into a new planar [`Buffer`]: dims (x, y, c)
    /// with strides (1, width, width * height), each channel a plane.
    ///
    /// ```
    /// use halide_runtime::{Dim, HalideBuffer, ImageBufferExt};
    /// let img = image::RgbImage::from_fn(2, 2, |x, y| image::Rgb([x as u8, y as u8, 9]));
    /// let planar = img.to_planar_buffer()?;
    /// assert_eq!(planar.dims(), [Dim::new(0, 2, 1), Dim::new(0, 2, 2), Dim::new(0, 3, 4)]);
    /// assert_eq!(planar.as_slice(), [0, 1, 0, 1, 0, 0, 1, 1, 9, 9, 9, 9]);
    /// # Ok::<(), halide_runtime::ImageBridgeError>(())
    /// ```
    fn to_planar_buffer(&self) -> Result<Buffer<T>, ImageBridgeError>;
}

impl<P, C> ImageBufferExt<P::Subpixel> for ImageBuffer<P, C>
where
    P: Pixel,
    P::Subpixel: Element,
    C: Deref<Target = [P::Subpixel]>,
{
    fn as_buffer(&self) -> Result<BufferRef<'_, P::Subpixel>, ImageBridgeError> {
        let dims = Shape::of::<P>(self.width(), self.height())?.interleaved()?;
        // Checked against the samples, which cost nothing to check and may
        // come from a container whose deref is not what `from_raw` saw.
        Ok(BufferRef::with_dims(self, &dims, 0)?)
    }

    fn as_buffer_2d(&self) -> Result<BufferRef<'_, P::Subpixel>, ImageBridgeError> {
        let dims = Shape::of::<P>(self.width(), self.height())?.flat()?;
        Ok(BufferRef::with_dims(self, &dims, 0)?)
    }

    fn to_planar_buffer(&self) -> Result<Buffer<P::Subpixel>, ImageBridgeError> {
        let shape = Shape::of::<P>(self.width(), self.height())?;
        // Dense dims with x innermost and c outermost are the planar ones.
        let mut planar = Buffer::new(&[shape.width, shape.height, shape.channels])?;
        planar.copy_from(&self.as_buffer()?)?;
        Ok(planar)
    }
}

/// Views an image as a writable Halide buffer over the same memory, or
/// copies a buffer into it.
///
/// Implemented for every [`ImageBuffer`] of [`ImageBufferExt`] whose
/// container also derefs mutably.
pub trait ImageBufferMutExt<T: Element>: ImageBufferExt<T> {
    /// The image as writable dims (x, y, c), interleaved: no copy.
    ///
    /// ```
    /// use halide_runtime::{HalideBufferMut, ImageBufferMutExt};
    /// let mut img = image::ImageBuffer::<image::LumaA<u16>, _>::new(3, 2);
    /// img.as_buffer_mut()?.set(&[2, 1, 1], 500)?; // alpha of pixel (2, 1)
    /// assert_eq!(img.get_pixel(2, 1).0, [0, 500]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn as_buffer_mut(&mut self) -> Result<BufferMut<'_, T>, ImageBridgeError>;

    /// A single-channel image as writable dims (x, y): no copy. Refused
    /// for more channels, as [`as_buffer_2d`](ImageBufferExt::as_buffer_2d) is.
    ///
    /// ```
    /// use halide_runtime::{HalideBufferMut, ImageBufferMutExt};
    /// let mut gray = image::GrayImage::new(3, 2);
    /// gray.as_buffer_2d_mut()?.set(&[2, 1], 9)?;
    /// assert_eq!(gray.get_pixel(2, 1).0, [9]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn as_buffer_2d_mut(&mut self) -> Result<BufferMut<'_, T>, ImageBridgeError>;

    /// Copies `src` into the image, element by element from `src`'s mins:
    /// `src` has dims (x, y, c) in any layout (planar, interleaved,
    /// strided) with the image's extents, or (x, y) for a single-channel
    /// image. Refused when the extents differ or `src`'s current data is
    /// on a device.
    ///
    /// ```
    /// use halide_runtime::{Buffer, ImageBufferMutExt};
    /// // Planar: each channel a plane, c outermost.
    /// let planar = Buffer::<u8>::from_fn(&[2, 1, 3], |c| (10 * c[2] + c[0]) as u8)?;
    /// let mut img = image::RgbImage::new(2, 1);
    /// img.copy_from_buffer(&planar)?;
    /// assert_eq!(img.as_raw(), &[0, 10, 20, 1, 11, 21]);
    /// assert!(img.copy_from_buffer(&Buffer::<u8>::new(&[2, 1, 4])?).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn copy_from_buffer(
        &mut self,
        src: &(impl HalideBuffer<Elem = T> + ?Sized),
    ) -> Result<(), ImageBridgeError>;
}

impl<P, C> ImageBufferMutExt<P::Subpixel> for ImageBuffer<P, C>
where
    P: Pixel,
    P::Subpixel: Element,
    C: DerefMut<Target = [P::Subpixel]>,
{
    fn as_buffer_mut(&mut self) -> Result<BufferMut<'_, P::Subpixel>, ImageBridgeError> {
        let dims = Shape::of::<P>(self.width(), self.height())?.interleaved()?;
        Ok(BufferMut::with_dims(self, &dims, 0)?)
    }

    fn as_buffer_2d_mut(&mut self) -> Result<BufferMut<'_, P::Subpixel>, ImageBridgeError> {
        let dims = Shape::of::<P>(self.width(), self.height())?.flat()?;
        Ok(BufferMut::with_dims(self, &dims, 0)?)
    }

    fn copy_from_buffer(
        &mut self,
        src: &(impl HalideBuffer<Elem = P::Subpixel> + ?Sized),
    ) -> Result<(), ImageBridgeError> {
        // A 2-D source only fits a single-channel image; into any other
        // the 3-D view's dimension check refuses it.
        let mut dst = if src.dimensions() == 2 && P::CHANNEL_COUNT == 1 {
            self.as_buffer_2d_mut()?
        } else {
            self.as_buffer_mut()?
        };
        // By position, not coordinate: images have no mins, and a source
        // with other mins would otherwise be cropped without complaint.
        for_each_value2(&mut dst, src, |d, s| *d = s)?;
        Ok(())
    }
}

//! The `image` interop: views share the image's memory and read and write
//! its pixels; moves keep the memory; copies keep the values.
#![cfg(feature = "image")]

use halide_runtime::{
    Buffer, BufferRef, Dim, Element, HalideBuffer, HalideBufferExt, HalideBufferMut,
    HalideBufferMutExt, ImageBridgeError, ImageBufferExt, ImageBufferMutExt, ShapeError,
    buffer_into_image, buffer_to_image, image_into_buffer,
};
use image::{ImageBuffer, Luma, LumaA, Pixel, Rgb, Rgba};
use std::fmt::Debug;

/// What the checks need of a sample type: u8, u16 and f32 all are.
trait Sample: Element + From<u8> + PartialEq + Debug {}
impl<T: Element + From<u8> + PartialEq + Debug> Sample for T {}

type Image<P> = ImageBuffer<P, Vec<<P as Pixel>::Subpixel>>;

/// A 5 x 3 image (odd sizes, so no stride is a lucky power of two) whose
/// samples all differ.
fn test_image<P: Pixel>() -> Image<P>
where
    P::Subpixel: Sample,
{
    let n = 5 * 3 * usize::from(P::CHANNEL_COUNT);
    let samples = (0..n).map(|i| P::Subpixel::from(i as u8 + 1)).collect();
    ImageBuffer::from_raw(5, 3, samples).expect("as many samples as the pixels need")
}

/// Whether `buf`, dims (x, y, c) or (x, y), holds `img`'s samples.
fn assert_same_values<P: Pixel>(buf: &impl HalideBuffer<Elem = P::Subpixel>, img: &Image<P>)
where
    P::Subpixel: Sample,
{
    assert_eq!((buf.width(), buf.height()), (5, 3));
    for (x, y, pixel) in img.enumerate_pixels() {
        for (c, &sample) in pixel.channels().iter().enumerate() {
            let coords = [x as i32, y as i32, c as i32];
            let coords = &coords[..buf.dimensions()];
            assert_eq!(buf.get(coords), Some(sample), "at {coords:?}");
        }
    }
}

/// Whether two images have the same size and samples.
fn assert_same_image<P: Pixel>(a: &Image<P>, b: &Image<P>)
where
    P::Subpixel: Sample,
{
    assert_eq!(a.dimensions(), b.dimensions());
    assert_eq!(a.as_raw(), b.as_raw());
}

fn host<B: HalideBuffer>(b: &B) -> *const B::Elem {
    b.raw().as_raw().host.cast_const().cast()
}

/// Views read the image's own memory in Halide's interleaved layout, and
/// writes through them land in the image.
fn check_views<P: Pixel>()
where
    P::Subpixel: Sample,
{
    let mut img = test_image::<P>();
    let c = i32::from(P::CHANNEL_COUNT);
    let view = img.as_buffer().unwrap();
    assert_eq!(host(&view), img.as_ptr());
    assert_eq!(
        view.dims(),
        [Dim::new(0, 5, c), Dim::new(0, 3, 5 * c), Dim::new(0, c, 1)]
    );
    assert_same_values(&view, &img);

    let ptr = img.as_ptr();
    let mut view = img.as_buffer_mut().unwrap();
    assert_eq!(host(&view), ptr);
    view.set(&[4, 2, c - 1], P::Subpixel::from(200)).unwrap();
    view.set(&[0, 1, 0], P::Subpixel::from(201)).unwrap();
    drop(view);
    assert_eq!(
        img.get_pixel(4, 2).channels()[c as usize - 1],
        P::Subpixel::from(200)
    );
    assert_eq!(img.get_pixel(0, 1).channels()[0], P::Subpixel::from(201));
    // Nothing else changed.
    let mut expected = test_image::<P>();
    expected.get_pixel_mut(4, 2).channels_mut()[c as usize - 1] = P::Subpixel::from(200);
    expected.get_pixel_mut(0, 1).channels_mut()[0] = P::Subpixel::from(201);
    assert_same_image(&img, &expected);
}

#[test]
fn views_share_memory_for_every_pixel_type() {
    check_views::<Luma<u8>>();
    check_views::<LumaA<u8>>();
    check_views::<Rgb<u8>>();
    check_views::<Rgba<u8>>();
    check_views::<Luma<u16>>();
    check_views::<LumaA<u16>>();
    check_views::<Rgb<u16>>();
    check_views::<Rgba<u16>>();
    check_views::<Luma<f32>>();
    check_views::<LumaA<f32>>();
    check_views::<Rgb<f32>>();
    check_views::<Rgba<f32>>();
}

fn check_2d_views<T: Sample>()
where
    Luma<T>: Pixel<Subpixel = T>,
{
    let mut img = test_image::<Luma<T>>();
    let view = img.as_buffer_2d().unwrap();
    assert_eq!(host(&view), img.as_ptr());
    assert_eq!(view.dims(), [Dim::new(0, 5, 1), Dim::new(0, 3, 5)]);
    assert_same_values(&view, &img);
    img.as_buffer_2d_mut()
        .unwrap()
        .for_each_element_mut(|c, v| *v = T::from((c[0] + 10 * c[1]) as u8));
    assert_eq!(img.get_pixel(3, 2).0, [T::from(23)]);
    assert_eq!(img.get_pixel(4, 0).0, [T::from(4)]);
}

#[test]
fn single_channel_images_have_2d_views() {
    check_2d_views::<u8>();
    check_2d_views::<u16>();
    check_2d_views::<f32>();
    let mut rgb = test_image::<Rgb<u8>>();
    let refused = ShapeError::ExtentMismatch {
        dim: 2,
        expected: 1,
        found: 3,
    };
    assert_eq!(rgb.as_buffer_2d().unwrap_err(), refused.clone().into());
    assert_eq!(rgb.as_buffer_2d_mut().unwrap_err(), refused.into());
}

/// Moving an image into a buffer and back keeps its memory and values.
fn check_moves<P: Pixel>()
where
    P::Subpixel: Sample,
{
    let img = test_image::<P>();
    let ptr = img.as_ptr();
    let buf = image_into_buffer(img).unwrap();
    assert_eq!(host(&buf), ptr);
    assert_same_values(&buf, &test_image::<P>());
    let back = buffer_into_image::<P>(buf).unwrap();
    assert_eq!(back.as_ptr(), ptr);
    assert_same_image(&back, &test_image::<P>());
}

#[test]
fn moves_keep_memory_for_every_pixel_type() {
    check_moves::<Luma<u8>>();
    check_moves::<LumaA<u8>>();
    check_moves::<Rgb<u8>>();
    check_moves::<Rgba<u8>>();
    check_moves::<Luma<u16>>();
    check_moves::<Rgb<u16>>();
    check_moves::<Rgba<u16>>();
    check_moves::<Luma<f32>>();
    check_moves::<Rgb<f32>>();
    check_moves::<Rgba<f32>>();
}

#[test]
fn moves_accept_relabeled_and_2d_buffers() {
    // Mins are dropped: pixel (0, 0) is the element at the mins.
    let mut buf = image_into_buffer(test_image::<Rgb<u8>>()).unwrap();
    buf.set_min(&[10, 20, 0]).unwrap();
    let img = buffer_into_image::<Rgb<u8>>(buf).unwrap();
    assert_same_image(&img, &test_image::<Rgb<u8>>());
    // A dense 2-D buffer is a grayscale image.
    let samples: Vec<f32> = (0..15).map(|i| i as f32).collect();
    let ptr = samples.as_ptr();
    let gray = buffer_into_image::<Luma<f32>>(Buffer::from_vec(samples, &[5, 3]).unwrap()).unwrap();
    assert_eq!(gray.as_ptr(), ptr);
    assert_eq!(gray.get_pixel(2, 1).0, [7.0]);
    // A container with more samples than the pixels need gives up the rest.
    let long = ImageBuffer::<Luma<u16>, _>::from_raw(2, 2, vec![1u16; 9]).unwrap();
    let ptr = long.as_ptr();
    let buf = image_into_buffer(long).unwrap();
    assert_eq!((buf.len(), host(&buf)), (4, ptr));
}

#[test]
fn moves_that_would_copy_are_refused_and_give_the_buffer_back() {
    // Aligned memory of its own: no Vec to hand over.
    let aligned = Buffer::<u8>::new_interleaved(5, 3, 3).unwrap();
    let refused = buffer_into_image::<Rgb<u8>>(aligned).unwrap_err();
    assert_eq!(refused.error(), &ImageBridgeError::NotVecBacked);
    assert_eq!(refused.into_inner().shape(), [5, 3, 3]);
    // Planar: the samples are in the wrong order.
    let planar = Buffer::from_vec(vec![0u16; 45], &[5, 3, 3]).unwrap();
    let refused = buffer_into_image::<Rgb<u16>>(planar).unwrap_err();
    assert!(matches!(
        refused.error(),
        ImageBridgeError::NotInterleaved { .. }
    ));
    let planar = refused.into_inner();
    assert_eq!(planar.dims()[2], Dim::new(0, 3, 15));
    // The pixel type's channel count must match.
    let rgb = image_into_buffer(test_image::<Rgb<u8>>()).unwrap();
    let refused = buffer_into_image::<Rgba<u8>>(rgb).unwrap_err();
    assert_eq!(
        refused.error(),
        &ShapeError::ExtentMismatch {
            dim: 2,
            expected: 4,
            found: 3
        }
        .into()
    );
    // Transposed (y, x, c): the memory order is not an image's.
    let mut rgb = refused.into_inner();
    rgb.transpose(0, 1).unwrap();
    assert!(matches!(
        buffer_into_image::<Rgb<u8>>(rgb).unwrap_err().error(),
        ImageBridgeError::NotInterleaved { .. }
    ));
}

#[test]
fn shapes_past_i32_are_errors_not_panics() {
    // Empty, so cheap to make, but wider than an i32 extent.
    let wide = || ImageBuffer::<Luma<u8>, Vec<u8>>::from_raw(1 << 31, 0, vec![]).unwrap();
    let too_large = ImageBridgeError::TooLarge {
        width: 1 << 31,
        height: 0,
        channels: 1,
    };
    assert_eq!(wide().as_buffer().unwrap_err(), too_large);
    assert_eq!(wide().as_buffer_2d_mut().unwrap_err(), too_large);
    assert_eq!(wide().to_planar_buffer().unwrap_err(), too_large);
    let refused = image_into_buffer(wide()).unwrap_err();
    assert_eq!(refused.error(), &too_large);
    assert_eq!(refused.into_inner().width(), 1 << 31);
    // Each extent fits an i32, the row stride (width * 4) does not.
    let mut rgba = ImageBuffer::<Rgba<f32>, Vec<f32>>::from_raw(1 << 29, 0, vec![]).unwrap();
    assert!(matches!(
        rgba.as_buffer_mut().unwrap_err(),
        ImageBridgeError::TooLarge { channels: 4, .. }
    ));
}

/// Planar copies: c outermost, the same values; and back into an image.
fn check_planar<P: Pixel>()
where
    P::Subpixel: Sample,
{
    let img = test_image::<P>();
    let c = i32::from(P::CHANNEL_COUNT);
    let planar = img.to_planar_buffer().unwrap();
    assert_eq!(
        planar.dims(),
        [Dim::new(0, 5, 1), Dim::new(0, 3, 5), Dim::new(0, c, 15)]
    );
    assert_ne!(host(&planar), img.as_ptr());
    assert_same_values(&planar, &img);
    let back = buffer_to_image::<P>(&planar).unwrap();
    assert_same_image(&back, &img);
    let mut into = Image::<P>::new(5, 3);
    into.copy_from_buffer(&planar).unwrap();
    assert_same_image(&into, &img);
}

#[test]
fn planar_copies_round_trip() {
    check_planar::<Luma<u8>>();
    check_planar::<Rgb<u8>>();
    check_planar::<Rgba<u8>>();
    check_planar::<LumaA<u16>>();
    check_planar::<Rgb<u16>>();
    check_planar::<Luma<f32>>();
    check_planar::<Rgba<f32>>();
}

#[test]
fn copies_read_any_layout_by_position() {
    let img = test_image::<Rgb<u16>>();
    // Interleaved, with mins: copied from the mins.
    let mut buf = image_into_buffer(img.clone()).unwrap();
    buf.set_min(&[-2, 7, 0]).unwrap();
    assert_same_image(&buffer_to_image::<Rgb<u16>>(&buf).unwrap(), &img);
    // A strided view over the image's samples: columns 1 and 3.
    let dims = [Dim::new(0, 2, 6), Dim::new(0, 3, 15), Dim::new(0, 3, 1)];
    let columns = BufferRef::with_dims(&img, &dims, 3).unwrap();
    let mut narrow = Image::<Rgb<u16>>::new(2, 3);
    narrow.copy_from_buffer(&columns).unwrap();
    assert_eq!(narrow.get_pixel(0, 0), img.get_pixel(1, 0));
    assert_eq!(narrow.get_pixel(1, 2), img.get_pixel(3, 2));
    // A 2-D buffer into a grayscale image; into RGB it is refused.
    let gray = Buffer::<u8>::from_fn(&[5, 3], |c| (c[0] * c[1]) as u8).unwrap();
    let gray_img = buffer_to_image::<Luma<u8>>(&gray).unwrap();
    assert_eq!(gray_img.get_pixel(4, 2).0, [8]);
    assert_eq!(
        buffer_to_image::<Rgb<u8>>(&gray).unwrap_err(),
        ShapeError::DimensionMismatch {
            expected: 3,
            found: 2
        }
        .into()
    );
    // Extents must match the image's exactly.
    let mut small = Image::<Rgb<u16>>::new(4, 3);
    assert!(matches!(
        small
            .copy_from_buffer(&img.as_buffer().unwrap())
            .unwrap_err(),
        ImageBridgeError::Shape(ShapeError::ExtentMismatch { dim: 0, .. })
    ));
}

#[test]
fn borrowed_containers_are_viewed_too() {
    let mut samples = [0u8; 2 * 2 * 4];
    let mut img = ImageBuffer::<Rgba<u8>, &mut [u8]>::from_raw(2, 2, &mut samples).unwrap();
    img.as_buffer_mut().unwrap().fill(7);
    let ptr = img.as_ptr();
    assert_eq!(host(&img.as_buffer().unwrap()), ptr);
    assert!(samples.iter().all(|&s| s == 7));
}

//! What a Rust programmer would use instead of Halide, for the apps where
//! something reasonable exists: the `imageproc` crate's filters, and the
//! same computations written by hand as well as one reasonably can
//! (separable passes, rows in parallel on rayon's pool, inner loops the
//! compiler vectorizes). The benchmark times them against the apps; the
//! tests check them against the apps' outputs within the tolerances their
//! docs state.
//!
//! Images are dense and planar, as Halide's buffers of the same shape:
//! `x` fastest, then `y`, then the channel.

use crate::LUMA;
use crate::unsharp::kernel;
use image::{GrayImage, ImageBuffer, Luma};
use rayon::prelude::*;

/// The blur app by hand: bands of 32 output rows in parallel, each row's
/// horizontal pass computed once into a band buffer, then the vertical
/// pass. `input` is `w` wide; `out` is two narrower and two shorter. The
/// same bits as the app: the same wrapping sums and divisions.
///
/// ```
/// use halide::prelude::*;
/// let input = halide_apps::blur::input(40, 20)?;
/// let mut out = vec![0u16; 38 * 18];
/// halide_apps::alternatives::blur_rayon(input.as_slice(), 40, &mut out);
/// assert_eq!(out, halide_apps::blur::reference(&input)?.as_slice());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn blur_rayon(input: &[u16], w: usize, out: &mut [u16]) {
    const BAND: usize = 32;
    let out_w = w - 2;
    out.par_chunks_mut(out_w * BAND)
        .enumerate()
        .for_each(|(band, rows)| {
            let first = band * BAND;
            let n = rows.len() / out_w;
            let mut across = vec![0u16; (n + 2) * out_w];
            for (r, row_out) in across.chunks_exact_mut(out_w).enumerate() {
                let row = &input[(first + r) * w..][..w];
                for (x, o) in row_out.iter_mut().enumerate() {
                    *o = row[x].wrapping_add(row[x + 1]).wrapping_add(row[x + 2]) / 3;
                }
            }
            for (r, row_out) in rows.chunks_exact_mut(out_w).enumerate() {
                let (a, b, c) = (
                    &across[r * out_w..][..out_w],
                    &across[(r + 1) * out_w..][..out_w],
                    &across[(r + 2) * out_w..][..out_w],
                );
                for (x, o) in row_out.iter_mut().enumerate() {
                    *o = a[x].wrapping_add(b[x]).wrapping_add(c[x]) / 3;
                }
            }
        });
}

/// A 3×3 box blur with `imageproc` (`filter::box_filter`), which takes
/// 8-bit gray images only: the output has the input's size, the edges
/// repeated outward, each pixel the rounded mean. Inside, it is the blur
/// app's output shifted by one pixel, within 1 level (the app truncates
/// twice where imageproc rounds once).
///
/// ```
/// let input = image::GrayImage::from_fn(5, 5, |x, y| image::Luma([(x * 40 + y) as u8]));
/// let out = halide_apps::alternatives::blur_imageproc(&input);
/// assert_eq!(out.get_pixel(2, 2)[0], 82);
/// ```
pub fn blur_imageproc(input: &GrayImage) -> GrayImage {
    imageproc::filter::box_filter(input, 1, 1)
}

/// The gray image of a planar RGB image `w × h`, rows in parallel.
fn gray(input: &[f32], w: usize, h: usize) -> Vec<f32> {
    let plane = w * h;
    let mut gray = vec![0.0f32; plane];
    gray.par_chunks_mut(w).enumerate().for_each(|(y, row)| {
        let at = |c: usize| &input[c * plane + y * w..][..w];
        let (r, g, b) = (at(0), at(1), at(2));
        for (x, o) in row.iter_mut().enumerate() {
            *o = r[x] * LUMA[0] + g[x] * LUMA[1] + b[x] * LUMA[2];
        }
    });
    gray
}

/// The app's last step: each channel scaled by how much sharpening changed
/// the gray, from the gray and its blur, rows in parallel.
fn sharpen(input: &[f32], gray: &[f32], blurred: &[f32], w: usize, out: &mut [f32]) {
    let plane = gray.len();
    out.par_chunks_mut(w).enumerate().for_each(|(row, o)| {
        let y = row % (plane / w);
        let (g, b) = (&gray[y * w..][..w], &blurred[y * w..][..w]);
        let i = &input[row * w..][..w];
        for x in 0..w {
            o[x] = (g[x] * 2.0 - b[x]) / g[x] * i[x];
        }
    });
}

/// The unsharp app by hand: the gray image, its vertical then horizontal
/// 7-tap blur (edges repeated), then the sharpening, each a pass over
/// whole planes with rows in parallel. `input` and `out` are planar RGB
/// `w × h`. Within 1e-4 (relative) of the app: the kernel's taps come from
/// Rust's `exp`, not Halide's.
///
/// ```
/// use halide::prelude::*;
/// let input = Buffer::<f32>::from_fn(&[16, 8, 3], |c| 0.05 + halide_apps::noise(c))?;
/// let mut out = vec![0.0f32; 16 * 8 * 3];
/// halide_apps::alternatives::unsharp_rayon(input.as_slice(), 16, 8, &mut out);
/// let want = halide_apps::unsharp::reference(&input)?;
/// assert!(out.iter().zip(want.as_slice()).all(|(a, b)| (a - b).abs() <= 1e-4 * b.abs()));
/// # Ok::<(), halide::Error>(())
/// ```
pub fn unsharp_rayon(input: &[f32], w: usize, h: usize, out: &mut [f32]) {
    let k = kernel();
    let gray = gray(input, w, h);
    let mut blur_y = vec![0.0f32; w * h];
    blur_y.par_chunks_mut(w).enumerate().for_each(|(y, row)| {
        let at = |d: isize| {
            let yy = (y as isize + d).clamp(0, h as isize - 1) as usize;
            &gray[yy * w..][..w]
        };
        let rows = [at(0), at(-1), at(1), at(-2), at(2), at(-3), at(3)];
        for (x, o) in row.iter_mut().enumerate() {
            let mut sum = k[0] * rows[0][x];
            for d in 1..=3 {
                sum += k[d] * (rows[2 * d - 1][x] + rows[2 * d][x]);
            }
            *o = sum;
        }
    });
    let mut blur_x = vec![0.0f32; w * h];
    blur_x
        .par_chunks_mut(w)
        .zip(blur_y.par_chunks(w))
        .for_each(|(row, src)| {
            let at = |x: usize, d: isize| src[(x as isize + d).clamp(0, w as isize - 1) as usize];
            for (x, o) in row.iter_mut().enumerate() {
                let mut sum = k[0] * src[x];
                for d in 1..=3isize {
                    sum += k[d as usize] * (at(x, -d) + at(x, d));
                }
                *o = sum;
            }
        });
    sharpen(input, &gray, &blur_x, w, out);
}

/// The unsharp app with `imageproc` doing the blur
/// (`filter::separable_filter_equal` with the app's 7 taps, edges
/// repeated) and the gray and sharpening steps as [`unsharp_rayon`]'s.
/// Within 1e-4 (relative) of the app: imageproc adds the taps in another
/// order.
///
/// ```
/// use halide::prelude::*;
/// let input = Buffer::<f32>::from_fn(&[16, 8, 3], |c| 0.05 + halide_apps::noise(c))?;
/// let mut out = vec![0.0f32; 16 * 8 * 3];
/// halide_apps::alternatives::unsharp_imageproc(input.as_slice(), 16, 8, &mut out);
/// let want = halide_apps::unsharp::reference(&input)?;
/// assert!(out.iter().zip(want.as_slice()).all(|(a, b)| (a - b).abs() <= 1e-4 * b.abs()));
/// # Ok::<(), halide::Error>(())
/// ```
pub fn unsharp_imageproc(input: &[f32], w: usize, h: usize, out: &mut [f32]) {
    let k = kernel();
    let taps = [k[3], k[2], k[1], k[0], k[1], k[2], k[3]];
    let gray = gray(input, w, h);
    let image: ImageBuffer<Luma<f32>, Vec<f32>> =
        ImageBuffer::from_raw(w as u32, h as u32, gray).expect("w × h values");
    let blurred = imageproc::filter::separable_filter_equal(&image, &taps);
    sharpen(input, image.as_raw(), blurred.as_raw(), w, out);
}

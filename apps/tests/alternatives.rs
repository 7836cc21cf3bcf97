//! The Rust alternatives compute what the apps do, within the tolerances
//! their docs state, checked against the Halide apps' outputs and so
//! against each other.

use halide::prelude::*;
use halide_apps::alternatives::{blur_imageproc, blur_rayon, unsharp_imageproc, unsharp_rayon};
use halide_apps::workload::Image;
use halide_apps::{App, Scheduling, blur::Blur, unsharp::Unsharp};

/// The app's output under its manual schedule, for `inputs` made by
/// `workload`.
fn halide_output(app: &dyn App, size: &[i32], edit: impl FnOnce(&mut Image)) -> (Image, Image) {
    let target = Target::host().unwrap();
    let callable = app
        .pipeline(Scheduling::Manual, &target, size)
        .unwrap()
        .compile(&target)
        .unwrap();
    let mut run = app.workload(size).unwrap();
    if let Some(halide_apps::workload::Input::Image(image)) = run.inputs.first_mut() {
        edit(image);
    }
    run.run(&callable).unwrap();
    let input = std::mem::take(&mut run.inputs).remove(0);
    match input {
        halide_apps::workload::Input::Image(image) => (image, run.output),
        _ => unreachable!("the apps here take an image first"),
    }
}

#[test]
fn the_blurs_agree() {
    let (w, h) = (130usize, 67usize);
    let (input, output) = halide_output(&Blur, &[w as i32, h as i32], |_| {});
    let (Image::U16(input), Image::U16(output)) = (input, output) else {
        panic!("the blur is 16-bit")
    };
    let mut rayon = vec![0u16; w * h];
    blur_rayon(input.as_slice(), w + 2, &mut rayon);
    assert_eq!(rayon, output.as_slice(), "rayon: the same bits");

    // imageproc's box filter takes 8-bit images: run the app on 8-bit
    // values too (no sums wrap) and compare inside the edges.
    let (input, output) = halide_output(&Blur, &[w as i32, h as i32], |image| {
        if let Image::U16(b) = image {
            b.as_mut_slice().iter_mut().for_each(|v| *v >>= 8);
        }
    });
    let (Image::U16(input), Image::U16(output)) = (input, output) else {
        panic!("the blur is 16-bit")
    };
    let gray = image::GrayImage::from_fn(w as u32 + 2, h as u32 + 2, |x, y| {
        image::Luma([input.get(&[x as i32, y as i32]).unwrap() as u8])
    });
    let boxed = blur_imageproc(&gray);
    for y in 0..h as u32 {
        for x in 0..w as u32 {
            let app = output.get(&[x as i32, y as i32]).unwrap();
            let theirs = u16::from(boxed.get_pixel(x + 1, y + 1)[0]);
            assert!(
                app.abs_diff(theirs) <= 1,
                "({x}, {y}): {app} against {theirs}"
            );
        }
    }
}

#[test]
fn the_unsharps_agree() {
    let (w, h) = (97usize, 64usize);
    let (input, output) = halide_output(&Unsharp, &[w as i32, h as i32, 3], |_| {});
    let (Image::F32(input), Image::F32(output)) = (input, output) else {
        panic!("unsharp is float")
    };
    let close = |a: &[f32], b: &[f32]| {
        a.iter()
            .zip(b)
            .map(|(a, b)| (a - b).abs() / b.abs())
            .fold(0.0f32, f32::max)
    };
    let mut rayon = vec![0.0f32; w * h * 3];
    unsharp_rayon(input.as_slice(), w, h, &mut rayon);
    let mut imageproc = vec![0.0f32; w * h * 3];
    unsharp_imageproc(input.as_slice(), w, h, &mut imageproc);
    assert!(close(&rayon, output.as_slice()) < 1e-4);
    assert!(close(&imageproc, output.as_slice()) < 1e-4);
    assert!(close(&imageproc, &rayon) < 1e-4);
}

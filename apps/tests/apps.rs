//! Every app, under its hand-written schedule and each CPU autoscheduler,
//! computes what its plain Rust version does.

use halide::args;
use halide::prelude::*;
use halide_apps::blur::Blur;
use halide_apps::cpp::CppApp;
use halide_apps::unsharp::Unsharp;
use halide_apps::{Scheduling, noise};

#[test]
fn blur_matches_rust_under_every_schedule() {
    let target = Target::host().unwrap();
    // Sums that wrap at 16 bits, as the app's do.
    let input = Buffer::<u16>::from_fn(&[130, 67], |c| (noise(c) * 65535.0) as u16).unwrap();
    let want = Blur::reference(&input).unwrap();
    for scheduling in Scheduling::ALL {
        let app = Blur::new(scheduling, &target, [128, 65]).unwrap();
        let callable = app.pipeline().unwrap().compile(&target).unwrap();
        let mut out = Buffer::<u16>::new(&[128, 65]).unwrap();
        callable.call(args![&input, &mut out]).unwrap();
        assert_eq!(out.as_slice(), want.as_slice(), "{scheduling:?}");
    }
}

#[test]
fn unsharp_matches_rust_under_every_schedule() {
    let target = Target::host().unwrap();
    let input = Buffer::<f32>::from_fn(&[97, 64, 3], |c| 0.05 + noise(c)).unwrap();
    let want = Unsharp::reference(&input).unwrap();
    let mut manual: Option<Vec<f32>> = None;
    for scheduling in Scheduling::ALL {
        let app = Unsharp::new(scheduling, &target, [97, 64, 3]).unwrap();
        let callable = app.pipeline().unwrap().compile(&target).unwrap();
        let mut out = Buffer::<f32>::new(&[97, 64, 3]).unwrap();
        callable.call(args![&input, &mut out]).unwrap();
        // Halide's exp and Rust's differ in the last bits.
        let worst = out
            .as_slice()
            .iter()
            .zip(want.as_slice())
            .map(|(a, b)| (a - b).abs() / b.abs().max(1e-3))
            .fold(0.0f32, f32::max);
        assert!(worst < 1e-4, "{scheduling:?}: relative error {worst}");
        // The schedules change where values are computed, not how: the
        // same code generator gives the same values, to rounding.
        match &manual {
            None => manual = Some(out.as_slice().to_vec()),
            Some(m) => {
                let worst = out
                    .as_slice()
                    .iter()
                    .zip(m)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0f32, f32::max);
                assert!(
                    worst < 1e-5,
                    "{scheduling:?} differs from the manual schedule by {worst}"
                );
            }
        }
    }
}

#[test]
fn bad_inputs_are_errors() {
    let tiny = Buffer::<u16>::new(&[2, 2]).unwrap();
    assert!(Blur::reference(&tiny).is_err());
    let gray = Buffer::<f32>::new(&[4, 4, 1]).unwrap();
    assert!(Unsharp::reference(&gray).is_err());
    // Too small an input for the output asked: Halide's error, no crash.
    let target = Target::host().unwrap();
    let app = Blur::new(Scheduling::Manual, &target, [4, 4]).unwrap();
    let callable = app.pipeline().unwrap().compile(&target).unwrap();
    let mut out = Buffer::<u16>::new(&[4, 4]).unwrap();
    let small = Buffer::<u16>::new(&[5, 5]).unwrap();
    assert!(callable.call(args![&small, &mut out]).is_err());
}

/// The same app, written with Halide's C++ API and scheduled by hand the
/// same way, computes the same bits: one code generator behind both.
#[test]
fn rust_and_cpp_compute_the_same_bits() {
    let target = Target::host().unwrap();
    let input = Buffer::<u16>::from_fn(&[258, 130], |c| (noise(c) * 65535.0) as u16).unwrap();
    let (mut rust, mut cpp) = (
        Buffer::<u16>::new(&[256, 128]).unwrap(),
        Buffer::<u16>::new(&[256, 128]).unwrap(),
    );
    let app = Blur::new(Scheduling::Manual, &target, [256, 128]).unwrap();
    let callable = app.pipeline().unwrap().compile(&target).unwrap();
    callable.call(args![&input, &mut rust]).unwrap();
    let cpp_blur = CppApp::new("blur").unwrap();
    cpp_blur.call(&input, &mut cpp).unwrap();
    assert_eq!(rust.as_slice(), cpp.as_slice());

    let input = Buffer::<f32>::from_fn(&[200, 96, 3], |c| 0.05 + noise(c)).unwrap();
    let (mut rust, mut cpp) = (
        Buffer::<f32>::new(&[200, 96, 3]).unwrap(),
        Buffer::<f32>::new(&[200, 96, 3]).unwrap(),
    );
    let app = Unsharp::new(Scheduling::Manual, &target, [200, 96, 3]).unwrap();
    let callable = app.pipeline().unwrap().compile(&target).unwrap();
    callable.call(args![&input, &mut rust]).unwrap();
    CppApp::new("unsharp")
        .unwrap()
        .call(&input, &mut cpp)
        .unwrap();
    let bits = |b: &Buffer<f32>| b.as_slice().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&rust), bits(&cpp));

    // A C++ failure comes back as an error with Halide's message.
    let mut wrong = Buffer::<u16>::new(&[300, 10]).unwrap();
    let small = Buffer::<u16>::new(&[10, 10]).unwrap();
    let err = cpp_blur.call(&small, &mut wrong).unwrap_err();
    assert!(err.to_string().contains("input"), "{err}");
}

//! Every app, under its hand-written schedule and each CPU autoscheduler,
//! computes what its plain Rust version does, and its C++ twin computes
//! the same bits.

use halide::prelude::*;
use halide_apps::cpp::{CppApp, CppArg};
use halide_apps::workload::{distance, identical};
use halide_apps::{APPS, App, Scheduling, blur, unsharp};

#[test]
fn every_app_matches_its_reference_under_every_schedule() {
    let target = Target::host().unwrap();
    for app in APPS {
        let size = app.test_size();
        let mut run = app.workload(size).unwrap();
        let want = app.reference(&run).unwrap();
        for scheduling in Scheduling::ALL {
            let callable = app
                .pipeline(scheduling, &target, size)
                .and_then(|p| p.compile(&target))
                .unwrap_or_else(|e| panic!("{} {scheduling:?}: {e}", app.name()));
            run.run(&callable).unwrap();
            let d = distance(&run.output, &want, 1e-3).unwrap();
            assert!(
                d <= app.tolerance(),
                "{} {scheduling:?}: {d} from the reference",
                app.name()
            );
        }
    }
}

/// The same app, written with Halide's C++ API and scheduled by hand the
/// same way, computes the same bits: one code generator behind both.
#[test]
fn rust_and_cpp_compute_the_same_bits() {
    let target = Target::host().unwrap();
    for app in APPS {
        let size = app.test_size();
        let callable = app
            .pipeline(Scheduling::Manual, &target, size)
            .and_then(|p| p.compile(&target))
            .unwrap();
        let (mut rust, mut cpp) = (app.workload(size).unwrap(), app.workload(size).unwrap());
        rust.run(&callable).unwrap();
        cpp.run_cpp(&CppApp::new(app.name()).unwrap()).unwrap();
        assert!(identical(&rust.output, &cpp.output), "{}", app.name());
    }
}

#[test]
fn bad_inputs_are_errors() {
    let tiny = Buffer::<u16>::new(&[2, 2]).unwrap();
    assert!(blur::reference(&tiny).is_err());
    let gray = Buffer::<f32>::new(&[4, 4, 1]).unwrap();
    assert!(unsharp::reference(&gray).is_err());
    let target = Target::host().unwrap();
    for app in APPS {
        assert!(app.workload(&[1]).is_err(), "{}", app.name());
        assert!(app.pipeline(Scheduling::Manual, &target, &[]).is_err());
    }
    // Too small an input for the output asked: Halide's error, no crash,
    // from Rust and from C++.
    let callable = blur::Blur
        .pipeline(Scheduling::Manual, &target, &[16, 8])
        .unwrap()
        .compile(&target)
        .unwrap();
    let mut out = Buffer::<u16>::new(&[16, 8]).unwrap();
    let small = Buffer::<u16>::new(&[5, 5]).unwrap();
    assert!(callable.call(halide::args![&small, &mut out]).is_err());
    let err = CppApp::new("blur")
        .unwrap()
        .call(&[CppArg::input(&small), CppArg::output(&mut out)])
        .unwrap_err();
    assert!(err.to_string().contains("input"), "{err}");
}

//! Every app, under its hand-written schedule and each CPU autoscheduler,
//! computes what its plain Rust version does, and its C++ twin computes
//! the same bits.

use halide::prelude::*;
use halide_apps::cpp::{CppApp, CppArg};
use halide_apps::workload::{distance, identical};
use halide_apps::{APPS, App, Scheduling, blur, unsharp};

/// Checks `app` under every schedule against its reference, and its C++
/// twin, bit for bit (one code generator behind both).
fn check(app: &dyn App) {
    let target = Target::host().unwrap();
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
        if scheduling == Scheduling::Manual {
            let mut cpp = app.workload(size).unwrap();
            cpp.run_cpp(&CppApp::new(app.name()).unwrap()).unwrap();
            assert!(
                identical(&run.output, &cpp.output),
                "{}: Rust and C++ differ",
                app.name()
            );
        }
    }
}

/// One test per app, so that the test threads share them out; and a test
/// that none of `APPS` is left out.
macro_rules! app_tests {
    ($($test:ident: $app:expr),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                check(&$app);
            }
        )*

        #[test]
        fn every_app_is_tested() {
            let tested = [$($app.name()),*];
            let names: Vec<&str> = APPS.iter().map(|a| a.name()).collect();
            assert_eq!(names, tested);
        }
    };
}

app_tests! {
    blur_app: blur::Blur,
    unsharp_app: unsharp::Unsharp,
    bilateral_grid_app: halide_apps::bilateral_grid::BilateralGrid,
    local_laplacian_app: halide_apps::local_laplacian::LocalLaplacian,
    interpolate_app: halide_apps::interpolate::Interpolate,
    harris_app: halide_apps::harris::Harris,
    max_filter_app: halide_apps::max_filter::MaxFilter,
    iir_blur_app: halide_apps::iir_blur::IirBlur,
    stencil_chain_app: halide_apps::stencil_chain::StencilChain,
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

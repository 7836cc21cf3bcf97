//! The four autoschedulers of the located Halide, loaded by full path.

use halide::prelude::*;
use halide::{Autoscheduler, ErrorKind, args};

/// A two-stage blur with estimates on its input and output.
fn blur(with_estimates: bool) -> (Pipeline, Func) {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let input = ImageParam::new::<f32>(2, "input");
    let clamped = halide::boundary::repeat_edge(&input).unwrap();
    let mut bx = Func::new("bx");
    bx.define(
        [&x, &y],
        (clamped.at((&x - 1, &y)) + clamped.at((&x, &y)) + clamped.at((&x + 1, &y))) / 3.0f32,
    )
    .unwrap();
    let mut by = Func::new("by");
    by.define(
        [&x, &y],
        (bx.at((&x, &y - 1)) + bx.at((&x, &y)) + bx.at((&x, &y + 1))) / 3.0f32,
    )
    .unwrap();
    if with_estimates {
        input.dim(0).set_estimate(0, 512).unwrap();
        input.dim(1).set_estimate(0, 512).unwrap();
        by.set_estimate(&x, 0, 512)
            .unwrap()
            .set_estimate(&y, 0, 512)
            .unwrap();
    }
    (Pipeline::new(&[&by]).unwrap(), by)
}

/// Runs at the estimated size: autoscheduled tiles assume outputs that large.
fn run(pipeline: &Pipeline) -> Vec<f32> {
    let data: Vec<f32> = (0..512 * 512).map(|i| (i % 97) as f32).collect();
    let mut out = Buffer::<f32>::new(&[512, 512]).unwrap();
    let c = pipeline.compile(&Target::host().unwrap()).unwrap();
    c.call(args![
        &BufferRef::new(&data, &[512, 512]).unwrap(),
        &mut out
    ])
    .unwrap();
    out.into_vec()
}

#[test]
fn cpu_autoschedulers_schedule_without_changing_results() {
    let expected = run(&blur(false).0);
    let target = Target::host().unwrap();
    for (scheduler, params) in [
        (Autoscheduler::Mullapudi2016, vec![("parallelism", "4")]),
        (Autoscheduler::Adams2019, vec![("parallelism", "4")]),
        (Autoscheduler::Li2018, vec![("parallelism", "4")]),
    ] {
        let (pipeline, _) = blur(true);
        let results = pipeline.auto_schedule(&target, scheduler, &params).unwrap();
        let source = &results.schedule_source;
        assert!(source.contains("by"), "{scheduler:?} schedule:\n{source}");
        assert_eq!(results.autoscheduler, scheduler.name());
        assert_eq!(results.target, target);
        assert_eq!(results.params["parallelism"], "4");
        // Adams2019's cost model reads a featurization; it returns it.
        let featurized = !results.featurization.is_empty();
        assert_eq!(
            featurized,
            scheduler == Autoscheduler::Adams2019,
            "{scheduler:?}"
        );
        let got = run(&pipeline);
        let close = got
            .iter()
            .zip(&expected)
            .all(|(a, b)| (a - b).abs() <= 1e-4 * (1.0 + b.abs()));
        assert!(close, "{scheduler:?} changed the results");
    }
}

#[test]
fn missing_estimates_are_an_error() {
    let (pipeline, _) = blur(false);
    let err = pipeline
        .auto_schedule(&Target::host().unwrap(), Autoscheduler::Adams2019, &[])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Compile);
    assert!(err.message().to_lowercase().contains("estimate"), "{err}");
}

#[test]
fn anderson2021_needs_a_gpu_target() {
    let (pipeline, _) = blur(true);
    assert!(
        pipeline
            .auto_schedule(&Target::host().unwrap(), Autoscheduler::Anderson2021, &[])
            .is_err()
    );
}

#[test]
fn plugins_load_once() {
    for _ in 0..3 {
        Autoscheduler::Adams2019.load().unwrap();
    }
}

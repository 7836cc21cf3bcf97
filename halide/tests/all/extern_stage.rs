//! Extern stages computed by Rust closures, between Halide stages, checked
//! against plain Rust.

use halide::extern_stage::{ExternCall, ExternInput};
use halide::prelude::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const W: i32 = 12;
const H: i32 = 9;

/// Triples its 2-D i32 input over the region asked for, counting calls.
fn triple(
    calls: Arc<AtomicUsize>,
) -> impl Fn(&mut ExternCall<'_>) -> Result<(), String> + Send + Sync + 'static {
    move |call| {
        calls.fetch_add(1, Ordering::Relaxed);
        let input = call.input::<i32>(0)?;
        let mut out = call.output::<i32>()?;
        let (dx, dy) = (out.dim(0).ok_or("dim 0")?, out.dim(1).ok_or("dim 1")?);
        for y in dy.min..dy.min + dy.extent {
            for x in dx.min..dx.min + dx.extent {
                let v = input
                    .get(&[x, y])
                    .ok_or(format!("input lacks ({x}, {y})"))?;
                out.set(&[x, y], v * 3).map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    }
}

/// producer (Halide) -> tripled (Rust) -> consumer (Halide).
fn pipeline(calls: Arc<AtomicUsize>) -> (Var, Var, Func, Func, Func) {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut producer = Func::new("producer");
    producer.define([&x, &y], &x + &y * 10).unwrap();
    let mut tripled = Func::new("tripled");
    tripled
        .define_extern::<i32>(&[ExternInput::from(&producer)], 2, triple(calls))
        .unwrap();
    let mut consumer = Func::new("consumer");
    consumer.define([&x, &y], tripled.at((&x, &y)) + 1).unwrap();
    (x, y, producer, tripled, consumer)
}

fn expected() -> Vec<i32> {
    (0..H)
        .flat_map(|y| (0..W).map(move |x| (x + y * 10) * 3 + 1))
        .collect()
}

#[test]
fn between_halide_stages_computed_at_the_root() {
    let calls = Arc::new(AtomicUsize::new(0));
    let (_, _, mut producer, mut tripled, mut consumer) = pipeline(calls.clone());
    producer.compute_root().unwrap();
    tripled.compute_root().unwrap();
    let out = consumer.realize::<i32>(&[W, H]).unwrap();
    assert_eq!(out.as_slice(), expected().as_slice());
    assert_eq!(calls.load(Ordering::Relaxed), 1);
}

#[test]
fn computed_per_row_inside_a_parallel_loop() {
    let calls = Arc::new(AtomicUsize::new(0));
    let (_, y, mut producer, mut tripled, mut consumer) = pipeline(calls.clone());
    consumer.parallel(&y).unwrap();
    tripled.compute_at(&consumer, &y).unwrap();
    producer.compute_at(&consumer, &y).unwrap();
    let out = consumer.realize::<i32>(&[W, H]).unwrap();
    assert_eq!(out.as_slice(), expected().as_slice());
    assert_eq!(
        calls.load(Ordering::Relaxed),
        H as usize,
        "one call per row"
    );
}

#[test]
fn reads_pipeline_inputs_and_is_never_cached() {
    let x = Var::new("x");
    let input = ImageParam::new::<f32>(1, "input");
    let mut halved = Func::new("halved");
    halved
        .define_extern::<f32>(&[ExternInput::from(&input)], 1, |call| {
            let input = call.input::<f32>(0)?;
            let mut out = call.output::<f32>()?;
            let d = out.dim(0).ok_or("dim 0")?;
            for i in d.min..d.min + d.extent {
                out.set(&[i], input.get(&[i]).ok_or("input")? / 2.0)
                    .map_err(|e| e.to_string())?;
            }
            Ok(())
        })
        .unwrap();
    let mut f = Func::new("f");
    f.define([&x], halved.at([&x]) + 1.0f32).unwrap();
    halved.compute_root().unwrap();
    let data = [2.0f32, 4.0, 6.0];
    let out = f
        .realize_with::<f32>(&[3], &[input.bind(&BufferRef::new(&data, &[3]).unwrap())])
        .unwrap();
    assert_eq!(out.as_slice(), &[2.0, 3.0, 4.0]);
    // The compile cache never serves or stores it (this holds with the
    // cache on, as it is by default).
    let host = Target::host().unwrap();
    let callable = Pipeline::new(&[&f]).unwrap().compile(&host).unwrap();
    assert!(!callable.is_cached());
    if halide::cache::settings().enabled {
        // The same pipeline with a Halide stage instead is.
        let mut plain = Func::new("plain_halved");
        plain
            .define([&x], input.at([&x]) / 2.0f32 + 1.0f32)
            .unwrap();
        assert!(
            Pipeline::new(&[&plain])
                .unwrap()
                .compile(&host)
                .unwrap()
                .is_cached()
        );
    }
    // Ahead of time, the closure would not exist.
    let e = f
        .aot("halved")
        .unwrap()
        .compile(std::env::temp_dir())
        .unwrap_err();
    assert!(e.to_string().contains("ahead of time"), "{e}");
}

#[test]
fn errors_and_panics_fail_the_call_and_nothing_else() {
    let x = Var::new("x");
    for (name, fail) in [("failing", false), ("panicking", true)] {
        let mut stage = Func::new(name);
        stage
            .define_extern::<i32>(&[], 1, move |call| {
                if fail {
                    panic!("the closure panicked on purpose");
                }
                let _ = call.output::<i32>()?;
                Err("the closure refused on purpose".to_owned())
            })
            .unwrap();
        stage.compute_root().unwrap();
        let mut f = Func::new("f");
        f.define([&x], stage.at([&x])).unwrap();
        let e = f.realize::<i32>(&[4]).unwrap_err();
        let text = e.to_string();
        let wanted = if fail {
            "panicked: the closure panicked on purpose"
        } else {
            "the closure refused on purpose"
        };
        assert!(text.contains(wanted) && text.contains(name), "{text}");
    }
    // The process is fine, and so is the next pipeline.
    let mut g = Func::new("g");
    g.define([&x], &x * 2).unwrap();
    assert_eq!(g.realize::<i32>(&[3]).unwrap().as_slice(), &[0, 2, 4]);
}

#[test]
fn type_mismatches_are_errors() {
    let x = Var::new("x");
    let mut ints = Func::new("ints");
    ints.define([&x], x.expr().clone()).unwrap();
    ints.compute_root().unwrap();
    let mut wrong = Func::new("wrong");
    wrong
        .define_extern::<f32>(&[ExternInput::from(&ints)], 1, |call| {
            call.input::<f32>(0)?;
            Ok(())
        })
        .unwrap();
    wrong.compute_root().unwrap();
    let mut f = Func::new("f");
    f.define([&x], wrong.at([&x])).unwrap();
    let e = f.realize::<f32>(&[2]).unwrap_err().to_string();
    assert!(e.contains("input 0 holds int32, not float32"), "{e}");
    // More inputs than the trampolines take.
    let many: Vec<ExternInput<'_>> = (0..5).map(|_| ExternInput::from(&ints)).collect();
    let mut too_many = Func::new("too_many");
    assert!(too_many.define_extern::<i32>(&many, 1, |_| Ok(())).is_err());
}

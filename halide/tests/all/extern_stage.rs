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

/// A constant buffer as an extern stage's input, beside a Func: the
/// closure reads both, checked against plain Rust.
#[test]
fn a_constant_buffer_is_an_input_like_a_func() {
    use halide::ConstBuffer;
    let x = Var::new("x");
    let mut ramp = Func::new("cb_ramp");
    ramp.define([&x], &x * 10).unwrap();
    ramp.compute_root().unwrap();
    let table = Buffer::<i32>::from_vec(vec![5, 6, 7, 8], &[4]).unwrap();
    let table = ConstBuffer::new("cb_table", &table).unwrap();
    let mut added = Func::new("cb_added");
    added
        .define_extern::<i32>(
            &[ExternInput::from(&ramp), ExternInput::from(&table)],
            1,
            |call| {
                let (ramp, table) = (call.input::<i32>(0)?, call.input::<i32>(1)?);
                let mut out = call.output::<i32>()?;
                let d = out.dim(0).ok_or("no dimension 0")?;
                for i in d.min..d.min + d.extent {
                    let v = ramp.get(&[i]).ok_or("ramp")? + table.get(&[i % 4]).ok_or("table")?;
                    out.set(&[i], v).map_err(|e| e.to_string())?;
                }
                Ok(())
            },
        )
        .unwrap();
    let got = added.realize::<i32>(&[6]).unwrap();
    let want: Vec<i32> = (0..6)
        .map(|i| i * 10 + [5, 6, 7, 8][i as usize % 4])
        .collect();
    assert_eq!(got.as_slice(), want.as_slice());
}

/// A scalar goes to a C function by value; a Rust closure, which captures
/// its values, is refused one with the reason.
#[test]
fn scalars_go_to_c_stages_only() {
    use halide::extern_stage::NameMangling;
    let x = Var::new("x");
    let mut ramp = Func::new("sc_ramp");
    ramp.define([&x], x.expr().clone()).unwrap();
    ramp.compute_root().unwrap();
    let gain = Param::<f32>::with_value("sc_gain", 2.0).unwrap();
    let mut rust = Func::new("sc_rust");
    let err = rust
        .define_extern::<i32>(
            &[ExternInput::from(&ramp), ExternInput::from(gain.expr())],
            1,
            |_| Ok(()),
        )
        .unwrap_err();
    assert!(err.to_string().contains("takes buffers only"), "{err}");

    let mut c = Func::new("sc_c");
    c.define_extern_c::<i32>(
        "scaled_by",
        &[ExternInput::from(&ramp), ExternInput::from(gain.expr())],
        1,
        NameMangling::C,
    )
    .unwrap();
    let stmt = c.lowered_stmt(&Target::host().unwrap()).unwrap();
    let call = stmt
        .lines()
        .find(|l| l.contains("scaled_by("))
        .unwrap_or_default();
    assert!(call.contains("sc_gain"), "the scalar is not passed: {stmt}");
}

/// The function's name is mangled as asked: a C name, or a C++ one for a
/// target that allows C++ names (its symbol in the library shows which).
#[test]
fn extern_function_names_are_mangled_as_asked() {
    use halide::extern_stage::NameMangling;
    let dir = std::env::temp_dir().join(format!("halide-mangling-{}", std::process::id()));
    let x = Var::new("x");
    let host = Target::host().unwrap();
    let cpp = host.with_feature("c_plus_plus_name_mangling").unwrap();
    for (mangling, target, symbol) in [
        (NameMangling::C, &host, &b"\0my_stage\0"[..]),
        (NameMangling::CPlusPlus, &cpp, &b"_Z8my_stage"[..]),
        // The target's: C++, since it asks for C++ names.
        (NameMangling::Default, &cpp, &b"_Z8my_stage"[..]),
    ] {
        let mut input = Func::new("mg_input");
        input.define([&x], x.expr().clone()).unwrap();
        input.compute_root().unwrap();
        let mut stage = Func::new("mg_stage");
        stage
            .define_extern_c::<i32>("my_stage", &[ExternInput::from(&input)], 1, mangling)
            .unwrap();
        // A library, whose calls pass the user context the stage takes.
        let library = stage
            .aot("mangled")
            .unwrap()
            .target(target)
            .compile_library(&dir)
            .unwrap();
        let object = std::fs::read(&library.static_library).unwrap();
        let found = object.windows(symbol.len()).any(|w| w == symbol);
        assert!(
            found,
            "{mangling:?}: no {:?} in the object",
            String::from_utf8_lossy(symbol)
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

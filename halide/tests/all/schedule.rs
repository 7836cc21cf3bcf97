//! Schedules change how a pipeline runs, never what it computes; bad
//! directives are errors; changes after compiling take effect.

use halide::ErrorKind;
use halide::prelude::*;

/// A 3x3 box blur over a generated input, unscheduled.
fn blur() -> (Var, Var, Func, Func) {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut input = Func::new("input");
    input
        .define([&x, &y], ((&x * 7 + &y * 13) % 256).cast::<u16>())
        .unwrap();
    let mut blur_x = Func::new("blur_x");
    blur_x
        .define(
            [&x, &y],
            (input.at((&x - 1, &y)) + input.at((&x, &y)) + input.at((&x + 1, &y))) / 3,
        )
        .unwrap();
    let mut blur_y = Func::new("blur_y");
    blur_y
        .define(
            [&x, &y],
            (blur_x.at((&x, &y - 1)) + blur_x.at((&x, &y)) + blur_x.at((&x, &y + 1))) / 3,
        )
        .unwrap();
    (x, y, blur_x, blur_y)
}

#[test]
fn scheduled_blur_matches_unscheduled() {
    let (_, _, _, mut plain) = blur();
    let expected = plain.realize::<u16>(&[300, 200]).unwrap();

    let (x, y, mut blur_x, mut blur_y) = blur();
    let (xi, yi) = (Var::new("xi"), Var::new("yi"));
    blur_y
        .tile(&x, &y, &xi, &yi, 64, 32)
        .unwrap()
        .vectorize(&xi, 8)
        .unwrap()
        .parallel(&y)
        .unwrap();
    blur_x
        .compute_at(&blur_y, &x)
        .unwrap()
        .vectorize(&x, 8)
        .unwrap();
    let got = blur_y.realize::<u16>(&[300, 200]).unwrap();
    assert_eq!(got.as_slice(), expected.as_slice());

    let stmt = blur_y.lowered_stmt(&Target::host().unwrap()).unwrap();
    assert!(stmt.contains("par_for_blur_y"), "{stmt}");
    assert!(
        stmt.contains("allocate blur_x"),
        "blur_x computed inside the tiles:\n{stmt}"
    );
}

#[test]
fn every_directive_preserves_results() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let define = |f: &mut Func| f.define([&x, &y], &x * 3 + &y * 5).unwrap();
    let mut reference = Func::new("reference");
    define(&mut reference);
    let expected = reference.realize::<i32>(&[37, 23]).unwrap();

    let (xo, xi, yo, yi, fused) = (
        Var::new("xo"),
        Var::new("xi"),
        Var::new("yo"),
        Var::new("yi"),
        Var::new("t"),
    );
    type Schedule<'a> = Box<dyn Fn(&mut Func) + 'a>;
    let schedules: Vec<Schedule<'_>> = vec![
        Box::new(|f| {
            f.split(&x, &xo, &xi, 8).unwrap().unroll(&xi, 2).unwrap();
        }),
        Box::new(|f| {
            f.split_with_tail(&x, &xo, &xi, 4, TailStrategy::GuardWithIf)
                .unwrap()
                .vectorize_loop(&xi)
                .unwrap();
        }),
        Box::new(|f| {
            f.reorder(&[&y, &x]).unwrap().parallel_tasks(&x, 4).unwrap();
        }),
        Box::new(|f| {
            f.fuse(&x, &y, &fused).unwrap().parallel(&fused).unwrap();
        }),
        Box::new(|f| {
            f.tile_outer(&x, &y, &xo, &yo, &xi, &yi, 8, 8, TailStrategy::GuardWithIf)
                .unwrap()
                .serial(&yo)
                .unwrap();
        }),
    ];
    for (i, schedule) in schedules.iter().enumerate() {
        let mut f = Func::new(&format!("scheduled{i}"));
        define(&mut f);
        schedule(&mut f);
        assert_eq!(
            f.realize::<i32>(&[37, 23]).unwrap().as_slice(),
            expected.as_slice(),
            "schedule {i}"
        );
    }
}

#[test]
fn directives_on_unknown_variables_are_errors() {
    let (x, y, z) = (Var::new("x"), Var::new("y"), Var::new("z"));
    let mut f = Func::new("two_d");
    f.define([&x, &y], &x + &y).unwrap();
    let err = f.vectorize(&z, 8).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Compile);
    assert!(err.message().contains("z"), "{err}");
    let (zo, zi) = (Var::new("zo"), Var::new("zi"));
    let err = f.split(&z, &zo, &zi, 4).unwrap_err();
    assert!(err.message().contains("z"), "{err}");
    // Reusing a variable the schedule already has is refused too.
    let err = f.split(&x, &y, &zi, 4).unwrap_err();
    assert!(err.message().contains("already used"), "{err}");
    // The Func is unharmed.
    assert_eq!(f.realize::<i32>(&[4, 4]).unwrap().get(&[3, 3]), Some(6));
}

#[test]
fn compute_at_a_loop_outside_the_consumers_is_an_error() {
    let x = Var::new("x");
    let mut producer = Func::new("producer");
    producer.define([&x], &x * 2).unwrap();
    let mut unrelated = Func::new("unrelated");
    unrelated.define([&x], &x).unwrap();
    let mut consumer = Func::new("consumer");
    consumer.define([&x], producer.at([&x]) + 1).unwrap();
    producer.compute_at(&unrelated, &x).unwrap();
    let err = consumer.realize::<i32>(&[8]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Compile);
    assert!(
        err.message().contains("producer") && err.message().contains("unrelated"),
        "{err}"
    );
}

#[test]
fn round_up_tail_on_an_output_fails_at_run_time() {
    let (x, xo, xi) = (Var::new("x"), Var::new("xo"), Var::new("xi"));
    let mut f = Func::new("rounded");
    f.define([&x], &x).unwrap();
    f.split_with_tail(&x, &xo, &xi, 4, TailStrategy::RoundUp)
        .unwrap();
    assert!(f.realize::<i32>(&[10]).is_err());
    assert_eq!(f.realize::<i32>(&[12]).unwrap().get(&[11]), Some(11));
}

#[test]
fn schedule_changes_after_compiling_take_effect() {
    let x = Var::new("x");
    let mut f = Func::new("bounded_later");
    f.define([&x], &x).unwrap();
    assert!(f.realize::<i32>(&[8]).is_ok());
    f.bound(&x, 0, 4).unwrap();
    let err = f.realize::<i32>(&[8]).unwrap_err();
    assert!(
        err.message().contains("bounded_later"),
        "stale code ran: {err}"
    );

    // A change to a producer reaches a consumer compiled before it.
    let mut producer = Func::new("producer_bounded_later");
    producer.define([&x], &x * 2).unwrap();
    let mut consumer = Func::new("consumer_of_bounded");
    consumer.define([&x], producer.at([&x]) + 1).unwrap();
    producer.compute_root().unwrap();
    assert_eq!(consumer.realize::<i32>(&[8]).unwrap().get(&[7]), Some(15));
    producer.bound(&x, 0, 4).unwrap();
    assert!(
        consumer.realize::<i32>(&[8]).is_err(),
        "the producer's new bound must apply"
    );
}

#[test]
fn loop_levels_describe_themselves() {
    let x = Var::new("x");
    let mut f = Func::new("owner");
    f.define([&x], &x).unwrap();
    assert!(format!("{:?}", LoopLevel::root()).contains("root"));
    assert!(format!("{:?}", LoopLevel::inlined()).contains("inline"));
    assert_eq!(format!("{:?}", LoopLevel::at(&f, &x)), "LoopLevel(owner.x)");
}

/// `f(x, y) = x * 3 + y` consumed by `g(x, y) = f(x, y) + f(x, y + 1)`,
/// with `schedule` applied to f (and g, for the storage directives that
/// need a consumer loop), against plain Rust.
fn storage_case(schedule: impl FnOnce(&mut Func, &mut Func, &Var, &Var) -> halide::Result<()>) {
    let [x, y] = Var::many(["x", "y"]);
    let mut f = Func::new("stored");
    f.define([&x, &y], &x * 3 + &y).unwrap();
    let mut g = Func::new("consumer");
    g.define([&x, &y], f.at((&x, &y)) + f.at((&x, &y + 1)))
        .unwrap();
    schedule(&mut f, &mut g, &x, &y).unwrap();
    let out = g.realize::<i32>(&[16, 12]).unwrap();
    for yy in 0..12 {
        for xx in 0..16 {
            assert_eq!(out.get(&[xx, yy]), Some(6 * xx + 2 * yy + 1));
        }
    }
}

#[test]
fn storage_directives_preserve_results() {
    storage_case(|f, g, _, y| {
        f.compute_at(g, y)?.hoist_storage_root()?;
        Ok(())
    });
    storage_case(|f, g, _, y| {
        f.compute_at(g, y)?.hoist_storage(g, y)?;
        Ok(())
    });
    storage_case(|f, g, x, y| {
        f.compute_at(g, y)?.bound_storage(x, 16)?;
        Ok(())
    });
    storage_case(|f, g, _, y| {
        f.compute_at(g, y)?
            .hoist_storage_root()?
            .async_()?
            .ring_buffer(2)?;
        Ok(())
    });
    storage_case(|f, g, _, y| {
        f.store_root()?.compute_at(g, y)?.fold_storage(y, 2)?;
        Ok(())
    });
    storage_case(|f, g, _, y| {
        g.reorder(&[&Var::new("x"), y])?;
        f.store_root()?.compute_at(g, y)?.fold_storage(y, 2)?;
        Ok(())
    });
}

#[test]
fn a_backward_fold_is_taken_or_refused_never_wrong() {
    let [x, y] = Var::many(["x", "y"]);
    let mut f = Func::new("folded_backward");
    f.define([&x, &y], &x + &y).unwrap();
    let mut g = Func::new("forward_consumer");
    g.define([&x, &y], f.at((&x, &y)) + f.at((&x, &y + 1)))
        .unwrap();
    f.store_root()
        .unwrap()
        .compute_at(&g, &y)
        .unwrap()
        .fold_storage_backward(&y, 2)
        .unwrap();
    match g.realize::<i32>(&[4, 4]) {
        Ok(out) => {
            for yy in 0..4 {
                for xx in 0..4 {
                    assert_eq!(out.get(&[xx, yy]), Some(2 * (xx + yy) + 1));
                }
            }
        }
        Err(e) => assert!(e.message().contains("fold"), "{e}"),
    }
}

#[test]
fn partition_policies_preserve_results() {
    let x = Var::new("x");
    let input = ImageParam::new::<i32>(1, "partitioned_in");
    let clamped = halide::boundary::repeat_edge(&input).unwrap();
    let data: Vec<i32> = (0..40).map(|i| i * i).collect();
    let expect: Vec<i32> = (0..40)
        .map(|i: i32| data[(i - 1).max(0) as usize] + data[(i + 1).min(39) as usize])
        .collect();
    for policy in [
        Some(halide::Partition::Auto),
        Some(halide::Partition::Never),
        Some(halide::Partition::Always),
        None,
    ] {
        let mut f = Func::new("partitioned");
        f.define([&x], clamped.at([&x - 1]) + clamped.at([&x + 1]))
            .unwrap();
        match policy {
            Some(p) => f.partition(&x, p).unwrap(),
            None => f.never_partition_all().unwrap(),
        };
        let mut out = Buffer::<i32>::new(&[40]).unwrap();
        let data = BufferRef::new(&data, &[40]).unwrap();
        f.realize_into_with(&mut out, &[input.bind(&data)]).unwrap();
        assert_eq!(out.as_slice(), &expect[..], "{policy:?}");
    }
    let mut f = Func::new("partition_listed");
    f.define([&x], &x).unwrap();
    f.never_partition(&[&x])
        .unwrap()
        .always_partition(&[])
        .unwrap();
    assert!(f.always_partition_all().is_ok());
}

#[test]
fn typed_funcs_and_aligned_inputs() {
    let [x, y] = Var::many(["x", "y"]);
    let mut pair = Func::with_types("typed_pair", &[Type::uint(8), Type::float(64)], 2).unwrap();
    let values = Tuple::new([(&x + &y).cast::<u8>(), (&x * &y).cast::<f64>()]);
    pair.define([&x, &y], values).unwrap();
    assert!(Func::with_types("untyped", &[], 1).is_err());

    let input = ImageParam::new::<u8>(1, "aligned_in");
    input.set_host_alignment(64).unwrap();
    let mut f = Func::new("reads_aligned");
    f.define([&x], input.at([&x]) + 1).unwrap();
    let data = Buffer::<u8>::from_fn(&[8], |p| p[0] as u8).unwrap();
    assert_eq!(
        data.as_slice().as_ptr() as usize % 64,
        0,
        "Buffer allocates aligned"
    );
    let mut out = Buffer::<u8>::new(&[8]).unwrap();
    f.realize_into_with(&mut out, &[input.bind(&data)]).unwrap();
    assert_eq!(out.as_slice(), &[1, 2, 3, 4, 5, 6, 7, 8]);
}

#[test]
fn trace_tags_and_memory_types() {
    let x = Var::new("x");
    let mut f = Func::new("tagged");
    f.define([&x], &x + 1).unwrap();
    f.add_trace_tag("made by halide-rs").unwrap();
    // Tags go out with traced realizations (or loads), before the first.
    f.trace_realizations().unwrap();
    let tags = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = tags.clone();
    f.set_handlers(halide::Handlers::new().on_trace(move |e| {
        if e.kind == Some(halide::TraceEventKind::Tag) {
            sink.lock()
                .unwrap()
                .push(e.tag.unwrap_or_default().to_owned());
        }
    }));
    assert_eq!(f.realize::<i32>(&[3]).unwrap().as_slice(), &[1, 2, 3]);
    let tags = tags.lock().unwrap();
    assert!(tags.iter().any(|t| t == "made by halide-rs"), "{tags:?}");

    for memory in [
        halide::MemoryType::Auto,
        halide::MemoryType::Heap,
        halide::MemoryType::Stack,
    ] {
        let mut p = Func::new("stored_in");
        p.define([&x], &x * 2).unwrap();
        let mut c = Func::new("consumer_of_stored");
        c.define([&x], p.at([&x]) + p.at([&x + 1])).unwrap();
        p.compute_at(&c, &x).unwrap().store_in(memory).unwrap();
        assert_eq!(
            c.realize::<i32>(&[3]).unwrap().as_slice(),
            &[2, 6, 10],
            "{memory:?}"
        );
    }
}

#[test]
fn tiling_many_loops_at_once_keeps_values() {
    use halide::Tile;
    let [x, y, z, xo, yo, zo, xi, yi, zi] =
        Var::many(["x", "y", "z", "xo", "yo", "zo", "xi", "yi", "zi"]);
    let mut f = Func::new("tiled3");
    f.define([&x, &y, &z], &x * 7 + &y * 3 - &z).unwrap();
    let tiles = [
        Tile {
            var: &x,
            outer: &xo,
            inner: &xi,
            factor: 4,
            tail: TailStrategy::GuardWithIf,
        },
        Tile {
            var: &y,
            outer: &yo,
            inner: &yi,
            factor: 3,
            tail: TailStrategy::ShiftInwards,
        },
        Tile {
            var: &z,
            outer: &zo,
            inner: &zi,
            factor: 2,
            tail: TailStrategy::GuardWithIf,
        },
    ];
    f.tile_many(&tiles).unwrap().parallel(&zo).unwrap();
    let nest = f.loop_nest().unwrap();
    // The outer loops outside every inner one.
    let (zo_at, xi_at) = (
        nest.find("parallel z.zo").unwrap(),
        nest.find("for x.xi").unwrap(),
    );
    assert!(zo_at < xi_at, "{nest}");
    let out = f.realize::<i32>(&[10, 7, 5]).unwrap();
    for (i, v) in out.as_slice().iter().enumerate() {
        let i = i as i32;
        let (xx, yy, zz) = (i % 10, (i / 10) % 7, i / 70);
        assert_eq!(*v, xx * 7 + yy * 3 - zz);
    }
    assert!(f.tile_many(&[]).is_err());
}

//! Halide tutorial lesson 8: scheduling multi-stage pipelines.
//!
//! Where a producer is computed relative to its consumer trades
//! redundant work against locality and parallelism. Every schedule below
//! gives the same output; counting the producer's stores (by tracing)
//! shows how much work each one does.

use halide::TraceEventKind;
use halide::math::sin;
use halide::prelude::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Stages {
    x: Var,
    y: Var,
    producer: Func,
    consumer: Func,
}

/// producer(x, y) = sin(x * y); consumer(x, y) = the mean of a 2x2 block of it.
fn stages() -> halide::Result<Stages> {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut producer = Func::new("producer");
    producer.define([&x, &y], sin((&x * &y).cast::<f32>()))?;
    let mut consumer = Func::new("consumer");
    let p = |dx: i32, dy: i32| producer.at((&x + dx, &y + dy));
    consumer.define([&x, &y], (p(0, 0) + p(1, 0) + p(0, 1) + p(1, 1)) / 4.0f32)?;
    Ok(Stages {
        x,
        y,
        producer,
        consumer,
    })
}

/// Realizes the consumer over `size` x `size`, checks it, and returns how
/// many values of the producer were stored.
fn run(s: &mut Stages, size: i32) -> halide::Result<usize> {
    s.producer.trace_stores()?;
    let stores = Arc::new(AtomicUsize::new(0));
    let count = stores.clone();
    let producer_name = s.producer.name();
    s.consumer.set_handlers(Handlers::new().on_trace(move |e| {
        if e.kind == Some(TraceEventKind::Store) && e.func == producer_name {
            let lanes = e.ty.map_or(1, |t| usize::from(t.lanes));
            count.fetch_add(lanes, Ordering::Relaxed);
        }
    }));
    let out: Buffer<f32> = s.consumer.realize(&[size, size])?;
    let p = |i: i32, j: i32| ((i * j) as f32).sin();
    for j in 0..size {
        for i in 0..size {
            let want = (p(i, j) + p(i + 1, j) + p(i, j + 1) + p(i + 1, j + 1)) / 4.0;
            let got = out.get(&[i, j]).unwrap();
            assert!((got - want).abs() < 1e-5, "({i}, {j}): {got} vs {want}");
        }
    }
    Ok(stores.load(Ordering::Relaxed))
}

fn main() -> halide::Result<()> {
    // Inlined (the default): no producer storage at all.
    let mut s = stages()?;
    assert_eq!(run(&mut s, 4)?, 0);

    // compute_root: all 5x5 producer values first.
    let mut s = stages()?;
    s.producer.compute_root()?;
    assert_eq!(run(&mut s, 4)?, 25);

    // compute_at each row of the consumer: two producer rows per row.
    let mut s = stages()?;
    s.producer.compute_at(&s.consumer, &s.y)?;
    assert_eq!(run(&mut s, 4)?, 4 * 2 * 5);

    // store_root + compute_at y: a sliding window reuses the previous row.
    let mut s = stages()?;
    s.producer.store_root()?.compute_at(&s.consumer, &s.y)?;
    assert_eq!(run(&mut s, 4)?, 25);

    // compute_at each pixel: four producer values per pixel.
    let mut s = stages()?;
    s.producer.compute_at(&s.consumer, &s.x)?;
    assert_eq!(run(&mut s, 4)?, 4 * 4 * 4);

    // Tiles: the producer computed per 4x4 tile, tiles in parallel,
    // both vectorized.
    let mut s = stages()?;
    let (xo, yo, xi, yi) = (
        Var::new("x_outer"),
        Var::new("y_outer"),
        Var::new("x_inner"),
        Var::new("y_inner"),
    );
    s.consumer
        .tile_outer(
            &s.x,
            &s.y,
            &xo,
            &yo,
            &xi,
            &yi,
            4,
            4,
            halide::TailStrategy::Auto,
        )?
        .parallel(&yo)?
        .vectorize_loop(&xi)?;
    s.producer
        .compute_at(&s.consumer, &xo)?
        .vectorize(&s.x, 4)?;
    let stores = run(&mut s, 16)?;
    // Each of the 16 tiles needs a 5x5 producer region, 5 wide rounded up
    // to two vectors of 4.
    assert_eq!(stores, 16 * 8 * 5);
    println!("lesson 8: six schedules agree; producer work 0, 25, 40, 25, 64 and {stores}");
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

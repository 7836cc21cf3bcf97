//! Halide tutorial lesson 5: vectorize, parallelize, unroll and tile.
//!
//! The same gradient under different schedules: every schedule computes
//! the same values; tracing the stores shows the order each one visits
//! the pixels in.

use halide::prelude::*;
use halide::{TailStrategy, TraceEventKind};
use std::sync::{Arc, Mutex};

/// Realizes `f` over width x height, checks the values, and returns the
/// coordinates in the order they were stored.
fn run(f: &mut Func, width: i32, height: i32) -> halide::Result<Vec<(i32, i32)>> {
    f.trace_stores()?;
    let order = Arc::new(Mutex::new(Vec::new()));
    let sink = order.clone();
    f.set_handlers(Handlers::new().on_trace(move |e| {
        if e.kind == Some(TraceEventKind::Store) {
            let lanes = usize::from(e.ty.map_or(1, |t| t.lanes));
            let mut order = sink.lock().unwrap();
            // Vector stores list x for every lane, then y for every lane.
            let (xs, ys) = e.coordinates.split_at(lanes);
            order.extend(xs.iter().copied().zip(ys.iter().copied()));
        }
    }));
    let out: Buffer<i32> = f.realize(&[width, height])?;
    for j in 0..height {
        for i in 0..width {
            assert_eq!(out.get(&[i, j]), Some(i + j));
        }
    }
    let order = order.lock().unwrap().clone();
    // Every pixel is stored; splits whose factor does not divide the
    // extent shift the last iteration inwards and store some twice.
    let mut distinct = order.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), (width * height) as usize);
    Ok(order)
}

fn gradient(name: &str) -> halide::Result<(Var, Var, Func)> {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new(name);
    f.define([&x, &y], &x + &y)?;
    Ok((x, y, f))
}

fn main() -> halide::Result<()> {
    // Default: row-major.
    let (_, _, mut f) = gradient("default_order")?;
    assert_eq!(run(&mut f, 4, 4)?[..3], [(0, 0), (1, 0), (2, 0)]);

    // reorder: y innermost, so column-major.
    let (x, y, mut f) = gradient("col_major")?;
    f.reorder(&[&y, &x])?;
    assert_eq!(run(&mut f, 4, 4)?[..3], [(0, 0), (0, 1), (0, 2)]);

    // split x into x_outer * 2 + x_inner: same order, different loops.
    let (x, _, mut f) = gradient("split")?;
    let (xo, xi) = (Var::new("x_outer"), Var::new("x_inner"));
    f.split(&x, &xo, &xi, 2)?;
    assert_eq!(run(&mut f, 4, 4)?[..3], [(0, 0), (1, 0), (2, 0)]);

    // fuse x and y into one loop.
    let (x, y, mut f) = gradient("fused")?;
    let fused = Var::new("fused");
    f.fuse(&x, &y, &fused)?;
    assert_eq!(run(&mut f, 4, 4)?[4], (0, 1));

    // tile into 4x4 tiles: the first 16 stores fill the first tile.
    let (x, y, mut f) = gradient("tiled")?;
    let (xi, yi) = (Var::new("x_inner"), Var::new("y_inner"));
    f.tile(&x, &y, &xi, &yi, 4, 4)?;
    let order = run(&mut f, 8, 8)?;
    assert!(order[..16].iter().all(|&(i, j)| i < 4 && j < 4));

    // vectorize: four x values per store.
    let (x, _, mut f) = gradient("in_vectors")?;
    f.vectorize(&x, 4)?;
    assert_eq!(run(&mut f, 8, 4)?[..4], [(0, 0), (1, 0), (2, 0), (3, 0)]);

    // unroll by 2, over an extent 2 does not divide: the last pair is
    // shifted inwards, so x = 5 is computed twice.
    let (x, _, mut f) = gradient("unrolled")?;
    f.unroll(&x, 2)?;
    assert_eq!(run(&mut f, 7, 1)?.len(), 8);
    let (x, _, mut f) = gradient("guarded")?;
    let (xo, xi) = (Var::new("x_outer"), Var::new("x_inner"));
    f.split_with_tail(&x, &xo, &xi, 3, TailStrategy::GuardWithIf)?;
    // GuardWithIf computes each pixel exactly once.
    assert_eq!(run(&mut f, 7, 2)?.len(), 14);

    // Fused tiles in parallel, vectorized and unrolled inside: the last
    // schedule of the C++ lesson.
    let (x, y, mut f) = gradient("fast")?;
    let (xo, yo, xi, yi, tile) = (
        Var::new("x_outer"),
        Var::new("y_outer"),
        Var::new("x_inner"),
        Var::new("y_inner"),
        Var::new("tile_index"),
    );
    f.tile_outer(&x, &y, &xo, &yo, &xi, &yi, 64, 64, TailStrategy::Auto)?
        .fuse(&xo, &yo, &tile)?
        .parallel(&tile)?;
    let (xio, xii, yio, yii) = (
        Var::new("x_inner_outer"),
        Var::new("x_inner_inner"),
        Var::new("y_inner_outer"),
        Var::new("y_inner_inner"),
    );
    f.tile_outer(&xi, &yi, &xio, &yio, &xii, &yii, 4, 2, TailStrategy::Auto)?
        .vectorize_loop(&xii)?
        .unroll_loop(&yii)?;
    let order = run(&mut f, 350, 250)?;
    // 350 x 250 is not a whole number of 64 x 64 tiles: edge tiles shift
    // inwards and recompute a few pixels.
    assert!(order.len() > 350 * 250);
    println!("lesson 5: eight schedules, one answer; store orders as expected");
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

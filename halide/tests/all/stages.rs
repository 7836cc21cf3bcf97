//! Scheduling update stages and reduction loops, and the directives beyond
//! loop shapes: rfactor, specialize, atomic, compute_with, storage, wrappers,
//! memoize, async, prefetch and the GPU mappings.

use halide::prelude::*;
use halide::{ErrorKind, GpuTile, LoopAlignStrategy, LoopVar};

fn host() -> Target {
    Target::host().unwrap()
}

/// A sum of squares over 0..n, per x: x * sum(r^2).
fn squares(name: &str, n: i32) -> (Var, RDom, Func) {
    let x = Var::new("x");
    let r = RDom::new("r", [(0, n)]).unwrap();
    let mut f = Func::new(name);
    f.define([&x], 0i64).unwrap();
    f.update([&x], f.at([&x]) + (r.x() * r.x()).cast::<i64>() * &x)
        .unwrap();
    (x, r, f)
}

fn expected_squares(n: i64, width: i64) -> Vec<i64> {
    let s: i64 = (0..n).map(|i| i * i).sum();
    (0..width).map(|x| x * s).collect()
}

#[test]
fn update_stages_schedule_pure_and_reduction_loops() {
    let (x, r, mut f) = squares("upd", 1000);
    let (ro, ri) = (RVar::new("ro"), RVar::new("ri"));
    let mut update = f.update_stage(0).unwrap();
    update
        .split(&r.x(), &ro, &ri, 10)
        .unwrap()
        .reorder(&[&ri, &x, &ro])
        .unwrap()
        .vectorize(&x, 4)
        .unwrap()
        .unroll(&ri, 2)
        .unwrap();
    assert_eq!(
        f.realize::<i64>(&[8]).unwrap().as_slice(),
        expected_squares(1000, 8)
    );
    let stmt = f.lowered_stmt(&host()).unwrap();
    // Loops are named func.stage.var; Halide may have made the names unique.
    let loop_name = format!("{}.s1.{}.ro", f.name(), r.x().name());
    assert!(stmt.contains(&loop_name), "{loop_name} in {stmt}");
    // The pure stage has no RVars; a stage that does not exist is an error.
    assert!(f.split(&r.x(), &ro, &ri, 4).is_err());
    let err = f.update_stage(1).unwrap_err();
    assert!(err.message().contains("no update definition 1"), "{err}");
    assert!(Func::new("undefined_stage").update_stage(0).is_err());
}

#[test]
fn rfactor_parallelizes_a_reduction() {
    let (x, r, mut f) = squares("rf", 4096);
    let (ro, ri) = (RVar::new("ro"), RVar::new("ri"));
    let u = Var::new("u");
    let mut update = f.update_stage(0).unwrap();
    update.split(&r.x(), &ro, &ri, 64).unwrap();
    let mut intermediate = update.rfactor(&[(&ro, &u)]).unwrap();
    intermediate.compute_root().unwrap().parallel(&u).unwrap();
    intermediate
        .update_stage(0)
        .unwrap()
        .parallel(&u)
        .unwrap()
        .vectorize(&x, 4)
        .unwrap();
    assert_eq!(
        f.realize::<i64>(&[4]).unwrap().as_slice(),
        expected_squares(4096, 4)
    );
    assert!(f.lowered_stmt(&host()).unwrap().contains("parallel"));
    // rfactor of a pure definition is an error.
    let mut g = Func::new("pure_rf");
    g.define([&x], &x).unwrap();
    assert!(g.rfactor(&[(&ro, &u)]).is_err());
}

#[test]
fn atomic_updates_run_in_parallel() {
    let (_, r, mut f) = squares("atomic_sum", 2000);
    let (ro, ri) = (RVar::new("ro"), RVar::new("ri"));
    f.update_stage(0)
        .unwrap()
        .atomic(false)
        .unwrap()
        .split(&r.x(), &ro, &ri, 100)
        .unwrap()
        .parallel(&ro)
        .unwrap();
    assert_eq!(
        f.realize::<i64>(&[3]).unwrap().as_slice(),
        expected_squares(2000, 3)
    );
    // Without atomic, Halide refuses the race.
    let (_, r, g) = squares("racy_sum", 10);
    let err = g.update_stage(0).unwrap().parallel(&r.x()).unwrap_err();
    assert!(err.message().contains("race condition"), "{err}");
}

#[test]
fn specializations_compute_the_same_values() {
    let x = Var::new("x");
    let fast = Param::<bool>::new("fast");
    let mut f = Func::new("spec");
    f.define([&x], &x * 3 + 1).unwrap();
    f.specialize(&fast).unwrap().vectorize(&x, 8).unwrap();
    let stmt = f.lowered_stmt(&host()).unwrap();
    assert!(stmt.contains("ramp("), "{stmt}");
    fast.set(false).unwrap();
    let a = f.realize::<i32>(&[37]).unwrap();
    fast.set(true).unwrap();
    let b = f.realize::<i32>(&[37]).unwrap();
    assert_eq!(a.as_slice(), b.as_slice());
    assert_eq!(a.get(&[36]), Some(109));
}

#[test]
fn specialize_fail_rejects_uncovered_cases() {
    let x = Var::new("x");
    let width = Param::<i32>::new("width");
    let mut f = Func::new("spec_fail");
    f.define([&x], &x + &width).unwrap();
    f.specialize(width.eq(8))
        .unwrap()
        .vectorize_loop(&x)
        .unwrap();
    f.specialize_fail("only width 8 is supported").unwrap();
    f.bound(&x, 0, 8).unwrap();
    width.set(8).unwrap();
    assert_eq!(f.realize::<i32>(&[8]).unwrap().get(&[7]), Some(15));
    width.set(9).unwrap();
    let err = f.realize::<i32>(&[8]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Runtime);
    assert!(err.message().contains("only width 8 is supported"), "{err}");
}

#[test]
fn compute_with_fuses_loop_nests() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut a = Func::new("cw_a");
    a.define([&x, &y], &x + &y).unwrap();
    let mut b = Func::new("cw_b");
    b.define([&x, &y], &x - &y).unwrap();
    let mut out = Func::new("cw_out");
    out.define([&x, &y], a.at([&x, &y]) * b.at([&x, &y]))
        .unwrap();
    a.compute_root().unwrap();
    b.compute_root().unwrap();
    b.compute_with(&a, &y).unwrap();
    let stmt = out.lowered_stmt(&host()).unwrap();
    assert!(
        stmt.contains("cw_a.s0.cw_b.s0.__outermost") || stmt.contains("fused"),
        "{stmt}"
    );
    let got = out.realize::<i32>(&[5, 4]).unwrap();
    assert_eq!(got.get(&[4, 3]), Some(7));
    // A level in a Func that is not computed before is an error at compile time.
    let mut c = Func::new("cw_c");
    c.define([&x, &y], &x * &y).unwrap();
    c.compute_with(&out, &x).unwrap();
    let mut d = Func::new("cw_d");
    d.define([&x, &y], c.at([&x, &y]) + out.at([&x, &y]))
        .unwrap();
    assert!(d.realize::<i32>(&[2, 2]).is_err());
}

/// Fused loops over different ranges, lined up by each strategy: the
/// values match plain Rust, and the strategies lower differently.
#[test]
fn compute_with_aligns_fused_loops_of_different_ranges() {
    let mut stmts = Vec::new();
    for align in [
        LoopAlignStrategy::AlignStart,
        LoopAlignStrategy::AlignEnd,
        LoopAlignStrategy::NoAlign,
        LoopAlignStrategy::Auto,
    ] {
        let x = Var::new("x");
        let (mut a, mut b) = (Func::new("al_a"), Func::new("al_b"));
        a.define([&x], &x * 3).unwrap();
        b.define([&x], &x * 5).unwrap();
        let mut out = Func::new("al_out");
        // a is read over [0, 10), b over [2, 14): different ranges.
        out.define([&x], a.at([&x]) + b.at([&x + 2]) + b.at([&x + 4]))
            .unwrap();
        a.compute_root().unwrap();
        b.compute_root().unwrap();
        let level = LoopLevel::at_stage(&a, &x, Some(0));
        b.compute_with_aligned(&level, &[(&x, align)]).unwrap();
        let got = out.realize::<i32>(&[10]).unwrap();
        let want: Vec<i32> = (0..10).map(|i| i * 3 + (i + 2) * 5 + (i + 4) * 5).collect();
        assert_eq!(got.as_slice(), want.as_slice(), "{align:?}");
        stmts.push(out.lowered_stmt(&host()).unwrap());
    }
    assert_ne!(stmts[0], stmts[1], "AlignStart and AlignEnd lower alike");
}

#[test]
fn storage_directives_keep_results() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut producer = Func::new("store_p");
    producer.define([&x, &y], &x * 7 + &y).unwrap();
    let mut consumer = Func::new("store_c");
    consumer
        .define(
            [&x, &y],
            producer.at((&x, &y - 1)) + producer.at((&x, &y + 1)),
        )
        .unwrap();
    let expected = consumer.realize::<i32>(&[16, 16]).unwrap();

    producer
        .store_root()
        .unwrap()
        .compute_at(&consumer, &y)
        .unwrap()
        .fold_storage(&y, 4)
        .unwrap()
        .reorder_storage(&[&y, &x])
        .unwrap()
        .align_bounds(&x, 8, 0)
        .unwrap()
        .align_storage(&x, 16)
        .unwrap();
    let got = consumer.realize::<i32>(&[16, 16]).unwrap();
    assert_eq!(got.as_slice(), expected.as_slice());
    let stmt = consumer.lowered_stmt(&host()).unwrap();
    assert!(
        stmt.contains("% 4"),
        "folded storage indexes modulo 4: {stmt}"
    );
}

#[test]
fn wrappers_memoize_async_and_prefetch_keep_results() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let input = ImageParam::new::<f32>(2, "wrap_in");
    let mut g = Func::new("wrap_g");
    g.define([&x, &y], input.at([&x, &y]) * 2.0f32).unwrap();
    let mut f = Func::new("wrap_f");
    f.define([&x, &y], g.at([&x, &y]) + g.at((&x + 1, &y)))
        .unwrap();
    let data: Vec<f32> = (0..17 * 8).map(|i| i as f32).collect();
    let buf = BufferRef::new(&data, &[17, 8]).unwrap();
    let expected = f
        .realize_with::<f32>(&[16, 8], &[input.bind(&buf)])
        .unwrap();

    g.compute_root().unwrap();
    let mut wrapper = g.in_(&[&f]).unwrap();
    wrapper
        .compute_at(&f, &y)
        .unwrap()
        .vectorize(&x, 4)
        .unwrap();
    g.prefetch_image(&input, &y, &y, 1, PrefetchBoundStrategy::Clamp)
        .unwrap();
    let got = f
        .realize_with::<f32>(&[16, 8], &[input.bind(&buf)])
        .unwrap();
    assert_eq!(got.as_slice(), expected.as_slice());
    let stmt = f.lowered_stmt(&host()).unwrap();
    assert!(stmt.contains("prefetch"), "{stmt}");

    // Memoized: the second run reuses the values cached by the first.
    let mut cached = Func::new("memo_g");
    cached.define([&x, &y], &x * &y).unwrap();
    cached.compute_root().unwrap().memoize().unwrap();
    let mut reader = Func::new("memo_f");
    reader.define([&x, &y], cached.at([&x, &y]) + 1).unwrap();
    assert!(
        reader
            .lowered_stmt(&host())
            .unwrap()
            .contains("halide_memoization_cache_lookup")
    );
    for _ in 0..2 {
        assert_eq!(
            reader.realize::<i32>(&[4, 4]).unwrap().get(&[3, 3]),
            Some(10)
        );
    }

    let mut h = Func::new("async_h");
    h.define([&x, &y], input.at([&x, &y]) + 1.0f32).unwrap();
    let mut k = Func::new("async_k");
    k.define([&x, &y], h.at([&x, &y]) * 3.0f32).unwrap();
    h.compute_at(&k, &y)
        .unwrap()
        .store_root()
        .unwrap()
        .async_()
        .unwrap();
    let got = k
        .realize_with::<f32>(&[16, 8], &[input.bind(&buf)])
        .unwrap();
    assert_eq!(got.get(&[5, 2]), Some((data[2 * 17 + 5] + 1.0) * 3.0));

    let mut c = Func::new("clone_c");
    c.define([&x, &y], h.at([&x, &y]) - 1.0f32).unwrap();
    let mut copy = h.clone_in(&[&c]).unwrap();
    copy.compute_at(&c, &y).unwrap();
    assert!(h.clone_in(&[]).is_err());
    let got = c
        .realize_with::<f32>(&[16, 8], &[input.bind(&buf)])
        .unwrap();
    assert_eq!(got.get(&[3, 3]), Some(data[3 * 17 + 3]));
}

#[test]
fn gpu_directives_lower_for_a_gpu_target() {
    let (x, y, xi, yi) = (Var::new("x"), Var::new("y"), Var::new("xi"), Var::new("yi"));
    let cuda = host().with_feature("cuda").unwrap();
    let mut f = Func::new("gpu_f");
    f.define([&x, &y], &x * &y).unwrap();
    f.tile(&x, &y, &xi, &yi, 16, 16)
        .unwrap()
        .gpu_blocks(&[&x, &y])
        .unwrap()
        .gpu_threads(&[&xi, &yi])
        .unwrap();
    let stmt = f.lowered_stmt(&cuda).unwrap();
    assert!(stmt.contains("ctaid.x") && stmt.contains("tid.y"));
    let mut g = Func::new("gpu_single");
    g.define([&x], &x).unwrap();
    g.gpu_single_thread().unwrap();
    assert!(
        g.lowered_stmt(&cuda)
            .unwrap()
            .contains("cuda_gpu_source_kernels")
    );
    let mut h = Func::new("gpu_lanes");
    h.define([&x], &x).unwrap();
    let (bx, tx) = (Var::new("bx"), Var::new("tx"));
    h.gpu_tile(&[GpuTile {
        var: &x,
        block: &bx,
        thread: &tx,
        size: 32,
    }])
    .unwrap()
    .gpu_lanes(&tx)
    .unwrap();
    assert!(h.lowered_stmt(&cuda).is_ok());
    // More than three block dimensions, or GPU loops on a CPU target, fail.
    let z = Var::new("z");
    let w = Var::new("w");
    let mut k = Func::new("gpu_4d");
    k.define([&x, &y, &z, &w], &x).unwrap();
    assert!(k.gpu_blocks(&[&x, &y, &z, &w]).is_err());
    assert!(f.lowered_stmt(&host()).is_err());
}

#[test]
fn loop_levels_name_stages_and_rvars() {
    let (x, r, f) = squares("levels", 4);
    let at = LoopLevel::at_stage(&f, &r.x(), Some(1));
    assert_eq!(
        format!("{at:?}"),
        format!("LoopLevel(levels.s1.{})", r.x().name())
    );
    let _: &dyn LoopVar = &x;
    // An RVar of another domain's dimension that does not exist is an error.
    let bad = r.y();
    let mut g = Func::new("bad_rvar");
    g.define([&x], 1).unwrap();
    assert!(g.compute_at_level(&LoopLevel::at(&f, &bad)).is_err());
}

#[test]
fn reduction_variables_take_operators_and_scalars_on_either_side() {
    let x = Var::new("x");
    let r = RDom::new("ops", [(0, 4)]).unwrap();
    let mut f = Func::new("rvar_ops");
    f.define([&x], 0).unwrap();
    let term = select(r.x().lt(2), 2 * r.x() + 1, -r.x() % 3);
    f.update([&x], f.at([&x]) + term + &r * 0).unwrap();
    // r = 0..4: 1, 3, then -2 % 3 = 1 and -3 % 3 = 0 (Euclidean).
    assert_eq!(f.realize::<i32>(&[1]).unwrap().as_slice(), &[5]);
}

#[test]
fn prefetching_a_func_keeps_results_with_each_bound_strategy() {
    let mut stmts = Vec::new();
    for bound in [
        PrefetchBoundStrategy::Clamp,
        PrefetchBoundStrategy::GuardWithIf,
        PrefetchBoundStrategy::NonFaulting,
    ] {
        let (x, y) = (Var::new("x"), Var::new("y"));
        let mut g = Func::new("pf_g");
        g.define([&x, &y], &x + &y).unwrap();
        let mut f = Func::new("pf_f");
        f.define([&x, &y], g.at([&x, &y]) * 2).unwrap();
        g.compute_root().unwrap();
        f.prefetch(&g, &y, &y, 2, bound).unwrap();
        let stmt = f.lowered_stmt(&host()).unwrap();
        assert!(stmt.contains("prefetch"), "{bound:?}: {stmt}");
        let out = f.realize::<i32>(&[8, 8]).unwrap();
        for (yy, xx) in (0..8).flat_map(|yy| (0..8).map(move |xx| (yy, xx))) {
            assert_eq!(out.get(&[xx, yy]), Some(2 * (xx + yy)), "{bound:?}");
        }
        stmts.push(stmt);
    }
    // The strategies lower differently: clamped against guarded prefetches.
    assert_ne!(stmts[0], stmts[1]);
}

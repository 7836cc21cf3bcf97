//! Changes made after a Func was compiled reach its next realization: one
//! of each kind (loop schedule, compute and storage, input constraint,
//! RDom predicate). Estimates change no code of a scheduled pipeline; the
//! crate's unit tests check that they too mark compiled code stale.

use halide::prelude::*;

#[test]
fn a_stage_directive_after_compiling_applies() {
    let x = Var::new("x");
    let flag = Param::<bool>::new("recompile_flag");
    let mut f = Func::new("recompile_stage");
    f.define([&x], &x).unwrap();
    assert!(f.realize::<i32>(&[4]).is_ok());
    f.specialize(&flag).unwrap();
    f.specialize_fail("no specialization applies").unwrap();
    let err = f.realize::<i32>(&[4]).unwrap_err();
    assert!(err.message().contains("no specialization applies"), "{err}");
}

#[test]
fn a_compute_directive_after_compiling_applies() {
    let x = Var::new("x");
    let mut producer = Func::new("recompile_producer");
    producer.define([&x], &x * 2).unwrap();
    let mut unrelated = Func::new("recompile_unrelated");
    unrelated.define([&x], &x).unwrap();
    let mut consumer = Func::new("recompile_consumer");
    consumer.define([&x], producer.at([&x]) + 1).unwrap();
    assert_eq!(consumer.realize::<i32>(&[4]).unwrap().get(&[3]), Some(7));
    producer.compute_at(&unrelated, &x).unwrap();
    assert!(consumer.realize::<i32>(&[4]).is_err(), "stale code ran");
}

#[test]
fn an_input_constraint_after_compiling_applies() {
    let x = Var::new("x");
    let input = ImageParam::new::<i32>(1, "recompile_input");
    let mut f = Func::new("recompile_constrained");
    f.define([&x], input.at([&x])).unwrap();
    let data = [1, 2, 3, 4, 5, 6, 7, 8];
    let buf = BufferRef::new(&data, &[8]).unwrap();
    assert!(f.realize_with::<i32>(&[8], &[input.bind(&buf)]).is_ok());
    input.dim(0).set_extent(4).unwrap();
    let err = f
        .realize_with::<i32>(&[8], &[input.bind(&buf)])
        .unwrap_err();
    assert!(err.message().contains("recompile_input"), "{err}");
}

#[test]
fn a_param_range_after_compiling_applies() {
    let x = Var::new("x");
    let gain = Param::<i32>::new("recompile_gain");
    let mut f = Func::new("recompile_scaled");
    f.define([&x], &x * &gain).unwrap();
    gain.set(7).unwrap();
    assert!(f.realize::<i32>(&[4]).is_ok());
    gain.set_range(0, 5).unwrap();
    assert!(
        f.realize::<i32>(&[4]).is_err(),
        "7 is outside the new range"
    );
}

#[test]
fn an_rdom_predicate_once_the_rdom_is_used_is_an_error() {
    let x = Var::new("x");
    let mut r = RDom::new("recompile_r", [(0, 4)]).unwrap();
    let mut f = Func::new("recompile_sum");
    f.define([&x], 0).unwrap();
    f.update([&x], f.at([&x]) + r.x()).unwrap();
    assert_eq!(f.realize::<i32>(&[1]).unwrap().get(&[0]), Some(6));
    // Halide freezes a domain its definitions use, so no code can go stale.
    let err = r.where_(r.x().lt(2)).unwrap_err();
    assert!(err.message().to_lowercase().contains("rdom"), "{err}");
    assert_eq!(f.realize::<i32>(&[1]).unwrap().get(&[0]), Some(6));
}

//! What Halide's objects say about themselves, checked against what was
//! set on them; and the directives that are only visible in the lowered
//! code.

use halide::extern_stage::ExternInput;
use halide::prelude::*;
use halide::{ArgumentKind, LoopVar};

#[test]
fn extern_stages_say_so_and_name_their_function() {
    let x = Var::new("x");
    let mut source = Func::new("source");
    source.define([&x], &x * 2).unwrap();
    let mut ext = Func::new("negated");
    ext.define_extern::<i32>(&[ExternInput::from(&source)], 1, |call| {
        let input = call.input::<i32>(0)?;
        let mut out = call.output::<i32>()?;
        let d = out.dim(0).ok_or("no dimension 0")?;
        for i in d.min..d.min + d.extent {
            let v = input.get(&[i]).ok_or("input too small")?;
            out.set(&[i], -v).map_err(|e| e.to_string())?;
        }
        Ok(())
    })
    .unwrap();
    assert!(ext.is_extern().unwrap());
    assert!(!source.is_extern().unwrap());
    let name = ext.extern_function_name().unwrap();
    assert!(
        !name.is_empty() && !name.contains(char::is_whitespace),
        "{name}"
    );
    let err = source.extern_function_name().unwrap_err();
    assert!(err.to_string().contains("not an extern stage"), "{err}");
    source.compute_root().unwrap();
    assert_eq!(
        ext.realize::<i32>(&[4]).unwrap().as_slice(),
        &[0, -2, -4, -6]
    );
}

#[test]
fn inputs_report_what_was_set_and_who_they_are() {
    let input = ImageParam::new::<u8>(2, "input");
    assert_eq!(input.host_alignment().unwrap(), 1);
    input.set_host_alignment(32).unwrap();
    assert_eq!(input.host_alignment().unwrap(), 32);
    let namesake = ImageParam::new::<u8>(2, "input");
    assert!(input.same_as(&input).unwrap());
    assert!(!input.same_as(&namesake).unwrap());

    let d = input.dim(0);
    assert!(d.extent_constraint().unwrap().is_none());
    d.set_extent(640).unwrap();
    d.set_stride(1).unwrap();
    assert_eq!(d.extent_constraint().unwrap().unwrap().to_string(), "640");
    input.dim(1).set_estimate(0, 480).unwrap();
    assert_eq!(
        input.dim(1).min_estimate().unwrap().unwrap().to_string(),
        "0"
    );
    // A constraint is checked when the pipeline runs: a 639-wide buffer is refused.
    let x = Var::new("x");
    let mut f = Func::new("first_column");
    f.define([&x], input.at((0, &x))).unwrap();
    let narrow = Buffer::<u8>::new(&[639, 2]).unwrap();
    assert!(f.realize_with::<u8>(&[2], &[input.bind(&narrow)]).is_err());
    let wide = Buffer::<u8>::new(&[640, 2]).unwrap();
    assert!(f.realize_with::<u8>(&[2], &[input.bind(&wide)]).is_ok());

    let p = Param::<i16>::with_value("p", -7).unwrap();
    assert_eq!(p.value::<i16>().unwrap(), -7);
    assert_eq!(p.default_value().unwrap().unwrap().to_string(), "(int16)-7");
    assert!(p.same_as(&p).unwrap());
    assert!(!p.same_as(&Param::<i16>::new("p")).unwrap());
}

#[test]
fn vars_and_loop_vars_tell_what_they_are() {
    let (x, also_x, y) = (Var::new("x"), Var::new("x"), Var::new("y"));
    assert!(x.same_as(&also_x) && !x.same_as(&y));
    let r = RDom::new("r", [(0, 3)]).unwrap();
    let loops: [&dyn LoopVar; 2] = [&x, &r.x()];
    let kinds: Vec<_> = loops.iter().map(|l| l.is_rvar()).collect();
    assert_eq!(kinds, [false, true]);
    assert!(loops[1].as_var().is_none());
    assert_eq!(loops[1].as_rvar().unwrap().name(), r.x().name());
}

/// A memoized Func with an eviction key: the key is passed to the cache
/// lookup, and results stay right as the inputs change.
#[test]
fn memoization_with_an_eviction_key() {
    let x = Var::new("x");
    let scale = Param::<i32>::with_value("scale", 2).unwrap();
    let mut cached = Func::new("keyed");
    cached.define([&x], &x * &scale).unwrap();
    cached
        .compute_root()
        .unwrap()
        .memoize_with_key(42u64)
        .unwrap();
    let mut reader = Func::new("keyed_reader");
    reader.define([&x], cached.at([&x]) + 1).unwrap();
    let stmt = reader.lowered_stmt(&Target::host().unwrap()).unwrap();
    assert!(stmt.contains("halide_memoization_cache_lookup"), "{stmt}");
    assert!(
        stmt.contains("(uint64)42"),
        "the key is not in the lookup: {stmt}"
    );
    for s in [2, 2, 5] {
        scale.set(s).unwrap();
        assert_eq!(
            reader.realize::<i32>(&[3]).unwrap().as_slice(),
            &[1, 1 + s, 1 + 2 * s]
        );
    }
}

/// Hexagon offload is a schedule for targets with HVX: lowered for one, the
/// offloaded loop becomes a call to the DSP; for the host, an error.
#[test]
fn hexagon_offload_lowers_to_a_dsp_call() {
    let x = Var::new("x");
    let mut f = Func::new("offloaded");
    f.define([&x], &x * 3).unwrap();
    f.hexagon(&Var::outermost()).unwrap();
    let hvx: Target = "arm-64-android-hvx".parse().unwrap();
    let stmt = f.lowered_stmt(&hvx).unwrap();
    assert!(stmt.contains("hexagon"), "{stmt}");
    assert!(f.realize::<i32>(&[4]).is_err());
}

/// An update left unscheduled on purpose computes as before.
#[test]
fn unscheduled_updates_keep_their_values() {
    let x = Var::new("x");
    let r = RDom::new("r", [(0, 4)]).unwrap();
    let mut f = Func::new("sums");
    f.define([&x], 0).unwrap();
    f.update([&x], f.at([&x]) + r.x() + &x).unwrap();
    f.update_stage(0).unwrap().unscheduled().unwrap();
    assert_eq!(f.realize::<i32>(&[3]).unwrap().as_slice(), &[6, 10, 14]);
}

/// Pipelines list their stages and inputs as serialized.
#[test]
fn pipelines_list_stages_and_serialized_inputs() {
    let x = Var::new("x");
    let input = ImageParam::new::<f32>(1, "input");
    let (mut a, mut b) = (Func::new("a"), Func::new("b"));
    a.define([&x], input.at([&x]) * 2.0f32).unwrap();
    b.define([&x], a.at([&x]) + a.at([&x + 1])).unwrap();
    let p = Pipeline::new(&[&b]).unwrap();
    // The image input is read through a Func Halide makes for it, first.
    let names: Vec<String> = (0..3).map(|i| p.get_func(i).unwrap().name()).collect();
    assert!(names[0].starts_with("input"), "{names:?}");
    assert_eq!(names[1..], [a.name(), b.name()]);
    assert!(p.get_func(3).is_err());
    let inputs = Pipeline::deserialize_parameters(&p.serialize().unwrap()).unwrap();
    assert_eq!(inputs.len(), 1);
    assert_eq!(
        (&*inputs[0].name, inputs[0].kind),
        ("input", ArgumentKind::InputBuffer)
    );
    assert!(Pipeline::deserialize_parameters(b"not a pipeline").is_err());
}

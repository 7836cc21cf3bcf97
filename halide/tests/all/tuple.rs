//! Tuples: multi-valued Funcs, their calls, updates and realization.

use halide::ErrorKind;
use halide::args;
use halide::math::undef;
use halide::prelude::*;
use halide_runtime::HalideBufferMutExt;

#[test]
fn tuple_values_realize_into_their_own_buffers() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new("pair");
    f.define([&x, &y], (&x + &y, (&x * &y).cast::<f64>() / 2.0))
        .unwrap();
    assert_eq!(f.output_types().unwrap(), [Type::int(32), Type::float(64)]);
    let mut a = Buffer::<i32>::new(&[4, 3]).unwrap();
    let mut b = Buffer::<f64>::new(&[4, 3]).unwrap();
    f.realize_into_all(args![&mut a, &mut b]).unwrap();
    for yy in 0..3 {
        for xx in 0..4 {
            assert_eq!(a.get(&[xx, yy]), Some(xx + yy));
            assert_eq!(b.get(&[xx, yy]), Some(f64::from(xx * yy) / 2.0));
        }
    }
}

#[test]
fn tuple_updates_read_and_write_every_element() {
    // Running (count, sum) over a domain, then the mean from both.
    let x = Var::new("x");
    let r = RDom::new("r", [(1, 10)]).unwrap();
    let mut stats = Func::new("stats");
    stats.define([&x], (0, 0)).unwrap();
    let now = stats.at_tuple([&x]);
    stats
        .update([&x], Tuple::new([now.get(0) + 1, now.get(1) + r.x() * &x]))
        .unwrap();
    // undef leaves element 0 as it was.
    let now = stats.at_tuple([&x]);
    stats
        .update([&x], Tuple::new([undef::<i32>(), now.get(1) * 2]))
        .unwrap();
    let mut count = Buffer::<i32>::new(&[3]).unwrap();
    let mut sum = Buffer::<i32>::new(&[3]).unwrap();
    stats.realize_into_all(args![&mut count, &mut sum]).unwrap();
    assert_eq!(count.as_slice(), &[10, 10, 10]);
    assert_eq!(sum.as_slice(), &[0, 110, 220]);

    let mut mean = Func::new("mean");
    mean.define([&x], stats.value_at([&x], 1) / stats.value_at([&x], 0))
        .unwrap();
    assert_eq!(mean.realize::<i32>(&[3]).unwrap().as_slice(), &[0, 11, 22]);
}

#[test]
fn tuple_update_with_another_count_is_an_error() {
    let x = Var::new("x");
    let mut f = Func::new("two_values");
    f.define([&x], (&x, &x * 2)).unwrap();
    let err = f.update([&x], f.value_at([&x], 0) + 1).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Compile);
    assert!(err.message().contains("Number of tuple elements"), "{err}");
    let three = Tuple::new([x.expr().clone(), x.expr().clone(), x.expr().clone()]);
    let err = f.update([&x], three).unwrap_err();
    assert!(err.message().contains("Number of tuple elements"), "{err}");
    // The Func is as it was: one update fewer than attempted, still realizable.
    assert_eq!(f.updates().unwrap(), 0);
    let (mut a, mut b) = (
        Buffer::<i32>::new(&[2]).unwrap(),
        Buffer::<i32>::new(&[2]).unwrap(),
    );
    f.realize_into_all(args![&mut a, &mut b]).unwrap();
    assert_eq!(b.as_slice(), &[0, 2]);
}

#[test]
fn tuple_misuse_is_reported() {
    let x = Var::new("x");
    let mut f = Func::new("tuple_misuse");
    f.define([&x], (&x, &x)).unwrap();
    // A Tuple-valued call used as one value.
    let mut g = Func::new("tuple_as_one");
    let err = g.define([&x], f.at([&x]) + 1).unwrap_err();
    assert!(err.message().contains("Tuple"), "{err}");
    // One output buffer for two values.
    let mut one = Buffer::<i32>::new(&[2]).unwrap();
    let err = f.realize_into_all(args![&mut one]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    // Elements that do not exist.
    assert!(f.at_tuple([&x]).get(2).check().is_err());
    let undefined = Func::new("undefined_tuple");
    assert!(undefined.at_tuple([&x]).get(0).check().is_err());
    // Select between Tuples of different lengths.
    let t = Tuple::select(x.lt(1), &f.at_tuple([&x]), &Tuple::new([1]));
    assert!(t.get(0).check().is_err());
}

#[test]
fn tuple_select_picks_elementwise() {
    let x = Var::new("x");
    let mut f = Func::new("tsel");
    let a = Tuple::new([Expr::from(1), Expr::from(2)]);
    let b = Tuple::new([x.expr().clone(), -&x]);
    f.define([&x], Tuple::select(x.lt(2), &a, &b)).unwrap();
    let (mut p, mut q) = (
        Buffer::<i32>::new(&[4]).unwrap(),
        Buffer::<i32>::new(&[4]).unwrap(),
    );
    f.realize_into_all(args![&mut p, &mut q]).unwrap();
    assert_eq!(p.as_slice(), &[1, 1, 2, 3]);
    assert_eq!(q.as_slice(), &[2, 2, -2, -3]);
}

#[test]
fn a_callable_of_a_tuple_func_has_an_output_per_value() {
    let x = Var::new("x");
    let input = ImageParam::new::<u8>(1, "tin");
    let mut f = Func::new("split_bits");
    f.define([&x], (input.at([&x]) >> 4, input.at([&x]) & 15))
        .unwrap();
    let callable = Pipeline::new(&[&f])
        .unwrap()
        .compile(&Target::host().unwrap())
        .unwrap();
    assert_eq!(callable.arguments().len(), 3);
    let data = [0x12u8, 0xab, 0xf0];
    let (mut hi, mut lo) = (
        Buffer::<u8>::new(&[3]).unwrap(),
        Buffer::<u8>::new(&[3]).unwrap(),
    );
    callable
        .call(args![
            &BufferRef::new(&data, &[3]).unwrap(),
            &mut hi,
            &mut lo
        ])
        .unwrap();
    assert_eq!(hi.as_slice(), &[1, 10, 15]);
    assert_eq!(lo.as_slice(), &[2, 11, 0]);
}

/// Each output of a Tuple has its own buffer to constrain: the first's
/// bounds hold for all, the others take stride constraints.
#[test]
fn output_buffers_of_a_tuple_are_constrained_one_by_one() {
    let [x, y] = Var::many(["x", "y"]);
    let pair = |name: &str| {
        let mut f = Func::new(name);
        f.define([&x, &y], (&x + &y, (&x * &y).cast::<f32>()))
            .unwrap();
        f
    };
    let mut f = pair("pair");
    let outputs = f.output_buffers().unwrap();
    assert_eq!(outputs.len(), 2);
    assert_eq!(outputs[1].dimensions(), 2);
    outputs[0].dim(0).set_extent(8).unwrap();
    outputs[1].dim(1).set_stride(8).unwrap();
    assert!(outputs[1].dim(1).stride().to_string().contains("stride.1"));
    let mut a = Buffer::<i32>::new(&[8, 3]).unwrap();
    let mut b = Buffer::<f32>::new(&[8, 3]).unwrap();
    f.realize_into_all(args![&mut a, &mut b]).unwrap();
    assert_eq!((a.get(&[7, 2]), b.get(&[7, 2])), (Some(9), Some(14.0)));
    // The second output, a crop of wider rows, breaks its stride.
    let mut wide = Buffer::<f32>::new(&[10, 3]).unwrap();
    let mut b = wide.cropped_mut(0, 0, 8).unwrap();
    let e = f.realize_into_all(args![&mut a, &mut b]).unwrap_err();
    assert!(e.to_string().contains("stride"), "{e}");
    // Bounds of a secondary output are Halide's error when compiling.
    let mut g = pair("bounded_pair");
    g.output_buffers().unwrap()[1].dim(0).set_extent(8).unwrap();
    let mut b = Buffer::<f32>::new(&[8, 3]).unwrap();
    let e = g.realize_into_all(args![&mut a, &mut b]).unwrap_err();
    assert!(e.to_string().contains("beyond the first"), "{e}");
    // No definition, no buffer: an error, not a crash.
    assert!(Func::new("undefined").output_buffer().is_err());
}

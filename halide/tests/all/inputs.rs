//! ImageParam inputs: bound for one call, checked by Halide, never retained.

use halide::ErrorKind;
use halide::prelude::*;

fn shifted_copy() -> (Var, ImageParam, Func) {
    let x = Var::new("x");
    let input = ImageParam::new::<u16>(1, "input");
    let mut f = Func::new("shifted_copy");
    f.define([&x], input.at([&x + 1])).unwrap();
    (x, input, f)
}

#[test]
fn reads_the_bound_buffer() {
    let (_x, input, mut f) = shifted_copy();
    assert_eq!(input.name(), "input");
    assert_eq!(input.element_type(), Type::uint(16));
    assert_eq!(input.dimensions(), 1);
    let data: Vec<u16> = (0..10).collect();
    let buf = BufferRef::new(&data, &[10]).unwrap();
    let out = f.realize_with::<u16>(&[9], &[input.bind(&buf)]).unwrap();
    assert_eq!(out.as_slice(), &data[1..]);
}

#[test]
fn input_too_small_is_a_runtime_error() {
    let (_x, input, mut f) = shifted_copy();
    let data = vec![7u16; 4];
    let buf = BufferRef::new(&data, &[4]).unwrap();
    // Reading x + 1 for x in [0, 4) needs 5 elements.
    let err = f
        .realize_with::<u16>(&[4], &[input.bind(&buf)])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Runtime);
    assert!(err.message().contains("input"), "{err}");
    assert!(err.message().contains("4"), "{err}");
}

#[test]
fn input_of_wrong_type_is_refused() {
    let (_x, input, mut f) = shifted_copy();
    let data = vec![1.0f32; 8];
    let buf = BufferRef::new(&data, &[8]).unwrap();
    let err = f
        .realize_with::<u16>(&[4], &[input.bind(&buf)])
        .unwrap_err();
    assert!(
        err.message().contains("float32") && err.message().contains("uint16"),
        "{err}"
    );
}

#[test]
fn input_with_wrong_dimensions_is_refused() {
    let (_x, input, mut f) = shifted_copy();
    let data = vec![1u16; 16];
    let buf = BufferRef::new(&data, &[4, 4]).unwrap();
    let err = f
        .realize_with::<u16>(&[2], &[input.bind(&buf)])
        .unwrap_err();
    assert!(err.message().contains("dimension"), "{err}");
}

#[test]
fn no_binding_survives_the_call() {
    let (_x, input, mut f) = shifted_copy();
    {
        let data: Vec<u16> = (0..10).collect();
        let buf = BufferRef::new(&data, &[10]).unwrap();
        f.realize_with::<u16>(&[9], &[input.bind(&buf)]).unwrap();
        // A failing call unbinds too.
        let small = BufferRef::new(&data[..2], &[2]).unwrap();
        assert!(f.realize_with::<u16>(&[9], &[input.bind(&small)]).is_err());
    }
    // The data is gone; realizing without an input must fail cleanly rather
    // than read freed memory.
    let err = f.realize::<u16>(&[9]).unwrap_err();
    assert!(err.message().contains("input"), "{err}");
}

#[test]
fn dimension_constraints() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let input = ImageParam::new::<u8>(2, "constrained");
    let mut copy = Func::new("copy2d");
    copy.define([&x, &y], input.at((&x, &y))).unwrap();
    let data: Vec<u8> = (0..12).collect();
    // A transposed view is refused by default, naming the stride constraint...
    let transposed =
        BufferRef::with_dims(&data, &[Dim::new(0, 3, 4), Dim::new(0, 4, 1)], 0).unwrap();
    let err = copy
        .realize_with::<u8>(&[3, 4], &[input.bind(&transposed)])
        .unwrap_err();
    assert!(err.message().contains("stride"), "{err}");
    // ...and accepted once the constraint is lifted.
    input.dim(0).allow_any_stride().unwrap();
    let out = copy
        .realize_with::<u8>(&[3, 4], &[input.bind(&transposed)])
        .unwrap();
    assert_eq!(out.get(&[2, 1]), Some(9));
    // Extent constraints are checked at run time.
    input.dim(1).set_extent(5).unwrap();
    let err = copy
        .realize_with::<u8>(&[3, 4], &[input.bind(&transposed)])
        .unwrap_err();
    assert!(err.message().contains("extent"), "{err}");
    assert!(
        input
            .dim(2)
            .set_min(0)
            .unwrap_err()
            .message()
            .contains("no dimension 2")
    );
}

#[test]
fn an_unbound_image_is_named_with_the_fix() {
    let (_x, _input, mut f) = shifted_copy();
    let err = f.realize::<u16>(&[4]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.message().contains("reads the image input"), "{err}");
    assert!(err.message().contains("input.bind(&buffer)"), "{err}");
}

#[test]
fn inputs_are_found_by_name_in_any_order_and_extras_are_ignored() {
    let x = Var::new("x");
    let (a, b) = (
        ImageParam::new::<i32>(1, "a"),
        ImageParam::new::<i32>(1, "b"),
    );
    let unused = ImageParam::new::<f32>(2, "unused");
    let offset = Param::<i32>::with_value("offset", 100).unwrap();
    let mut f = Func::new("a_minus_b");
    f.define([&x], a.at([&x]) - b.at([&x]) + &offset).unwrap();
    let (da, db) = ([10, 20, 30], [1, 2, 3]);
    let (ba, bb) = (
        BufferRef::new(&da, &[3]).unwrap(),
        BufferRef::new(&db, &[3]).unwrap(),
    );
    let junk = Buffer::<f32>::new(&[1, 1]).unwrap();
    let out = f
        .realize_with::<i32>(&[3], &[b.bind(&bb), unused.bind(&junk), a.bind(&ba)])
        .unwrap();
    assert_eq!(out.as_slice(), &[109, 118, 127]);
    // A bound scalar overrides the set value for that call only.
    let out = f
        .realize_with::<i32>(&[3], &[a.bind(&ba), offset.bind(0), b.bind(&bb)])
        .unwrap();
    assert_eq!(out.as_slice(), &[9, 18, 27]);
    let out = f
        .realize_with::<i32>(&[3], &[a.bind(&ba), b.bind(&bb)])
        .unwrap();
    assert_eq!(out.as_slice(), &[109, 118, 127]);
}

#[test]
fn a_callable_checks_the_names_of_bound_arguments() {
    let x = Var::new("x");
    let (a, b) = (
        ImageParam::new::<i32>(1, "a"),
        ImageParam::new::<i32>(1, "b"),
    );
    let mut f = Func::new("a_minus_b");
    f.define([&x], a.at([&x]) - b.at([&x])).unwrap();
    let callable = Pipeline::new(&[&f])
        .unwrap()
        .compile(&Target::host().unwrap())
        .unwrap();
    let (da, db) = ([10, 20], [1, 2]);
    let (ba, bb) = (
        BufferRef::new(&da, &[2]).unwrap(),
        BufferRef::new(&db, &[2]).unwrap(),
    );
    let mut out = Buffer::<i32>::new(&[2]).unwrap();
    // Bound in the wrong order: refused, naming both, instead of computing b - a.
    let err = callable
        .call(halide::args![b.bind(&bb), a.bind(&ba), &mut out])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.message().contains("argument 0"), "{err}");
    assert!(err.message().contains("bound to input b"), "{err}");
    callable
        .call(halide::args![a.bind(&ba), b.bind(&bb), &mut out])
        .unwrap();
    assert_eq!(out.as_slice(), &[9, 18]);
}

#[test]
fn const_buffers_are_copies_keyed_by_their_data() {
    use halide::ConstBuffer;
    let x = Var::new("x");
    let y = Var::new("y");
    // Two pipelines alike but for the table's data: the compile cache must
    // tell them apart (their data is part of the key).
    for scale in [1, 2] {
        let mut data = Buffer::<i32>::from_fn(&[4, 3], |c| (c[0] + 10 * c[1]) * scale).unwrap();
        data.set_min(&[1, 5]).unwrap();
        let table = ConstBuffer::new("table", &data).unwrap();
        // A later change to the source does not reach the copy.
        data.as_mut_slice().fill(-1);
        let mut f = Func::new("lookup");
        f.define([&x, &y], table.at((&x + 1, &y + 5)) + 1).unwrap();
        let out = f.realize::<i32>(&[4, 3]).unwrap();
        let expected: Vec<i32> = (0..3)
            .flat_map(|y| (0..4).map(move |x| (x + 10 * y) * scale + 1))
            .collect();
        assert_eq!(out.as_slice(), expected.as_slice(), "scale {scale}");
    }
    // A strided view is copied element by element.
    let backing: Vec<u8> = (0..20).collect();
    let every_other = BufferRef::with_dims(&backing, &[Dim::new(0, 10, 2)], 0).unwrap();
    let table = ConstBuffer::new("odd", &every_other).unwrap();
    let mut g = Func::new("g");
    g.define([&x], table.at([&x])).unwrap();
    let expected: Vec<u8> = (0..10).map(|i| 2 * i).collect();
    assert_eq!(
        g.realize::<u8>(&[10]).unwrap().as_slice(),
        expected.as_slice()
    );
    assert!(
        table.at((&x, &x)).check().is_err(),
        "one argument per dimension"
    );
    // Reading outside is the pipeline's error, not a crash.
    let mut h = Func::new("h");
    h.define([&x], table.at([&x + 5])).unwrap();
    assert!(h.realize::<u8>(&[10]).is_err());
}

/// The regions `infer_input_bounds` reports are exactly what the pipeline
/// reads: buffers of those shapes (and no smaller) run it, and the result
/// matches plain Rust.
#[test]
fn inferred_input_regions_are_the_regions_read() {
    let [x, y] = Var::many(["x", "y"]);
    let image = ImageParam::new::<u16>(2, "image");
    let lut = ImageParam::new::<u16>(1, "lut");
    let mut f = Func::new("stencil_lut");
    // A 3-wide horizontal stencil, two rows down, through a lookup table
    // indexed by y.
    let sum = image.at([&x - 1, &y + 2]) + image.at([&x + 1, &y + 2]);
    f.define([&x, &y], sum + lut.at([&y * 3])).unwrap();
    let regions = f.infer_input_bounds(&[10, 4]).unwrap();
    assert_eq!(regions.len(), 2);
    assert_eq!(regions["image"], [(-1, 12), (2, 4)]);
    assert_eq!(regions["lut"], [(0, 10)]);

    let mut img = Buffer::<u16>::from_fn(&[12, 4], |p| (p[0] * 7 + p[1] * 3) as u16).unwrap();
    img.set_min(&[-1, 2]).unwrap();
    let table = Buffer::<u16>::from_fn(&[10], |p| 100 + p[0] as u16).unwrap();
    let out = f
        .realize_with::<u16>(&[10, 4], &[image.bind(&img), lut.bind(&table)])
        .unwrap();
    for yy in 0..4 {
        for xx in 0..10 {
            let pixel = |dx: i32| img.get(&[xx + dx, yy + 2]).unwrap();
            let want = pixel(-1) + pixel(1) + table.get(&[yy * 3]).unwrap();
            assert_eq!(out.get(&[xx, yy]), Some(want), "at ({xx}, {yy})");
        }
    }
    // One column fewer is refused: the region is the least that works.
    let small = Buffer::<u16>::new(&[11, 4]).unwrap();
    assert!(
        f.realize_with::<u16>(&[10, 4], &[image.bind(&small), lut.bind(&table)])
            .is_err()
    );
    // Nothing stays bound: an input bound already would be refused.
    assert_eq!(f.infer_input_bounds(&[10, 4]).unwrap(), regions);
    let err = f.infer_input_bounds(&[10, -4]).unwrap_err();
    assert!(err.to_string().contains("negative"), "{err}");
    assert!(f.infer_input_bounds(&[10]).is_err());

    // Indexed by data, the region is what the index's type can reach.
    let mut gather = Func::new("gather");
    gather.define([&x], image.at((lut.at([&x]), 0))).unwrap();
    let regions = gather.infer_input_bounds(&[4]).unwrap();
    assert_eq!(regions["image"], [(0, 65536), (0, 1)]);
    // An i32 index can reach anywhere: Halide's error, and the inputs are
    // left unbound again.
    let index = ImageParam::new::<i32>(1, "index");
    let mut unbounded = Func::new("unbounded");
    unbounded
        .define([&x], image.at((index.at([&x]), 0)))
        .unwrap();
    let err = unbounded.infer_input_bounds(&[4]).unwrap_err();
    assert!(err.to_string().contains("unbounded"), "{err}");
    assert_eq!(
        gather.infer_input_bounds(&[4]).unwrap()["image"],
        [(0, 65536), (0, 1)]
    );

    // Several outputs, one a Tuple: each output's reads count.
    let (mut left, mut pair) = (Func::new("left"), Func::new("pair"));
    left.define([&x, &y], image.at((&x - 3, &y))).unwrap();
    pair.define(
        [&x, &y],
        halide::Tuple::new([image.at((&x, &y + 5)), lut.at([&x])]),
    )
    .unwrap();
    let both = Pipeline::new(&[&left, &pair]).unwrap();
    let regions = both
        .infer_input_bounds(&[8, 2], &Target::host().unwrap())
        .unwrap();
    assert_eq!(regions["image"], [(-3, 11), (0, 7)]);
    assert_eq!(regions["lut"], [(0, 8)]);
}

/// A param whose type is chosen at run time computes what a typed one
/// does, for each type it is given, and refuses values of another type.
#[test]
fn dyn_params_take_their_type_at_run_time() {
    let x = Var::new("x");
    for ty in [Type::uint(8), Type::int(16), Type::float(32), Type::int(64)] {
        let offset = DynParam::new(ty, "offset").unwrap();
        assert_eq!(offset.ty(), ty);
        let mut f = Func::new("offset_by");
        f.define([&x], x.expr().cast_to(ty) + &offset).unwrap();
        let sum = |v: f64| -> Vec<f64> { (0..4).map(|i| i as f64 + v).collect() };
        let got: Vec<f64> = if ty == Type::uint(8) {
            offset.set(5u8).unwrap();
            assert!(offset.set(5i32).is_err());
            f.realize::<u8>(&[4])
                .unwrap()
                .as_slice()
                .iter()
                .map(|&v| v as f64)
                .collect()
        } else if ty == Type::int(16) {
            offset.set(-300i16).unwrap();
            assert!(offset.set(-300i32).is_err());
            f.realize::<i16>(&[4])
                .unwrap()
                .as_slice()
                .iter()
                .map(|&v| v as f64)
                .collect()
        } else if ty == Type::float(32) {
            offset.set(0.5f32).unwrap();
            assert!(offset.set(0.5f64).is_err());
            f.realize::<f32>(&[4])
                .unwrap()
                .as_slice()
                .iter()
                .map(|&v| v as f64)
                .collect()
        } else {
            offset.set(1i64 << 40).unwrap();
            assert!(offset.set(1u64).is_err());
            f.realize::<i64>(&[4])
                .unwrap()
                .as_slice()
                .iter()
                .map(|&v| v as f64)
                .collect()
        };
        let value = match ty.bits {
            8 => 5.0,
            16 => -300.0,
            32 => 0.5,
            _ => (1i64 << 40) as f64,
        };
        assert_eq!(got, sum(value), "{ty}");
    }
    assert!(DynParam::new(Type::float(32).with_lanes(4), "vector").is_err());
}

/// A DynParam is an input like any other: listed, bound by name, passed
/// by position, with range limits checked when the pipeline runs.
#[test]
fn dyn_params_are_inputs_with_ranges() {
    let x = Var::new("x");
    let gain = DynParam::new(Type::int(32), "gain").unwrap();
    gain.set_min_value(1i32).unwrap();
    assert!(gain.set_max_value(1.0f32).is_err());
    assert_eq!(
        gain.min_value().unwrap().map(|e| e.to_string()).as_deref(),
        Some("1")
    );
    assert!(gain.max_value().unwrap().is_none());
    let mut f = Func::new("gained");
    f.define([&x], &x * &gain).unwrap();
    let out = f
        .realize_with::<i32>(&[3], &[gain.bind(4i32).unwrap()])
        .unwrap();
    assert_eq!(out.as_slice(), &[0, 4, 8]);
    // Below its minimum: the run fails with Halide's message.
    let err = f
        .realize_with::<i32>(&[3], &[gain.bind(0i32).unwrap()])
        .unwrap_err();
    assert!(err.to_string().contains("gain"), "{err}");
    let callable = Pipeline::new(&[&f])
        .unwrap()
        .compile_with_inputs(&Target::host().unwrap(), &[&gain])
        .unwrap();
    let mut out = Buffer::<i32>::new(&[3]).unwrap();
    callable.call(halide::args![7i32, &mut out]).unwrap();
    assert_eq!(out.as_slice(), &[0, 7, 14]);
}

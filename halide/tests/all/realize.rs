//! Realizing Funcs into new buffers and into the caller's memory.

use halide::prelude::*;

#[test]
fn gradient_into_new_buffer() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut g = Func::new("gradient");
    g.define([&x, &y], &x + &y).unwrap();
    assert_eq!(g.dimensions().unwrap(), 2);
    assert_eq!(g.output_types().unwrap(), vec![Type::int(32)]);
    let out = g.realize::<i32>(&[800, 600]).unwrap();
    for yy in 0..600 {
        for xx in 0..800 {
            assert_eq!(out.get(&[xx, yy]), Some(xx + yy));
        }
    }
}

#[test]
fn realize_into_borrowed_slice() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new("into_slice");
    f.define([&x, &y], (&x * 2 + &y).cast::<u16>()).unwrap();
    let mut data = vec![0u16; 6 * 4];
    let mut view = BufferMut::new(&mut data, &[6, 4]).unwrap();
    f.realize_into(&mut view).unwrap();
    assert_eq!(data[3 * 6 + 5], 13);
}

#[test]
fn realize_honours_mins_and_strides() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new("shifted");
    f.define([&x, &y], &x * 100 + &y).unwrap();
    // A 3x2 region starting at (10, 20), written transposed into memory.
    let mut data = vec![0i32; 6];
    let dims = [Dim::new(10, 3, 2), Dim::new(20, 2, 1)];
    // Halide requires a dense innermost dimension by default: this view is
    // refused with Halide's message, not written wrongly.
    let mut transposed = BufferMut::with_dims(&mut data, &dims, 0).unwrap();
    let err = f.realize_into(&mut transposed).unwrap_err();
    assert!(err.message().contains("stride"), "{err}");
    let mut region = Buffer::<i32>::new(&[3, 2]).unwrap();
    region.set_min(&[10, 20]).unwrap();
    f.realize_into(&mut region).unwrap();
    assert_eq!(region.get(&[12, 21]), Some(1221));
    assert_eq!(region.as_slice(), &[1020, 1120, 1220, 1021, 1121, 1221]);
}

#[test]
fn compile_once_realize_many() {
    let x = Var::new("x");
    let mut f = Func::new("square");
    f.define([&x], &x * &x).unwrap();
    f.compile_jit(&Target::host().unwrap()).unwrap();
    for n in [1, 10, 1000] {
        let out = f.realize::<i32>(&[n]).unwrap();
        assert_eq!(out.get(&[n - 1]), Some((n - 1) * (n - 1)));
    }
}

#[test]
fn every_element_type_realizes() {
    fn check<T: halide::Scalar + PartialEq + std::fmt::Debug>(value: T) {
        let x = Var::new("x");
        let mut f = Func::new("typed");
        f.define([&x], Expr::constant(value)).unwrap();
        assert_eq!(f.realize::<T>(&[3]).unwrap().get(&[2]), Some(value));
    }
    check(-5i8);
    check(-500i16);
    check(-5_000_000i32);
    check(-5_000_000_000i64);
    check(200u8);
    check(60_000u16);
    check(4_000_000_000u32);
    check(u64::MAX);
    check(1.25f32);
    check(-2.5e100f64);
    check(true);
}

#[test]
fn func_calls_compose() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut input = Func::new("input");
    input.define([&x, &y], (&x + &y * 7).cast::<u16>()).unwrap();
    let mut blur = Func::new("blur");
    blur.define(
        (&x, &y),
        (input.at((&x - 1, &y)) + input.at((&x, &y)) + input.at((&x + 1, &y))) / 3,
    )
    .unwrap();
    let out = blur.realize::<u16>(&[16, 4]).unwrap();
    for yy in 0..4 {
        for xx in 0..16 {
            let v = |xx: i32| (xx + yy * 7) as u16;
            // uint16 arithmetic wraps in Halide, as wrapping_add does.
            let sum = v(xx - 1).wrapping_add(v(xx)).wrapping_add(v(xx + 1));
            assert_eq!(out.get(&[xx, yy]), Some(sum / 3));
        }
    }
}

#[test]
fn debug_to_file_writes_every_value() {
    let dir = std::env::temp_dir().join(format!("halide-debug-to-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("f.npy");
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut g = Func::new("g");
    g.define([&x, &y], &x + &y * 10).unwrap();
    g.compute_root().unwrap().debug_to_file(&path).unwrap();
    let mut f = Func::new("f");
    f.define([&x, &y], g.at((&x, &y)) * 2).unwrap();
    let out = f.realize::<i32>(&[4, 3]).unwrap();
    assert_eq!(out.get(&[3, 2]), Some(46));
    // A NumPy file: magic, version, header length, a dict, then the values.
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..6], b"\x93NUMPY");
    let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let header = std::str::from_utf8(&bytes[10..10 + header_len]).unwrap();
    assert!(header.contains("'descr': '<i4'"), "{header}");
    let values: Vec<i32> = bytes[10 + header_len..]
        .chunks_exact(4)
        .map(|c| i32::from_le_bytes(c.try_into().unwrap()))
        .collect();
    // Halide writes dimension 0 fastest whatever the header's order.
    let expected: Vec<i32> = (0..3)
        .flat_map(|y| (0..4).map(move |x| x + y * 10))
        .collect();
    assert_eq!(values, expected, "{header}");
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(g.debug_to_file("nul\0byte.npy").is_err());
}

#[test]
fn evaluate_matches_rust() {
    use halide::math::*;
    assert_eq!(
        halide::evaluate::<u16>(widening_mul(Expr::from(200u8), Expr::from(200u8))).unwrap(),
        40000
    );
    assert_eq!(
        halide::evaluate::<i32>(Expr::from(-7) / 2).unwrap(),
        -4,
        "Halide rounds down"
    );
    assert_eq!(
        halide::evaluate::<i32>(div_round_to_zero(Expr::from(-7), Expr::from(2))).unwrap(),
        -7 / 2
    );
    let v = halide::evaluate::<f64>(atan2(Expr::from(1.0f64), Expr::from(-1.0f64))).unwrap();
    assert_eq!(v, 1.0f64.atan2(-1.0));
    assert!(
        halide::evaluate::<u8>(Expr::from(1.5f32)).is_err(),
        "the type must match"
    );
}

#[test]
fn definitions_read_back() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let r = RDom::new("r", [(0, 4)]).unwrap();
    let mut f = Func::new("f");
    f.define([&x, &y], (&x + &y, &x * &y)).unwrap();
    f.update(
        (r.x(), 0),
        (f.value_at((r.x(), 0), 0) + 1, f.value_at((r.x(), 0), 1) * 2),
    )
    .unwrap();
    assert_eq!(f.values().unwrap().len(), 2);
    assert_eq!(f.update_args(0).unwrap().len(), 2);
    assert_eq!(f.update_values(0).unwrap().len(), 2);
    assert!(f.update_args(1).is_err(), "only one update");
    let p = Pipeline::new(&[&f]).unwrap();
    let outputs = p.outputs().unwrap();
    assert_eq!(outputs.len(), 1);
    assert_eq!(outputs[0].name(), f.name());
    assert_eq!(outputs[0].updates().unwrap(), 1);
}

/// A pipeline realizes all its outputs into new buffers, a Tuple's values
/// each in its own, with inputs found by name; outputs of several types
/// are refused with the way out.
#[test]
fn pipelines_realize_every_output() {
    let x = Var::new("x");
    let input = ImageParam::new::<f32>(1, "input");
    let scale = Param::<f32>::with_value("scale", 2.0).unwrap();
    let (mut scaled, mut parts) = (Func::new("scaled"), Func::new("parts"));
    scaled.define([&x], input.at([&x]) * &scale).unwrap();
    parts
        .define(
            [&x],
            Tuple::new([
                halide::math::floor(input.at([&x])),
                input.at([&x]) - halide::math::floor(input.at([&x])),
            ]),
        )
        .unwrap();
    let data = [0.25f32, 1.5, -2.75];
    let buf = BufferRef::new(&data, &[3]).unwrap();
    let pipeline = Pipeline::new(&[&scaled, &parts]).unwrap();
    let out = pipeline
        .realize::<f32>(&[3], &[input.bind(&buf), scale.bind(4.0)])
        .unwrap();
    assert_eq!(out.len(), 3);
    let want: [Vec<f32>; 3] = [
        data.iter().map(|v| v * 4.0).collect(),
        data.iter().map(|v| v.floor()).collect(),
        data.iter().map(|v| v - v.floor()).collect(),
    ];
    for (got, want) in out.iter().zip(&want) {
        assert_eq!(got.as_slice(), want.as_slice());
    }
    // Without the image: the error names it.
    let err = pipeline.realize::<f32>(&[3], &[]).unwrap_err();
    assert!(err.to_string().contains("input"), "{err}");

    let mut count = Func::new("count");
    count.define([&x], &x).unwrap();
    let mixed = Pipeline::new(&[&scaled, &count]).unwrap();
    let err = mixed.realize::<f32>(&[3], &[input.bind(&buf)]).unwrap_err();
    assert!(err.to_string().contains("realize_into"), "{err}");
    let (mut a, mut b) = (
        Buffer::<f32>::new(&[3]).unwrap(),
        Buffer::<i32>::new(&[3]).unwrap(),
    );
    mixed
        .realize_into(halide::args![&mut a, &mut b], &[input.bind(&buf)])
        .unwrap();
    assert_eq!(a.as_slice(), &[0.5, 3.0, -5.5]);
    assert_eq!(b.as_slice(), &[0, 1, 2]);
}

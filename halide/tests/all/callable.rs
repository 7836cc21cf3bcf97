//! Compiled pipelines: borrowed arguments checked against the signature,
//! run-time failures as errors with codes, many threads at once.

use halide::prelude::*;
use halide::{ArgumentKind, ErrorKind, args};
use halide_runtime::ErrorCode;

/// out(x, y) = in(x, y) * gain + bias, clamped to u8.
fn affine() -> Callable {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let input = ImageParam::new::<u8>(2, "input");
    let gain = Param::<f32>::new("gain");
    let bias = Param::<i16>::new("bias");
    bias.set_range(-100, 100).unwrap();
    let mut f = Func::new("affine");
    let value = input.at((&x, &y)).cast::<f32>() * &gain + bias.expr().cast::<f32>();
    f.define([&x, &y], min(max(value, 0.0f32), 255.0f32).cast::<u8>())
        .unwrap();
    // A guarded tail: vectors of 16 even for outputs narrower than that.
    let (xo, xi) = (Var::new("xo"), Var::new("xi"));
    f.split_with_tail(&x, &xo, &xi, 16, TailStrategy::GuardWithIf)
        .unwrap()
        .vectorize_loop(&xi)
        .unwrap();
    Pipeline::new(&[&f])
        .unwrap()
        .compile(&Target::host().unwrap())
        .unwrap()
}

fn expected(v: u8, gain: f32, bias: i16) -> u8 {
    (f32::from(v) * gain + f32::from(bias)).clamp(0.0, 255.0) as u8
}

#[test]
fn signature_lists_buffers_scalars_outputs() {
    let c = affine();
    let kinds: Vec<_> = c
        .arguments()
        .iter()
        .map(|a| (&*a.name, a.kind, a.ty, a.dimensions))
        .collect();
    // Halide makes repeated Func names unique ("affine$2"); each test builds its own.
    let kinds: Vec<_> = kinds
        .into_iter()
        .map(|(n, k, t, d)| (n.split('$').next().unwrap(), k, t, d))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("input", ArgumentKind::InputBuffer, Type::uint(8), 2),
            ("bias", ArgumentKind::InputScalar, Type::int(16), 0),
            ("gain", ArgumentKind::InputScalar, Type::float(32), 0),
            ("affine", ArgumentKind::OutputBuffer, Type::uint(8), 2),
        ]
    );
}

#[test]
fn calls_with_borrowed_buffers() {
    let c = affine();
    let data: Vec<u8> = (0..=255).cycle().take(64 * 8).collect();
    let input = BufferRef::new(&data, &[64, 8]).unwrap();
    let mut out = vec![0u8; 64 * 8];
    let mut view = BufferMut::new(&mut out, &[64, 8]).unwrap();
    c.call(args![&input, -20i16, 1.5f32, &mut view]).unwrap();
    drop(view);
    for (o, v) in out.iter().zip(&data) {
        assert_eq!(*o, expected(*v, 1.5, -20));
    }
}

#[test]
fn wrong_argument_count_names_the_signature() {
    let c = affine();
    let data = [0u8; 4];
    let err = c
        .call(args![&BufferRef::new(&data, &[2, 2]).unwrap(), 1i16])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(
        err.message().contains("takes 4 arguments, 2 given"),
        "{err}"
    );
    assert!(err.message().contains("gain: float32"), "{err}");
}

#[test]
fn wrong_argument_types_are_refused_before_the_call() {
    let c = affine();
    let data = [0u8; 4];
    let input = BufferRef::new(&data, &[2, 2]).unwrap();
    let mut out = Buffer::<u8>::new(&[2, 2]).unwrap();

    let floats = [0f32; 4];
    let err = c
        .call(args![
            &BufferRef::new(&floats, &[2, 2]).unwrap(),
            1i16,
            1.0f32,
            &mut out
        ])
        .unwrap_err();
    assert!(
        err.message().contains("argument 0") && err.message().contains("element type float32"),
        "{err}"
    );

    let flat = BufferRef::new(&data, &[4]).unwrap();
    let err = c.call(args![&flat, 1i16, 1.0f32, &mut out]).unwrap_err();
    assert!(err.message().contains("1-dimensional"), "{err}");

    let err = c.call(args![&input, 1i32, 1.0f32, &mut out]).unwrap_err();
    assert!(
        err.message().contains("argument 1") && err.message().contains("int32 scalar"),
        "{err}"
    );

    let err = c.call(args![&input, 1i16, 1.0f64, &mut out]).unwrap_err();
    assert!(err.message().contains("float64"), "{err}");

    let err = c.call(args![&input, 1i16, 1.0f32, &out]).unwrap_err();
    assert!(err.message().contains("read-only"), "{err}");

    let err = c.call(args![1u8, 1i16, 1.0f32, &mut out]).unwrap_err();
    assert!(err.message().contains("argument 0"), "{err}");
    // After all that, a good call works.
    c.call(args![&input, 1i16, 1.0f32, &mut out]).unwrap();
}

#[test]
fn input_too_small_is_a_runtime_error_with_its_code() {
    let c = affine();
    let data = [0u8; 4];
    let input = BufferRef::new(&data, &[2, 2]).unwrap();
    let mut out = Buffer::<u8>::new(&[4, 4]).unwrap();
    let err = c.call(args![&input, 0i16, 1.0f32, &mut out]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Runtime);
    assert_eq!(err.code(), Some(ErrorCode::AccessOutOfBounds));
    assert!(err.message().contains("input"), "{err}");
}

#[test]
fn scalar_out_of_range_is_a_runtime_error_with_its_code() {
    let c = affine();
    let data = [0u8; 4];
    let input = BufferRef::new(&data, &[2, 2]).unwrap();
    let mut out = Buffer::<u8>::new(&[2, 2]).unwrap();
    let err = c.call(args![&input, 101i16, 1.0f32, &mut out]).unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::ParamTooLarge));
    assert!(err.message().contains("bias"), "{err}");
}

#[test]
fn one_callable_from_eight_threads() {
    let c = affine();
    std::thread::scope(|s| {
        for t in 0..8u8 {
            let c = &c;
            s.spawn(move || {
                let data: Vec<u8> = (0..200 * 50)
                    .map(|i| (i as u8).wrapping_mul(t + 1))
                    .collect();
                let input = BufferRef::new(&data, &[200, 50]).unwrap();
                let bias = i16::from(t) * 3 - 10;
                let gain = 0.5 + f32::from(t) * 0.25;
                for _ in 0..20 {
                    let mut out = Buffer::<u8>::new(&[200, 50]).unwrap();
                    c.call(args![&input, bias, gain, &mut out]).unwrap();
                    for (o, v) in out.as_slice().iter().zip(&data) {
                        assert_eq!(*o, expected(*v, gain, bias), "thread {t}");
                    }
                }
            });
        }
    });
}

#[test]
fn several_outputs_and_a_callable_that_outlives_its_funcs() {
    let callable = {
        let x = Var::new("x");
        let mut square = Func::new("square");
        square.define([&x], &x * &x).unwrap();
        let mut half = Func::new("half");
        half.define([&x], x.expr().cast::<f32>() / 2.0f32).unwrap();
        Pipeline::new(&[&square, &half])
            .unwrap()
            .compile(&Target::host().unwrap())
            .unwrap()
    };
    let (mut a, mut b) = (
        Buffer::<i32>::new(&[5]).unwrap(),
        Buffer::<f32>::new(&[5]).unwrap(),
    );
    callable.call(args![&mut a, &mut b]).unwrap();
    assert_eq!(a.as_slice(), &[0, 1, 4, 9, 16]);
    assert_eq!(b.as_slice(), &[0.0, 0.5, 1.0, 1.5, 2.0]);
}

#[test]
fn params_in_realize_use_their_set_value() {
    let x = Var::new("x");
    let step = Param::<i32>::with_value("step", 3).unwrap();
    let mut f = Func::new("stepped");
    f.define([&x], &x * &step + 2 * &step).unwrap();
    assert_eq!(f.realize::<i32>(&[3]).unwrap().as_slice(), &[6, 9, 12]);
    step.set(10).unwrap();
    assert_eq!(f.realize::<i32>(&[3]).unwrap().as_slice(), &[20, 30, 40]);
    assert_eq!(format!("{step:?}"), "Param<int32>(step)");
}

#[test]
fn empty_pipelines_are_refused() {
    assert_eq!(
        Pipeline::new(&[]).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
}

#[test]
fn callables_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Callable>();
}

#[test]
fn many_scalar_arguments() {
    // More arguments than the call path keeps on the stack.
    let x = Var::new("x");
    let params: Vec<Param<i32>> = (0..20).map(|i| Param::new(&format!("p{i:02}"))).collect();
    let sum = params.iter().fold(x.expr().clone(), |acc, p| acc + p);
    let mut f = Func::new("sum_of_params");
    f.define([&x], sum).unwrap();
    let c = Pipeline::new(&[&f])
        .unwrap()
        .compile(&Target::host().unwrap())
        .unwrap();
    assert_eq!(c.arguments().len(), 21);
    let mut out = Buffer::<i32>::new(&[3]).unwrap();
    let mut args: Vec<halide::Arg<'_>> = (1..=20).map(halide::IntoArg::into_arg).collect();
    args.push(halide::IntoArg::into_arg(&mut out));
    c.call(&args).unwrap();
    drop(args);
    assert_eq!(out.as_slice(), &[210, 211, 212]);
}

/// A requirement added after a compilation holds for later compilations
/// only (the compile cache's key covers it); each run checks it first.
#[test]
fn requirements_hold_for_later_compilations() {
    let x = Var::new("x");
    let n = Param::<i32>::new("n");
    let mut f = Func::new("scaled_by_n");
    f.define([&x], &x * &n).unwrap();
    let mut pipeline = Pipeline::new(&[&f]).unwrap();
    let host = Target::host().unwrap();
    let unchecked = pipeline.compile(&host).unwrap();
    pipeline
        .add_requirement(n.expr().lt(100), ("n too large:", &n))
        .unwrap();
    let checked = pipeline.compile(&host).unwrap();
    let mut out = Buffer::<i32>::new(&[3]).unwrap();
    unchecked.call(args![500, &mut out]).unwrap();
    assert_eq!(out.as_slice(), &[0, 500, 1000]);
    let e = checked.call(args![500, &mut out]).unwrap_err();
    assert!(e.message().contains("n too large: 500"), "{e}");
    checked.call(args![7, &mut out]).unwrap();
    assert_eq!(out.as_slice(), &[0, 7, 14]);
}

/// A pipeline's inferred arguments are its callable's, without compiling.
#[test]
fn inferred_arguments_are_the_callables() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let (image, offset) = (
        ImageParam::new::<u16>(2, "image"),
        Param::<i32>::new("offset"),
    );
    let mut f = Func::new("shifted");
    f.define(
        [&x, &y],
        (image.at((&x, &y)).cast::<i32>() + &offset, &x * 2),
    )
    .unwrap();
    let pipeline = Pipeline::new(&[&f]).unwrap();
    let inferred = pipeline.infer_arguments().unwrap();
    let compiled = pipeline.compile(&Target::host().unwrap()).unwrap();
    assert_eq!(inferred, compiled.arguments());
    // A Tuple gives one output buffer per value.
    assert_eq!(inferred.len(), 4);
    assert_eq!(inferred[3].kind, ArgumentKind::OutputBuffer);
}

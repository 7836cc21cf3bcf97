//! Automatic differentiation against central finite differences of the
//! same pipelines, evaluated in plain Rust.

use halide::boundary;
use halide::derivative::{propagate_adjoints, propagate_adjoints_from};
use halide::prelude::*;

const N: i32 = 12;

fn signal() -> Vec<f64> {
    (0..N)
        .map(|i| ((i * 7 % 5) as f64 - 2.0) * 0.3 + 0.1 * i as f64)
        .collect()
}

/// loss(in) = Σ_x (blur(x) - target(x))², blur a 3-tap clamped box blur
/// with weights w: the same in Rust.
fn loss_rust(input: &[f64], w: [f64; 3], target: &[f64]) -> f64 {
    let at = |i: i32| input[i.clamp(0, N - 1) as usize];
    (0..N)
        .map(|x| {
            let blur = w[0] * at(x - 1) + w[1] * at(x) + w[2] * at(x + 1);
            (blur - target[x as usize]).powi(2)
        })
        .sum()
}

struct Pipeline1d {
    input: ImageParam,
    weights: ImageParam,
    target: ImageParam,
    loss: Func,
}

fn pipeline() -> Pipeline1d {
    let x = Var::new("x");
    let input = ImageParam::new::<f64>(1, "input");
    let weights = ImageParam::new::<f64>(1, "weights");
    let target = ImageParam::new::<f64>(1, "target");
    let clamped = boundary::repeat_edge(&input).unwrap();
    let mut blur = Func::new("blur");
    blur.define(
        [&x],
        weights.at([Expr::from(0)]) * clamped.at([&x - 1])
            + weights.at([Expr::from(1)]) * clamped.at([x.expr().clone()])
            + weights.at([Expr::from(2)]) * clamped.at([&x + 1]),
    )
    .unwrap();
    let r = RDom::new("r", [(0, N)]).unwrap();
    let diff = blur.at([r.x()]) - target.at([r.x()]);
    let mut loss = Func::new("loss");
    loss.define([] as [&Var; 0], 0.0f64).unwrap();
    loss.update([] as [Expr; 0], loss.at([] as [Expr; 0]) + &diff * &diff)
        .unwrap();
    Pipeline1d {
        input,
        weights,
        target,
        loss,
    }
}

fn realize_1d(
    f: &mut Func,
    n: i32,
    p: &Pipeline1d,
    input: &[f64],
    w: &[f64; 3],
    t: &[f64],
) -> Vec<f64> {
    let (ib, wb, tb) = (
        BufferRef::new(input, &[N]).unwrap(),
        BufferRef::new(w, &[3]).unwrap(),
        BufferRef::new(t, &[N]).unwrap(),
    );
    let args = [p.input.bind(&ib), p.weights.bind(&wb), p.target.bind(&tb)];
    let sizes: &[i32] = if n == 0 { &[] } else { &[n] };
    f.realize_with::<f64>(sizes, &args)
        .unwrap()
        .as_slice()
        .to_vec()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn gradients_match_finite_differences() {
    let mut p = pipeline();
    let (input, w, target) = (signal(), [0.2, 0.5, 0.3], vec![0.25; N as usize]);
    let mut loss = std::mem::replace(&mut p.loss, Func::new("placeholder"));
    let value = realize_1d(&mut loss, 0, &p, &input, &w, &target)[0];
    p.loss = loss;
    assert!(close(value, loss_rust(&input, w, &target)), "{value}");

    let d = propagate_adjoints(&p.loss).unwrap();
    let h = 1e-5;
    // With respect to each input sample (the clamped edges included).
    let mut d_input = d.of_input(&p.input).unwrap();
    let grad = realize_1d(&mut d_input, N, &p, &input, &w, &target);
    for i in 0..N as usize {
        let (mut up, mut down) = (input.clone(), input.clone());
        up[i] += h;
        down[i] -= h;
        let fd = (loss_rust(&up, w, &target) - loss_rust(&down, w, &target)) / (2.0 * h);
        assert!(close(grad[i], fd), "d/dinput[{i}]: {} vs {fd}", grad[i]);
    }
    // With respect to each weight.
    let mut d_weights = d.of_input(&p.weights).unwrap();
    let grad = realize_1d(&mut d_weights, 3, &p, &input, &w, &target);
    for k in 0..3 {
        let (mut up, mut down) = (w, w);
        up[k] += h;
        down[k] -= h;
        let fd = (loss_rust(&input, up, &target) - loss_rust(&input, down, &target)) / (2.0 * h);
        assert!(close(grad[k], fd), "d/dw[{k}]: {} vs {fd}", grad[k]);
    }
}

#[test]
fn scalar_params_and_intermediate_funcs_have_adjoints() {
    // loss = Σ_i (a·i + b)², i in [0, 5): dloss/da = Σ 2(a·i + b)·i.
    let (a, b) = (Param::<f32>::new("a"), Param::<f32>::new("b"));
    let i = Var::new("i");
    let mut line = Func::new("line");
    line.define([&i], &a * i.expr().cast::<f32>() + &b).unwrap();
    let r = RDom::new("r", [(0, 5)]).unwrap();
    let mut loss = Func::new("loss");
    loss.define([] as [&Var; 0], 0.0f32).unwrap();
    loss.update(
        [] as [Expr; 0],
        loss.at([] as [Expr; 0]) + line.at([r.x()]) * line.at([r.x()]),
    )
    .unwrap();
    a.set(1.5).unwrap();
    b.set(-2.0).unwrap();
    let d = propagate_adjoints(&loss).unwrap();
    let da = d
        .of_param(&a)
        .unwrap()
        .realize::<f32>(&[])
        .unwrap()
        .as_slice()[0];
    let db = d
        .of_param(&b)
        .unwrap()
        .realize::<f32>(&[])
        .unwrap()
        .as_slice()[0];
    let (want_a, want_b) = (0..5).fold((0.0f32, 0.0f32), |(ga, gb), i| {
        let v = 1.5 * i as f32 - 2.0;
        (ga + 2.0 * v * i as f32, gb + 2.0 * v)
    });
    assert_eq!((da, db), (want_a, want_b));
    // The adjoint of the intermediate: dloss/dline(i) = 2·line(i) on [0, 5).
    let dline = d.of(&line).unwrap().realize::<f32>(&[5]).unwrap();
    let want: Vec<f32> = (0..5).map(|i| 2.0 * (1.5 * i as f32 - 2.0)).collect();
    assert_eq!(dline.as_slice(), want.as_slice());
}

#[test]
fn adjoints_of_unrelated_funcs_are_errors() {
    let x = Var::new("x");
    let mut out = Func::new("out");
    out.define([&x], x.expr().cast::<f32>() * 2.0f32).unwrap();
    let mut unrelated = Func::new("unrelated");
    unrelated.define([&x], x.expr().cast::<f32>()).unwrap();
    let mut ones = Func::new("ones");
    ones.define([&x], 1.0f32).unwrap();
    let d = propagate_adjoints_from(&out, &ones, &[(0.into(), 4.into())]).unwrap();
    let e = d.of(&unrelated).unwrap_err();
    assert!(e.to_string().contains("unrelated"), "{e}");
    let p = ImageParam::new::<f32>(1, "never_used");
    assert!(d.of_input(&p).is_err());
    // A loss that is not zero-dimensional needs an adjoint.
    let e = propagate_adjoints(&out).unwrap_err();
    assert!(e.to_string().contains("propagate_adjoints_from"), "{e}");
}

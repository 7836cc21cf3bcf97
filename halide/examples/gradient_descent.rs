//! Learns the weights of a 3-tap convolution by gradient descent, with the
//! gradient from Halide's automatic differentiation: a signal blurred by
//! unknown weights is the target, and the loss (mean squared error) is
//! driven down until the weights are found. Checks that the loss falls
//! by orders of magnitude and the weights come out right.
//!
//! Run with `cargo run --release --example gradient_descent`.

use halide::boundary;
use halide::derivative::propagate_adjoints;
use halide::prelude::*;
use std::error::Error;

const N: i32 = 256;
const TRUE_WEIGHTS: [f32; 3] = [0.25, 0.5, 0.25];

/// A deterministic noisy signal in [-1, 1): noise, so that neighbouring
/// samples are unrelated and each weight's effect can be told apart.
fn signal() -> Vec<f32> {
    (0..N as u32)
        .map(|i| {
            let h = i.wrapping_mul(0x9E37_79B1) ^ (i >> 3).wrapping_mul(0x85EB_CA77);
            ((h ^ (h >> 15)) % 2000) as f32 / 1000.0 - 1.0
        })
        .collect()
}

/// The blur in plain Rust, edges clamped: the target to fit.
fn blur(input: &[f32], w: [f32; 3]) -> Vec<f32> {
    let at = |i: i32| input[i.clamp(0, N - 1) as usize];
    (0..N)
        .map(|x| w[0] * at(x - 1) + w[1] * at(x) + w[2] * at(x + 1))
        .collect()
}

fn main() -> Result<(), Box<dyn Error>> {
    let x = Var::new("x");
    let input = ImageParam::new::<f32>(1, "input");
    let weights = ImageParam::new::<f32>(1, "weights");
    let target = ImageParam::new::<f32>(1, "target");

    // The model and its loss.
    let clamped = boundary::repeat_edge(&input)?;
    let mut model = Func::new("model");
    model.define(
        [&x],
        (0..3)
            .map(|k| weights.at([Expr::from(k)]) * clamped.at([&x + (k - 1)]))
            .reduce(|a, b| a + b)
            .expect("three taps"),
    )?;
    let r = RDom::new("r", [(0, N)])?;
    let error = model.at([r.x()]) - target.at([r.x()]);
    let mut loss = Func::new("loss");
    loss.define([] as [&Var; 0], 0.0f32)?;
    loss.update(
        [] as [Expr; 0],
        loss.at([] as [Expr; 0]) + &error * &error / N as f32,
    )?;

    // Its gradient with respect to the weights, by reverse-mode autodiff.
    let mut d_weights = propagate_adjoints(&loss)?.of_input(&weights)?;
    let host = Target::host()?;
    loss.compile_jit(&host)?;
    d_weights.compile_jit(&host)?;

    let data = signal();
    let wanted = blur(&data, TRUE_WEIGHTS);
    let (data_buf, target_buf) = (BufferRef::new(&data, &[N])?, BufferRef::new(&wanted, &[N])?);
    let mut w = [0.0f32, 0.0, 0.0];
    let rate = 0.5f32;
    let mut losses = Vec::new();
    for step in 0..=300 {
        let w_buf = BufferRef::new(&w, &[3])?;
        let args = [
            input.bind(&data_buf),
            weights.bind(&w_buf),
            target.bind(&target_buf),
        ];
        let value = loss.realize_with::<f32>(&[], &args)?.as_slice()[0];
        let grad = d_weights.realize_with::<f32>(&[3], &args)?;
        if step % 50 == 0 {
            println!("step {step:3}: loss {value:.3e}, weights {w:.4?}");
        }
        losses.push(value);
        for (wk, gk) in w.iter_mut().zip(grad.as_slice()) {
            *wk -= rate * gk;
        }
    }

    let (first, last) = (losses[0], *losses.last().expect("steps ran"));
    if last.is_nan() || last >= first * 1e-4 {
        return Err(format!("the loss fell only from {first} to {last}").into());
    }
    if losses
        .windows(2)
        .any(|p| p[1] > p[0] * (1.0 + 1e-6) + 1e-12)
    {
        return Err("the loss went up during descent".into());
    }
    if w.iter()
        .zip(TRUE_WEIGHTS)
        .any(|(a, b)| (a - b).abs() > 1e-2)
    {
        return Err(format!("learned {w:?}, expected {TRUE_WEIGHTS:?}").into());
    }
    println!("learned weights {w:.4?} (true {TRUE_WEIGHTS:?}); loss {first:.3e} -> {last:.3e}");
    Ok(())
}

#[test]
fn gradient_descent() {
    main().unwrap();
}

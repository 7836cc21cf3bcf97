//! Halide tutorial lesson 13: Tuples.
//!
//! Funcs that compute several values at once: realized into several
//! buffers, updated together (an argmax reduction), and a Rust type built
//! on them (complex numbers, for a Mandelbrot set).

use halide::math::{select, sqrt};
use halide::prelude::*;
use halide::{args, math};
use std::ops::{Add, Mul};

/// A complex number as a pair of float expressions.
#[derive(Clone)]
struct Complex {
    re: Expr,
    im: Expr,
}

impl Complex {
    fn new(re: impl IntoExpr, im: impl IntoExpr) -> Self {
        Complex {
            re: re.into_expr(),
            im: im.into_expr(),
        }
    }
    fn from_tuple(t: &Tuple) -> Self {
        Complex {
            re: t.get(0),
            im: t.get(1),
        }
    }
    fn tuple(&self) -> Tuple {
        Tuple::new([self.re.clone(), self.im.clone()])
    }
    fn magnitude(&self) -> Expr {
        sqrt(&self.re * &self.re + &self.im * &self.im)
    }
}

impl Add for Complex {
    type Output = Complex;
    fn add(self, o: Complex) -> Complex {
        Complex::new(self.re + o.re, self.im + o.im)
    }
}

impl Mul for Complex {
    type Output = Complex;
    fn mul(self, o: Complex) -> Complex {
        Complex::new(
            &self.re * &o.re - &self.im * &o.im,
            &self.re * &o.im + &self.im * &o.re,
        )
    }
}

fn main() -> halide::Result<()> {
    let (x, y) = (Var::new("x"), Var::new("y"));

    // A Func with two values of different types, realized into two buffers.
    let mut multi = Func::new("multi_valued");
    multi.define([&x, &y], (&x + &y, sqrt((&x * &y).cast::<f32>())))?;
    let mut sums = Buffer::<i32>::new(&[80, 60])?;
    let mut roots = Buffer::<f32>::new(&[80, 60])?;
    multi.realize_into_all(args![&mut sums, &mut roots])?;
    assert_eq!(sums.get(&[30, 40]), Some(70));
    assert_eq!(roots.get(&[30, 40]), Some(1200f32.sqrt()));

    // argmax as a Tuple-valued reduction: (index, value) updated together.
    let input = Buffer::<f32>::from_fn(&[100], |p| ((p[0] as f32) * 0.37).sin() * (p[0] as f32))?;
    let mut values = Func::new("values");
    values.define([&x], math::sin(x.cast::<f32>() * 0.37f32) * x.cast::<f32>())?;
    let r = RDom::new("r", [(0, 100)])?;
    let mut arg_max = Func::new("arg_max");
    arg_max.define(Vec::<Var>::new(), (0, values.at([0])))?;
    let best = arg_max.at_tuple(Vec::<Expr>::new());
    let better = values.at([r.x()]).gt(best.get(1));
    arg_max.update(
        Vec::<Expr>::new(),
        Tuple::select(
            &better,
            &Tuple::new([r.x().into_expr(), values.at([r.x()])]),
            &best,
        ),
    )?;
    let (mut index, mut value) = (Buffer::<i32>::new(&[])?, Buffer::<f32>::new(&[])?);
    arg_max.realize_into_all(args![&mut index, &mut value])?;
    let (want_index, want_value) =
        input
            .as_slice()
            .iter()
            .enumerate()
            .fold(
                (0, input.as_slice()[0]),
                |b, (i, &v)| if v > b.1 { (i, v) } else { b },
            );
    assert_eq!(index.as_slice(), &[want_index as i32]);
    assert!((value.as_slice()[0] - want_value).abs() < 1e-3);
    // The built-in argmax agrees.
    let mut builtin = halide::lambda(Vec::<Var>::new(), argmax(values.at([r.x()])).get(0))?;
    assert_eq!(
        builtin.realize::<i32>(&[])?.as_slice(),
        &[want_index as i32]
    );

    // Mandelbrot with Complex: z = z^2 + c, 10 times, counting escapes.
    let (w, h) = (48, 32);
    let t = Var::new("t");
    let c = Complex::new(
        x.cast::<f32>() / (w as f32 / 3.0) - 2.0f32,
        y.cast::<f32>() / (h as f32 / 2.0) - 1.0f32,
    );
    let mut mandelbrot = Func::new("mandelbrot");
    mandelbrot.define([&x, &y, &t], Complex::new(0.0f32, 0.0f32).tuple())?;
    let iter = RDom::new("iter", [(1, 10)])?;
    let z = Complex::from_tuple(&mandelbrot.at_tuple((&x, &y, iter.x() - 1)));
    mandelbrot.update((&x, &y, iter.x()), (z.clone() * z + c).tuple())?;
    let escape = RDom::new("escape", [(0, 11)])?;
    let magnitude = Complex::from_tuple(&mandelbrot.at_tuple((&x, &y, escape.x()))).magnitude();
    let mut count = Func::new("count");
    count.define([&x, &y], argmin(select(magnitude.lt(4.0f32), 1, 0)).get(0))?;
    let out: Buffer<i32> = count.realize(&[w, h])?;
    for j in 0..h {
        for i in 0..w {
            let (cr, ci) = (
                i as f32 / (w as f32 / 3.0) - 2.0,
                j as f32 / (h as f32 / 2.0) - 1.0,
            );
            let (mut zr, mut zi) = (0f32, 0f32);
            let mut first_escape = 0; // argmin of "still inside": the first step outside, else 0
            for step in 0..=10 {
                if step > 0 {
                    (zr, zi) = (zr * zr - zi * zi + cr, 2.0 * zr * zi + ci);
                }
                if (zr * zr + zi * zi).sqrt() >= 4.0 {
                    first_escape = step;
                    break;
                }
            }
            assert_eq!(out.get(&[i, j]), Some(first_escape), "at ({i}, {j})");
        }
    }
    println!(
        "lesson 13: tuple outputs, a tuple argmax and a complex-valued Mandelbrot match plain Rust"
    );
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

//! The rest of the language: lambdas, implicit variables, inline
//! reductions, mux, print, require, random numbers and concise casts.

use halide::ErrorKind;
use halide::inline_reduction::{maximum_over, sum_over};
use halide::math::{
    f32_sat, mux, print_when, random_float, random_int, require, select_cases, u8, u8_sat,
};
use halide::prelude::*;
use std::sync::{Arc, Mutex};

fn input_data() -> Vec<i16> {
    vec![3, -7, 12, 0, 5, 5, -2, 9, 1, 4]
}

#[test]
fn inline_reductions_match_plain_rust() {
    let x = Var::new("x");
    let input = ImageParam::new::<i16>(1, "red_in");
    let r = RDom::new("r", [(0, 3)]).unwrap();
    let window = input.at([&x + r.x()]);
    let data = input_data();
    let buf = BufferRef::new(&data, &[10]).unwrap();
    let windows: Vec<&[i16]> = data.windows(3).collect();
    let realize = |value: Expr| {
        let mut f = halide::lambda([&x], value).unwrap();
        f.realize_with::<i32>(&[8], &[input.bind(&buf)]).unwrap()
    };

    let out = realize(sum(window.cast::<i32>()));
    let want: Vec<i32> = windows
        .iter()
        .map(|w| w.iter().map(|&v| i32::from(v)).sum())
        .collect();
    assert_eq!(out.as_slice(), want.as_slice());

    let out = realize(product(window.cast::<i32>()));
    let want: Vec<i32> = windows
        .iter()
        .map(|w| w.iter().map(|&v| i32::from(v)).product())
        .collect();
    assert_eq!(out.as_slice(), want.as_slice());

    let out = realize(maximum(window.clone()).cast::<i32>());
    let want: Vec<i32> = windows
        .iter()
        .map(|w| i32::from(*w.iter().max().unwrap()))
        .collect();
    assert_eq!(out.as_slice(), want.as_slice());

    let out = realize(minimum(window.clone()).cast::<i32>());
    let want: Vec<i32> = windows
        .iter()
        .map(|w| i32::from(*w.iter().min().unwrap()))
        .collect();
    assert_eq!(out.as_slice(), want.as_slice());

    // argmax/argmin: the first extremum's offset, then its value.
    let pos = |w: &[i16], best: i16| w.iter().position(|&v| v == best).unwrap() as i32;
    let hi = argmax(window.clone());
    assert_eq!(hi.len(), 2);
    let out = realize(hi.get(0));
    let want: Vec<i32> = windows
        .iter()
        .map(|w| pos(w, *w.iter().max().unwrap()))
        .collect();
    assert_eq!(out.as_slice(), want.as_slice());
    let out = realize(hi.get(1).cast::<i32>());
    let want: Vec<i32> = windows
        .iter()
        .map(|w| i32::from(*w.iter().max().unwrap()))
        .collect();
    assert_eq!(out.as_slice(), want.as_slice());
    let out = realize(argmin(window).get(0));
    let want: Vec<i32> = windows
        .iter()
        .map(|w| pos(w, *w.iter().min().unwrap()))
        .collect();
    assert_eq!(out.as_slice(), want.as_slice());
}

#[test]
fn inline_reductions_over_an_explicit_domain() {
    let x = Var::new("x");
    let r = RDom::new("r2", [(0, 4), (0, 3)]).unwrap();
    // The value does not use r.y, but the domain covers it: 3 times the sum.
    let mut f = halide::lambda([&x], sum_over(&r, r.x() + &x)).unwrap();
    assert_eq!(f.realize::<i32>(&[2]).unwrap().as_slice(), &[18, 30]);
    // 2-D argmax: two coordinates, then the value.
    let t = argmax(select(r.x().eq(2).and(r.y().eq(1)), 100, r.x() + r.y()));
    assert_eq!(t.len(), 3);
    let mut g = halide::lambda([&x], t.get(0) * 10 + t.get(1)).unwrap();
    assert_eq!(g.realize::<i32>(&[1]).unwrap().as_slice(), &[21]);
    let mut m = halide::lambda([&x], maximum_over(&r, &x)).unwrap();
    assert_eq!(m.realize::<i32>(&[3]).unwrap().as_slice(), &[0, 1, 2]);
    // A reduction of something without a domain is an error.
    let err = sum(x.expr().clone()).check().unwrap_err();
    assert!(err.message().contains("reduction domain"), "{err}");
}

#[test]
fn implicit_variables_fill_in_trailing_arguments() {
    let (x, y, c) = (Var::new("x"), Var::new("y"), Var::new("c"));
    let mut image = Func::new("image3");
    image.define([&x, &y, &c], &x + &y * 10 + &c * 100).unwrap();
    let all = Var::placeholder();
    // Only the last dimension named: the others are implicit.
    let mut scaled = Func::new("scaled");
    scaled.define([&all], image.at([&all]) * 2).unwrap();
    assert_eq!(scaled.dimensions().unwrap(), 3);
    let out = scaled.realize::<i32>(&[2, 2, 3]).unwrap();
    assert_eq!(out.get(&[1, 1, 2]), Some(2 * 211));
    // Halide names the implicit variables _0, _1, ...
    assert!(
        scaled
            .lowered_stmt(&Target::host().unwrap())
            .unwrap()
            .contains(&Var::implicit(0).name()),
    );
}

#[test]
fn lambdas_define_funcs_in_one_expression() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let f = halide::lambda((&x, &y), (&x * &y, &x - &y)).unwrap();
    assert_eq!(f.output_types().unwrap().len(), 2);
    let mut g = halide::lambda([&x], f.value_at((&x, 3), 0)).unwrap();
    assert_eq!(g.realize::<i32>(&[3]).unwrap().as_slice(), &[0, 3, 6]);
    assert!(halide::lambda([&x], f.at([&x])).is_err());
}

#[test]
fn mux_and_n_ary_select_pick_values() {
    let x = Var::new("x");
    let mut f = halide::lambda([&x], mux(&x, [10, 20, 30])).unwrap();
    // Out-of-range indices clamp to the last value.
    assert_eq!(
        f.realize::<i32>(&[4]).unwrap().as_slice(),
        &[10, 20, 30, 30]
    );
    let cases = [(x.lt(1), Expr::from(-1)), (x.eq(2), Expr::from(99))];
    let mut g = halide::lambda([&x], select_cases(&cases, &x)).unwrap();
    assert_eq!(g.realize::<i32>(&[4]).unwrap().as_slice(), &[-1, 1, 99, 3]);
}

#[test]
fn print_and_print_when_go_to_the_print_handler() {
    let x = Var::new("x");
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = lines.clone();
    let mut f =
        halide::lambda([&x], print_when(x.eq(3), (&x * &x, "is the square of", &x))).unwrap();
    f.set_handlers(Handlers::new().on_print(move |s| sink.lock().unwrap().push(s.to_owned())));
    assert_eq!(f.realize::<i32>(&[5]).unwrap().get(&[4]), Some(16));
    assert_eq!(*lines.lock().unwrap(), ["9 is the square of 3\n"]);
}

#[test]
fn require_fails_the_pipeline_with_its_message() {
    let x = Var::new("x");
    let input = ImageParam::new::<i32>(1, "req_in");
    let mut f = Func::new("checked");
    let v = input.at([&x]);
    f.define([&x], require(v.ge(0), &v * 2, ("negative input", &v)))
        .unwrap();
    let good = [1, 2, 3];
    let out = f
        .realize_with::<i32>(&[3], &[input.bind(&BufferRef::new(&good, &[3]).unwrap())])
        .unwrap();
    assert_eq!(out.as_slice(), &[2, 4, 6]);
    let bad = [1, -5, 3];
    let err = f
        .realize_with::<i32>(&[3], &[input.bind(&BufferRef::new(&bad, &[3]).unwrap())])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Runtime);
    assert!(err.message().contains("negative input -5"), "{err}");
}

#[test]
fn random_numbers_are_pure_functions_of_their_coordinates() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let seed = Param::<i32>::new("seed");
    let mut f = halide::lambda((&x, &y), random_float(Some(seed.expr().clone()))).unwrap();
    let a = f.realize::<f32>(&[64, 64]).unwrap();
    let b = f.realize::<f32>(&[64, 64]).unwrap();
    assert_eq!(a.as_slice(), b.as_slice());
    assert!(a.as_slice().iter().all(|v| (0.0..1.0).contains(v)));
    let mean = a.as_slice().iter().sum::<f32>() / 4096.0;
    assert!((mean - 0.5).abs() < 0.05, "{mean}");
    seed.set(7).unwrap();
    let c = f.realize::<f32>(&[64, 64]).unwrap();
    assert_ne!(a.as_slice(), c.as_slice());
    let mut g = halide::lambda([&x], random_int(None) & 1).unwrap();
    let bits = g.realize::<i32>(&[1000]).unwrap();
    let ones = bits.as_slice().iter().filter(|&&b| b == 1).count();
    assert!((400..600).contains(&ones), "{ones}");
}

#[test]
fn concise_casts_wrap_or_saturate() {
    let x = Var::new("x");
    let mut wrap = halide::lambda([&x], u8(&x * 100)).unwrap();
    assert_eq!(
        wrap.realize::<u8>(&[4]).unwrap().as_slice(),
        &[0, 100, 200, 44]
    );
    let mut sat = halide::lambda([&x], u8_sat(&x * 100)).unwrap();
    assert_eq!(
        sat.realize::<u8>(&[4]).unwrap().as_slice(),
        &[0, 100, 200, 255]
    );
    assert_eq!(f32_sat(1e300).type_of().unwrap(), Type::float(32));
}

#[test]
fn strings_are_only_for_messages() {
    let x = Var::new("x");
    assert_eq!(Expr::string("hi").to_string(), "\"hi\"");
    assert_eq!(Expr::string("hi").type_of().unwrap(), Type::handle());
    assert_eq!(x.to_string(), "x");
}

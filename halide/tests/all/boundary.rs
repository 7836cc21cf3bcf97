//! The five boundary conditions against plain Rust.

use halide::boundary::{self, Boundary};
use halide::prelude::*;

const DATA: [i32; 4] = [10, 20, 30, 40];

/// Reads the extended image at -6..10.
fn read(extend: impl Fn(&ImageParam) -> halide::Result<Func>) -> Vec<i32> {
    let x = Var::new("x");
    let input = ImageParam::new::<i32>(1, "input");
    let extended = extend(&input).unwrap();
    let mut f = Func::new("read");
    f.define([&x], extended.at([&x - 6])).unwrap();
    let buf = BufferRef::new(&DATA, &[4]).unwrap();
    f.realize_with::<i32>(&[16], &[input.bind(&buf)])
        .unwrap()
        .into_vec()
}

/// The reference: the value at coordinate `i` of each rule.
fn expected(rule: impl Fn(i32) -> Option<usize>) -> Vec<i32> {
    (-6..10).map(|i| rule(i).map_or(-1, |j| DATA[j])).collect()
}

#[test]
fn each_condition_matches_its_definition() {
    let n = 4i32;
    assert_eq!(
        read(|i| boundary::constant_exterior(i, -1)),
        expected(|i| (0..n).contains(&i).then_some(i as usize))
    );
    assert_eq!(
        read(boundary::repeat_edge),
        expected(|i| Some(i.clamp(0, n - 1) as usize))
    );
    assert_eq!(
        read(boundary::repeat_image),
        expected(|i| Some(i.rem_euclid(n) as usize))
    );
    // Mirror with the edge repeated: ... 1 0 | 0 1 2 3 | 3 2 ...
    assert_eq!(
        read(boundary::mirror_image),
        expected(|i| {
            let m = i.rem_euclid(2 * n);
            Some(if m < n { m } else { 2 * n - 1 - m } as usize)
        })
    );
    // Mirror about the edge: ... 2 1 | 0 1 2 3 | 2 1 ...
    assert_eq!(
        read(boundary::mirror_interior),
        expected(|i| {
            let m = i.rem_euclid(2 * n - 2);
            Some(if m < n { m } else { 2 * n - 2 - m } as usize)
        })
    );
}

#[test]
fn funcs_extend_within_explicit_bounds() {
    let x = Var::new("x");
    let mut ramp = Func::new("ramp_for_bounds");
    ramp.define([&x], &x * 2).unwrap();
    let bounds = [(Expr::from(2), Expr::from(3))];
    let mut clamped = boundary::extend(&ramp, &bounds, &Boundary::RepeatEdge).unwrap();
    assert_eq!(
        clamped.realize::<i32>(&[7]).unwrap().as_slice(),
        &[4, 4, 4, 6, 8, 8, 8]
    );
    // Bounds of the wrong dimensionality are Halide's error, not a crash.
    let too_many = [
        (Expr::from(0), Expr::from(3)),
        (Expr::from(0), Expr::from(3)),
    ];
    assert!(boundary::extend(&ramp, &too_many, &Boundary::RepeatEdge).is_err());
}

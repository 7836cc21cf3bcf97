//! Expressions: operators, typing of Rust scalars, constants, casts.

use halide::prelude::*;

fn ty(e: &Expr) -> Type {
    e.type_of().unwrap()
}

#[test]
fn constants_of_every_element_type() {
    assert_eq!(ty(&Expr::from(1i8)), Type::int(8));
    assert_eq!(ty(&Expr::from(1i16)), Type::int(16));
    assert_eq!(ty(&Expr::from(1i32)), Type::int(32));
    assert_eq!(ty(&Expr::from(1i64)), Type::int(64));
    assert_eq!(ty(&Expr::from(1u8)), Type::uint(8));
    assert_eq!(ty(&Expr::from(1u16)), Type::uint(16));
    assert_eq!(ty(&Expr::from(1u32)), Type::uint(32));
    assert_eq!(ty(&Expr::from(u64::MAX)), Type::uint(64));
    assert_eq!(ty(&Expr::from(1.5f32)), Type::float(32));
    assert_eq!(ty(&Expr::from(1.5f64)), Type::float(64));
    assert_eq!(ty(&Expr::from(true)), Type::bool());
    assert_eq!(
        Expr::from(i64::MIN).to_string(),
        "(int64)-9223372036854775808"
    );
    assert_eq!(
        Expr::from(u64::MAX).to_string(),
        "(uint64)18446744073709551615"
    );
}

#[test]
fn scalars_take_the_expression_type() {
    let b = Expr::from(10u8);
    assert_eq!(ty(&(&b + 1)), Type::uint(8));
    assert_eq!(ty(&(1 + &b)), Type::uint(8));
    let f = Expr::from(1.0f32);
    assert_eq!(
        ty(&(&f * 0.5)),
        Type::float(32),
        "an f64 literal must not widen float32"
    );
    let d = Expr::from(1.0f64);
    assert_eq!(ty(&(&d * 0.5f32)), Type::float(64));
    let i = Expr::from(3i32);
    assert_eq!(
        ty(&(&i * 0.5)),
        Type::float(32),
        "int times a float literal is float32, as in C++"
    );
    // Integers outside int32 keep their own type.
    assert_eq!(ty(&(&i + 5_000_000_000i64)), Type::int(64));
}

#[test]
fn operators_print_as_halide() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    assert_eq!((&x - &y).to_string(), "(x - y)");
    assert_eq!((&x % 3).to_string(), "(x % 3)");
    assert_eq!((-&x).to_string(), "(0 - x)");
    assert_eq!((2 * &x / &y).to_string(), "((2*x)/y)");
    assert_eq!((&x & 7).to_string(), "bitwise_and(x, 7)");
    assert_eq!((&x << 2).to_string(), "shift_left(x, (uint32)2)");
    assert_eq!(x.ge(&y).to_string(), "(x >= y)");
    assert_eq!(x.lt(1).and(y.gt(2)).to_string(), "((x < 1) && (y > 2))");
    assert_eq!((!x.eq(0)).to_string(), "!(x == 0)");
    assert_eq!(
        (!Expr::from(5u8)).to_string(),
        "(uint8)bitwise_not((uint8)5)"
    );
    assert_eq!(max(&x, 0).to_string(), "max(x, 0)");
    assert_eq!(Expr::from(1.5f32).cast::<u8>().to_string(), "(uint8)1");
}

#[test]
fn casts_and_comparisons_have_halide_types() {
    let x = Var::new("x");
    assert_eq!(ty(&x.expr().cast::<u16>()), Type::uint(16));
    assert_eq!(ty(&x.lt(3)), Type::bool());
    assert_eq!(ty(&select(x.lt(3), 1.0f32, 2.0f32)), Type::float(32));
}

#[test]
fn var_names() {
    assert_eq!(Var::new("row").name(), "row");
    assert_ne!(Var::unique().name(), Var::unique().name());
    // Func names are unique process-wide (Halide suffixes repeats); this one is not reused.
    assert_eq!(Func::new("only_in_var_names").name(), "only_in_var_names");
}

#[test]
fn vars_and_targets_cross_threads() {
    let x = Var::new("x");
    let t = Target::host().unwrap();
    let name = std::thread::spawn(move || {
        let mut f = Func::new("on_another_thread");
        f.define([&x], &x * 3).unwrap();
        f.compile_jit(&t).unwrap();
        f.realize::<i32>(&[4]).unwrap().get(&[3]).unwrap()
    })
    .join()
    .unwrap();
    assert_eq!(name, 9);
}

#[test]
fn lone_scalars_keep_their_rust_type() {
    let x = Var::new("x");
    assert_eq!(ty(&select(x.lt(0), 255u8, 0u8)), Type::uint(8));
    assert_eq!(ty(&select(x.lt(0), 1.5f64, 2.5f64)), Type::float(64));
    assert_eq!(ty(&halide::math::min(3u16, 4u16)), Type::uint(16));
    // Beside an expression, an integer literal takes the expression's type.
    let small = Expr::from(9u8);
    assert_eq!(ty(&select(x.lt(0), &small, 0)), Type::uint(8));
    assert_eq!(ty(&select(x.lt(0), 0, &small)), Type::uint(8));
}

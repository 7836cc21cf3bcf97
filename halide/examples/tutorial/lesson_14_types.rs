//! Halide tutorial lesson 14: Halide's type system.
//!
//! Every Expr has a type; mixing types follows rules close to C's, with
//! Rust scalars taking the type of the expression they meet.

use halide::TypeCode;
use halide::prelude::*;

fn main() -> halide::Result<()> {
    let x = Var::new("x");
    let u8_e = Expr::from(7u8);
    let u16_e = Expr::from(7u16);
    let i32_e = Expr::from(7i32);
    let f32_e = Expr::from(7f32);
    let f64_e = Expr::from(7f64);

    // Vars are 32-bit signed integers.
    assert_eq!(x.expr().type_of()?, Type::int(32));
    // Types report their properties.
    let t = (&u16_e * 2).type_of()?;
    assert_eq!(
        (t.code, t.bits, t.lanes, t.bytes()),
        (TypeCode::UInt, 16, 1, 2)
    );

    // 1. If either operand is float, the result is the wider float (an
    //    integer operand is converted).
    assert_eq!((&u8_e + &f32_e).type_of()?, Type::float(32));
    assert_eq!((&i32_e * &f64_e).type_of()?, Type::float(64));
    assert_eq!((&f32_e + &f64_e).type_of()?, Type::float(64));
    // 2. Two integers of the same signedness: the wider type.
    assert_eq!((&u8_e + &u16_e).type_of()?, Type::uint(16));
    // 3. Mixed signedness: a signed integer as wide as the wider one.
    assert_eq!((&u8_e + &i32_e).type_of()?, Type::int(32));
    assert_eq!(
        (Expr::from(7i8) + Expr::from(7u16)).type_of()?,
        Type::int(16)
    );
    // 4. A Rust integer constant takes the other operand's type.
    assert_eq!((&u8_e + 1).type_of()?, Type::uint(8));
    assert_eq!((&f32_e * 2).type_of()?, Type::float(32));
    // ... and must be representable in it.
    assert!((&u8_e + 300).type_of().is_err());
    // 5. A Rust float constant with an integer is float32.
    assert_eq!((&i32_e * 0.5).type_of()?, Type::float(32));

    // Casts, and the overflow they can cause: uint8 arithmetic wraps.
    let input = ImageParam::new::<u8>(1, "input");
    let mut wrapped = Func::new("wrapped");
    wrapped.define([&x], input.at([&x]) + input.at([&x]))?;
    let mut widened = Func::new("widened");
    widened.define([&x], input.at([&x]).cast::<u16>() + input.at([&x]))?;
    let data = [100u8, 200, 250];
    let buf = BufferRef::new(&data, &[3])?;
    assert_eq!(
        wrapped
            .realize_with::<u8>(&[3], &[input.bind(&buf)])?
            .as_slice(),
        &[200, 144, 244]
    );
    assert_eq!(
        widened
            .realize_with::<u16>(&[3], &[input.bind(&buf)])?
            .as_slice(),
        &[200, 400, 500]
    );
    // Realizing into a buffer of another type is an error, not a conversion.
    assert!(
        widened
            .realize_with::<u8>(&[3], &[input.bind(&buf)])
            .is_err()
    );

    // Integer division rounds towards negative infinity, and the remainder
    // is never negative: unlike Rust's / and %.
    let mut div = Func::new("div");
    div.define([&x], (&x - 3) / 2)?;
    let mut rem = Func::new("rem");
    rem.define([&x], (&x - 3) % 2)?;
    assert_eq!(div.realize::<i32>(&[6])?.as_slice(), &[-2, -1, -1, 0, 0, 1]);
    assert_eq!(rem.realize::<i32>(&[6])?.as_slice(), &[1, 0, 1, 0, 1, 0]);
    let rust_div: Vec<i32> = (-3..3).map(|v: i32| v.div_euclid(2)).collect();
    assert_eq!(div.realize::<i32>(&[6])?.as_slice(), rust_div.as_slice());
    println!("lesson 14: type promotion, constants, casts and division behave as described");
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

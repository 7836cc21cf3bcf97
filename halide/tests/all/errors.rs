//! Bad input gets Err with Halide's message; the process lives on and a
//! valid pipeline still realizes afterwards.

use halide::ErrorKind;
use halide::prelude::*;

/// A pipeline that must still work after each failure.
fn assert_still_works() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new("still_works");
    f.define([&x, &y], &x * 10 + &y).unwrap();
    let out = f.realize::<i32>(&[5, 5]).unwrap();
    assert_eq!(out.get(&[4, 3]), Some(43));
}

#[test]
fn wrong_number_of_call_arguments() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new("f1");
    f.define([&x], &x + 1).unwrap();
    let call = f.at((&x, &y));
    let err = call.check().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Compile);
    assert!(
        err.message()
            .contains("was called with 2 arguments, but was defined with 1"),
        "{err}"
    );
    // The error travels into anything built from it, and out of define().
    let mut g = Func::new("g1");
    let err2 = g.define([&x, &y], call * 2).unwrap_err();
    assert_eq!(err2, err);
    assert!(!g.is_defined());
    assert_still_works();
}

#[test]
fn realize_undefined_func() {
    let mut f = Func::new("never_defined");
    let err = f.realize::<i32>(&[4]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Compile);
    assert!(err.message().contains("undefined"), "{err}");
    assert_still_works();
}

#[test]
fn realize_into_wrong_element_type() {
    let x = Var::new("x");
    let mut f = Func::new("int_valued");
    f.define([&x], &x).unwrap();
    let err = f.realize::<f32>(&[8]).unwrap_err();
    assert!(err.message().contains("type"), "{err}");
    assert!(
        err.message().contains("int32") && err.message().contains("float32"),
        "{err}"
    );
    // The same Func still realizes into the right type afterwards.
    assert_eq!(f.realize::<i32>(&[8]).unwrap().get(&[7]), Some(7));
    assert_still_works();
}

#[test]
fn realize_into_wrong_dimensions() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new("two_d");
    f.define([&x, &y], &x + &y).unwrap();
    let err = f.realize::<i32>(&[8]).unwrap_err();
    assert!(err.message().contains("dimension"), "{err}");
    assert_still_works();
}

#[test]
fn unparsable_target() {
    let err = "arm-64-nope-bogusfeature".parse::<Target>().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Compile);
    assert!(
        err.message()
            .contains("Did not understand Halide target arm-64-nope-bogusfeature"),
        "{err}"
    );
    assert!("x86-64-linux\0".parse::<Target>().unwrap_err().kind() == ErrorKind::InvalidArgument);
    assert_still_works();
}

#[test]
fn redefinition_with_other_arguments() {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new("redefined");
    f.define([&x, &y], &x + &y).unwrap();
    let err = f.define([&x], &x).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert_still_works();
}

#[test]
fn select_with_non_boolean_condition() {
    let x = Var::new("x");
    let e = select(&x + 1, 1, 2);
    let err = e.type_of().unwrap_err();
    assert!(err.message().contains("bool"), "{err}");
    assert_still_works();
}

#[test]
fn literal_not_representable_in_expression_type() {
    let e = Expr::from(3u8) + 300;
    let err = e.check().unwrap_err();
    assert!(err.message().contains("300"), "{err}");
}

#[test]
fn realize_with_negative_size_is_invalid_argument() {
    let x = Var::new("x");
    let mut f = Func::new("neg");
    f.define([&x], &x).unwrap();
    let err = f.realize::<i32>(&[-1]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

#[test]
fn errors_leave_the_process_usable_under_load() {
    for i in 0..50 {
        let _ = format!("x86-64-linux-bad{i}")
            .parse::<Target>()
            .unwrap_err();
        let mut f = Func::new(&format!("undefined_{i}"));
        assert!(f.realize::<u8>(&[1]).is_err());
    }
    assert_still_works();
}

#[test]
fn a_second_definition_is_refused_and_the_first_kept() {
    let x = Var::new("x");
    let mut f = Func::new("defined_once");
    f.define([&x], &x * 2).unwrap();
    assert_eq!(f.realize::<i32>(&[4]).unwrap().get(&[3]), Some(6));
    let err = f.define([&x], &x * 3).unwrap_err();
    assert!(err.message().contains("already defined"), "{err}");
    assert_eq!(f.realize::<i32>(&[4]).unwrap().get(&[3]), Some(6));
}

#[test]
fn a_type_halide_cannot_represent_is_an_error() {
    let e = Expr::from(1).cast_to(Type::uint(3));
    let err = e.check().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.message().contains("3 bits"), "{err}");
    let err = ImageParam::with_type(Type::float(8), 1, "bad_type").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

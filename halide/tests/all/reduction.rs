//! Update definitions over reduction domains, against plain Rust.

use halide::ErrorKind;
use halide::prelude::*;

fn image() -> (Vec<i32>, [i32; 2]) {
    let (w, h) = (7, 5);
    ((0..w * h).map(|i| (i * 37 % 23) - 11).collect(), [w, h])
}

#[test]
fn sum_over_a_2d_domain_into_a_scalar() {
    let (data, [w, h]) = image();
    let input = ImageParam::new::<i32>(2, "input");
    let r = RDom::new("r", [(0, w), (0, h)]).unwrap();
    let mut total = Func::new("total");
    total.define([] as [&Var; 0], 0).unwrap();
    total
        .update(
            [] as [Expr; 0],
            total.at([] as [Expr; 0]) + input.at((r.x(), r.y())),
        )
        .unwrap();
    assert_eq!(total.updates().unwrap(), 1);
    let buf = BufferRef::new(&data, &[w, h]).unwrap();
    let out = total.realize_with::<i32>(&[], &[input.bind(&buf)]).unwrap();
    assert_eq!(out.get(&[]), Some(data.iter().sum()));
}

#[test]
fn where_restricts_the_domain() {
    let n = 10;
    let mut r = RDom::new("tri", [(0, n), (0, n)]).unwrap();
    r.where_(r.x().le(r.y())).unwrap();
    let mut count = Func::new("count");
    count.define([] as [&Var; 0], 0).unwrap();
    // The value must use the domain for the update to iterate over it;
    // min(r.x, 0) is 0 everywhere in it.
    count
        .update(
            [] as [Expr; 0],
            count.at([] as [Expr; 0]) + min(r.x(), 0) + 1,
        )
        .unwrap();
    assert_eq!(
        count.realize::<i32>(&[]).unwrap().get(&[]),
        Some(n * (n + 1) / 2)
    );
}

#[test]
fn updates_run_in_order_along_the_domain() {
    let x = Var::new("x");
    let n = 12;
    let r = RDom::new("r", [(1, n - 1)]).unwrap();
    let mut prefix = Func::new("prefix");
    prefix.define([&x], &x + 1).unwrap();
    prefix
        .update([r.x()], prefix.at([&r - 1]) + prefix.at([&r]))
        .unwrap();
    let out = prefix.realize::<i32>(&[n]).unwrap();
    let expected: Vec<i32> = (1..=n)
        .scan(0, |acc, v| {
            *acc += v;
            Some(*acc)
        })
        .collect();
    assert_eq!(out.as_slice(), expected.as_slice());
}

#[test]
fn update_errors() {
    let x = Var::new("x");
    let r = RDom::new("r", [(0, 4)]).unwrap();
    let mut undefined = Func::new("not_yet_defined");
    let err = undefined.update([r.x()], 1).unwrap_err();
    assert!(err.message().contains("no pure definition"), "{err}");

    let mut f = Func::new("one_d");
    f.define([&x], 0).unwrap();
    let err = f.update([r.x(), r.x()], 1).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Compile);

    // A dimension the domain lacks travels as an error into the definition.
    let err = f.update([r.y()], 1).unwrap_err();
    assert!(err.message().contains("has 1 dimensions, not 2"), "{err}");

    let r2 = RDom::new("r2", [(0, 2), (0, 2)]).unwrap();
    let err = f.update([&r2 + 0], 1).unwrap_err();
    assert!(err.message().contains("use .x(), .y()"), "{err}");

    assert!(RDom::new("empty", [] as [(i32, i32); 0]).is_err());
    // f still works.
    assert_eq!(f.realize::<i32>(&[3]).unwrap().as_slice(), &[0, 0, 0]);
}

/// A domain's bounds as expressions: the mean of an image, divided by
/// the domain's own extents, which are the image's at run time.
#[test]
fn rvar_bounds_are_expressions_of_the_domain() {
    let image = ImageParam::new::<f32>(2, "image");
    let r = RDom::over_image(&image, "r").unwrap();
    let mut mean = Func::new("mean");
    let count = (r.x().extent() * r.y().extent()).cast::<f32>();
    mean.define(Vec::<Var>::new(), 0.0f32).unwrap();
    mean.update(
        Vec::<Expr>::new(),
        mean.at(Vec::<Expr>::new()) + image.at([r.x(), r.y()]) / count,
    )
    .unwrap();
    let data: Vec<f32> = (0..12).map(|v| v as f32).collect();
    let input = BufferRef::new(&data, &[4, 3]).unwrap();
    let out = mean
        .realize_with::<f32>(&[], &[image.bind(&input)])
        .unwrap();
    assert_eq!(out.as_slice(), &[5.5]);
    assert_eq!(r.y().min().to_string(), "image.min.1");
}

/// The reduction variables of an update, found through the Func, with
/// their bounds, schedule it; a Func without updates has none to give.
#[test]
fn rvars_found_through_the_func_schedule_its_update() {
    let x = Var::new("x");
    let r = RDom::new("k", [(0, 8)]).unwrap();
    let mut f = Func::new("dot");
    f.define([&x], 0).unwrap();
    f.update([&x], f.at([&x]) + (&x + r.x()) * r.x()).unwrap();
    let rvars = f.rvars(0).unwrap();
    assert_eq!(rvars.len(), 1);
    assert_eq!(
        (rvars[0].min().to_string(), rvars[0].extent().to_string()),
        ("0".into(), "8".into())
    );
    let (ko, ki) = (RVar::new("ko"), RVar::new("ki"));
    f.update_stage(0)
        .unwrap()
        .split(&rvars[0], &ko, &ki, 4)
        .unwrap();
    let want: Vec<i32> = (0..3).map(|x| (0..8).map(|k| (x + k) * k).sum()).collect();
    assert_eq!(f.realize::<i32>(&[3]).unwrap().as_slice(), want.as_slice());
    let mut g = Func::new("pure_only");
    g.define([&x], &x * 2).unwrap();
    assert!(g.rvars(0).is_err());
}

//! Halide tutorial lesson 18: parallelizing reductions with rfactor.
//!
//! A reduction's loop carries a dependence, so it cannot simply run in
//! parallel. `rfactor` splits an associative reduction into independent
//! partial reductions (which can) and a final, smaller one.

use halide::prelude::*;

fn main() -> halide::Result<()> {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let (width, height) = (256, 200);
    let image =
        Buffer::<u8>::from_fn(&[width, height], |p| ((p[0] * 37 + p[1] * 101) % 256) as u8)?;
    let input = ImageParam::new::<u8>(2, "input");
    let mut want = vec![0i32; 256];
    for &v in image.as_slice() {
        want[usize::from(v)] += 1;
    }

    let histogram = |name: &str| -> halide::Result<(Func, RDom)> {
        let r = RDom::over_image(&input, "r")?;
        let mut h = Func::new(name);
        h.define([&x], 0)?;
        let bin = input.at([r.x(), r.y()]).cast::<i32>();
        h.update([bin.clone()], h.at([bin]) + 1)?;
        Ok((h, r))
    };

    // Serial: one loop nest over the image.
    let (mut serial, _) = histogram("serial")?;
    let out = serial.realize_with::<i32>(&[256], &[input.bind(&image)])?;
    assert_eq!(out.as_slice(), want.as_slice());

    // Parallel: one partial histogram per row (r.y becomes the pure
    // variable y of an intermediate Func), rows in parallel, then their sum.
    let (mut parallel, r) = histogram("parallel")?;
    parallel.vectorize(&x, 8)?;
    let mut intermediate = parallel.update_stage(0)?.rfactor(&[(&r.y(), &y)])?;
    intermediate.compute_root()?.vectorize(&x, 8)?;
    intermediate.update_stage(0)?.parallel(&y)?;
    let out = parallel.realize_with::<i32>(&[256], &[input.bind(&image)])?;
    assert_eq!(out.as_slice(), want.as_slice());
    assert!(
        parallel
            .lowered_stmt(&Target::host()?)?
            .contains("parallel")
    );

    // Splitting first: partial histograms over strips of 32 rows.
    let (mut strips, r) = histogram("strips")?;
    let (ryo, ryi) = (RVar::new("ryo"), RVar::new("ryi"));
    let u = Var::new("u");
    let mut update = strips.update_stage(0)?;
    update.split(&r.y(), &ryo, &ryi, 32)?;
    let mut intermediate = update.rfactor(&[(&ryo, &u)])?;
    intermediate.compute_root()?;
    intermediate.update_stage(0)?.parallel(&u)?;
    let out = strips.realize_with::<i32>(&[256], &[input.bind(&image)])?;
    assert_eq!(out.as_slice(), want.as_slice());
    println!("lesson 18: serial and two rfactor-parallel histograms agree with plain Rust");
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

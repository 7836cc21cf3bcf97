//! Halide tutorial lesson 20: cloning Funcs.
//!
//! `f.clone_in(&[&g])` gives `g` its own copy of `f`'s definition, so the
//! copy can be computed somewhere else than `f` itself.

use halide::prelude::*;

fn main() -> halide::Result<()> {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new("f");
    f.define([&x, &y], &x + &y * 3)?;
    let mut g = Func::new("g");
    g.define([&x, &y], f.at([&x, &y]) * 2)?;
    let mut h = Func::new("h");
    h.define([&x, &y], f.at([&x, &y]) + 1)?;
    let mut out = Func::new("out");
    out.define([&x, &y], g.at([&x, &y]) + h.at([&x, &y]))?;

    // f computed once, at the root, for h; g gets a clone computed per row.
    f.compute_root()?;
    g.compute_root()?;
    h.compute_root()?;
    let mut f_clone = f.clone_in(&[&g])?;
    f_clone.compute_at(&g, &y)?;
    let stmt = out.lowered_stmt(&Target::host()?)?;
    assert!(stmt.contains("produce f_clone"), "{stmt}");

    let result: Buffer<i32> = out.realize(&[16, 12])?;
    for j in 0..12 {
        for i in 0..16 {
            let fv = i + j * 3;
            assert_eq!(result.get(&[i, j]), Some(fv * 2 + fv + 1));
        }
    }
    // Cloning for no consumer is an error.
    assert!(f.clone_in(&[]).is_err());
    println!("lesson 20: the clone is computed per row, the original at the root, same results");
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

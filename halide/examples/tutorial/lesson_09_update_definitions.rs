//! Halide tutorial lesson 9: multi-pass Funcs, update definitions and
//! reductions.

use halide::inline_reduction::sum;
use halide::math::{clamp, min as hmin};
use halide::prelude::*;

fn main() -> halide::Result<()> {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let (width, height) = (64, 48);
    let image = Buffer::<u8>::from_fn(&[width, height], |p| ((p[0] * 11 + p[1] * 7) % 256) as u8)?;
    let input = ImageParam::new::<u8>(2, "input");

    // Updates at single points and along a row or column.
    let mut f = Func::new("f");
    f.define([&x, &y], &x + &y)?;
    f.update((3, 7), 42)?; // f(3, 7) = 42
    f.update((&x, 0), f.at((&x, 1)) * 2)?; // row 0 from row 1
    f.update((0, &y), f.at((0, &y)) + 100)?; // column 0 plus 100
    let out: Buffer<i32> = f.realize(&[10, 10])?;
    let mut want = vec![vec![0i32; 10]; 10];
    for (j, row) in want.iter_mut().enumerate() {
        for (i, v) in row.iter_mut().enumerate() {
            *v = (i + j) as i32;
        }
    }
    want[7][3] = 42;
    want[0] = want[1].iter().map(|v| v * 2).collect();
    for row in want.iter_mut() {
        row[0] += 100;
    }
    for j in 0..10 {
        for i in 0..10 {
            assert_eq!(out.get(&[i, j]), Some(want[j as usize][i as usize]));
        }
    }

    // A histogram: a reduction over the whole image.
    let r = RDom::over_image(&input, "r")?;
    let mut histogram = Func::new("histogram");
    histogram.define([&x], 0)?;
    let bin = input.at([r.x(), r.y()]).cast::<i32>();
    histogram.update([bin.clone()], histogram.at([bin]) + 1)?;
    let hist: Buffer<i32> = histogram.realize_with(&[256], &[input.bind(&image)])?;
    let mut want = [0i32; 256];
    for &v in image.as_slice() {
        want[usize::from(v)] += 1;
    }
    assert_eq!(hist.as_slice(), &want);

    // Scheduling update stages: vectorize the pure stage and the update.
    let mut g = Func::new("g");
    g.define([&x, &y], &x * &y)?;
    g.update([&x, &y], g.at([&x, &y]) + 1)?;
    g.vectorize(&x, 4)?.parallel(&y)?;
    g.update_stage(0)?.vectorize(&x, 4)?.parallel(&y)?;
    let out: Buffer<i32> = g.realize(&[16, 16])?;
    assert_eq!(out.get(&[5, 6]), Some(31));

    // A running maximum along x: a reduction that cannot be reordered.
    let r = RDom::new("rx", [(1, width - 1)])?;
    let mut running_max = Func::new("running_max");
    running_max.define([&x, &y], input.at([&x, &y]))?;
    running_max.update(
        (r.x(), &y),
        max(running_max.at((r.x() - 1, &y)), input.at((r.x(), &y))),
    )?;
    let out: Buffer<u8> = running_max.realize_with(&[width, height], &[input.bind(&image)])?;
    for j in 0..height {
        let mut best = 0u8;
        for i in 0..width {
            best = best.max(image.get(&[i, j]).unwrap());
            assert_eq!(out.get(&[i, j]), Some(best));
        }
    }

    // Inline reductions: a 5x5 box sum, with clamped reads, in one expression.
    let r = RDom::new("box", [(-2, 5), (-2, 5)])?;
    let cx = clamp(&x + r.x(), 0, width - 1);
    let cy = clamp(&y + r.y(), 0, height - 1);
    let mut box_sum = Func::new("box_sum");
    box_sum.define([&x, &y], sum(input.at([cx, cy]).cast::<u32>()))?;
    let out: Buffer<u32> = box_sum.realize_with(&[width, height], &[input.bind(&image)])?;
    for j in 0..height {
        for i in 0..width {
            let mut want = 0u32;
            for dj in -2..=2 {
                for di in -2..=2 {
                    let (ii, jj) = ((i + di).clamp(0, width - 1), (j + dj).clamp(0, height - 1));
                    want += u32::from(image.get(&[ii, jj]).unwrap());
                }
            }
            assert_eq!(out.get(&[i, j]), Some(want));
        }
    }

    // A producer consumed by a reduction, computed inside it.
    let mut producer = Func::new("producer");
    producer.define([&x], hmin(&x * 3, 100))?;
    let r = RDom::new("rp", [(0, 50)])?;
    let mut total = Func::new("total");
    total.define([&x], 0)?;
    total.update([&x], total.at([&x]) + producer.at([&x + r.x()]))?;
    producer.compute_at(&total, &r.x())?;
    let out: Buffer<i32> = total.realize(&[3])?;
    for i in 0..3 {
        assert_eq!(
            out.get(&[i]),
            Some((0..50).map(|k| ((i + k) * 3).min(100)).sum())
        );
    }
    println!(
        "lesson 9: point, row and column updates, histogram, scan, box sum and nested reduction all match"
    );
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

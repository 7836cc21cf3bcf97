//! One compiled pipeline called from eight threads at once, each with its
//! own buffers: every result exact.

mod common;

use common::{image, tile, webgpu};
use halide::args;
use halide::prelude::*;
use halide_runtime::HalideBufferExt;
use std::sync::Arc;

#[test]
fn eight_threads_share_one_callable() {
    let Some(target) = webgpu() else { return };
    let input = ImageParam::new::<i32>(2, "input");
    let scale = Param::<i32>::new("scale");
    let [x, y] = Var::many(["x", "y"]);
    let mut f = Func::new("scaled");
    f.define([&x, &y], input.at((&x, &y)) * &scale + &x - &y)
        .unwrap();
    tile(&mut f, &x, &y, 8);
    let callable = Arc::new(Pipeline::new(&[&f]).unwrap().compile(&target).unwrap());
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let callable = Arc::clone(&callable);
            std::thread::spawn(move || {
                for round in 0..20 {
                    let (w, h) = (16 + t * 3, 9 + round % 5);
                    let data = image(w, h, |x, y| x * 100 + y + t * 7);
                    let mut out = Buffer::<i32>::new(&[w, h]).unwrap();
                    callable.call(args![&data, t + round, &mut out]).unwrap();
                    out.copy_to_host().unwrap();
                    out.for_each_element(|c| {
                        let want = data.get(c).unwrap() * (t + round) + c[0] - c[1];
                        assert_eq!(
                            out.get(c),
                            Some(want),
                            "thread {t}, round {round}, at {c:?}"
                        );
                    });
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

use halide::prelude::*;
use halide::{GpuTile, args};

#[test]
fn smoke() {
    halide_wgpu::register().unwrap();
    println!("adapter: {}", halide_wgpu::gpu().unwrap().adapter_name());
    let input = ImageParam::new::<f32>(2, "input");
    let [x, y, bx, by, tx, ty] = Var::many(["x", "y", "bx", "by", "tx", "ty"]);
    let mut f = Func::new("doubled");
    f.define([&x, &y], input.at((&x, &y)) * 2.0f32 + (&x - &y).cast::<f32>()).unwrap();
    f.gpu_tile(&[
        GpuTile { var: &x, block: &bx, thread: &tx, size: 16 },
        GpuTile { var: &y, block: &by, thread: &ty, size: 16 },
    ])
    .unwrap();
    let target = Target::host().unwrap().with_feature("webgpu").unwrap();
    let callable = Pipeline::new(&[&f]).unwrap().compile(&target).unwrap();
    let data = Buffer::from_fn(&[64, 64], |c| (c[0] * 3 + c[1] * 7) as f32).unwrap();
    let mut out = Buffer::<f32>::new(&[64, 64]).unwrap();
    callable.call(args![&data, &mut out]).unwrap();
    out.copy_to_host().unwrap();
    for yy in 0..64 {
        for xx in 0..64 {
            assert_eq!(out.get(&[xx, yy]).unwrap(), data.get(&[xx, yy]).unwrap() * 2.0 + (xx - yy) as f32);
        }
    }
}

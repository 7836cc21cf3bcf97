#![allow(missing_docs)]
use halide::prelude::*;
use halide::math::*;
use halide::GpuTile;

fn target() -> Target {
    halide_wgpu::register().unwrap();
    Target::host().unwrap().with_feature("webgpu").unwrap()
}

fn probe<T: halide_runtime::Element + PartialEq + std::fmt::Debug + Copy>(name: &str, e: impl Fn(&Var, &Var) -> Expr) {
    let [x, y, bx, by, tx, ty] = Var::many(["x", "y", "bx", "by", "tx", "ty"]);
    let mut cpu = Func::new("f");
    cpu.define([&x, &y], e(&x, &y)).unwrap();
    let want: Buffer<T> = cpu.realize(&[32, 32]).unwrap();
    let mut gpu = Func::new("f");
    gpu.define([&x, &y], e(&x, &y)).unwrap();
    gpu.gpu_tile(&[GpuTile { var: &x, block: &bx, thread: &tx, size: 8 }, GpuTile { var: &y, block: &by, thread: &ty, size: 8 }]).unwrap();
    if let Err(e) = gpu.compile_jit(&target()) { println!("PROBE {name}: COMPILE ERR: {}", e.to_string().lines().next().unwrap()); return; }
    match gpu.realize::<T>(&[32, 32]) {
        Ok(got) => {
            let cs: Vec<[i32; 2]> = (0..32).flat_map(|y| (0..32).map(move |x| [x, y])).collect();
            let bad: Vec<_> = cs.iter().filter(|c| got.get(*c) != want.get(*c)).collect();
            let ex = bad.first().map(|c| (c, got.get(*c), want.get(*c)));
            println!("PROBE {name}: ran, {} wrong {ex:?}", bad.len());
        }
        Err(e) => println!("PROBE {name}: RUN ERR: {}", e.to_string().replace('\n', " | ")),
    }
}

fn xf(x: &Var) -> Expr { x.expr().cast::<f32>() * 0.1f32 }

#[test]
fn explore() {
    probe::<i32>("popcount", |x, y| popcount(x * 5 + y));
    probe::<i32>("count_trailing_zeros", |x, y| count_trailing_zeros(x * 5 + y + 1));
    probe::<i32>("count_leading_zeros", |x, y| count_leading_zeros(x * 5 + y + 1));
    probe::<f32>("pow", |x, y| pow(xf(x), xf(y)));
    probe::<f32>("pow positive", |x, y| pow(xf(x) + 1.0f32, xf(y)));
    probe::<f32>("atan2", |x, y| atan2(xf(x) - 1.0f32, xf(y) - 1.0f32));
    probe::<f32>("exp", |x, y| exp(xf(x) - xf(y)));
    probe::<f32>("log", |x, y| log(xf(x) + xf(y) + 0.5f32));
    probe::<f32>("floor/ceil/round", |x, y| floor(xf(x) * 3.3f32) + ceil(xf(y) * 1.7f32) + round(xf(x) * 5.0f32));
    probe::<f32>("fast_exp", |x, y| fast_exp(xf(x) - xf(y)));
    probe::<f32>("fast_inverse_sqrt", |x, y| fast_inverse_sqrt(xf(x) + xf(y) + 1.0f32));
    probe::<bool>("is_nan", |x, y| is_nan(xf(x) / xf(y)));
    probe::<f32>("division", |x, y| xf(x) / (xf(y) + 1.0f32));
    probe::<i32>("absd", |x, y| absd(x * 7, y * 9).cast::<i32>());
    probe::<u8>("saturating_add u8", |x, y| saturating_add((x * 9).cast::<u8>(), (y * 13).cast::<u8>()));
    probe::<u16>("widening_mul u8", |x, y| widening_mul((x * 9).cast::<u8>(), (y * 13).cast::<u8>()));
    probe::<i32>("mul_hi-ish i32", |x, y| ((x.expr().cast::<i64>() * 123456789i64 * (y + 1)) >> 32).cast::<i32>());
    probe::<u32>("u32 div", |x, y| (x * 1000 + 7).cast::<u32>() / (y + 1).cast::<u32>());
    probe::<i32>("rounding_shift_right", |x, y| rounding_shift_right(x * 100 - 1500, y % 5));
    probe::<i32>("select", |x, y| select((x).gt(y), x * 2, y - 3));
    probe::<f32>("sin", |x, y| sin(xf(x) + xf(y)));
    probe::<f32>("tanh", |x, y| tanh(xf(x) - xf(y)));
    probe::<f32>("erf", |x, y| erf(xf(x) - xf(y)));
    probe::<u8>("u8 halving_add", |x, y| halving_add((x * 9).cast::<u8>(), (y * 13).cast::<u8>()));
    probe::<i8>("i8 output", |x, y| (x * 9 - y * 13).cast::<i8>());
    probe::<u32>("u32 output wrap", |x, y| (x * 9 - y * 13).cast::<u32>());
    probe::<f32>("reinterpret", |x, y| reinterpret::<f32>((x * 1000000 + y * 7 + 1065353216).cast::<u32>()));
}

#[test]
fn dump() {
    use halide::aot::OutputKind;
    let [x, y] = Var::many(["x", "y"]);
    let [bx, by, tx, ty] = Var::many(["bx", "by", "tx", "ty"]);
    let mut f = Func::new("wm");
    f.define([&x, &y], widening_mul((&x * 9).cast::<u8>(), (&y * 13).cast::<u8>())).unwrap();
    f.gpu_tile(&[GpuTile { var: &x, block: &bx, thread: &tx, size: 8 }, GpuTile { var: &y, block: &by, thread: &ty, size: 8 }]).unwrap();
    let t = Target::host().unwrap().with_feature("webgpu").unwrap();
    let out = f.aot("wm").unwrap().target(&t).outputs(&[OutputKind::DeviceCode]).compile("/tmp/wgsl_dump").unwrap();
    println!("{}", std::fs::read_to_string(&out[&OutputKind::DeviceCode]).unwrap());
}

fn compare<T: halide_runtime::Element + PartialEq + std::fmt::Debug + Copy>(name: &str, sizes: &[i32], make: impl Fn() -> (Func, Vec<Func>), sched: impl Fn(&mut Func, &mut Vec<Func>) -> halide::Result<()>) {
    let (mut cpu, _) = make();
    let want: Buffer<T> = cpu.realize(sizes).unwrap();
    let (mut f, mut others) = make();
    if let Err(e) = sched(&mut f, &mut others) { println!("PROBE {name}: SCHEDULE ERR {e}"); return; }
    if let Err(e) = f.compile_jit(&target()) { println!("PROBE {name}: COMPILE ERR: {}", e.to_string().lines().next().unwrap()); return; }
    match f.realize::<T>(sizes) {
        Ok(got) => {
            let bad = got.as_slice().iter().zip(want.as_slice()).filter(|(a, b)| a != b).count();
            let ex = got.as_slice().iter().zip(want.as_slice()).position(|(a, b)| a != b).map(|i| (i, got.as_slice()[i], want.as_slice()[i]));
            println!("PROBE {name}: ran, {bad} wrong {ex:?}");
        }
        Err(e) => println!("PROBE {name}: RUN ERR: {}", e.to_string().replace('\n', " | ")),
    }
}

#[test]
fn explore2() {
    let [x, y, bx, by, tx, ty, xi] = Var::many(["x", "y", "bx", "by", "tx", "ty", "xi"]);
    let tile = |f: &mut Func| -> halide::Result<()> {
        f.gpu_tile(&[GpuTile { var: &x, block: &bx, thread: &tx, size: 8 }, GpuTile { var: &y, block: &by, thread: &ty, size: 8 }])?;
        Ok(())
    };
    // Vectorized threads: vec4 types in WGSL.
    compare::<f32>("vectorize in threads", &[64, 32], || { let mut f = Func::new("f"); f.define([&x, &y], (&x * 3 + &y).cast::<f32>() * 0.5f32).unwrap(); (f, vec![]) },
        |f, _| { f.split(&x, &bx, &xi, 32)?.split(&xi, &tx, &xi, 4)?.vectorize(&xi, 4)?.gpu_blocks(&[&bx, &y])?.gpu_threads(&[&tx])?; Ok(()) });
    compare::<u8>("vectorize u8 in threads", &[64, 32], || { let mut f = Func::new("f"); f.define([&x, &y], (&x * 3 + &y).cast::<u8>()).unwrap(); (f, vec![]) },
        |f, _| { f.split(&x, &bx, &xi, 32)?.split(&xi, &tx, &xi, 4)?.vectorize(&xi, 4)?.gpu_blocks(&[&bx, &y])?.gpu_threads(&[&tx])?; Ok(()) });
    // Histogram with atomics.
    compare::<i32>("atomic histogram", &[16], || {
        let mut h = Func::new("h");
        h.define([&x], 0).unwrap();
        let r = RDom::new("r", [(0, 64), (0, 64)]).unwrap();
        h.update([((r.x() * 7 + r.var(1) * 3) % 16)], h.at((((r.x() * 7 + r.var(1) * 3) % 16),)) + 1).unwrap();
        (h, vec![])
    }, |h, _| {
        let r = RDom::new("r", [(0, 64), (0, 64)]).unwrap();
        let _ = r;
        h.gpu_single_thread()?;
        Ok(())
    });
    // Reduction inside each thread.
    compare::<f32>("per-thread reduction", &[32, 32], || {
        let mut f = Func::new("f");
        let r = RDom::new("k", [(0, 5)]).unwrap();
        f.define([&x, &y], 0.0f32).unwrap();
        f.update([&x, &y], f.at((&x, &y)) + (&x + &y + r.x()).cast::<f32>()).unwrap();
        (f, vec![])
    }, |f, _| { tile(f)?; f.update_stage(0)?.gpu_tile(&[GpuTile { var: &x, block: &bx, thread: &tx, size: 8 }, GpuTile { var: &y, block: &by, thread: &ty, size: 8 }])?; Ok(()) });
    // Tuple output.
    compare::<i32>("two stages, compute_root on gpu", &[32, 32], || {
        let mut g = Func::new("g"); g.define([&x, &y], &x * 2 + &y).unwrap();
        let mut f = Func::new("f"); f.define([&x, &y], g.at((&x, &y)) + g.at((&y, &x))).unwrap();
        (f, vec![g])
    }, |f, o| { tile(f)?; o[0].compute_root()?; o[0].gpu_tile(&[GpuTile { var: &x, block: &bx, thread: &tx, size: 8 }, GpuTile { var: &y, block: &by, thread: &ty, size: 8 }])?; Ok(()) });
    compare::<f32>("f32 in shared memory with barrier", &[64, 64], || {
        let mut g = Func::new("g"); g.define([&x, &y], (&x * 2 + &y).cast::<f32>()).unwrap();
        let mut f = Func::new("f"); f.define([&x, &y], g.at((&x, &y)) + g.at((&x + 1, &y)) + g.at((&x, &y + 1))).unwrap();
        (f, vec![g])
    }, |f, o| { tile(f)?; o[0].compute_at(f, &bx)?.gpu_threads(&[&x, &y])?.store_in(halide::MemoryType::GpuShared)?; Ok(()) });
    compare::<u16>("u16 in shared memory", &[64, 64], || {
        let mut g = Func::new("g"); g.define([&x, &y], (&x * 2 + &y).cast::<u16>()).unwrap();
        let mut f = Func::new("f"); f.define([&x, &y], g.at((&x, &y)) + g.at((&x + 1, &y)) + g.at((&x, &y + 1))).unwrap();
        (f, vec![g])
    }, |f, o| { tile(f)?; o[0].compute_at(f, &bx)?.gpu_threads(&[&x, &y])?.store_in(halide::MemoryType::GpuShared)?; Ok(()) });
    compare::<f32>("gpu_lanes", &[64, 4], || { let mut f = Func::new("f"); f.define([&x, &y], (&x + &y).cast::<f32>()).unwrap(); (f, vec![]) },
        |f, _| { f.split(&x, &bx, &xi, 32)?.gpu_blocks(&[&bx, &y])?.gpu_lanes(&xi)?; Ok(()) });
}

#[test]
fn explore3() {
    let x = Var::new("x");
    let r = RDom::new("r", [(0, 64), (0, 64)]).unwrap();
    let make = || {
        let mut h = Func::new("h");
        h.define([&x], 0).unwrap();
        h.update([((r.x() * 7 + r.var(1) * 3) % 16)], h.at((((r.x() * 7 + r.var(1) * 3) % 16),)) + 1).unwrap();
        (h, vec![])
    };
    compare::<i32>("atomic histogram i32", &[16], make, |h, _| {
        let [bx, tx] = Var::many(["bx", "tx"]);
        h.gpu_tile(&[GpuTile { var: &x, block: &bx, thread: &tx, size: 16 }])?;
        h.update_stage(0)?.atomic(false)?.gpu_blocks(&[&r.var(1)])?.gpu_threads(&[&r.x()])?;
        Ok(())
    });
    let makef = || {
        let mut h = Func::new("hf");
        h.define([&x], 0.0f32).unwrap();
        h.update([((r.x() * 7 + r.var(1) * 3) % 16)], h.at((((r.x() * 7 + r.var(1) * 3) % 16),)) + 0.5f32).unwrap();
        (h, vec![])
    };
    compare::<f32>("atomic histogram f32", &[16], makef, |h, _| {
        let [bx, tx] = Var::many(["bx", "tx"]);
        h.gpu_tile(&[GpuTile { var: &x, block: &bx, thread: &tx, size: 16 }])?;
        h.update_stage(0)?.atomic(false)?.gpu_blocks(&[&r.var(1)])?.gpu_threads(&[&r.x()])?;
        Ok(())
    });
}

#[test]
fn explore4() {
    let [x, y, bx, by, tx, ty] = Var::many(["x", "y", "bx", "by", "tx", "ty"]);
    let p = Param::<i32>::new("p");
    p.set(3).unwrap();
    let make = || {
        let mut g = Func::new("g"); g.define([&x, &y], (&x * 2 + &y).cast::<f32>()).unwrap();
        let mut f = Func::new("f"); f.define([&x, &y], g.at((&x, &y)) + g.at((&x + &p, &y))).unwrap();
        (f, vec![g])
    };
    compare::<f32>("dynamic shared memory", &[64, 64], make, |f, o| {
        f.gpu_tile(&[GpuTile { var: &x, block: &bx, thread: &tx, size: 8 }, GpuTile { var: &y, block: &by, thread: &ty, size: 8 }])?;
        o[0].compute_at(f, &bx)?.gpu_threads(&[&x, &y])?.store_in(halide::MemoryType::GpuShared)?;
        Ok(())
    });
}

//! Pipelines on devices: every device API that works on this machine, JIT
//! realize and Callable, against the same pipeline on the CPU.
//!
//! `cargo xtask gpu-test` runs this suite once per API (`HALIDE_GPU_ONLY`
//! names it) and reports per API. An API that does not work here is skipped
//! with the reason, unless it is listed in `HALIDE_REQUIRE_GPU`
//! (comma-separated features, as `.ci/run` sets it for OpenCL, Vulkan and
//! WebGPU),
//! which turns the skip into a failure.

use halide::gpu::{self, DeviceApi};
use halide::prelude::*;
use halide::{GpuTile, args};

mod errors;
#[path = "../common/memory.rs"]
mod memory;
mod views;

const SIZE: i32 = 256;

/// Runs the tests one at a time: the leak test measures the process's
/// memory, which tests running beside it would move.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn listed(var: &str, api: DeviceApi) -> bool {
    std::env::var(var)
        .unwrap_or_default()
        .split(',')
        .any(|name| name.trim() == api.feature())
}

/// The APIs to test: those that work here (of `HALIDE_GPU_ONLY`'s, if set).
/// Fails if a required one does not work.
fn apis() -> Vec<DeviceApi> {
    // WebGPU runs on wgpu, through halide-wgpu.
    halide_wgpu::register().expect("registering halide-wgpu");
    let only = std::env::var_os("HALIDE_GPU_ONLY").is_some();
    let mut working = Vec::new();
    for api in DeviceApi::ALL {
        if only && !listed("HALIDE_GPU_ONLY", api) {
            continue;
        }
        match gpu::check(api) {
            Ok(()) => {
                println!("{api}: runs");
                working.push(api);
            }
            Err(e) if listed("HALIDE_REQUIRE_GPU", api) => {
                panic!("{api} is required (HALIDE_REQUIRE_GPU) but: {e}")
            }
            Err(e) => println!("{api}: skipped: {e}"),
        }
    }
    working
}

/// `out(x, y) = input(x, y) * 2 + x - y`, tiled onto GPU blocks of 16×16
/// threads, over a 2-D f32 input.
fn doubled(input: &ImageParam) -> Func {
    doubled_from(|x, y| input.at((x, y)))
}

/// [`doubled`] over a Func instead of an input.
fn doubled_of(source: &Func) -> Func {
    doubled_from(|x, y| source.at((x, y)))
}

/// `x` and `y` tiled `size`×`size` onto blocks `bx`, `by` of threads
/// `tx`, `ty`: `[x, y, bx, by, tx, ty]`.
fn tiles(v: [&Var; 6], size: i32) -> [GpuTile<'_>; 2] {
    let [x, y, bx, by, tx, ty] = v;
    [
        GpuTile {
            var: x,
            block: bx,
            thread: tx,
            size,
        },
        GpuTile {
            var: y,
            block: by,
            thread: ty,
            size,
        },
    ]
}

/// [`doubled`] over what `read(x, y)` reads.
fn doubled_from(read: impl Fn(&Var, &Var) -> Expr) -> Func {
    let [x, y, bx, by, tx, ty] = Var::many(["x", "y", "bx", "by", "tx", "ty"]);
    let mut f = Func::new("doubled");
    f.define([&x, &y], read(&x, &y) * 2.0f32 + (&x - &y).cast::<f32>())
        .unwrap();
    f.gpu_tile(&tiles([&x, &y, &bx, &by, &tx, &ty], 16))
        .unwrap();
    f
}

fn input_data() -> Buffer<f32> {
    Buffer::from_fn(&[SIZE, SIZE], |c| (c[0] * 3 + c[1] * 7 % 100) as f32).unwrap()
}

fn expected(input: &Buffer<f32>, coords: &[i32]) -> f32 {
    input.get(coords).unwrap() * 2.0 + (coords[0] - coords[1]) as f32
}

fn check(out: &Buffer<f32>, input: &Buffer<f32>) {
    let wrong = (0..SIZE)
        .flat_map(|y| (0..SIZE).map(move |x| [x, y]))
        .filter(|c| out.get(c) != Some(expected(input, c)))
        .count();
    let sample: Vec<_> = [[0, 0], [1, 0], [0, 1], [5, 9]]
        .iter()
        .map(|c| (out.get(c), expected(input, c)))
        .collect();
    assert_eq!(
        wrong,
        0,
        "{wrong} of {} values are wrong: {sample:?}",
        SIZE * SIZE
    );
}

fn target(api: DeviceApi) -> Target {
    Target::host().unwrap().with_feature(api.feature()).unwrap()
}

/// [`doubled`] over a new input, JIT-compiled for `api`.
fn jit(api: DeviceApi) -> (ImageParam, Func) {
    let input = ImageParam::new::<f32>(2, "input");
    let mut f = doubled(&input);
    f.compile_jit(&target(api)).unwrap();
    (input, f)
}

/// [`doubled`] over a new input, compiled for `api` to a Callable.
fn callable(api: DeviceApi) -> Callable {
    let input = ImageParam::new::<f32>(2, "input");
    let f = doubled(&input);
    Pipeline::new(&[&f]).unwrap().compile(&target(api)).unwrap()
}

/// The sequence that once crashed (OpenCL) or returned wrong values
/// (Vulkan): realize into a caller's buffer, which comes back device-dirty,
/// copy it to the host, drop it.
#[test]
fn realize_into_then_copy_to_host() {
    let _serial = serial();
    for api in apis() {
        let (input, mut f) = jit(api);
        let data = input_data();
        for _ in 0..3 {
            let mut out = Buffer::<f32>::new(&[SIZE, SIZE]).unwrap();
            f.realize_into_with(&mut out, &[input.bind(&data)]).unwrap();
            assert!(out.device_dirty(), "{api}: the output stays on the device");
            out.copy_to_host().unwrap();
            assert!(!out.device_dirty());
            check(&out, &data);
        }
        // The input was lent by shared reference: it is left as it was.
        assert!(!data.device_dirty() && !data.has_device_allocation());
    }
}

/// `realize` returns a buffer whose host copy is current, as C++'s does.
#[test]
fn realize_returns_host_data() {
    let _serial = serial();
    for api in apis() {
        let (input, mut f) = jit(api);
        let data = input_data();
        let out = f
            .realize_with::<f32>(&[SIZE, SIZE], &[input.bind(&data)])
            .unwrap();
        assert!(!out.device_dirty());
        check(&out, &data);
    }
}

#[test]
fn callable_on_the_device() {
    let _serial = serial();
    for api in apis() {
        let callable = callable(api);
        let mut data = input_data();
        let mut out = Buffer::<f32>::new(&[SIZE, SIZE]).unwrap();
        callable.call(args![&data, &mut out]).unwrap();
        out.copy_to_host().unwrap();
        check(&out, &data);
        // An input lent mutably keeps its device copy for the next call.
        callable.call(args![&mut data, &mut out]).unwrap();
        assert!(data.has_device_allocation(), "{api}");
        callable.call(args![&mut data, &mut out]).unwrap();
        out.copy_to_host().unwrap();
        check(&out, &data);
        // Changing it on the host marks it host-dirty, so the next call
        // copies it again.
        data.set(&[5, 5], 1000.0).unwrap();
        assert!(data.host_dirty());
        callable.call(args![&mut data, &mut out]).unwrap();
        out.copy_to_host().unwrap();
        check(&out, &data);
        assert_eq!(out.get(&[5, 5]), Some(2000.0));
    }
}

#[test]
fn device_errors_are_errors() {
    let _serial = serial();
    for api in apis() {
        let (input, mut f) = jit(api);
        // An input too small for the output: Halide's message, nothing lost.
        let small = Buffer::<f32>::new(&[8, 8]).unwrap();
        let mut out = Buffer::<f32>::new(&[SIZE, SIZE]).unwrap();
        let err = f
            .realize_into_with(&mut out, &[input.bind(&small)])
            .unwrap_err();
        assert_eq!(err.kind(), halide::ErrorKind::Runtime, "{api}: {err}");
        assert!(err.message().contains("input"), "{api}: {err}");
        // The next call is fine.
        let data = input_data();
        f.realize_into_with(&mut out, &[input.bind(&data)]).unwrap();
        out.copy_to_host().unwrap();
        check(&out, &data);
    }
}

/// One pipeline's device output is the next one's input, never visiting
/// the host: the result is right while the intermediate's host copy was
/// never written (it stays zero and device-dirty).
#[test]
fn device_resident_inputs_are_read_on_the_device() {
    let _serial = serial();
    for api in apis() {
        let first = callable(api);
        let data = input_data();
        let mut mid = Buffer::<f32>::new(&[SIZE, SIZE]).unwrap();
        first.call(args![&data, &mut mid]).unwrap();
        assert!(mid.device_dirty());
        let mut out = Buffer::<f32>::new(&[SIZE, SIZE]).unwrap();
        first.call(args![&mid, &mut out]).unwrap();
        assert!(mid.device_dirty() && mid.as_slice().iter().all(|&v| v == 0.0));
        out.copy_to_host().unwrap();
        let wrong = (0..SIZE)
            .flat_map(|y| (0..SIZE).map(move |x| [x, y]))
            .filter(|c| {
                let twice = expected(&data, c) * 2.0 + (c[0] - c[1]) as f32;
                out.get(c) != Some(twice)
            })
            .count();
        assert_eq!(wrong, 0, "{api}");
        // Now the host copy of mid is current, and the device one is kept.
        mid.copy_to_host().unwrap();
        check(&mid, &data);
        assert!(mid.has_device_allocation() && !mid.device_dirty());
    }
}

#[test]
fn copy_to_device_and_device_free() {
    let _serial = serial();
    for api in apis() {
        let iface = gpu::interface(api).unwrap();
        let mut data = input_data();
        data.copy_to_device(iface).unwrap();
        assert!(data.has_device_allocation() && !data.host_dirty() && !data.device_dirty());
        let (input, mut f) = jit(api);
        let out = f
            .realize_with::<f32>(&[SIZE, SIZE], &[input.bind(&data)])
            .unwrap();
        check(&out, &data);
        // Writing on the host marks the data for copying again.
        data.set(&[0, 0], 50.0).unwrap();
        assert!(data.host_dirty());
        let out = f
            .realize_with::<f32>(&[SIZE, SIZE], &[input.bind(&data)])
            .unwrap();
        assert_eq!(out.get(&[0, 0]), Some(100.0));
        data.copy_to_device(iface).unwrap();
        assert!(!data.host_dirty());
        data.device_sync().unwrap();
        data.device_free().unwrap();
        assert!(!data.has_device_allocation());
        // Freeing device memory that holds the only current data is refused.
        let mut out = Buffer::<f32>::new(&[SIZE, SIZE]).unwrap();
        f.realize_into_with(&mut out, &[input.bind(&data)]).unwrap();
        assert!(out.device_free().is_err());
        out.copy_to_host().unwrap();
        out.device_free().unwrap();
        check(&out, &data);
    }
}

#[test]
fn a_buffer_on_one_api_is_refused_by_another() {
    let _serial = serial();
    let apis = apis();
    let [first, second, ..] = apis[..] else {
        return;
    };
    let mut data = input_data();
    data.copy_to_device(gpu::interface(first).unwrap()).unwrap();
    let err = data
        .copy_to_device(gpu::interface(second).unwrap())
        .unwrap_err();
    assert_eq!(
        err.code(),
        halide_runtime::ErrorCode::IncompatibleDeviceInterface
    );
    // Still usable on its own device.
    data.device_free().unwrap();
}

/// An API that does not work here fails cleanly: either asking for its
/// interface, or copying a buffer there, and the buffer is left as it was.
#[test]
fn unavailable_apis_are_errors() {
    let _serial = serial();
    for (api, status) in gpu::available() {
        if status.is_ok() {
            continue;
        }
        if let Ok(iface) = gpu::interface(api) {
            let mut data = input_data();
            let err = data.copy_to_device(iface).unwrap_err();
            println!("{api}: copy_to_device: {err}");
            assert!(
                !data.has_device_allocation() && !data.device_dirty(),
                "{api}"
            );
            assert_eq!(data.get(&[1, 1]), input_data().get(&[1, 1]));
        }
    }
    // The working ones still work afterwards.
    for api in apis() {
        assert!(gpu::check(api).is_ok());
    }
}

/// Narrow integer types on the device (Vulkan needs `vk_int8`/`vk_int16`).
#[test]
fn eight_bit_data_on_the_device() {
    let _serial = serial();
    for api in apis() {
        let [x, y, bx, by, tx, ty] = Var::many(["x", "y", "bx", "by", "tx", "ty"]);
        let input = ImageParam::new::<u8>(2, "input");
        let mut f = Func::new("plus_one");
        f.define([&x, &y], input.at((&x, &y)) + 1u8).unwrap();
        f.gpu_tile(&tiles([&x, &y, &bx, &by, &tx, &ty], 8)).unwrap();
        let mut t = target(api);
        if api == DeviceApi::Vulkan {
            t = t
                .with_feature("vk_int8")
                .unwrap()
                .with_feature("vk_int16")
                .unwrap();
        }
        let callable = Pipeline::new(&[&f]).unwrap().compile(&t).unwrap();
        let data =
            Buffer::<u8>::from_fn(&[64, 48], |c| ((c[0] * 3 + c[1] * 5) % 255) as u8).unwrap();
        let mut out = Buffer::<u8>::new(&[64, 48]).unwrap();
        callable.call(args![&data, &mut out]).unwrap();
        out.copy_to_host().unwrap();
        let wrong = out
            .as_slice()
            .iter()
            .zip(data.as_slice())
            .filter(|(o, d)| **o != **d + 1)
            .count();
        assert_eq!(wrong, 0, "{api}: {wrong} of {} wrong", 64 * 48);
    }
}

/// 10,000 calls, half with an input lent from the host (copied to the
/// device and freed each call) and half with one already on the device:
/// memory stays flat.
#[cfg(target_os = "linux")]
#[test]
fn device_memory_of_inputs_is_not_leaked() {
    let _serial = serial();
    for api in apis() {
        let callable = callable(api);
        // 64 KiB per input: a leak per call would be hundreds of MiB.
        let host = Buffer::<f32>::from_fn(&[128, 128], |c| c[0] as f32).unwrap();
        let mut resident = host.clone();
        resident
            .copy_to_device(gpu::interface(api).unwrap())
            .unwrap();
        let mut out = Buffer::<f32>::new(&[128, 128]).unwrap();
        let mut run = |n: usize| {
            for i in 0..n {
                let input = if i % 2 == 0 { &host } else { &resident };
                callable.call(args![input, &mut out]).unwrap();
            }
            out.device_sync().unwrap();
        };
        run(200);
        let before = memory::resident_bytes();
        run(10_000);
        let grown = memory::resident_bytes().saturating_sub(before);
        println!(
            "{api}: resident memory grew by {} KiB over 10,000 calls",
            grown / 1024
        );
        assert!(grown < 32 << 20, "{api}: grew by {grown} bytes");
        assert!(!host.has_device_allocation());
    }
}

/// Stages on two device APIs in one pipeline (`gpu_tile_on`): a producer
/// on OpenCL, its consumer on Vulkan; Halide's runtime moves the data
/// between the devices.
#[test]
fn stages_on_two_device_apis() {
    let _serial = serial();
    let working = apis();
    if !(working.contains(&DeviceApi::OpenCl) && working.contains(&DeviceApi::Vulkan)) {
        println!("skipped: needs OpenCL and Vulkan");
        return;
    }
    let [x, y, bx, by, tx, ty] = Var::many(["x", "y", "bx", "by", "tx", "ty"]);
    let tile = tiles([&x, &y, &bx, &by, &tx, &ty], 16);
    let input = ImageParam::new::<f32>(2, "input");
    let mut producer = Func::new("on_opencl");
    producer
        .define([&x, &y], input.at((&x, &y)) * 3.0f32)
        .unwrap();
    producer
        .compute_root()
        .unwrap()
        .gpu_tile_on(DeviceApi::OpenCl, &tile)
        .unwrap();
    let mut consumer = Func::new("on_vulkan");
    consumer
        .define([&x, &y], producer.at((&x, &y)) + (&x - &y).cast::<f32>())
        .unwrap();
    consumer.gpu_tile_on(DeviceApi::Vulkan, &tile).unwrap();
    let nest = consumer.loop_nest().unwrap();
    assert!(
        nest.contains("<OpenCL>") && nest.contains("<Vulkan>"),
        "{nest}"
    );
    let target = target(DeviceApi::OpenCl).with_feature("vulkan").unwrap();
    let callable = Pipeline::new(&[&consumer])
        .unwrap()
        .compile(&target)
        .unwrap();
    let data = input_data();
    let mut out = Buffer::<f32>::new(&[SIZE, SIZE]).unwrap();
    callable.call(args![&data, &mut out]).unwrap();
    out.copy_to_host().unwrap();
    let wrong = (0..SIZE)
        .flat_map(|y| (0..SIZE).map(move |x| [x, y]))
        .filter(|c| out.get(c) != Some(data.get(c).unwrap() * 3.0 + (c[0] - c[1]) as f32))
        .count();
    assert_eq!(wrong, 0);
}

/// Copy stages: the input copied to the device by the device API's own
/// copy (`copy_to_device`), doubled there by a kernel, and the result
/// copied back (`copy_to_host`), so the output arrives on the host.
#[test]
fn copy_stages_move_data_to_the_device_and_back() {
    let _serial = serial();
    for api in apis() {
        let input = ImageParam::new::<f32>(2, "input");
        let [x, y] = Var::many(["x", "y"]);
        let mut up = Func::new("up");
        up.define([&x, &y], input.at((&x, &y))).unwrap();
        up.compute_root()
            .unwrap()
            .copy_to_device(Some(api))
            .unwrap();
        let mut on_device = doubled_of(&up);
        on_device.compute_root().unwrap();
        let mut down = Func::new("down");
        down.define([&x, &y], on_device.at((&x, &y))).unwrap();
        down.copy_to_host().unwrap();
        let stmt = down.lowered_stmt(&target(api)).unwrap();
        assert!(stmt.contains("halide_buffer_copy"), "{api}: {stmt}");
        let callable = Pipeline::new(&[&down])
            .unwrap()
            .compile(&target(api))
            .unwrap();
        let data = input_data();
        let mut out = Buffer::<f32>::new(&[SIZE, SIZE]).unwrap();
        callable.call(args![&data, &mut out]).unwrap();
        // Computed into host memory: nothing is left on the device.
        assert!(!out.device_dirty(), "{api}");
        check(&out, &data);
    }
}

/// GPU tiles over an extent that is no multiple of the tile: guarded, the
/// values are right on every API; the tail strategy shows in the code.
#[test]
fn gpu_tiles_with_a_tail_strategy() {
    let _serial = serial();
    // Not a multiple of 16, but N * N * 4 bytes is one of 64: Halide 21's
    // Vulkan runtime fails to allocate device buffers of other sizes on
    // lavapipe ("Failed to allocate device memory!" at 250 × 250).
    const N: i32 = 248;
    for api in apis() {
        let [x, y, bx, by, tx, ty] = Var::many(["x", "y", "bx", "by", "tx", "ty"]);
        let tile = tiles([&x, &y, &bx, &by, &tx, &ty], 16);
        let stmt = |tail| {
            let mut f = Func::new("tailed");
            f.define([&x, &y], &x * 1000 + &y).unwrap();
            f.gpu_tile_with_tail(&tile, tail, Some(api)).unwrap();
            (f.lowered_stmt(&target(api)).unwrap(), f)
        };
        let (guarded, mut f) = stmt(TailStrategy::GuardWithIf);
        let (shifted, _) = stmt(TailStrategy::ShiftInwards);
        assert_ne!(guarded, shifted, "{api}");
        f.compile_jit(&target(api)).unwrap();
        let out = f.realize::<i32>(&[N, N]).unwrap();
        let wrong = (0..N)
            .flat_map(|yy| (0..N).map(move |xx| [xx, yy]))
            .filter(|c| out.get(c) != Some(c[0] * 1000 + c[1]))
            .count();
        assert_eq!(wrong, 0, "{api}");
    }
}

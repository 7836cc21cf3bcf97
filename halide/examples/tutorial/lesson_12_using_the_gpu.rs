//! Halide tutorial lesson 12: using the GPU.
//!
//! One algorithm (sharpen a colour image, then map it through a lookup
//! table), two schedules: one for the CPU, one that puts every stage on
//! GPU blocks and threads. The GPU schedule runs on every device API that
//! works on this machine (OpenCL and Vulkan in CI, on software devices;
//! CUDA on NVIDIA machines), and its output is checked against the CPU's,
//! bit for bit.

use halide::boundary::{self, Boundary};
use halide::gpu::{self, DeviceApi};
use halide::math::clamp;
use halide::prelude::*;
use halide::{GpuTile, args};

/// The algorithm, with its stages kept apart for scheduling.
struct Sharpen {
    lut: Func,
    padded16: Func,
    curved: Func,
    input: ImageParam,
    vars: [Var; 3],
    i: Var,
}

impl Sharpen {
    fn new() -> halide::Result<Self> {
        let [x, y, c] = Var::many(["x", "y", "c"]);
        let i = Var::new("i");
        let input = ImageParam::new::<u8>(3, "input");

        // A gamma-2 curve over all 256 values, as a table. (Upstream uses
        // `pow`, whose precision device math libraries do not share;
        // integers are exact everywhere, so CPU and GPU can agree bit for
        // bit.)
        let mut lut = Func::new("lut");
        lut.define([&i], ((&i * &i + 128) >> 8).cast::<u8>())?;

        // The input, repeated past its edges and widened to 16 bits.
        let padded = boundary::extend_image(&input, &Boundary::RepeatEdge)?;
        let mut padded16 = Func::new("padded16");
        padded16.define([&x, &y, &c], padded.at([&x, &y, &c]).cast::<i16>())?;

        // Twice the pixel minus a quarter of each of its four neighbours.
        let mut sharpened = Func::new("sharpened");
        let neighbours = padded16.at((&x + 1, &y, &c))
            + padded16.at((&x - 1, &y, &c))
            + padded16.at((&x, &y + 1, &c))
            + padded16.at((&x, &y - 1, &c));
        sharpened.define([&x, &y, &c], padded16.at([&x, &y, &c]) * 2 - neighbours / 4)?;

        // Through the table, clamped to its domain.
        let mut curved = Func::new("curved");
        curved.define(
            [&x, &y, &c],
            lut.at([clamp(sharpened.at([&x, &y, &c]), 0, 255)]),
        )?;
        Ok(Sharpen {
            lut,
            padded16,
            curved,
            input,
            vars: [x, y, c],
            i,
        })
    }

    /// Tiles and vectorises on the CPU, computing the table once.
    fn schedule_for_cpu(&mut self) -> halide::Result<()> {
        let [x, y, c] = &self.vars;
        let [yo, yi] = Var::many(["yo", "yi"]);
        self.lut.compute_root()?;
        self.curved
            .reorder(&[c, x, y])?
            .bound(c, 0, 3)?
            .unroll_loop(c)?
            .split(y, &yo, &yi, 16)?
            .parallel(&yo)?
            .vectorize(x, 8)?;
        self.padded16
            .store_at(&self.curved, &yo)?
            .compute_at(&self.curved, &yi)?;
        self.padded16.vectorize(x, 16)?;
        Ok(())
    }

    /// Every stage on the GPU: the table over blocks of 16 threads, the
    /// output over 8×8 tiles, the padded input computed per tile.
    fn schedule_for_gpu(&mut self) -> halide::Result<()> {
        let [x, y, c] = &self.vars;
        let [block, thread, xo, yo, xi, yi] =
            Var::many(["block", "thread", "xo", "yo", "xi", "yi"]);
        self.lut.compute_root()?.gpu_tile(&[GpuTile {
            var: &self.i,
            block: &block,
            thread: &thread,
            size: 16,
        }])?;
        self.curved
            .reorder(&[c, x, y])?
            .bound(c, 0, 3)?
            .unroll_loop(c)?;
        self.curved.gpu_tile(&[
            GpuTile {
                var: x,
                block: &xo,
                thread: &xi,
                size: 8,
            },
            GpuTile {
                var: y,
                block: &yo,
                thread: &yi,
                size: 8,
            },
        ])?;
        self.padded16.compute_at(&self.curved, &xo)?;
        self.padded16.gpu_threads(&[x, y])?;
        Ok(())
    }
}

/// Halide 21's Vulkan memory allocator mis-sizes buffers whose size is not
/// a multiple of 64 bytes on devices that align buffers to 64 bytes, as
/// Mesa's lavapipe and RADV do: such buffers come out short, and results go
/// silently wrong (halide/Halide#8868, fixed after 21.0.0). This lesson's
/// per-tile buffers are such sizes. Rounding every allocation to 64 bytes,
/// through the runtime's allocator setting, avoids it; a program that sets
/// its own `HL_VK_ALLOC_CONFIG` keeps it.
fn work_around_halide_8868() {
    if std::env::var_os("HL_VK_ALLOC_CONFIG").is_none() {
        // SAFETY: called at the start of `main`, before this program starts
        // any thread that reads or writes the environment.
        unsafe { std::env::set_var("HL_VK_ALLOC_CONFIG", "0:32:0:0:64") };
    }
}

fn main() -> halide::Result<()> {
    work_around_halide_8868();
    // WebGPU runs on the wgpu crate, through halide-wgpu: registering it
    // makes `webgpu` targets work like the others.
    halide_wgpu::register()?;
    let (width, height) = (128, 96);
    let image = Buffer::<u8>::from_fn(&[width, height, 3], |p| {
        ((p[0] * 5 + p[1] * 11 + p[2] * 70) % 256) as u8
    })?;

    let mut cpu = Sharpen::new()?;
    cpu.schedule_for_cpu()?;
    let reference = cpu
        .curved
        .realize_with::<u8>(&[width, height, 3], &[cpu.input.bind(&image)])?;

    let mut ran = Vec::new();
    for api in DeviceApi::ALL {
        if let Err(why) = gpu::check(api) {
            println!("lesson 12: {api}: skipped ({why:.80})");
            continue;
        }
        let mut on_gpu = Sharpen::new()?;
        on_gpu.schedule_for_gpu()?;
        let mut target = Target::host()?.with_feature(api.feature())?;
        if api == DeviceApi::Vulkan {
            // Vulkan makes 8- and 16-bit integers optional: ask for them.
            target = target.with_feature("vk_int8")?.with_feature("vk_int16")?;
        }
        let callable = Pipeline::new(&[&on_gpu.curved])?.compile(&target)?;
        let mut out = Buffer::<u8>::new(&[width, height, 3])?;
        // The first call compiles the device code and copies the input
        // over; later calls only run.
        for _ in 0..3 {
            callable.call(args![&image, &mut out])?;
        }
        assert!(out.device_dirty(), "the result stays on the device");
        out.copy_to_host()?;
        let differ = out
            .as_slice()
            .iter()
            .zip(reference.as_slice())
            .filter(|(a, b)| a != b)
            .count();
        ran.push(api);
        assert_eq!(differ, 0, "{api}: {differ} values differ from the CPU");
        println!("lesson 12: {api}: matches the CPU bit for bit");
    }
    let required = std::env::var("HALIDE_REQUIRE_GPU").unwrap_or_default();
    for api in required.split(',').filter(|a| !a.is_empty()) {
        assert!(
            ran.iter().any(|r| r.feature() == api),
            "{api} is required (HALIDE_REQUIRE_GPU) but did not run"
        );
    }
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

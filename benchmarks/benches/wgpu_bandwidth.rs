//! Halide pipelines on wgpu (halide-wgpu) against a plain wgpu compute
//! shader copying the same 4096² f32 image, paired and interleaved in one
//! run: a copy pipeline and a 3×3 blur, each against the shader copy. Every
//! operation waits for the device, so each time is the device's work plus
//! one submission. The figure of merit is the pipeline's effective
//! bandwidth as a fraction of the plain copy's (both read and write the
//! image once). On Mesa's lavapipe (a CPU) it is for the record; the aim on
//! a real GPU is at least 90%.
//!
//! `cargo bench -p halide-benchmarks --bench wgpu_bandwidth`

use halide::prelude::*;
use halide::{GpuTile, args};
use halide_benchmarks::paired::{self, Paired, Side};
use halide_runtime::HalideBufferMut;

const N: i32 = 4096;
/// Bytes read plus bytes written by one copy of the image.
const BYTES_MOVED: f64 = 2.0 * (N as f64) * (N as f64) * 4.0;

fn value(c: &[i32]) -> f32 {
    ((c[0] * 7 + c[1] * 13).rem_euclid(256)) as f32
}

/// `f` tiled onto 16×16 GPU blocks.
fn tiled(f: &mut Func, x: &Var, y: &Var) -> halide::Result<()> {
    let [bx, by, tx, ty] = Var::many(["bx", "by", "tx", "ty"]);
    f.gpu_tile(&[
        GpuTile {
            var: x,
            block: &bx,
            thread: &tx,
            size: 16,
        },
        GpuTile {
            var: y,
            block: &by,
            thread: &ty,
            size: 16,
        },
    ])?;
    Ok(())
}

fn copy_pipeline(target: &Target) -> halide::Result<Callable> {
    let input = ImageParam::new::<f32>(2, "input");
    let [x, y] = Var::many(["x", "y"]);
    let mut f = Func::new("copy");
    f.define([&x, &y], input.at((&x, &y)))?;
    tiled(&mut f, &x, &y)?;
    Pipeline::new(&[&f])?.compile(target)
}

fn blur_pipeline(target: &Target) -> halide::Result<Callable> {
    let input = ImageParam::new::<f32>(2, "input");
    let [x, y] = Var::many(["x", "y"]);
    let mut f = Func::new("blur");
    let mut sum = Expr::from(0.0f32);
    for dy in -1..=1 {
        for dx in -1..=1 {
            sum = sum + input.at((&x + dx, &y + dy));
        }
    }
    f.define([&x, &y], sum * (1.0f32 / 9.0))?;
    tiled(&mut f, &x, &y)?;
    Pipeline::new(&[&f])?.compile(target)
}

/// The reference: a WGSL copy of `N`² floats, one thread per element.
struct ShaderCopy {
    gpu: std::sync::Arc<halide_wgpu::Gpu>,
    pipeline: wgpu::ComputePipeline,
    group: wgpu::BindGroup,
}

impl ShaderCopy {
    fn new(src: &wgpu::Buffer, dst: &wgpu::Buffer) -> Result<Self, Box<dyn std::error::Error>> {
        let gpu = halide_wgpu::gpu()?;
        let device = gpu.device();
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("plain copy"),
            source: wgpu::ShaderSource::Wgsl(
                format!(
                    "@group(0) @binding(0) var<storage, read> src : array<f32>;\n\
                     @group(0) @binding(1) var<storage, read_write> dst : array<f32>;\n\
                     @compute @workgroup_size(16, 16)\n\
                     fn main(@builtin(global_invocation_id) id : vec3<u32>) {{\n\
                       let i = id.y * {N}u + id.x;\n\
                       dst[i] = src[i];\n\
                     }}\n"
                )
                .into(),
            ),
        });
        let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some("plain copy"),
            layout: None,
            module: &module,
            entry_point: Some("main"),
            compilation_options: Default::default(),
            cache: None,
        });
        let group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &pipeline.get_bind_group_layout(0),
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: src.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: dst.as_entire_binding(),
                },
            ],
        });
        Ok(ShaderCopy {
            gpu,
            pipeline,
            group,
        })
    }

    fn run(&self) {
        let mut encoder = self
            .gpu
            .device()
            .create_command_encoder(&Default::default());
        {
            let mut pass = encoder.begin_compute_pass(&Default::default());
            pass.set_pipeline(&self.pipeline);
            pass.set_bind_group(0, &self.group, &[]);
            pass.dispatch_workgroups(N as u32 / 16, N as u32 / 16, 1);
        }
        self.gpu.queue().submit([encoder.finish()]);
        self.gpu
            .device()
            .poll(wgpu::PollType::wait_indefinitely())
            .expect("the device waits");
    }
}

fn report(label: &str, paired: &Paired) {
    println!("{}", paired.row(label));
    println!(
        "{}",
        paired.bandwidth_row(label, BYTES_MOVED, "the plain wgpu copy")
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if let Err(e) = halide_wgpu::register()
        .map_err(|e| e.to_string())
        .and_then(|()| halide_wgpu::gpu().map(drop).map_err(|e| e.to_string()))
    {
        println!("WebGPU: skipped: {e}");
        return Ok(());
    }
    let gpu = halide_wgpu::gpu()?;
    let target = Target::host()?.with_feature("webgpu")?;
    let iface = halide_wgpu::device_interface()?;
    let mut image = Buffer::from_fn(&[N, N], value)?;
    let mut padded = Buffer::from_fn(&[N + 2, N + 2], |c| value(&[c[0] - 1, c[1] - 1]))?;
    padded.set_min(&[-1, -1])?;
    let mut out = Buffer::<f32>::new(&[N, N])?;
    let mut reference = Buffer::<f32>::new(&[N, N])?;
    image.copy_to_device(iface)?;
    padded.copy_to_device(iface)?;
    out.device_malloc(iface)?;
    reference.device_malloc(iface)?;
    let view = |b: &Buffer<f32>| halide_wgpu::device_buffer(b).expect("on the device").buffer;
    let shader = ShaderCopy::new(&view(&image), &view(&reference))?;
    let (copy, blur) = (copy_pipeline(&target)?, blur_pipeline(&target)?);

    // Each once, checked on a grid of samples.
    shader.run();
    copy.call(args![&mut image, &mut out])?;
    reference.set_device_dirty()?;
    reference.copy_to_host()?;
    out.copy_to_host()?;
    let samples: Vec<[i32; 2]> = (0..N)
        .step_by(61)
        .flat_map(|y| (0..N).step_by(59).map(move |x| [x, y]))
        .collect();
    for c in &samples {
        assert_eq!(reference.get(c), Some(value(c)), "the plain copy at {c:?}");
        assert_eq!(out.get(c), Some(value(c)), "the copy pipeline at {c:?}");
    }

    println!(
        "WebGPU on {}: 4096² f32, time per call in ns (plain wgpu copy, pipeline), ratio pipeline / copy",
        gpu.adapter_name()
    );
    println!("{}", Paired::header("wgpu copy", "pipeline"));
    let mut measure = |subject: &Callable, input: &mut Buffer<f32>| {
        paired::measure(paired::budget(), |side| match side {
            Side::Reference => shader.run(),
            Side::Subject => {
                subject
                    .call(args![&mut *input, &mut out])
                    .expect("the pipeline runs");
                out.device_sync().expect("the device waits");
            }
        })
    };
    let copied = measure(&copy, &mut image);
    let blurred = measure(&blur, &mut padded);
    report("copy", &copied);
    report("blur", &blurred);
    Ok(())
}

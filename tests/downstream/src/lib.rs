//! A crate that calls Halide pipelines compiled ahead of time, as a user
//! of halide-rs would: its build script compiled them and wrote their
//! wrappers, and at run time it links only `halide-runtime` and the
//! generated libraries, never libHalide.
//!
//! The inputs are deterministic so that the binary's outputs can be
//! compared bit for bit with JIT runs of the same pipelines.

#[allow(missing_docs)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/halide_generated.rs"));
}

pub use generated::*;

// Links halide-wgpu, which the runtime's WebGPU bridge calls into.
use halide_wgpu as _;

use halide_runtime::{Buffer, Element, HalideBuffer, HalideBufferMut};

halide_runtime::extern_stage!(
    /// The Rust stage of `with_rust_stage`: triples its input, and refuses
    /// the value 1000 (for the tests of failing stages).
    fn downstream_tripled(input, output)
    |call: &mut halide_runtime::extern_stage::ExternCall<'_>| {
        let input = call.input::<i32>(0)?;
        let mut out = call.output::<i32>()?;
        let d = out.dim(0).ok_or("no dimension 0")?;
        for i in d.min..d.min + d.extent {
            let v = input.get(&[i]).ok_or(format!("input lacks {i}"))?;
            if v == 1000 {
                return Err("refusing 1000".to_owned());
            }
            out.set(&[i], v * 3).map_err(|e| e.to_string())?;
        }
        Ok(())
    }
);

/// Width of the test images.
pub const WIDTH: i32 = 67;
/// Height of the test images.
pub const HEIGHT: i32 = 45;

/// A deterministic test image with values spread over `T`'s low bits.
pub fn test_image<T: Element + TryFrom<u32>>(mask: u32) -> Buffer<T> {
    Buffer::from_fn(&[WIDTH, HEIGHT], |c| {
        let (x, y) = (c[0] as u32, c[1] as u32);
        let v = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)).rotate_left(7) & mask;
        T::try_from(v).unwrap_or_else(|_| unreachable!("masked to fit"))
    })
    .expect("a valid shape")
}

/// Runs every Rust-defined pipeline on the test images and returns each
/// output's bytes by name.
pub fn run_all() -> Result<Vec<(String, Vec<u8>)>, halide_runtime::Error> {
    let image8 = test_image::<u8>(0xff);
    let image16 = test_image::<u16>(0xfff);
    let mut outputs = Vec::new();

    let mut out = Buffer::<u8>::new(&[WIDTH, HEIGHT]).expect("shape");
    lesson_10::run(&image8, 20, &mut out)?;
    outputs.push(("lesson_10".into(), out.as_slice().to_vec()));

    let mut out = Buffer::<u8>::new(&[WIDTH, HEIGHT]).expect("shape");
    brighten::run(&image8, 33, &mut out)?;
    outputs.push(("brighten".into(), out.as_slice().to_vec()));

    let mut out = Buffer::<u16>::new(&[WIDTH, HEIGHT]).expect("shape");
    blur::run(&image16, &mut out)?;
    outputs.push((
        "blur".into(),
        out.as_slice()
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect(),
    ));
    Ok(outputs)
}

/// The device APIs the GPU pipelines were compiled for.
pub const GPU_APIS: [&str; 3] = ["opencl", "vulkan", "webgpu"];

/// Width of the GPU pipelines' buffers: not a multiple of the 16×16 tiles,
/// in either dimension.
pub const GPU_WIDTH: i32 = 68;
/// Height of the GPU pipelines' buffers.
///
/// Each buffer's size in bytes (68 × 44 × 4 = 187 × 64) is a multiple of
/// 64: Halide 21.0.0's Vulkan memory allocator gets other sizes wrong on
/// drivers whose buffers align to 64 bytes, as lavapipe's and RADV's do
/// (halide/Halide#8868, fixed after 21.0.0 by #9223 and #9224). Another
/// size either fails with "Failed to allocate device memory!" (67 × 45 × 4
/// = 12060 bytes did, ahead of time and by JIT alike: 1 to 32 bytes over a
/// multiple of 64, in a new block over 4 KiB) or silently gets a device
/// buffer rounded down to a multiple of 64, losing its last values.
pub const GPU_HEIGHT: i32 = 44;

/// Runs the GPU pipeline compiled for `api` twice, the first call's output
/// (left on the device) feeding the second without a copy to the host, and
/// returns both results, copied back: `gpu_scaled(input)` and
/// `gpu_scaled(gpu_scaled(input))`, with scale 0.5.
pub fn run_gpu(api: &str) -> Result<(Buffer<f32>, Buffer<f32>), halide_runtime::Error> {
    use halide_runtime::{HalideBuffer, HalideBufferMut};
    let run = match api {
        "opencl" => gpu_scaled_opencl::run,

        "vulkan" => gpu_scaled_vulkan::run,
        "webgpu" => gpu_scaled_webgpu::run,
        _ => panic!("no GPU pipeline was compiled for {api}"),
    };
    // Integer values times 0.5 are exact, so fused multiply-adds on the
    // device give the CPU's results too.
    let shape = [GPU_WIDTH, GPU_HEIGHT];
    let input = Buffer::<f32>::from_fn(&shape, |c| (c[0] * 3 + c[1] * 7) as f32).expect("shape");
    let mut once = Buffer::<f32>::new(&shape).expect("shape");
    run(&input, 0.5, &mut once)?;
    let mut twice = Buffer::<f32>::new(&shape).expect("shape");
    run(&once, 0.5, &mut twice)?;
    assert!(once.device_dirty(), "the intermediate stayed on the device");
    once.copy_to_host()?;
    twice.copy_to_host()?;
    Ok((once, twice))
}

//! The bandwidth benchmark: on each working device API, a copy pipeline
//! and a 3×3 blur of a 4096² f32 image, each against the device's own copy
//! of the same image (Halide's `halide_buffer_copy`, which is
//! `cuMemcpyDtoD` on CUDA and `clEnqueueCopyBuffer` on OpenCL), paired and
//! interleaved (`paired`). Every operation waits for the device
//! (`device_sync`), so each time is the device's work plus one launch.
//!
//! The figure of merit is the pipeline's effective bandwidth as a fraction
//! of the device copy's: both read and write the image once (the blur
//! reads each input element from up to nine threads, served by caches).

use crate::apis::{self, APIS};
use crate::checks::{device_copy, usable};
use crate::paired::{self, Paired, Side};
use halide_runtime::{Buffer, DeviceApi, HalideBuffer, HalideBufferMut};
use std::time::Duration;

const N: i32 = 4096;
/// The blur's input: one element more on every side, and rows padded to
/// 4112 elements so that its size is a multiple of 64 bytes (see
/// `checks::SIZE` on Halide 21's Vulkan allocator).
const PADDED: i32 = 4112;

/// Bytes read plus bytes written by one copy of the image.
const BYTES_MOVED: f64 = 2.0 * (N as f64) * (N as f64) * 4.0;

fn value(c: &[i32]) -> f32 {
    ((c[0] * 7 + c[1] * 13).rem_euclid(256)) as f32
}

/// The buffers of one API's benchmark, all on its device.
struct Images {
    api: DeviceApi,
    image: Buffer<f32>,
    padded: Buffer<f32>,
    reference: Buffer<f32>,
    out: Buffer<f32>,
}

impl Images {
    fn new(api: DeviceApi) -> Result<Self, String> {
        let iface = apis::interface(api);
        let mut image = Buffer::from_fn(&[N, N], value).map_err(|e| e.to_string())?;
        let mut padded = Buffer::from_fn(&[PADDED, N + 2], |c| value(&[c[0] - 1, c[1] - 1]))
            .map_err(|e| e.to_string())?;
        padded.set_min(&[-1, -1]).map_err(|e| e.to_string())?;
        let mut reference = Buffer::new(&[N, N]).map_err(|e| e.to_string())?;
        let mut out = Buffer::new(&[N, N]).map_err(|e| e.to_string())?;
        image.copy_to_device(iface).map_err(|e| e.to_string())?;
        padded.copy_to_device(iface).map_err(|e| e.to_string())?;
        reference.device_malloc(iface).map_err(|e| e.to_string())?;
        out.device_malloc(iface).map_err(|e| e.to_string())?;
        Ok(Images {
            api,
            image,
            padded,
            reference,
            out,
        })
    }

    fn device_copy(&mut self) -> Result<(), String> {
        device_copy(self.api, &self.image, &mut self.reference)?;
        self.reference.device_sync().map_err(|e| e.to_string())
    }

    fn copy(&mut self) -> Result<(), String> {
        apis::copy(self.api, &self.image, &mut self.out).map_err(|e| e.to_string())?;
        self.out.device_sync().map_err(|e| e.to_string())
    }

    fn blur(&mut self) -> Result<(), String> {
        apis::blur(self.api, &self.padded, &mut self.out).map_err(|e| e.to_string())?;
        self.out.device_sync().map_err(|e| e.to_string())
    }

    /// Runs each operation once and checks its result on a grid of samples.
    fn check(&mut self) -> Result<(), String> {
        let samples: Vec<[i32; 2]> = (0..N)
            .step_by(61)
            .flat_map(|y| (0..N).step_by(59).map(move |x| [x, y]))
            .chain([[0, 0], [N - 1, N - 1]])
            .collect();
        let check = |b: &mut Buffer<f32>, want: &dyn Fn(&[i32]) -> f32, what: &str| {
            b.copy_to_host().map_err(|e| e.to_string())?;
            let bad = samples
                .iter()
                .filter(|c| b.get(&c[..]) != Some(want(&c[..])))
                .count();
            if bad == 0 {
                Ok(())
            } else {
                Err(format!("{what}: {bad} wrong samples"))
            }
        };
        self.device_copy()?;
        check(&mut self.reference, &value, "device copy")?;
        self.copy()?;
        check(&mut self.out, &value, "copy pipeline")?;
        self.blur()?;
        let blurred = |c: &[i32]| {
            let mut sum = 0.0f32;
            for dy in -1..=1 {
                for dx in -1..=1 {
                    sum += value(&[c[0] + dx, c[1] + dy]);
                }
            }
            sum * (1.0f32 / 9.0)
        };
        check(&mut self.out, &blurred, "blur pipeline")
    }
}

/// One row of the report: the pipeline against the device copy.
fn report(label: &str, paired: &Paired) {
    println!("{}", paired.row(label));
    println!(
        "{}",
        paired.bandwidth_row(label, BYTES_MOVED, "the device copy")
    );
}

/// Benchmarks every working API for about `budget` per pipeline; false if
/// an API that works failed.
pub fn run_all(budget: Duration) -> bool {
    let mut ok = true;
    for api in APIS {
        if let Err(why) = usable(api) {
            println!("{api}: skipped: {why}");
            continue;
        }
        let mut images = match Images::new(api).and_then(|mut i| i.check().map(|()| i)) {
            Ok(images) => images,
            Err(why) => {
                println!("{api}: FAILED: {why}");
                ok = false;
                continue;
            }
        };
        println!(
            "{api}: 4096² f32, time per call in ns (device copy, pipeline), ratio pipeline / copy"
        );
        println!("{}", Paired::header("device copy", "pipeline"));
        let failed = std::cell::Cell::new(None);
        let mut run = |op: fn(&mut Images) -> Result<(), String>| {
            paired::measure(budget, |side| {
                let result = match side {
                    Side::Reference => images.device_copy(),
                    Side::Subject => op(&mut images),
                };
                if let Err(e) = result {
                    failed.set(Some(e));
                }
            })
        };
        let copy = run(Images::copy);
        let blur = run(Images::blur);
        if let Some(e) = failed.take() {
            println!("{api}: FAILED during the measurement: {e}");
            ok = false;
            continue;
        }
        report("copy", &copy);
        report("blur", &blur);
    }
    ok
}

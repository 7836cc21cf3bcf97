//! The GPU checks, per device API: each pipeline result compared bit for
//! bit with plain Rust, through every way a buffer meets a device (a call,
//! a device-resident input, crops and slices of device memory, native
//! memory wrapped and detached, copies both ways), the dirty flags after
//! each step, and bad input as errors.

use crate::apis::{self, APIS};
use crate::devices;
use halide_runtime::sys::{halide_buffer_t, halide_device_interface_t};
use halide_runtime::{
    Buffer, DeviceApi, HalideBuffer, HalideBufferExt, HalideBufferMut, HalideBufferMutExt,
};
use std::ffi::{c_int, c_void};

/// Width and height of the checks' images. Every buffer's size in bytes is
/// a multiple of 64: Halide 21's Vulkan allocator mishandles other sizes on
/// devices that align buffers to 64 bytes (halide/Halide#8868).
const SIZE: i32 = 256;

/// A failed check: what was wrong.
type Outcome = Result<(), String>;

/// Fails the check with the message unless `cond` holds.
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

/// One check, on one API.
type Check = fn(DeviceApi) -> Outcome;

/// Every check, by name.
const CHECKS: [(&str, Check); 7] = [
    ("call", call),
    ("device_resident_input", device_resident_input),
    ("crops_and_slices", crops_and_slices),
    ("writes_into_crops", writes_into_crops),
    ("wrap_native_round_trip", wrap_native_round_trip),
    ("copies_both_ways", copies_both_ways),
    ("bad_input_is_an_error", bad_input_is_an_error),
];

/// Runs every check on every API that works here and prints the report;
/// false if a check failed or an API in `required` (comma-separated target
/// features) could not run.
pub fn run_all(required: &str) -> bool {
    let mut ok = true;
    println!("GPU checks ahead of time (no libHalide), per device API:");
    for api in APIS {
        let names = devices::names(api);
        let devices = match &names {
            Ok(names) => names.join(", "),
            Err(why) => format!("none ({why})"),
        };
        println!("{api}: devices: {devices}");
        if let Err(why) = usable(api) {
            let required = required.split(',').any(|r| r.trim() == api.feature());
            println!(
                "  skipped: {why}{}",
                if required { " (REQUIRED)" } else { "" }
            );
            ok &= !required;
            continue;
        }
        let (mut passed, mut failed) = (0, 0);
        for (name, check) in CHECKS {
            match check(api) {
                Ok(()) => {
                    passed += 1;
                    println!("  {name} ... ok");
                }
                Err(why) => {
                    failed += 1;
                    println!("  {name} ... FAILED: {why}");
                }
            }
        }
        println!("  {passed} passed, {failed} failed");
        ok &= failed == 0;
    }
    ok
}

/// Whether `api` has a device here: a small buffer copied there and back.
pub fn usable(api: DeviceApi) -> Outcome {
    let mut probe = Buffer::<f32>::new(&[16, 16]).map_err(|e| e.to_string())?;
    probe
        .copy_to_device(apis::interface(api))
        .map_err(|e| e.to_string())
}

fn input() -> Buffer<f32> {
    Buffer::from_fn(&[SIZE, SIZE], |c| (c[0] * 3 + c[1] * 7) as f32).expect("shape")
}

/// `gpu_scaled` with scale 0.5 at `(x, y)` of [`input`]: exact, as are
/// `twice`'s values, so fused multiply-adds on a device change nothing.
fn once(c: &[i32]) -> f32 {
    (c[0] * 3 + c[1] * 7) as f32 * 0.5 + (c[0] - c[1]) as f32
}

/// `gpu_scaled` applied twice.
fn twice(c: &[i32]) -> f32 {
    once(c) * 0.5 + (c[0] - c[1]) as f32
}

/// Elements of `out` (over its own coordinates) that are not `want`'s.
fn wrong(out: &impl HalideBuffer<Elem = f32>, want: impl Fn(&[i32]) -> f32) -> usize {
    let mut wrong = 0;
    out.for_each_element(|c| wrong += usize::from(out.get(c) != Some(want(c))));
    wrong
}

fn new_buffer() -> Buffer<f32> {
    Buffer::new(&[SIZE, SIZE]).expect("shape")
}

/// `scaled(input)` left on the device, its host copy never written.
fn resident(api: DeviceApi, input: &Buffer<f32>) -> Result<Buffer<f32>, String> {
    let mut mid = new_buffer();
    apis::scaled(api, input, 0.5, &mut mid).map_err(|e| e.to_string())?;
    ensure!(mid.device_dirty(), "the output is not device-dirty");
    ensure!(wrong(&mid, |_| 0.0) == 0, "the host copy was written");
    Ok(mid)
}

fn call(api: DeviceApi) -> Outcome {
    let input = input();
    let mut out = new_buffer();
    apis::scaled(api, &input, 0.5, &mut out).map_err(|e| e.to_string())?;
    ensure!(
        out.device_dirty() && !out.host_dirty(),
        "flags after the call"
    );
    out.copy_to_host().map_err(|e| e.to_string())?;
    ensure!(!out.device_dirty(), "still device-dirty after copy_to_host");
    let n = wrong(&out, once);
    ensure!(n == 0, "{n} wrong values");
    ensure!(
        !input.has_device_allocation(),
        "the lent input gained device memory"
    );
    Ok(())
}

fn device_resident_input(api: DeviceApi) -> Outcome {
    let mid = resident(api, &input())?;
    let mut out = new_buffer();
    apis::scaled(api, &mid, 0.5, &mut out).map_err(|e| e.to_string())?;
    out.copy_to_host().map_err(|e| e.to_string())?;
    let n = wrong(&out, twice);
    ensure!(
        n == 0,
        "{n} wrong values read from the device-resident input"
    );
    ensure!(
        mid.device_dirty() && wrong(&mid, |_| 0.0) == 0,
        "the input changed"
    );
    Ok(())
}

fn crops_and_slices(api: DeviceApi) -> Outcome {
    let mut mid = resident(api, &input())?;
    {
        // A crop of a crop, read by a pipeline on the device.
        let crop = mid.cropped(0, 64, 128).map_err(|e| e.to_string())?;
        let crop = crop.cropped(1, 32, 96).map_err(|e| e.to_string())?;
        ensure!(crop.device_dirty(), "the crop lost the device-dirty flag");
        let mut out = Buffer::<f32>::new(&[128, 96]).expect("shape");
        out.set_min(&[64, 32]).expect("two mins");
        apis::scaled(api, &crop, 0.5, &mut out).map_err(|e| e.to_string())?;
        out.copy_to_host().map_err(|e| e.to_string())?;
        let n = wrong(&out, twice);
        ensure!(n == 0, "{n} wrong values read through the crop");
    }
    {
        // A slice copied back alone.
        let mut row = mid.sliced_mut(1, 20).map_err(|e| e.to_string())?;
        row.copy_to_host().map_err(|e| e.to_string())?;
    }
    let n = wrong(&mid, |c| if c[1] == 20 { once(c) } else { 0.0 });
    ensure!(n == 0, "{n} wrong values after copying one row back");
    ensure!(
        mid.device_dirty(),
        "the source forgot its device data is newer"
    );
    Ok(())
}

fn writes_into_crops(api: DeviceApi) -> Outcome {
    let input = input();
    let mut out = new_buffer();
    out.copy_to_device(apis::interface(api))
        .map_err(|e| e.to_string())?;
    {
        let mut crop = out.cropped_mut(1, 64, 32).map_err(|e| e.to_string())?;
        apis::scaled(api, &input, 0.5, &mut crop).map_err(|e| e.to_string())?;
    }
    ensure!(
        out.device_dirty(),
        "the crop did not report its device write"
    );
    out.copy_to_host().map_err(|e| e.to_string())?;
    let n = wrong(&out, |c| {
        if (64..96).contains(&c[1]) {
            once(c)
        } else {
            0.0
        }
    });
    ensure!(n == 0, "{n} wrong values");
    Ok(())
}

fn wrap_native_round_trip(api: DeviceApi) -> Outcome {
    let iface = apis::interface(api);
    let mut owner = new_buffer();
    owner.device_malloc(iface).map_err(|e| e.to_string())?;
    let handle = apis::native_handle(api, &owner);
    ensure!(handle != 0, "no native handle");
    let mut wrapper = new_buffer();
    // SAFETY: the handle is `owner`'s device memory, of the same size, and
    // stays allocated until `wrapper` detaches it below.
    unsafe { wrapper.device_wrap_native(iface, handle) }.map_err(|e| e.to_string())?;
    ensure!(
        apis::same_memory(api, &wrapper, &owner),
        "the wrapper holds other memory"
    );
    apis::scaled(api, &input(), 0.5, &mut wrapper).map_err(|e| e.to_string())?;
    ensure!(wrapper.device_free().is_err(), "wrapped memory was freed");
    wrapper.device_sync().map_err(|e| e.to_string())?;
    wrapper.device_detach_native().map_err(|e| e.to_string())?;
    ensure!(!wrapper.has_device_allocation(), "still attached");
    owner.set_device_dirty().map_err(|e| e.to_string())?;
    owner.copy_to_host().map_err(|e| e.to_string())?;
    let n = wrong(&owner, once);
    ensure!(n == 0, "{n} wrong values in the memory the wrapper wrote");
    Ok(())
}

unsafe extern "C" {
    fn halide_buffer_copy(
        uc: *mut c_void,
        src: *mut halide_buffer_t,
        dst_interface: *const halide_device_interface_t,
        dst: *mut halide_buffer_t,
    ) -> c_int;
}

/// Copies `src` into `dst`'s memory on `api`'s device, device to device
/// when `src`'s data is there (Halide's `halide_buffer_copy`).
pub fn device_copy(api: DeviceApi, src: &Buffer<f32>, dst: &mut Buffer<f32>) -> Outcome {
    let mut src = halide_runtime::aot::input(src, "src").map_err(|e| e.to_string())?;
    // SAFETY: both buffers are live and of the same shape; the source's
    // copy is the runtime's to write (LentInput), the destination is
    // borrowed mutably and keeps any device memory it gains.
    let code = unsafe {
        halide_buffer_copy(
            std::ptr::null_mut(),
            src.as_mut_ptr(),
            apis::interface(api).as_raw(),
            dst.as_raw_mut_ptr(),
        )
    };
    ensure!(code == 0, "halide_buffer_copy returned {code}");
    Ok(())
}

fn copies_both_ways(api: DeviceApi) -> Outcome {
    let iface = apis::interface(api);
    let mut data = input();
    data.copy_to_device(iface).map_err(|e| e.to_string())?;
    ensure!(
        data.has_device_allocation(),
        "no device memory after copy_to_device"
    );
    ensure!(
        !data.host_dirty() && !data.device_dirty(),
        "flags after copy_to_device"
    );
    data.set(&[1, 1], 99.0).map_err(|e| e.to_string())?;
    ensure!(
        data.host_dirty(),
        "a host write did not mark the host dirty"
    );
    data.copy_to_device(iface).map_err(|e| e.to_string())?;
    let mut other = new_buffer();
    other.device_malloc(iface).map_err(|e| e.to_string())?;
    device_copy(api, &data, &mut other)?;
    ensure!(other.device_dirty(), "the device copy is not device-dirty");
    other.copy_to_host().map_err(|e| e.to_string())?;
    let want = |c: &[i32]| {
        if c == [1, 1] {
            99.0
        } else {
            (c[0] * 3 + c[1] * 7) as f32
        }
    };
    let n = wrong(&other, want);
    ensure!(n == 0, "{n} wrong values after a device-to-device copy");
    data.device_free().map_err(|e| e.to_string())?;
    ensure!(!data.has_device_allocation(), "device_free left memory");
    Ok(())
}

fn bad_input_is_an_error(api: DeviceApi) -> Outcome {
    // An input too small for the output: Halide's message, then a good call.
    let small = Buffer::<f32>::new(&[16, 16]).expect("shape");
    let mut out = new_buffer();
    match apis::scaled(api, &small, 0.5, &mut out) {
        Ok(()) => return Err("a too-small input was accepted".into()),
        Err(e) => ensure!(e.to_string().contains("input"), "unexpected error: {e}"),
    }
    // A buffer on another working API's device.
    for other in APIS.into_iter().filter(|&o| o != api && usable(o).is_ok()) {
        let mut foreign = input();
        foreign
            .copy_to_device(apis::interface(other))
            .map_err(|e| e.to_string())?;
        let result = apis::scaled(api, &foreign, 0.5, &mut out);
        ensure!(result.is_err(), "a buffer on {other} was accepted");
    }
    apis::scaled(api, &input(), 0.5, &mut out).map_err(|e| e.to_string())?;
    out.copy_to_host().map_err(|e| e.to_string())?;
    let n = wrong(&out, once);
    ensure!(n == 0, "{n} wrong values after the errors");
    Ok(())
}

//! Views of buffers with device memory: crops and slices get the runtime's
//! crop of it, relabelings share it, writable views report their dirty
//! flags to their source on drop; native device memory wrapped and
//! detached. Each case is checked bit for bit against the CPU's values, and
//! each that could read the host copy by mistake runs over data whose host
//! copy is all zeros.

use super::*;
use halide_runtime::{HalideBufferExt, HalideBufferMutExt};

/// `data` doubled by [`callable`] into a buffer left on the device, whose
/// host copy is never written (all zeros): reading it right proves a read
/// from the device.
fn resident(api: DeviceApi, data: &Buffer<f32>) -> Buffer<f32> {
    let mut mid = Buffer::<f32>::new(&[SIZE, SIZE]).unwrap();
    callable(api).call(args![data, &mut mid]).unwrap();
    assert!(mid.device_dirty() && mid.as_slice().iter().all(|&v| v == 0.0));
    mid
}

/// How many elements of `out` (over its own coordinates) are not
/// `want(coords)`.
fn wrong(out: &Buffer<f32>, want: impl Fn(&[i32]) -> f32) -> usize {
    let mut wrong = 0;
    out.for_each_element(|c| wrong += usize::from(out.get(c) != Some(want(c))));
    wrong
}

#[test]
fn crops_of_device_data_are_read_on_the_device() {
    let _serial = serial();
    for api in apis() {
        let data = input_data();
        let mid = resident(api, &data);
        let crop = mid
            .cropped(0, 64, 128)
            .unwrap()
            .cropped(1, 32, 100)
            .unwrap();
        assert!(crop.has_device_allocation() && crop.device_dirty(), "{api}");
        let mut out = Buffer::<f32>::new(&[128, 100]).unwrap();
        out.set_min(&[64, 32]).unwrap();
        callable(api).call(args![&crop, &mut out]).unwrap();
        drop(crop);
        out.copy_to_host().unwrap();
        let twice = |c: &[i32]| expected(&data, c) * 2.0 + (c[0] - c[1]) as f32;
        assert_eq!(wrong(&out, twice), 0, "{api}");
        // The source keeps its device memory and flags.
        assert!(mid.has_device_allocation() && mid.device_dirty(), "{api}");
    }
}

#[test]
fn slices_of_device_data_copy_back_alone() {
    let _serial = serial();
    for api in apis() {
        let data = input_data();
        let mut mid = resident(api, &data);
        {
            let mut row = mid.sliced_mut(1, 20).unwrap();
            assert!(row.device_dirty(), "{api}");
            row.copy_to_host().unwrap();
            assert!(!row.device_dirty(), "{api}");
        }
        // Row 20 came back; the rest of the host copy is still zero, and the
        // source still says its device copy is the current one.
        let row_20 = |c: &[i32]| if c[1] == 20 { expected(&data, c) } else { 0.0 };
        assert_eq!(wrong(&mid, row_20), 0, "{api}");
        assert!(mid.device_dirty(), "{api}");
        // A slice as the input of a one-dimensional pipeline.
        let row = mid.sliced(1, 30).unwrap();
        let input = ImageParam::new::<f32>(1, "row");
        let [x, bx, tx] = Var::many(["x", "bx", "tx"]);
        let mut f = Func::new("row_doubled");
        f.define([&x], input.at((&x,)) * 2.0f32).unwrap();
        let tile = GpuTile {
            var: &x,
            block: &bx,
            thread: &tx,
            size: 16,
        };
        f.gpu_tile(&[tile]).unwrap();
        let pipeline = Pipeline::new(&[&f]).unwrap().compile(&target(api)).unwrap();
        let mut out = Buffer::<f32>::new(&[SIZE]).unwrap();
        pipeline.call(args![&row, &mut out]).unwrap();
        out.copy_to_host().unwrap();
        assert_eq!(
            wrong(&out, |c| expected(&data, &[c[0], 30]) * 2.0),
            0,
            "{api}"
        );
    }
}

#[test]
fn pipelines_write_into_crops() {
    let _serial = serial();
    for api in apis() {
        let data = input_data();
        let doubled = callable(api);
        // A source with no device memory: the crop gets its own, and its
        // result lands in the source's host memory when the crop is dropped.
        let mut out = Buffer::<f32>::new(&[SIZE, SIZE]).unwrap();
        {
            let mut crop = out.cropped_mut(0, 16, 32).unwrap();
            doubled.call(args![&data, &mut crop]).unwrap();
            assert!(crop.device_dirty(), "{api}");
        }
        assert!(!out.has_device_allocation() && !out.device_dirty(), "{api}");
        let in_crop = |c: &[i32]| (16..48).contains(&c[0]);
        let want = |c: &[i32]| if in_crop(c) { expected(&data, c) } else { 0.0 };
        assert_eq!(wrong(&out, want), 0, "{api}");

        // A source on the device: the crop writes its device memory in
        // place, and the source learns it is device-dirty.
        let mut out = Buffer::<f32>::new(&[SIZE, SIZE]).unwrap();
        out.copy_to_device(gpu::interface(api).unwrap()).unwrap();
        {
            let mut crop = out.cropped_mut(1, 100, 50).unwrap();
            doubled.call(args![&data, &mut crop]).unwrap();
        }
        assert!(out.device_dirty(), "{api}");
        assert!(out.as_slice().iter().all(|&v| v == 0.0), "{api}");
        out.copy_to_host().unwrap();
        let want = |c: &[i32]| {
            if (100..150).contains(&c[1]) {
                expected(&data, c)
            } else {
                0.0
            }
        };
        assert_eq!(wrong(&out, want), 0, "{api}");
    }
}

#[test]
fn relabeled_views_share_device_memory() {
    let _serial = serial();
    for api in apis() {
        let data = input_data();
        let mut mid = resident(api, &data);
        {
            let mut moved = mid.translated_mut(0, 1000).unwrap();
            assert!(moved.device_dirty(), "{api}");
            // A relabeling shares the memory itself, which only its owner frees.
            assert!(moved.device_free().is_err(), "{api}");
            moved.copy_to_host().unwrap();
            assert_eq!(moved.get(&[1005, 9]), Some(expected(&data, &[5, 9])));
        }
        assert_eq!(mid.get(&[5, 9]), Some(expected(&data, &[5, 9])), "{api}");
        // In-place crops of a buffer with device memory stay refused.
        let mut view = mid.view_mut();
        assert!(view.crop(0, 0, 8).is_err(), "{api}");
    }
}

/// Native device memory, wrapped and detached: a second buffer wraps the
/// first's device memory, a pipeline writes through it, and the first
/// sees the result. The native handle is the buffer's `device` field for
/// CUDA (a `CUdeviceptr`) and Vulkan (`halide_vulkan_get_vk_buffer`); for
/// OpenCL the field holds Halide's own record around the `cl_mem`, so
/// OpenCL's round trip is tested ahead of time, where the runtime's
/// `halide_opencl_get_cl_mem` can be called (tests/downstream).
#[test]
fn wrap_native_round_trip() {
    let _serial = serial();
    for api in apis() {
        let iface = gpu::interface(api).unwrap();
        let data = input_data();
        let mut owner = Buffer::<f32>::new(&[SIZE, SIZE]).unwrap();
        owner.device_malloc(iface).unwrap();
        let mut wrapper = Buffer::<f32>::new(&[SIZE, SIZE]).unwrap();
        // Wrapping over existing device memory, and detaching memory that
        // was not wrapped, are refused.
        // SAFETY: refused before the handle is used.
        assert!(unsafe { owner.device_wrap_native(iface, 1) }.is_err());
        assert!(owner.device_detach_native().is_err());
        if !matches!(api, DeviceApi::Cuda | DeviceApi::Vulkan) {
            continue;
        }
        // SAFETY: reads the field of a live buffer.
        let handle = unsafe { (*owner.as_raw_ptr()).device };
        // SAFETY: the handle is `owner`'s device memory, of the same size,
        // and `owner` outlives `wrapper`'s use of it (detached below).
        unsafe { wrapper.device_wrap_native(iface, handle) }.unwrap();
        callable(api).call(args![&data, &mut wrapper]).unwrap();
        assert!(wrapper.device_dirty());
        // Wrapped memory is the caller's: only detaching gives it back.
        assert!(wrapper.device_free().is_err());
        wrapper.device_sync().unwrap();
        wrapper.device_detach_native().unwrap();
        assert!(!wrapper.has_device_allocation());
        owner.set_device_dirty().unwrap();
        owner.copy_to_host().unwrap();
        check(&owner, &data);
    }
}

/// A crop one element in, an offset few devices can address directly
/// (OpenCL sub-buffers must start at `CL_DEVICE_MEM_BASE_ADDR_ALIGN`):
/// either right, or Halide's error and the next call fine; never wrong.
#[test]
fn unaligned_crops_are_right_or_refused() {
    let _serial = serial();
    for api in apis() {
        let data = input_data();
        let mid = resident(api, &data);
        let crop = mid.cropped(0, 1, 128).unwrap();
        let mut out = Buffer::<f32>::new(&[128, SIZE]).unwrap();
        out.set_min(&[1, 0]).unwrap();
        let twice = |c: &[i32]| expected(&data, c) * 2.0 + (c[0] - c[1]) as f32;
        match callable(api).call(args![&crop, &mut out]) {
            Ok(()) => {
                out.copy_to_host().unwrap();
                assert_eq!(wrong(&out, twice), 0, "{api}");
                println!("{api}: an unaligned crop is read right");
            }
            Err(e) => {
                println!("{api}: an unaligned crop is refused: {e}");
                let aligned = mid.cropped(0, 64, 128).unwrap();
                out.set_min(&[64, 0]).unwrap();
                callable(api).call(args![&aligned, &mut out]).unwrap();
                out.copy_to_host().unwrap();
                assert_eq!(wrong(&out, twice), 0, "{api}");
            }
        }
    }
}

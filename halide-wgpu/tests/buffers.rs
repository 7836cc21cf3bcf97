//! Device memory: copies to and from the device for any layout, crops and
//! slices of device data read and written in place, and buffers shared
//! with a wgpu application both ways. Each case that could read the host
//! copy by mistake runs over data whose host copy was zeroed.

mod common;

use common::{image, tile, webgpu};
use halide::args;
use halide::prelude::*;
use halide_runtime::{HalideBufferExt, HalideBufferMutExt};

/// What the device holds for `buf` (whose device memory starts at offset 0
/// of its wgpu buffer), read into `blank`, a zeroed buffer of the same
/// layout, through a second buffer wrapping the same wgpu buffer.
fn device_contents<T: halide_runtime::Element>(
    buf: &impl HalideBuffer<Elem = T>,
    mut blank: Buffer<T>,
) -> Buffer<T> {
    let view = halide_wgpu::device_buffer(buf).expect("on the device");
    assert_eq!(view.offset, 0);
    halide_wgpu::wrap(&mut blank, &view.buffer).unwrap();
    blank.set_device_dirty().unwrap();
    blank.copy_to_host().unwrap();
    blank.device_detach_native().unwrap();
    blank
}

/// Moves `buf` to the device and checks the device holds its values.
fn check_copy<T>(mut buf: Buffer<T>, blank: Buffer<T>)
where
    T: halide_runtime::Element + PartialEq + std::fmt::Debug,
{
    buf.copy_to_device(halide_wgpu::device_interface().unwrap())
        .unwrap();
    assert_eq!(device_contents(&buf, blank).as_slice(), buf.as_slice());
}

#[test]
fn copies_round_trip_for_odd_sizes_and_layouts() {
    let Some(_) = webgpu() else { return };
    // Sizes that are not whole 4-byte words.
    check_copy(
        image(13, 7, |x, y| (x * 17 + y * 3) as u8),
        Buffer::new(&[13, 7]).unwrap(),
    );
    check_copy(
        image(5, 3, |x, y| (x * 1000 - y * 77) as i16),
        Buffer::new(&[5, 3]).unwrap(),
    );
    check_copy(
        Buffer::from_fn(&[3], |c| c[0] as u8 + 1).unwrap(),
        Buffer::new(&[3]).unwrap(),
    );
    // An interleaved (channel-innermost) image.
    let mut rgb = Buffer::<u16>::new_interleaved(7, 5, 3).unwrap();
    rgb.for_each_element_mut(|c, v| *v = (c[0] * 100 + c[1] * 10 + c[2]) as u16);
    check_copy(rgb, Buffer::new_interleaved(7, 5, 3).unwrap());
}

#[test]
fn crops_at_odd_offsets_copy_their_own_bytes_only() {
    let Some(_) = webgpu() else { return };
    let mut big = image(31, 9, |x, y| (x + y * 31) as u8);
    big.copy_to_device(halide_wgpu::device_interface().unwrap())
        .unwrap();
    {
        // Changed on the host through a crop starting at byte 3 of each
        // row, then copied to the device: the device's other bytes stay.
        let mut crop = big.cropped_mut(0, 3, 11).unwrap();
        let mut crop = crop.cropped_mut(1, 2, 5).unwrap();
        crop.for_each_element_mut(|c, v| *v = 200 + c[0] as u8);
        crop.copy_to_device(halide_wgpu::device_interface().unwrap())
            .unwrap();
    }
    let on_device = device_contents(&big, Buffer::new(&[31, 9]).unwrap());
    big.for_each_element(|c| {
        let want = if (3..14).contains(&c[0]) && (2..7).contains(&c[1]) {
            200 + c[0] as u8
        } else {
            (c[0] + c[1] * 31) as u8
        };
        assert_eq!(on_device.get(c), Some(want), "device at {c:?}");
    });
    // Copied back through a crop of a buffer whose host copy is zero:
    // only the crop's bytes arrive.
    let mut mirror = Buffer::<u8>::new(&[31, 9]).unwrap();
    halide_wgpu::wrap(
        &mut mirror,
        &halide_wgpu::device_buffer(&big).unwrap().buffer,
    )
    .unwrap();
    mirror.set_device_dirty().unwrap();
    {
        let mut crop = mirror.cropped_mut(0, 5, 3).unwrap();
        crop.copy_to_host().unwrap();
    }
    mirror.for_each_element(|c| {
        let want = if (5..8).contains(&c[0]) {
            on_device.get(c).unwrap()
        } else {
            0
        };
        assert_eq!(mirror.get(c), Some(want), "host at {c:?}");
    });
    mirror.copy_to_host().unwrap();
    mirror.device_detach_native().unwrap();
}

/// `out = input * 2 + x - y` on 16×16 tiles.
fn doubled(target: &Target) -> Callable {
    let input = ImageParam::new::<f32>(2, "input");
    let [x, y] = Var::many(["x", "y"]);
    let mut f = Func::new("doubled");
    f.define(
        [&x, &y],
        input.at((&x, &y)) * 2.0f32 + (&x - &y).cast::<f32>(),
    )
    .unwrap();
    tile(&mut f, &x, &y, 16);
    Pipeline::new(&[&f]).unwrap().compile(target).unwrap()
}

fn want(v: f32, x: i32, y: i32) -> f32 {
    v * 2.0 + (x - y) as f32
}

/// `data` doubled into a buffer left on the device with a zeroed host copy.
fn resident(target: &Target, data: &Buffer<f32>) -> Buffer<f32> {
    let mut mid = Buffer::<f32>::new(data.shape().as_slice()).unwrap();
    doubled(target).call(args![data, &mut mid]).unwrap();
    assert!(mid.device_dirty() && mid.as_slice().iter().all(|&v| v == 0.0));
    mid
}

#[test]
fn crops_of_device_data_are_read_on_the_device() {
    let Some(target) = webgpu() else { return };
    let data = image(64, 48, |x, y| (x * 3 + y) as f32);
    let mid = resident(&target, &data);
    // Starts at (5, 7): a byte offset no storage binding may start at, so
    // the kernel reads a stand-in copy.
    for (x0, y0) in [(5, 7), (0, 16)] {
        let crop = mid.cropped(0, x0, 40).unwrap().cropped(1, y0, 20).unwrap();
        assert!(crop.has_device_allocation() && crop.device_dirty());
        let mut out = Buffer::<f32>::new(&[40, 20]).unwrap();
        out.set_min(&[x0, y0]).unwrap();
        doubled(&target).call(args![&crop, &mut out]).unwrap();
        drop(crop);
        out.copy_to_host().unwrap();
        out.for_each_element(|c| {
            let once = want(data.get(c).unwrap(), c[0], c[1]);
            assert_eq!(
                out.get(c),
                Some(want(once, c[0], c[1])),
                "at {c:?} of the crop at ({x0}, {y0})"
            );
        });
    }
    assert!(mid.has_device_allocation() && mid.device_dirty());
}

#[test]
fn crops_and_slices_of_device_data_are_written_and_copied_alone() {
    let Some(target) = webgpu() else { return };
    let data = image(64, 48, |x, y| (x + y * 64) as f32);
    let zeros = Buffer::<f32>::new(&[64, 48]).unwrap();
    let mut mid = resident(&target, &data);
    let in_window = |x: i32, y: i32| (9..41).contains(&x) && (3..19).contains(&y);
    {
        // A window inside mid at an odd offset, written by a pipeline.
        let mut window = mid.cropped_mut(0, 9, 32).unwrap();
        let mut window = window.cropped_mut(1, 3, 16).unwrap();
        let source = zeros.cropped(0, 9, 32).unwrap().cropped(1, 3, 16).unwrap();
        doubled(&target).call(args![&source, &mut window]).unwrap();
    }
    let expect = |x: i32, y: i32| match in_window(x, y) {
        true => want(0.0, x, y),
        false => want(data.get(&[x, y]).unwrap(), x, y),
    };
    {
        // Row 5 alone comes back to the host.
        let mut row = mid.sliced_mut(1, 5).unwrap();
        row.copy_to_host().unwrap();
    }
    mid.for_each_element(|c| {
        let host = if c[1] == 5 { expect(c[0], c[1]) } else { 0.0 };
        assert_eq!(mid.get(c), Some(host), "host copy at {c:?}");
    });
    assert!(mid.device_dirty());
    mid.copy_to_host().unwrap();
    mid.for_each_element(|c| assert_eq!(mid.get(c), Some(expect(c[0], c[1])), "at {c:?}"));
}

#[test]
fn a_slice_is_a_one_dimensional_input_on_the_device() {
    let Some(target) = webgpu() else { return };
    let data = image(64, 48, |x, y| (x * 5 - y) as f32);
    let mid = resident(&target, &data);
    let row = mid.sliced(1, 30).unwrap();
    let input = ImageParam::new::<f32>(1, "row");
    let [x, bx, tx] = Var::many(["x", "bx", "tx"]);
    let mut f = Func::new("row_plus_one");
    f.define([&x], input.at((&x,)) + 1.0f32).unwrap();
    f.gpu_tile(&[halide::GpuTile {
        var: &x,
        block: &bx,
        thread: &tx,
        size: 16,
    }])
    .unwrap();
    let callable = Pipeline::new(&[&f]).unwrap().compile(&target).unwrap();
    let mut out = Buffer::<f32>::new(&[64]).unwrap();
    callable.call(args![&row, &mut out]).unwrap();
    out.copy_to_host().unwrap();
    for x in 0..64 {
        assert_eq!(
            out.get(&[x]),
            Some(want(data.get(&[x, 30]).unwrap(), x, 30) + 1.0)
        );
    }
}

/// A wgpu buffer an application made, with the usages Halide needs.
fn app_buffer(bytes: u64) -> wgpu::Buffer {
    halide_wgpu::gpu()
        .unwrap()
        .device()
        .create_buffer(&wgpu::BufferDescriptor {
            label: Some("application buffer"),
            size: bytes,
            usage: wgpu::BufferUsages::STORAGE
                | wgpu::BufferUsages::COPY_SRC
                | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        })
}

#[test]
fn wgpu_buffers_of_the_application_are_read_and_written_in_place() {
    let Some(target) = webgpu() else { return };
    let gpu = halide_wgpu::gpu().unwrap();
    let (w, h) = (32, 24);
    let data = image(w, h, |x, y| (x * 7 + y) as f32);
    // The application fills its buffer itself.
    let app_in = app_buffer((w * h * 4) as u64);
    let bytes: Vec<u8> = data
        .as_slice()
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    gpu.queue().write_buffer(&app_in, 0, &bytes);
    let app_out = app_buffer((w * h * 4) as u64);

    let mut input = Buffer::<f32>::new(&[w, h]).unwrap();
    halide_wgpu::wrap(&mut input, &app_in).unwrap();
    input.set_device_dirty().unwrap();
    let mut output = Buffer::<f32>::new(&[w, h]).unwrap();
    halide_wgpu::wrap(&mut output, &app_out).unwrap();
    doubled(&target)
        .call(args![&mut input, &mut output])
        .unwrap();

    // The output went to the application's buffer: read it with wgpu.
    let view = halide_wgpu::device_buffer(&output).expect("the output is on the device");
    assert_eq!((view.offset, view.size), (0, (w * h * 4) as u64));
    let staging = gpu.device().create_buffer(&wgpu::BufferDescriptor {
        label: None,
        size: view.size,
        usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let mut encoder = gpu.device().create_command_encoder(&Default::default());
    encoder.copy_buffer_to_buffer(&view.buffer, view.offset, &staging, 0, view.size);
    gpu.queue().submit([encoder.finish()]);
    staging
        .slice(..)
        .map_async(wgpu::MapMode::Read, |r| r.unwrap());
    gpu.device()
        .poll(wgpu::PollType::wait_indefinitely())
        .unwrap();
    let mapped = staging.slice(..).get_mapped_range().unwrap();
    let values: Vec<f32> = mapped
        .chunks(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    for y in 0..h {
        for x in 0..w {
            assert_eq!(
                values[(x + y * w) as usize],
                want(data.get(&[x, y]).unwrap(), x, y)
            );
        }
    }
    // Detached, the buffers give the memory back; the application's
    // buffers stay usable.
    input.device_detach_native().unwrap();
    output.device_detach_native().unwrap();
    assert!(!output.has_device_allocation());
    drop(mapped);
    assert_eq!(app_out.size(), (w * h * 4) as u64);
}

#[test]
fn unusable_wgpu_buffers_are_refused() {
    let Some(_) = webgpu() else { return };
    let gpu = halide_wgpu::gpu().unwrap();
    let mut buf = Buffer::<f32>::new(&[16, 16]).unwrap();
    let small = app_buffer(16);
    let e = halide_wgpu::wrap(&mut buf, &small).unwrap_err();
    assert!(e.to_string().contains("needs 1024"), "{e}");
    let uniform = gpu.device().create_buffer(&wgpu::BufferDescriptor {
        label: None,
        size: 1024,
        usage: wgpu::BufferUsages::UNIFORM,
        mapped_at_creation: false,
    });
    let e = halide_wgpu::wrap(&mut buf, &uniform).unwrap_err();
    assert!(e.to_string().contains("usages"), "{e}");
    assert!(!buf.has_device_allocation());
    // Host buffers are not on the device.
    assert!(halide_wgpu::device_buffer(&buf).is_none());
}

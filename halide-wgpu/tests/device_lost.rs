//! A lost device makes every later use an `Err` saying so; a new device
//! set afterwards works. In a test binary of its own: it replaces the
//! process's device.

mod common;

use common::{image, tile, webgpu};
use halide::args;
use halide::prelude::*;

fn new_device() -> (wgpu::Device, wgpu::Queue) {
    let instance =
        wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
    let adapter = pollster::block_on(instance.request_adapter(&Default::default())).unwrap();
    pollster::block_on(adapter.request_device(&Default::default())).unwrap()
}

#[test]
fn a_lost_device_is_an_err_and_a_new_one_works() {
    let Some(target) = webgpu() else { return };
    let input = ImageParam::new::<f32>(2, "input");
    let [x, y] = Var::many(["x", "y"]);
    let mut f = Func::new("plus_one");
    f.define([&x, &y], input.at((&x, &y)) + 1.0f32).unwrap();
    tile(&mut f, &x, &y, 8);
    let callable = Pipeline::new(&[&f]).unwrap().compile(&target).unwrap();
    let data = image(16, 16, |x, y| (x + y) as f32);
    let run = || -> Result<Buffer<f32>, Box<dyn std::error::Error>> {
        let mut out = Buffer::<f32>::new(&[16, 16])?;
        callable.call(args![&data, &mut out])?;
        out.copy_to_host()?;
        Ok(out)
    };

    let (device, queue) = new_device();
    halide_wgpu::set_device(device.clone(), queue);
    assert_eq!(run().unwrap().get(&[3, 4]), Some(8.0));
    device.destroy();
    let e = run().unwrap_err();
    assert!(e.to_string().contains("device was lost"), "{e}");

    let (device, queue) = new_device();
    halide_wgpu::set_device(device, queue);
    assert_eq!(run().unwrap().get(&[5, 5]), Some(11.0));
}

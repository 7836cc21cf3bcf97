//! Failures are `Err`s with a message, never aborts: WGSL that naga
//! rejects, kernels run before their shaders, bad buffers.

mod common;

use common::{image, tile, webgpu};
use halide::args;
use halide::prelude::*;
use halide_runtime::sys::{halide_buffer_t, halide_device_interface_t};
use halide_runtime::webgpu::RuntimeFns;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::sync::Mutex;

/// What the recording runtime was told, by every test of this binary.
static REPORTED: Mutex<String> = Mutex::new(String::new());

unsafe extern "C" fn record(_: *mut c_void, text: *const c_char) {
    // SAFETY: the implementation reports NUL-terminated text.
    let text = unsafe { CStr::from_ptr(text) }.to_string_lossy();
    REPORTED.lock().unwrap().push_str(&text);
}

unsafe extern "C" fn unused(
    _: *mut c_void,
    _: *mut halide_buffer_t,
    _: *const halide_device_interface_t,
) -> c_int {
    unreachable!("not called by these tests")
}

/// A runtime as the bridge describes one, whose `halide_error` records.
fn recording_runtime() -> &'static RuntimeFns {
    Box::leak(Box::new(RuntimeFns {
        generic: [std::ptr::null(); 14],
        error: record,
        default_device_and_host_malloc: unused,
        default_device_and_host_free: unused,
    }))
}

#[test]
fn wgsl_naga_rejects_is_an_err_with_nagas_message() {
    // The real runtime first, so that buffers keep its interface.
    let Some(_) = webgpu() else { return };
    let rt = recording_runtime();
    let hooks = halide_wgpu::HOOKS;
    let source = c"@compute @workgroup_size(1) fn main() { let x : i32 = 1.5; }";
    let mut state: *mut c_void = std::ptr::null_mut();
    let len = source.to_bytes_with_nul().len() as c_int;
    // SAFETY: a runtime description, a state slot and a C string of `len`
    // bytes, as generated code passes them.
    let code = unsafe {
        (hooks.initialize_kernels)(rt, std::ptr::null_mut(), &mut state, source.as_ptr(), len)
    };
    assert_ne!(code, 0);
    let message = REPORTED.lock().unwrap().clone();
    assert!(
        message.contains("compiling the pipeline's WGSL failed"),
        "{message}"
    );
    assert!(
        message.contains("parsing error: the type of `x` is expected to be `i32`"),
        "naga's own words: {message}"
    );
}

#[test]
fn a_kernel_without_its_shaders_is_an_err() {
    let Some(_) = webgpu() else { return };
    let rt = recording_runtime();
    let hooks = halide_wgpu::HOOKS;
    let entry = c"kernel";
    let mut args: [*mut c_void; 1] = [std::ptr::null_mut()];
    // SAFETY: a null state, as a kernel whose initialization never ran has;
    // an empty argument list.
    let code = unsafe {
        (hooks.run)(
            rt,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            entry.as_ptr(),
            1,
            1,
            1,
            1,
            1,
            1,
            0,
            std::ptr::null(),
            args.as_mut_ptr(),
            std::ptr::null(),
        )
    };
    assert_ne!(code, 0);
    assert!(
        REPORTED
            .lock()
            .unwrap()
            .contains("kernel ran before its kernels were initialized")
    );
}

#[test]
fn bad_buffers_are_errs_with_halides_message() {
    let Some(target) = webgpu() else { return };
    let input = ImageParam::new::<f32>(2, "input");
    let [x, y] = Var::many(["x", "y"]);
    let mut f = Func::new("needs_more");
    f.define([&x, &y], input.at((&x + 1, &y))).unwrap();
    tile(&mut f, &x, &y, 8);
    let callable = Pipeline::new(&[&f]).unwrap().compile(&target).unwrap();
    let small = image(8, 8, |x, y| (x + y) as f32);
    let mut out = Buffer::<f32>::new(&[16, 16]).unwrap();
    let e = callable.call(args![&small, &mut out]).unwrap_err();
    assert!(e.to_string().contains("input"), "{e}");
    // Nothing was lost: the same callable works with the right input.
    let data = image(17, 16, |x, y| (x * y) as f32);
    callable.call(args![&data, &mut out]).unwrap();
    out.copy_to_host().unwrap();
    assert_eq!(out.get(&[3, 4]), Some(16.0));
}

//! The device rules of `RawBuffer` against a fake device runtime that logs
//! what it is asked to do: no device or driver needed (Miri runs these).

use super::*;
use crate::buffer::Dim;
use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};

static COPIES: AtomicUsize = AtomicUsize::new(0);
static FREES: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn copy_to_host(_: *mut c_void, buf: *mut halide_buffer_t) -> c_int {
    COPIES.fetch_add(1, Ordering::SeqCst);
    // SAFETY: called by device_call with the live buffer.
    unsafe { (*buf).flags = 0 };
    0
}

unsafe extern "C" fn device_free(_: *mut c_void, buf: *mut halide_buffer_t) -> c_int {
    FREES.fetch_add(1, Ordering::SeqCst);
    // SAFETY: as above.
    unsafe { (*buf).device = 0 };
    0
}

#[test]
fn device_data_is_copied_back_and_freed_once() {
    let iface = halide_device_interface_t {
        copy_to_host: Some(copy_to_host),
        device_free: Some(device_free),
        ..Default::default()
    };
    let data = [0u8; 4];
    let mut raw = RawBuffer::new(data.as_ptr(), &[Dim::new(0, 4, 1)]);
    let buf = raw.as_raw_mut();
    buf.device = 1;
    buf.device_interface = &iface;
    buf.flags = u64::from(halide_buffer_flags::halide_buffer_flag_device_dirty.0);
    raw.copy_to_host().unwrap();
    raw.copy_to_host().unwrap();
    assert_eq!(
        COPIES.load(Ordering::SeqCst),
        1,
        "the second call found it clean"
    );
    drop(raw);
    assert_eq!(FREES.load(Ordering::SeqCst), 1);
}

/// A fake device runtime that logs what it is asked to do, per thread.
mod fake {
    use super::*;
    use std::cell::RefCell;

    thread_local! {
        pub static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    fn log(entry: String) {
        LOG.with(|l| l.borrow_mut().push(entry));
    }

    /// Takes the log so far.
    pub fn take() -> Vec<String> {
        LOG.with(|l| std::mem::take(&mut *l.borrow_mut()))
    }

    unsafe extern "C" fn to_device(
        _: *mut c_void,
        b: *mut halide_buffer_t,
        i: *const halide_device_interface_t,
    ) -> c_int {
        // SAFETY: the code under test calls with live buffers.
        let b = unsafe { &mut *b };
        if b.device == 0 {
            b.device = 1000;
        }
        b.device_interface = i;
        b.flags &= !DIRTY;
        log("to_device".into());
        0
    }

    unsafe extern "C" fn to_host(_: *mut c_void, b: *mut halide_buffer_t) -> c_int {
        // SAFETY: the code under test calls with live buffers.
        let b = unsafe { &mut *b };
        b.flags &= !DIRTY;
        log(format!("to_host {}", b.device));
        0
    }

    unsafe extern "C" fn free(_: *mut c_void, b: *mut halide_buffer_t) -> c_int {
        // SAFETY: the code under test calls with live buffers.
        let b = unsafe { &mut *b };
        log(format!("free {}", b.device));
        b.device = 0;
        0
    }

    unsafe extern "C" fn crop(
        _: *mut c_void,
        src: *const halide_buffer_t,
        dst: *mut halide_buffer_t,
    ) -> c_int {
        // SAFETY: the code under test calls with live buffers.
        let (src, dst) = unsafe { (&*src, &mut *dst) };
        let mut offset = 0i64;
        for i in 0..src.dimensions as usize {
            // SAFETY: the code under test calls with live buffers.
            let (s, d) = unsafe { (*src.dim.add(i), *dst.dim.add(i)) };
            offset += i64::from(d.min - s.min) * i64::from(s.stride);
        }
        dst.device = src.device + offset as u64;
        dst.device_interface = src.device_interface;
        log(format!("crop {offset}"));
        0
    }

    unsafe extern "C" fn release(_: *mut c_void, b: *mut halide_buffer_t) -> c_int {
        // SAFETY: the code under test calls with live buffers.
        let b = unsafe { &mut *b };
        log(format!("release {}", b.device));
        b.device = 0;
        0
    }

    unsafe extern "C" fn wrap(
        _: *mut c_void,
        b: *mut halide_buffer_t,
        handle: u64,
        i: *const halide_device_interface_t,
    ) -> c_int {
        // SAFETY: the code under test calls with live buffers.
        let b = unsafe { &mut *b };
        b.device = handle;
        b.device_interface = i;
        log(format!("wrap {handle}"));
        0
    }

    unsafe extern "C" fn detach(_: *mut c_void, b: *mut halide_buffer_t) -> c_int {
        // SAFETY: the code under test calls with live buffers.
        let b = unsafe { &mut *b };
        log(format!("detach {}", b.device));
        b.device = 0;
        0
    }

    /// The fake runtime's interface, in a static so that Miri sees it
    /// live to the end (a leaked box would count as a leak).
    struct Fake(halide_device_interface_t);
    // SAFETY: only read, and its pointers are functions or null.
    unsafe impl Sync for Fake {}
    static FAKE: Fake = Fake(halide_device_interface_t {
        device_malloc: None,
        device_free: Some(free),
        device_sync: None,
        device_release: None,
        copy_to_host: Some(to_host),
        copy_to_device: Some(to_device),
        device_and_host_malloc: None,
        device_and_host_free: None,
        buffer_copy: None,
        device_crop: Some(crop),
        device_slice: None,
        device_release_crop: Some(release),
        wrap_native: Some(wrap),
        detach_native: Some(detach),
        compute_capability: None,
        impl_: std::ptr::null(),
    });

    pub fn interface() -> DeviceInterface {
        // SAFETY: a static, live for the rest of the process.
        unsafe { DeviceInterface::from_raw(&FAKE.0) }.unwrap()
    }

    pub fn set_device_dirty(b: &mut impl crate::buffer::HalideBufferMut) {
        let raw = b.raw_mut(crate::buffer::sealed::Token(()));
        raw.as_raw_mut().flags |= u64::from(halide_buffer_flags::halide_buffer_flag_device_dirty.0);
    }
}

use crate::buffer::HalideBufferMutExt;
use crate::buffer::{Buffer, BufferMut, HalideBuffer, HalideBufferExt, HalideBufferMut};

#[test]
fn views_crop_the_root_and_release_once() {
    let mut b = Buffer::<u8>::new(&[4, 3]).unwrap();
    b.copy_to_device(fake::interface()).unwrap();
    fake::take();
    {
        let c = b.cropped(0, 1, 2).unwrap();
        // A view of a view is cropped from the root, at its own offset.
        let cc = c.cropped(1, 1, 2).unwrap();
        assert_eq!(cc.raw().as_raw().device, 1005);
        // A view starting where the root does shares its memory.
        let t = b.transposed(0, 1).unwrap();
        assert_eq!(t.raw().as_raw().device, 1000);
        let row = b.sliced(1, 2).unwrap();
        assert_eq!(row.raw().as_raw().device, 1008);
        let clone = cc.clone();
        assert_eq!(clone.raw().as_raw().device, 1005);
    }
    assert_eq!(
        fake::take(),
        [
            "crop 1",
            "crop 5",
            "crop 8",
            "crop 5",
            "release 1005",
            "release 1008",
            "release 1005",
            "release 1001"
        ]
    );
    drop(b);
    assert_eq!(fake::take(), ["free 1000"]);
}

#[test]
fn writable_views_report_what_they_made_dirty() {
    let iface = fake::interface();
    let mut b = Buffer::<u8>::new(&[4, 3]).unwrap();
    b.copy_to_device(iface).unwrap();
    {
        let mut v = b.cropped_mut(0, 1, 2).unwrap();
        fake::set_device_dirty(&mut v);
    }
    assert!(b.device_dirty() && !b.host_dirty());
    b.copy_to_host().unwrap();
    {
        let mut v = b.translated_mut(0, 3).unwrap();
        v.set(&[3, 0], 9).unwrap();
        assert!(v.host_dirty());
    }
    assert!(b.host_dirty() && !b.device_dirty());
    assert_eq!(b.get(&[0, 0]), Some(9));
    // Writes by other paths are recorded by hand, unless they conflict.
    b.copy_to_device(iface).unwrap();
    b.set_host_dirty().unwrap();
    assert!(b.host_dirty());
    b.copy_to_device(iface).unwrap();
    fake::set_device_dirty(&mut b);
    assert!(b.set_host_dirty().is_err());
    b.copy_to_host().unwrap();
    // A shared view never writes, so its source's flags stay.
    b.copy_to_device(iface).unwrap();
    drop(b.cropped(0, 0, 1).unwrap());
    assert!(!b.host_dirty() && !b.device_dirty());
}

#[test]
fn views_that_own_device_memory_copy_back_before_freeing() {
    let mut data = [0u8; 6];
    let mut v = BufferMut::new(&mut data, &[6]).unwrap();
    v.copy_to_device(fake::interface()).unwrap();
    fake::set_device_dirty(&mut v);
    fake::take();
    drop(v);
    assert_eq!(fake::take(), ["to_host 1000", "free 1000"]);
    // An owned buffer's host memory dies with it: nothing to copy back.
    let mut b = Buffer::<u8>::new(&[6]).unwrap();
    b.copy_to_device(fake::interface()).unwrap();
    fake::set_device_dirty(&mut b);
    fake::take();
    drop(b);
    assert_eq!(fake::take(), ["free 1000"]);
}

#[test]
fn wrapped_memory_is_detached_never_freed() {
    let iface = fake::interface();
    let mut b = Buffer::<u8>::new(&[6]).unwrap();
    // SAFETY: the fake runtime never touches the handle.
    unsafe { b.device_wrap_native(iface, 77) }.unwrap();
    // SAFETY: refused before the handle is used.
    assert!(unsafe { b.device_wrap_native(iface, 78) }.is_err());
    assert!(b.device_free().is_err());
    fake::set_device_dirty(&mut b);
    b.device_detach_native().unwrap();
    assert!(!b.has_device_allocation() && !b.device_dirty());
    assert!(b.device_detach_native().is_err(), "nothing left to detach");
    // SAFETY: as above.
    unsafe { b.device_wrap_native(iface, 79) }.unwrap();
    fake::take();
    drop(b);
    assert_eq!(fake::take(), ["detach 79"]);
}

//! Halide's WebGPU device interface, in Rust: the C functions behind
//! `halide_device_interface_impl_t` and the [`Hooks`] the bridge forwards
//! generated code's calls to.
//!
//! A device interface is made of one runtime's generic functions (its
//! `halide_device_malloc` and the rest, which do the bookkeeping and then
//! call ours). Each runtime the bridge was linked into (a static
//! library, a cached JIT entry) gets its own interface, made the first
//! time it calls; every one shares the implementation here. Operations
//! that only get a buffer report through the first runtime registered:
//! its `halide_error` routes messages by user context, whoever made it.
//!
//! Nothing unwinds out of these functions: a panic becomes an error code.

use crate::copy::{End, copy};
use crate::dispatch::{Arg, Shape};
use crate::gpu::{Gpu, gpu, release_default};
use crate::kernels::{PipelineKey, existing, kernels};
use crate::layout::Layout;
use crate::memory::{DeviceBuffer, allocate, check_native};
use halide_runtime::sys::{halide_buffer_t, halide_device_interface_t, halide_type_t};
use halide_runtime::webgpu::{Hooks, RuntimeFns};
use halide_runtime::{Error, ErrorCode};
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Mutex, OnceLock, PoisonError};

/// Halide's `halide_device_interface_impl_t` (runtime/device_interface.h),
/// which its public headers leave opaque.
#[repr(C)]
struct DeviceInterfaceImpl {
    use_module: extern "C" fn(),
    release_module: extern "C" fn(),
    device_malloc: BufOp,
    device_free: BufOp,
    device_sync: BufOp,
    device_release: unsafe extern "C" fn(*mut c_void) -> c_int,
    copy_to_host: BufOp,
    copy_to_device: BufOp,
    device_and_host_malloc: BufOp,
    device_and_host_free: BufOp,
    buffer_copy: unsafe extern "C" fn(
        *mut c_void,
        *mut halide_buffer_t,
        *const halide_device_interface_t,
        *mut halide_buffer_t,
    ) -> c_int,
    device_crop:
        unsafe extern "C" fn(*mut c_void, *const halide_buffer_t, *mut halide_buffer_t) -> c_int,
    device_slice: unsafe extern "C" fn(
        *mut c_void,
        *const halide_buffer_t,
        c_int,
        c_int,
        *mut halide_buffer_t,
    ) -> c_int,
    device_release_crop: BufOp,
    wrap_native: unsafe extern "C" fn(*mut c_void, *mut halide_buffer_t, u64) -> c_int,
    detach_native: BufOp,
}

type BufOp = unsafe extern "C" fn(*mut c_void, *mut halide_buffer_t) -> c_int;

/// Code here is never unloaded, so there is nothing to count.
extern "C" fn no_module_count() {}

static IMPL: DeviceInterfaceImpl = DeviceInterfaceImpl {
    use_module: no_module_count,
    release_module: no_module_count,
    device_malloc,
    device_free,
    device_sync,
    device_release,
    copy_to_host,
    copy_to_device,
    device_and_host_malloc,
    device_and_host_free,
    buffer_copy,
    device_crop,
    device_slice,
    device_release_crop,
    wrap_native,
    detach_native,
};

/// What the bridge calls: defined here for programs that link a static
/// library built for a `webgpu` target (the bridge there refers to this
/// symbol); JIT entries get [`HOOKS`] copied into them when loaded.
#[unsafe(no_mangle)]
pub static halide_rs_webgpu_hooks: Hooks = HOOKS;

/// This crate's WebGPU implementation, as the bridge calls it.
pub const HOOKS: Hooks = Hooks {
    initialize_kernels,
    finalize_kernels,
    run,
    device_interface,
};

/// A runtime the bridge was linked into, and the interface made of it.
struct Registered {
    fns: RuntimeFns,
    interface: halide_device_interface_t,
}

// SAFETY: the functions and the impl pointer are immutable code and
// statics, callable from any thread.
unsafe impl Sync for Registered {}
// SAFETY: as above.
unsafe impl Send for Registered {}

static RUNTIMES: Mutex<Vec<(usize, &'static Registered)>> = Mutex::new(Vec::new());
static FIRST: OnceLock<&'static Registered> = OnceLock::new();

/// The registration of the runtime whose functions are at `fns`.
///
/// # Safety
/// `fns` points to a bridge's `RuntimeFns`, which lives as long as the
/// process (runtimes are never unloaded).
unsafe fn register(fns: *const RuntimeFns) -> &'static Registered {
    let key = fns as usize;
    let mut all = RUNTIMES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, r)) = all.iter().find(|(at, _)| *at == key) {
        return r;
    }
    // SAFETY: the caller's contract.
    let fns = unsafe { *fns };
    let mut fields = [std::ptr::null::<c_void>(); 16];
    fields[..14].copy_from_slice(&fns.generic);
    fields[15] = std::ptr::from_ref(&IMPL).cast();
    // SAFETY: halide_device_interface_t is sixteen pointer-sized fields
    // (bindgen's layout test checks its 128 bytes): the fourteen generic
    // functions in the order RuntimeFns lists them, `compute_capability`
    // (null: WebGPU has none) and `impl`. Function pointers and data
    // pointers have one representation on every platform wgpu supports.
    let interface =
        unsafe { std::mem::transmute::<[*const c_void; 16], halide_device_interface_t>(fields) };
    let r: &'static Registered = Box::leak(Box::new(Registered { fns, interface }));
    all.push((key, r));
    let _ = FIRST.set(r);
    r
}

/// The interface buffers on this crate's devices carry, from the first
/// runtime registered; `None` before any.
pub(crate) fn first_interface() -> Option<*const halide_device_interface_t> {
    FIRST.get().map(|r| std::ptr::from_ref(&r.interface))
}

/// Whether `iface` is one of this crate's interfaces.
pub(crate) fn is_ours(iface: *const halide_device_interface_t) -> bool {
    // SAFETY: a non-null interface pointer points to a live interface.
    !iface.is_null() && unsafe { (*iface).impl_ } == std::ptr::from_ref(&IMPL).cast()
}

/// Runs `f`, turning an `Err` or a panic into an error code reported
/// through `rt` (or the first runtime) with `user_context`.
fn guarded(
    rt: Option<&Registered>,
    user_context: *mut c_void,
    f: impl FnOnce() -> Result<(), Error>,
) -> c_int {
    let error = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => return 0,
        Ok(Err(e)) => e,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Error::new(
                ErrorCode::Generic,
                Some(format!("halide-wgpu panicked: {what}")),
            )
        }
    };
    if let Some(rt) = rt.or_else(|| FIRST.get().copied()) {
        let text = error.message().unwrap_or(error.code().description());
        let text = CString::new(format!("{text}\n").replace('\0', " ")).unwrap_or_default();
        // SAFETY: the runtime's halide_error takes any user context its
        // pipelines pass (a null one included) and a C string.
        unsafe { (rt.fns.error)(user_context, text.as_ptr()) };
    }
    error.code().code()
}

/// `buf` as a reference; `Err` for null.
///
/// # Safety
/// `buf` is null or a valid buffer.
unsafe fn buffer<'a>(buf: *const halide_buffer_t) -> Result<&'a halide_buffer_t, Error> {
    // SAFETY: the caller's contract.
    unsafe { buf.as_ref() }.ok_or_else(|| Error::new(ErrorCode::BufferIsNull, None))
}

/// `buf` as a mutable reference; `Err` for null.
///
/// # Safety
/// As for [`buffer`], with no other reference to it live.
unsafe fn buffer_mut<'a>(buf: *mut halide_buffer_t) -> Result<&'a mut halide_buffer_t, Error> {
    // SAFETY: the caller's contract.
    unsafe { buf.as_mut() }.ok_or_else(|| Error::new(ErrorCode::BufferIsNull, None))
}

/// The interface a buffer on our device gets.
fn our_interface() -> Result<*const halide_device_interface_t, Error> {
    first_interface().ok_or_else(|| {
        Error::new(
            ErrorCode::NoDeviceInterface,
            Some("no Halide runtime with the WebGPU bridge is loaded yet".to_owned()),
        )
    })
}

// The functions below are Halide's device interface (see
// runtime/device_interface.h); Halide's generic functions call them with
// buffers the runtime validated, and the same buffer is never operated on
// by two threads at once. Their safety rests on that, as the C runtimes'
// does.

unsafe extern "C" fn device_malloc(uc: *mut c_void, buf: *mut halide_buffer_t) -> c_int {
    guarded(None, uc, || {
        // SAFETY: see above.
        let buf = unsafe { buffer_mut(buf) }?;
        if buf.device != 0 {
            return Ok(());
        }
        let iface = our_interface()?;
        // SAFETY: a valid buffer.
        let layout = unsafe { Layout::of(buf) }?;
        allocate(&gpu()?, &layout)?.attach(buf);
        buf.device_interface = iface;
        Ok(())
    })
}

/// Drops `buf`'s handle (its own box: an allocation's, a crop's or a
/// wrapped buffer's reference; wgpu frees the memory with the last one),
/// and forgets the interface unless `keep_interface` (a released crop's
/// stays, as in Halide's runtimes).
///
/// # Safety
/// See above; no reference to the handle is live.
unsafe fn drop_handle(uc: *mut c_void, buf: *mut halide_buffer_t, keep_interface: bool) -> c_int {
    guarded(None, uc, || {
        // SAFETY: the caller's contract.
        let buf = unsafe { buffer_mut(buf) }?;
        // SAFETY: the handle is this crate's and nothing borrows it.
        drop(unsafe { DeviceBuffer::detach(buf) });
        if !keep_interface {
            buf.device_interface = std::ptr::null();
        }
        Ok(())
    })
}

unsafe extern "C" fn device_free(uc: *mut c_void, buf: *mut halide_buffer_t) -> c_int {
    // SAFETY: see above.
    unsafe { drop_handle(uc, buf, false) }
}

unsafe extern "C" fn device_sync(uc: *mut c_void, buf: *mut halide_buffer_t) -> c_int {
    guarded(None, uc, || {
        // SAFETY: see above (a null buffer syncs the current device).
        match unsafe { buf.as_ref() }.and_then(|b| unsafe { DeviceBuffer::of(b) }) {
            Some(handle) => handle.gpu.wait(),
            None => gpu()?.wait(),
        }
    })
}

unsafe extern "C" fn device_release(uc: *mut c_void) -> c_int {
    guarded(None, uc, || {
        let gpu = gpu()?;
        crate::kernels::release(&gpu);
        release_default(&gpu);
        Ok(())
    })
}

unsafe extern "C" fn copy_to_host(uc: *mut c_void, buf: *mut halide_buffer_t) -> c_int {
    // SAFETY: see above.
    unsafe { buffer_copy(uc, buf, std::ptr::null(), buf) }
}

unsafe extern "C" fn copy_to_device(uc: *mut c_void, buf: *mut halide_buffer_t) -> c_int {
    let iface = first_interface().unwrap_or(std::ptr::null());
    // SAFETY: see above.
    unsafe { buffer_copy(uc, buf, iface, buf) }
}

unsafe extern "C" fn device_and_host_malloc(uc: *mut c_void, buf: *mut halide_buffer_t) -> c_int {
    match FIRST.get() {
        // SAFETY: see above; the runtime's default allocates the host
        // memory and calls device_malloc through the interface.
        Some(r) => unsafe { (r.fns.default_device_and_host_malloc)(uc, buf, &r.interface) },
        None => ErrorCode::NoDeviceInterface.code(),
    }
}

unsafe extern "C" fn device_and_host_free(uc: *mut c_void, buf: *mut halide_buffer_t) -> c_int {
    match FIRST.get() {
        // SAFETY: as for device_and_host_malloc.
        Some(r) => unsafe { (r.fns.default_device_and_host_free)(uc, buf, &r.interface) },
        None => ErrorCode::NoDeviceInterface.code(),
    }
}

unsafe extern "C" fn buffer_copy(
    uc: *mut c_void,
    src: *mut halide_buffer_t,
    dst_iface: *const halide_device_interface_t,
    dst: *mut halide_buffer_t,
) -> c_int {
    guarded(None, uc, || {
        // SAFETY: see above; src and dst may be the same buffer, so both
        // are only read through shared references here.
        let (src, dst) = unsafe { (buffer(src)?, buffer(dst)?) };
        if !dst_iface.is_null() && !is_ours(dst_iface) {
            return Err(Error::new(ErrorCode::IncompatibleDeviceInterface, None));
        }
        let src_ours = is_ours(src.device_interface);
        let host_dirty = src.flags & 1 != 0;
        let device_dirty = src.flags & 2 != 0;
        if (device_dirty || src.host.is_null()) && !src_ours {
            // Halide's generic buffer_copy goes through the host for this.
            return Err(Error::new(ErrorCode::IncompatibleDeviceInterface, None));
        }
        let from_host = !src_ours || src.device == 0 || (host_dirty && !src.host.is_null());
        let to_host = dst_iface.is_null();
        // SAFETY: both are valid buffers; their handles stay attached
        // during the copy.
        let (src_handle, dst_handle) = unsafe { (DeviceBuffer::of(src), DeviceBuffer::of(dst)) };
        let from = match (from_host, src_handle) {
            (true, _) => End::Host(src.host),
            (false, Some(h)) => End::Device(h),
            (false, None) => unreachable!("from_host is set when src.device is 0"),
        };
        let to = match (to_host, dst_handle) {
            (true, _) => End::Host(dst.host),
            (false, Some(h)) => End::Device(h),
            (false, None) => return Err(Error::new(ErrorCode::DeviceInterfaceNoDevice, None)),
        };
        if matches!(from, End::Host(p) if p.is_null()) || matches!(to, End::Host(p) if p.is_null())
        {
            return Err(Error::new(ErrorCode::HostIsNull, None));
        }
        // SAFETY: host pointers of valid buffers cover their elements.
        unsafe { copy(&from, &Layout::of(src)?, &to, &Layout::of(dst)?) }
    })
}

unsafe extern "C" fn device_crop(
    uc: *mut c_void,
    src: *const halide_buffer_t,
    dst: *mut halide_buffer_t,
) -> c_int {
    guarded(None, uc, || {
        // SAFETY: see above; src and dst are distinct buffers.
        let (src, dst) = unsafe { (buffer(src)?, buffer_mut(dst)?) };
        // SAFETY: valid buffers.
        let offset = unsafe { Layout::of(src)?.offset_of(&Layout::of(dst)?) };
        crop(src, offset, dst)
    })
}

unsafe extern "C" fn device_slice(
    uc: *mut c_void,
    src: *const halide_buffer_t,
    dim: c_int,
    pos: c_int,
    dst: *mut halide_buffer_t,
) -> c_int {
    guarded(None, uc, || {
        // SAFETY: as for device_crop.
        let (src, dst) = unsafe { (buffer(src)?, buffer_mut(dst)?) };
        let dim = usize::try_from(dim).map_err(|_| Error::new(ErrorCode::BadDimensions, None))?;
        // SAFETY: a valid buffer.
        let offset = unsafe { Layout::of(src)? }.slice_offset(dim, pos.into());
        crop(src, offset, dst)
    })
}

/// Gives `dst` a view of `src`'s device memory `offset` bytes on.
fn crop(src: &halide_buffer_t, offset: i64, dst: &mut halide_buffer_t) -> Result<(), Error> {
    // SAFETY: src is a valid buffer whose handle stays attached meanwhile.
    let handle = unsafe { DeviceBuffer::of(src) }
        .ok_or_else(|| Error::new(ErrorCode::DeviceInterfaceNoDevice, None))?;
    handle.view(offset)?.attach(dst);
    dst.device_interface = src.device_interface;
    Ok(())
}

unsafe extern "C" fn device_release_crop(uc: *mut c_void, buf: *mut halide_buffer_t) -> c_int {
    // SAFETY: see above.
    unsafe { drop_handle(uc, buf, true) }
}

unsafe extern "C" fn wrap_native(uc: *mut c_void, raw: *mut halide_buffer_t, native: u64) -> c_int {
    let code = guarded(None, uc, || {
        // SAFETY: see above; `native` is a `*const wgpu::Buffer` (this
        // interface's documented native handle), live for the call.
        let (buf, native) = unsafe { (buffer_mut(raw)?, (native as *const wgpu::Buffer).as_ref()) };
        let native = native.ok_or_else(|| Error::new(ErrorCode::DeviceWrapNativeFailed, None))?;
        // SAFETY: a valid buffer.
        let layout = unsafe { Layout::of(buf) }?;
        check_native(native, &layout)?;
        if buf.device != 0 {
            return Err(Error::new(
                ErrorCode::DeviceWrapNativeFailed,
                Some("the buffer already has device memory".to_owned()),
            ));
        }
        let iface = our_interface()?;
        DeviceBuffer {
            buffer: native.clone(),
            offset: 0,
            gpu: gpu()?,
        }
        .attach(buf);
        buf.device_interface = iface;
        Ok(())
    });
    // Halide's generic wrap sets the interface first and leaves it on
    // failure: a buffer without device memory must not keep one.
    // SAFETY: see above.
    if let Some(buf) = unsafe { raw.as_mut() }.filter(|b| code != 0 && b.device == 0) {
        buf.device_interface = std::ptr::null();
    }
    code
}

unsafe extern "C" fn detach_native(uc: *mut c_void, buf: *mut halide_buffer_t) -> c_int {
    // SAFETY: see above.
    unsafe { drop_handle(uc, buf, false) }
}

// The hooks: called by the bridge with the runtime it was linked into,
// from generated code, with arguments Halide's code generator made.

unsafe extern "C" fn device_interface(rt: *const RuntimeFns) -> *const halide_device_interface_t {
    // SAFETY: the bridge passes its runtime's functions, a static.
    let r = unsafe { register(rt) };
    std::ptr::from_ref(&r.interface)
}

unsafe extern "C" fn initialize_kernels(
    rt: *const RuntimeFns,
    uc: *mut c_void,
    state: *mut *mut c_void,
    src: *const c_char,
    size: c_int,
) -> c_int {
    // SAFETY: as for device_interface.
    let r = unsafe { register(rt) };
    guarded(Some(r), uc, || {
        let gpu = gpu()?;
        // SAFETY: generated code passes its WGSL, `size` bytes, and the
        // address of its kernel state.
        let bytes = unsafe {
            std::slice::from_raw_parts(src.cast::<u8>(), usize::try_from(size).unwrap_or(0))
        };
        let text = CStr::from_bytes_until_nul(bytes)
            .map(CStr::to_bytes)
            .unwrap_or(bytes);
        let text = std::str::from_utf8(text).map_err(|e| {
            Error::new(
                ErrorCode::GpuDeviceError,
                Some(format!("the WGSL is not UTF-8: {e}")),
            )
        })?;
        // SAFETY: as above.
        unsafe { kernels(state, text) }.module(&gpu).map(drop)
    })
}

unsafe extern "C" fn finalize_kernels(_: *const RuntimeFns, _: *mut c_void, _: *mut c_void) {
    // Modules and pipelines stay cached for the next call, as Halide's
    // runtimes keep theirs until device_release.
}

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn run(
    rt: *const RuntimeFns,
    uc: *mut c_void,
    state: *mut c_void,
    entry: *const c_char,
    groups_x: c_int,
    groups_y: c_int,
    groups_z: c_int,
    threads_x: c_int,
    threads_y: c_int,
    threads_z: c_int,
    workgroup_mem_bytes: c_int,
    arg_types: *const halide_type_t,
    args: *mut *mut c_void,
    arg_is_buffer: *const i8,
) -> c_int {
    // SAFETY: as for device_interface.
    let r = unsafe { register(rt) };
    guarded(Some(r), uc, || {
        let count = |v: c_int| u32::try_from(v).unwrap_or(0);
        // SAFETY: generated code passes a C string, and argument arrays
        // that end at the first null argument.
        let entry = unsafe { CStr::from_ptr(entry) }
            .to_string_lossy()
            .into_owned();
        let mut list = Vec::new();
        for i in 0.. {
            // SAFETY: as above; the other arrays are read only for the
            // arguments before the null.
            let arg = unsafe { *args.add(i) };
            if arg.is_null() {
                break;
            }
            // SAFETY: as above.
            let (is_buffer, ty) = unsafe { (*arg_is_buffer.add(i), *arg_types.add(i)) };
            list.push(if is_buffer != 0 {
                // SAFETY: a buffer argument points to the buffer.
                Arg::Buffer(unsafe { &*arg.cast::<halide_buffer_t>() })
            } else {
                Arg::Scalar(ty, arg.cast_const())
            });
        }
        // SAFETY: the state the pipeline's initialize_kernels filled.
        let kernels = unsafe { existing(state) }.ok_or_else(|| {
            Error::new(
                ErrorCode::DeviceRunFailed,
                Some(format!("{entry} ran before its kernels were initialized")),
            )
        })?;
        let gpu: std::sync::Arc<Gpu> = gpu()?;
        let module = kernels.module(&gpu)?;
        let shape = Shape {
            groups: [count(groups_x), count(groups_y), count(groups_z)],
            key: PipelineKey {
                entry,
                threads: [count(threads_x), count(threads_y), count(threads_z)],
                workgroup_mem_bytes: count(workgroup_mem_bytes),
            },
        };
        // SAFETY: scalars point to values of their types; buffers carry
        // this crate's handles (Halide moved them to this device).
        unsafe { crate::dispatch::run(&gpu, &module, &shape, &list) }
    })
}

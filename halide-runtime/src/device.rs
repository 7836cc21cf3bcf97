//! Device APIs, and who owns the device memory a pipeline attaches to a
//! buffer.
//!
//! One rule, for every path (JIT realize, `Callable`, AOT wrappers, views):
//! **a buffer lent mutably may gain a device allocation, and then owns
//! it**: its drop frees it, exactly once, through the device interface the
//! runtime attached (a view whose host memory outlives it copies the data
//! back first). **A buffer lent by shared reference is never written**: a
//! pipeline that moves it to a device does so on a [`LentInput`], a copy of
//! its `halide_buffer_t` made for that one call, and whatever device memory
//! the call allocated there is freed when the call ends. Device memory an
//! input already had is used as it is. **Views share their root's device
//! memory** (the buffer that owns it): a view starting where the root does
//! uses it as it is, any other gets the runtime's crop of it, released on
//! the view's drop; a writable view reports on drop what it made dirty.
//! **Memory the caller wrapped** (`device_wrap_native`) is detached, never
//! freed. The buffer side of these rules is `buffer/raw/device_memory.rs`.

use crate::error::{Error, ErrorCode};
use crate::sys::{halide_buffer_flags, halide_buffer_t, halide_device_interface_t};
use std::ffi::{c_int, c_void};
use std::fmt;
use std::marker::PhantomData;
use std::sync::OnceLock;

/// A device API Halide can generate code for, named as its target feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeviceApi {
    /// NVIDIA CUDA (`cuda`).
    Cuda,
    /// OpenCL (`opencl`).
    OpenCl,
    /// Vulkan compute (`vulkan`).
    Vulkan,
    /// Apple Metal (`metal`).
    Metal,
    /// WebGPU (`webgpu`).
    WebGpu,
    /// Direct3D 12 compute (`d3d12compute`).
    D3d12Compute,
}

impl DeviceApi {
    /// Every device API, in the order Halide's `DeviceAPI` lists them.
    pub const ALL: [DeviceApi; 6] = [
        DeviceApi::Cuda,
        DeviceApi::OpenCl,
        DeviceApi::Metal,
        DeviceApi::D3d12Compute,
        DeviceApi::Vulkan,
        DeviceApi::WebGpu,
    ];

    /// The target feature that selects this API: `host-` + this.
    ///
    /// ```
    /// use halide_runtime::DeviceApi;
    /// assert_eq!(DeviceApi::OpenCl.feature(), "opencl");
    /// ```
    pub const fn feature(self) -> &'static str {
        match self {
            DeviceApi::Cuda => "cuda",
            DeviceApi::OpenCl => "opencl",
            DeviceApi::Vulkan => "vulkan",
            DeviceApi::Metal => "metal",
            DeviceApi::WebGpu => "webgpu",
            DeviceApi::D3d12Compute => "d3d12compute",
        }
    }
}

impl fmt::Display for DeviceApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DeviceApi::Cuda => "CUDA",
            DeviceApi::OpenCl => "OpenCL",
            DeviceApi::Vulkan => "Vulkan",
            DeviceApi::Metal => "Metal",
            DeviceApi::WebGpu => "WebGPU",
            DeviceApi::D3d12Compute => "D3D12Compute",
        })
    }
}

/// A Halide runtime's interface to one device API: what moves a buffer's
/// data to that device. JIT programs get one from `halide::gpu::interface`;
/// programs linking an AOT runtime from its `halide_<api>_device_interface()`
/// through [`from_raw`](Self::from_raw).
#[derive(Clone, Copy)]
pub struct DeviceInterface {
    raw: &'static halide_device_interface_t,
}

impl DeviceInterface {
    /// Wraps a runtime's interface; `None` for null.
    ///
    /// # Safety
    /// `raw` is null or points to the device interface of a Halide runtime
    /// that stays loaded for the rest of the process (as runtimes linked
    /// into the program, and libHalide's JIT runtimes, do).
    pub unsafe fn from_raw(raw: *const halide_device_interface_t) -> Option<Self> {
        // SAFETY: per the contract, non-null means valid for 'static.
        unsafe { raw.as_ref() }.map(|raw| DeviceInterface { raw })
    }

    /// The C struct's address, as Halide's runtime functions take it.
    pub fn as_raw(&self) -> *const halide_device_interface_t {
        self.raw
    }

    /// Runs one of the interface's operations that take an interface
    /// argument (`device_malloc`, `copy_to_device`) on `buf`.
    ///
    /// # Safety
    /// As for [`device_call`].
    pub(crate) unsafe fn call(
        &self,
        buf: &mut halide_buffer_t,
        op: fn(&halide_device_interface_t) -> Option<DeviceOpWith>,
    ) -> Option<Result<(), Error>> {
        let op = op(self.raw)?;
        // SAFETY: the caller's contract; the interface is live ('static).
        Some(with_context(|uc| unsafe { op(uc, buf, self.raw) }))
    }
}

impl fmt::Debug for DeviceInterface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceInterface({:p})", self.raw)
    }
}

/// A device interface operation that also takes the interface to use.
pub(crate) type DeviceOpWith = unsafe extern "C" fn(
    *mut c_void,
    *mut halide_buffer_t,
    *const halide_device_interface_t,
) -> c_int;

/// A device interface operation on one buffer (`copy_to_host`, `device_free`).
pub(crate) type DeviceOp = unsafe extern "C" fn(*mut c_void, *mut halide_buffer_t) -> c_int;

/// Runs a device operation `op` (a function of the interface) on a buffer
/// with the user context its runtime needs, returning the runtime's code
/// and the message it reported. Without one installed, operations get a
/// null user context, which suits runtimes linked ahead of time (their
/// errors reach the handlers `aot` installs); libHalide's JIT runtimes
/// abort the process on an error without a context of theirs, so the
/// `halide` crate installs a caller that gives them one.
pub type DeviceCaller = fn(DeviceOpCall<'_>) -> (c_int, String);

/// One device operation, as a [`DeviceCaller`] receives it.
pub struct DeviceOpCall<'a> {
    /// Calls the operation with the given user context.
    pub run: &'a mut dyn FnMut(*mut c_void) -> c_int,
}

static CALLER: OnceLock<DeviceCaller> = OnceLock::new();

/// Installs the [`DeviceCaller`] for this process; only the first call
/// takes effect (the `halide` crate's, in JIT programs).
pub fn set_device_caller(caller: DeviceCaller) {
    let _ = CALLER.set(caller);
}

/// Runs `run` with the installed caller's user context, or a null one.
pub(crate) fn with_context(mut run: impl FnMut(*mut c_void) -> c_int) -> Result<(), Error> {
    let (code, mut message) = match CALLER.get() {
        Some(caller) => caller(DeviceOpCall { run: &mut run }),
        None => (run(std::ptr::null_mut()), String::new()),
    };
    if code != 0 && message.is_empty() {
        // A runtime whose handlers are this crate's (an AOT one, a cached
        // one) reported with a context not of ours, on this thread.
        message = crate::aot::take_thread_messages();
    }
    match ErrorCode::from_code(code) {
        None => Ok(()),
        Some(code) => Err(Error::new(code, (!message.is_empty()).then_some(message))),
    }
}

/// Runs the operation `op` picks from `buf`'s device interface on `buf`;
/// `None` when it has no interface or the interface lacks the operation.
///
/// # Safety
/// `buf` is a buffer a Halide runtime may operate on: its shape describes
/// memory that stays valid for the call, and its device fields are those a
/// runtime left there (or zero).
pub(crate) unsafe fn device_call(
    buf: &mut halide_buffer_t,
    op: fn(&halide_device_interface_t) -> Option<DeviceOp>,
) -> Option<Result<(), Error>> {
    // SAFETY: `device_interface` is null until a Halide runtime moves the
    // data to a device; from then on it points at that runtime's static
    // interface, valid while the runtime stays loaded, which a buffer
    // with device data relies on as Halide's own buffers do.
    let iface = unsafe { buf.device_interface.as_ref() }?;
    let op = op(iface)?;
    // SAFETY: the interface's operations accept any buffer whose device
    // data it manages, as it does this one's (the caller's contract), with
    // a null user context or the installed caller's.
    Some(with_context(|uc| unsafe { op(uc, buf) }))
}

/// Prepares `buf` to be read by device code: without a device copy yet,
/// its data is on the host, which Halide's runtime learns from the
/// host-dirty flag (C++'s `Buffer` sets it on every element write; ours
/// set it only once a device copy exists). Without the flag the runtime
/// would allocate device memory and never fill it.
pub fn prepare_input(buf: &mut halide_buffer_t) {
    if buf.device == 0 {
        buf.flags |= u64::from(halide_buffer_flags::halide_buffer_flag_host_dirty.0);
    }
}

/// Brings `buf`'s host copy up to date when a device holds the current
/// data, through the device runtime's own `copy_to_host` and the installed
/// caller: for code of another runtime (a pipeline loaded from a shared
/// library) that must never call a device interface it was not built with.
///
/// # Safety
/// `buf`'s shape describes memory valid for the call and its device fields
/// are those a runtime left there (or zero).
pub unsafe fn sync_to_host(buf: &mut halide_buffer_t) -> Result<(), Error> {
    let dirty = u64::from(halide_buffer_flags::halide_buffer_flag_device_dirty.0);
    if buf.flags & dirty == 0 {
        return Ok(());
    }
    // SAFETY: the caller's contract.
    unsafe { device_call(buf, |iface| iface.copy_to_host) }
        .unwrap_or(Err(Error::new(ErrorCode::NoDeviceInterface, None)))
}

/// The `halide_buffer_t` a pipeline gets for an input lent by shared
/// reference: a copy, so the lender is never written, which frees on drop
/// any device memory the call attached to it (see the module's rule).
pub struct LentInput<'a> {
    buf: halide_buffer_t,
    /// The lender's own device handle, which is not ours to free.
    lent_device: u64,
    /// The copy shares the lender's host memory, shape array and device
    /// allocation, so it lives no longer than the lender's borrow.
    _lender: PhantomData<&'a halide_buffer_t>,
}

impl<'a> LentInput<'a> {
    /// A copy of `buf` for one call.
    pub fn new(buf: &'a halide_buffer_t) -> Self {
        let mut copy = *buf;
        prepare_input(&mut copy);
        LentInput {
            buf: copy,
            lent_device: buf.device,
            _lender: PhantomData,
        }
    }

    /// The pointer to pass to the pipeline.
    pub fn as_mut_ptr(&mut self) -> *mut halide_buffer_t {
        &mut self.buf
    }
}

impl Drop for LentInput<'_> {
    fn drop(&mut self) {
        if self.buf.device != 0 && self.buf.device != self.lent_device {
            // SAFETY: the device fields are what the runtime attached during
            // the call; the host memory and shape are the lender's, still
            // borrowed (see `new`). A failure cannot be reported from drop.
            let _ = unsafe { device_call(&mut self.buf, |iface| iface.device_free) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static FREED: AtomicUsize = AtomicUsize::new(0);

    unsafe extern "C" fn count_free(_: *mut c_void, buf: *mut halide_buffer_t) -> c_int {
        FREED.fetch_add(1, Ordering::SeqCst);
        // SAFETY: called by device_call with the buffer it was given.
        unsafe { (*buf).device = 0 };
        0
    }

    /// An interface that only frees, in a static so that Miri sees it
    /// live to the end (a leaked box would count as a leak).
    fn fake_interface() -> &'static halide_device_interface_t {
        struct Fake(halide_device_interface_t);
        // SAFETY: only read; its pointers are functions or null.
        unsafe impl Sync for Fake {}
        // SAFETY: as above.
        unsafe impl Send for Fake {}
        static FAKE: std::sync::OnceLock<Fake> = std::sync::OnceLock::new();
        let fake = FAKE.get_or_init(|| {
            Fake(halide_device_interface_t {
                device_free: Some(count_free),
                ..Default::default()
            })
        });
        &fake.0
    }

    #[test]
    fn a_lent_input_frees_only_what_the_call_attached() {
        let iface = fake_interface();
        let lender = halide_buffer_t::default();
        let before = FREED.load(Ordering::SeqCst);
        {
            let mut lent = LentInput::new(&lender);
            // What a runtime does when it copies the input to the device.
            // SAFETY: the pointer is to the copy, alive here.
            unsafe {
                let b = &mut *lent.as_mut_ptr();
                b.device = 42;
                b.device_interface = iface;
                b.flags |= u64::from(halide_buffer_flags::halide_buffer_flag_device_dirty.0);
            }
        }
        assert_eq!(FREED.load(Ordering::SeqCst), before + 1);
        assert_eq!(
            (lender.device, lender.flags),
            (0, 0),
            "the lender is untouched"
        );

        // An input already on the device keeps its allocation.
        let owner = halide_buffer_t {
            device: 7,
            device_interface: iface,
            ..Default::default()
        };
        drop(LentInput::new(&owner));
        assert_eq!(FREED.load(Ordering::SeqCst), before + 1);
    }

    #[test]
    fn every_api_has_a_distinct_feature() {
        let mut names: Vec<_> = DeviceApi::ALL.iter().map(|a| a.feature()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), DeviceApi::ALL.len());
    }
}

//! Sharing memory with a wgpu application: a `wgpu::Buffer` it made as a
//! Halide buffer's device memory, and a Halide buffer's device memory as a
//! `wgpu::Buffer` it can bind.

use crate::interface::{first_interface, is_ours};
use crate::layout::Layout;
use crate::memory::{DeviceBuffer, check_native};
use halide_runtime::{DeviceInterface, Error, ErrorCode, HalideBuffer, HalideBufferMut};

/// This crate's device interface, for
/// [`copy_to_device`](HalideBufferMut::copy_to_device) and
/// [`device_malloc`](HalideBufferMut::device_malloc); it exists once a
/// Halide runtime built with the WebGPU bridge is loaded (by
/// [`register`](crate::register) for JIT pipelines, by the first call of a
/// pipeline linked ahead of time).
///
/// ```
/// use halide_runtime::{Buffer, HalideBuffer, HalideBufferMut};
/// halide_wgpu::register()?;
/// if halide_wgpu::gpu().is_ok() {
///     let mut image = Buffer::<f32>::new(&[64, 64])?;
///     image.copy_to_device(halide_wgpu::device_interface()?)?;
///     assert!(image.has_device_allocation());
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn device_interface() -> Result<DeviceInterface, Error> {
    let raw = first_interface().ok_or_else(|| {
        Error::new(
            ErrorCode::NoDeviceInterface,
            Some(
                "no Halide runtime with the WebGPU bridge is loaded yet: call \
                 halide_wgpu::register() (JIT) or run a pipeline compiled for webgpu first"
                    .to_owned(),
            ),
        )
    })?;
    // SAFETY: registered interfaces are leaked: they live for the process.
    Ok(unsafe { DeviceInterface::from_raw(raw) }.expect("registered interfaces are not null"))
}

/// Makes `memory`, a buffer of the application's on the current device
/// ([`set_device`](crate::set_device)), `buf`'s device memory, without a
/// copy: pipelines read and write it in place. `memory` needs the
/// `STORAGE`, `COPY_SRC` and `COPY_DST` usages and room for `buf`'s
/// elements as its strides lay them out, from offset 0. `buf` keeps a
/// reference to it until dropped or
/// [`device_detach_native`](HalideBufferMut::device_detach_native)ed; it
/// never destroys it. Mark it [`set_device_dirty`](HalideBufferMut::set_device_dirty)
/// when the application wrote it, so a host read copies it back.
///
/// ```
/// use halide_runtime::{Buffer, HalideBuffer, HalideBufferMut};
/// halide_wgpu::register()?;
/// if let Ok(gpu) = halide_wgpu::gpu() {
///     let memory = gpu.device().create_buffer(&wgpu::BufferDescriptor {
///         label: None,
///         size: 64 * 64 * 4,
///         usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST,
///         mapped_at_creation: false,
///     });
///     let mut image = Buffer::<f32>::new(&[64, 64])?;
///     halide_wgpu::wrap(&mut image, &memory)?;
///     assert!(image.has_device_allocation());
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn wrap(buf: &mut impl HalideBufferMut, memory: &wgpu::Buffer) -> Result<(), Error> {
    let iface = device_interface()?;
    // SAFETY: a valid buffer. Checked here too, so the message reaches the
    // caller whichever runtime's error handler is installed.
    check_native(memory, &unsafe { Layout::of(buf.raw().as_raw()) }?)?;
    let handle = std::ptr::from_ref(memory) as u64;
    // SAFETY: this interface's native handle is a `*const wgpu::Buffer`,
    // which wrap_native clones (wgpu counts references) during the call,
    // so the buffer keeps its memory alive for as long as it holds it.
    unsafe { buf.device_wrap_native(iface, handle) }
}

/// The application's view of `buf`'s device memory: the `wgpu::Buffer`
/// holding it and where its min corner starts; `None` when its data is
/// not on a device of this crate's. Synchronize first
/// ([`device_sync`](HalideBufferMut::device_sync) is not needed: wgpu
/// orders work on one queue).
///
/// ```
/// use halide_runtime::{Buffer, HalideBufferMut};
/// halide_wgpu::register()?;
/// let mut image = Buffer::<f32>::new(&[64, 64])?;
/// assert!(halide_wgpu::device_buffer(&image).is_none(), "on the host only");
/// if halide_wgpu::gpu().is_ok() {
///     image.device_malloc(halide_wgpu::device_interface()?)?;
///     let view = halide_wgpu::device_buffer(&image).expect("on the device");
///     assert_eq!((view.offset, view.size), (0, 64 * 64 * 4));
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn device_buffer(buf: &impl HalideBuffer) -> Option<DeviceView> {
    let raw = buf.raw().as_raw();
    if !is_ours(raw.device_interface) {
        return None;
    }
    // SAFETY: the buffer's device field is this crate's handle (its
    // interface is ours), attached while `buf` is borrowed.
    let handle = unsafe { DeviceBuffer::of(raw) }?;
    // SAFETY: a valid buffer.
    let size = unsafe { Layout::of(raw) }.ok()?.size_in_bytes() as u64;
    Some(DeviceView {
        buffer: handle.buffer.clone(),
        offset: handle.offset,
        size,
    })
}

/// A Halide buffer's device memory, as [`device_buffer`] returns it.
#[derive(Debug, Clone)]
pub struct DeviceView {
    /// The wgpu buffer (a new reference to it).
    pub buffer: wgpu::Buffer,
    /// Bytes from its start to the Halide buffer's min corner.
    pub offset: u64,
    /// Bytes from the min corner to the end of the last element.
    pub size: u64,
}

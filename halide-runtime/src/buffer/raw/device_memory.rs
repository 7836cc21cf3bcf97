//! The device side of a [`RawBuffer`]: its dirty flags, the device
//! operations on it, and what its device memory is to it ([`DeviceRole`]),
//! which decides what its drop does with that memory.

use super::RawBuffer;
use crate::buffer::ShapeError;
use crate::device::{DeviceInterface, DeviceOp, device_call, prepare_input, with_context};
use crate::error::{Error, ErrorCode};
use crate::sys::{
    halide_buffer_flags, halide_buffer_t, halide_device_interface_t, halide_dimension_t,
};
use crate::types::Type;
use std::ptr::NonNull;

/// Both dirty flags: what views inherit and report, and detaching clears.
const DIRTY: u64 = (halide_buffer_flags::halide_buffer_flag_host_dirty.0
    | halide_buffer_flags::halide_buffer_flag_device_dirty.0) as u64;

/// What a buffer's device memory is to the buffer, which decides what
/// dropping the buffer does with it. One place for the rule of `device`'s
/// module docs, for every kind of buffer and view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DeviceRole {
    /// Allocated by a runtime for this buffer (a pipeline output, a
    /// `copy_to_device`, a `device_malloc`): freed on drop.
    Owned,
    /// A crop of the root's device memory (see `lend_device`), made by
    /// the runtime's `device_crop`: released on drop.
    Crop,
    /// The root's device memory itself, for a view that starts where the
    /// root does (translated, transposed, ...): left alone.
    Shared,
    /// Memory of the caller's, wrapped by `device_wrap_native`: detached
    /// on drop, never freed.
    Wrapped,
}

impl RawBuffer {
    fn flag(&self, flag: halide_buffer_flags) -> bool {
        self.as_raw().flags & u64::from(flag.0) != 0
    }

    /// Whether the host copy is newer than the device copy.
    pub fn host_dirty(&self) -> bool {
        self.flag(halide_buffer_flags::halide_buffer_flag_host_dirty)
    }

    /// Whether the device copy is newer than the host copy.
    pub fn device_dirty(&self) -> bool {
        self.flag(halide_buffer_flags::halide_buffer_flag_device_dirty)
    }

    /// Whether a pipeline attached device memory to this buffer (which
    /// the buffer owns: see `device`).
    pub fn has_device_allocation(&self) -> bool {
        self.as_raw().device != 0
    }

    /// Records that the host copy changed, so that a pipeline reading the
    /// buffer on a device copies it there again. Only meaningful with a
    /// device allocation; element writes through the buffer types call it.
    pub(in crate::buffer) fn set_host_dirty(&mut self) {
        if self.has_device_allocation() {
            self.as_raw_mut().flags |=
                u64::from(halide_buffer_flags::halide_buffer_flag_host_dirty.0);
        }
    }

    fn device_call(
        &mut self,
        op: fn(&halide_device_interface_t) -> Option<DeviceOp>,
    ) -> Option<Result<(), Error>> {
        // SAFETY: by the module invariant the shape lies in memory this
        // buffer's owner holds; the device fields are the runtime's.
        unsafe { device_call(self.as_raw_mut(), op) }
    }

    /// Copies the data to the device `iface` drives, allocating there first
    /// if needed; the buffer then owns the allocation.
    pub(in crate::buffer) fn copy_to_device(
        &mut self,
        iface: DeviceInterface,
    ) -> Result<(), Error> {
        if self.has_device_allocation() && self.as_raw().device_interface != iface.as_raw() {
            return Err(other_device());
        }
        prepare_input(self.as_raw_mut());
        // SAFETY: by the module invariant the shape lies in memory this
        // buffer's owner holds; the interface is a live runtime's.
        let done = unsafe { iface.call(self.as_raw_mut(), |i| i.copy_to_device) };
        done.unwrap_or(Err(Error::new(ErrorCode::NoDeviceInterface, None)))
    }

    /// Waits for the device work on this buffer to finish.
    pub(in crate::buffer) fn device_sync(&mut self) -> Result<(), Error> {
        self.device_call(|iface| iface.device_sync)
            .unwrap_or(Ok(()))
    }

    /// Frees the buffer's device memory now, instead of on drop. Refused
    /// while the device holds the only current copy of the data.
    pub(in crate::buffer) fn device_free(&mut self) -> Result<(), Error> {
        if !self.has_device_allocation() {
            return Ok(());
        }
        let refusal = match self.role {
            DeviceRole::Owned if self.device_dirty() => {
                Some("the device holds the only current data: copy_to_host first")
            }
            DeviceRole::Owned => None,
            DeviceRole::Wrapped => Some("the device memory is the caller's: detach it instead"),
            DeviceRole::Crop | DeviceRole::Shared => {
                Some("the device memory belongs to the buffer this one views")
            }
        };
        if let Some(message) = refusal {
            return Err(Error::new(ErrorCode::Generic, Some(message.into())));
        }
        let freed = self.device_call(|iface| iface.device_free);
        freed.unwrap_or(Err(Error::new(ErrorCode::NoDeviceInterface, None)))?;
        self.as_raw_mut().flags &= !u64::from(halide_buffer_flags::halide_buffer_flag_host_dirty.0);
        Ok(())
    }

    /// Records that the device copy changed (by code outside Halide).
    pub(in crate::buffer) fn set_device_dirty(&mut self) -> Result<(), Error> {
        if !self.has_device_allocation() {
            return Err(Error::new(ErrorCode::NoDeviceInterface, None));
        }
        if self.host_dirty() {
            return Err(Error::new(ErrorCode::HostAndDeviceDirty, None));
        }
        self.as_raw_mut().flags |=
            u64::from(halide_buffer_flags::halide_buffer_flag_device_dirty.0);
        Ok(())
    }

    /// Brings the host copy up to date when a pipeline left the data on a device.
    pub(in crate::buffer) fn copy_to_host(&mut self) -> Result<(), Error> {
        if !self.device_dirty() {
            return Ok(());
        }
        self.device_call(|iface| iface.copy_to_host)
            .unwrap_or(Err(Error::new(ErrorCode::NoDeviceInterface, None)))
    }

    /// Allocates device memory for the buffer on the device `iface` drives,
    /// without copying anything there; the buffer owns it.
    pub(in crate::buffer) fn device_malloc(&mut self, iface: DeviceInterface) -> Result<(), Error> {
        if self.has_device_allocation() {
            return if self.as_raw().device_interface == iface.as_raw() {
                Ok(())
            } else {
                Err(other_device())
            };
        }
        // SAFETY: by the module invariant the shape lies in memory this
        // buffer's owner holds; the interface is a live runtime's.
        let done = unsafe { iface.call(self.as_raw_mut(), |i| i.device_malloc) };
        done.unwrap_or(Err(Error::new(ErrorCode::NoDeviceInterface, None)))?;
        self.role = DeviceRole::Owned;
        Ok(())
    }

    /// Makes `handle`, native memory of the API `iface` drives, this
    /// buffer's device memory; it is never freed through this buffer.
    ///
    /// # Safety
    /// As for `HalideBufferMut::device_wrap_native`.
    pub(in crate::buffer) unsafe fn device_wrap_native(
        &mut self,
        iface: DeviceInterface,
        handle: u64,
    ) -> Result<(), Error> {
        if self.has_device_allocation() {
            let message = "the buffer already has device memory; free or detach it first";
            return Err(Error::new(ErrorCode::Generic, Some(message.into())));
        }
        let raw = iface.as_raw();
        // SAFETY: `raw` is a live runtime's interface (DeviceInterface's
        // contract); the handle is valid for it (the caller's contract).
        let wrap = unsafe { (*raw).wrap_native };
        let wrap = wrap.ok_or(Error::new(ErrorCode::NoDeviceInterface, None))?;
        // SAFETY: as above, on this buffer's own halide_buffer_t.
        with_context(|uc| unsafe { wrap(uc, self.as_raw_mut(), handle, raw) })?;
        self.role = DeviceRole::Wrapped;
        Ok(())
    }

    /// Gives back the native memory `device_wrap_native` wrapped: the
    /// buffer has no device memory afterwards.
    pub(in crate::buffer) fn device_detach_native(&mut self) -> Result<(), Error> {
        if self.role != DeviceRole::Wrapped || !self.has_device_allocation() {
            let message = "the buffer's device memory was not wrapped by device_wrap_native";
            return Err(Error::new(ErrorCode::Generic, Some(message.into())));
        }
        self.device_call(|iface| iface.detach_native)
            .unwrap_or(Err(Error::new(ErrorCode::NoDeviceInterface, None)))?;
        // What the device memory holds is the caller's business again.
        self.as_raw_mut().flags &= !DIRTY;
        self.role = DeviceRole::Owned;
        Ok(())
    }

    /// Gives `view`, a view of some of this buffer's elements, the device
    /// memory of this buffer's root (the buffer that owns or wrapped it):
    /// the root's own handle when the view starts where the root does, else
    /// the runtime's crop of it at the view's byte offset. Crops are always
    /// made of the root, never of a crop, so a view of a view depends only
    /// on the root, which outlives both (the borrow of the root's memory
    /// bounds every view of it). Halide 21's Vulkan runtime also misplaces
    /// crops of crops (it offsets them from the allocation).
    pub(in crate::buffer) fn lend_device(&self, view: &mut RawBuffer) -> Result<(), ShapeError> {
        if !self.has_device_allocation() {
            return Ok(());
        }
        if self.as_raw().device_interface.is_null() {
            let e = Error::new(ErrorCode::NoDeviceInterface, None);
            return Err(ShapeError::Device(e));
        }
        let root = match self.role {
            DeviceRole::Owned | DeviceRole::Wrapped => DeviceRoot {
                host: self.as_raw().host,
                device: self.as_raw().device,
                interface: self.as_raw().device_interface,
            },
            DeviceRole::Crop | DeviceRole::Shared => *self
                .root
                .as_deref()
                .expect("views with device memory know its root"),
        };
        let offset = (view.as_raw().host as isize).wrapping_sub(root.host as isize);
        view.role = match offset {
            0 => {
                view.as_raw_mut().device = root.device;
                view.as_raw_mut().device_interface = root.interface;
                DeviceRole::Shared
            }
            1.. => {
                let device = root.crop(offset).map_err(ShapeError::Device)?;
                view.as_raw_mut().device = device;
                view.as_raw_mut().device_interface = root.interface;
                DeviceRole::Crop
            }
            _ => {
                let message = "a view starting before its buffer's first element in memory cannot share its device memory";
                let e = Error::new(ErrorCode::DeviceCropFailed, Some(message.into()));
                return Err(ShapeError::Device(e));
            }
        };
        view.as_raw_mut().flags |= self.as_raw().flags & DIRTY;
        view.root = Some(Box::new(root));
        Ok(())
    }

    /// Makes this view, of the buffer whose `halide_buffer_t` is `source`,
    /// report to it on drop the dirty flags of the device memory they share.
    /// `source` must stay borrowed mutably for this view's whole life, and
    /// be reached through nothing else meanwhile.
    pub(in crate::buffer) fn report_to(&mut self, source: NonNull<halide_buffer_t>) {
        self.source = Some(source);
    }
}

/// The buffer that owns (or wrapped) the device memory views share: where
/// its elements start on the host and on the device.
#[derive(Debug, Clone, Copy)]
pub(super) struct DeviceRoot {
    host: *mut u8,
    device: u64,
    interface: *const halide_device_interface_t,
}

impl DeviceRoot {
    /// A device handle for the root's memory from `offset` bytes on, made
    /// by the runtime's `device_crop` on two byte buffers: the root's
    /// memory and the byte at `offset`, addressed as `(offset mod 2^30,
    /// offset / 2^30)` so that any offset fits. A crop's handle depends
    /// only on its offset, not on the dimensions it was made with.
    fn crop(&self, offset: isize) -> Result<u64, Error> {
        const SPAN: i64 = 1 << 30;
        let offset = offset as i64;
        let (lo, hi) = ((offset % SPAN) as i32, (offset / SPAN) as i32);
        let dim = |min, extent, stride| halide_dimension_t {
            min,
            extent,
            stride,
            flags: 0,
        };
        let mut whole = [dim(0, SPAN as i32, 1), dim(0, hi + 1, SPAN as i32)];
        let mut byte = [dim(lo, 1, 1), dim(hi, 1, SPAN as i32)];
        let bytes = |dims: &mut [halide_dimension_t; 2], device| halide_buffer_t {
            device,
            device_interface: self.interface,
            host: std::ptr::null_mut(),
            flags: 0,
            type_: Type::uint(8).to_raw(),
            dimensions: 2,
            dim: dims.as_mut_ptr(),
            padding: std::ptr::null_mut(),
        };
        let src = bytes(&mut whole, self.device);
        let mut dst = bytes(&mut byte, 0);
        dst.device_interface = std::ptr::null();
        // SAFETY: the root's interface is a live runtime's (see
        // `device_call`), and its device memory is alive while any view of
        // it is (the root's borrow); both buffers live across the call.
        let crop = unsafe { (*self.interface).device_crop };
        let crop = crop.ok_or(Error::new(ErrorCode::NoDeviceInterface, None))?;
        // SAFETY: as above; `dst` has no device memory, as the runtime needs.
        with_context(|uc| unsafe { crop(uc, &src, &mut dst) })?;
        Ok(dst.device)
    }
}

/// The error for device memory on a device other than the one asked for.
fn other_device() -> Error {
    let message = "the buffer already has memory on another device; free it first";
    Error::new(ErrorCode::IncompatibleDeviceInterface, Some(message.into()))
}

impl Drop for RawBuffer {
    /// Does what the device memory's role says (see `DeviceRole`). Failures
    /// cannot be reported from drop. Inline for host-only buffers, whose
    /// drop does nothing here: views are made and dropped per call.
    #[inline]
    fn drop(&mut self) {
        if self.as_raw_mut().device != 0 {
            self.release_device();
        }
    }
}

impl RawBuffer {
    /// What dropping a buffer with device memory does to that memory.
    #[inline(never)]
    fn release_device(&mut self) {
        match self.role {
            DeviceRole::Owned | DeviceRole::Wrapped => {
                if self.host_outlives {
                    let _ = self.copy_to_host();
                }
                let _ = match self.role {
                    DeviceRole::Owned => self.device_call(|iface| iface.device_free),
                    _ => self.device_call(|iface| iface.detach_native),
                };
            }
            DeviceRole::Crop | DeviceRole::Shared => {
                if let Some(source) = self.source {
                    // SAFETY: the source is borrowed mutably for this view's
                    // whole life (`lend_device`), so it is alive, in place,
                    // and reached by nothing else; only its flags change.
                    unsafe { (*source.as_ptr()).flags |= self.as_raw().flags & DIRTY };
                }
                if self.role == DeviceRole::Crop {
                    let _ = self.device_call(|iface| iface.device_release_crop);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;

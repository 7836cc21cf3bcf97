//! The device handle a `halide_buffer_t` carries: a wgpu buffer, the byte
//! offset of the Halide buffer's min corner in it, and the device it
//! lives on.
//!
//! `buf.device` holds a `Box<DeviceBuffer>` turned into an address: made by
//! [`DeviceBuffer::attach`], taken back exactly once by
//! [`DeviceBuffer::detach`]. Crops and slices get boxes of their own that
//! share the wgpu buffer (wgpu counts its references), so the allocation
//! lives until its last view is released, as in Halide's runtimes.

use crate::gpu::Gpu;
use crate::layout::{Layout, align_up};
use halide_runtime::sys::halide_buffer_t;
use halide_runtime::{Error, ErrorCode};
use std::sync::Arc;

/// What `buf.device` points to.
#[derive(Debug)]
pub(crate) struct DeviceBuffer {
    pub buffer: wgpu::Buffer,
    /// Bytes from the start of `buffer` to the min corner.
    pub offset: u64,
    pub gpu: Arc<Gpu>,
}

impl DeviceBuffer {
    /// The handle `buf` carries, if any.
    ///
    /// # Safety
    /// `buf.device` is 0 or was set by [`attach`](Self::attach) and not yet
    /// detached; the handle is not detached while the reference lives.
    pub unsafe fn of<'a>(buf: &halide_buffer_t) -> Option<&'a DeviceBuffer> {
        // SAFETY: per the contract, a non-zero handle is a live box.
        unsafe { (buf.device as *const DeviceBuffer).as_ref() }
    }

    /// Gives `buf` this handle.
    pub fn attach(self, buf: &mut halide_buffer_t) {
        buf.device = Box::into_raw(Box::new(self)) as u64;
    }

    /// Takes `buf`'s handle back, leaving `buf.device` 0.
    ///
    /// # Safety
    /// As for [`of`](Self::of), and no reference from `of` is live.
    pub unsafe fn detach(buf: &mut halide_buffer_t) -> Option<DeviceBuffer> {
        let raw = std::mem::take(&mut buf.device) as *mut DeviceBuffer;
        // SAFETY: per the contract, the box is ours to take back, once:
        // the field was cleared above.
        (!raw.is_null()).then(|| *unsafe { Box::from_raw(raw) })
    }

    /// A handle to the same memory, `offset` bytes further on.
    pub fn view(&self, offset: i64) -> Result<DeviceBuffer, Error> {
        let offset = self.offset.checked_add_signed(offset).ok_or_else(|| {
            Error::new(
                ErrorCode::DeviceCropFailed,
                Some("a WebGPU crop or slice starts before its buffer".to_owned()),
            )
        })?;
        Ok(DeviceBuffer {
            buffer: self.buffer.clone(),
            offset,
            gpu: Arc::clone(&self.gpu),
        })
    }

    /// Reads bytes `[lo, hi)` from the min corner, widened to whole words;
    /// returns them and the position of `lo` in them.
    pub fn read_span(&self, lo: i64, hi: i64) -> Result<(Vec<u8>, usize), Error> {
        let (start, end) = self.words(lo, hi)?;
        let bytes = self.gpu.read(&self.buffer, start, end - start)?;
        Ok((bytes, (self.offset + lo as u64 - start) as usize))
    }

    /// The word-aligned byte range of the wgpu buffer covering `[lo, hi)`
    /// from the min corner.
    pub fn words(&self, lo: i64, hi: i64) -> Result<(u64, u64), Error> {
        let start = (self.offset + lo as u64) & !3;
        let end = align_up((self.offset + hi as u64) as i64) as u64;
        if end > self.buffer.size() {
            return Err(Error::new(
                ErrorCode::DeviceBufferCopyFailed,
                Some(format!(
                    "bytes {lo}..{hi} from offset {} are outside the {}-byte WebGPU buffer",
                    self.offset,
                    self.buffer.size()
                )),
            ));
        }
        Ok((start, end))
    }
}

/// Allocates device memory for `buf` on `gpu` (whole words: WebGPU binds
/// and copies in multiples of 4 bytes).
pub(crate) fn allocate(gpu: &Arc<Gpu>, layout: &Layout) -> Result<DeviceBuffer, Error> {
    let size = align_up(layout.size_in_bytes().max(4)) as u64;
    let buffer = gpu.scoped(ErrorCode::DeviceMallocFailed, || {
        gpu.device().create_buffer(&wgpu::BufferDescriptor {
            label: Some("halide buffer"),
            size,
            usage: USAGE,
            mapped_at_creation: false,
        })
    })?;
    Ok(DeviceBuffer {
        buffer,
        offset: 0,
        gpu: Arc::clone(gpu),
    })
}

/// The usages a buffer needs to be used by Halide's kernels and copies;
/// a wrapped `wgpu::Buffer` must have them too.
pub(crate) const USAGE: wgpu::BufferUsages = wgpu::BufferUsages::STORAGE
    .union(wgpu::BufferUsages::COPY_SRC)
    .union(wgpu::BufferUsages::COPY_DST);

/// Refuses `memory` as device memory of a buffer laid out as `layout`.
pub(crate) fn check_native(memory: &wgpu::Buffer, layout: &Layout) -> Result<(), Error> {
    let need = align_up(layout.size_in_bytes()) as u64;
    let why = if !memory.usage().contains(USAGE) {
        format!("it needs the usages {USAGE:?}, not {:?}", memory.usage())
    } else if memory.size() < need {
        format!("it has {} bytes, the buffer needs {need}", memory.size())
    } else {
        return Ok(());
    };
    Err(Error::new(
        ErrorCode::DeviceWrapNativeFailed,
        Some(format!("cannot wrap this wgpu::Buffer: {why}")),
    ))
}

//! [`RawBuffer`]: the `halide_buffer_t` a pipeline sees, its dimension array,
//! and the device memory attached to it (`device_memory.rs`: what that
//! memory is to the buffer, and so what its drop does with it).
//!
//! # The dimension array's address
//!
//! Up to [`INLINE_DIMS`] dimensions are stored inline, so making a buffer or
//! a view of up to four dimensions allocates nothing; more are boxed. An
//! inline array moves with the `RawBuffer`, leaving `dim` pointing where it
//! was, so `dim` is set again whenever the C struct is handed out: by
//! [`RawBuffer::as_raw`] through `&self` with an atomic compare-exchange on
//! the field (a store only while it is stale), by `as_raw_mut` directly.
//! Every reader of the C struct gets it from one of the two, and the struct
//! cannot move while it is borrowed, so every read of `dim` sees this
//! buffer's own array. The field is stale only after a move, and a move
//! needs the buffer exclusively: the first `as_raw` afterwards stores, and
//! any other thread's then fails its compare-exchange and writes nothing, so
//! no store ever races with a reader of a struct already handed out.

mod device_memory;

use super::{Dim, ShapeError};
use crate::sys::{halide_buffer_t, halide_dimension_t};
use crate::types::{Element, Type};
use device_memory::{DeviceRole, DeviceRoot};
use std::cell::UnsafeCell;
use std::fmt;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicPtr, Ordering};

/// How many dimensions a buffer stores inline: making a buffer or view of
/// up to this many allocates nothing for its shape.
///
/// ```
/// assert_eq!(halide_runtime::INLINE_DIMS, 4);
/// ```
pub const INLINE_DIMS: usize = 4;

/// The dimension array: inline up to [`INLINE_DIMS`], on the heap beyond.
enum DimArray {
    Inline {
        len: u8,
        dims: [halide_dimension_t; INLINE_DIMS],
    },
    /// From `Box::into_raw`, freed by `drop`. Held raw, not as a `Box`:
    /// moving a `Box` asserts it is the only way to its memory, which
    /// would leave the copy of the pointer in `dim` dangling in Rust's
    /// aliasing model though its address is unchanged.
    Heap(NonNull<[halide_dimension_t]>),
}

impl Drop for DimArray {
    fn drop(&mut self) {
        if let DimArray::Heap(dims) = self {
            // SAFETY: made by Box::into_raw in `new`, freed only here.
            drop(unsafe { Box::from_raw(dims.as_ptr()) });
        }
    }
}

impl DimArray {
    #[inline]
    fn new(dims: &[Dim]) -> Self {
        let c = |d: &Dim| halide_dimension_t {
            min: d.min,
            extent: d.extent,
            stride: d.stride,
            flags: 0,
        };
        if dims.len() <= INLINE_DIMS {
            let mut inline = [c(&Dim::default()); INLINE_DIMS];
            for (slot, d) in inline.iter_mut().zip(dims) {
                *slot = c(d);
            }
            DimArray::Inline {
                len: dims.len() as u8,
                dims: inline,
            }
        } else {
            let boxed: Box<[halide_dimension_t]> = dims.iter().map(c).collect();
            DimArray::Heap(NonNull::from(Box::leak(boxed)))
        }
    }

    #[inline]
    fn as_slice(&self) -> &[halide_dimension_t] {
        match self {
            DimArray::Inline { len, dims } => &dims[..usize::from(*len)],
            // SAFETY: live until drop; written only through `&mut self`.
            DimArray::Heap(dims) => unsafe { dims.as_ref() },
        }
    }

    fn as_mut_slice(&mut self) -> &mut [halide_dimension_t] {
        match self {
            DimArray::Inline { len, dims } => &mut dims[..usize::from(*len)],
            // SAFETY: as in as_slice, and `self` is borrowed mutably.
            DimArray::Heap(dims) => unsafe { dims.as_mut() },
        }
    }

    /// What `dim` of the C struct points to while the array is where it is.
    #[inline]
    fn as_c_ptr(&self) -> *mut halide_dimension_t {
        match self {
            DimArray::Inline { .. } => self.as_slice().as_ptr().cast_mut(),
            DimArray::Heap(dims) => dims.as_ptr().cast(),
        }
    }
}

/// The `halide_buffer_t` Halide sees, with the dimension array it points to
/// (see the module's docs for how `dim` follows the array when it moves).
pub struct RawBuffer {
    /// In a cell because `as_raw` refreshes `dim` through `&self`.
    cell: UnsafeCell<halide_buffer_t>,
    dims: DimArray,
    /// What `buf.device` is to this buffer, when it is not 0.
    role: DeviceRole,
    /// For a view sharing device memory: the buffer that owns it.
    /// Boxed: only views sharing device memory have one, and a host
    /// view, made per call, stays small to move.
    root: Option<Box<DeviceRoot>>,
    /// For a writable view sharing its source's device memory: the source,
    /// which learns on drop what the view made dirty. The source is
    /// borrowed mutably for the view's whole life (see `lend_device`).
    source: Option<NonNull<halide_buffer_t>>,
    /// Whether the host memory outlives this buffer (a view's): then data
    /// left on a device this buffer owns is copied back before it is freed.
    host_outlives: bool,
}

// SAFETY: the raw pointers inside only describe memory. Nothing reachable
// through a `RawBuffer` dereferences the host pointer; the buffer types that
// do hold the elements by a `Vec<T>`, an allocation, or a `PhantomData` borrow
// beside it, so their own `Send` and `Sync` follow from how they hold the
// elements, as for `Vec<T>`, `&[T]` and `&mut [T]`. What a `RawBuffer` owns,
// its dimensions and any device allocation, it owns alone, and Halide's device
// interfaces may free a buffer from any thread, as its C++ `Buffer` does.
// The `source` pointer is written only by the drop of a view that borrows
// its source mutably, so no other thread can reach the source meanwhile.
unsafe impl Send for RawBuffer {}
// SAFETY: as above; through `&RawBuffer` only its own fields are read.
unsafe impl Sync for RawBuffer {}

impl RawBuffer {
    /// Describes elements of type `T` laid out as `dims`, with the element at
    /// the mins at `host`. Nothing is read: the caller makes the shape fit
    /// memory it holds (the module invariant).
    #[inline]
    pub(super) fn new<T: Element>(host: *const T, dims: &[Dim]) -> Self {
        let dims = DimArray::new(dims);
        let buf = halide_buffer_t {
            device: 0,
            device_interface: std::ptr::null(),
            host: host.cast::<u8>().cast_mut(),
            flags: 0,
            type_: T::TYPE.to_raw(),
            // A buffer of more than i32::MAX dimensions cannot be allocated.
            dimensions: dims.as_slice().len() as i32,
            // Set whenever the struct is handed out (see the module docs).
            dim: std::ptr::null_mut(),
            padding: std::ptr::null_mut(),
        };
        RawBuffer {
            cell: UnsafeCell::new(buf),
            dims,
            role: DeviceRole::Owned,
            root: None,
            source: None,
            host_outlives: false,
        }
    }

    /// Marks the host memory as outliving this buffer (a view's), so that
    /// data a pipeline leaves on a device this buffer owns reaches it.
    #[inline]
    pub(super) fn keep_host_current(&mut self) {
        self.host_outlives = true;
    }

    /// The C struct, for reading.
    #[inline]
    pub fn as_raw(&self) -> &halide_buffer_t {
        let want = self.dims.as_c_ptr();
        let buf = self.cell.get();
        // SAFETY: `dim` is a field of the live struct in the cell, aligned
        // for a pointer; while handed-out references to the struct may
        // exist, the field already holds `want`, so the exchange fails and
        // writes nothing (the module docs give the whole argument).
        let dim = unsafe { AtomicPtr::from_ptr(&raw mut (*buf).dim) };
        let current = dim.load(Ordering::Acquire);
        if current != want {
            let _ = dim.compare_exchange(current, want, Ordering::AcqRel, Ordering::Acquire);
        }
        // SAFETY: nothing writes the struct while this borrow of `self`
        // lasts: writers need `&mut self`, and `dim` is now current.
        unsafe { &*buf }
    }

    /// The C struct, for a pipeline to write its elements, flags and device
    /// fields (never its shape).
    #[inline]
    pub(super) fn as_raw_mut(&mut self) -> &mut halide_buffer_t {
        let want = self.dims.as_c_ptr();
        let buf = self.cell.get_mut();
        buf.dim = want;
        buf
    }

    /// Number of dimensions.
    #[inline]
    pub fn dimensions(&self) -> usize {
        self.dims.as_slice().len()
    }

    /// The shape of dimension `i`, or `None` past the last one.
    pub fn dim(&self, i: usize) -> Option<Dim> {
        self.dims
            .as_slice()
            .get(i)
            .map(|d| Dim::new(d.min, d.extent, d.stride))
    }

    /// The shape of every dimension.
    pub fn dims(&self) -> Vec<Dim> {
        (0..self.dimensions()).filter_map(|i| self.dim(i)).collect()
    }

    /// The element type.
    #[inline]
    pub fn element_type(&self) -> Type {
        Type::from_raw(self.as_raw().type_).expect("buffers are only built with valid types")
    }

    /// Number of elements the shape addresses.
    pub fn len(&self) -> usize {
        self.dims
            .as_slice()
            .iter()
            .map(|d| d.extent.max(0) as usize)
            .product()
    }

    /// Whether the shape addresses no element.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where the element at `coords` (absolute coordinates) lies, or `None`
    /// outside the shape. Nothing is read: whether the element may be read
    /// or written is for the buffer type holding this `RawBuffer` to say.
    pub(super) fn element<T: Element>(&self, coords: &[i32]) -> Option<*mut T> {
        if coords.len() != self.dimensions() {
            return None;
        }
        let mut off: i64 = 0;
        for (c, d) in coords.iter().zip(self.dims.as_slice()) {
            let i = i64::from(*c) - i64::from(d.min);
            if i < 0 || i >= i64::from(d.extent) {
                return None;
            }
            off += i * i64::from(d.stride);
        }
        let off = isize::try_from(off).ok()?;
        Some(self.as_raw().host.cast::<T>().wrapping_offset(off))
    }

    /// Checks that `coords` has one coordinate per dimension.
    pub(super) fn check_coords(&self, coords: &[i32]) -> Result<(), ShapeError> {
        if coords.len() == self.dimensions() {
            Ok(())
        } else {
            Err(ShapeError::WrongDimensions {
                expected: self.dimensions(),
                given: coords.len(),
            })
        }
    }

    /// Moves the coordinate origin: afterwards dimension `i` starts at
    /// `mins[i]`. Every coordinate moves with its element, so what the shape
    /// reaches in memory is unchanged.
    pub(super) fn set_mins(&mut self, mins: &[i32]) -> Result<(), ShapeError> {
        self.check_coords(mins)?;
        for (d, &m) in self.dims.as_mut_slice().iter_mut().zip(mins) {
            d.min = m;
        }
        // Point `dim` at the array as it is after the write.
        self.as_raw_mut();
        Ok(())
    }

    /// Gives the buffer the shape `dims`, with the element at the mins at
    /// `host`; the flags and device fields stay. Only `shape_ops` and
    /// `Buffer::clone` call this, with shapes that reach a subset of the
    /// elements the old shape reached (which keeps the module invariant),
    /// and with an unchanged element layout when there is device memory.
    pub(super) fn set_shape(&mut self, host: *mut u8, dims: &[Dim]) {
        self.dims = DimArray::new(dims);
        let buf = self.as_raw_mut();
        buf.dimensions = dims.len() as i32;
        buf.host = host;
    }
}

impl fmt::Debug for RawBuffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawBuffer")
            .field("type", &self.element_type())
            .field("dims", &self.dims())
            .field("host", &self.as_raw().host)
            .field("device", &self.as_raw().device)
            .field("flags", &self.as_raw().flags)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::halide_buffer_flags;

    #[test]
    fn elements_follow_mins_and_strides() {
        let data = [0u32; 12];
        let mut raw = RawBuffer::new(data.as_ptr(), &[Dim::new(0, 4, 1), Dim::new(0, 3, 4)]);
        assert_eq!((raw.len(), raw.dimensions()), (12, 2));
        assert_eq!(raw.element_type(), Type::uint(32));
        assert_eq!(
            raw.element::<u32>(&[3, 2]),
            Some(data.as_ptr().wrapping_add(11).cast_mut())
        );
        assert_eq!(raw.element::<u32>(&[4, 0]), None);
        assert_eq!(raw.element::<u32>(&[0]), None);
        raw.set_mins(&[-2, 5]).unwrap();
        assert_eq!(
            raw.element::<u32>(&[1, 7]),
            Some(data.as_ptr().wrapping_add(11).cast_mut())
        );
        assert_eq!(raw.element::<u32>(&[0, 0]), None);
        assert_eq!(
            raw.set_mins(&[0]),
            Err(ShapeError::WrongDimensions {
                expected: 2,
                given: 1
            })
        );
        assert_eq!(raw.dims(), [Dim::new(-2, 4, 1), Dim::new(5, 3, 4)]);
    }

    /// Reads the shape the way Halide does: through the C struct's `dim`.
    fn c_dims(buf: &halide_buffer_t) -> Vec<Dim> {
        let n = buf.dimensions as usize;
        // SAFETY: `dim` points at `dimensions` entries of the live buffer
        // the struct was borrowed from.
        let dims = unsafe { std::slice::from_raw_parts(buf.dim, n) };
        dims.iter()
            .map(|d| Dim::new(d.min, d.extent, d.stride))
            .collect()
    }

    #[test]
    fn the_c_struct_finds_its_dims_after_moves() {
        let data = [0u16; 24];
        for dims in [
            vec![Dim::new(0, 4, 1), Dim::new(1, 6, 4)],
            (0..6).map(|i| Dim::new(i, 1, 1)).collect(),
        ] {
            let raw = RawBuffer::new(data.as_ptr(), &dims);
            assert_eq!(c_dims(raw.as_raw()), dims);
            // Moved into a box, out again, and into a vector: the inline
            // array moves each time, and `dim` follows it.
            let boxed = Box::new(raw);
            assert_eq!(c_dims(boxed.as_raw()), dims);
            let mut moved = vec![*boxed];
            assert_eq!(c_dims(moved[0].as_raw_mut()), dims);
            let mut raw = moved.pop().unwrap();
            raw.set_shape(data.as_ptr().cast_mut().cast(), &dims[..1]);
            assert_eq!(c_dims(raw.as_raw()), dims[..1]);
        }
    }

    #[test]
    fn views_stay_small_to_move() {
        // The C struct, four inline dimensions and a few words: what a view
        // made and returned per call copies.
        assert!(size_of::<RawBuffer>() <= 152, "{}", size_of::<RawBuffer>());
    }

    #[test]
    fn threads_sharing_a_moved_buffer_read_the_same_dims() {
        let data = [0u8; 8];
        let dims = [Dim::new(0, 2, 1), Dim::new(0, 4, 2)];
        let raw = Box::new(RawBuffer::new(data.as_ptr(), &dims));
        let raw = *raw;
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| assert_eq!(c_dims(raw.as_raw()), dims));
            }
        });
    }

    #[test]
    fn negative_strides_reach_backwards() {
        let data = [0i8; 6];
        let end = data.as_ptr().wrapping_add(5);
        let raw = RawBuffer::new(end, &[Dim::new(0, 3, -2)]);
        assert_eq!(
            raw.element::<i8>(&[2]),
            Some(data.as_ptr().wrapping_add(1).cast_mut())
        );
    }

    #[test]
    fn host_only_buffers_need_no_device() {
        let data = [0u8; 1];
        let mut raw = RawBuffer::new(data.as_ptr(), &[]);
        assert!(!raw.host_dirty() && !raw.device_dirty());
        assert!(raw.copy_to_host().is_ok());
        raw.as_raw_mut().flags = u64::from(halide_buffer_flags::halide_buffer_flag_device_dirty.0);
        assert!(
            raw.copy_to_host().is_err(),
            "dirty on a device, but no interface"
        );
        assert!(format!("{raw:?}").contains("RawBuffer"));
    }
}

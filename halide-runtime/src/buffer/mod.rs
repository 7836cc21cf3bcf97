//! Buffers Halide can read and write: owned ([`Buffer`]) and borrowed from
//! slices ([`BufferRef`], [`BufferMut`]).
//!
//! All three keep one invariant, established when they are built and never
//! changed by safe code: every element addressable through the shape lies
//! inside memory the buffer owns or borrows for its lifetime. That is what
//! makes element access safe, and what lets a pipeline be handed the raw
//! `halide_buffer_t` for the duration of a call.
//!
//! Each kind is a [`RawBuffer`] (`raw.rs`) plus what it holds the memory by:
//! owned storage (`owned.rs`) or a borrow (`view.rs`). The traits here give
//! all of them the same element access.
//!
//! Beyond that, as in Halide's C++ `Buffer`: [`HalideBufferExt`] gives
//! geometry, views of a new shape over the same memory (crop, slice,
//! translate, transpose, embed) and whole-buffer reads; [`HalideBufferMutExt`]
//! their writable counterparts, `fill` and `copy_from`; [`for_each_value2`]
//! and its siblings walk several buffers in lockstep. The shape transforms
//! (`shape_ops.rs`) only ever reach a subset of the elements their source
//! reached, so views borrow their source and in-place changes
//! (`in_place.rs`) keep the invariant. Views share device memory too: a
//! crop or slice gets the runtime's crop of it, a relabeling the memory
//! itself, and a writable view tells its source on drop what it made dirty
//! (`raw.rs` holds the rules). Operations that read or write every element
//! refuse a buffer whose current data is on a device
//! ([`ShapeError::DeviceDirty`]).

mod construct;
mod ext;
mod ext_mut;
mod in_place;
mod iterate;
mod owned;
mod raw;
mod shape_error;
mod shape_ops;
mod view;

#[cfg(feature = "image")]
pub(crate) use construct::interleaved_dims;
pub use ext::HalideBufferExt;
pub use ext_mut::{HalideBufferMutExt, for_each_value2, for_each_value3, for_each_value4};
pub use owned::{ALIGNMENT, Buffer};
pub use raw::{INLINE_DIMS, RawBuffer};
pub use shape_error::ShapeError;
pub use view::{BufferMut, BufferRef};

use crate::device::DeviceInterface;
use crate::error::{Error, ErrorCode};
use crate::sys::halide_buffer_t;
use crate::types::{Element, Type};

/// The shape of one dimension: its first coordinate, its size, and the
/// distance in elements between neighbours along it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Dim {
    /// The smallest coordinate.
    pub min: i32,
    /// The number of coordinates.
    pub extent: i32,
    /// Elements between coordinate `i` and `i + 1` (may be 0 or negative).
    pub stride: i32,
}

impl Dim {
    /// A dimension with min, extent and stride.
    pub const fn new(min: i32, extent: i32, stride: i32) -> Self {
        Dim {
            min,
            extent,
            stride,
        }
    }

    /// The largest coordinate, `min + extent - 1` (C++'s `dim.max()`):
    /// `min - 1` for an empty dimension. (For a buffer Halide accepts it
    /// fits in an `i32`; other values wrap rather than panic.)
    ///
    /// ```
    /// use halide_runtime::Dim;
    /// assert_eq!(Dim::new(-2, 5, 1).max(), 2);
    /// ```
    pub const fn max(&self) -> i32 {
        self.min.wrapping_add(self.extent).wrapping_sub(1)
    }
}

/// Dense strides for `shape`, dimension 0 innermost (Halide's convention).
fn dense_dims(shape: &[i32]) -> Result<Vec<Dim>, ShapeError> {
    let mut stride: i32 = 1;
    let mut dims = Vec::with_capacity(shape.len());
    for (d, &extent) in shape.iter().enumerate() {
        if extent < 0 {
            return Err(ShapeError::NegativeExtent { dim: d, extent });
        }
        dims.push(Dim::new(0, extent, stride));
        stride = stride
            .checked_mul(extent.max(1))
            .ok_or(ShapeError::TooLarge)?;
    }
    Ok(dims)
}

/// The seal on [`HalideBuffer`] and [`HalideBufferMut`].
///
/// Element access through the traits is safe only because of the invariant
/// above, which only this module's buffer types keep. Were the traits open,
/// an outside type could hand out another buffer's `RawBuffer` from `raw()`
/// under a larger `Elem`, so that `get` reads past the memory, or implement
/// `HalideBufferMut` over memory it only borrows shared, so that `set`
/// writes through a shared borrow. `Sealed` is public in a private module:
/// outside crates cannot name it, so they cannot implement the traits.
///
/// `Token` closes the other door. `raw_mut` has to be a trait method (the
/// provided methods of `HalideBufferMut` need it, whatever the buffer kind),
/// so it is public; but `&mut RawBuffer` in safe outside code would let it
/// `mem::swap` the `RawBuffer`s of two buffers, leaving each describing the
/// other's memory, which dangles once the other is dropped. Only this
/// module can make a `Token`, so only it can call `raw_mut`.
mod sealed {
    /// Implemented by this module's buffer types only.
    pub trait Sealed {}

    /// Proof of being inside this module, required by `raw_mut`.
    pub struct Token(pub(super) ());
}

/// Implements the sealed buffer traits and `Debug` for a buffer type made of
/// a `raw: RawBuffer` field over elements `T`: `buffer_traits!(Buffer)` or
/// `buffer_traits!(BufferRef<'_>)`, and with `, mut` for a type whose memory
/// is its own to write (owned, or borrowed exclusively).
macro_rules! buffer_traits {
    ($name:ident $(<$lt:lifetime>)?) => {
        impl<T: $crate::types::Element> $crate::buffer::sealed::Sealed for $name<$($lt,)? T> {}

        impl<T: $crate::types::Element> $crate::buffer::HalideBuffer for $name<$($lt,)? T> {
            type Elem = T;
            fn raw(&self) -> &$crate::buffer::RawBuffer {
                &self.raw
            }
        }

        impl<T: $crate::types::Element> ::std::fmt::Debug for $name<$($lt,)? T> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("raw", &self.raw)
                    .finish()
            }
        }
    };
    ($name:ident $(<$lt:lifetime>)?, mut) => {
        $crate::buffer::buffer_traits!($name $(<$lt>)?);

        impl<T: $crate::types::Element> $crate::buffer::HalideBufferMut for $name<$($lt,)? T> {
            fn raw_mut(
                &mut self,
                _: $crate::buffer::sealed::Token,
            ) -> &mut $crate::buffer::RawBuffer {
                &mut self.raw
            }
        }
    };
}
use buffer_traits;

/// Read access shared by every buffer kind.
pub trait HalideBuffer: sealed::Sealed {
    /// The element type.
    type Elem: Element;

    /// The underlying `halide_buffer_t` and its shape.
    fn raw(&self) -> &RawBuffer;

    /// The Halide type of the elements: `Self::Elem`'s.
    ///
    /// ```
    /// use halide_runtime::{Buffer, BufferRef, HalideBuffer, Type};
    /// let b = Buffer::<u16>::new(&[4, 3]).unwrap();
    /// assert_eq!(b.element_type(), Type::uint(16));
    /// let data = [0.5f32; 4];
    /// let v = BufferRef::new(&data, &[2, 2]).unwrap();
    /// assert_eq!(v.element_type(), Type::float(32));
    /// ```
    fn element_type(&self) -> Type {
        Self::Elem::TYPE
    }

    /// Number of dimensions.
    fn dimensions(&self) -> usize {
        self.raw().dimensions()
    }

    /// The shape of dimension `i`.
    fn dim(&self, i: usize) -> Option<Dim> {
        self.raw().dim(i)
    }

    /// The shape of every dimension (min, extent, stride), dimension 0 first.
    ///
    /// ```
    /// use halide_runtime::{Buffer, Dim, HalideBuffer};
    /// let mut b = Buffer::<u8>::new(&[4, 3]).unwrap();
    /// assert_eq!(b.dims(), [Dim::new(0, 4, 1), Dim::new(0, 3, 4)]);
    /// b.set_min(&[10, -1]).unwrap();
    /// assert_eq!(b.dims(), [Dim::new(10, 4, 1), Dim::new(-1, 3, 4)]);
    /// ```
    fn dims(&self) -> Vec<Dim> {
        self.raw().dims()
    }

    /// The extents of all dimensions, dimension 0 first.
    fn shape(&self) -> Vec<i32> {
        self.dims().iter().map(|d| d.extent).collect()
    }

    /// Number of elements.
    fn len(&self) -> usize {
        self.raw().len()
    }

    /// Whether the buffer has no element.
    fn is_empty(&self) -> bool {
        self.raw().is_empty()
    }

    /// The element at `coords` (absolute coordinates, honouring the mins),
    /// or `None` outside the buffer.
    fn get(&self, coords: &[i32]) -> Option<Self::Elem> {
        let element = self.raw().element::<Self::Elem>(coords)?;
        // SAFETY: `element` is inside the shape, so by the module invariant it
        // is an initialised element of memory this buffer owns or borrows,
        // live for as long as `self` is borrowed.
        Some(unsafe { element.read() })
    }

    /// Whether the host copy is newer than the device copy.
    fn host_dirty(&self) -> bool {
        self.raw().host_dirty()
    }

    /// Whether a pipeline left newer data on a device than on the host:
    /// element reads see the old host data until
    /// [`copy_to_host`](HalideBufferMut::copy_to_host).
    fn device_dirty(&self) -> bool {
        self.raw().device_dirty()
    }

    /// Whether the buffer owns device memory a pipeline attached to it.
    fn has_device_allocation(&self) -> bool {
        self.raw().has_device_allocation()
    }

    /// A pointer to the `halide_buffer_t`, valid while `self` is borrowed,
    /// for passing to Halide as an input.
    fn as_raw_ptr(&self) -> *const halide_buffer_t {
        self.raw().as_raw()
    }
}

/// Write access: buffers a pipeline may use as an output.
pub trait HalideBufferMut: HalideBuffer {
    /// The underlying buffer, mutably. Only this module can call it (see
    /// `Token`): safe code outside must not change what the invariant covers.
    #[doc(hidden)]
    fn raw_mut(&mut self, token: sealed::Token) -> &mut RawBuffer;

    /// Stores `value` at `coords`.
    fn set(&mut self, coords: &[i32], value: Self::Elem) -> Result<(), ShapeError> {
        let raw = self.raw();
        raw.check_coords(coords)?;
        let element = raw
            .element::<Self::Elem>(coords)
            .ok_or(ShapeError::OutOfBounds {
                lowest: 0,
                highest: raw.len() as i64 - 1,
                len: raw.len(),
            })?;
        // SAFETY: as in `get`, `element` lies in this buffer's memory. Only
        // buffers that own their memory or borrow it exclusively implement
        // this trait, and `&mut self` keeps every other access out meanwhile.
        unsafe { element.write(value) };
        self.raw_mut(sealed::Token(())).set_host_dirty();
        Ok(())
    }

    /// A pointer to the `halide_buffer_t`, valid while `self` is mutably
    /// borrowed, for passing to Halide as an output. Halide may write the
    /// elements and the flag and device fields, never the shape.
    fn as_raw_mut_ptr(&mut self) -> *mut halide_buffer_t {
        self.raw_mut(sealed::Token(())).as_raw_mut()
    }

    /// Copies the data back from the device when a pipeline left it there.
    fn copy_to_host(&mut self) -> Result<(), Error> {
        self.raw_mut(sealed::Token(())).copy_to_host()
    }

    /// Copies the data to the device `iface` drives (allocating there
    /// first), so that pipelines for that device read it without a copy;
    /// the buffer owns the allocation and frees it on drop. Refused when
    /// the buffer has memory on another device.
    fn copy_to_device(&mut self, iface: DeviceInterface) -> Result<(), Error> {
        self.raw_mut(sealed::Token(())).copy_to_device(iface)
    }

    /// Waits for device work on this buffer to finish.
    fn device_sync(&mut self) -> Result<(), Error> {
        self.raw_mut(sealed::Token(())).device_sync()
    }

    /// Frees the buffer's device memory now rather than on drop; refused
    /// while the device holds the only current copy of the data.
    fn device_free(&mut self) -> Result<(), Error> {
        self.raw_mut(sealed::Token(())).device_free()
    }

    /// Records that the host copy changed through a path other than this
    /// crate's element writes (a raw pointer, C code), so that a pipeline
    /// reading the buffer on a device copies it there again. Refused while
    /// the device holds newer data, which the change would conflict with.
    fn set_host_dirty(&mut self) -> Result<(), Error> {
        if self.device_dirty() {
            return Err(Error::new(ErrorCode::HostAndDeviceDirty, None));
        }
        self.raw_mut(sealed::Token(())).set_host_dirty();
        Ok(())
    }

    /// Records that code outside Halide changed the device copy, so that
    /// [`copy_to_host`](Self::copy_to_host) brings it back.
    fn set_device_dirty(&mut self) -> Result<(), Error> {
        self.raw_mut(sealed::Token(())).set_device_dirty()
    }

    /// Allocates memory for the buffer on the device `iface` drives without
    /// copying anything there (for a pipeline output, or for code outside
    /// Halide to fill); the buffer owns it and frees it on drop.
    fn device_malloc(&mut self, iface: DeviceInterface) -> Result<(), Error> {
        self.raw_mut(sealed::Token(())).device_malloc(iface)
    }

    /// Makes `handle`, memory the caller allocated with the device API
    /// `iface` drives, this buffer's device memory: a `CUdeviceptr` for
    /// CUDA, a `cl_mem` for OpenCL, for Vulkan the handle Halide's
    /// `halide_vulkan_get_vk_buffer` returns. Pipelines then read and write
    /// it in place. The buffer never frees it: drop, or
    /// [`device_detach_native`](Self::device_detach_native), gives it back.
    ///
    /// # Safety
    /// `handle` is a live allocation of that API, in the context the
    /// runtime behind `iface` uses, of at least this buffer's size in
    /// bytes (as laid out by its strides), and stays so until detached.
    unsafe fn device_wrap_native(
        &mut self,
        iface: DeviceInterface,
        handle: u64,
    ) -> Result<(), Error> {
        // SAFETY: the caller's contract.
        unsafe {
            self.raw_mut(sealed::Token(()))
                .device_wrap_native(iface, handle)
        }
    }

    /// Gives back the memory [`device_wrap_native`](Self::device_wrap_native)
    /// wrapped, leaving the buffer without device memory; refused for
    /// device memory the buffer did not get that way.
    fn device_detach_native(&mut self) -> Result<(), Error> {
        self.raw_mut(sealed::Token(())).device_detach_native()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_dims_put_dimension_0_innermost() {
        assert_eq!(
            dense_dims(&[3, 0, 2]).unwrap(),
            [Dim::new(0, 3, 1), Dim::new(0, 0, 3), Dim::new(0, 2, 3)]
        );
        assert_eq!(dense_dims(&[]).unwrap(), []);
    }

    #[test]
    fn dense_dims_reject_bad_shapes() {
        assert_eq!(
            dense_dims(&[2, -1]).unwrap_err(),
            ShapeError::NegativeExtent { dim: 1, extent: -1 }
        );
        assert_eq!(
            Buffer::<u8>::new(&[2, -1]).unwrap_err(),
            ShapeError::NegativeExtent { dim: 1, extent: -1 }
        );
        assert_eq!(
            dense_dims(&[1 << 16, 1 << 16]).unwrap_err(),
            ShapeError::TooLarge
        );
    }

    /// The provided methods answer alike for every kind of buffer.
    #[test]
    fn every_kind_reports_type_and_dims() {
        fn check(b: &impl HalideBuffer, ty: Type, dims: &[Dim]) {
            assert_eq!(b.element_type(), ty);
            assert_eq!(b.element_type(), b.raw().element_type());
            assert_eq!(b.dims(), dims);
            assert_eq!(b.dimensions(), dims.len());
            assert_eq!(b.dim(1), dims.get(1).copied());
            assert_eq!(b.shape(), dims.iter().map(|d| d.extent).collect::<Vec<_>>());
        }
        let dims = [Dim::new(0, 3, 1), Dim::new(0, 2, 3)];
        check(&Buffer::<i16>::new(&[3, 2]).unwrap(), Type::int(16), &dims);
        let data = [0f64; 6];
        check(
            &BufferRef::new(&data, &[3, 2]).unwrap(),
            Type::float(64),
            &dims,
        );
        let mut data = [false; 6];
        check(
            &BufferMut::new(&mut data, &[3, 2]).unwrap(),
            Type::bool(),
            &dims,
        );
    }

    #[test]
    fn every_kind_is_send_and_sync() {
        fn send_sync<B: Send + Sync>() {}
        fn check<T: Element>() {
            send_sync::<Buffer<T>>();
            send_sync::<BufferRef<'_, T>>();
            send_sync::<BufferMut<'_, T>>();
        }
        check::<u8>();
    }

    #[test]
    fn errors_display() {
        let e = ShapeError::WrongDimensions {
            expected: 2,
            given: 3,
        };
        assert_eq!(
            e.to_string(),
            "3 coordinates given for a 2-dimensional buffer"
        );
    }
}

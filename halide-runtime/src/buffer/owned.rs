//! [`Buffer`]: a buffer that owns its elements, in an aligned allocation of
//! its own or in a `Vec` it adopted.

use super::{
    BufferMut, BufferRef, HalideBuffer, HalideBufferExt, HalideBufferMutExt, RawBuffer, ShapeError,
    buffer_traits, dense_dims,
};
use crate::types::Element;
use std::alloc::{self, Layout};
use std::ptr::NonNull;

/// Alignment of memory allocated by [`Buffer`]; the same as HalideBuffer.h's,
/// enough for any vector width Halide generates.
pub const ALIGNMENT: usize = 128;

/// A buffer that owns its memory: zero-initialised, 128-byte aligned, dense,
/// dimension 0 innermost.
///
/// ```
/// use halide_runtime::{Buffer, HalideBuffer, HalideBufferMut};
/// let mut b = Buffer::<u16>::new(&[4, 3]).unwrap();
/// b.set(&[3, 2], 7).unwrap();
/// assert_eq!(b.get(&[3, 2]), Some(7));
/// assert_eq!(b.as_slice()[2 * 4 + 3], 7);
/// assert_eq!(b.shape(), vec![4, 3]);
/// ```
pub struct Buffer<T: Element> {
    pub(super) raw: RawBuffer,
    storage: Storage<T>,
}

buffer_traits!(Buffer, mut);

/// Where an owned buffer's elements live.
enum Storage<T> {
    /// Allocated by [`Buffer::new`]: zeroed, [`ALIGNMENT`]-aligned. Held
    /// only to be freed: the elements are reached through the host pointer.
    Aligned { _alloc: AlignedAlloc },
    /// Adopted from the caller by [`Buffer::from_vec`], returned by
    /// [`Buffer::into_vec`] without a copy.
    Vec(Vec<T>),
}

/// A zeroed allocation of [`ALIGNMENT`], freed on drop.
struct AlignedAlloc {
    data: NonNull<u8>,
    layout: Layout,
}

// SAFETY: an `AlignedAlloc` is the sole owner of its bytes, like a
// `Box<[u8]>`, and never reads or writes them itself: its `Buffer` reaches
// them through the host pointer, under `Buffer`'s own `&`/`&mut` rules.
unsafe impl Send for AlignedAlloc {}
// SAFETY: as above; a shared `AlignedAlloc` gives no access to its bytes.
unsafe impl Sync for AlignedAlloc {}

impl AlignedAlloc {
    /// `bytes` zeroed bytes (at least one: allocations are never zero-sized).
    fn zeroed(bytes: usize) -> Result<Self, ShapeError> {
        let layout =
            Layout::from_size_align(bytes.max(1), ALIGNMENT).map_err(|_| ShapeError::TooLarge)?;
        // SAFETY: `layout` has a non-zero size, as `alloc_zeroed` requires.
        let ptr = unsafe { alloc::alloc_zeroed(layout) };
        let Some(data) = NonNull::new(ptr) else {
            alloc::handle_alloc_error(layout)
        };
        Ok(AlignedAlloc { data, layout })
    }
}

impl Drop for AlignedAlloc {
    fn drop(&mut self) {
        // SAFETY: `data` was allocated in `zeroed` with exactly this layout,
        // and is freed only here. `RawBuffer`'s drop never touches host memory.
        unsafe { alloc::dealloc(self.data.as_ptr(), self.layout) };
    }
}

impl<T: Element> Buffer<T> {
    /// A zero-filled buffer of the given extents, all mins 0.
    pub fn new(shape: &[i32]) -> Result<Self, ShapeError> {
        let dims = dense_dims(shape)?;
        let count: usize = shape.iter().map(|&e| e as usize).product();
        let bytes = count
            .checked_mul(T::TYPE.bytes())
            .ok_or(ShapeError::TooLarge)?;
        let alloc = AlignedAlloc::zeroed(bytes)?;
        let raw = RawBuffer::new(alloc.data.as_ptr().cast::<T>(), &dims);
        Ok(Buffer {
            raw,
            storage: Storage::Aligned { _alloc: alloc },
        })
    }

    /// A dense buffer of the given extents that takes over `data` without
    /// copying it: `data[0]` is the element at the mins, dimension 0 innermost.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer};
    /// let b = Buffer::from_vec(vec![1u8, 2, 3, 4, 5, 6], &[3, 2]).unwrap();
    /// assert_eq!(b.get(&[0, 1]), Some(4));
    /// assert_eq!(b.into_vec(), vec![1, 2, 3, 4, 5, 6]);
    /// ```
    pub fn from_vec(mut data: Vec<T>, shape: &[i32]) -> Result<Self, ShapeError> {
        let dims = dense_dims(shape)?;
        let count: usize = shape.iter().map(|&e| e as usize).product();
        if count != data.len() {
            return Err(ShapeError::OutOfBounds {
                lowest: 0,
                highest: count as i64 - 1,
                len: data.len(),
            });
        }
        let raw = RawBuffer::new(data.as_mut_ptr(), &dims);
        Ok(Buffer {
            raw,
            storage: Storage::Vec(data),
        })
    }

    /// The elements in memory order as a `Vec`: without a copy for a buffer
    /// made by [`from_vec`](Self::from_vec), with one otherwise (memory
    /// allocated with 128-byte alignment cannot become a `Vec`).
    pub fn into_vec(mut self) -> Vec<T> {
        match std::mem::replace(&mut self.storage, Storage::Vec(Vec::new())) {
            // The RawBuffer still points into v, but is dropped with self
            // without being dereferenced.
            Storage::Vec(v) => v,
            aligned => {
                self.storage = aligned;
                self.as_slice().to_vec()
            }
        }
    }

    /// Whether the buffer holds a `Vec` it adopted ([`from_vec`](Self::from_vec)),
    /// which [`into_vec`](Self::into_vec) then gives back without a copy.
    /// The `Vec` starts at the host pointer: owned buffers relabel their
    /// elements, never crop them.
    #[cfg(feature = "image")]
    pub(crate) fn owns_vec(&self) -> bool {
        matches!(self.storage, Storage::Vec(_))
    }

    fn data_ptr(&self) -> *mut T {
        self.raw.as_raw().host.cast()
    }

    /// A buffer whose element at each coordinate is `f(coords)`.
    ///
    /// ```
    /// use halide_runtime::{Buffer, HalideBuffer};
    /// let b = Buffer::<i32>::from_fn(&[3, 2], |c| c[0] + 10 * c[1]).unwrap();
    /// assert_eq!(b.get(&[2, 1]), Some(12));
    /// ```
    pub fn from_fn(shape: &[i32], mut f: impl FnMut(&[i32]) -> T) -> Result<Self, ShapeError> {
        let mut buf = Self::new(shape)?;
        let mut coords = vec![0i32; shape.len()];
        for value in buf.as_mut_slice() {
            *value = f(&coords);
            for (c, &extent) in coords.iter_mut().zip(shape) {
                *c += 1;
                if *c < extent {
                    break;
                }
                *c = 0;
            }
        }
        Ok(buf)
    }

    /// The elements in memory order (dimension 0 fastest).
    pub fn as_slice(&self) -> &[T] {
        // SAFETY: the storage holds len() elements densely from the host
        // pointer, which never moves; all are initialised (zeroed, which is
        // valid for every Element, or adopted from a Vec) and only ever
        // written with valid T. `&self` keeps writers out for the borrow.
        unsafe { std::slice::from_raw_parts(self.data_ptr(), self.raw.len()) }
    }

    /// The elements in memory order, mutably.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        self.raw.set_host_dirty();
        // SAFETY: as in as_slice, and `&mut self` makes the borrow exclusive.
        unsafe { std::slice::from_raw_parts_mut(self.data_ptr(), self.raw.len()) }
    }

    /// Moves the buffer's coordinate origin: afterwards dimension `i` starts
    /// at `mins[i]`. The data does not move.
    pub fn set_min(&mut self, mins: &[i32]) -> Result<(), ShapeError> {
        self.raw.set_mins(mins)
    }

    /// A read-only borrowed view of this buffer, sharing its device memory.
    pub fn view(&self) -> BufferRef<'_, T> {
        self.translated_all(&vec![0; self.dimensions()])
            .expect("translating by zero fits, and shares device memory as it is")
    }

    /// A mutable borrowed view of this buffer, sharing its device memory.
    pub fn view_mut(&mut self) -> BufferMut<'_, T> {
        let zeros = vec![0; self.dimensions()];
        self.translated_all_mut(&zeros)
            .expect("translating by zero fits, and shares device memory as it is")
    }
}

impl<T: Element> Clone for Buffer<T> {
    /// A deep copy of the host data and shape, strides included (not of
    /// device memory): an interleaved or transposed buffer stays so.
    fn clone(&self) -> Self {
        let elements = self.as_slice();
        // The storage was made for a dense shape, whose size fits an i32.
        let len = i32::try_from(elements.len()).expect("a buffer's size fits an i32");
        let mut copy = Self::new(&[len]).expect("the size was valid for self");
        copy.as_mut_slice().copy_from_slice(elements);
        // Self's dims, over as many elements from the host pointer as self
        // has, reach the same offsets as in self: inside the copy.
        let host = copy.raw.as_raw().host;
        copy.raw.set_shape(host, &self.dims());
        copy
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::{Dim, HalideBufferMut};

    #[test]
    fn owned_is_aligned_and_dense() {
        let b = Buffer::<u8>::new(&[3, 5, 2]).unwrap();
        assert_eq!(b.as_raw_ptr().cast::<u8>() as usize % 8, 0);
        assert_eq!(b.raw().as_raw().host as usize % ALIGNMENT, 0);
        assert_eq!(
            b.dims(),
            vec![Dim::new(0, 3, 1), Dim::new(0, 5, 3), Dim::new(0, 2, 15)]
        );
        assert_eq!(b.len(), 30);
        assert!(b.as_slice().iter().all(|&v| v == 0));
    }

    #[test]
    fn zero_sized_and_zero_dimensional() {
        let empty = Buffer::<f32>::new(&[0, 4]).unwrap();
        assert!(empty.is_empty());
        assert_eq!(empty.get(&[0, 0]), None);
        assert!(empty.view().is_empty());
        let scalar = Buffer::<i64>::from_fn(&[], |_| 42).unwrap();
        assert_eq!(scalar.len(), 1);
        assert_eq!(scalar.get(&[]), Some(42));
    }

    #[test]
    fn mins_shift_coordinates() {
        let mut b = Buffer::<i32>::from_fn(&[4, 2], |c| c[0] + 100 * c[1]).unwrap();
        b.set_min(&[10, -1]).unwrap();
        assert_eq!(b.get(&[10, -1]), Some(0));
        assert_eq!(b.get(&[13, 0]), Some(103));
        assert_eq!(b.get(&[0, 0]), None);
        let c = b.clone();
        assert_eq!(c.get(&[13, 0]), Some(103));
    }

    #[test]
    fn vec_storage_round_trips_without_copy() {
        let v: Vec<u32> = (0..12).collect();
        let ptr = v.as_ptr();
        let mut b = Buffer::from_vec(v, &[4, 3]).unwrap();
        assert_eq!(b.get(&[1, 2]), Some(9));
        b.set(&[1, 2], 90).unwrap();
        assert_eq!(b.raw().as_raw().host.cast::<u32>().cast_const(), ptr);
        let back = b.into_vec();
        assert_eq!(back.as_ptr(), ptr);
        assert_eq!(back[9], 90);
        assert!(Buffer::from_vec(vec![0u8; 5], &[2, 3]).is_err());
    }

    #[test]
    fn aligned_storage_into_vec_copies() {
        let b = Buffer::<i16>::from_fn(&[3], |c| c[0] as i16 * 2).unwrap();
        assert_eq!(b.into_vec(), vec![0, 2, 4]);
        let c = Buffer::<i16>::from_vec(vec![1, 2], &[2]).unwrap().clone();
        assert_eq!(c.into_vec(), vec![1, 2]);
    }

    #[test]
    fn views_of_owned_share_memory() {
        let mut b = Buffer::<f64>::new(&[2, 2]).unwrap();
        b.set_min(&[5, 0]).unwrap();
        b.view_mut().set(&[6, 0], 2.5).unwrap();
        assert_eq!(b.view().get(&[6, 0]), Some(2.5));
        assert_eq!(b.view().dims(), b.dims());
        assert_eq!(b.as_slice()[1], 2.5);
    }
}

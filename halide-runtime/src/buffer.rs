//! Buffers Halide can read and write: owned ([`Buffer`]) and borrowed from
//! slices ([`BufferRef`], [`BufferMut`]).
//!
//! All three keep one invariant, established when they are built and never
//! changed by safe code: every element addressable through the shape lies
//! inside memory the buffer owns or borrows for its lifetime. That is what
//! makes element access safe, and what lets a pipeline be handed the raw
//! `halide_buffer_t` for the duration of a call.

use crate::error::{Error, ErrorCode};
use crate::sys::{halide_buffer_flags, halide_buffer_t, halide_dimension_t};
use crate::types::{Element, Type};
use std::alloc::{self, Layout};
use std::fmt;
use std::marker::PhantomData;
use std::ptr::NonNull;

/// Alignment of memory allocated by [`Buffer`]; the same as HalideBuffer.h's,
/// enough for any vector width Halide generates.
pub const ALIGNMENT: usize = 128;

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
}

/// Why a buffer could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeError {
    /// An extent was negative.
    NegativeExtent {
        /// Which dimension.
        dim: usize,
        /// Its extent.
        extent: i32,
    },
    /// The shape addresses elements outside the memory given.
    OutOfBounds {
        /// Lowest element offset the shape reaches, relative to the start of the slice.
        lowest: i64,
        /// Highest element offset the shape reaches.
        highest: i64,
        /// Elements available.
        len: usize,
    },
    /// The element count or byte size overflows.
    TooLarge,
    /// A coordinate list had the wrong length.
    WrongDimensions {
        /// Dimensions the buffer has.
        expected: usize,
        /// Coordinates given.
        given: usize,
    },
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShapeError::NegativeExtent { dim, extent } => {
                write!(f, "dimension {dim} has negative extent {extent}")
            }
            ShapeError::OutOfBounds {
                lowest,
                highest,
                len,
            } => write!(
                f,
                "the shape reaches elements {lowest}..={highest}, but the slice holds {len} elements"
            ),
            ShapeError::TooLarge => f.write_str("the buffer's size overflows"),
            ShapeError::WrongDimensions { expected, given } => {
                write!(
                    f,
                    "{given} coordinates given for a {expected}-dimensional buffer"
                )
            }
        }
    }
}

impl std::error::Error for ShapeError {}

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

/// The lowest and highest element offsets (relative to the host pointer)
/// that `dims` can address, or `None` when some extent is zero.
fn reach(dims: &[Dim]) -> Result<Option<(i64, i64)>, ShapeError> {
    let (mut lo, mut hi) = (0i64, 0i64);
    for (d, dim) in dims.iter().enumerate() {
        if dim.extent < 0 {
            return Err(ShapeError::NegativeExtent {
                dim: d,
                extent: dim.extent,
            });
        }
        if dim.extent == 0 {
            return Ok(None);
        }
        let span = i64::from(dim.stride) * i64::from(dim.extent - 1);
        if span >= 0 {
            hi += span;
        } else {
            lo += span;
        }
    }
    Ok(Some((lo, hi)))
}

/// The `halide_buffer_t` Halide sees, with the dimension array it points to.
///
/// The array is boxed, so its address survives moves of the `RawBuffer`; the
/// `halide_buffer_t` itself is only handed out by pointer for the duration of
/// a borrow, so its own address needs no such care.
pub struct RawBuffer {
    buf: halide_buffer_t,
    dims: Box<[halide_dimension_t]>,
}

impl RawBuffer {
    /// Builds the C struct. `host` points at the element at the mins.
    fn new(ty: Type, host: *mut u8, dims: &[Dim]) -> Self {
        let mut dims: Box<[halide_dimension_t]> = dims
            .iter()
            .map(|d| halide_dimension_t {
                min: d.min,
                extent: d.extent,
                stride: d.stride,
                flags: 0,
            })
            .collect();
        let buf = halide_buffer_t {
            device: 0,
            device_interface: std::ptr::null(),
            host,
            flags: 0,
            type_: ty.to_raw(),
            // A buffer of more than i32::MAX dimensions cannot be allocated.
            dimensions: dims.len() as i32,
            dim: dims.as_mut_ptr(),
            padding: std::ptr::null_mut(),
        };
        RawBuffer { buf, dims }
    }

    /// The C struct, for reading.
    pub fn as_raw(&self) -> &halide_buffer_t {
        &self.buf
    }

    /// Number of dimensions.
    pub fn dimensions(&self) -> usize {
        self.dims.len()
    }

    /// The shape of dimension `i`, or `None` past the last one.
    pub fn dim(&self, i: usize) -> Option<Dim> {
        self.dims
            .get(i)
            .map(|d| Dim::new(d.min, d.extent, d.stride))
    }

    /// The shape of every dimension.
    pub fn dims(&self) -> Vec<Dim> {
        (0..self.dimensions()).filter_map(|i| self.dim(i)).collect()
    }

    /// The element type.
    pub fn element_type(&self) -> Type {
        Type::from_raw(self.buf.type_).expect("buffers are only built with valid types")
    }

    /// Number of elements the shape addresses.
    pub fn len(&self) -> usize {
        self.dims.iter().map(|d| d.extent.max(0) as usize).product()
    }

    /// Whether the shape addresses no element.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Offset in elements of `coords` from the host pointer, `None` outside the shape.
    fn offset(&self, coords: &[i32]) -> Option<isize> {
        if coords.len() != self.dims.len() {
            return None;
        }
        let mut off: i64 = 0;
        for (c, d) in coords.iter().zip(self.dims.iter()) {
            let i = i64::from(*c) - i64::from(d.min);
            if i < 0 || i >= i64::from(d.extent) {
                return None;
            }
            off += i * i64::from(d.stride);
        }
        isize::try_from(off).ok()
    }

    fn check_coords(&self, coords: &[i32]) -> Result<(), ShapeError> {
        if coords.len() == self.dims.len() {
            Ok(())
        } else {
            Err(ShapeError::WrongDimensions {
                expected: self.dims.len(),
                given: coords.len(),
            })
        }
    }

    fn flag(&self, flag: halide_buffer_flags) -> bool {
        self.buf.flags & u64::from(flag.0) != 0
    }

    /// Whether the host copy is newer than the device copy.
    pub fn host_dirty(&self) -> bool {
        self.flag(halide_buffer_flags::halide_buffer_flag_host_dirty)
    }

    /// Whether the device copy is newer than the host copy.
    pub fn device_dirty(&self) -> bool {
        self.flag(halide_buffer_flags::halide_buffer_flag_device_dirty)
    }

    /// Brings the host copy up to date when a pipeline left the data on a device.
    fn copy_to_host(&mut self) -> Result<(), Error> {
        if !self.device_dirty() {
            return Ok(());
        }
        // SAFETY: a device-dirty buffer carries the interface that made it
        // dirty; its functions take the buffer they were given for the call.
        let copy =
            unsafe { self.buf.device_interface.as_ref() }.and_then(|iface| iface.copy_to_host);
        let Some(copy) = copy else {
            return Err(Error::new(ErrorCode::NoDeviceInterface, None));
        };
        // SAFETY: as above; user_context may be null for Halide's runtime.
        Error::check(unsafe { copy(std::ptr::null_mut(), &mut self.buf) })
    }
}

impl Drop for RawBuffer {
    fn drop(&mut self) {
        if self.buf.device == 0 {
            return;
        }
        // A pipeline allocated device memory for this buffer; the buffer owns it.
        // SAFETY: the interface pointer was set by the runtime that allocated
        // `device`, and stays valid while that runtime is loaded.
        let iface = unsafe { self.buf.device_interface.as_ref() };
        if let Some(free) = iface.and_then(|iface| iface.device_free) {
            // SAFETY: as above. A failure here cannot be reported from drop.
            let _ = unsafe { free(std::ptr::null_mut(), &mut self.buf) };
        }
    }
}

impl fmt::Debug for RawBuffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawBuffer")
            .field("type", &self.element_type())
            .field("dims", &self.dims())
            .field("host", &self.buf.host)
            .field("device", &self.buf.device)
            .field("flags", &self.buf.flags)
            .finish()
    }
}

mod sealed {
    /// Only this crate's buffers implement the buffer traits: an outside
    /// implementation could pair a `RawBuffer` with the wrong element type.
    pub trait Sealed {}

    /// Proof of being inside this crate, required to reach a buffer's
    /// `RawBuffer` mutably (safe code outside could otherwise swap two).
    pub struct Token(pub(crate) ());
}

/// Read access shared by every buffer kind.
pub trait HalideBuffer: sealed::Sealed {
    /// The element type.
    type Elem: Element;

    /// The underlying `halide_buffer_t` and its shape.
    fn raw(&self) -> &RawBuffer;

    /// Number of dimensions.
    fn dimensions(&self) -> usize {
        self.raw().dimensions()
    }

    /// The shape of dimension `i`.
    fn dim(&self, i: usize) -> Option<Dim> {
        self.raw().dim(i)
    }

    /// The extents of all dimensions, dimension 0 first.
    fn shape(&self) -> Vec<i32> {
        self.raw().dims().iter().map(|d| d.extent).collect()
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
        let off = self.raw().offset(coords)?;
        // SAFETY: offset() accepted the coordinates, and the buffer invariant
        // puts every in-shape element inside memory live for this borrow.
        Some(unsafe { self.raw().buf.host.cast::<Self::Elem>().offset(off).read() })
    }

    /// A pointer to the `halide_buffer_t`, valid while `self` is borrowed,
    /// for passing to Halide as an input.
    fn as_raw_ptr(&self) -> *const halide_buffer_t {
        &self.raw().buf
    }
}

/// Write access: buffers a pipeline may use as an output.
pub trait HalideBufferMut: HalideBuffer {
    /// The underlying buffer, mutably. Only this crate can call it (see
    /// `Token`): safe code outside must not change what the invariant covers.
    #[doc(hidden)]
    fn raw_mut(&mut self, token: sealed::Token) -> &mut RawBuffer;

    /// Stores `value` at `coords`.
    fn set(&mut self, coords: &[i32], value: Self::Elem) -> Result<(), ShapeError> {
        self.raw().check_coords(coords)?;
        let raw = self.raw_mut(sealed::Token(()));
        let off = raw.offset(coords).ok_or(ShapeError::OutOfBounds {
            lowest: 0,
            highest: raw.len() as i64 - 1,
            len: raw.len(),
        })?;
        // SAFETY: as in get(), and this buffer has write access to its memory.
        unsafe { raw.buf.host.cast::<Self::Elem>().offset(off).write(value) };
        Ok(())
    }

    /// A pointer to the `halide_buffer_t`, valid while `self` is mutably
    /// borrowed, for passing to Halide as an output. Halide may write the
    /// elements and the flag and device fields, never the shape.
    fn as_raw_mut_ptr(&mut self) -> *mut halide_buffer_t {
        &mut self.raw_mut(sealed::Token(())).buf
    }

    /// Copies the data back from the device when a pipeline left it there.
    fn copy_to_host(&mut self) -> Result<(), Error> {
        self.raw_mut(sealed::Token(())).copy_to_host()
    }
}

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
    raw: RawBuffer,
    storage: Storage<T>,
}

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

impl AlignedAlloc {
    /// `bytes` zeroed bytes (at least one: allocations are never zero-sized).
    fn zeroed(bytes: usize) -> Result<Self, ShapeError> {
        let layout =
            Layout::from_size_align(bytes.max(1), ALIGNMENT).map_err(|_| ShapeError::TooLarge)?;
        // SAFETY: layout has non-zero size.
        let ptr = unsafe { alloc::alloc_zeroed(layout) };
        let Some(data) = NonNull::new(ptr) else {
            alloc::handle_alloc_error(layout)
        };
        Ok(AlignedAlloc { data, layout })
    }
}

impl Drop for AlignedAlloc {
    fn drop(&mut self) {
        // SAFETY: allocated in zeroed() with exactly this layout, freed only
        // here. RawBuffer's drop never touches host memory.
        unsafe { alloc::dealloc(self.data.as_ptr(), self.layout) };
    }
}

// SAFETY: Buffer owns its memory exclusively, like Vec<T>; T: Element is Send + Sync.
unsafe impl<T: Element> Send for Buffer<T> {}
// SAFETY: &Buffer only reads; writes need &mut.
unsafe impl<T: Element> Sync for Buffer<T> {}

impl<T: Element> Buffer<T> {
    /// A zero-filled buffer of the given extents, all mins 0.
    pub fn new(shape: &[i32]) -> Result<Self, ShapeError> {
        let dims = dense_dims(shape)?;
        let count: usize = shape.iter().map(|&e| e as usize).product();
        let bytes = count
            .checked_mul(T::TYPE.bytes())
            .ok_or(ShapeError::TooLarge)?;
        let alloc = AlignedAlloc::zeroed(bytes)?;
        let raw = RawBuffer::new(T::TYPE, alloc.data.as_ptr(), &dims);
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
        let raw = RawBuffer::new(T::TYPE, data.as_mut_ptr().cast(), &dims);
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

    fn data_ptr(&self) -> *mut T {
        self.raw.buf.host.cast()
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
        // SAFETY: the storage holds len() initialised elements (zeroed or
        // adopted, then only written with valid T), densely, from the host
        // pointer, which never moves.
        unsafe { std::slice::from_raw_parts(self.data_ptr(), self.raw.len()) }
    }

    /// The elements in memory order, mutably.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        // SAFETY: as in as_slice, and &mut self is exclusive.
        unsafe { std::slice::from_raw_parts_mut(self.data_ptr(), self.raw.len()) }
    }

    /// Moves the buffer's coordinate origin: afterwards dimension `i` starts
    /// at `mins[i]`. The data does not move.
    pub fn set_min(&mut self, mins: &[i32]) -> Result<(), ShapeError> {
        self.raw.check_coords(mins)?;
        for (d, &m) in self.raw.dims.iter_mut().zip(mins) {
            d.min = m;
        }
        Ok(())
    }

    /// A read-only borrowed view of this buffer.
    pub fn view(&self) -> BufferRef<'_, T> {
        BufferRef {
            raw: RawBuffer::new(T::TYPE, self.raw.buf.host, &self.raw.dims()),
            _data: PhantomData,
        }
    }

    /// A mutable borrowed view of this buffer.
    pub fn view_mut(&mut self) -> BufferMut<'_, T> {
        BufferMut {
            raw: RawBuffer::new(T::TYPE, self.raw.buf.host, &self.raw.dims()),
            _data: PhantomData,
        }
    }
}

impl<T: Element> Clone for Buffer<T> {
    /// A deep copy of the host data and shape (not of device memory).
    fn clone(&self) -> Self {
        let shape = self.shape();
        let mut copy = Self::new(&shape).expect("the shape was valid for self");
        copy.as_mut_slice().copy_from_slice(self.as_slice());
        let mins: Vec<i32> = self.raw.dims().iter().map(|d| d.min).collect();
        copy.set_min(&mins).expect("same dimensions");
        copy
    }
}

impl<T: Element> sealed::Sealed for Buffer<T> {}
impl<T: Element> HalideBuffer for Buffer<T> {
    type Elem = T;
    fn raw(&self) -> &RawBuffer {
        &self.raw
    }
}

impl<T: Element> HalideBufferMut for Buffer<T> {
    fn raw_mut(&mut self, _: sealed::Token) -> &mut RawBuffer {
        &mut self.raw
    }
}

impl<T: Element> fmt::Debug for Buffer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Buffer").field("raw", &self.raw).finish()
    }
}

/// Checks that `dims`, with the host pointer at `offset` elements into a
/// slice of `len` elements, only reaches inside the slice.
fn check_within(dims: &[Dim], offset: usize, len: usize) -> Result<(), ShapeError> {
    let Some((lo, hi)) = reach(dims)? else {
        return Ok(());
    };
    let base = i64::try_from(offset).map_err(|_| ShapeError::TooLarge)?;
    let (lowest, highest) = (base + lo, base + hi);
    if lowest < 0 || highest >= len as i64 {
        return Err(ShapeError::OutOfBounds {
            lowest,
            highest,
            len,
        });
    }
    Ok(())
}

/// A read-only Halide view of a borrowed slice.
///
/// ```
/// use halide_runtime::{BufferRef, Dim, HalideBuffer};
/// let data: Vec<u8> = (0..12).collect();
/// let img = BufferRef::new(&data, &[4, 3]).unwrap(); // 4 wide, 3 high
/// assert_eq!(img.get(&[1, 2]), Some(9));
/// // A transposed view of the same memory: no copy.
/// let t = BufferRef::with_dims(&data, &[Dim::new(0, 3, 4), Dim::new(0, 4, 1)], 0).unwrap();
/// assert_eq!(t.get(&[2, 1]), Some(9));
/// // Shapes that reach outside the slice are refused.
/// assert!(BufferRef::new(&data, &[4, 4]).is_err());
/// ```
pub struct BufferRef<'a, T: Element> {
    raw: RawBuffer,
    _data: PhantomData<&'a [T]>,
}

// SAFETY: behaves as &'a [T], which is Send + Sync for T: Sync.
unsafe impl<T: Element> Send for BufferRef<'_, T> {}
// SAFETY: as above.
unsafe impl<T: Element> Sync for BufferRef<'_, T> {}

impl<'a, T: Element> BufferRef<'a, T> {
    /// A dense view: `shape[0]` elements per row, dimension 0 innermost.
    pub fn new(data: &'a [T], shape: &[i32]) -> Result<Self, ShapeError> {
        Self::with_dims(data, &dense_dims(shape)?, 0)
    }

    /// A view with explicit mins, extents and strides, whose element at the
    /// mins is `data[offset]`. Every element the shape reaches must lie in `data`.
    pub fn with_dims(data: &'a [T], dims: &[Dim], offset: usize) -> Result<Self, ShapeError> {
        check_within(dims, offset, data.len())?;
        // wrapping_add: for an empty shape offset may equal len; never dereferenced then.
        let host = data.as_ptr().wrapping_add(offset).cast::<u8>().cast_mut();
        Ok(BufferRef {
            raw: RawBuffer::new(T::TYPE, host, dims),
            _data: PhantomData,
        })
    }
}

impl<T: Element> sealed::Sealed for BufferRef<'_, T> {}
impl<'a, T: Element> BufferRef<'a, T> {
    /// A view of memory described by a pointer and a shape, for bridges to
    /// other array types whose views are not slices.
    ///
    /// # Safety
    ///
    /// `host` points at the element at the mins, and every element the
    /// shape addresses is initialised, valid for reads, and not written
    /// through any other path for `'a`.
    pub unsafe fn from_raw_parts(host: *const T, dims: &[Dim]) -> Result<Self, ShapeError> {
        reach(dims)?;
        Ok(BufferRef {
            raw: RawBuffer::new(T::TYPE, host.cast::<u8>().cast_mut(), dims),
            _data: PhantomData,
        })
    }
}

impl<T: Element> HalideBuffer for BufferRef<'_, T> {
    type Elem = T;
    fn raw(&self) -> &RawBuffer {
        &self.raw
    }
}

impl<T: Element> fmt::Debug for BufferRef<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BufferRef").field("raw", &self.raw).finish()
    }
}

/// A writable Halide view of a mutably borrowed slice.
///
/// ```
/// use halide_runtime::{BufferMut, HalideBuffer, HalideBufferMut};
/// let mut data = vec![0f32; 6];
/// let mut out = BufferMut::new(&mut data, &[3, 2]).unwrap();
/// out.set(&[2, 1], 1.5).unwrap();
/// drop(out);
/// assert_eq!(data[5], 1.5);
/// ```
pub struct BufferMut<'a, T: Element> {
    raw: RawBuffer,
    _data: PhantomData<&'a mut [T]>,
}

// SAFETY: behaves as &'a mut [T], which is Send + Sync for T: Send + Sync.
unsafe impl<T: Element> Send for BufferMut<'_, T> {}
// SAFETY: as above.
unsafe impl<T: Element> Sync for BufferMut<'_, T> {}

impl<'a, T: Element> BufferMut<'a, T> {
    /// A dense view: `shape[0]` elements per row, dimension 0 innermost.
    pub fn new(data: &'a mut [T], shape: &[i32]) -> Result<Self, ShapeError> {
        Self::with_dims(data, &dense_dims(shape)?, 0)
    }

    /// A view with explicit mins, extents and strides, whose element at the
    /// mins is `data[offset]`. Every element the shape reaches must lie in `data`.
    pub fn with_dims(data: &'a mut [T], dims: &[Dim], offset: usize) -> Result<Self, ShapeError> {
        check_within(dims, offset, data.len())?;
        let host = data.as_mut_ptr().wrapping_add(offset).cast::<u8>();
        Ok(BufferMut {
            raw: RawBuffer::new(T::TYPE, host, dims),
            _data: PhantomData,
        })
    }
}

impl<T: Element> sealed::Sealed for BufferMut<'_, T> {}
impl<'a, T: Element> BufferMut<'a, T> {
    /// A writable view of memory described by a pointer and a shape.
    ///
    /// # Safety
    ///
    /// `host` points at the element at the mins, and every element the
    /// shape addresses is initialised, valid for reads and writes, and not
    /// accessed through any other path for `'a`.
    pub unsafe fn from_raw_parts(host: *mut T, dims: &[Dim]) -> Result<Self, ShapeError> {
        reach(dims)?;
        Ok(BufferMut {
            raw: RawBuffer::new(T::TYPE, host.cast(), dims),
            _data: PhantomData,
        })
    }
}

impl<T: Element> HalideBuffer for BufferMut<'_, T> {
    type Elem = T;
    fn raw(&self) -> &RawBuffer {
        &self.raw
    }
}

impl<T: Element> HalideBufferMut for BufferMut<'_, T> {
    fn raw_mut(&mut self, _: sealed::Token) -> &mut RawBuffer {
        &mut self.raw
    }
}

impl<T: Element> fmt::Debug for BufferMut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BufferMut").field("raw", &self.raw).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_is_aligned_and_dense() {
        let b = Buffer::<u8>::new(&[3, 5, 2]).unwrap();
        assert_eq!(b.as_raw_ptr().cast::<u8>() as usize % 8, 0);
        assert_eq!(b.raw().as_raw().host as usize % ALIGNMENT, 0);
        assert_eq!(
            b.raw().dims(),
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
        let scalar = Buffer::<i64>::from_fn(&[], |_| 42).unwrap();
        assert_eq!(scalar.len(), 1);
        assert_eq!(scalar.get(&[]), Some(42));
    }

    #[test]
    fn negative_extent_rejected() {
        assert_eq!(
            Buffer::<u8>::new(&[2, -1]).unwrap_err(),
            ShapeError::NegativeExtent { dim: 1, extent: -1 }
        );
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
    fn borrowed_views_check_bounds() {
        let data = [1u16, 2, 3, 4, 5, 6];
        // Reversed along dimension 0: stride -1 from the last element.
        let rev = BufferRef::with_dims(&data, &[Dim::new(0, 6, -1)], 5).unwrap();
        assert_eq!(rev.get(&[0]), Some(6));
        assert_eq!(rev.get(&[5]), Some(1));
        assert!(BufferRef::with_dims(&data, &[Dim::new(0, 6, -1)], 4).is_err());
        // Broadcast: stride 0.
        let b = BufferRef::with_dims(&data, &[Dim::new(0, 100, 0)], 2).unwrap();
        assert_eq!(b.get(&[99]), Some(3));
        // Empty shapes never reach memory.
        assert!(BufferRef::with_dims(&data, &[Dim::new(0, 0, 1000)], 6).is_ok());
        assert!(matches!(
            BufferRef::new(&data, &[7]),
            Err(ShapeError::OutOfBounds { .. })
        ));
    }

    #[test]
    fn set_checks_coordinates() {
        let mut data = [0u8; 4];
        let mut m = BufferMut::new(&mut data, &[2, 2]).unwrap();
        assert!(m.set(&[2, 0], 1).is_err());
        assert!(matches!(
            m.set(&[0], 1),
            Err(ShapeError::WrongDimensions { .. })
        ));
        m.set(&[1, 1], 9).unwrap();
        assert_eq!(data, [0, 0, 0, 9]);
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
    fn raw_parts_views() {
        let mut data = [0i32, 1, 2, 3, 4, 5];
        // SAFETY: the shape reaches elements 0..=5 of data, borrowed for the view's life.
        let view =
            unsafe { BufferRef::from_raw_parts(data.as_ptr().add(5), &[Dim::new(0, 3, -2)]) }
                .unwrap();
        assert_eq!((view.get(&[0]), view.get(&[2])), (Some(5), Some(1)));
        // SAFETY: as above, exclusively.
        let mut m =
            unsafe { BufferMut::from_raw_parts(data.as_mut_ptr(), &[Dim::new(0, 2, 3)]) }.unwrap();
        m.set(&[1], 30).unwrap();
        assert_eq!(data[3], 30);
    }

    #[test]
    fn views_of_owned_share_memory() {
        let mut b = Buffer::<f64>::new(&[2, 2]).unwrap();
        b.view_mut().set(&[1, 0], 2.5).unwrap();
        assert_eq!(b.view().get(&[1, 0]), Some(2.5));
    }
}

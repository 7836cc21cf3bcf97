//! Walking the elements of one or more buffers: the engine behind
//! `for_each_element`, `for_each_value`, `fill`, `copy_from` and `to_dense`.
//!
//! [`walk`] only does arithmetic: it visits every position of a box, dimension
//! 0 fastest, and reports for each the coordinates and, for each buffer
//! taking part, the element offset from a start. The callers turn offsets
//! into element accesses; they start each buffer at an element of the box
//! and give it the buffer's own strides, so every offset reported is that
//! of an element inside the buffer's shape.

use super::sealed::Token;
use super::{Buffer, HalideBuffer, HalideBufferMut, RawBuffer, ShapeError};
use crate::types::Element;

/// Calls `f(coords, offsets)` at every position of the box with these mins
/// and extents, dimension 0 fastest, until `f` returns `false`. `coords`
/// are absolute; `offsets[k]` is `start[k]` plus the sum over dimensions of
/// (coordinate − min) × `strides[d][k]`. A box with a zero extent has no
/// position; one with no dimensions has one.
pub(super) fn walk<const N: usize>(
    mins: &[i32],
    extents: &[i32],
    strides: &[[isize; N]],
    start: [isize; N],
    mut f: impl FnMut(&[i32], [isize; N]) -> bool,
) {
    debug_assert!(mins.len() == extents.len() && strides.len() == extents.len());
    if extents.iter().any(|&e| e <= 0) {
        return;
    }
    let mut coords = mins.to_vec();
    let mut index = vec![0i32; extents.len()];
    let mut offsets = start;
    // Offsets of elements inside a buffer fit an isize; wrapping arithmetic
    // only spares the intermediate sums an overflow check.
    let step = |offsets: &mut [isize; N], strides: &[isize; N], times: isize| {
        for (o, s) in offsets.iter_mut().zip(strides) {
            *o = o.wrapping_add(s.wrapping_mul(times));
        }
    };
    loop {
        if !f(&coords, offsets) {
            return;
        }
        // Advance like an odometer, dimension 0 fastest.
        let mut d = 0;
        loop {
            let Some(&extent) = extents.get(d) else {
                return;
            };
            index[d] += 1;
            if index[d] < extent {
                step(&mut offsets, &strides[d], 1);
                coords[d] = coords[d].wrapping_add(1);
                break;
            }
            step(&mut offsets, &strides[d], -(extent as isize - 1));
            index[d] = 0;
            coords[d] = mins[d];
            d += 1;
        }
    }
}

/// The mins and extents of `raw`'s dimensions.
fn bounds(raw: &RawBuffer) -> (Vec<i32>, Vec<i32>) {
    raw.dims().iter().map(|d| (d.min, d.extent)).unzip()
}

/// Each dimension's strides, one per buffer.
fn strides<const N: usize>(raws: [&RawBuffer; N]) -> Vec<[isize; N]> {
    (0..raws[0].dimensions())
        .map(|d| raws.map(|r| r.dim(d).map_or(0, |dim| dim.stride as isize)))
        .collect()
}

/// The host pointer of a buffer of `T`s: its element at the mins.
pub(super) fn host<T: Element>(raw: &RawBuffer) -> *mut T {
    raw.as_raw().host.cast()
}

/// A walk over buffers of the same extents in lockstep: position `i` of
/// each is the `i`-th element from its own mins.
pub(super) struct Lockstep<const N: usize> {
    mins: Vec<i32>,
    extents: Vec<i32>,
    strides: Vec<[isize; N]>,
}

impl<const N: usize> Lockstep<N> {
    /// Checks that the buffers have the first one's extents and that none
    /// has its current data on a device.
    pub(super) fn new(raws: [&RawBuffer; N]) -> Result<Self, ShapeError> {
        let (mins, extents) = bounds(raws[0]);
        for raw in raws {
            if raw.device_dirty() {
                return Err(ShapeError::DeviceDirty);
            }
            if raw.dimensions() != extents.len() {
                return Err(ShapeError::DimensionMismatch {
                    expected: extents.len(),
                    found: raw.dimensions(),
                });
            }
            for (dim, (&expected, d)) in extents.iter().zip(raw.dims()).enumerate() {
                if d.extent != expected {
                    return Err(ShapeError::ExtentMismatch {
                        dim,
                        expected,
                        found: d.extent,
                    });
                }
            }
        }
        Ok(Lockstep {
            mins,
            extents,
            strides: strides(raws),
        })
    }

    /// Calls `f` with each position's element offsets from the host pointers.
    pub(super) fn run(&self, mut f: impl FnMut([isize; N])) {
        walk(&self.mins, &self.extents, &self.strides, [0; N], |_, o| {
            f(o);
            true
        });
    }
}

/// Calls `f` with the coordinates of every element of `raw`.
pub(super) fn for_each_element(raw: &RawBuffer, mut f: impl FnMut(&[i32])) {
    let (mins, extents) = bounds(raw);
    let none = vec![[]; extents.len()];
    walk(&mins, &extents, &none, [], |c, []| {
        f(c);
        true
    });
}

/// Calls `f(coords, element)` at every element of `raw`, a buffer of `T`s,
/// until `f` returns `false`; `element` points into the buffer's memory.
pub(super) fn for_each_ptr<T: Element>(raw: &RawBuffer, mut f: impl FnMut(&[i32], *mut T) -> bool) {
    let (mins, extents) = bounds(raw);
    let host = host::<T>(raw);
    walk(&mins, &extents, &strides([raw]), [0], |c, [o]| {
        // wrapping_offset: `o` is the offset of an element of the shape
        // (see the module docs); the pointer is only formed here.
        f(c, host.wrapping_offset(o))
    });
}

/// Whether every element of `b` equals `value` (true when there is none).
pub(super) fn all_equal<B>(b: &B, value: B::Elem) -> bool
where
    B: HalideBuffer + ?Sized,
    B::Elem: PartialEq,
{
    let mut equal = true;
    for_each_ptr::<B::Elem>(b.raw(), |_, element| {
        // SAFETY: `element` is an element of `b`'s shape, so by the module
        // invariant initialised memory that `b` owns or borrows, and `&b`
        // keeps writers out while we read.
        equal = unsafe { element.read() } == value;
        equal
    });
    equal
}

/// A box of coordinates two buffers share.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Region {
    mins: Vec<i32>,
    extents: Vec<i32>,
    /// Each buffer's offset from its host pointer to the box's first element.
    start: [isize; 2],
}

/// The region of coordinates both `dst` and `src` hold; `None` when they
/// do not overlap.
pub(super) fn intersection(dst: &RawBuffer, src: &RawBuffer) -> Result<Option<Region>, ShapeError> {
    if dst.dimensions() != src.dimensions() {
        return Err(ShapeError::DimensionMismatch {
            expected: dst.dimensions(),
            found: src.dimensions(),
        });
    }
    if dst.device_dirty() || src.device_dirty() {
        return Err(ShapeError::DeviceDirty);
    }
    let (mut mins, mut extents) = (Vec::new(), Vec::new());
    let mut start = [0isize; 2];
    for (a, b) in dst.dims().iter().zip(src.dims()) {
        let end = |d: super::Dim| i64::from(d.min) + i64::from(d.extent);
        let lo = a.min.max(b.min);
        let hi = end(*a).min(end(b));
        if hi <= i64::from(lo) {
            return Ok(None);
        }
        mins.push(lo);
        // At most the smaller extent, so an i32.
        extents.push((hi - i64::from(lo)) as i32);
        for (s, d) in start.iter_mut().zip([*a, b]) {
            let steps = (i64::from(lo) - i64::from(d.min)) * i64::from(d.stride);
            // An element's offset, so it fits (see `walk`).
            *s = s.wrapping_add(steps as isize);
        }
    }
    Ok(Some(Region {
        mins,
        extents,
        start,
    }))
}

/// Copies `src`'s elements into `dst` where their coordinates overlap.
pub(super) fn copy_from<A, B>(dst: &mut A, src: &B) -> Result<(), ShapeError>
where
    A: HalideBufferMut + ?Sized,
    B: HalideBuffer<Elem = A::Elem> + ?Sized,
{
    let Some(Region {
        mins,
        extents,
        start,
    }) = intersection(dst.raw(), src.raw())?
    else {
        return Ok(());
    };
    let (to, from) = (host::<A::Elem>(dst.raw()), host::<A::Elem>(src.raw()));
    let strides = strides([dst.raw(), src.raw()]);
    walk(&mins, &extents, &strides, start, |_, [o, i]| {
        // SAFETY: the region lies in both shapes, so `o` and `i` are the
        // offsets of elements of `dst` and `src`: by the module invariant,
        // initialised memory that each owns or borrows. `dst` owns or
        // exclusively borrows its memory (it is `HalideBufferMut`) and is
        // borrowed mutably here, so nothing else, `src` included, touches it.
        unsafe { to.wrapping_offset(o).write(from.wrapping_offset(i).read()) };
        true
    });
    dst.raw_mut(Token(())).set_host_dirty();
    Ok(())
}

/// A dense copy of `b`'s elements: same mins and extents, dimension 0
/// innermost.
pub(super) fn to_dense<B: HalideBuffer + ?Sized>(b: &B) -> Result<Buffer<B::Elem>, ShapeError> {
    let raw = b.raw();
    if raw.device_dirty() {
        return Err(ShapeError::DeviceDirty);
    }
    let (mins, extents) = bounds(raw);
    let mut out = Buffer::new(&extents)?;
    out.set_min(&mins)?;
    copy_from(&mut out, b)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::{BufferRef, Dim};

    fn visits<const N: usize>(
        mins: &[i32],
        extents: &[i32],
        strides: &[[isize; N]],
    ) -> Vec<(Vec<i32>, [isize; N])> {
        let mut seen = Vec::new();
        walk(mins, extents, strides, [0; N], |c, o| {
            seen.push((c.to_vec(), o));
            true
        });
        seen
    }

    #[test]
    fn walk_visits_dimension_0_fastest() {
        let seen = visits(&[5, -1], &[2, 2], &[[1, -1], [10, 3]]);
        assert_eq!(
            seen,
            [
                (vec![5, -1], [0, 0]),
                (vec![6, -1], [1, -1]),
                (vec![5, 0], [10, 3]),
                (vec![6, 0], [11, 2]),
            ]
        );
        assert_eq!(visits::<1>(&[], &[], &[]), [(vec![], [0])]);
        assert!(visits(&[0, 0], &[3, 0], &[[1], [3]]).is_empty());
    }

    #[test]
    fn walk_stops_when_asked() {
        let mut count = 0;
        walk(&[0], &[10], &[[1]], [0], |_, _| {
            count += 1;
            count < 3
        });
        assert_eq!(count, 3);
    }

    #[test]
    fn walk_handles_coordinates_up_to_i32_max() {
        let seen = visits(&[i32::MAX - 1], &[2], &[[1]]);
        assert_eq!(seen.last().unwrap().0, [i32::MAX]);
    }

    #[test]
    fn lockstep_checks_shapes() {
        let data = [0u8; 12];
        let a = BufferRef::new(&data, &[4, 3]).unwrap();
        let b = BufferRef::new(&data, &[3, 4]).unwrap();
        let c = BufferRef::new(&data, &[12]).unwrap();
        assert_eq!(
            Lockstep::new([a.raw(), b.raw()]).err(),
            Some(ShapeError::ExtentMismatch {
                dim: 0,
                expected: 4,
                found: 3
            })
        );
        assert_eq!(
            Lockstep::new([a.raw(), c.raw()]).err(),
            Some(ShapeError::DimensionMismatch {
                expected: 2,
                found: 1
            })
        );
        let mut count = 0;
        Lockstep::new([a.raw(), a.raw()]).unwrap().run(|[x, y]| {
            assert_eq!(x, y);
            count += 1;
        });
        assert_eq!(count, 12);
    }

    #[test]
    fn intersection_follows_absolute_coordinates() {
        let data = [0u8; 64];
        let a = BufferRef::with_dims(&data, &[Dim::new(0, 4, 1), Dim::new(0, 4, 4)], 0).unwrap();
        let b = BufferRef::with_dims(&data, &[Dim::new(2, 4, 1), Dim::new(-1, 3, 8)], 0).unwrap();
        let region = intersection(a.raw(), b.raw()).unwrap().unwrap();
        assert_eq!(
            region,
            Region {
                mins: vec![2, 0],
                extents: vec![2, 2],
                start: [2, 8]
            }
        );
        let far = BufferRef::with_dims(&data, &[Dim::new(4, 1, 1), Dim::new(0, 1, 1)], 0).unwrap();
        assert_eq!(intersection(a.raw(), far.raw()), Ok(None));
    }
}

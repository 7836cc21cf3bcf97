//! Shape transforms shared by every view and in-place shape operation:
//! crop, slice, translate, transpose, permute, embed, add a dimension,
//! reverse the axes.
//!
//! Each transform maps a shape to one that reaches a **subset** of the
//! elements the old one reached (crop, slice) or exactly the **same**
//! elements under new coordinates (all the others, the "relabelings").
//! That is what lets a view of a buffer borrow that buffer's memory, and
//! an in-place transform keep the module invariant: nothing here can make
//! a shape reach an element its source did not.
//!
//! A [`Reshape`] is the transform's working state: the dims, and how far
//! (in elements) the element at the new mins lies from the old one.

use super::{Dim, RawBuffer, ShapeError};
use crate::types::Element;

/// A shape under transformation; see the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Reshape {
    /// Elements from the source's element at its mins to the new one.
    offset: i64,
    dims: Vec<Dim>,
    /// Whether a transform dropped elements (crop, slice), which a buffer
    /// with device memory cannot do in place.
    drops_elements: bool,
}

impl Reshape {
    /// The untransformed shape `dims`.
    pub(super) fn new(dims: Vec<Dim>) -> Self {
        Reshape {
            offset: 0,
            dims,
            drops_elements: false,
        }
    }

    /// The dims after the transforms so far.
    pub(super) fn dims(&self) -> &[Dim] {
        &self.dims
    }

    /// Elements from the old element at the mins to the new one.
    pub(super) fn offset(&self) -> i64 {
        self.offset
    }

    fn check_dim(&self, dim: usize) -> Result<Dim, ShapeError> {
        self.dims
            .get(dim)
            .copied()
            .ok_or(ShapeError::NoSuchDimension {
                dim,
                dimensions: self.dims.len(),
            })
    }

    /// Keeps coordinates `min..min + extent` of `dim`, which must lie inside
    /// the current range (an empty range may sit anywhere from its min to
    /// one past its max).
    pub(super) fn crop(&mut self, dim: usize, min: i32, extent: i32) -> Result<(), ShapeError> {
        let d = self.check_dim(dim)?;
        if extent < 0 {
            return Err(ShapeError::NegativeExtent { dim, extent });
        }
        let end = i64::from(min) + i64::from(extent);
        if min < d.min || end > i64::from(d.min) + i64::from(d.extent) {
            return Err(ShapeError::NotContained {
                dim,
                min,
                extent,
                buffer_min: d.min,
                buffer_extent: d.extent,
            });
        }
        self.offset += (i64::from(min) - i64::from(d.min)) * i64::from(d.stride);
        self.dims[dim] = Dim::new(min, extent, d.stride);
        self.drops_elements = true;
        Ok(())
    }

    /// Keeps only coordinate `pos` of `dim`, and removes the dimension.
    pub(super) fn slice(&mut self, dim: usize, pos: i32) -> Result<(), ShapeError> {
        let d = self.check_dim(dim)?;
        let i = i64::from(pos) - i64::from(d.min);
        if i < 0 || i >= i64::from(d.extent) {
            return Err(ShapeError::NotContained {
                dim,
                min: pos,
                extent: 1,
                buffer_min: d.min,
                buffer_extent: d.extent,
            });
        }
        self.offset += i * i64::from(d.stride);
        self.dims.remove(dim);
        self.drops_elements = true;
        Ok(())
    }

    /// Adds `delta` to every coordinate of `dim`. Refused when the last
    /// coordinate would not fit an `i32`.
    pub(super) fn translate(&mut self, dim: usize, delta: i32) -> Result<(), ShapeError> {
        let d = self.check_dim(dim)?;
        let min = i64::from(d.min) + i64::from(delta);
        let max = min + i64::from(d.extent) - 1;
        let fits = |v: i64| i32::try_from(v).is_ok();
        if !fits(min) || !fits(max) {
            return Err(ShapeError::CoordinateOverflow { dim });
        }
        self.dims[dim].min = min as i32;
        Ok(())
    }

    /// Translates dimension `i` by `deltas[i]`, for every dimension.
    pub(super) fn translate_all(&mut self, deltas: &[i32]) -> Result<(), ShapeError> {
        if deltas.len() != self.dims.len() {
            return Err(ShapeError::WrongDimensions {
                expected: self.dims.len(),
                given: deltas.len(),
            });
        }
        // Check every dimension before changing any.
        let mut next = self.clone();
        for (dim, &delta) in deltas.iter().enumerate() {
            next.translate(dim, delta)?;
        }
        *self = next;
        Ok(())
    }

    /// Swaps dimensions `d1` and `d2`.
    pub(super) fn transpose(&mut self, d1: usize, d2: usize) -> Result<(), ShapeError> {
        self.check_dim(d1)?;
        self.check_dim(d2)?;
        self.dims.swap(d1, d2);
        Ok(())
    }

    /// Reorders the dimensions: new dimension `i` is old dimension
    /// `order[i]`, and `order` must name each dimension once.
    pub(super) fn permute(&mut self, order: &[usize]) -> Result<(), ShapeError> {
        let n = self.dims.len();
        let mut seen = vec![false; n];
        let is_permutation = order.len() == n
            && order
                .iter()
                .all(|&d| d < n && !std::mem::replace(&mut seen[d], true));
        if !is_permutation {
            return Err(ShapeError::NotAPermutation { dimensions: n });
        }
        self.dims = order.iter().map(|&d| self.dims[d]).collect();
        Ok(())
    }

    /// The stride Halide's C++ `Buffer` gives a new dimension: just past
    /// the last one's reach (it never matters: the extent is 1). Zero when
    /// that overflows.
    fn new_dim_stride(&self) -> i32 {
        match self.dims.last() {
            None => 1,
            Some(d) => d.extent.checked_mul(d.stride).unwrap_or(0),
        }
    }

    /// Appends a dimension of extent 1 at coordinate 0.
    pub(super) fn add_dimension(&mut self) {
        let stride = self.new_dim_stride();
        self.dims.push(Dim::new(0, 1, stride));
    }

    /// Inserts before dimension `dim` (or after the last, for `dim ==
    /// dimensions`) a dimension of extent 1 at coordinate `pos`.
    pub(super) fn embed(&mut self, dim: usize, pos: i32) -> Result<(), ShapeError> {
        if dim > self.dims.len() {
            return Err(ShapeError::NoSuchDimension {
                dim,
                dimensions: self.dims.len(),
            });
        }
        let stride = self.new_dim_stride();
        self.dims.insert(dim, Dim::new(pos, 1, stride));
        Ok(())
    }

    /// Reverses the order of the dimensions (the last becomes dimension 0).
    pub(super) fn reverse_axes(&mut self) {
        self.dims.reverse();
    }
}

/// A `RawBuffer` for a view of `raw` (elements `T`) transformed by `f`,
/// sharing `raw`'s device memory (see `RawBuffer::lend_device`): the view
/// must live no longer than `raw`'s memory, device memory included, is
/// borrowed.
pub(super) fn view_raw<T: Element>(
    raw: &RawBuffer,
    f: impl FnOnce(&mut Reshape) -> Result<(), ShapeError>,
) -> Result<RawBuffer, ShapeError> {
    let mut shape = Reshape::new(raw.dims());
    f(&mut shape)?;
    let offset = isize::try_from(shape.offset()).map_err(|_| ShapeError::TooLarge)?;
    // wrapping_offset: the pointer is only dereferenced at elements of the
    // new shape, which are elements of `raw`'s (see the module docs); an
    // empty crop may point one past them.
    let host = raw.as_raw().host.cast::<T>().wrapping_offset(offset);
    let mut view = RawBuffer::new(host.cast_const(), shape.dims());
    raw.lend_device(&mut view)?;
    Ok(view)
}

/// Transforms `raw` (elements `T`) in place by `f`. Relabelings keep the
/// device fields, whose element layout is unchanged; crops and slices of a
/// buffer with device memory are refused, as they would move its origin.
pub(super) fn reshape_in_place<T: Element>(
    raw: &mut RawBuffer,
    f: impl FnOnce(&mut Reshape) -> Result<(), ShapeError>,
) -> Result<(), ShapeError> {
    let mut shape = Reshape::new(raw.dims());
    f(&mut shape)?;
    if shape.drops_elements && raw.has_device_allocation() {
        return Err(ShapeError::HasDeviceAllocation);
    }
    let offset = isize::try_from(shape.offset()).map_err(|_| ShapeError::TooLarge)?;
    // wrapping_offset: as in `view_raw`.
    let host = raw.as_raw().host.cast::<T>().wrapping_offset(offset);
    raw.set_shape(host.cast(), shape.dims());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape() -> Reshape {
        // 4 x 3, mins (10, -1), dense.
        Reshape::new(vec![Dim::new(10, 4, 1), Dim::new(-1, 3, 4)])
    }

    #[test]
    fn crop_moves_the_origin_by_the_strides() {
        let mut s = shape();
        s.crop(0, 11, 2).unwrap();
        s.crop(1, 0, 2).unwrap();
        assert_eq!(s.dims(), [Dim::new(11, 2, 1), Dim::new(0, 2, 4)]);
        assert_eq!(s.offset(), 1 + 4);
        assert!(s.drops_elements);
    }

    #[test]
    fn crop_refuses_ranges_outside() {
        let mut s = shape();
        let outside = |min, extent| ShapeError::NotContained {
            dim: 0,
            min,
            extent,
            buffer_min: 10,
            buffer_extent: 4,
        };
        assert_eq!(s.crop(0, 9, 2), Err(outside(9, 2)));
        assert_eq!(s.crop(0, 12, 3), Err(outside(12, 3)));
        assert_eq!(s.crop(0, i32::MAX, 1), Err(outside(i32::MAX, 1)));
        assert_eq!(
            s.crop(0, 10, -1),
            Err(ShapeError::NegativeExtent { dim: 0, extent: -1 })
        );
        assert_eq!(
            s.crop(2, 0, 1),
            Err(ShapeError::NoSuchDimension {
                dim: 2,
                dimensions: 2
            })
        );
        assert_eq!(s, shape(), "a refused crop changes nothing");
        // Empty crops may sit anywhere from the min to one past the max.
        s.crop(0, 14, 0).unwrap();
        assert_eq!(s.offset(), 4);
    }

    #[test]
    fn slice_removes_the_dimension() {
        let mut s = shape();
        s.slice(1, 1).unwrap();
        assert_eq!(s.dims(), [Dim::new(10, 4, 1)]);
        assert_eq!(s.offset(), 8);
        assert!(s.slice(0, 14).is_err());
        assert!(s.slice(0, 9).is_err());
        s.slice(0, 13).unwrap();
        assert_eq!((s.dims(), s.offset()), (&[][..], 11));
    }

    #[test]
    fn translate_checks_for_overflow() {
        let mut s = shape();
        s.translate(1, 5).unwrap();
        assert_eq!(s.dims()[1], Dim::new(4, 3, 4));
        assert_eq!(
            s.translate(0, i32::MAX - 12),
            Err(ShapeError::CoordinateOverflow { dim: 0 })
        );
        s.translate(0, i32::MAX - 13).unwrap();
        assert_eq!(s.dims()[0].min, i32::MAX - 3);
        assert_eq!(s.offset(), 0);
        assert!(!s.drops_elements);

        let mut s = shape();
        assert_eq!(
            s.translate_all(&[1, i32::MIN]),
            Err(ShapeError::CoordinateOverflow { dim: 1 })
        );
        assert_eq!(s, shape(), "all or nothing");
        assert!(matches!(
            s.translate_all(&[1]),
            Err(ShapeError::WrongDimensions { .. })
        ));
        s.translate_all(&[-10, 1]).unwrap();
        assert_eq!(s.dims(), [Dim::new(0, 4, 1), Dim::new(0, 3, 4)]);
    }

    #[test]
    fn transpose_and_permute_reorder() {
        let mut s = Reshape::new(vec![
            Dim::new(0, 2, 1),
            Dim::new(0, 3, 2),
            Dim::new(0, 4, 6),
        ]);
        s.transpose(0, 2).unwrap();
        assert_eq!(s.dims()[0], Dim::new(0, 4, 6));
        assert!(s.transpose(0, 3).is_err());
        s.permute(&[2, 0, 1]).unwrap();
        assert_eq!(
            s.dims(),
            [Dim::new(0, 2, 1), Dim::new(0, 4, 6), Dim::new(0, 3, 2)]
        );
        for bad in [&[0, 1][..], &[0, 1, 1], &[0, 1, 3], &[0, 1, 2, 3]] {
            assert_eq!(
                s.permute(bad),
                Err(ShapeError::NotAPermutation { dimensions: 3 })
            );
        }
        s.reverse_axes();
        assert_eq!(s.dims()[0], Dim::new(0, 3, 2));
    }

    #[test]
    fn embed_and_add_dimension_insert_extent_one() {
        let mut s = shape();
        s.add_dimension();
        assert_eq!(s.dims()[2], Dim::new(0, 1, 12));
        s.embed(0, 7).unwrap();
        assert_eq!(s.dims()[0], Dim::new(7, 1, 12));
        assert_eq!(s.dims().len(), 4);
        s.embed(4, -2).unwrap();
        assert_eq!(s.dims()[4], Dim::new(-2, 1, 12));
        assert_eq!(
            s.embed(6, 0),
            Err(ShapeError::NoSuchDimension {
                dim: 6,
                dimensions: 5
            })
        );
        let mut scalar = Reshape::new(vec![]);
        scalar.add_dimension();
        assert_eq!(scalar.dims(), [Dim::new(0, 1, 1)]);
        let mut huge = Reshape::new(vec![Dim::new(0, 1 << 20, 1 << 20)]);
        huge.add_dimension();
        assert_eq!(huge.dims()[1].stride, 0, "overflowing strides become 0");
        assert_eq!(huge.offset(), 0);
    }

    #[test]
    fn refusals_explain_themselves() {
        let cases = [
            (
                ShapeError::NoSuchDimension {
                    dim: 3,
                    dimensions: 2,
                },
                "no dimension 3 in a 2-dimensional buffer",
            ),
            (
                ShapeError::NotContained {
                    dim: 1,
                    min: 5,
                    extent: 1,
                    buffer_min: 0,
                    buffer_extent: 5,
                },
                "coordinates 5..6 of dimension 1 are not all inside the buffer's 0..5",
            ),
            (
                ShapeError::CoordinateOverflow { dim: 0 },
                "dimension 0's coordinates would not fit in an i32",
            ),
            (
                ShapeError::NotAPermutation { dimensions: 3 },
                "the dimension order does not name each of the 3 dimensions exactly once",
            ),
            (
                ShapeError::DimensionMismatch {
                    expected: 2,
                    found: 3,
                },
                "a 3-dimensional buffer where 2 dimensions were needed",
            ),
            (
                ShapeError::ExtentMismatch {
                    dim: 1,
                    expected: 4,
                    found: 2,
                },
                "dimension 1 has extent 2 where 4 was needed",
            ),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text);
        }
        assert!(
            ShapeError::DeviceDirty
                .to_string()
                .contains("copy it to the host")
        );
        assert!(
            ShapeError::HasDeviceAllocation
                .to_string()
                .contains("make a view")
        );
    }
}

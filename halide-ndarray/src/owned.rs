//! Owned data across the bridge, and Halide buffers viewed as arrays.

use crate::{AxisOrder, Error};
use halide_runtime::{Buffer, Element, HalideBuffer};
use ndarray::{Array, ArrayViewD, Axis, Dimension, IxDyn, ShapeBuilder};

fn to_usize(extents: &[i32]) -> Vec<usize> {
    // Buffers never have negative extents.
    extents.iter().map(|&e| e as usize).collect()
}

/// Views a Halide buffer as an ndarray view of the same memory.
///
/// The view's index 0 is the buffer's min in every dimension.
pub trait AsArray<T: Element> {
    /// The view, with Halide dimension 0 as the last axis ([`AxisOrder::Reversed`]).
    ///
    /// ```
    /// use halide_ndarray::AsArray;
    /// use halide_runtime::Buffer;
    /// let b = Buffer::<i32>::from_fn(&[4, 3], |c| c[0] + 10 * c[1])?; // x, y
    /// let a = b.as_array()?;
    /// assert_eq!(a.shape(), &[3, 4]); // y, x
    /// assert_eq!(a[[2, 1]], 21);
    /// # Ok::<(), halide_ndarray::Error>(())
    /// ```
    fn as_array(&self) -> Result<ArrayViewD<'_, T>, Error> {
        self.as_array_with(AxisOrder::Reversed)
    }

    /// The view, with dimensions mapped to axes as `order` says.
    fn as_array_with(&self, order: AxisOrder) -> Result<ArrayViewD<'_, T>, Error>;
}

impl<B: HalideBuffer> AsArray<B::Elem> for B {
    fn as_array_with(&self, order: AxisOrder) -> Result<ArrayViewD<'_, B::Elem>, Error> {
        let raw = self.raw();
        if raw.device_dirty() {
            return Err(Error::OnDevice);
        }
        let dims = order.arrange(raw.dims());
        let shape: Vec<usize> = dims.iter().map(|d| d.extent as usize).collect();
        if shape.contains(&0) {
            return Ok(ArrayViewD::from_shape(IxDyn(&shape), &[])
                .expect("an empty shape fits an empty slice"));
        }
        // ndarray wants non-negative strides: start at the lowest address,
        // then flip the axes Halide walks backwards.
        let mut ptr = raw.as_raw().host.cast::<B::Elem>().cast_const();
        for d in dims.iter().filter(|d| d.stride < 0) {
            // SAFETY: the buffer invariant puts this element (the far end of
            // a backwards dimension) inside the buffer's memory.
            ptr = unsafe { ptr.offset(d.stride as isize * (d.extent as isize - 1)) };
        }
        let strides: Vec<usize> = dims
            .iter()
            .map(|d| d.stride.unsigned_abs() as usize)
            .collect();
        // SAFETY: every element the shape reaches lies in memory the buffer
        // owns or borrows for at least the borrow of self, initialised, and
        // not written while self is borrowed shared.
        let mut view =
            unsafe { ArrayViewD::from_shape_ptr(IxDyn(&shape).strides(IxDyn(&strides)), ptr) };
        for (axis, d) in dims.iter().enumerate() {
            if d.stride < 0 {
                view.invert_axis(Axis(axis));
            }
        }
        Ok(view)
    }
}

/// Turns an owned Halide buffer into an array of dimension `D`, without
/// copying when the buffer was made from a `Vec` (by [`array_into_buffer`]
/// or [`Buffer::from_vec`]); an aligned buffer from [`Buffer::new`] is copied.
///
/// ```
/// use halide_ndarray::{AxisOrder, buffer_into_array};
/// use halide_runtime::Buffer;
/// let b = Buffer::<u8>::from_fn(&[3, 2], |c| (c[0] + 3 * c[1]) as u8)?;
/// let a: ndarray::Array2<u8> = buffer_into_array(b, AxisOrder::Reversed)?;
/// assert_eq!(a, ndarray::arr2(&[[0, 1, 2], [3, 4, 5]]));
/// # Ok::<(), halide_ndarray::Error>(())
/// ```
pub fn buffer_into_array<T: Element, D: Dimension>(
    buffer: Buffer<T>,
    order: AxisOrder,
) -> Result<Array<T, D>, Error> {
    let shape = order.arrange(to_usize(&buffer.shape()));
    if let Some(n) = D::NDIM.filter(|&n| n != shape.len()) {
        return Err(Error::Dimensions {
            expected: n,
            found: shape.len(),
        });
    }
    let dim = D::from_dimension(&IxDyn(&shape)).expect("the dimension count was checked");
    // An owned buffer is dense with dimension 0 fastest: C order for
    // reversed axes, Fortran order for the same axes.
    let shape = match order {
        AxisOrder::Reversed => dim.into_shape_with_order(),
        AxisOrder::Same => dim.f(),
    };
    let array = Array::from_shape_vec(shape, buffer.into_vec())
        .expect("a dense buffer's length matches its shape");
    Ok(array)
}

/// Turns an owned array into a Halide buffer, without copying when the array
/// is contiguous in Halide's order (standard layout for
/// [`AxisOrder::Reversed`], Fortran layout for [`AxisOrder::Same`]) and owns
/// exactly its elements; otherwise its elements are copied into that order.
///
/// ```
/// use halide_ndarray::{AxisOrder, array_into_buffer};
/// use halide_runtime::HalideBuffer;
/// let a = ndarray::arr2(&[[1u16, 2, 3], [4, 5, 6]]);
/// let ptr = a.as_ptr();
/// let b = array_into_buffer(a, AxisOrder::Reversed)?;
/// assert_eq!(b.shape(), vec![3, 2]);
/// assert_eq!(b.get(&[2, 1]), Some(6));
/// assert_eq!(b.as_slice().as_ptr(), ptr); // moved, not copied
/// # Ok::<(), halide_ndarray::Error>(())
/// ```
pub fn array_into_buffer<T: Element, D: Dimension>(
    array: Array<T, D>,
    order: AxisOrder,
) -> Result<Buffer<T>, Error> {
    let extents = array
        .shape()
        .iter()
        .map(|&len| {
            i32::try_from(len).map_err(|_| Error::TooLarge {
                what: format!("axis length {len}"),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let shape = order.arrange(extents);
    let contiguous = match order {
        AxisOrder::Reversed => array.is_standard_layout(),
        AxisOrder::Same => array.t().is_standard_layout(),
    };
    let n = array.len();
    let data = if contiguous {
        let (mut vec, offset) = array.into_raw_vec_and_offset();
        match offset {
            Some(0) if vec.len() == n => vec,
            Some(off) => vec.drain(off..off + n).collect(),
            None => Vec::new(),
        }
    } else {
        match order {
            AxisOrder::Reversed => array.iter().copied().collect(),
            AxisOrder::Same => array.t().iter().copied().collect(),
        }
    };
    Ok(Buffer::from_vec(data, &shape)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AsBuffer, AsBufferMut};
    use halide_runtime::{BufferRef, Dim, HalideBufferMut};
    use ndarray::{Array2, ArrayD, s};

    #[test]
    fn views_round_trip_through_buffers() {
        let a = Array2::from_shape_fn((4, 5), |(i, j)| (i * 5 + j) as i32);
        for view in [
            a.view(),
            a.t(),
            a.slice(s![..;-1, 1..;2]),
            a.slice(s![1..3, ..;-3]),
        ] {
            let b = view.as_buffer().unwrap();
            assert_eq!(
                b.raw().as_raw().host.cast_const().cast::<i32>(),
                view.as_ptr()
            );
            assert_eq!(b.as_array().unwrap(), view.into_dyn());
            let same = view.as_buffer_with(AxisOrder::Same).unwrap();
            assert_eq!(
                same.as_array_with(AxisOrder::Same).unwrap(),
                view.into_dyn()
            );
        }
    }

    #[test]
    fn buffer_mut_writes_land_in_the_array() {
        let mut a = ArrayD::<u8>::zeros(vec![3, 2, 2]);
        {
            let mut rev = a.slice_mut(s![..;-1, .., ..]);
            let mut b = rev.as_buffer_mut().unwrap();
            b.set(&[1, 0, 0], 7).unwrap(); // dimension 2 is axis 0, reversed
        }
        assert_eq!(a[[2, 0, 1]], 7);
    }

    #[test]
    fn owned_round_trips() {
        let a = Array2::from_shape_fn((2, 3), |(i, j)| (i * 3 + j) as f64);
        let b = array_into_buffer(a.clone(), AxisOrder::Reversed).unwrap();
        let back: Array2<f64> = buffer_into_array(b, AxisOrder::Reversed).unwrap();
        assert_eq!(back, a);
        let f = a.t().to_owned(); // standard layout copy of the transpose
        let b = array_into_buffer(f.clone(), AxisOrder::Same).unwrap();
        assert_eq!(b.get(&[2, 1]), Some(f[[2, 1]]));
        let aligned =
            halide_runtime::Buffer::<f64>::from_fn(&[3, 2], |c| f64::from(c[0] + 3 * c[1]))
                .unwrap();
        let from_aligned: Array2<f64> = buffer_into_array(aligned, AxisOrder::Reversed).unwrap();
        assert_eq!(from_aligned, a);
    }

    #[test]
    fn negative_and_zero_strides_view_correctly() {
        let data = [1u16, 2, 3, 4];
        let b = BufferRef::with_dims(&data, &[Dim::new(0, 4, -1), Dim::new(0, 3, 0)], 3).unwrap();
        let v = b.as_array().unwrap();
        assert_eq!(v.shape(), &[3, 4]);
        let last: Vec<u16> = v.index_axis(ndarray::Axis(0), 2).iter().copied().collect();
        assert_eq!(last, vec![4, 3, 2, 1]);
    }
}

//! The bridge against plain ndarray: random layouts through real pipelines,
//! pointer identity for "no copy", and a clear error for every mismatch.

use halide::prelude::*;
use halide_ndarray::{
    AsArray, AsBuffer, AsBufferMut, AxisOrder, Error, array_into_buffer, buffer_into_array,
    realize_array, realize_array_with, realize_into_array,
};
use ndarray::{
    Array, Array2, Array3, ArrayD, Dimension as _, IxDyn, ShapeBuilder, SliceInfoElem, s,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::cell::RefCell;

/// out(x...) = in(x...) * 3 + 1 over `n` dimensions, accepting any strides.
fn affine(n: usize) -> (ImageParam, Func) {
    let vars: Vec<Var> = (0..n).map(|i| Var::new(&format!("v{i}"))).collect();
    let input = ImageParam::new::<i32>(n, &format!("in{n}"));
    input.dim(0).allow_any_stride().unwrap();
    let mut f = Func::new(&format!("affine{n}"));
    f.define(vars.as_slice(), input.at(vars.as_slice()) * 3 + 1)
        .unwrap();
    (input, f)
}

/// A random n-d array, then a random slice (start, end, step of either
/// sign) of every axis, then a random permutation of the axes.
/// An array shape, a (start, end, step) slice per axis, and an axis permutation.
type Layout = (Vec<usize>, Vec<(usize, usize, isize)>, Vec<usize>);

fn layouts() -> impl Strategy<Value = Layout> {
    prop::collection::vec(1usize..7, 1..=4).prop_flat_map(|shape| {
        let n = shape.len();
        let slices = shape
            .iter()
            .map(|&len| {
                (
                    0..len,
                    0..len,
                    prop_oneof![Just(1isize), Just(2), Just(-1), Just(-2), Just(3)],
                )
            })
            .map(|(a, b, step)| {
                (a, b, step).prop_map(|(a, b, step)| (a.min(b), a.max(b) + 1, step))
            })
            .collect::<Vec<_>>();
        let perm = Just((0..n).collect::<Vec<_>>()).prop_shuffle();
        (Just(shape), slices, perm)
    })
}

#[test]
fn random_views_match_ndarray_without_copies() {
    // One compiled pipeline per rank, reused by every case of that rank.
    let pipelines: RefCell<Vec<(ImageParam, Func)>> = RefCell::new((1..=4).map(affine).collect());
    let mut runner = TestRunner::new(Config {
        cases: 64,
        ..Config::default()
    });
    runner
        .run(&layouts(), |(shape, slices, perm)| {
            let base = ArrayD::from_shape_fn(IxDyn(&shape), |ix| {
                ix.as_array_view()
                    .iter()
                    .fold(7i32, |acc, &i| acc * 31 + i as i32)
            });
            let info: Vec<SliceInfoElem> = slices
                .iter()
                .map(|&(start, end, step)| SliceInfoElem::Slice {
                    start: start as isize,
                    end: Some(end as isize),
                    step,
                })
                .collect();
            let view = base.slice(info.as_slice()).permuted_axes(IxDyn(&perm));
            let buffer = view.as_buffer().unwrap();
            // No copy: Halide's element at the mins is the view's first element.
            prop_assert_eq!(
                buffer.raw().as_raw().host.cast_const().cast::<i32>(),
                view.as_ptr()
            );
            let mut pipelines = pipelines.borrow_mut();
            let (input, f) = &mut pipelines[shape.len() - 1];
            let out: ArrayD<i32> =
                realize_array(f, IxDyn(view.shape()), &[input.bind(&buffer)]).unwrap();
            prop_assert_eq!(out, view.mapv(|v| v * 3 + 1));
            // And back: the buffer viewed as an array is the view itself.
            prop_assert_eq!(buffer.as_array().unwrap(), view.view());
            Ok(())
        })
        .unwrap();
}

#[test]
fn writes_into_a_sliced_mutable_view_in_place() {
    let (input, mut f) = affine(2);
    let src = Array2::from_shape_fn((6, 5), |(i, j)| (i * 10 + j) as i32);
    let mut dst = Array2::<i32>::zeros((12, 5));
    let before = dst.as_ptr();
    {
        // Every other row: rows are strided, each row contiguous.
        let mut rows = dst.slice_mut(s![..;2, ..]);
        realize_into_array(&mut f, &mut rows, &[input.bind(&src.as_buffer().unwrap())]).unwrap();
    }
    assert_eq!(dst.as_ptr(), before);
    for ((i, j), &v) in dst.indexed_iter() {
        let expected = if i % 2 == 0 {
            src[[i / 2, j]] * 3 + 1
        } else {
            0
        };
        assert_eq!(v, expected, "({i}, {j})");
    }
}

#[test]
fn fortran_arrays_keep_their_order() {
    let (input, mut f) = affine(2);
    let a = Array::from_shape_fn((3, 4).f(), |(i, j)| (i * 4 + j) as i32);
    let buffer = a.as_buffer_with(AxisOrder::Same).unwrap();
    assert_eq!(buffer.dim(0), Some(Dim::new(0, 3, 1)));
    let out: Array2<i32> =
        realize_array_with(&mut f, (3, 4), &[input.bind(&buffer)], AxisOrder::Same).unwrap();
    assert!(out.t().is_standard_layout(), "Fortran layout out");
    assert_eq!(out, a.mapv(|v| v * 3 + 1));
}

fn copy_pipeline<T: Element>() -> (ImageParam, Func) {
    let x = Var::new("x");
    let input = ImageParam::new::<T>(1, "input");
    let mut f = Func::new("copy");
    f.define([&x], input.at([&x])).unwrap();
    (input, f)
}

fn round_trip<T: Element + PartialEq + std::fmt::Debug>(values: [T; 3]) {
    let (input, mut f) = copy_pipeline::<T>();
    let a = ndarray::arr1(&values);
    let out: ndarray::Array1<T> =
        realize_array(&mut f, 3, &[input.bind(&a.as_buffer().unwrap())]).unwrap();
    assert_eq!(out, a, "{}", T::TYPE);
}

#[test]
fn every_element_type() {
    round_trip([1u8, 128, 255]);
    round_trip([1u16, 300, u16::MAX]);
    round_trip([1u32, 70_000, u32::MAX]);
    round_trip([1u64, 1 << 40, u64::MAX]);
    round_trip([-1i8, 0, i8::MAX]);
    round_trip([-1i16, i16::MIN, i16::MAX]);
    round_trip([-1i32, i32::MIN, i32::MAX]);
    round_trip([-1i64, i64::MIN, i64::MAX]);
    round_trip([1.5f32, -0.0, f32::MAX]);
    round_trip([1.5f64, -1e300, f64::MIN_POSITIVE]);
    round_trip([true, false, true]);
    round_trip([
        half::f16::from_f32(1.5),
        half::f16::MAX,
        half::f16::from_f32(-2.0),
    ]);
    round_trip([
        half::bf16::from_f32(1.5),
        half::bf16::MAX,
        half::bf16::from_f32(-2.0),
    ]);
}

#[test]
fn mismatched_dimensions_are_errors() {
    let (input, mut f) = affine(3);
    let a = Array2::<i32>::zeros((4, 4));
    let err = realize_array::<i32, _>(&mut f, (4, 4, 4), &[input.bind(&a.as_buffer().unwrap())])
        .unwrap_err();
    assert!(
        matches!(&err, Error::Halide(e) if e.message().contains("dimension")),
        "{err}"
    );
    // Output of the wrong rank.
    let a3 = Array3::<i32>::zeros((2, 2, 2));
    let err = realize_array::<i32, _>(&mut f, (4, 4), &[input.bind(&a3.as_buffer().unwrap())])
        .unwrap_err();
    assert!(
        matches!(&err, Error::Halide(e) if e.message().contains("dimension")),
        "{err}"
    );
    // An owned buffer into an array of another rank.
    let b = halide_runtime::Buffer::<u8>::new(&[2, 2, 2]).unwrap();
    let err = buffer_into_array::<u8, ndarray::Ix2>(b, AxisOrder::Reversed).unwrap_err();
    assert_eq!(
        err,
        Error::Dimensions {
            expected: 2,
            found: 3
        }
    );
}

#[test]
fn mismatched_element_type_is_an_error() {
    let (input, mut f) = affine(1);
    let a = ndarray::Array1::<f32>::zeros(4);
    let err =
        realize_array::<i32, _>(&mut f, 4, &[input.bind(&a.as_buffer().unwrap())]).unwrap_err();
    assert!(
        err.to_string().contains("float32") && err.to_string().contains("int32"),
        "{err}"
    );
    let err = realize_array::<u8, _>(
        &mut f,
        4,
        &[input.bind(&ndarray::Array1::<i32>::zeros(4).as_buffer().unwrap())],
    )
    .unwrap_err();
    assert!(err.to_string().contains("uint8"), "{err}");
}

#[test]
fn non_unit_innermost_stride_says_how_to_fix_it() {
    let (input, mut f) = copy_pipeline::<i32>(); // default: dimension 0 must be dense
    let a = ndarray::Array1::from_vec((0..10).collect::<Vec<i32>>());
    let every_other = a.slice(s![..;2]);
    let err = realize_array::<i32, _>(&mut f, 5, &[input.bind(&every_other.as_buffer().unwrap())])
        .unwrap_err();
    assert!(matches!(err, Error::Layout { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("stride.0"), "{text}");
    assert!(
        text.contains(".as_standard_layout()") && text.contains("allow_any_stride"),
        "{text}"
    );
    // The fix it names works.
    let dense = every_other.as_standard_layout();
    let out: ndarray::Array1<i32> =
        realize_array(&mut f, 5, &[input.bind(&dense.as_buffer().unwrap())]).unwrap();
    assert_eq!(out, every_other);
}

#[test]
fn owned_data_moves_without_copies() {
    let a = Array3::from_shape_fn((2, 3, 4), |(i, j, k)| (i * 100 + j * 10 + k) as u16);
    let expected = a.clone();
    let ptr = a.as_ptr();
    let b = array_into_buffer(a, AxisOrder::Reversed).unwrap();
    assert_eq!(
        b.as_slice().as_ptr(),
        ptr,
        "the array's Vec became the buffer's storage"
    );
    assert_eq!(b.shape(), vec![4, 3, 2]);
    assert_eq!(b.get(&[3, 2, 1]), Some(123));
    let back: Array3<u16> = buffer_into_array(b, AxisOrder::Reversed).unwrap();
    assert_eq!(back.as_ptr(), ptr, "and back again");
    assert_eq!(back, expected);
}

#[test]
fn non_contiguous_owned_arrays_are_copied_in_order() {
    let mut a = Array2::from_shape_fn((4, 3), |(i, j)| (i * 3 + j) as i64);
    a.swap_axes(0, 1); // now 3 x 4, not standard layout
    let b = array_into_buffer(a.clone(), AxisOrder::Reversed).unwrap();
    assert_eq!(b.shape(), vec![4, 3]);
    for ((i, j), &v) in a.indexed_iter() {
        assert_eq!(b.get(&[j as i32, i as i32]), Some(v));
    }
    let mut sliced = Array2::from_shape_fn((5, 2), |(i, j)| (i * 2 + j) as i64);
    sliced.slice_collapse(s![1..4, ..]); // owned, contiguous, offset 2
    let b = array_into_buffer(sliced.clone(), AxisOrder::Reversed).unwrap();
    assert_eq!(
        buffer_into_array::<i64, ndarray::Ix2>(b, AxisOrder::Reversed).unwrap(),
        sliced
    );
}

#[test]
fn buffers_view_as_arrays_in_both_orders() {
    let data: Vec<u8> = (0..24).collect();
    // A reversed, strided view: dimension 0 walks backwards by 2.
    let b = BufferRef::with_dims(&data, &[Dim::new(0, 3, -2), Dim::new(0, 4, 6)], 5).unwrap();
    let reversed = b.as_array().unwrap();
    assert_eq!(reversed.shape(), &[4, 3]);
    assert_eq!(reversed[[1, 0]], 11);
    assert_eq!(reversed[[1, 2]], 7);
    let same = b.as_array_with(AxisOrder::Same).unwrap();
    assert_eq!(same, reversed.t());
    let empty =
        BufferRef::<u8>::with_dims(&data, &[Dim::new(0, 0, 1), Dim::new(0, 4, 6)], 0).unwrap();
    assert_eq!(empty.as_array().unwrap().shape(), &[4, 0]);
}

#[test]
fn mutable_views_of_shared_arrays_are_unique() {
    let shared = ndarray::ArcArray::from_shape_fn((2, 2), |(i, j)| (i * 2 + j) as u8);
    let mut mine = shared.clone();
    {
        let mut buf = mine.as_buffer_mut().unwrap();
        buf.set(&[0, 0], 9).unwrap();
    }
    assert_eq!(mine[[0, 0]], 9);
    assert_eq!(
        shared[[0, 0]],
        0,
        "writing through a buffer must not touch the other owner"
    );
}

#[test]
fn compiled_pipeline_writes_into_an_array_view_mut() {
    use halide::args;
    // The Func holds its input parameter; the callable takes its buffer by position.
    let (_, f) = affine(2);
    let callable = Pipeline::new(&[&f])
        .unwrap()
        .compile(&Target::host().unwrap())
        .unwrap();
    let src = Array2::from_shape_fn((4, 6), |(i, j)| (i * 6 + j) as i32);
    let mut dst = Array2::<i32>::zeros((8, 6));
    let ptr = dst.as_ptr();
    let mut lower_half = dst.slice_mut(s![4.., ..]);
    callable
        .call(args![
            &src.as_buffer().unwrap(),
            &mut lower_half.as_buffer_mut().unwrap()
        ])
        .unwrap();
    assert_eq!(dst.as_ptr(), ptr);
    assert_eq!(dst.slice(s![4.., ..]), src.mapv(|v| v * 3 + 1));
    assert!(dst.slice(s![..4, ..]).iter().all(|&v| v == 0));
}

/// A GPU pipeline realized into an array: the array holds the result when
/// the call returns (on every device API that works here; those listed in
/// `HALIDE_REQUIRE_GPU` must).
#[test]
fn gpu_results_land_in_the_array() {
    // WebGPU runs on wgpu, through halide-wgpu.
    halide_wgpu::register().unwrap();
    let required = std::env::var("HALIDE_REQUIRE_GPU").unwrap_or_default();
    for api in halide::gpu::DeviceApi::ALL {
        if let Err(e) = halide::gpu::check(api) {
            assert!(
                !required.split(',').any(|r| r == api.feature()),
                "{api} is required but: {e}"
            );
            continue;
        }
        let [x, y, bx, by, tx, ty] = Var::many(["x", "y", "bx", "by", "tx", "ty"]);
        let input = ImageParam::new::<f32>(2, "input");
        let mut f = Func::new("tripled");
        f.define([&x, &y], input.at((&x, &y)) * 3.0f32).unwrap();
        f.gpu_tile(&[
            halide::GpuTile {
                var: &x,
                block: &bx,
                thread: &tx,
                size: 8,
            },
            halide::GpuTile {
                var: &y,
                block: &by,
                thread: &ty,
                size: 8,
            },
        ])
        .unwrap();
        f.compile_jit(&Target::host().unwrap().with_feature(api.feature()).unwrap())
            .unwrap();
        let a = Array2::from_shape_fn((24, 40), |(i, j)| (i * 40 + j) as f32);
        let view = a.as_buffer().unwrap();
        let out: Array2<f32> = realize_array(&mut f, (24, 40), &[input.bind(&view)]).unwrap();
        assert_eq!(out, a.mapv(|v| v * 3.0), "{api}");
    }
}

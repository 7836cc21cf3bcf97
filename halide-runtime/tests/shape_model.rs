//! Shape views and in-place shape operations against a plain-Rust model.
//!
//! The model knows nothing of strides: a view is a box of coordinates
//! (mins, extents) and, for each position in it, the coordinates of the
//! base buffer's element it shows. Each operation builds the new box and
//! looks every new position up in the old one. Random base layouts
//! (permuted, padded, reversed strides) and random sequences of operations,
//! valid or not, are run through every path the library offers: lasting
//! `BufferRef` views, the trait's borrowing views, in-place operations on
//! a `BufferRef` and on a `BufferMut`, and writable views.

use halide_runtime::{
    Buffer, BufferMut, BufferRef, Dim, HalideBuffer, HalideBufferExt, HalideBufferMut,
    HalideBufferMutExt, ShapeError,
};
use proptest::prelude::*;

/// A view as the model sees it.
#[derive(Debug, Clone, PartialEq)]
struct Model {
    mins: Vec<i32>,
    extents: Vec<i32>,
    /// Base coordinates shown at each position, dimension 0 fastest.
    cells: Vec<Vec<i32>>,
}

/// Every position of a box, dimension 0 fastest.
fn positions(mins: &[i32], extents: &[i32]) -> Vec<Vec<i32>> {
    let mut all = vec![vec![]];
    for (&min, &extent) in mins.iter().zip(extents) {
        let mut next = Vec::new();
        for i in 0..extent {
            for p in &all {
                let mut p: Vec<i32> = p.clone();
                p.push(min + i);
                next.push(p);
            }
        }
        all = next;
    }
    // Built with the last dimension fastest: reorder.
    all.sort_by(|a, b| a.iter().rev().cmp(b.iter().rev()));
    all
}

impl Model {
    fn base(dims: &[Dim]) -> Self {
        let mins: Vec<i32> = dims.iter().map(|d| d.min).collect();
        let extents: Vec<i32> = dims.iter().map(|d| d.extent).collect();
        let cells = positions(&mins, &extents);
        Model {
            mins,
            extents,
            cells,
        }
    }

    fn at(&self, coords: &[i32]) -> &[i32] {
        let i = positions(&self.mins, &self.extents)
            .iter()
            .position(|p| p == coords)
            .expect("the model only looks up positions it has");
        &self.cells[i]
    }

    /// The model after an operation that makes the box `mins`/`extents`,
    /// whose position `c` shows what the old one showed at `old(c)`.
    fn rebuild(&self, mins: Vec<i32>, extents: Vec<i32>, old: impl Fn(&[i32]) -> Vec<i32>) -> Self {
        let cells = positions(&mins, &extents)
            .iter()
            .map(|c| self.at(&old(c)).to_vec())
            .collect();
        Model {
            mins,
            extents,
            cells,
        }
    }

    /// The model after `op`, or `None` when the library must refuse it.
    fn apply(&self, op: &Op) -> Option<Self> {
        let n = self.mins.len();
        let (mut mins, mut extents) = (self.mins.clone(), self.extents.clone());
        let fits = |v: i64| i32::try_from(v).is_ok();
        match *op {
            Op::Crop { dim, min, extent } => {
                let ok = dim < n
                    && extent >= 0
                    && min >= mins[dim]
                    && i64::from(min) + i64::from(extent)
                        <= i64::from(mins[dim]) + i64::from(extents[dim]);
                if !ok {
                    return None;
                }
                (mins[dim], extents[dim]) = (min, extent);
                Some(self.rebuild(mins, extents, |c| c.to_vec()))
            }
            Op::Slice { dim, pos } => {
                if dim >= n
                    || pos < mins[dim]
                    || i64::from(pos) >= i64::from(mins[dim]) + i64::from(extents[dim])
                {
                    return None;
                }
                mins.remove(dim);
                extents.remove(dim);
                Some(self.rebuild(mins, extents, |c| {
                    let mut c = c.to_vec();
                    c.insert(dim, pos);
                    c
                }))
            }
            Op::Translate { dim, delta } => {
                if dim >= n {
                    return None;
                }
                let min = i64::from(mins[dim]) + i64::from(delta);
                if !fits(min) || !fits(min + i64::from(extents[dim]) - 1) {
                    return None;
                }
                mins[dim] = min as i32;
                Some(self.rebuild(mins, extents, |c| {
                    let mut c = c.to_vec();
                    c[dim] = (i64::from(c[dim]) - i64::from(delta)) as i32;
                    c
                }))
            }
            Op::Transpose { d1, d2 } => {
                if d1 >= n || d2 >= n {
                    return None;
                }
                mins.swap(d1, d2);
                extents.swap(d1, d2);
                Some(self.rebuild(mins, extents, |c| {
                    let mut c = c.to_vec();
                    c.swap(d1, d2);
                    c
                }))
            }
            Op::Permute { ref order } => {
                let mut sorted = order.clone();
                sorted.sort_unstable();
                if sorted != (0..n).collect::<Vec<_>>() {
                    return None;
                }
                let mins = order.iter().map(|&d| self.mins[d]).collect();
                let extents = order.iter().map(|&d| self.extents[d]).collect();
                Some(self.rebuild(mins, extents, |c| {
                    let mut old = vec![0; n];
                    for (i, &d) in order.iter().enumerate() {
                        old[d] = c[i];
                    }
                    old
                }))
            }
            Op::ReverseAxes => {
                mins.reverse();
                extents.reverse();
                Some(self.rebuild(mins, extents, |c| c.iter().rev().copied().collect()))
            }
            Op::Embed { dim, pos } => {
                if dim > n {
                    return None;
                }
                mins.insert(dim, pos);
                extents.insert(dim, 1);
                Some(self.rebuild(mins, extents, |c| {
                    let mut c = c.to_vec();
                    c.remove(dim);
                    c
                }))
            }
            Op::AddDimension => {
                mins.push(0);
                extents.push(1);
                Some(self.rebuild(mins, extents, |c| c[..n].to_vec()))
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Crop { dim: usize, min: i32, extent: i32 },
    Slice { dim: usize, pos: i32 },
    Translate { dim: usize, delta: i32 },
    Transpose { d1: usize, d2: usize },
    Permute { order: Vec<usize> },
    ReverseAxes,
    Embed { dim: usize, pos: i32 },
    AddDimension,
}

fn op() -> impl Strategy<Value = Op> {
    let dim = 0usize..5;
    let delta = prop_oneof![8 => -5i32..5, 1 => Just(i32::MAX), 1 => Just(i32::MIN)];
    prop_oneof![
        4 => (dim.clone(), -5i32..8, -1i32..6).prop_map(|(dim, min, extent)| Op::Crop { dim, min, extent }),
        2 => (dim.clone(), -5i32..8).prop_map(|(dim, pos)| Op::Slice { dim, pos }),
        2 => (dim.clone(), delta).prop_map(|(dim, delta)| Op::Translate { dim, delta }),
        2 => (dim.clone(), dim.clone()).prop_map(|(d1, d2)| Op::Transpose { d1, d2 }),
        // Shuffled 0..n for n up to 4: often, but not always, a permutation.
        1 => prop::collection::vec(0usize..4, 0..5).prop_map(|order| Op::Permute { order }),
        1 => Just(Op::ReverseAxes),
        1 => (dim, -3i32..3).prop_map(|(dim, pos)| Op::Embed { dim, pos }),
        1 => Just(Op::AddDimension),
    ]
}

/// A base layout: dims over a slice, with the element at the mins at `offset`.
#[derive(Debug, Clone)]
struct Base {
    dims: Vec<Dim>,
    offset: usize,
    len: usize,
}

impl Base {
    /// The memory index of the element at base coordinates `c`.
    fn index(&self, c: &[i32]) -> usize {
        let off: i64 = c
            .iter()
            .zip(&self.dims)
            .map(|(&c, d)| i64::from(c - d.min) * i64::from(d.stride))
            .sum();
        (self.offset as i64 + off) as usize
    }
}

/// 0 to 3 dimensions of extent 0 to 4, strides in a random order, padded,
/// some reversed.
fn base() -> impl Strategy<Value = Base> {
    prop::collection::vec((0i32..5, -3i32..4, 0u8..8, 0i32..3, any::<bool>()), 0..4).prop_map(
        |spec| {
            let mut order: Vec<usize> = (0..spec.len()).collect();
            order.sort_by_key(|&d| spec[d].2);
            let mut strides = vec![0i32; spec.len()];
            let mut running = 1;
            for &d in &order {
                strides[d] = running;
                running = running * spec[d].0.max(1) + spec[d].3;
            }
            let (mut offset, mut high) = (0i64, 0i64);
            let mut dims = Vec::new();
            for (d, &(extent, min, _, _, flip)) in spec.iter().enumerate() {
                let span = i64::from(strides[d]) * i64::from((extent - 1).max(0));
                let stride = if flip { -strides[d] } else { strides[d] };
                if flip {
                    offset += span;
                }
                high += span;
                dims.push(Dim::new(min, extent, stride));
            }
            Base {
                dims,
                offset: offset as usize,
                len: high as usize + 1,
            }
        },
    )
}

/// Checks everything a view shows against the model.
fn check(view: &impl HalideBuffer<Elem = i32>, model: &Model, base: &Base, memory: &[i32]) {
    let mins: Vec<i32> = view.dims().iter().map(|d| d.min).collect();
    assert_eq!((&mins, &view.shape()), (&model.mins, &model.extents));
    let expected: Vec<i32> = model.cells.iter().map(|c| memory[base.index(c)]).collect();
    let places = positions(&model.mins, &model.extents);
    for (p, &want) in places.iter().zip(&expected) {
        assert_eq!(view.get(p), Some(want), "at {p:?}");
        assert!(view.contains(p));
    }
    // Just outside every face of the box.
    if let Some(first) = places.first() {
        for d in 0..first.len() {
            for outside in [
                i64::from(model.mins[d]) - 1,
                i64::from(model.mins[d]) + i64::from(model.extents[d]),
            ] {
                if let Ok(c) = i32::try_from(outside) {
                    let mut p = first.clone();
                    p[d] = c;
                    assert_eq!(view.get(&p), None);
                    assert!(!view.contains(&p));
                }
            }
        }
    }
    let mut values = Vec::new();
    view.for_each_value(|v| values.push(v));
    assert_eq!(values, expected);
    let mut seen = Vec::new();
    view.for_each_element(|c| seen.push(c.to_vec()));
    assert_eq!(seen, places);
    let dense = view.to_dense().unwrap();
    assert_eq!(dense.as_slice(), expected);
    assert_eq!(
        dense.dims().iter().map(|d| d.min).collect::<Vec<_>>(),
        model.mins
    );
}

/// Applies `op` to a lasting view of a `BufferRef`.
fn lasting<'a>(v: &BufferRef<'a, i32>, op: &Op) -> Result<BufferRef<'a, i32>, ShapeError> {
    match *op {
        Op::Crop { dim, min, extent } => v.cropped(dim, min, extent),
        Op::Slice { dim, pos } => v.sliced(dim, pos),
        Op::Translate { dim, delta } => v.translated(dim, delta),
        Op::Transpose { d1, d2 } => v.transposed(d1, d2),
        Op::Permute { ref order } => v.permuted(order),
        Op::ReverseAxes => v.reversed_axes(),
        Op::Embed { dim, pos } => v.embedded(dim, pos),
        Op::AddDimension => v.with_added_dimension(),
    }
}

/// Applies `op` through the trait's borrowing views, on any buffer.
fn borrowed<'v, B: HalideBuffer<Elem = i32>>(
    v: &'v B,
    op: &Op,
) -> Result<BufferRef<'v, i32>, ShapeError> {
    match *op {
        Op::Crop { dim, min, extent } => HalideBufferExt::cropped(v, dim, min, extent),
        Op::Slice { dim, pos } => HalideBufferExt::sliced(v, dim, pos),
        Op::Translate { dim, delta } => HalideBufferExt::translated(v, dim, delta),
        Op::Transpose { d1, d2 } => HalideBufferExt::transposed(v, d1, d2),
        Op::Permute { ref order } => HalideBufferExt::permuted(v, order),
        Op::ReverseAxes => HalideBufferExt::reversed_axes(v),
        Op::Embed { dim, pos } => HalideBufferExt::embedded(v, dim, pos),
        Op::AddDimension => HalideBufferExt::with_added_dimension(v),
    }
}

/// Applies `op` through the writable views.
fn borrowed_mut<'v, B: HalideBufferMut<Elem = i32>>(
    v: &'v mut B,
    op: &Op,
) -> Result<BufferMut<'v, i32>, ShapeError> {
    match *op {
        Op::Crop { dim, min, extent } => v.cropped_mut(dim, min, extent),
        Op::Slice { dim, pos } => v.sliced_mut(dim, pos),
        Op::Translate { dim, delta } => v.translated_mut(dim, delta),
        Op::Transpose { d1, d2 } => v.transposed_mut(d1, d2),
        Op::Permute { ref order } => v.permuted_mut(order),
        Op::ReverseAxes => v.reversed_axes_mut(),
        Op::Embed { dim, pos } => v.embedded_mut(dim, pos),
        Op::AddDimension => v.with_added_dimension_mut(),
    }
}

/// In-place versions, for both view kinds.
macro_rules! in_place {
    ($v:expr, $op:expr) => {
        match *$op {
            Op::Crop { dim, min, extent } => $v.crop(dim, min, extent),
            Op::Slice { dim, pos } => $v.slice(dim, pos),
            Op::Translate { dim, delta } => $v.translate(dim, delta),
            Op::Transpose { d1, d2 } => $v.transpose(d1, d2),
            Op::Permute { ref order } => $v.permute(order),
            Op::ReverseAxes => {
                $v.reverse_axes();
                Ok(())
            }
            Op::Embed { dim, pos } => $v.embed(dim, pos),
            Op::AddDimension => {
                $v.add_dimension();
                Ok(())
            }
        }
    };
}

fn config() -> ProptestConfig {
    if cfg!(miri) {
        // A handful of cases keeps the run short; Miri's isolation has no
        // working directory for proptest's record of failures.
        ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::with_cases(3)
        }
    } else {
        ProptestConfig::with_cases(512)
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn views_match_the_model(base in base(), ops in prop::collection::vec(op(), 0..8)) {
        let memory: Vec<i32> = (0..base.len as i32).collect();
        let mut written = memory.clone();
        let mut model = Model::base(&base.dims);
        let mut view = BufferRef::with_dims(&memory, &base.dims, base.offset).unwrap();
        let mut in_place_ref = view.clone();
        let mut in_place_mut = BufferMut::with_dims(&mut written, &base.dims, base.offset).unwrap();
        check(&view, &model, &base, &memory);
        for op in &ops {
            let next = model.apply(op);
            let results = [
                lasting(&view, op).map(|_| ()),
                borrowed(&view, op).map(|_| ()),
                borrowed_mut(&mut in_place_mut, op).map(|_| ()),
                in_place!(in_place_ref, op),
                in_place!(in_place_mut, op),
            ];
            match next {
                None => {
                    for r in results {
                        prop_assert!(r.is_err(), "{op:?} should be refused");
                    }
                }
                Some(next) => {
                    for r in &results {
                        prop_assert!(r.is_ok(), "{op:?} should succeed: {r:?}");
                    }
                    check(&borrowed(&view, op).unwrap(), &next, &base, &memory);
                    view = lasting(&view, op).unwrap();
                    model = next;
                }
            }
            // Refused operations change nothing; accepted ones agree.
            check(&view, &model, &base, &memory);
            check(&in_place_ref, &model, &base, &memory);
            check(&in_place_mut, &model, &base, &memory);
        }
        // Writes through the final view land exactly where the model says.
        let mark = |p: &[i32]| -1 - positions(&model.mins, &model.extents).iter().position(|q| q == p).unwrap() as i32;
        in_place_mut.for_each_element_mut(|c, v| *v = mark(c));
        drop(in_place_mut);
        let mut expected = memory.clone();
        for (p, cell) in positions(&model.mins, &model.extents).iter().zip(&model.cells) {
            expected[base.index(cell)] = mark(p);
        }
        prop_assert_eq!(written, expected);
    }

    #[test]
    fn copy_from_copies_the_intersection(
        (dst_min, dst_ext) in (prop::collection::vec(-3i32..3, 2), prop::collection::vec(0i32..5, 2)),
        (src_min, src_ext) in (prop::collection::vec(-3i32..3, 2), prop::collection::vec(0i32..5, 2)),
    ) {
        let mut dst = Buffer::<i32>::new(&dst_ext).unwrap();
        dst.set_min(&dst_min).unwrap();
        let mut src = Buffer::<i32>::from_fn(&src_ext, |c| 1 + c[0] + 10 * c[1]).unwrap();
        src.set_min(&src_min).unwrap();
        dst.copy_from(&src).unwrap();
        for p in positions(&dst_min, &dst_ext) {
            let want = if src.contains(&p) { src.get(&p).unwrap() } else { 0 };
            prop_assert_eq!(dst.get(&p), Some(want));
        }
        let wrong = Buffer::<i32>::new(&[1]).unwrap();
        prop_assert!(dst.copy_from(&wrong).is_err());
    }
}

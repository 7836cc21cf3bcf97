//! Where a buffer's elements lie in bytes, and which byte runs a copy
//! between two buffers moves: the arithmetic behind copies, crops and
//! slices, apart from any device.
//!
//! Device memory mirrors host memory: a buffer's device allocation holds
//! its elements at the same byte offsets, from its min corner, as its host
//! allocation. Negative strides are refused (Halide's device runtimes
//! assume the min corner is the lowest address too).

use halide_runtime::sys::halide_buffer_t;
use halide_runtime::{Error, ErrorCode};

/// One dimension: first coordinate, extent, stride in elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dim {
    pub min: i64,
    pub extent: i64,
    pub stride: i64,
}

/// A buffer's shape in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    /// Bytes per element.
    pub elem: i64,
    pub dims: Vec<Dim>,
}

impl Layout {
    /// The layout of `buf`.
    ///
    /// # Safety
    /// `buf.dim` points to `buf.dimensions` readable dimensions.
    pub unsafe fn of(buf: &halide_buffer_t) -> Result<Layout, Error> {
        let n = usize::try_from(buf.dimensions).unwrap_or(0);
        let dims = if n == 0 || buf.dim.is_null() {
            &[][..]
        } else {
            // SAFETY: the caller's contract.
            unsafe { std::slice::from_raw_parts(buf.dim, n) }
        };
        let elem = (i64::from(buf.type_.bits) + 7) / 8 * i64::from(buf.type_.lanes);
        Layout::new(
            elem,
            dims.iter()
                .map(|d| Dim {
                    min: d.min.into(),
                    extent: d.extent.into(),
                    stride: d.stride.into(),
                })
                .collect(),
        )
    }

    /// A layout of `elem`-byte elements; refuses negative strides and extents.
    pub fn new(elem: i64, dims: Vec<Dim>) -> Result<Layout, Error> {
        if let Some(d) = dims.iter().find(|d| d.stride < 0 || d.extent < 0) {
            return Err(Error::new(
                ErrorCode::BadDimensions,
                Some(format!(
                    "WebGPU buffers need non-negative strides and extents, not {d:?}"
                )),
            ));
        }
        Ok(Layout { elem, dims })
    }

    /// Bytes from the min corner to the end of the last element (0 when
    /// the buffer is empty).
    pub fn size_in_bytes(&self) -> i64 {
        if self.dims.iter().any(|d| d.extent == 0) {
            return 0;
        }
        self.elem
            + self
                .dims
                .iter()
                .map(|d| (d.extent - 1) * d.stride * self.elem)
                .sum::<i64>()
    }

    /// The byte offset of `sub`'s min corner in this buffer (`sub` lying
    /// inside it, as a crop does).
    pub fn offset_of(&self, sub: &Layout) -> i64 {
        self.dims
            .iter()
            .zip(&sub.dims)
            .map(|(d, s)| (s.min - d.min) * d.stride * self.elem)
            .sum()
    }

    /// The byte offset of slice `pos` of dimension `dim`.
    pub fn slice_offset(&self, dim: usize, pos: i64) -> i64 {
        self.dims
            .get(dim)
            .map_or(0, |d| (pos - d.min) * d.stride * self.elem)
    }
}

/// A run of bytes to copy: from `src` in the source, to `dst` in the
/// destination, both from each buffer's min corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    pub src: i64,
    pub dst: i64,
    pub len: i64,
}

/// A copy of `dst`'s domain from `src` (which must hold it), as byte runs.
#[derive(Debug, Clone)]
pub(crate) struct CopyPlan {
    /// Bytes in one run: dimensions contiguous in both buffers merged.
    pub run: i64,
    /// The first run's source offset.
    src_base: i64,
    /// The other dimensions: extent and byte strides in source and
    /// destination, innermost first.
    outer: Vec<(i64, i64, i64)>,
}

impl CopyPlan {
    /// The plan for copying `dst`'s domain out of `src`.
    pub fn new(src: &Layout, dst: &Layout) -> Result<CopyPlan, Error> {
        let mismatch = |why: String| Err(Error::new(ErrorCode::BadDimensions, Some(why)));
        if src.elem != dst.elem || src.dims.len() != dst.dims.len() {
            return mismatch(format!(
                "cannot copy between buffers of {}-byte elements in {} dimensions and \
                 {}-byte elements in {} dimensions",
                src.elem,
                src.dims.len(),
                dst.elem,
                dst.dims.len()
            ));
        }
        for (i, (s, d)) in src.dims.iter().zip(&dst.dims).enumerate() {
            if d.extent > 0 && (d.min < s.min || d.min + d.extent > s.min + s.extent) {
                return mismatch(format!(
                    "dimension {i} of the destination ([{}, {})) is outside the source's ([{}, {}))",
                    d.min,
                    d.min + d.extent,
                    s.min,
                    s.min + s.extent
                ));
            }
        }
        let mut dims: Vec<(i64, i64, i64)> = src
            .dims
            .iter()
            .zip(&dst.dims)
            .filter(|(_, d)| d.extent != 1)
            .map(|(s, d)| (d.extent, s.stride * src.elem, d.stride * dst.elem))
            .collect();
        let mut run = src.elem;
        // Merge any dimension that continues the run in both buffers,
        // whatever its position, until none does.
        while let Some(i) = dims.iter().position(|&(_, s, d)| s == run && d == run) {
            run *= dims.remove(i).0;
        }
        dims.sort_by_key(|&(_, _, d)| d);
        Ok(CopyPlan {
            run,
            src_base: src.offset_of(dst),
            outer: dims,
        })
    }

    /// How many runs there are.
    pub fn runs(&self) -> i64 {
        self.outer.iter().map(|&(e, _, _)| e).product()
    }

    /// The only run, when there is exactly one.
    pub fn single_run(&self) -> Option<Run> {
        (self.runs() == 1 && self.run > 0).then_some(Run {
            src: self.src_base,
            dst: 0,
            len: self.run,
        })
    }

    /// The byte ranges the runs cover in the source and in the destination
    /// (`None` without runs), found in one pass.
    pub fn spans(&self) -> Option<((i64, i64), (i64, i64))> {
        let mut spans: Option<((i64, i64), (i64, i64))> = None;
        self.for_each(|r| {
            let ((sl, sh), (dl, dh)) = spans.get_or_insert(((r.src, r.src), (r.dst, r.dst)));
            (*sl, *sh) = ((*sl).min(r.src), (*sh).max(r.src + r.len));
            (*dl, *dh) = ((*dl).min(r.dst), (*dh).max(r.dst + r.len));
        });
        spans
    }

    /// Calls `f` with every run, in destination order.
    pub fn for_each(&self, mut f: impl FnMut(Run)) {
        if self.outer.iter().any(|&(e, _, _)| e == 0) || self.run == 0 {
            return;
        }
        let mut index = vec![0i64; self.outer.len()];
        let (mut src, mut dst) = (self.src_base, 0i64);
        loop {
            f(Run {
                src,
                dst,
                len: self.run,
            });
            // An odometer over the outer dimensions, innermost first.
            let mut k = 0;
            loop {
                let Some(&(extent, s, d)) = self.outer.get(k) else {
                    return;
                };
                index[k] += 1;
                src += s;
                dst += d;
                if index[k] < extent {
                    break;
                }
                src -= s * extent;
                dst -= d * extent;
                index[k] = 0;
                k += 1;
            }
        }
    }
}

/// `x` rounded up to a multiple of 4, the copy alignment of WebGPU.
pub(crate) fn align_up(x: i64) -> i64 {
    (x + 3) & !3
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dense(elem: i64, extents: &[i64]) -> Layout {
        let mut stride = 1;
        let dims = extents
            .iter()
            .map(|&extent| {
                let d = Dim {
                    min: 0,
                    extent,
                    stride,
                };
                stride *= extent;
                d
            })
            .collect();
        Layout::new(elem, dims).unwrap()
    }

    fn runs(plan: &CopyPlan) -> Vec<Run> {
        let mut v = Vec::new();
        plan.for_each(|r| v.push(r));
        v
    }

    #[test]
    fn a_dense_copy_is_one_run() {
        let l = dense(4, &[7, 5, 3]);
        let plan = CopyPlan::new(&l, &l).unwrap();
        assert_eq!(
            runs(&plan),
            [Run {
                src: 0,
                dst: 0,
                len: 4 * 105
            }]
        );
        assert_eq!(l.size_in_bytes(), 420);
    }

    #[test]
    fn a_crop_copies_row_by_row() {
        let src = dense(2, &[10, 4]);
        let mut dst = dense(2, &[3, 2]);
        dst.dims[0].min = 2;
        dst.dims[1].min = 1;
        let plan = CopyPlan::new(&src, &dst).unwrap();
        assert_eq!(
            runs(&plan),
            [
                Run {
                    src: 24,
                    dst: 0,
                    len: 6
                },
                Run {
                    src: 44,
                    dst: 6,
                    len: 6
                }
            ]
        );
        assert_eq!(src.offset_of(&dst), 24);
    }

    #[test]
    fn transposed_layouts_copy_element_by_element_in_destination_order() {
        let src = dense(1, &[2, 3]);
        let dst = Layout::new(
            1,
            vec![
                Dim {
                    min: 0,
                    extent: 2,
                    stride: 3,
                },
                Dim {
                    min: 0,
                    extent: 3,
                    stride: 1,
                },
            ],
        )
        .unwrap();
        let plan = CopyPlan::new(&src, &dst).unwrap();
        let got: Vec<(i64, i64)> = runs(&plan).iter().map(|r| (r.src, r.dst)).collect();
        assert_eq!(got, [(0, 0), (2, 1), (4, 2), (1, 3), (3, 4), (5, 5)]);
    }

    #[test]
    fn every_element_is_copied_once_whatever_the_layout() {
        // A copy between a planar and an interleaved 3-channel image.
        let planar = dense(1, &[4, 3, 3]);
        let interleaved = Layout::new(
            1,
            vec![
                Dim {
                    min: 0,
                    extent: 4,
                    stride: 3,
                },
                Dim {
                    min: 0,
                    extent: 3,
                    stride: 12,
                },
                Dim {
                    min: 0,
                    extent: 3,
                    stride: 1,
                },
            ],
        )
        .unwrap();
        let plan = CopyPlan::new(&planar, &interleaved).unwrap();
        let mut seen = [0; 36];
        plan.for_each(|r| seen[r.dst as usize] += 1);
        assert!(seen.iter().all(|&n| n == 1));
        assert_eq!(plan.runs(), 36);
    }

    #[test]
    fn copies_outside_the_source_and_negative_strides_are_refused() {
        let src = dense(4, &[4]);
        let dst = dense(4, &[5]);
        let e = CopyPlan::new(&src, &dst).unwrap_err();
        assert!(e.message().unwrap().contains("outside"), "{e}");
        let e = Layout::new(
            4,
            vec![Dim {
                min: 0,
                extent: 2,
                stride: -1,
            }],
        )
        .unwrap_err();
        assert!(e.message().unwrap().contains("non-negative"), "{e}");
    }

    #[test]
    fn empty_buffers_have_no_runs() {
        let l = dense(4, &[0, 3]);
        assert_eq!(l.size_in_bytes(), 0);
        assert!(runs(&CopyPlan::new(&l, &l).unwrap()).is_empty());
    }

    #[test]
    fn alignment() {
        assert_eq!((align_up(7), align_up(8), align_up(0)), (8, 8, 0));
    }
}

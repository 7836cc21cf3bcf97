//! Copies between host memory and device memory, and on the device, for
//! any two layouts of the same domain.
//!
//! WebGPU copies whole 4-byte words at word-aligned offsets. A copy whose
//! bytes are one aligned run goes straight through; any other (an odd
//! size, a crop at an odd offset, a strided layout) reads the words it
//! touches, patches them and writes them back, so bytes outside the
//! destination's elements never change.

use crate::layout::{CopyPlan, Layout};
use crate::memory::DeviceBuffer;
use halide_runtime::{Error, ErrorCode};

/// Where a copy reads from or writes to.
pub(crate) enum End<'a> {
    /// Host memory at the buffer's min corner.
    Host(*mut u8),
    Device(&'a DeviceBuffer),
}

/// Copies `dst_layout`'s domain from `src` (laid out as `src_layout`) to `dst`.
///
/// # Safety
/// A host end's pointer is valid for reads (source) or writes
/// (destination) of every byte its layout's elements occupy.
pub(crate) unsafe fn copy(
    src: &End<'_>,
    src_layout: &Layout,
    dst: &End<'_>,
    dst_layout: &Layout,
) -> Result<(), Error> {
    let plan = CopyPlan::new(src_layout, dst_layout)?;
    let Some(((src_lo, src_hi), (dst_lo, dst_hi))) = plan.spans() else {
        return Ok(());
    };
    // The source bytes, wherever they are: a host pointer at the min
    // corner, or the words read from the device with the min corner's
    // position in them.
    let read;
    let (base, shift): (*const u8, i64) = match src {
        End::Host(p) => (p.cast_const(), 0),
        End::Device(d) => {
            if let End::Device(t) = dst {
                if let Some(()) = direct_device_copy(&plan, d, t)? {
                    return Ok(());
                }
            }
            let (bytes, at) = d.read_span(src_lo, src_hi)?;
            read = bytes;
            (read.as_ptr(), at as i64 - src_lo)
        }
    };
    match dst {
        End::Host(p) => {
            plan.for_each(|r| {
                // SAFETY: the source run lies in the host source's elements
                // (the caller's contract) or in `read`, which holds the
                // words covering [src_lo, src_hi); the destination run lies
                // in the host destination's elements; they do not overlap
                // unless they are the same bytes, which copy() permits.
                unsafe {
                    std::ptr::copy(
                        base.offset((r.src + shift) as isize),
                        p.offset(r.dst as isize),
                        r.len as usize,
                    )
                }
            });
            Ok(())
        }
        End::Device(d) => {
            let dense = plan.single_run().is_some();
            let (start, end) = d.words(dst_lo, dst_hi)?;
            let exact = start == d.offset + dst_lo as u64 && end == d.offset + dst_hi as u64;
            if dense && exact {
                // SAFETY: one run of `plan.run` source bytes, as above.
                let bytes = unsafe {
                    std::slice::from_raw_parts(
                        base.offset((src_lo + shift) as isize),
                        plan.run as usize,
                    )
                };
                return d.gpu.write(&d.buffer, start, bytes);
            }
            let mut words = d.read_span(dst_lo, dst_hi)?.0;
            let at = (d.offset + dst_lo as u64 - start) as i64 - dst_lo;
            plan.for_each(|r| {
                let to = (r.dst + at) as usize;
                // SAFETY: the source run is readable as above.
                let from = unsafe {
                    std::slice::from_raw_parts(
                        base.offset((r.src + shift) as isize),
                        r.len as usize,
                    )
                };
                words[to..to + r.len as usize].copy_from_slice(from);
            });
            d.gpu.write(&d.buffer, start, &words)
        }
    }
}

/// A device-to-device copy of one aligned run on one device, done by the
/// device; `None` when the copy is not of that kind.
fn direct_device_copy(
    plan: &CopyPlan,
    src: &DeviceBuffer,
    dst: &DeviceBuffer,
) -> Result<Option<()>, Error> {
    let Some(r) = plan.single_run() else {
        return Ok(None);
    };
    let (from, to) = (src.offset + r.src as u64, dst.offset + r.dst as u64);
    if src.gpu.id() != dst.gpu.id() || from % 4 != 0 || to % 4 != 0 || r.len % 4 != 0 {
        return Ok(None);
    }
    let gpu = &src.gpu;
    gpu.scoped(ErrorCode::DeviceBufferCopyFailed, || {
        let mut encoder = gpu.device().create_command_encoder(&Default::default());
        encoder.copy_buffer_to_buffer(&src.buffer, from, &dst.buffer, to, r.len as u64);
        gpu.queue().submit([encoder.finish()]);
    })
    .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Dim;

    fn dims(d: &[(i64, i64, i64)]) -> Vec<Dim> {
        d.iter()
            .map(|&(min, extent, stride)| Dim {
                min,
                extent,
                stride,
            })
            .collect()
    }

    /// Host to host, the path with no device: the raw-pointer walk over
    /// the runs (what Miri checks here).
    #[test]
    fn host_copies_move_every_element_between_layouts() {
        // A planar 4×3×2 u16 image into an interleaved one, and back.
        let planar_layout = Layout::new(2, dims(&[(0, 4, 1), (0, 3, 4), (0, 2, 12)])).unwrap();
        let interleaved_layout = Layout::new(2, dims(&[(0, 4, 2), (0, 3, 8), (0, 2, 1)])).unwrap();
        let planar: Vec<u16> = (0..24).collect();
        let mut interleaved = vec![0u16; 24];
        // SAFETY: both vectors hold every element their layouts address.
        unsafe {
            copy(
                &End::Host(planar.as_ptr().cast_mut().cast()),
                &planar_layout,
                &End::Host(interleaved.as_mut_ptr().cast()),
                &interleaved_layout,
            )
        }
        .unwrap();
        // (x, y, c) lies at x + 4y + 12c in the planar image and at
        // 2x + 8y + c in the interleaved one.
        for (x, y, c) in
            (0..4).flat_map(|x| (0..3).flat_map(move |y| (0..2).map(move |c| (x, y, c))))
        {
            assert_eq!(interleaved[2 * x + 8 * y + c], planar[x + 4 * y + 12 * c]);
        }
        let mut back = vec![0u16; 24];
        // SAFETY: as above.
        unsafe {
            copy(
                &End::Host(interleaved.as_mut_ptr().cast()),
                &interleaved_layout,
                &End::Host(back.as_mut_ptr().cast()),
                &planar_layout,
            )
        }
        .unwrap();
        assert_eq!(back, planar);
    }

    #[test]
    fn a_crop_copies_only_its_elements() {
        let whole = Layout::new(1, dims(&[(0, 8, 1), (0, 4, 8)])).unwrap();
        let mut crop = Layout::new(1, dims(&[(0, 3, 1), (0, 2, 3)])).unwrap();
        (crop.dims[0].min, crop.dims[1].min) = (2, 1);
        let source: Vec<u8> = (0..32).collect();
        let mut out = [0u8; 6];
        // SAFETY: the source holds the whole image, the output the crop.
        unsafe {
            copy(
                &End::Host(source.as_ptr().cast_mut()),
                &whole,
                &End::Host(out.as_mut_ptr()),
                &crop,
            )
        }
        .unwrap();
        assert_eq!(out, [10, 11, 12, 18, 19, 20]);
    }
}

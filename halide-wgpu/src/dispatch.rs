//! One kernel launch: the arguments bound as Halide's WGSL declares them,
//! then a dispatch.
//!
//! Buffers are bound in `@group(0)` at their argument's index; scalars are
//! packed, in argument order, into one uniform struct in `@group(1)`, each
//! widened to 32 bits (signed types sign-extended, bools and unsigned
//! zero-extended). WGSL has no 64-bit scalars, and f16 only with the
//! `shader-f16` feature, so those are refused with a message.
//!
//! A buffer whose offset in its wgpu buffer is not a multiple of the
//! device's storage offset alignment (a crop, a slice) cannot be bound
//! where it is: its bytes are copied to a fresh buffer around the launch
//! and back after it, in the same submission.

use crate::gpu::Gpu;
use crate::kernels::{Module, PipelineKey, context};
use crate::layout::{Layout, align_up};
use crate::memory::{DeviceBuffer, allocate};
use halide_runtime::sys::{halide_buffer_t, halide_type_t};
use halide_runtime::{Error, ErrorCode, Type, TypeCode};
use std::ffi::c_void;
use std::sync::Arc;
use wgpu::util::DeviceExt;

/// One argument of a launch.
pub(crate) enum Arg<'a> {
    Buffer(&'a halide_buffer_t),
    /// A scalar of type `.0` at address `.1`.
    Scalar(halide_type_t, *const c_void),
}

/// Workgroup counts, threads per workgroup and workgroup memory.
pub(crate) struct Shape {
    pub groups: [u32; 3],
    pub key: PipelineKey,
}

/// Launches `shape.key.entry` of `module` with `args`.
///
/// # Safety
/// Every scalar argument's address holds a value of its type; every buffer
/// argument's device field is 0 or a handle of this crate.
pub(crate) unsafe fn run(
    gpu: &Arc<Gpu>,
    module: &Module,
    shape: &Shape,
    args: &[Arg<'_>],
) -> Result<(), Error> {
    let uniforms = pack(args)?;
    let pipeline = module.pipeline(gpu, &shape.key)?;
    let align = u64::from(gpu.device().limits().min_storage_buffer_offset_alignment);
    // The buffers to bind: the argument's own, or an aligned stand-in.
    let mut bound = Vec::new();
    let mut stand_ins = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        let Arg::Buffer(buf) = arg else { continue };
        // SAFETY: the caller's contract.
        let Some(handle) = (unsafe { DeviceBuffer::of(buf) }) else {
            return Err(Error::new(
                ErrorCode::DeviceRunFailed,
                Some(format!("WebGPU kernel argument {i} has no device memory")),
            ));
        };
        if handle.gpu.id() != gpu.id() {
            return Err(Error::new(
                ErrorCode::IncompatibleDeviceInterface,
                Some(format!(
                    "WebGPU kernel argument {i} lives on another device ({}) than the kernel ({})",
                    handle.gpu.adapter_name(),
                    gpu.adapter_name()
                )),
            ));
        }
        // SAFETY: a buffer argument is a valid halide_buffer_t.
        let layout = unsafe { Layout::of(buf) }?;
        let size = align_up(layout.size_in_bytes()).max(4) as u64;
        if handle.offset % align == 0 {
            bound.push((i, handle.buffer.clone(), handle.offset, size));
        } else {
            let stand_in = allocate(gpu, &layout)?;
            stand_ins.push((handle, stand_in.buffer.clone(), size));
            bound.push((i, stand_in.buffer, 0, size));
        }
    }
    gpu.scoped(ErrorCode::DeviceRunFailed, || {
        let device = gpu.device();
        let mut encoder = device.create_command_encoder(&Default::default());
        for (handle, stand_in, size) in &stand_ins {
            copy_words(
                &mut encoder,
                &handle.buffer,
                handle.offset,
                stand_in,
                0,
                *size,
            );
        }
        {
            let mut pass = encoder.begin_compute_pass(&Default::default());
            pass.set_pipeline(&pipeline);
            if !bound.is_empty() {
                let entries: Vec<_> = bound
                    .iter()
                    .map(|(i, buffer, offset, size)| wgpu::BindGroupEntry {
                        binding: *i as u32,
                        resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                            buffer,
                            offset: *offset,
                            size: wgpu::BufferSize::new(*size),
                        }),
                    })
                    .collect();
                let group = device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: None,
                    layout: &pipeline.get_bind_group_layout(0),
                    entries: &entries,
                });
                pass.set_bind_group(0, &group, &[]);
            }
            if !uniforms.is_empty() {
                let buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: Some("halide scalar arguments"),
                    contents: &uniforms,
                    usage: wgpu::BufferUsages::UNIFORM,
                });
                let group = device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: None,
                    layout: &pipeline.get_bind_group_layout(1),
                    entries: &[wgpu::BindGroupEntry {
                        binding: 0,
                        resource: buffer.as_entire_binding(),
                    }],
                });
                pass.set_bind_group(1, &group, &[]);
            }
            let [x, y, z] = shape.groups;
            pass.dispatch_workgroups(x, y, z);
        }
        for (handle, stand_in, size) in &stand_ins {
            copy_words(
                &mut encoder,
                stand_in,
                0,
                &handle.buffer,
                handle.offset,
                *size,
            );
        }
        gpu.queue().submit([encoder.finish()]);
    })
    .map_err(|e| context(e, &format!("running {}", shape.key.entry)))
}

/// Copies `size` bytes; an unaligned end is only possible for a stand-in,
/// whose size is already whole words, so offsets are the only concern and
/// WebGPU checks them.
fn copy_words(
    encoder: &mut wgpu::CommandEncoder,
    from: &wgpu::Buffer,
    from_offset: u64,
    to: &wgpu::Buffer,
    to_offset: u64,
    size: u64,
) {
    let size = size
        .min(from.size() - from_offset)
        .min(to.size() - to_offset)
        & !3;
    encoder.copy_buffer_to_buffer(from, from_offset, to, to_offset, size);
}

/// The uniform struct of the scalar arguments.
fn pack(args: &[Arg<'_>]) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        let Arg::Scalar(t, p) = *arg else { continue };
        let ty = Type::from_raw(t);
        let bad = |why: &str| {
            let name = ty.map_or_else(|| format!("of type code {}", t.code), |ty| ty.to_string());
            Err(Error::new(
                ErrorCode::BadType,
                Some(format!("WebGPU kernel argument {i} is {name}: {why}")),
            ))
        };
        let Some(ty) = ty.filter(|_| t.lanes == 1) else {
            return bad("WGSL kernels take only scalars of known types");
        };
        // SAFETY: the caller's contract: p holds a value of type t.
        let word: u32 = unsafe {
            match (ty.code, ty.bits) {
                (TypeCode::Float, 32) => (*p.cast::<f32>()).to_bits(),
                (TypeCode::Int, 1 | 8) => i32::from(*p.cast::<i8>()) as u32,
                (TypeCode::Int, 16) => i32::from(*p.cast::<i16>()) as u32,
                (TypeCode::Int, 32) => *p.cast::<i32>() as u32,
                (TypeCode::UInt, 1 | 8) => u32::from(*p.cast::<u8>()),
                (TypeCode::UInt, 16) => u32::from(*p.cast::<u16>()),
                (TypeCode::UInt, 32) => *p.cast::<u32>(),
                (_, 64) => return bad("WGSL has no 64-bit scalars"),
                (TypeCode::Float, 16) => return bad("f16 scalars need the shader-f16 feature"),
                _ => return bad("WGSL has no such scalar"),
            }
        };
        out.extend_from_slice(&word.to_le_bytes());
    }
    Ok(out)
}

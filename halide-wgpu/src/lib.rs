//! Run Halide pipelines compiled for WebGPU on the [`wgpu`] crate.
//!
//! Halide writes WGSL for a `webgpu` target; its own runtime then drives
//! the GPU through Dawn's C library. This crate is that runtime written in
//! Rust on wgpu (Vulkan, Metal, D3D12): device memory, copies, crops and
//! slices, shader compilation and kernel launches, with Halide's semantics
//! (`src/runtime/webgpu.cpp`), and it can share a device and buffers with a
//! wgpu application.
//!
//! # JIT
//!
//! Call [`register`] once; then `Func::realize` and `Pipeline::compile`
//! for a target with the `webgpu` feature run here:
//!
//! ```
//! use halide::prelude::*;
//! use halide::GpuTile;
//! halide_wgpu::register()?;
//! let [x, y, bx, by, tx, ty] = Var::many(["x", "y", "bx", "by", "tx", "ty"]);
//! let mut f = Func::new("gradient");
//! f.define([&x, &y], (&x + &y).cast::<f32>())?;
//! f.gpu_tile(&[
//!     GpuTile { var: &x, block: &bx, thread: &tx, size: 8 },
//!     GpuTile { var: &y, block: &by, thread: &ty, size: 8 },
//! ])?;
//! // Where wgpu finds a device (CI's is Mesa's software Vulkan):
//! if halide_wgpu::gpu().is_ok() {
//!     f.compile_jit(&Target::host()?.with_feature("webgpu")?)?;
//!     let out: Buffer<f32> = f.realize(&[64, 64])?;
//!     assert_eq!(out.get(&[3, 4]), Some(7.0));
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Ahead of time
//!
//! Libraries built by halide-build for a `<host>-webgpu` target link a
//! runtime without Halide's WebGPU module plus a bridge to this crate;
//! depend on it and mention it once (`use halide_wgpu as _;`) so it is
//! linked. The emitted wrappers work unchanged.
//!
//! # With a wgpu application
//!
//! [`set_device`] makes kernels run on the application's device and
//! queue; [`wrap`] makes one of its `wgpu::Buffer`s a Halide buffer's
//! device memory, and [`device_buffer`] hands a Halide buffer's device
//! memory back as a `wgpu::Buffer`. Without [`set_device`], the first use
//! makes a device on the first adapter wgpu finds ([`gpu`]).
//!
//! # Where Halide's WGSL and naga disagree
//!
//! See the README of this crate's directory for the constructs measured
//! and how each is handled.
//!
//! ## Features
#![doc = document_features::document_features!()]

// The modules in layers, bottom-up: a module uses only modules of the
// layers declared before its own.
mod gpu;
mod layout;
// -
mod memory;
// -
mod copy;
mod kernels;
// -
mod dispatch;
// -
mod interface;
// -
#[cfg(feature = "jit")]
mod jit;
mod wrap;

pub use gpu::{Gpu, gpu, set_device};
pub use interface::{HOOKS, halide_rs_webgpu_hooks};
#[cfg(feature = "jit")]
pub use jit::register;
pub use wrap::{DeviceView, device_buffer, device_interface, wrap};

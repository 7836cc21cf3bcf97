//! Where a Func's storage lives ([`MemoryType`]).

use crate::error::{Error, Result};
use halide_sys as sys;

/// The kind of memory a Func is stored in; see
/// [`Func::store_in`](crate::Func::store_in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum MemoryType {
    /// Halide decides: the stack when small and constant-sized, else the
    /// heap (on GPUs, what the loop level suggests).
    #[default]
    Auto,
    /// The heap (`halide_malloc`).
    Heap,
    /// The stack: the size must be a known constant.
    Stack,
    /// Registers: the size must be a known constant and the accesses must
    /// be resolvable at compile time (unrolled or vectorized).
    Register,
    /// GPU shared memory of a block.
    GpuShared,
    /// GPU texture memory.
    GpuTexture,
    /// A cache-resident buffer (Hexagon's locked L2).
    LockedCache,
    /// Hexagon's vector tightly coupled memory.
    Vtcm,
    /// Intel AMX tile registers.
    AmxTile,
}

impl MemoryType {
    const ALL: [MemoryType; 9] = [
        MemoryType::Auto,
        MemoryType::Heap,
        MemoryType::Stack,
        MemoryType::Register,
        MemoryType::GpuShared,
        MemoryType::GpuTexture,
        MemoryType::LockedCache,
        MemoryType::Vtcm,
        MemoryType::AmxTile,
    ];

    /// The kind the C API's value names.
    pub(crate) fn from_raw(raw: sys::hl_memory_type) -> Result<MemoryType> {
        MemoryType::ALL
            .into_iter()
            .find(|m| m.to_raw() == raw)
            .ok_or_else(|| Error::invalid(format!("Halide named an unknown memory type {}", raw.0)))
    }

    pub(crate) fn to_raw(self) -> sys::hl_memory_type {
        use sys::hl_memory_type as M;
        match self {
            MemoryType::Auto => M::HL_MEMORY_AUTO,
            MemoryType::Heap => M::HL_MEMORY_HEAP,
            MemoryType::Stack => M::HL_MEMORY_STACK,
            MemoryType::Register => M::HL_MEMORY_REGISTER,
            MemoryType::GpuShared => M::HL_MEMORY_GPU_SHARED,
            MemoryType::GpuTexture => M::HL_MEMORY_GPU_TEXTURE,
            MemoryType::LockedCache => M::HL_MEMORY_LOCKED_CACHE,
            MemoryType::Vtcm => M::HL_MEMORY_VTCM,
            MemoryType::AmxTile => M::HL_MEMORY_AMX_TILE,
        }
    }
}

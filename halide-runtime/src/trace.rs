//! Trace events: what a pipeline scheduled with `trace_stores`,
//! `trace_loads` or `trace_realizations` (or compiled with the `trace_stores`
//! target feature) reports to its trace handler.

use crate::sys::{halide_trace_event_code_t as Code, halide_trace_event_t};
use crate::types::{Element, Type};
use std::ffi::CStr;

/// What a [`TraceEvent`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TraceEventKind {
    /// A value was loaded.
    Load,
    /// A value was stored.
    Store,
    /// Storage for a region was allocated.
    BeginRealization,
    /// That storage was freed.
    EndRealization,
    /// A region starts being computed.
    Produce,
    /// It has been computed.
    EndProduce,
    /// Consumers start reading it.
    Consume,
    /// They are done.
    EndConsume,
    /// The pipeline starts.
    BeginPipeline,
    /// The pipeline ends.
    EndPipeline,
    /// A tag set with `add_trace_tag`.
    Tag,
}

impl TraceEventKind {
    fn from_raw(code: Code) -> Option<Self> {
        Some(match code {
            Code::halide_trace_load => Self::Load,
            Code::halide_trace_store => Self::Store,
            Code::halide_trace_begin_realization => Self::BeginRealization,
            Code::halide_trace_end_realization => Self::EndRealization,
            Code::halide_trace_produce => Self::Produce,
            Code::halide_trace_end_produce => Self::EndProduce,
            Code::halide_trace_consume => Self::Consume,
            Code::halide_trace_end_consume => Self::EndConsume,
            Code::halide_trace_begin_pipeline => Self::BeginPipeline,
            Code::halide_trace_end_pipeline => Self::EndPipeline,
            Code::halide_trace_tag => Self::Tag,
            _ => return None,
        })
    }
}

/// One trace event, borrowed from the runtime for the duration of the
/// handler call.
///
/// ```
/// use halide_runtime::sys::{halide_trace_event_t, halide_trace_event_code_t};
/// use halide_runtime::{TraceEvent, TraceEventKind, Type, Element};
/// let (mut value, mut coords) = (7.5f32, [3i32, 4]);
/// let raw = halide_trace_event_t {
///     func: c"f".as_ptr(),
///     value: (&raw mut value).cast(),
///     coordinates: coords.as_mut_ptr(),
///     trace_tag: std::ptr::null(),
///     type_: f32::TYPE.to_raw(),
///     event: halide_trace_event_code_t::halide_trace_store,
///     parent_id: 1,
///     value_index: 0,
///     dimensions: 2,
/// };
/// // SAFETY: every pointer in raw is valid as the runtime's would be.
/// let event = unsafe { TraceEvent::from_raw(&raw) };
/// assert_eq!(event.func, "f");
/// assert_eq!(event.kind, Some(TraceEventKind::Store));
/// assert_eq!(event.coordinates, &[3, 4]);
/// assert_eq!(event.value::<f32>(), Some(7.5));
/// assert_eq!(event.value::<i32>(), None);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct TraceEvent<'a> {
    /// The Func (or pipeline) the event is about.
    pub func: &'a str,
    /// What happened; `None` for an event code this crate does not know.
    pub kind: Option<TraceEventKind>,
    /// The id of the enclosing event (a realization or production).
    pub parent_id: i32,
    /// For loads and stores of a Tuple-valued Func, which element.
    pub value_index: i32,
    /// For loads and stores, the coordinates (for vectors, dimension by
    /// dimension: every lane's x, then every lane's y, ...); for
    /// realizations and productions, min and extent of each dimension in turn.
    pub coordinates: &'a [i32],
    /// For loads and stores, the type of the value (lanes > 1 for vectors).
    pub ty: Option<Type>,
    /// For tag events, the tag.
    pub tag: Option<&'a str>,
    /// For loads and stores, the value's bytes.
    value: &'a [u8],
}

impl<'a> TraceEvent<'a> {
    /// A safe view of a runtime trace event.
    ///
    /// # Safety
    /// Every non-null pointer in `raw` must be valid as the runtime
    /// documents: `func` and `trace_tag` NUL-terminated, `coordinates`
    /// holding `dimensions` values, and `value` one value of `type_`
    /// (times its lanes), all for `'a`.
    pub unsafe fn from_raw(raw: &'a halide_trace_event_t) -> Self {
        let func = if raw.func.is_null() {
            ""
        } else {
            // SAFETY: non-null, so NUL-terminated and live for 'a (the contract).
            unsafe { CStr::from_ptr(raw.func) }.to_str().unwrap_or("")
        };
        let tag = (!raw.trace_tag.is_null()).then(|| {
            // SAFETY: non-null, so NUL-terminated and live for 'a (the contract).
            unsafe { CStr::from_ptr(raw.trace_tag) }
                .to_str()
                .unwrap_or("")
        });
        let n = usize::try_from(raw.dimensions).unwrap_or(0);
        let coordinates = if raw.coordinates.is_null() || n == 0 {
            &[][..]
        } else {
            // SAFETY: non-null, holding `dimensions` values for 'a (the contract).
            unsafe { std::slice::from_raw_parts(raw.coordinates, n) }
        };
        let ty = Type::from_raw(raw.type_);
        let value = match ty {
            Some(t) if !raw.value.is_null() => {
                let bytes = t.bytes() * usize::from(t.lanes.max(1));
                // SAFETY: non-null, holding one value of `type_` for 'a (the contract).
                unsafe { std::slice::from_raw_parts(raw.value.cast::<u8>(), bytes) }
            }
            _ => &[][..],
        };
        TraceEvent {
            func,
            kind: TraceEventKind::from_raw(raw.event),
            parent_id: raw.parent_id,
            value_index: raw.value_index,
            coordinates,
            ty: ty.filter(|_| !value.is_empty()),
            tag,
            value,
        }
    }

    /// The loaded or stored value (lane 0 of a vector), if it is a `T`.
    pub fn value<T: Element>(&self) -> Option<T> {
        self.lanes::<T>().next()
    }

    /// Every lane of the loaded or stored value, if it is of `T`s.
    pub fn lanes<T: Element>(&self) -> impl Iterator<Item = T> + '_ {
        let matches = self.ty.is_some_and(|t| t.with_lanes(1) == T::TYPE);
        let bytes = if matches { self.value } else { &[] };
        bytes.chunks_exact(std::mem::size_of::<T>()).map(|chunk| {
            // SAFETY: the chunk holds the bytes of one T (the runtime wrote
            // a value of type T there); read_unaligned needs no alignment.
            unsafe { chunk.as_ptr().cast::<T>().read_unaligned() }
        })
    }
}

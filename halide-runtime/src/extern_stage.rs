//! Extern stages written in Rust: a safe view of one call (the input
//! buffers, and the region of the output to fill), and the one routine
//! that runs a stage's body, for the JIT (`halide::Func::define_extern`) and
//! ahead of time ([`extern_stage!`](crate::extern_stage!)).
//!
//! A call either asks for bounds (the output has no memory yet: the stage
//! says which region of each input it needs, by default the output's
//! region) or computes (the body fills the output). Errors and panics come
//! back as a message, so a stage never unwinds into Halide's code.

use crate::buffer::{BufferMut, BufferRef, Dim};
use crate::sys::{halide_buffer_t, halide_dimension_t};
use crate::types::{Element, Type};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// A region: `(min, extent)` per dimension.
pub type Region = Vec<(i32, i32)>;

/// Which region of input `i` a stage needs to compute a region of its
/// output: `bounds(i, output_region)`.
pub type BoundsFn = dyn Fn(usize, &[(i32, i32)]) -> Region;

/// One computation of an extern stage: its inputs, and the region of the
/// output to fill.
pub struct ExternCall<'a> {
    inputs: &'a [*mut halide_buffer_t],
    output: *mut halide_buffer_t,
}

fn dims_of(b: &halide_buffer_t) -> Vec<Dim> {
    let n = usize::try_from(b.dimensions).unwrap_or(0);
    if b.dim.is_null() || n == 0 {
        return Vec::new();
    }
    // SAFETY: a buffer's `dim` array has `dimensions` entries (run's
    // contract: Halide passes such buffers).
    let dims = unsafe { std::slice::from_raw_parts(b.dim, n) };
    dims.iter()
        .map(|d| Dim::new(d.min, d.extent, d.stride))
        .collect()
}

fn check_type<T: Element>(b: &halide_buffer_t, what: &str) -> Result<(), String> {
    match Type::from_raw(b.type_) {
        Some(t) if t == T::TYPE => Ok(()),
        t => Err(format!(
            "{what} holds {}, not {}",
            t.map_or("an unknown type".to_owned(), |t| t.to_string()),
            T::TYPE
        )),
    }
}

impl<'a> ExternCall<'a> {
    /// How many inputs the stage has.
    pub fn inputs(&self) -> usize {
        self.inputs.len()
    }

    /// Input `i` as a buffer of `T`, over (at least) the region the
    /// stage's bounds asked for.
    pub fn input<T: Element>(&self, i: usize) -> Result<BufferRef<'a, T>, String> {
        let b = *self.inputs.get(i).ok_or_else(|| format!("no input {i}"))?;
        // SAFETY: run's contract: valid buffers for the call, which 'a spans.
        let b = unsafe { &*b };
        check_type::<T>(b, &format!("input {i}"))?;
        // SAFETY: Halide computed the input over these dims before the
        // call and does not write it while the stage runs.
        unsafe { BufferRef::from_raw_parts(b.host.cast::<T>(), &dims_of(b)) }
            .map_err(|e| e.to_string())
    }

    /// The output: the region of it to compute now.
    pub fn output<T: Element>(&mut self) -> Result<BufferMut<'_, T>, String> {
        // SAFETY: as for inputs; only this view writes the output during
        // the call (the &mut borrow of self).
        let b = unsafe { &*self.output };
        check_type::<T>(b, "the output")?;
        // SAFETY: Halide allocated the output over these dims for the call.
        unsafe { BufferMut::from_raw_parts(b.host.cast::<T>(), &dims_of(b)) }
            .map_err(|e| e.to_string())
    }
}

/// Whether a buffer only asks for bounds: no memory yet.
fn is_query(b: &halide_buffer_t) -> bool {
    b.host.is_null() && b.device == 0
}

/// Fills the inputs' regions for a bounds query about `output`.
fn answer_query(
    inputs: &[*mut halide_buffer_t],
    output: &halide_buffer_t,
    bounds: Option<&BoundsFn>,
) {
    let region: Region = dims_of(output).iter().map(|d| (d.min, d.extent)).collect();
    for (i, &input) in inputs.iter().enumerate() {
        // SAFETY: run's contract; a query lets the stage set the shape.
        let input = unsafe { &mut *input };
        if !is_query(input) || input.dim.is_null() {
            continue;
        }
        let wanted = bounds.map_or_else(|| region.clone(), |b| b(i, &region));
        let n = usize::try_from(input.dimensions).unwrap_or(0);
        // SAFETY: the dim array has `dimensions` entries.
        let dims: &mut [halide_dimension_t] =
            unsafe { std::slice::from_raw_parts_mut(input.dim, n) };
        for (d, &(min, extent)) in dims.iter_mut().zip(&wanted) {
            d.min = min;
            d.extent = extent;
        }
    }
}

/// Runs one call of the stage `name` over `buffers` (its inputs, then its
/// output): answers a bounds query with `bounds` (by default each input
/// gets the output's region, in its first dimensions), or calls `body`.
/// An `Err` or a panic comes back as the message to report.
///
/// # Safety
/// `buffers` are valid `halide_buffer_t`s for the duration of the call, as
/// Halide passes them to an extern stage: the inputs computed over the
/// regions the last bounds query asked for (or queries themselves), the
/// output allocated over the region to compute (or a query).
pub unsafe fn run(
    name: &str,
    buffers: &[*mut halide_buffer_t],
    body: &dyn Fn(&mut ExternCall<'_>) -> Result<(), String>,
    bounds: Option<&BoundsFn>,
) -> Result<(), String> {
    let Some((&output, inputs)) = buffers.split_last() else {
        return Err(format!("extern stage {name}: called without an output"));
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { &*output };
        if is_query(out) {
            answer_query(inputs, out, bounds);
            return Ok(());
        }
        body(&mut ExternCall { inputs, output })
    }));
    match result {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("extern stage {name}: {e}")),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_owned());
            Err(format!("extern stage {name} panicked: {what}"))
        }
    }
}

/// Defines an extern stage for pipelines compiled ahead of time: a
/// `#[no_mangle]` C function named as the stage
/// (`Func::define_extern_c("name", ...)` in the `halide` crate), taking the
/// call's user context and one buffer per input and the output, whose body
/// is a closure over an [`ExternCall`]. Its `Err` or panic is reported
/// through `halide_error` (so the caller's `Err` carries the message) and
/// fails the pipeline call. Bounds queries get the output's region for
/// every input; a stage that reads more needs a larger input from its
/// producer (schedule it `compute_root`, or pass an image).
///
/// ```no_run
/// use halide_runtime::HalideBufferMutExt;
/// halide_runtime::extern_stage!(fn copied(input, output) |call: &mut halide_runtime::extern_stage::ExternCall<'_>| {
///     let input = call.input::<i32>(0)?;
///     let mut out = call.output::<i32>()?;
///     out.copy_from(&input).map_err(|e| e.to_string())
/// });
/// ```
#[macro_export]
macro_rules! extern_stage {
    ($(#[$meta:meta])* fn $name:ident($($buffer:ident),+ $(,)?) $body:expr) => {
        $(#[$meta])*
        ///
        /// An extern stage called by Halide-generated code.
        ///
        /// # Safety
        /// Called by Halide with valid buffers only.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(
            user_context: *mut ::core::ffi::c_void,
            $($buffer: *mut $crate::sys::halide_buffer_t),+
        ) -> ::core::ffi::c_int {
            let buffers = [$($buffer),+];
            // SAFETY: Halide calls an extern stage with valid buffers, the
            // inputs then the output.
            let ran = unsafe { $crate::extern_stage::run(stringify!($name), &buffers, &$body, None) };
            match ran {
                Ok(()) => 0,
                Err(message) => {
                    let text = ::std::ffi::CString::new(message.replace('\0', " "))
                        .unwrap_or_default();
                    // SAFETY: the runtime linked with AOT code exports
                    // halide_error, which takes the call's user context;
                    // the text is NUL-terminated.
                    unsafe { $crate::sys::halide_error(user_context, text.as_ptr()) };
                    -1
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::{HalideBuffer, HalideBufferMut};

    /// A halide_buffer_t over `data` (or a query, without it) of `dims`.
    fn raw(data: Option<&mut [i32]>, dims: &mut [halide_dimension_t]) -> halide_buffer_t {
        halide_buffer_t {
            device: 0,
            device_interface: std::ptr::null(),
            host: data.map_or(std::ptr::null_mut(), |d| d.as_mut_ptr().cast()),
            flags: 0,
            type_: i32::TYPE.to_raw(),
            dimensions: dims.len() as i32,
            dim: dims.as_mut_ptr(),
            padding: std::ptr::null_mut(),
        }
    }

    fn dim(min: i32, extent: i32) -> halide_dimension_t {
        halide_dimension_t {
            min,
            extent,
            stride: 1,
            flags: 0,
        }
    }

    #[test]
    fn bounds_queries_get_the_output_region_or_the_stage_s() {
        let (mut in_dims, mut out_dims) = ([dim(0, 0)], [dim(5, 3)]);
        let (mut input, mut output) = (raw(None, &mut in_dims), raw(None, &mut out_dims));
        let buffers = [&raw mut input, &raw mut output];
        // SAFETY: both buffers and their dims outlive the call.
        unsafe { run("s", &buffers, &|_| Err("not called".into()), None) }.unwrap();
        assert_eq!((in_dims[0].min, in_dims[0].extent), (5, 3));
        let wider = |_: usize, out: &[(i32, i32)]| vec![(out[0].0 - 1, out[0].1 + 2)];
        // SAFETY: as above.
        unsafe { run("s", &buffers, &|_| Ok(()), Some(&wider)) }.unwrap();
        assert_eq!((in_dims[0].min, in_dims[0].extent), (4, 5));
    }

    #[test]
    fn the_body_sees_the_buffers_and_its_failures_come_back() {
        let (mut in_data, mut out_data) = ([1, 2, 3], [0; 3]);
        let (mut in_dims, mut out_dims) = ([dim(10, 3)], [dim(10, 3)]);
        let mut input = raw(Some(&mut in_data), &mut in_dims);
        let mut output = raw(Some(&mut out_data), &mut out_dims);
        let buffers = [&raw mut input, &raw mut output];
        let body = |call: &mut ExternCall<'_>| {
            let input = call.input::<i32>(0)?;
            let mut out = call.output::<i32>()?;
            for i in 10..13 {
                out.set(&[i], input.get(&[i]).ok_or("input")? * 10)
                    .map_err(|e| e.to_string())?;
            }
            Ok(())
        };
        // SAFETY: the buffers and their memory outlive the call.
        unsafe { run("tens", &buffers, &body, None) }.unwrap();
        assert_eq!(out_data, [10, 20, 30]);
        // SAFETY: as above.
        let e =
            unsafe { run("typed", &buffers, &|c| c.input::<f32>(0).map(drop), None) }.unwrap_err();
        assert_eq!(e, "extern stage typed: input 0 holds int32, not float32");
        // SAFETY: as above.
        let e = unsafe { run("boom", &buffers, &|_| panic!("on purpose"), None) }.unwrap_err();
        assert_eq!(e, "extern stage boom panicked: on purpose");
        // SAFETY: no buffers at all: refused before any is read.
        assert!(unsafe { run("none", &[], &|_| Ok(()), None) }.is_err());
    }
}

//! What a [`Module`] carries besides its functions: the constant buffers
//! its code reads, and the results of the autoscheduler that scheduled it.

use super::{Module, string_pairs};
use crate::autoschedule::AutoSchedulerResults;
use crate::error::{Error, Result};
use crate::ffi::{self, shim};
use crate::target::Target;
use halide_runtime::{Dim, Type};
use halide_sys as sys;
use std::ffi::{CString, c_char};

/// A constant buffer a [`Module`] holds: a table the pipeline reads (a
/// [`ConstBuffer`](crate::ConstBuffer)), a GPU target's kernel source, or
/// a resolved submodule's object file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleBuffer {
    /// The buffer's name in generated code.
    pub name: String,
    /// The element type.
    pub ty: Type,
    /// Each dimension's min, extent and stride (in elements).
    pub dims: Vec<Dim>,
    /// The elements' bytes, from the element at the mins, laid out as the
    /// strides say.
    pub data: Vec<u8>,
}

impl Module {
    /// The constant buffers the module holds, in its order.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::{ConstBuffer, LinkageType};
    /// let table = ConstBuffer::new("table", &Buffer::<u16>::from_vec(vec![7, 8, 9], &[3])?)?;
    /// let x = Var::new("x");
    /// let mut f = Func::new("f");
    /// f.define([&x], table.at([&x]))?;
    /// let module = Pipeline::new(&[&f])?.compile_to_module(
    ///     &Target::host()?, "lookup", LinkageType::External)?;
    /// let buffers = module.buffers()?;
    /// assert_eq!(buffers[0].name, "table");
    /// assert_eq!(buffers[0].data, [7u16, 8, 9].map(u16::to_ne_bytes).concat());
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn buffers(&self) -> Result<Vec<ModuleBuffer>> {
        let h = &self.handle;
        (0..shim!(sys::hl_module_buffer_count, h)?)
            .map(|i| {
                let name = shim!(sys::hl_module_buffer_name, h, i)?;
                let mut raw = Default::default();
                shim!(sys::hl_module_buffer_type, h, i, &mut raw)?;
                let ty = Type::from_raw(raw).ok_or_else(|| {
                    Error::invalid(format!("{name}: an element type Rust does not know"))
                })?;
                let dims = (0..shim!(sys::hl_module_buffer_dimensions, h, i)?)
                    .map(|d| {
                        let (mut min, mut extent, mut stride) = (0, 0, 0);
                        shim!(
                            sys::hl_module_buffer_dim,
                            h,
                            i,
                            d,
                            &mut min,
                            &mut extent,
                            &mut stride
                        )?;
                        Ok(Dim::new(min, extent, stride))
                    })
                    .collect::<Result<_>>()?;
                let (mut data, mut len) = (std::ptr::null(), 0usize);
                let m = h.as_ptr();
                // SAFETY: the module is borrowed for the call; the slots are ours.
                unsafe {
                    ffi::call(|err| sys::hl_module_buffer_data(m, i, &mut data, &mut len, err))
                }?;
                // SAFETY: the shim pointed data at len bytes of the module's
                // buffer, which lives, unchanged, while the module is borrowed.
                let data = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) }.to_vec();
                Ok(ModuleBuffer {
                    name,
                    ty,
                    dims,
                    data,
                })
            })
            .collect()
    }

    /// The autoscheduler results the module carries, if any (a pipeline's
    /// module carries none until [`set_auto_scheduler_results`](Self::set_auto_scheduler_results)).
    pub fn auto_scheduler_results(&self) -> Result<Option<AutoSchedulerResults>> {
        let h = &self.handle;
        if !shim!(sys::hl_module_has_autoscheduler_results, h)? {
            return Ok(None);
        }
        let part = |part: sys::hl_autoscheduler_part| {
            let m = h.as_ptr();
            // SAFETY: the module is borrowed for the call; `len` outlives it.
            unsafe {
                ffi::call(|err| {
                    let mut len = 0;
                    let ptr = sys::hl_module_autoscheduler_part(m, part, &mut len, err);
                    ffi::Bytes { ptr, len }
                })
            }
        };
        let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
        use sys::hl_autoscheduler_part as Part;
        Ok(Some(AutoSchedulerResults {
            target: Target::from_handle(shim!(sys::hl_module_autoscheduler_target, h)?),
            autoscheduler: text(part(Part::HL_AUTOSCHEDULER_NAME)?),
            params: string_pairs(&part(Part::HL_AUTOSCHEDULER_PARAMS)?),
            schedule_source: text(part(Part::HL_AUTOSCHEDULER_SCHEDULE_SOURCE)?),
            featurization: part(Part::HL_AUTOSCHEDULER_FEATURIZATION)?,
        }))
    }

    /// Gives the module autoscheduler results, which its
    /// [`Schedule`](crate::aot::OutputKind::Schedule) output writes; an `Err` when it
    /// has some already.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::{AutoSchedulerResults, Module};
    /// let target = Target::host()?;
    /// let mut module = Module::new("scheduled", &target)?;
    /// let results = AutoSchedulerResults {
    ///     target: target.clone(),
    ///     autoscheduler: "Mullapudi2016".into(),
    ///     params: [("parallelism".to_string(), "8".to_string())].into(),
    ///     schedule_source: "// tile everything\n".into(),
    ///     featurization: vec![],
    /// };
    /// module.set_auto_scheduler_results(&results)?;
    /// assert!(module.set_auto_scheduler_results(&results).is_err());
    /// let back = module.auto_scheduler_results()?.unwrap();
    /// assert_eq!(back.params["parallelism"], "8");
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn set_auto_scheduler_results(&mut self, results: &AutoSchedulerResults) -> Result<()> {
        let name = ffi::c_string(&results.autoscheduler)?;
        let source = ffi::c_string(&results.schedule_source)?;
        let keys = c_strings(results.params.keys())?;
        let values = c_strings(results.params.values())?;
        let key_ptrs: Vec<*const c_char> = keys.iter().map(|k| k.as_ptr()).collect();
        let value_ptrs: Vec<*const c_char> = values.iter().map(|v| v.as_ptr()).collect();
        let m = self.handle.keeping_code();
        let t = results.target.handle().as_ptr();
        let features = &results.featurization;
        // SAFETY: the module, the target, the strings and the featurization
        // are borrowed for the call; both string arrays have the parameters'
        // length, and the featurization its own.
        unsafe {
            ffi::call(|err| {
                sys::hl_module_set_autoscheduler_results(
                    m.as_ptr(),
                    t,
                    name.as_ptr(),
                    key_ptrs.as_ptr(),
                    value_ptrs.as_ptr(),
                    key_ptrs.len(),
                    source.as_ptr(),
                    features.as_ptr(),
                    features.len(),
                    err,
                )
            })
        }?;
        Ok(())
    }
}

fn c_strings<'a>(strings: impl Iterator<Item = &'a String>) -> Result<Vec<CString>> {
    strings.map(|s| ffi::c_string(s)).collect()
}

//! Autoschedulers: Halide's plugins that write a schedule for a pipeline
//! from estimates of its input and output sizes.

use crate::error::{Error, Result};
use crate::ffi::{self, shim};
use crate::pipeline::Pipeline;
use crate::target::Target;
use halide_sys as sys;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// The autoschedulers that ship with Halide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Autoscheduler {
    /// Mullapudi et al. 2016: fast, tiling and fusion heuristics.
    Mullapudi2016,
    /// Adams et al. 2019: tree search guided by a learned cost model (built-in weights).
    Adams2019,
    /// Li et al. 2018: for gradient pipelines.
    Li2018,
    /// Anderson et al. 2021: Adams2019 for GPU targets.
    Anderson2021,
}

impl Autoscheduler {
    /// Every autoscheduler that ships with Halide.
    pub const ALL: [Autoscheduler; 4] = [
        Autoscheduler::Mullapudi2016,
        Autoscheduler::Adams2019,
        Autoscheduler::Li2018,
        Autoscheduler::Anderson2021,
    ];

    /// The name the plugin registers the autoscheduler under.
    pub fn name(self) -> &'static str {
        match self {
            Autoscheduler::Mullapudi2016 => "Mullapudi2016",
            Autoscheduler::Adams2019 => "Adams2019",
            Autoscheduler::Li2018 => "Li2018",
            Autoscheduler::Anderson2021 => "Anderson2021",
        }
    }

    /// Loads this autoscheduler's plugin from the Halide installation
    /// halide-sys located, by full path; later calls do nothing.
    pub fn load(self) -> Result<()> {
        // Halide's plugin registry refuses a second registration of a name.
        static LOADED: Mutex<Vec<Autoscheduler>> = Mutex::new(Vec::new());
        let mut loaded = LOADED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if loaded.contains(&self) {
            return Ok(());
        }
        let stem = self.name().to_lowercase();
        let path = halide_sys::paths::plugin(&stem).ok_or_else(|| {
            let beside = halide_sys::paths::loaded_lib_dir()
                .map(|d| format!("{} nor in ", d.display()))
                .unwrap_or_default();
            Error::invalid(format!(
                "the {} autoscheduler plugin (autoschedule_{stem}) is neither in {beside}{}",
                self.name(),
                halide_sys::paths::lib_dir().display()
            ))
        })?;
        load_plugin(&path)?;
        loaded.push(self);
        Ok(())
    }
}

impl std::str::FromStr for Autoscheduler {
    type Err = Error;

    /// Parses the name a plugin registers (`Adams2019`, ...), as generators'
    /// `autoscheduler=` takes it.
    ///
    /// ```
    /// use halide::Autoscheduler;
    /// assert_eq!("Li2018".parse::<Autoscheduler>()?, Autoscheduler::Li2018);
    /// assert!("Fastest2030".parse::<Autoscheduler>().is_err());
    /// # Ok::<(), halide::Error>(())
    /// ```
    fn from_str(name: &str) -> Result<Self> {
        Autoscheduler::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| Error::invalid(format!("unknown autoscheduler \"{name}\"")))
    }
}

/// Loads an autoscheduler plugin (a shared library that registers one with
/// Halide) from `path`, as a generator's `-p` flag does.
/// [`Autoscheduler::load`] finds and loads the ones Halide ships.
///
/// ```
/// let plugin = halide_sys::paths::plugin("mullapudi2016").expect("shipped with Halide");
/// halide::load_plugin(&plugin)?;
/// assert!(halide::load_plugin(std::path::Path::new("/no/such/plugin.so")).is_err());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn load_plugin(path: &std::path::Path) -> Result<()> {
    let c = ffi::c_string(&path.to_string_lossy())?;
    shim!(sys::hl_load_plugin, c.as_c_str())?;
    Ok(())
}

impl Pipeline {
    /// Schedules every Func of the pipeline with `scheduler` for `target`,
    /// loading its plugin if needed, and returns what it did: the schedule
    /// it chose as C++ source, and its featurization. `params` are the autoscheduler's own (e.g.
    /// `("parallelism", "8")`).
    ///
    /// The outputs need estimates ([`Func::set_estimate`](crate::Func::set_estimate)) and so do the
    /// inputs ([`Dimension::set_estimate`](crate::Dimension::set_estimate),
    /// [`Param::set_estimate`](crate::Param::set_estimate)); without them this
    /// is an error.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::{Autoscheduler, args};
    /// let (x, y) = (Var::new("x"), Var::new("y"));
    /// let input = ImageParam::new::<f32>(2, "input");
    /// input.dim(0).set_estimate(0, 1024)?;
    /// input.dim(1).set_estimate(0, 1024)?;
    /// let mut f = Func::new("scaled");
    /// f.define([&x, &y], input.at((&x, &y)) * 2.0f32)?;
    /// f.set_estimate(&x, 0, 1024)?.set_estimate(&y, 0, 1024)?;
    ///
    /// let pipeline = Pipeline::new(&[&f])?;
    /// let target = Target::host()?;
    /// let results = pipeline.auto_schedule(&target, Autoscheduler::Mullapudi2016, &[("parallelism", "4")])?;
    /// assert!(results.schedule_source.contains("scaled"));
    /// let data = vec![1.5f32; 64 * 64];
    /// let mut out = Buffer::<f32>::new(&[64, 64])?;
    /// pipeline.compile(&target)?.call(args![&BufferRef::new(&data, &[64, 64])?, &mut out])?;
    /// assert_eq!(out.get(&[5, 5]), Some(3.0));
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn auto_schedule(
        &self,
        target: &Target,
        scheduler: Autoscheduler,
        params: &[(&str, &str)],
    ) -> Result<AutoSchedulerResults> {
        scheduler.load()?;
        let name = ffi::c_string(scheduler.name())?;
        let keys = params
            .iter()
            .map(|(k, _)| ffi::c_string(k))
            .collect::<Result<Vec<_>>>()?;
        let values = params
            .iter()
            .map(|(_, v)| ffi::c_string(v))
            .collect::<Result<Vec<_>>>()?;
        let key_ptrs: Vec<_> = keys.iter().map(|k| k.as_ptr()).collect();
        let value_ptrs: Vec<_> = values.iter().map(|v| v.as_ptr()).collect();
        // Scheduling changes every Func of the pipeline.
        let p = self.handle().mutating();
        let t = target.handle().as_ptr();
        let (mut features, mut features_len) = (std::ptr::null_mut(), 0);
        // SAFETY: the pipeline, the target and the strings are borrowed for
        // the call; both string arrays have params.len() elements; the
        // featurization slots are this frame's.
        let schedule_source = unsafe {
            ffi::call(|err| {
                sys::hl_pipeline_apply_autoscheduler(
                    p.as_ptr(),
                    t,
                    name.as_ptr(),
                    key_ptrs.as_ptr(),
                    value_ptrs.as_ptr(),
                    params.len(),
                    &mut features,
                    &mut features_len,
                    err,
                )
            })
        }?;
        let features = ffi::Bytes {
            ptr: features,
            len: features_len,
        };
        // SAFETY: the call succeeded, so the shim stored bytes the caller owns.
        let featurization = unsafe { ffi::ShimReturn::adopt(features) }?;
        Ok(AutoSchedulerResults {
            schedule_source,
            featurization,
            target: target.clone(),
            autoscheduler: scheduler.name().to_owned(),
            params: params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        })
    }
}

/// What an autoscheduler chose for a pipeline (Halide's
/// `AutoSchedulerResults`): what [`Pipeline::auto_schedule`] returns, and
/// what a [`Module`](crate::Module) carries for its
/// [`Schedule`](crate::aot::OutputKind::Schedule) output.
#[derive(Debug, Clone)]
pub struct AutoSchedulerResults {
    /// The target the schedule is for.
    pub target: Target,
    /// The autoscheduler's name (`Mullapudi2016`, ...).
    pub autoscheduler: String,
    /// Its parameters.
    pub params: BTreeMap<String, String>,
    /// The schedule, as C++ source.
    pub schedule_source: String,
    /// The pipeline's featurization, the cost model's input, for training
    /// it; empty from autoschedulers that make none (Adams2019 makes one).
    pub featurization: Vec<u8>,
}

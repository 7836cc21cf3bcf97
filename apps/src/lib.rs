//! Halide's apps (`apps/` in Halide's repository), written with halide-rs:
//! each app builds its pipeline and schedules it by hand, as the app does
//! for CPUs, or with one of the autoschedulers, from the estimates the app
//! gives. Each also has a plain Rust version of what it computes, which the
//! tests compare with.
//!
//! Every app implements [`App`], which the tests and the benchmark use;
//! [`APPS`] lists them.
//!
//! ```
//! use halide::prelude::*;
//! use halide_apps::{APPS, Scheduling, workload};
//! let target = Target::host()?;
//! for app in APPS {
//!     let size = app.test_size();
//!     let callable = app.pipeline(Scheduling::Manual, &target, size)?.compile(&target)?;
//!     let mut run = app.workload(size)?;
//!     run.run(&callable)?;
//!     let want = app.reference(&run)?;
//!     assert!(workload::distance(&run.output, &want, 1e-3)? <= app.tolerance(), "{}", app.name());
//! }
//! # Ok::<(), halide::Error>(())
//! ```

use halide::{Autoscheduler, Error, Func, Pipeline, Result, Target};
use workload::{Image, Workload};

pub mod alternatives;
pub mod bilateral_grid;
pub mod blur;
pub mod cpp;
pub mod harris;
pub mod iir_blur;
pub mod interpolate;
pub mod local_laplacian;
pub mod max_filter;
pub mod stencil_chain;
pub mod unsharp;
pub mod workload;

/// Every app.
pub const APPS: &[&dyn App] = &[
    &blur::Blur,
    &unsharp::Unsharp,
    &bilateral_grid::BilateralGrid,
    &local_laplacian::LocalLaplacian,
    &interpolate::Interpolate,
    &harris::Harris,
    &max_filter::MaxFilter,
    &iir_blur::IirBlur,
    &stencil_chain::StencilChain,
];

/// One of Halide's apps: its pipeline under any [`Scheduling`], the inputs
/// it runs over, and what it computes in plain Rust.
pub trait App: Sync {
    /// The app's name, as Halide's `apps/` directory names it; its C++
    /// twin ([`cpp::CppApp`]) answers to it too.
    fn name(&self) -> &'static str;

    /// The output size the app's estimates describe, the size the
    /// benchmark runs it at.
    fn size(&self) -> &'static [i32];

    /// A small output size, for tests.
    fn test_size(&self) -> &'static [i32];

    /// The pipeline, scheduled as `scheduling` says for `target` and
    /// outputs of `size` (the autoschedulers' estimates). An
    /// autoscheduler's schedule may need outputs that large.
    fn pipeline(&self, scheduling: Scheduling, target: &Target, size: &[i32]) -> Result<Pipeline>;

    /// Deterministic test inputs for outputs of `size`, and an output
    /// buffer of that size.
    fn workload(&self, size: &[i32]) -> Result<Workload>;

    /// What the app computes for `workload`'s inputs, in plain Rust.
    fn reference(&self, workload: &Workload) -> Result<Image>;

    /// The largest [`workload::distance`] (relative, floored at 1e-3)
    /// allowed between the pipeline's output and [`App::reference`]: 0
    /// where the two compute the same bits, more where Halide's math
    /// functions or float association differ from Rust's.
    fn tolerance(&self) -> f64 {
        0.0
    }
}

/// Luma weights of the red, green and blue channels, as the apps that
/// make a gray image from RGB use them.
pub const LUMA: [f32; 3] = [0.299, 0.587, 0.114];

/// `size` as an array of `N` extents, or `Err` naming the app.
fn extents<const N: usize>(app: &str, size: &[i32]) -> Result<[i32; N]> {
    size.try_into()
        .map_err(|_| Error::invalid(format!("{app} takes {N} extents, not {size:?}")))
}

/// How an app's pipeline is scheduled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheduling {
    /// The schedule the app writes by hand for CPUs.
    Manual,
    /// An autoscheduler's, from the app's estimates.
    Auto(Autoscheduler),
}

impl Scheduling {
    /// The hand-written schedule and the three CPU autoschedulers.
    pub const ALL: [Scheduling; 4] = [
        Scheduling::Manual,
        Scheduling::Auto(Autoscheduler::Mullapudi2016),
        Scheduling::Auto(Autoscheduler::Adams2019),
        Scheduling::Auto(Autoscheduler::Li2018),
    ];
}

/// Schedules the pipeline computing `outputs` for `target` with
/// `scheduler`, as many threads as the machine has.
fn autoschedule(outputs: &[&Func], target: &Target, scheduler: Autoscheduler) -> Result<()> {
    let threads = std::thread::available_parallelism().map_or(4, usize::from);
    Pipeline::new(outputs)?.auto_schedule(
        target,
        scheduler,
        &[("parallelism", &threads.to_string())],
    )?;
    Ok(())
}

/// A deterministic, noisy value in [0, 1) for pixel coordinates `c`: the
/// test images the tests and the benchmarks fill, the same on every run.
///
/// ```
/// let v = halide_apps::noise(&[3, 4, 0]);
/// assert!((0.0..1.0).contains(&v));
/// assert_eq!(v, halide_apps::noise(&[3, 4, 0]));
/// assert_ne!(v, halide_apps::noise(&[4, 3, 0]));
/// ```
pub fn noise(c: &[i32]) -> f32 {
    let h = c.iter().fold(0x811C_9DC5u32, |h, &v| {
        (h ^ v as u32).wrapping_mul(0x0100_0193)
    });
    (h >> 8) as f32 / (1 << 24) as f32
}

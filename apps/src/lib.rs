//! Halide's apps (`apps/` in Halide's repository), written with halide-rs:
//! each app builds its pipeline and schedules it by hand, as the app does
//! for CPUs, or with one of the autoschedulers, from the estimates the app
//! gives. Each also has a plain Rust version of what it computes, which the
//! tests compare with.
//!
//! ```
//! use halide::prelude::*;
//! use halide_apps::{Scheduling, blur::Blur};
//! let target = Target::host()?;
//! let app = Blur::new(Scheduling::Manual, &target, [64, 32])?;
//! let input = Buffer::<u16>::from_fn(&[66, 34], |c| (c[0] * 7 + c[1] * 300) as u16)?;
//! let mut out = Buffer::<u16>::new(&[64, 32])?;
//! app.pipeline()?.compile(&target)?.call(halide::args![&input, &mut out])?;
//! assert_eq!(out.as_slice(), Blur::reference(&input)?.as_slice());
//! # Ok::<(), halide::Error>(())
//! ```

use halide::{Autoscheduler, Func, Pipeline, Result, Target};

pub mod blur;
pub mod cpp;
pub mod unsharp;

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

//! Runs Halide's apps as written with halide-rs, one or all, under the
//! hand-written schedule or an autoscheduler's, at the app's own size:
//! builds and compiles it, checks its output against the app's C++ twin
//! (same bits) or, for an autoscheduler's schedule, against the
//! hand-written one, and prints the median time of a few runs.
//!
//! ```sh
//! cargo run --release -p halide-apps --example run_app               # every app
//! cargo run --release -p halide-apps --example run_app -- local_laplacian
//! cargo run --release -p halide-apps --example run_app -- blur Adams2019
//! ```

use halide::prelude::*;
use halide_apps::cpp::CppApp;
use halide_apps::workload::{distance, identical};
use halide_apps::{APPS, App, Scheduling};
use std::error::Error;
use std::time::Instant;

/// Runs `app` under `scheduling` at `size`; the median ms of `runs` runs.
fn run(
    app: &dyn App,
    scheduling: Scheduling,
    size: &[i32],
    runs: usize,
) -> Result<f64, Box<dyn Error>> {
    let target = Target::host()?;
    let callable = app.pipeline(scheduling, &target, size)?.compile(&target)?;
    let mut workload = app.workload(size)?;
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        workload.run(&callable)?;
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    // The check: the C++ twin's bits under the hand-written schedule; an
    // autoscheduler's schedule computes the same values to rounding.
    let mut check = app.workload(size)?;
    match scheduling {
        Scheduling::Manual => check.run_cpp(&CppApp::new(app.name())?)?,
        Scheduling::Auto(_) => {
            let manual = app.pipeline(Scheduling::Manual, &target, size)?;
            check.run(&manual.compile(&target)?)?
        }
    }
    let same = identical(&workload.output, &check.output)
        || distance(&workload.output, &check.output, 1e-3)? <= app.tolerance();
    if !same {
        return Err(format!(
            "{} under {scheduling:?} computed something else",
            app.name()
        )
        .into());
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let apps: Vec<&dyn App> = match args.first() {
        Some(name) => vec![*APPS.iter().find(|a| a.name() == name).ok_or_else(|| {
            format!(
                "no app is called {name}; the apps: {:?}",
                APPS.iter().map(|a| a.name()).collect::<Vec<_>>()
            )
        })?],
        None => APPS.to_vec(),
    };
    let scheduling = match args.get(1) {
        None => Scheduling::Manual,
        Some(s) if s == "manual" => Scheduling::Manual,
        Some(s) => Scheduling::Auto(s.parse()?),
    };
    for app in apps {
        let ms = run(app, scheduling, app.size(), 5)?;
        println!(
            "{:>16} {:?} at {:?}: {ms:.2} ms, checked",
            app.name(),
            scheduling,
            app.size()
        );
    }
    Ok(())
}

#[test]
fn every_app_runs_and_checks_out() {
    // At the tests' sizes: the debug build is slow at the apps' own.
    for app in APPS {
        run(*app, Scheduling::Manual, app.test_size(), 1).unwrap();
    }
}

//! Halide's apps (`halide-apps`) at the apps' own sizes, each time paired
//! and interleaved against a reference in the same run:
//!
//! - the Rust app against the same app written in C++ (same schedule, same
//!   libHalide): the ratio should be 1;
//! - each autoscheduler's schedule against the hand-written one;
//! - the hand-written Halide blur against the same blur written in plain
//!   Rust as well as one reasonably can: separable, in bands of rows on
//!   rayon's pool, loops the compiler vectorizes;
//! - the blur against a copy of the same bytes: how near the memory
//!   bandwidth's floor it is.
//!
//! Prints the table and writes it, as Markdown, to
//! `benchmarks/results/apps.md` (under `cargo bench`; `cargo test
//! --benches` measures one block pair of each and writes nothing).

use halide::args;
use halide::prelude::*;
use halide_apps::blur::{self, Blur};
use halide_apps::cpp::CppApp;
use halide_apps::unsharp::{self, Unsharp};
use halide_apps::{Scheduling, noise};
use halide_benchmarks::paired::{self, Paired, Side};
use rayon::prelude::*;
use std::fmt::Write as _;

/// The blur app's computation in plain Rust, as fast as one reasonably
/// writes it: bands of 32 output rows in parallel, each row's horizontal
/// pass computed once into a band buffer, then the vertical pass.
fn rayon_blur(input: &[u16], w: usize, out: &mut [u16]) {
    const BAND: usize = 32;
    let out_w = w - 2;
    out.par_chunks_mut(out_w * BAND)
        .enumerate()
        .for_each(|(band, rows)| {
            let first = band * BAND;
            let n = rows.len() / out_w;
            let mut across = vec![0u16; (n + 2) * out_w];
            for (r, row_out) in across.chunks_exact_mut(out_w).enumerate() {
                let row = &input[(first + r) * w..][..w];
                for (x, o) in row_out.iter_mut().enumerate() {
                    *o = row[x].wrapping_add(row[x + 1]).wrapping_add(row[x + 2]) / 3;
                }
            }
            for (r, row_out) in rows.chunks_exact_mut(out_w).enumerate() {
                let (a, b, c) = (
                    &across[r * out_w..][..out_w],
                    &across[(r + 1) * out_w..][..out_w],
                    &across[(r + 2) * out_w..][..out_w],
                );
                for (x, o) in row_out.iter_mut().enumerate() {
                    *o = a[x].wrapping_add(b[x]).wrapping_add(c[x]) / 3;
                }
            }
        });
}

/// An autoscheduler's name, for a row.
fn label(scheduling: Scheduling) -> &'static str {
    match scheduling {
        Scheduling::Manual => "manual",
        Scheduling::Auto(scheduler) => scheduler.name(),
    }
}

/// Measures `subject` against `reference`, printing and recording the row.
fn row(report: &mut String, label: &str, mut reference: impl FnMut(), mut subject: impl FnMut()) {
    let paired: Paired = paired::measure(paired::budget(), |side| match side {
        Side::Reference => reference(),
        Side::Subject => subject(),
    });
    println!("{}", paired.row(label));
    let (r, s) = paired.per_call_ns();
    let (ratio, lo, hi) = paired.ratio();
    let _ = writeln!(
        report,
        "| {label} | {:.2} | {:.2} | {ratio:.3} | {lo:.3}–{hi:.3} |",
        r / 1e6,
        s / 1e6
    );
}

fn section(report: &mut String, title: &str, reference: &str, subject: &str) {
    println!("\n{title}\n{}", Paired::header(reference, subject));
    let _ = write!(
        report,
        "\n### {title}\n\n| | {reference} (ms) | {subject} (ms) | ratio | 95% CI |\n|---|---|---|---|---|\n"
    );
}

/// An app's two comparisons that every app has: the Rust app against its
/// C++ twin (same schedule), and each autoscheduler's schedule, compiled by
/// `compile`, against the hand-written one.
#[allow(clippy::too_many_arguments)]
fn schedules<T: Element>(
    report: &mut String,
    app: &str,
    input: &Buffer<T>,
    out: &mut Buffer<T>,
    other: &mut Buffer<T>,
    manual: &Callable,
    cpp: &CppApp,
    compile: impl Fn(Scheduling) -> halide::Result<Callable>,
) -> halide::Result<()> {
    section(
        report,
        &format!("{app}: Rust against C++, same schedule"),
        "C++",
        "Rust",
    );
    row(
        report,
        "manual",
        || cpp.call(input, other).unwrap(),
        || manual.call(args![input, &mut *out]).unwrap(),
    );
    section(
        report,
        &format!("{app}: autoschedulers against the hand-written schedule"),
        "manual",
        "auto",
    );
    for scheduling in &Scheduling::ALL[1..] {
        let auto = compile(*scheduling)?;
        row(
            report,
            label(*scheduling),
            || manual.call(args![input, &mut *out]).unwrap(),
            || auto.call(args![input, &mut *other]).unwrap(),
        );
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = Target::host()?;
    let mut report = format!(
        "# Halide's apps: halide-rs against C++ Halide, the autoschedulers and Rust\n\n\
         Host `{target}`, {} threads; ratios are subject / reference time (below 1: the subject \
         is faster), medians of paired, interleaved blocks with their 95% confidence intervals.\n",
        std::thread::available_parallelism().map_or(1, usize::from)
    );

    // blur
    let [w, h] = blur::SIZE;
    let input = Buffer::<u16>::from_fn(&[w + 2, h + 2], |c| (noise(c) * 65535.0) as u16)?;
    let mut out = Buffer::<u16>::new(&[w, h])?;
    let mut other = Buffer::<u16>::new(&[w, h])?;
    let manual = Blur::new(Scheduling::Manual, &target, blur::SIZE)?
        .pipeline()?
        .compile(&target)?;
    let cpp = CppApp::new("blur")?;
    manual.call(args![&input, &mut out])?;
    cpp.call(&input, &mut other)?;
    assert_eq!(out.as_slice(), other.as_slice(), "Rust and C++ blur differ");
    rayon_blur(input.as_slice(), (w + 2) as usize, other.as_mut_slice());
    assert_eq!(out.as_slice(), other.as_slice(), "the rayon blur differs");
    schedules(
        &mut report,
        "blur",
        &input,
        &mut out,
        &mut other,
        &manual,
        &cpp,
        |scheduling| {
            Blur::new(scheduling, &target, blur::SIZE)?
                .pipeline()?
                .compile(&target)
        },
    )?;
    section(
        &mut report,
        "blur: Halide against separable, parallel Rust (rayon)",
        "rayon",
        "Halide",
    );
    let slice = input.as_slice();
    row(
        &mut report,
        "manual",
        || rayon_blur(slice, (w + 2) as usize, other.as_mut_slice()),
        || manual.call(args![&input, &mut out]).unwrap(),
    );
    // The floor: copying the output's bytes from the input, scheduled as
    // the blur is (rows in parallel, vectorized), so only the arithmetic
    // and the neighbours read differ.
    section(
        &mut report,
        "blur: against a plain copy of the same bytes (the memory-bandwidth floor)",
        "copy",
        "blur",
    );
    let copy = {
        let [x, y, yi] = Var::many(["x", "y", "yi"]);
        let source = ImageParam::new::<u16>(2, "source");
        let mut copy = Func::new("copy");
        copy.define([&x, &y], source.at((&x, &y)))?;
        copy.split(&y, &y, &yi, 8)?
            .parallel(&y)?
            .vectorize(&x, 16)?;
        Pipeline::new(&[&copy])?.compile(&target)?
    };
    row(
        &mut report,
        "manual",
        || copy.call(args![&input, &mut other]).unwrap(),
        || manual.call(args![&input, &mut out]).unwrap(),
    );

    // unsharp
    let size = unsharp::SIZE;
    let input = Buffer::<f32>::from_fn(&size, |c| 0.05 + noise(c))?;
    let mut out = Buffer::<f32>::new(&size)?;
    let mut other = Buffer::<f32>::new(&size)?;
    let manual = Unsharp::new(Scheduling::Manual, &target, size)?
        .pipeline()?
        .compile(&target)?;
    let cpp = CppApp::new("unsharp")?;
    schedules(
        &mut report,
        "unsharp",
        &input,
        &mut out,
        &mut other,
        &manual,
        &cpp,
        |scheduling| {
            Unsharp::new(scheduling, &target, size)?
                .pipeline()?
                .compile(&target)
        },
    )?;

    if !paired::budget().is_zero() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("results");
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("apps.md"), report)?;
        println!("\nwrote {}", dir.join("apps.md").display());
    }
    Ok(())
}

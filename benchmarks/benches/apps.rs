//! Halide's apps (`halide-apps`), every one at the app's own size, side by
//! side in one run:
//!
//! - the Rust app against the same app written in C++ (same schedule, same
//!   libHalide), paired and interleaved: the ratio should be 1;
//! - each autoscheduler's schedule against the hand-written one, paired;
//! - the Rust alternatives (`halide_apps::alternatives`) against the app,
//!   paired, and the blur against a plain copy of the same bytes (the
//!   memory-bandwidth floor);
//! - what building costs, once per schedule: scheduling (the
//!   autoscheduler's run), JIT compilation with the compile cache off, and
//!   loading the cached library;
//! - scaling with image size (¼, ½ and all of each side) and with threads
//!   (1 to all, each count in a child process of this benchmark, as
//!   `HL_NUM_THREADS` and `RAYON_NUM_THREADS` are read once per process).
//!
//! Prints the tables and writes them, as Markdown, to
//! `benchmarks/results/apps.md`, with the plots `apps_ms.svg`,
//! `apps_speedup.svg`, `apps_scaling.svg` and `apps_sizes.svg` (under
//! `cargo bench`; `cargo test --benches` measures one block pair of each
//! and writes nothing).

use halide::args;
use halide::prelude::*;
use halide_apps::alternatives;
use halide_apps::cpp::CppApp;
use halide_apps::workload::{Image, Workload, identical};
use halide_apps::{APPS, App, Scheduling};
use halide_benchmarks::paired::{self, Paired, Side};
use halide_benchmarks::plot::{self, Bars, Lines};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// Set in the child processes that time one thread count.
const CHILD: &str = "HALIDE_APPS_BENCH_THREADS";

/// An autoscheduler's name, or `manual`.
fn label(scheduling: Scheduling) -> &'static str {
    match scheduling {
        Scheduling::Manual => "manual",
        Scheduling::Auto(scheduler) => scheduler.name(),
    }
}

/// A labelled way to run something, for a row each.
type Labelled<'a> = (&'static str, Box<dyn FnMut() + 'a>);

/// A plotted line: its name and (x, y) points.
type Series = (String, Vec<(f64, f64)>);

/// The report and what the plots need, filled as the run goes.
#[derive(Default)]
struct Report {
    text: String,
    /// Per app: implementation → ms per run.
    ms: BTreeMap<&'static str, BTreeMap<String, f64>>,
    /// Per app: (output megapixels, relative throughput).
    sizes: Vec<Series>,
}

impl Report {
    fn section(&mut self, title: &str, reference: &str, subject: &str) {
        println!("\n{title}\n{}", Paired::header(reference, subject));
        let _ = write!(
            self.text,
            "\n### {title}\n\n| | {reference} (ms) | {subject} (ms) | ratio | 95% CI |\n|---|---|---|---|---|\n"
        );
    }

    /// Measures `subject` against `reference`, printing and recording the
    /// row; the two times per run, in ms.
    fn row(
        &mut self,
        label: &str,
        mut reference: impl FnMut(),
        mut subject: impl FnMut(),
    ) -> (f64, f64) {
        let paired: Paired = paired::measure(paired::budget(), |side| match side {
            Side::Reference => reference(),
            Side::Subject => subject(),
        });
        println!("{}", paired.row(label));
        let (r, s) = paired.per_call_ns();
        let (ratio, lo, hi) = paired.ratio();
        let _ = writeln!(
            self.text,
            "| {label} | {:.3} | {:.3} | {ratio:.3} | {lo:.3}–{hi:.3} |",
            r / 1e6,
            s / 1e6
        );
        (r / 1e6, s / 1e6)
    }

    fn record(&mut self, app: &'static str, implementation: &str, ms: f64) {
        self.ms
            .entry(app)
            .or_default()
            .insert(implementation.to_owned(), ms);
    }
}

fn compile(app: &dyn App, scheduling: Scheduling, target: &Target) -> halide::Result<Callable> {
    app.pipeline(scheduling, target, app.size())?
        .compile(target)
}

/// An app built under one schedule, and what each step of building cost.
struct Built {
    callable: Callable,
    /// Building and scheduling the pipeline (the autoscheduler's run).
    schedule: Duration,
    /// Compiling it with Halide's JIT, the compile cache off.
    jit: Duration,
    /// Loading it from the compile cache, once filled.
    load: Duration,
}

fn build(app: &dyn App, scheduling: Scheduling, target: &Target) -> halide::Result<Built> {
    let start = Instant::now();
    let pipeline = app.pipeline(scheduling, target, app.size())?;
    let schedule = start.elapsed();
    let start = Instant::now();
    halide::cache::jit_only(|| pipeline.compile(target))?;
    let jit = start.elapsed();
    // The first cached compile may fill the cache; the second loads.
    pipeline.compile(target)?;
    let start = Instant::now();
    let callable = pipeline.compile(target)?;
    let load = start.elapsed();
    Ok(Built {
        callable,
        schedule,
        jit,
        load,
    })
}

/// An error's message on one line, for a table cell.
fn one_line(e: &halide::Error) -> String {
    e.to_string().replace('\n', " ")
}

/// The building table's row for `scheduling`.
fn build_row(scheduling: Scheduling, built: &halide::Result<Built>) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    match built {
        Ok(b) => format!(
            "| {} | {:.1} | {:.1} | {:.2} |",
            label(scheduling),
            ms(b.schedule),
            ms(b.jit),
            ms(b.load)
        ),
        Err(e) => format!("| {} | fails: {} | | |", label(scheduling), one_line(e)),
    }
}

/// The median time of one `run`, in ms, over about `budget`.
fn time_ms(budget: Duration, mut run: impl FnMut()) -> f64 {
    run();
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 3 || start.elapsed() < budget {
        let t = Instant::now();
        run();
        times.push(t.elapsed().as_secs_f64() * 1e3);
        if budget.is_zero() {
            break;
        }
    }
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The app's size with its first two extents scaled by `scale`.
fn scaled(size: &[i32], scale: i32) -> Vec<i32> {
    size.iter()
        .enumerate()
        .map(|(i, &e)| if i < 2 { e / scale } else { e })
        .collect()
}

/// Every app's comparisons that need no alternative.
fn app_rows(report: &mut Report, app: &'static dyn App, target: &Target) -> halide::Result<()> {
    let name = app.name();
    let built: Vec<(Scheduling, halide::Result<Built>)> = Scheduling::ALL
        .into_iter()
        .map(|s| (s, build(app, s, target)))
        .collect();
    let mut building = format!(
        "\n### {name}: building\n\n| | schedule (ms) | JIT compile (ms) | cached load (ms) |\n|---|---|---|---|\n"
    );
    for (scheduling, b) in &built {
        let _ = writeln!(building, "{}", build_row(*scheduling, b));
    }
    let manual = match &built[0].1 {
        Ok(b) => &b.callable,
        Err(e) => return Err(e.clone()),
    };
    let cpp = CppApp::new(name)?;
    // Both sides of every row run over the same buffers: separate ones
    // could differ in alignment or in how their pages landed.
    let mut run = app.workload(app.size())?;
    run.run_cpp(&cpp)?;
    let cpp_output = std::mem::replace(&mut run.output, app.workload(app.size())?.output);
    run.run(manual)?;
    assert!(
        identical(&run.output, &cpp_output),
        "{name}: Rust and C++ differ"
    );
    drop(cpp_output);
    let run = RefCell::new(run);
    let rust = || run.borrow_mut().run(manual).unwrap();

    report.section(
        &format!("{name}: Rust against C++, same schedule"),
        "C++",
        "Rust",
    );
    let (c, r) = report.row("manual", || run.borrow_mut().run_cpp(&cpp).unwrap(), rust);
    report.record(name, "C++ Halide", c);
    report.record(name, "Rust Halide", r);

    report.section(
        &format!("{name}: autoschedulers against the hand-written schedule"),
        "manual",
        "auto",
    );
    for (scheduling, b) in &built[1..] {
        // An autoscheduler's schedule may not compile, or not run, at
        // this size.
        let tried = b.as_ref().map_err(Clone::clone).and_then(|b| {
            run.borrow_mut().run(&b.callable)?;
            Ok(&b.callable)
        });
        let auto = match tried {
            Ok(auto) => auto,
            Err(e) => {
                println!("{:>12}  fails: {e}", label(*scheduling));
                let _ = writeln!(report.text, "| {} | | fails: {e} | | |", label(*scheduling));
                continue;
            }
        };
        let (_, a) = report.row(label(*scheduling), rust, || {
            run.borrow_mut().run(auto).unwrap()
        });
        report.record(name, label(*scheduling), a);
    }

    let budget = paired::budget() / 4;
    let full = time_ms(budget, rust);
    let pixels = |size: &[i32]| f64::from(size[0]) * f64::from(size[1]) / 1e6;
    let mut points = Vec::new();
    for scale in [4, 2] {
        let size = scaled(app.size(), scale);
        let mut run = app.workload(&size)?;
        let ms = time_ms(budget, || run.run(manual).unwrap());
        points.push((
            pixels(&size),
            pixels(&size) / ms / (pixels(app.size()) / full),
        ));
    }
    points.push((pixels(app.size()), 1.0));
    report.sizes.push((name.to_owned(), points));
    report.text.push_str(&building);
    Ok(())
}

fn buffer<T: Element>(image: &Image) -> &Buffer<T> {
    let any: &dyn std::any::Any = match image {
        Image::U8(b) => b,
        Image::U16(b) => b,
        Image::F32(b) => b,
    };
    any.downcast_ref().expect("the app's element type")
}

/// The blur against its Rust alternatives and the bandwidth floor.
fn blur_alternatives(report: &mut Report, target: &Target) -> halide::Result<()> {
    let app = &halide_apps::blur::Blur;
    let manual = compile(app, Scheduling::Manual, target)?;
    let mut run: Workload = app.workload(app.size())?;
    let input = buffer::<u16>(run.image()?).clone();
    let (w, h) = (input.shape()[0] as usize, input.shape()[1] as usize);
    let mut out = vec![0u16; (w - 2) * (h - 2)];
    run.run(&manual)?;
    alternatives::blur_rayon(input.as_slice(), w, &mut out);
    assert_eq!(
        out,
        buffer::<u16>(&run.output).as_slice(),
        "the rayon blur differs"
    );

    let tuned = halide_apps::blur::tuned(target)?.compile(target)?;
    let mut tuned_out = Buffer::<u16>::new(&[w as i32 - 2, h as i32 - 2])?;
    tuned.call(args![&input, &mut tuned_out])?;
    assert_eq!(out, tuned_out.as_slice(), "the tuned blur differs");
    let mut halide: [Labelled<'_>; 2] = [
        ("app's schedule", Box::new(|| run.run(&manual).unwrap())),
        (
            "tuned",
            Box::new(|| tuned.call(args![&input, &mut tuned_out]).unwrap()),
        ),
    ];

    report.section(
        "blur: Halide against separable, parallel Rust (rayon)",
        "rayon",
        "Halide",
    );
    for (label, blur) in &mut halide {
        let (ms, h) = report.row(
            label,
            || alternatives::blur_rayon(input.as_slice(), w, &mut out),
            blur,
        );
        report.record("blur", "rayon", ms);
        if *label == "tuned" {
            report.record("blur", "Rust Halide (tuned)", h);
        }
    }

    report.section(
        "blur: Halide (16-bit) against imageproc's box_filter (8-bit, the same size)",
        "imageproc",
        "Halide",
    );
    let gray = image::GrayImage::from_fn(w as u32, h as u32, |x, y| {
        image::Luma([(input.as_slice()[y as usize * w + x as usize] >> 8) as u8])
    });
    for (label, blur) in &mut halide {
        let (ms, _) = report.row(
            label,
            || {
                std::hint::black_box(alternatives::blur_imageproc(&gray));
            },
            blur,
        );
        report.record("blur", "imageproc", ms);
    }

    // The floor: copying the output's bytes from the input, scheduled as
    // the tuned blur is (strips of rows in parallel, full vectors), so only
    // the arithmetic and the neighbours read differ.
    report.section(
        "blur: against a plain copy of the same bytes (the memory-bandwidth floor)",
        "copy",
        "blur",
    );
    let copy = {
        let [x, y, yi] = Var::many(["x", "y", "yi"]);
        let source = ImageParam::new::<u16>(2, "source");
        let mut copy = Func::new("copy");
        copy.define([&x, &y], source.at((&x, &y)))?;
        let vec = i32::try_from(target.natural_vector_size::<u16>()?).unwrap_or(16);
        copy.split(&y, &y, &yi, 32)?
            .parallel(&y)?
            .vectorize(&x, vec)?;
        Pipeline::new(&[&copy])?.compile(target)?
    };
    let mut copied = Buffer::<u16>::new(&[w as i32 - 2, h as i32 - 2])?;
    for (label, blur) in &mut halide {
        report.row(
            label,
            || copy.call(args![&input, &mut copied]).unwrap(),
            blur,
        );
    }
    Ok(())
}

/// Unsharp against its Rust alternatives.
fn unsharp_alternatives(report: &mut Report, target: &Target) -> halide::Result<()> {
    let app = &halide_apps::unsharp::Unsharp;
    let manual = compile(app, Scheduling::Manual, target)?;
    let mut run = app.workload(app.size())?;
    let input = buffer::<f32>(run.image()?).clone();
    let [w, h] = [input.shape()[0] as usize, input.shape()[1] as usize];
    let mut out = vec![0.0f32; w * h * 3];
    type Alternative = fn(&[f32], usize, usize, &mut [f32]);
    let alts: [(&str, Alternative); 2] = [
        ("rayon", alternatives::unsharp_rayon),
        ("imageproc", alternatives::unsharp_imageproc),
    ];
    for (name, alternative) in alts {
        report.section(&format!("unsharp: Halide against {name}"), name, "Halide");
        let (ms, _) = report.row(
            "manual",
            || alternative(input.as_slice(), w, h, &mut out),
            || run.run(&manual).unwrap(),
        );
        report.record("unsharp", name, ms);
    }
    Ok(())
}

/// In a child process: each app's manual schedule and the rayon
/// alternatives, timed at this process's thread count; prints
/// `name<TAB>ms` lines.
fn child(target: &Target) -> halide::Result<()> {
    let budget = paired::budget() / 8;
    for app in APPS {
        let manual = compile(*app, Scheduling::Manual, target)?;
        let mut run = app.workload(app.size())?;
        println!(
            "{}\t{}",
            app.name(),
            time_ms(budget, || run.run(&manual).unwrap())
        );
    }
    // The alternatives over the apps' own inputs.
    let blur = halide_apps::blur::Blur.workload(&halide_apps::blur::SIZE)?;
    let input = buffer::<u16>(blur.image()?);
    let w = input.shape()[0] as usize;
    let mut out = vec![0u16; buffer::<u16>(&blur.output).len()];
    let ms = time_ms(budget, || {
        alternatives::blur_rayon(input.as_slice(), w, &mut out)
    });
    println!("blur (rayon)\t{ms}");
    let unsharp = halide_apps::unsharp::Unsharp.workload(&halide_apps::unsharp::SIZE)?;
    let input = buffer::<f32>(unsharp.image()?);
    let (w, h) = (input.shape()[0] as usize, input.shape()[1] as usize);
    let mut out = vec![0.0f32; input.len()];
    let ms = time_ms(budget, || {
        alternatives::unsharp_rayon(input.as_slice(), w, h, &mut out)
    });
    println!("unsharp (rayon)\t{ms}");
    Ok(())
}

/// Runs this benchmark in a child process per thread count; the speed-up
/// over one thread, per app, as plot series, and a table.
fn threads(report: &mut Report) -> Result<Vec<Series>, Box<dyn std::error::Error>> {
    let all = std::thread::available_parallelism().map_or(1, usize::from);
    let counts: Vec<usize> = [1, 2, 4, 8, 16]
        .into_iter()
        .filter(|&n| n < all)
        .chain([all])
        .collect();
    let mut by_app: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    for &n in &counts {
        let output = std::process::Command::new(std::env::current_exe()?)
            .args(std::env::args().skip(1))
            .env(CHILD, n.to_string())
            .env("HL_NUM_THREADS", n.to_string())
            .env("RAYON_NUM_THREADS", n.to_string())
            .output()?;
        if !output.status.success() {
            return Err(format!(
                "the {n}-thread run failed: {}",
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        for line in String::from_utf8(output.stdout)?.lines() {
            if let Some((name, ms)) = line.split_once('\t') {
                by_app
                    .entry(name.to_owned())
                    .or_default()
                    .push((n as f64, ms.parse()?));
            }
        }
    }
    let _ = write!(
        report.text,
        "\n### Scaling with threads (ms per run; speed-up over 1 thread)\n\n| | {} |\n|---|{}\n",
        counts
            .iter()
            .map(|n| format!("{n} thread(s)"))
            .collect::<Vec<_>>()
            .join(" | "),
        "---|".repeat(counts.len())
    );
    let mut series = Vec::new();
    for (name, points) in by_app {
        let one = points[0].1;
        let cells: Vec<String> = points
            .iter()
            .map(|(_, ms)| format!("{ms:.2} ({:.2}×)", one / ms))
            .collect();
        let _ = writeln!(report.text, "| {name} | {} |", cells.join(" | "));
        series.push((name, points.iter().map(|&(n, ms)| (n, one / ms)).collect()));
    }
    Ok(series)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = Target::host()?;
    if std::env::var_os(CHILD).is_some() {
        return Ok(child(&target)?);
    }
    let mut report = Report {
        text: format!(
            "# Halide's apps: halide-rs against C++ Halide, the autoschedulers and Rust\n\n\
             Host `{target}`, {} threads; ratios are subject / reference time (below 1: the \
             subject is faster), medians of paired, interleaved blocks with their 95% \
             confidence intervals.\n",
            std::thread::available_parallelism().map_or(1, usize::from)
        ),
        ..Report::default()
    };
    for app in APPS {
        app_rows(&mut report, *app, &target)?;
    }
    blur_alternatives(&mut report, &target)?;
    unsharp_alternatives(&mut report, &target)?;
    let _ = write!(
        report.text,
        "\n### Scaling with image size (throughput relative to the full size)\n\n| | ¼ × ¼ | ½ × ½ | full |\n|---|---|---|---|\n"
    );
    for (name, points) in &report.sizes {
        let cells: Vec<String> = points.iter().map(|(_, t)| format!("{t:.2}")).collect();
        let _ = writeln!(report.text, "| {name} | {} |", cells.join(" | "));
    }
    let thread_series = threads(&mut report)?;

    if paired::budget().is_zero() {
        return Ok(());
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("results");
    std::fs::create_dir_all(&dir)?;
    plots(&dir, &report, &thread_series)?;
    let _ = write!(
        report.text,
        "\n![ms per app](apps_ms.svg)\n\n![speed-up](apps_speedup.svg)\n\n\
         ![scaling with threads](apps_scaling.svg)\n\n![scaling with size](apps_sizes.svg)\n"
    );
    std::fs::write(dir.join("apps.md"), &report.text)?;
    println!("\nwrote {}", dir.join("apps.md").display());
    Ok(())
}

/// The three pictures.
fn plots(
    dir: &std::path::Path,
    report: &Report,
    thread_series: &[Series],
) -> Result<(), plot::PlotError> {
    let series = [
        "C++ Halide",
        "Rust Halide",
        "Rust Halide (tuned)",
        "Mullapudi2016",
        "Adams2019",
        "Li2018",
        "rayon",
        "imageproc",
    ];
    let groups: Vec<(String, Vec<Option<f64>>)> = report
        .ms
        .iter()
        .map(|(app, ms)| {
            (
                app.to_string(),
                series.iter().map(|s| ms.get(*s).copied()).collect(),
            )
        })
        .collect();
    plot::bars(
        &dir.join("apps_ms.svg"),
        &Bars {
            title: "Halide's apps: ms per run (lower is better)",
            y_label: "ms",
            series: &series,
            groups: &groups,
            log: true,
        },
    )?;
    // Halide at its best schedule against the best Rust alternative.
    let halide = [
        "Rust Halide",
        "Rust Halide (tuned)",
        "Mullapudi2016",
        "Adams2019",
        "Li2018",
    ];
    let speedups: Vec<(String, Vec<Option<f64>>)> = report
        .ms
        .iter()
        .filter_map(|(app, ms)| {
            let best = |names: &[&str]| {
                names
                    .iter()
                    .filter_map(|n| ms.get(*n))
                    .copied()
                    .reduce(f64::min)
            };
            Some((
                app.to_string(),
                vec![Some(best(&["rayon", "imageproc"])? / best(&halide)?)],
            ))
        })
        .collect();
    plot::bars(
        &dir.join("apps_speedup.svg"),
        &Bars {
            title: "Halide (best schedule) over the best Rust alternative",
            y_label: "speed-up (×)",
            series: &["speed-up"],
            groups: &speedups,
            log: false,
        },
    )?;
    let mut scaling: Vec<Series> = thread_series.to_vec();
    scaling.retain(|(_, p)| p.len() > 1);
    plot::lines(
        &dir.join("apps_scaling.svg"),
        &Lines {
            title: "Speed-up with threads",
            x_label: "threads",
            y_label: "speed-up over 1 thread",
            series: &scaling,
        },
    )?;
    plot::lines(
        &dir.join("apps_sizes.svg"),
        &Lines {
            title: "Throughput with image size",
            x_label: "output megapixels",
            y_label: "throughput relative to full size",
            series: &report.sizes,
        },
    )
}

//! Warm start: what a fresh process pays to get its first result, with the
//! JIT (cache off), filling an empty compile cache, and hitting a filled
//! one; for a 3x3 blur and for the local Laplacian filter (~50 Funcs).
//! Each start is a separate process (this program, re-run as a child),
//! timed from spawn to exit; the starts of the three kinds are interleaved
//! and each kind's median is reported. Then, in this process, calls of the
//! cached code against calls of the JIT's, paired (`paired`): the ratio
//! should be 1, since the code is the same.
//!
//! `cargo bench -p halide-benchmarks --bench warm_start [-- STARTS]`

use halide::prelude::*;
use halide::{Callable, args, boundary, cache};
use halide_apps::local_laplacian::LocalLaplacian;
use halide_apps::{App as _, Scheduling};
use halide_benchmarks::paired::{self, Paired, Side};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The README's blur: 3x3 box over u16, tiled, vectorized, parallel.
fn blur() -> (Pipeline, ImageParam) {
    let [x, y, xi, yi] = Var::many(["x", "y", "xi", "yi"]);
    let input = ImageParam::new::<u16>(2, "input");
    let clamped = boundary::repeat_edge(&input).unwrap();
    let mut blur_x = Func::new("blur_x");
    let wide = |e: Expr| e.cast::<u32>();
    blur_x
        .define(
            [&x, &y],
            wide(clamped.at((&x - 1, &y)))
                + wide(clamped.at((&x, &y)))
                + wide(clamped.at((&x + 1, &y))),
        )
        .unwrap();
    let mut blur_y = Func::new("blur_y");
    blur_y
        .define(
            [&x, &y],
            ((blur_x.at((&x, &y - 1)) + blur_x.at((&x, &y)) + blur_x.at((&x, &y + 1))) / 9)
                .cast::<u16>(),
        )
        .unwrap();
    blur_y
        .tile(&x, &y, &xi, &yi, 256, 32)
        .unwrap()
        .vectorize(&xi, 8)
        .unwrap()
        .parallel(&y)
        .unwrap();
    blur_x
        .compute_at(&blur_y, &x)
        .unwrap()
        .vectorize(&x, 8)
        .unwrap();
    (Pipeline::new(&[&blur_y]).unwrap(), input)
}

const W: i32 = 1024;
const H: i32 = 768;

/// One app: its compiled callable and a way to run it once.
struct App {
    callable: Callable,
    run: Box<dyn FnMut(&Callable)>,
}

fn app(name: &str) -> App {
    let target = Target::host().unwrap();
    match name {
        "blur" => {
            let (pipeline, _input) = blur();
            let input = Buffer::<u16>::from_fn(&[W, H], |p| (p[0] * 7 + p[1] * 13) as u16).unwrap();
            let mut out = Buffer::<u16>::new(&[W, H]).unwrap();
            App {
                callable: pipeline.compile(&target).unwrap(),
                run: Box::new(move |c| c.call(args![&input, &mut out]).unwrap()),
            }
        }
        _ => {
            let size = [W, H, 3];
            let pipeline = LocalLaplacian
                .pipeline(Scheduling::Manual, &target, &size)
                .unwrap();
            let mut workload = LocalLaplacian.workload(&size).unwrap();
            App {
                callable: pipeline.compile(&target).unwrap(),
                run: Box::new(move |c| workload.run(c).unwrap()),
            }
        }
    }
}

/// The child: builds, compiles and runs `name` once, and reports.
fn child(name: &str) {
    let start = Instant::now();
    let mut app = app(name);
    let compiled = start.elapsed();
    (app.run)(&app.callable);
    let s = cache::statistics();
    println!(
        "CHILD {:.3} {:.3} {} {} {}",
        compiled.as_secs_f64() * 1e3,
        start.elapsed().as_secs_f64() * 1e3,
        s.hits,
        s.misses,
        s.jit
    );
}

/// A start: (wall ms from spawn to exit, ms to compiled, ms to first
/// result, (hits, misses, jit)).
fn start(name: &str, dir: &Path, cache_on: bool) -> (f64, f64, f64, (u64, u64, u64)) {
    let t = Instant::now();
    let out = Command::new(std::env::current_exe().unwrap())
        .env("WARM_START_CHILD", name)
        .env("HALIDE_RS_CACHE_DIR", dir)
        .env("HALIDE_RS_CACHE", if cache_on { "on" } else { "off" })
        .output()
        .unwrap();
    let wall = t.elapsed().as_secs_f64() * 1e3;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("CHILD "))
        .unwrap();
    let f: Vec<f64> = line.split(' ').map(|v| v.parse().unwrap()).collect();
    (wall, f[0], f[1], (f[2] as u64, f[3] as u64, f[4] as u64))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    if let Ok(name) = std::env::var("WARM_START_CHILD") {
        child(&name);
        return;
    }
    let starts: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5);
    let dir = std::env::temp_dir().join(format!("halide-warm-start-{}", std::process::id()));
    println!(
        "\n| pipeline | start | process (ms) | to compiled (ms) | to first result (ms) | of cold JIT |"
    );
    println!("|---|---|---:|---:|---:|---:|");
    for name in ["blur", "local_laplacian"] {
        let (mut jit, mut fill, mut hit) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..starts {
            jit.push(start(name, &dir, false));
            let _ = std::fs::remove_dir_all(&dir);
            let filled = start(name, &dir, true);
            assert_eq!(filled.3, (0, 1, 0), "an empty cache misses");
            fill.push(filled);
            let warm = start(name, &dir, true);
            assert_eq!(warm.3, (1, 0, 0), "a filled cache hits");
            hit.push(warm);
        }
        let cold = median(jit.iter().map(|s| s.0).collect());
        for (kind, runs) in [
            ("cold JIT", &jit),
            ("cold cache fill", &fill),
            ("warm hit", &hit),
        ] {
            let wall = median(runs.iter().map(|s| s.0).collect());
            println!(
                "| {name} | {kind} | {wall:.1} | {:.1} | {:.1} | {:.1} % |",
                median(runs.iter().map(|s| s.1).collect()),
                median(runs.iter().map(|s| s.2).collect()),
                wall / cold * 100.0
            );
        }
    }

    // Calls: the cached code (a hit in the filled directory) against the
    // JIT's, in this process.
    println!("\n{}", Paired::header("JIT", "cached"));
    for name in ["blur", "local_laplacian"] {
        cache::set_settings(cache::CacheSettings {
            enabled: true,
            dir: dir.clone(),
            ..cache::settings()
        });
        let mut cached = app(name);
        assert!(cached.callable.is_cached());
        cache::set_enabled(false);
        let mut jit = app(name);
        assert!(!jit.callable.is_cached());
        let paired = paired::measure(paired::budget(), |side| match side {
            Side::Reference => (jit.run)(&jit.callable),
            Side::Subject => (cached.run)(&cached.callable),
        });
        println!("{}", paired.row(name));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

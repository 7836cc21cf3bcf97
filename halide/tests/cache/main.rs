//! The compile cache from outside: which changes miss and which repeats
//! hit, keys shared by separate processes, concurrent fills, damaged
//! entries, and each way of falling back to the JIT. Tests that count
//! hits and misses hold `SERIAL`, since the counts are per process;
//! those that need a process of their own run this binary's `child` test.

#![cfg(target_os = "linux")]

use halide::cache::{self, CacheSettings, Statistics};
use halide::prelude::*;
use halide::{Callable, args};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};

static SERIAL: Mutex<()> = Mutex::new(());

/// A fresh cache directory named `name`, for this process, in force; the
/// returned guard keeps other tests from compiling meanwhile.
fn fresh(name: &str) -> (MutexGuard<'static, ()>, PathBuf) {
    let guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = scratch_dir(name);
    cache::set_settings(CacheSettings {
        enabled: true,
        dir: dir.clone(),
        max_bytes: 1 << 30,
    });
    (guard, dir)
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("halide-cache-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// What compiling did: (hits, misses, jit) since `before`.
fn since(before: Statistics) -> (u64, u64, u64) {
    let now = cache::statistics();
    (
        now.hits - before.hits,
        now.misses - before.misses,
        now.jit - before.jit,
    )
}

/// The variants of one pipeline, `out(x) = input(x) * gain + offset`,
/// each changing one thing that changes the generated code.
#[derive(Clone, Copy, Debug, PartialEq)]
#[allow(clippy::enum_variant_names)]
enum Variant {
    Plain,
    Vectorized,
    Constrained,
    Estimated,
    NoAsserts,
    InputsReordered,
    AnyStride,
    ScalarRange,
    ScalarEstimate,
    StrictFloat,
    Parallel,
}

const VARIANTS: [Variant; 11] = [
    Variant::Plain,
    Variant::Vectorized,
    Variant::Constrained,
    Variant::Estimated,
    Variant::NoAsserts,
    Variant::InputsReordered,
    Variant::AnyStride,
    Variant::ScalarRange,
    Variant::ScalarEstimate,
    // Its runtime is the plain target's (Halide cannot build one with it).
    Variant::StrictFloat,
    // Parallel loops become closures named after the loop, counters
    // included.
    Variant::Parallel,
];

fn build(variant: Variant) -> Callable {
    let x = Var::new("x");
    let input = ImageParam::new::<i32>(1, "input");
    let gain = Param::<i32>::new("gain");
    let mut out = Func::new("out");
    out.define([&x], input.at([&x]) * &gain + 5).unwrap();
    let mut target = Target::host().unwrap();
    match variant {
        Variant::Vectorized => {
            out.vectorize(&x, 8).unwrap();
        }
        Variant::Constrained => input.dim(0).set_min(0).unwrap(),
        Variant::Estimated => input.set_estimates(&[(0, 1024)]).unwrap(),
        Variant::NoAsserts => target = target.with_feature("no_asserts").unwrap(),
        Variant::AnyStride => input.dim(0).allow_any_stride().unwrap(),
        Variant::ScalarRange => gain.set_range(-10, 10).unwrap(),
        Variant::ScalarEstimate => gain.set_estimate(3).unwrap(),
        Variant::StrictFloat => target = target.with_feature("strict_float").unwrap(),
        Variant::Parallel => {
            let (xo, xi) = (Var::new("xo"), Var::new("xi"));
            out.split(&x, &xo, &xi, 16)
                .unwrap()
                .parallel(&xo)
                .unwrap()
                .vectorize(&xi, 8)
                .unwrap();
        }
        Variant::Plain | Variant::InputsReordered => {}
    }
    let pipeline = Pipeline::new(&[&out]).unwrap();
    if variant == Variant::InputsReordered {
        pipeline
            .compile_with_inputs(&target, &[&gain, &input])
            .unwrap()
    } else {
        pipeline
            .compile_with_inputs(&target, &[&input, &gain])
            .unwrap()
    }
}

fn check(callable: &Callable, variant: Variant) {
    let input = Buffer::<i32>::from_fn(&[64], |c| c[0] - 20).unwrap();
    let mut out = Buffer::<i32>::new(&[64]).unwrap();
    if variant == Variant::InputsReordered {
        callable.call(args![3, &input, &mut out]).unwrap();
    } else {
        callable.call(args![&input, 3, &mut out]).unwrap();
    }
    for (i, v) in out.as_slice().iter().enumerate() {
        assert_eq!(*v, (i as i32 - 20) * 3 + 5);
    }
}

#[test]
fn each_change_misses_and_each_repeat_hits() {
    let (_guard, _dir) = fresh("variants");
    for variant in VARIANTS {
        let before = cache::statistics();
        let callable = build(variant);
        assert!(callable.is_cached());
        check(&callable, variant);
        assert_eq!(since(before), (0, 1, 0), "{variant:?} the first time");
    }
    // Built again from scratch: new Funcs, whose names Halide now numbers
    // (out$1, ...), and the same entries.
    for variant in VARIANTS {
        let before = cache::statistics();
        check(&build(variant), variant);
        assert_eq!(since(before), (1, 0, 0), "{variant:?} again");
    }
}

#[test]
fn off_means_jit() {
    let (_guard, _dir) = fresh("off");
    cache::set_enabled(false);
    let before = cache::statistics();
    let callable = build(Variant::Plain);
    assert!(!callable.is_cached());
    assert_eq!(since(before), (0, 0, 1));
    cache::set_enabled(true);
}

#[test]
fn jit_only_is_scoped_to_its_thread_and_closure() {
    let (_guard, _dir) = fresh("jit-only");
    let before = cache::statistics();
    let jit = cache::jit_only(|| {
        // Another thread meanwhile still uses the cache.
        let other = std::thread::spawn(|| build(Variant::Plain).is_cached());
        let jit = build(Variant::Plain);
        assert!(other.join().unwrap());
        jit
    });
    assert!(!jit.is_cached());
    check(&jit, Variant::Plain);
    assert!(build(Variant::Plain).is_cached());
    let (hits, misses, jits) = since(before);
    assert_eq!((hits + misses, jits), (2, 1));
    // Unwinding out of the closure restores the setting too.
    let _ = std::panic::catch_unwind(|| cache::jit_only(|| panic!("inside")));
    assert!(build(Variant::Plain).is_cached());
}

#[test]
fn an_unusable_directory_means_jit() {
    let (_guard, dir) = fresh("unusable");
    // A directory under a file cannot be made, even by root.
    std::fs::create_dir_all(dir.parent().unwrap()).unwrap();
    std::fs::write(&dir, b"a file").unwrap();
    cache::set_settings(CacheSettings {
        dir: dir.join("entries"),
        ..cache::settings()
    });
    let before = cache::statistics();
    let callable = build(Variant::Plain);
    assert!(!callable.is_cached());
    assert_eq!(since(before), (0, 0, 1));
    let input = Buffer::<i32>::from_fn(&[4], |c| c[0]).unwrap();
    let mut out = Buffer::<i32>::new(&[4]).unwrap();
    callable.call(args![&input, 2, &mut out]).unwrap();
    assert_eq!(out.as_slice(), &[5, 7, 9, 11]);
    std::fs::remove_file(&dir).unwrap();
}

/// The entries (pipelines and runtimes) in `dir`.
fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "so"))
        .collect();
    entries.sort();
    entries
}

#[test]
fn damaged_entries_are_rebuilt_not_loaded() {
    let (_guard, dir) = fresh("damaged");
    check(&build(Variant::Vectorized), Variant::Vectorized);
    let pipeline = entries(&dir)
        .into_iter()
        .find(|p| !p.to_string_lossy().contains("runtime"))
        .unwrap();
    let whole = std::fs::read(&pipeline).unwrap();
    let damages: [(&str, Vec<u8>); 3] = [
        ("truncated", whole[..whole.len() / 2].to_vec()),
        ("flipped", {
            let mut b = whole.clone();
            b[whole.len() / 3] ^= 0x40;
            b
        }),
        ("empty", Vec::new()),
    ];
    for (what, bytes) in damages {
        std::fs::write(&pipeline, &bytes).unwrap();
        let before = cache::statistics();
        check(&build(Variant::Vectorized), Variant::Vectorized);
        assert_eq!(since(before), (0, 1, 0), "{what}");
        let rebuilt = std::fs::read(&pipeline).unwrap();
        assert!(rebuilt != bytes && rebuilt.len() > 48, "{what}");
        assert_eq!(&rebuilt[rebuilt.len() - 48..][..8], b"HLRSLIB1", "{what}");
    }
}

#[test]
fn errors_and_handlers_are_the_jits() {
    let (_guard, _dir) = fresh("errors");
    let build_printing = || {
        let x = Var::new("x");
        let input = ImageParam::new::<i32>(1, "input");
        let mut out = Func::new("printing");
        out.define([&x], halide::math::print((input.at([&x]), "at", "x")))
            .unwrap();
        Pipeline::new(&[&out])
            .unwrap()
            .compile(&Target::host().unwrap())
            .unwrap()
    };
    let run = |callable: Callable| {
        let lines = std::sync::Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let callable = callable.with_handlers(
            halide::Handlers::new().on_print(move |t| sink.lock().unwrap().push(t.to_owned())),
        );
        let input = Buffer::<i32>::from_fn(&[2], |c| c[0] + 40).unwrap();
        let mut out = Buffer::<i32>::new(&[2]).unwrap();
        callable.call(args![&input, &mut out]).unwrap();
        let mut too_big = Buffer::<i32>::new(&[3]).unwrap();
        let error = callable.call(args![&input, &mut too_big]).unwrap_err();
        let lines = lines.lock().unwrap().clone();
        (callable.is_cached(), lines, error.to_string())
    };
    let cached = run(build_printing());
    cache::set_enabled(false);
    let jit = run(build_printing());
    cache::set_enabled(true);
    assert!(cached.0 && !jit.0);
    assert_eq!(cached.1, ["40 at x\n", "41 at x\n"]);
    assert_eq!(cached.1, jit.1);
    assert!(cached.2.contains("is accessed at 2"), "{}", cached.2);
    // The same message, but for the name Halide gave the Func here.
    let unnumbered = |s: &str| {
        s.replace("printing$1", "printing")
            .replace("printing$2", "printing")
    };
    assert_eq!(unnumbered(&cached.2), unnumbered(&jit.2));
}

/// Runs this binary's `child` test in a process of its own, with the
/// cache at `dir`, doing `task`; returns its counts.
fn spawn(dir: &Path, task: &str, env: &[(&str, &str)]) -> std::process::Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["child", "--exact", "--nocapture", "--test-threads=1"])
        .env("HALIDE_CACHE_TEST_CHILD", task)
        .env("HALIDE_RS_CACHE_DIR", dir)
        .env("HALIDE_RS_CACHE", "on")
        .stdout(std::process::Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    command.spawn().unwrap()
}

fn counts(child: std::process::Child) -> (u64, u64, u64) {
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "child failed: {stdout}");
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("COUNTS ").map(|(_, counts)| counts))
        .unwrap_or_else(|| panic!("no counts in {stdout}"));
    let n: Vec<u64> = line.split(' ').map(|n| n.parse().unwrap()).collect();
    (n[0], n[1], n[2])
}

/// The child's side: `plain` compiles and checks the plain variant;
/// `others-first` builds and compiles two other pipelines first, so that
/// Halide's name counters differ from a process that did not; `variant N`
/// compiles and checks variant N.
#[test]
fn child() {
    let Ok(task) = std::env::var("HALIDE_CACHE_TEST_CHILD") else {
        return;
    };
    if task == "others-first" {
        for variant in [Variant::Vectorized, Variant::Constrained] {
            check(&build(variant), variant);
        }
    }
    let variant = task
        .strip_prefix("variant ")
        .map_or(Variant::Plain, |n| VARIANTS[n.parse::<usize>().unwrap()]);
    let before = cache::statistics();
    let callable = build(variant);
    check(&callable, variant);
    let (h, m, j) = since(before);
    println!("COUNTS {h} {m} {j}");
}

#[test]
fn two_processes_compile_once() {
    let dir = scratch_dir("two-processes");
    assert_eq!(counts(spawn(&dir, "plain", &[])), (0, 1, 0));
    // Names as the first process made them: found by fingerprint.
    assert_eq!(counts(spawn(&dir, "plain", &[])), (1, 0, 0));
    // Other names: a new fingerprint, the same key.
    assert_eq!(counts(spawn(&dir, "others-first", &[])), (1, 0, 0));
    let aliases = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "key"))
        .count();
    // Plain's twice (one per naming), and the two others'.
    assert_eq!(aliases, 4);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Fresh processes build their pipelines with the same names, so their
/// fingerprints differ only by what differs in the pipelines: each variant
/// misses once, then hits, and computes its own results.
#[test]
fn fresh_processes_tell_variants_apart() {
    let dir = scratch_dir("fresh-variants");
    for round in [(0, 1, 0), (1, 0, 0)] {
        for (n, variant) in VARIANTS.iter().enumerate() {
            let task = format!("variant {n}");
            assert_eq!(counts(spawn(&dir, &task, &[])), round, "{variant:?}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn concurrent_processes_fill_once() {
    let dir = scratch_dir("concurrent");
    let children: Vec<_> = (0..4).map(|_| spawn(&dir, "plain", &[])).collect();
    let all: Vec<_> = children.into_iter().map(counts).collect();
    assert_eq!(all.iter().map(|c| c.1).sum::<u64>(), 1, "{all:?}");
    assert_eq!(all.iter().map(|c| c.0).sum::<u64>(), 3, "{all:?}");
    // One pipeline entry and one runtime.
    assert_eq!(entries(&dir).len(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn no_compiler_means_jit() {
    let dir = scratch_dir("no-compiler");
    let no_cc = [("CC", "/nonexistent/cc")];
    assert_eq!(counts(spawn(&dir, "plain", &no_cc)), (0, 0, 1));
    let _ = std::fs::remove_dir_all(&dir);
}

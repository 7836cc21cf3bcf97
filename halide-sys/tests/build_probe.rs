//! The build script's probes, driven with fake environments and trees.

#[allow(dead_code)]
#[path = "../build/probe.rs"]
mod probe;

mod common;

use common::TempDir;
use probe::{Ctx, Probe};
use std::ffi::OsString;
use std::fs;
use std::path::Path;

/// Lays out a minimal Halide install of the given version under `root`.
fn fake_halide(root: &Path, lib: &str, major: u32) {
    fs::create_dir_all(root.join("include")).unwrap();
    fs::create_dir_all(root.join(lib)).unwrap();
    fs::create_dir_all(root.join("bin")).unwrap();
    fs::write(
        root.join("include/Halide.h"),
        format!("#define HALIDE_VERSION_MAJOR {major}\n#define HALIDE_VERSION_MINOR 0\n#define HALIDE_VERSION_PATCH 3\n"),
    )
    .unwrap();
    fs::write(root.join("include/HalideRuntime.h"), "").unwrap();
    fs::write(root.join(lib).join("libHalide.so"), "").unwrap();
}

fn ctx_with<'a>(
    env: &'a dyn Fn(&str) -> Option<OsString>,
    run: &'a dyn Fn(&str, &[&str]) -> Option<String>,
) -> Ctx<'a> {
    Ctx {
        env,
        run,
        target_os: "linux",
    }
}

fn no_run(_: &str, _: &[&str]) -> Option<String> {
    None
}

#[test]
fn header_version_parses_defines() {
    let h = "#ifndef X\n#define HALIDE_VERSION_MAJOR 21\n  #define HALIDE_VERSION_MINOR 4\n#define HALIDE_VERSION_PATCH 1\n";
    assert_eq!(probe::header_version(h), Some((21, 4, 1)));
    assert_eq!(
        probe::header_version("#define HALIDE_VERSION_MAJOR 21\n"),
        None
    );
}

#[test]
fn inspect_accepts_lib64_and_lib() {
    for lib in ["lib64", "lib"] {
        let t = TempDir::new("ok");
        fake_halide(&t.0, lib, 21);
        let install = probe::inspect(&t.0, "linux", 21).unwrap();
        assert_eq!(install.lib, t.0.join(lib));
        assert_eq!(install.version, (21, 0, 3));
        assert_eq!(install.bin, Some(t.0.join("bin")));
    }
}

#[test]
fn inspect_names_every_missing_file() {
    let t = TempDir::new("empty");
    let err = probe::inspect(&t.0, "linux", 21).unwrap_err();
    assert!(
        err.contains(&t.0.join("include/Halide.h").display().to_string()),
        "{err}"
    );
    assert!(err.contains("HalideRuntime.h"), "{err}");
    assert!(err.contains("libHalide.so"), "{err}");
    assert_eq!(
        probe::inspect(&t.0.join("nope"), "linux", 21).unwrap_err(),
        "no such directory"
    );
}

#[test]
fn inspect_rejects_other_major_versions() {
    let t = TempDir::new("old");
    fake_halide(&t.0, "lib", 19);
    let err = probe::inspect(&t.0, "linux", 21).unwrap_err();
    assert!(
        err.contains("found Halide 19.0.3, but halide-sys needs Halide 21"),
        "{err}"
    );
}

#[test]
fn halide_root_that_is_not_halide_is_fatal_and_named() {
    let t = TempDir::new("notroot");
    let root = t.0.clone();
    let env = move |k: &str| (k == "HALIDE_ROOT").then(|| root.clone().into_os_string());
    let ctx = ctx_with(&env, &no_run);
    let (attempts, fatal) = probe::locate(&ctx, 21).unwrap_err();
    assert!(fatal);
    assert_eq!(attempts.len(), 1);
    assert!(
        attempts[0]
            .detail
            .contains(&format!("HALIDE_ROOT={}", t.0.display())),
        "{:?}",
        attempts
    );
    assert!(attempts[0].detail.contains("missing"), "{:?}", attempts);
}

#[test]
fn halide_root_wins_over_everything_else() {
    let t = TempDir::new("root");
    fake_halide(&t.0, "lib64", 21);
    let root = t.0.clone();
    let env = move |k: &str| (k == "HALIDE_ROOT").then(|| root.clone().into_os_string());
    let run = |_: &str, _: &[&str]| -> Option<String> { panic!("no other probe may run") };
    let install = probe::locate(&ctx_with(&env, &run), 21).unwrap();
    assert_eq!(install.root, t.0);
    assert!(install.source.starts_with("HALIDE_ROOT="));
}

#[test]
fn cmake_config_dir_and_prefix_path() {
    let t = TempDir::new("cmake");
    fake_halide(&t.0, "lib", 21);
    let config = t.0.join("lib/cmake/Halide");
    fs::create_dir_all(&config).unwrap();
    fs::write(config.join("HalideConfig.cmake"), "").unwrap();

    let dir = config.clone();
    let env = move |k: &str| (k == "Halide_DIR").then(|| dir.clone().into_os_string());
    match probe::cmake(&ctx_with(&env, &no_run), 21) {
        Probe::Found(i) => assert_eq!(i.root, t.0),
        other => panic!("{other:?}"),
    }

    let elsewhere = TempDir::new("cmake-other");
    let paths = std::env::join_paths([elsewhere.0.clone(), t.0.clone()]).unwrap();
    let env = move |k: &str| (k == "CMAKE_PREFIX_PATH").then(|| paths.clone());
    match probe::cmake(&ctx_with(&env, &no_run), 21) {
        Probe::Found(i) => assert!(i.source.contains("CMAKE_PREFIX_PATH"), "{}", i.source),
        other => panic!("{other:?}"),
    }

    let bad = TempDir::new("cmake-bad");
    let bad_dir = bad.0.clone();
    let env = move |k: &str| (k == "Halide_DIR").then(|| bad_dir.clone().into_os_string());
    assert!(
        matches!(probe::cmake(&ctx_with(&env, &no_run), 21), Probe::Fatal(m) if m.contains("HalideConfig.cmake"))
    );
}

#[test]
fn pkg_config_uses_include_and_lib_dirs() {
    let t = TempDir::new("pkg");
    fake_halide(&t.0, "lib", 21);
    let root = t.0.clone();
    let run = move |prog: &str, args: &[&str]| -> Option<String> {
        assert_eq!(prog, "pkg-config");
        Some(match args[0] {
            "--variable=includedir" => root.join("include").display().to_string(),
            "--variable=libdir" => root.join("lib").display().to_string(),
            "--variable=prefix" => root.display().to_string(),
            other => panic!("{other}"),
        })
    };
    let env = |_: &str| None;
    match probe::pkg_config(&ctx_with(&env, &run), 21) {
        Probe::Found(i) => assert_eq!(i.lib, t.0.join("lib")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn python_package_is_found_without_importing_it() {
    let t = TempDir::new("py");
    fake_halide(&t.0, "lib64", 21);
    let dir = t.0.display().to_string();
    let run = move |prog: &str, args: &[&str]| -> Option<String> {
        assert_eq!(prog, "python3");
        assert!(args[1].contains("find_spec('halide')"));
        Some(format!("{dir}\n"))
    };
    let env = |_: &str| None;
    match probe::python(&ctx_with(&env, &run), 21) {
        Probe::Found(i) => assert_eq!(i.root, t.0),
        other => panic!("{other:?}"),
    }
    let absent = |_: &str, _: &[&str]| Some("\n".to_owned());
    assert!(
        matches!(probe::python(&ctx_with(&env, &absent), 21), Probe::Skipped(m) if m.contains("cannot import halide"))
    );
}

#[test]
fn failure_report_lists_every_probe_and_the_fixes() {
    let env = |_: &str| None;
    let (attempts, fatal) = probe::locate(&ctx_with(&env, &no_run), 21).unwrap_err();
    assert!(!fatal);
    assert_eq!(attempts.len(), 4);
    let report = |download: &probe::DownloadHelp<'_>| {
        probe::failure_report(
            &attempts,
            "0.1.0",
            "x86_64-unknown-linux-gnu",
            "x86_64-unknown-linux-gnu",
            "21.0.0",
            download,
        )
    };
    let disabled = report(&probe::DownloadHelp::Disabled);
    for needle in [
        "1. HALIDE_ROOT: not set",
        "2. Halide_DIR / CMAKE_PREFIX_PATH",
        "3. pkg-config Halide",
        "4. Python package `halide`",
        "You can either:",
        "python3 -m pip install halide==21.0.0",
        "enable the `download` feature",
        "host x86_64-unknown-linux-gnu",
    ] {
        assert!(
            disabled.contains(needle),
            "missing {needle:?} in:\n{disabled}"
        );
    }
    // A failed download: no advice to enable what failed; the proxy, the
    // index, and the file to copy by hand, with where to put it.
    let dir = std::path::Path::new("/home/u/.cache/halide-rs/wheels");
    let failed = report(&probe::DownloadHelp::Failed {
        filename: "halide-21.0.0-cp311-x86_64.whl",
        sha256: "ab12",
        index: "https://pypi.org/simple",
        wheels_dir: dir,
    });
    assert!(
        !failed.contains("enable the `download` feature"),
        "{failed}"
    );
    for needle in [
        "HTTPS_PROXY",
        "HALIDE_SYS_INDEX_URL",
        "(it was https://pypi.org/simple)",
        "halide-21.0.0-cp311-x86_64.whl (sha256 ab12)",
        "https://pypi.org/project/halide/21.0.0/#files",
        "copy it into /home/u/.cache/halide-rs/wheels/",
    ] {
        assert!(failed.contains(needle), "missing {needle:?} in:\n{failed}");
    }
    let none = report(&probe::DownloadHelp::NoWheel);
    assert!(
        !none.contains("download") && !none.contains("wheels/"),
        "{none}"
    );
}

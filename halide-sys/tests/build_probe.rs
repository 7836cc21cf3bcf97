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
        out_dir: Path::new("/nonexistent/out"),
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

/// The cmake and pkg-config crates read the process environment, so their
/// probes run in a child process: this test binary again, running only
/// `test`, with `env` and `HALIDE_SYS_TEST_TREE` (the fake tree) set, and
/// what cargo gives a build script. Returns whether this is the child.
fn in_child(test: &str, tree: &Path, env: &[(&str, std::ffi::OsString)]) -> bool {
    if std::env::var_os("HALIDE_SYS_TEST_TREE").is_some() {
        return true;
    }
    let host = "x86_64-unknown-linux-gnu";
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--test-threads", "1"])
        .env("HALIDE_SYS_TEST_TREE", tree)
        .env_remove("CMAKE_PREFIX_PATH")
        .env_remove("Halide_DIR")
        .env_remove("PKG_CONFIG_PATH")
        .envs([
            ("TARGET", host),
            ("HOST", host),
            ("OPT_LEVEL", "0"),
            ("PROFILE", "debug"),
            ("DEBUG", "false"),
        ])
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("1 passed"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    false
}

/// The fake tree of a test run in a child: the parent's (`HALIDE_SYS_TEST_TREE`)
/// in the child; in the parent a new one, built by `make`, kept alive by
/// the returned guard.
fn tree(tag: &str, make: impl FnOnce(&Path)) -> (Option<TempDir>, std::path::PathBuf) {
    match std::env::var_os("HALIDE_SYS_TEST_TREE") {
        Some(dir) => (None, dir.into()),
        None => {
            let t = TempDir::new(tag);
            make(&t.0);
            let dir = t.0.clone();
            (Some(t), dir)
        }
    }
}

/// The probes as the build script runs them, in the child's environment.
fn real_ctx_probe(probe: fn(&Ctx<'_>, u32) -> Probe, out_dir: &Path) -> Probe {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    let run = |program: &str, args: &[&str]| {
        let out = std::process::Command::new(program)
            .args(args)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let ctx = Ctx {
        env: &env,
        run: &run,
        target_os: "linux",
        out_dir,
    };
    probe(&ctx, 21)
}

/// A CMake package for a fake Halide `version` in a layout the old
/// hand-written probe could not find: the config in `<prefix>/Halide-21/cmake`
/// (one of CMake's own search patterns), the library in `<prefix>/opt/lib`,
/// a plugin in `<prefix>/plugins`.
fn fake_cmake_package(prefix: &Path, version: &str) -> std::path::PathBuf {
    let major: u32 = version.split('.').next().unwrap().parse().unwrap();
    let root = prefix.join("opt");
    fake_halide(&root, "lib", major);
    fs::create_dir_all(prefix.join("plugins")).unwrap();
    fs::write(prefix.join("plugins/libautoschedule_mullapudi2016.so"), "").unwrap();
    let config = prefix.join("Halide-21/cmake");
    fs::create_dir_all(&config).unwrap();
    fs::write(
        config.join("HalideConfigVersion.cmake"),
        format!(
            "set(PACKAGE_VERSION \"{version}\")\n\
             if (PACKAGE_FIND_VERSION_MAJOR EQUAL {major})\n\
             \x20 set(PACKAGE_VERSION_COMPATIBLE TRUE)\n\
             endif ()\n"
        ),
    )
    .unwrap();
    fs::write(
        config.join("HalideConfig.cmake"),
        format!(
            "add_library(Halide::Halide SHARED IMPORTED)\n\
             set_target_properties(Halide::Halide PROPERTIES\n\
             \x20 IMPORTED_LOCATION \"{lib}/libHalide.so\"\n\
             \x20 INTERFACE_INCLUDE_DIRECTORIES \"{include}\")\n\
             add_library(Halide::Mullapudi2016 MODULE IMPORTED)\n\
             set_target_properties(Halide::Mullapudi2016 PROPERTIES\n\
             \x20 IMPORTED_LOCATION \"{plugins}/libautoschedule_mullapudi2016.so\")\n",
            lib = root.join("lib").display(),
            include = root.join("include").display(),
            plugins = prefix.join("plugins").display(),
        ),
    )
    .unwrap();
    config
}

#[test]
fn cmake_probe_reads_the_package_through_cmake() {
    const NAME: &str = "cmake_probe_reads_the_package_through_cmake";
    let (_guard, t) = tree("cmake", |t| {
        fake_cmake_package(&t.join("good"), "21.0.3");
        fake_cmake_package(&t.join("old"), "20.1.0");
    });
    let (good, old, out) = (t.join("good"), t.join("old"), t.join("out"));
    let config = good.join("Halide-21/cmake");
    let prefixes = std::env::join_paths([&old, &good]).unwrap();
    if !in_child(NAME, &t, &[("CMAKE_PREFIX_PATH", prefixes)]) {
        // The parent: Halide_DIR, and errors, in children of their own.
        return;
    }
    // CMAKE_PREFIX_PATH: the 20.x package is considered and passed over.
    match real_ctx_probe(probe::cmake, &out) {
        Probe::Found(i) => {
            assert_eq!(i.lib, good.join("opt/lib"));
            assert_eq!(i.include, good.join("opt/include"));
            assert_eq!(i.plugins, good.join("plugins"));
            assert_eq!(i.version, (21, 0, 3));
            assert!(i.source.contains("CMake package 21.0.3"), "{}", i.source);
            assert!(
                i.source.contains(&config.display().to_string()),
                "{}",
                i.source
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn cmake_probe_takes_halide_dir_and_fails_loudly_on_a_bad_one() {
    const NAME: &str = "cmake_probe_takes_halide_dir_and_fails_loudly_on_a_bad_one";
    let (guard, t) = tree("cmake-dir", |t| {
        fake_cmake_package(&t.join("good"), "21.0.3");
        fake_cmake_package(&t.join("old"), "20.1.0");
    });
    let (good, old) = (t.join("good"), t.join("old"));
    if guard.is_some() {
        for dir in [&good, &old] {
            let config = dir.join("Halide-21/cmake").into_os_string();
            in_child(NAME, &t, &[("Halide_DIR", config)]);
        }
        // Nothing anywhere: skipped, not fatal.
        in_child(NAME, &t, &[("HALIDE_SYS_TEST_NOTHING", "1".into())]);
        return;
    }
    let out = t.join("out");
    let dir = std::env::var_os("Halide_DIR").map(std::path::PathBuf::from);
    match (real_ctx_probe(probe::cmake, &out), dir) {
        (Probe::Found(i), Some(d)) if d.starts_with(&good) => {
            assert_eq!(i.lib, good.join("opt/lib"))
        }
        (Probe::Fatal(m), Some(d)) if d.starts_with(&old) => {
            assert!(m.starts_with("Halide_DIR="), "{m}");
            assert!(m.contains("20.1.0"), "{m}");
        }
        (Probe::Skipped(m), None) => assert!(!m.is_empty()),
        (other, dir) => panic!("{dir:?}: {other:?}"),
    }
}

#[test]
fn cmake_probe_without_cmake() {
    let t = TempDir::new("no-cmake");
    let env = |k: &str| (k == "CMAKE").then(|| "/nonexistent/cmake".into());
    let run = |_: &str, _: &[&str]| None;
    let ctx = Ctx {
        env: &env,
        run: &run,
        target_os: "linux",
        out_dir: &t.0,
    };
    assert!(matches!(probe::cmake(&ctx, 21), Probe::Skipped(m) if m.contains("not installed")));
    let env = |k: &str| (k == "Halide_DIR").then(|| "/opt/halide/lib/cmake/Halide".into());
    let ctx = Ctx {
        env: &env,
        run: &run,
        target_os: "linux",
        out_dir: &t.0,
    };
    assert!(matches!(probe::cmake(&ctx, 21), Probe::Fatal(m) if m.contains("Halide_DIR=")));
}

#[test]
fn cmake_reports_parse() {
    let found = "found=1\nversion=21.0.0\nconfig=/p/lib/cmake/Halide\nlibrary=/p/lib/libHalide.so\n\
                 include=/p/include;/p/include\nplugins=/p/lib/a.so;/p/lib/b.so;\n";
    let report = probe::read_cmake_report(found).unwrap().unwrap();
    assert_eq!(report.library, Path::new("/p/lib/libHalide.so"));
    assert_eq!(report.include.len(), 2);
    assert_eq!(report.plugins.len(), 2);
    let missing = "found=0\nwhy=\nconsidered=/q/HalideConfig.cmake\nversions=20.0.0\n";
    let why = probe::read_cmake_report(missing).unwrap().unwrap_err();
    assert!(
        why.contains("/q/HalideConfig.cmake") && why.contains("20.0.0"),
        "{why}"
    );
    assert!(probe::read_cmake_report("garbage").is_err());
}

fn write_pc(dir: &Path, prefix: &Path, version: &str) {
    fs::create_dir_all(dir).unwrap();
    fs::write(
        dir.join("Halide.pc"),
        format!(
            "prefix={}\nincludedir=${{prefix}}/include\nlibdir=${{prefix}}/lib\n\n\
             Name: Halide\nDescription: a fake Halide\nVersion: {version}\n\
             Libs: -L${{libdir}} -lHalide\nCflags: -I${{includedir}}\n",
            prefix.display()
        ),
    )
    .unwrap();
}

#[test]
fn pkg_config_probe_reads_a_pc_file_through_the_crate() {
    const NAME: &str = "pkg_config_probe_reads_a_pc_file_through_the_crate";
    let (guard, t) = tree("pkg", |t| {
        for (name, version) in [("good", "21.0.3"), ("old", "20.1.0")] {
            let root = t.join(name);
            fake_halide(&root, "lib", version[..2].parse().unwrap());
            write_pc(&root.join("pc"), &root, version);
        }
    });
    let (good, old) = (t.join("good"), t.join("old"));
    if guard.is_some() {
        for pc in [good.join("pc"), old.join("pc")] {
            // PKG_CONFIG_LIBDIR too: no system package may answer instead.
            in_child(
                NAME,
                &t,
                &[
                    ("PKG_CONFIG_PATH", pc.clone().into()),
                    ("PKG_CONFIG_LIBDIR", pc.into()),
                ],
            );
        }
        return;
    }
    let pc = std::path::PathBuf::from(std::env::var_os("PKG_CONFIG_PATH").unwrap());
    match real_ctx_probe(probe::pkg_config, &t) {
        Probe::Found(i) if pc.starts_with(&good) => {
            assert_eq!(i.lib, good.join("lib"));
            assert_eq!(i.include, good.join("include"));
            assert_eq!(i.root, good);
            assert!(
                i.source.contains("pkg-config Halide 21.0.3"),
                "{}",
                i.source
            );
        }
        Probe::Skipped(m) if pc.starts_with(&old) => {
            assert!(m.contains("has version '20.1.0'"), "{m}")
        }
        other => panic!("{}: {other:?}", pc.display()),
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
        "2. CMake find_package(Halide)",
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

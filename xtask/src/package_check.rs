//! `cargo xtask package-check`: the crates as a crates.io user gets them.
//!
//! Packages every publishable crate (only what `cargo package` includes),
//! serves them from a registry on 127.0.0.1, and builds a new project
//! outside the workspace (`xtask/package-check/`) that depends on them from
//! there: a JIT pipeline, an autoscheduled one, an ndarray round trip and an
//! ahead-of-time library built by its build script. Then the binary has to
//! keep working: after `cargo clean`, after `cargo install` from the
//! registry (which builds in a temporary directory and deletes it), and
//! shipped with `halide_build::ship` once Halide's cache is deleted. It
//! also checks that the newest dependencies a user on the oldest supported
//! Rust resolves (resolver 3 with `rust-version`) all build with it, and
//! documents every crate as docs.rs would: offline and without Halide.

use crate::registry::Registry;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The crates users depend on, dependencies first.
const PUBLISHED: [&str; 5] = [
    "halide-runtime",
    "halide-sys",
    "halide-build",
    "halide",
    "halide-ndarray",
];

/// The name the project's `.cargo/config.toml` gives the local registry.
const REGISTRY: &str = "halide-rs-check";

fn cargo_in(dir: &Path, args: &[&str]) -> Command {
    let mut command = crate::cargo(args);
    command.current_dir(dir);
    // What the outer cargo set for xtask must not leak into the project.
    for var in [
        "CARGO_TARGET_DIR",
        "CARGO_MANIFEST_DIR",
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
    ] {
        command.env_remove(var);
    }
    command
}

fn status(mut command: Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    println!("package-check: {shown}");
    let status = command.status().map_err(|e| format!("{shown}: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("{shown}: {status}"))
}

fn stdout(mut command: Command) -> Result<String, String> {
    let shown = format!("{command:?}");
    let out = command.output().map_err(|e| format!("{shown}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{shown}: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs the app and returns where it loaded libHalide from.
fn run_app(exe: &Path, env: &[(&str, PathBuf)]) -> Result<String, String> {
    let mut command = Command::new(exe);
    command.env_remove("LD_LIBRARY_PATH");
    command.envs(env.iter().map(|(k, v)| (k, v)));
    let out = stdout(command)?;
    print!("{out}");
    if !out.contains("package-check app: ok") {
        return Err(format!("{}: no success line in its output", exe.display()));
    }
    out.lines()
        .find_map(|l| l.strip_prefix("libHalide: "))
        .map(str::to_owned)
        .ok_or_else(|| format!("{}: did not say where libHalide came from", exe.display()))
}

fn remove(path: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("{}: {e}", path.display()))
        }
        _ => Ok(()),
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::create_dir_all(path.parent().expect("a file in a directory"))
        .map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The wheel halide-sys downloads, from the machine's cache if it is there
/// (so the check does not download it again), copied into `cache`.
fn seed_wheel(cache: &Path) -> Result<(), String> {
    let Some(wheel) = halide_sys::version::wheel_for(std::env::consts::OS, std::env::consts::ARCH)
    else {
        return Ok(());
    };
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let machine_cache = env("HALIDE_SYS_CACHE_DIR")
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("halide-rs")))
        .or_else(|| env("HOME").map(|d| d.join(".cache/halide-rs")));
    let Some(found) = machine_cache
        .map(|c| c.join("wheels").join(wheel.filename))
        .filter(|p| p.is_file())
    else {
        return Ok(());
    };
    let wheels = cache.join("wheels");
    std::fs::create_dir_all(&wheels).map_err(|e| e.to_string())?;
    std::fs::copy(&found, wheels.join(wheel.filename))
        .map_err(|e| format!("{}: {e}", found.display()))?;
    Ok(())
}

/// The packages of `manifest` (resolved, with `deps`, or only its own).
fn metadata(dir: &Path, args: &[&str]) -> Result<Vec<Value>, String> {
    let mut all = vec!["metadata", "--format-version", "1"];
    all.extend_from_slice(args);
    let text = stdout(cargo_in(dir, &all))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| format!("cargo metadata: {e}"))?;
    Ok(value["packages"].as_array().cloned().unwrap_or_default())
}

/// `"1.85"` or `"1.85.0"` as comparable numbers.
fn rust_version(text: &str) -> Vec<u32> {
    let mut parts: Vec<u32> = text.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    parts.resize(3, 0);
    parts
}

pub fn run(root: &Path) -> Result<(), String> {
    let work = root.join("target/package-check");
    remove(&work)?;
    let app = work.join("app");
    let halide_cache = work.join("halide-cache");

    // 1. Package, as `cargo publish` would, and publish into the registry.
    let mut package = vec!["package", "--no-verify", "--allow-dirty"];
    for name in PUBLISHED {
        package.extend(["-p", name]);
    }
    status(cargo_in(root, &package))?;
    let registry = Registry::start(&work.join("registry"))?;
    let workspace = metadata(root, &["--no-deps"])?;
    let find = |packages: &[Value], name: &str| {
        packages
            .iter()
            .find(|p| p["name"] == name)
            .cloned()
            .ok_or_else(|| format!("no package {name}"))
    };
    let halide = find(&workspace, "halide")?;
    let version = halide["version"].as_str().unwrap_or_default().to_owned();
    let msrv = halide["rust_version"]
        .as_str()
        .ok_or("halide has no rust-version")?
        .to_owned();
    for name in PUBLISHED {
        let file = root.join(format!("target/package/{name}-{version}.crate"));
        registry.publish(&find(&workspace, name)?, &file)?;
    }

    // 2. The user's project, outside the workspace.
    let template = root.join("xtask/package-check");
    let manifest =
        std::fs::read_to_string(template.join("Cargo.toml.in")).map_err(|e| e.to_string())?;
    let mut manifest = manifest
        .replace("{version}", &version)
        .replace("{rust_version}", &msrv);
    for name in PUBLISHED {
        let declared = find(&workspace, name)?["features"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let all: Vec<&String> = declared.keys().filter(|f| *f != "default").collect();
        manifest = manifest.replace(
            &format!("{{features:{name}}}"),
            &serde_json::to_string(&all).expect("strings"),
        );
    }
    write(&app.join("Cargo.toml"), &manifest)?;
    for file in ["build.rs", "src/main.rs"] {
        let text = std::fs::read_to_string(template.join(file)).map_err(|e| e.to_string())?;
        write(&app.join(file), &text)?;
    }
    write(
        &app.join(".cargo/config.toml"),
        &format!(
            "[registries.{REGISTRY}]\nindex = \"{}\"\n",
            registry.index_url
        ),
    )?;

    // 3. What a user on the oldest supported Rust resolves must build there.
    let resolved = metadata(&app, &[])?;
    let too_new: Vec<String> = resolved
        .iter()
        .filter_map(|p| {
            let needs = p["rust_version"].as_str()?;
            (rust_version(needs) > rust_version(&msrv))
                .then(|| format!("{} {} needs Rust {needs}", p["name"], p["version"]))
        })
        .collect();
    if !too_new.is_empty() {
        return Err(format!(
            "with rust-version {msrv}, resolved: {}",
            too_new.join(", ")
        ));
    }
    println!(
        "package-check: {} packages resolved, all build with Rust {msrv}",
        resolved.len()
    );

    // Halide from the wheel into a cache of the check's own, so that the
    // shipped binary can be shown to need none of it.
    seed_wheel(&halide_cache)?;
    let env = [
        ("HALIDE_SYS_CACHE_DIR", halide_cache.clone()),
        ("HALIDE_RS_CACHE_DIR", halide_cache.join("pipelines")),
        // The download probe, not an installed Python package.
        ("HALIDE_SYS_PYTHON", work.join("no-python")),
    ];
    let with_env = |mut c: Command| {
        c.envs(env.iter().map(|(k, v)| (k, v)));
        c
    };

    // 4. Build and run; then `cargo clean`, and the copy still runs.
    status(with_env(cargo_in(&app, &["build"])))?;
    let built = app.join("target/debug/halide-rs-package-check");
    let kept = work.join("halide-rs-package-check");
    std::fs::copy(&built, &kept).map_err(|e| e.to_string())?;
    run_app(&built, &env)?;
    status(cargo_in(&app, &["clean"]))?;
    run_app(&kept, &env)?;
    println!("package-check: the binary runs after `cargo clean`");

    // 5. Publish the project too and `cargo install` it from the registry:
    //    cargo builds it in a temporary directory and deletes that.
    status(cargo_in(&app, &["package", "--no-verify", "--allow-dirty"]))?;
    let own = metadata(&app, &["--no-deps"])?;
    registry.publish(
        &find(&own, "halide-rs-package-check")?,
        &app.join("target/package/halide-rs-package-check-0.1.0.crate"),
    )?;
    let installed = work.join("installed");
    let root_arg = installed.display().to_string();
    let mut install = with_env(cargo_in(
        &work,
        &[
            "install",
            "--debug",
            "--registry",
            REGISTRY,
            "--root",
            &root_arg,
            "halide-rs-package-check",
        ],
    ));
    // `cargo install` reads no project's configuration: the registry
    // comes from the environment, as CI would configure one.
    install.env(
        "CARGO_REGISTRIES_HALIDE_RS_CHECK_INDEX",
        &registry.index_url,
    );
    status(install)?;
    remove(&app.join("target"))?;
    let installed_exe = installed.join("bin/halide-rs-package-check");
    run_app(&installed_exe, &env)?;
    println!("package-check: the binary `cargo install`ed from the registry runs");

    // 6. docs.rs: each published crate documented as docs.rs does it, with
    //    DOCS_RS set and every feature on (the project enables them all),
    //    offline, and with no Halide to find (an empty cache, no Python
    //    package, a dead proxy).
    status(cargo_in(&app, &["fetch"]))?;
    let docs_dir = work.join("docs").display().to_string();
    let mut doc = vec!["doc", "--offline", "--no-deps", "--target-dir", &docs_dir];
    for name in PUBLISHED {
        doc.extend(["-p", name]);
    }
    let mut doc = cargo_in(&app, &doc);
    doc.env("DOCS_RS", "1")
        .env("RUSTDOCFLAGS", "-D warnings")
        .env("HALIDE_SYS_CACHE_DIR", work.join("empty-cache"))
        .env("HALIDE_SYS_PYTHON", work.join("no-python"))
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .env("ALL_PROXY", "http://127.0.0.1:9")
        .env_remove("HALIDE_ROOT")
        .env_remove("Halide_DIR")
        .env_remove("CMAKE_PREFIX_PATH");
    status(doc)?;
    println!(
        "package-check: docs.rs builds of the {} crates pass offline, without Halide",
        PUBLISHED.len()
    );

    // 7. Shipped: with Halide's cache gone, it loads the copies beside it.
    let dist = work.join("dist");
    let shipped = halide_build::ship(&installed_exe, &dist).map_err(|e| e.to_string())?;
    remove(&halide_cache)?;
    let loaded = run_app(&shipped.executable, &env)?;
    if !Path::new(&loaded).starts_with(&dist) {
        return Err(format!(
            "the shipped binary loaded libHalide from {loaded}, not {}",
            dist.display()
        ));
    }
    println!("package-check: the shipped binary runs on its own libraries ({loaded})");
    remove(&work)?;
    forget_registry();
    Ok(())
}

/// Removes what cargo cached from registries on 127.0.0.1 (each run's port
/// makes a new one), so runs do not accumulate copies of the crates.
fn forget_registry() {
    let Some(home) = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
    else {
        return;
    };
    for kind in ["index", "cache", "src"] {
        let Ok(entries) = std::fs::read_dir(home.join("registry").join(kind)) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with("127.0.0.1-")
            {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

//! Locating an installed Halide: the ordered probes of the build script.
//!
//! Nothing here touches the process environment or spawns programs directly:
//! a [`Ctx`] supplies both, so `tests/build_probe.rs` can drive every probe
//! with fake environments and fake directory trees.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// A Halide installation the build can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Install {
    /// The installation prefix.
    pub root: PathBuf,
    /// Directory holding `Halide.h` and `HalideRuntime.h`.
    pub include: PathBuf,
    /// Directory holding `libHalide` and the autoscheduler plugins.
    pub lib: PathBuf,
    /// Directory holding Halide's tools (`gengen`, ...), when the install has one.
    pub bin: Option<PathBuf>,
    /// `(major, minor, patch)` read from `Halide.h`.
    pub version: (u32, u32, u32),
    /// Which probe found it, for messages.
    pub source: String,
}

/// What the build script can observe; real in `main.rs`, faked in tests.
pub struct Ctx<'a> {
    /// Reads an environment variable.
    pub env: &'a dyn Fn(&str) -> Option<OsString>,
    /// Runs a program with arguments; `Some(stdout)` when it ran and succeeded.
    pub run: &'a dyn Fn(&str, &[&str]) -> Option<String>,
    /// `CARGO_CFG_TARGET_OS` of the crate being built.
    pub target_os: &'a str,
}

/// The result of one probe.
#[derive(Debug)]
pub enum Probe {
    /// A usable installation.
    Found(Install),
    /// This probe has nothing to offer; the next one runs. The text says why.
    Skipped(String),
    /// The user pointed at something explicitly and it is unusable: stop here
    /// rather than silently building against something else.
    Fatal(String),
}

/// One line of the failure report: which probe, and what it saw.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The probe's name, as the report lists it.
    pub probe: &'static str,
    /// What it found, or why it found nothing.
    pub detail: String,
}

/// File name of the shared library on `target_os`.
pub fn library_file(target_os: &str) -> &'static str {
    match target_os {
        "macos" | "ios" => "libHalide.dylib",
        "windows" => "Halide.lib",
        _ => "libHalide.so",
    }
}

/// Parses `HALIDE_VERSION_{MAJOR,MINOR,PATCH}` out of `Halide.h`.
pub fn header_version(header: &str) -> Option<(u32, u32, u32)> {
    let field = |name: &str| {
        header.lines().find_map(|line| {
            let rest = line.trim().strip_prefix("#define")?.trim_start();
            let value = rest.strip_prefix(name)?;
            value.trim().parse::<u32>().ok()
        })
    };
    Some((
        field("HALIDE_VERSION_MAJOR")?,
        field("HALIDE_VERSION_MINOR")?,
        field("HALIDE_VERSION_PATCH")?,
    ))
}

/// Checks an installation given as an include and a library directory.
///
/// The error lists everything that is missing, naming the directories looked
/// in, so the user can see at once what is wrong with the path they gave.
pub fn inspect_dirs(
    root: &Path,
    include: &Path,
    lib: &Path,
    target_os: &str,
    required_major: u32,
) -> Result<Install, String> {
    let mut missing = Vec::new();
    let header = include.join("Halide.h");
    for name in ["Halide.h", "HalideRuntime.h"] {
        if !include.join(name).is_file() {
            missing.push(format!("{}", include.join(name).display()));
        }
    }
    let lib_file = library_file(target_os);
    if !lib.join(lib_file).exists() {
        missing.push(format!("{}", lib.join(lib_file).display()));
    }
    if !missing.is_empty() {
        return Err(format!(
            "not a Halide installation: missing {}",
            missing.join(", ")
        ));
    }
    let text = fs::read_to_string(&header)
        .map_err(|e| format!("cannot read {}: {e}", header.display()))?;
    let version = header_version(&text).ok_or_else(|| {
        format!(
            "{} does not define HALIDE_VERSION_MAJOR/MINOR/PATCH",
            header.display()
        )
    })?;
    if version.0 != required_major {
        return Err(format!(
            "found Halide {}.{}.{}, but halide-sys needs Halide {required_major}",
            version.0, version.1, version.2
        ));
    }
    let bin = root.join("bin");
    Ok(Install {
        root: root.to_path_buf(),
        include: include.to_path_buf(),
        lib: lib.to_path_buf(),
        bin: bin.is_dir().then_some(bin),
        version,
        source: String::new(),
    })
}

/// Checks an installation prefix laid out as `include/` plus `lib64/` or `lib/`.
pub fn inspect(root: &Path, target_os: &str, required_major: u32) -> Result<Install, String> {
    if !root.is_dir() {
        return Err("no such directory".to_owned());
    }
    let lib_file = library_file(target_os);
    let lib = ["lib64", "lib"]
        .iter()
        .map(|d| root.join(d))
        .find(|d| d.join(lib_file).exists())
        .unwrap_or_else(|| root.join("lib"));
    inspect_dirs(root, &root.join("include"), &lib, target_os, required_major)
}

fn found(install: Result<Install, String>, source: String) -> Probe {
    match install {
        Ok(mut i) => {
            i.source = source;
            Probe::Found(i)
        }
        Err(why) => Probe::Skipped(format!("{source}: {why}")),
    }
}

/// `HALIDE_ROOT`: an explicit prefix. Anything wrong with it is fatal.
pub fn halide_root(ctx: &Ctx<'_>, major: u32) -> Probe {
    let Some(root) = (ctx.env)("HALIDE_ROOT") else {
        return Probe::Skipped("not set".to_owned());
    };
    let root = PathBuf::from(root);
    match inspect(&root, ctx.target_os, major) {
        Ok(mut i) => {
            i.source = format!("HALIDE_ROOT={}", root.display());
            Probe::Found(i)
        }
        Err(why) => Probe::Fatal(format!("HALIDE_ROOT={}: {why}", root.display())),
    }
}

/// `Halide_DIR` (the directory of `HalideConfig.cmake`) or a `CMAKE_PREFIX_PATH`
/// entry that holds one. The prefix is derived from the config file's place,
/// as CMake's own package layout defines it.
pub fn cmake(ctx: &Ctx<'_>, major: u32) -> Probe {
    let mut notes = Vec::new();
    if let Some(dir) = (ctx.env)("Halide_DIR") {
        let dir = PathBuf::from(dir);
        if !dir.join("HalideConfig.cmake").is_file() {
            return Probe::Fatal(format!(
                "Halide_DIR={}: missing {}",
                dir.display(),
                dir.join("HalideConfig.cmake").display()
            ));
        }
        // <prefix>/<lib|lib64|share>/cmake/Halide
        let Some(prefix) = dir.ancestors().nth(3) else {
            return Probe::Fatal(format!(
                "Halide_DIR={}: no installation prefix above it",
                dir.display()
            ));
        };
        return match inspect(prefix, ctx.target_os, major) {
            Ok(mut i) => {
                i.source = format!("Halide_DIR={}", dir.display());
                Probe::Found(i)
            }
            Err(why) => Probe::Fatal(format!(
                "Halide_DIR={} (prefix {}): {why}",
                dir.display(),
                prefix.display()
            )),
        };
    }
    notes.push("Halide_DIR not set".to_owned());
    match (ctx.env)("CMAKE_PREFIX_PATH") {
        None => notes.push("CMAKE_PREFIX_PATH not set".to_owned()),
        Some(paths) => {
            for prefix in std::env::split_paths(&paths) {
                let has_config = ["lib64", "lib", "share"].iter().any(|d| {
                    prefix
                        .join(d)
                        .join("cmake/Halide/HalideConfig.cmake")
                        .is_file()
                });
                if !has_config {
                    notes.push(format!("{}: no HalideConfig.cmake", prefix.display()));
                    continue;
                }
                match inspect(&prefix, ctx.target_os, major) {
                    Ok(mut i) => {
                        i.source = format!("CMAKE_PREFIX_PATH entry {}", prefix.display());
                        return Probe::Found(i);
                    }
                    Err(why) => notes.push(format!("{}: {why}", prefix.display())),
                }
            }
        }
    }
    Probe::Skipped(notes.join("; "))
}

/// `pkg-config Halide`, for distributions that ship a `.pc` file.
pub fn pkg_config(ctx: &Ctx<'_>, major: u32) -> Probe {
    let var = |name: &str| {
        (ctx.run)("pkg-config", &[&format!("--variable={name}"), "Halide"])
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let (Some(include), Some(lib)) = (var("includedir"), var("libdir")) else {
        return Probe::Skipped("pkg-config is missing or knows no package Halide".to_owned());
    };
    let root = var("prefix").map_or_else(|| PathBuf::from(&include).join(".."), PathBuf::from);
    let install = inspect_dirs(
        &root,
        Path::new(&include),
        Path::new(&lib),
        ctx.target_os,
        major,
    );
    found(install, format!("pkg-config (prefix {})", root.display()))
}

/// The `halide` Python package: the wheel carries a complete installation.
///
/// The package is located with `find_spec` rather than imported, which is
/// what `halide.install_dir()` returns without loading libHalide into Python.
pub fn python(ctx: &Ctx<'_>, major: u32) -> Probe {
    let python = (ctx.env)("HALIDE_SYS_PYTHON").map_or_else(
        || "python3".to_owned(),
        |p| p.to_string_lossy().into_owned(),
    );
    let script = "import importlib.util, os\n\
                  s = importlib.util.find_spec('halide')\n\
                  print(os.path.dirname(s.origin) if s and s.origin else '')";
    let Some(out) = (ctx.run)(&python, &["-c", script]) else {
        return Probe::Skipped(format!("{python} did not run"));
    };
    let dir = out.trim();
    if dir.is_empty() {
        return Probe::Skipped(format!("{python} cannot import halide"));
    }
    found(
        inspect(Path::new(dir), ctx.target_os, major),
        format!("Python package at {dir}"),
    )
}

/// Runs the probes in order, stopping at the first installation found or the
/// first fatal error. Returns the installation, or every attempt for the report.
pub fn locate(ctx: &Ctx<'_>, major: u32) -> Result<Install, (Vec<Attempt>, bool)> {
    type ProbeFn = fn(&Ctx<'_>, u32) -> Probe;
    let probes: [(&'static str, ProbeFn); 4] = [
        ("HALIDE_ROOT", halide_root),
        ("Halide_DIR / CMAKE_PREFIX_PATH", cmake),
        ("pkg-config Halide", pkg_config),
        ("Python package `halide`", python),
    ];
    let mut attempts = Vec::new();
    for (name, probe) in probes {
        match probe(ctx, major) {
            Probe::Found(install) => return Ok(install),
            Probe::Skipped(detail) => attempts.push(Attempt {
                probe: name,
                detail,
            }),
            Probe::Fatal(detail) => {
                attempts.push(Attempt {
                    probe: name,
                    detail,
                });
                return Err((attempts, true));
            }
        }
    }
    Err((attempts, false))
}

/// What the failure report can say about the download, the last probe.
pub enum DownloadHelp<'a> {
    /// The `download` feature is disabled.
    Disabled,
    /// Halide publishes no wheel for this platform.
    NoWheel,
    /// The download of this wheel was tried (from `index`) and failed;
    /// `wheels_dir` is where a copy made by hand is picked up.
    Failed {
        filename: &'a str,
        sha256: &'a str,
        index: &'a str,
        wheels_dir: &'a std::path::Path,
    },
}

/// The one message a failed build prints: every probe and what it saw, then
/// the concrete ways out (only those that can help).
pub fn failure_report(
    attempts: &[Attempt],
    crate_version: &str,
    host: &str,
    target: &str,
    version: &str,
    download: &DownloadHelp<'_>,
) -> String {
    let mut s = format!(
        "halide-sys {crate_version} could not find a usable Halide {version} \
         (host {host}, target {target}).\n\nTried, in order:\n"
    );
    for (i, a) in attempts.iter().enumerate() {
        let _ = writeln!(s, "  {}. {}: {}", i + 1, a.probe, a.detail);
    }
    let _ = write!(
        s,
        "\nYou can either:\n\
         \x20 - point HALIDE_ROOT at a Halide {version} installation (a directory with \
         include/Halide.h and lib/ or lib64/ holding {lib}),\n\
         \x20 - install the official Python package, which carries the library: \
         python3 -m pip install halide=={version}\n",
        lib = library_file(if target.contains("apple") {
            "macos"
        } else {
            "linux"
        }),
    );
    match download {
        DownloadHelp::Disabled => {
            let _ = writeln!(
                s,
                "  - or enable the `download` feature of halide-sys (on by default), which \
                 fetches the pinned official wheel from PyPI into a cache (HALIDE_SYS_CACHE_DIR)."
            );
        }
        DownloadHelp::NoWheel => {}
        DownloadHelp::Failed {
            filename,
            sha256,
            index,
            wheels_dir,
        } => {
            let _ = writeln!(
                s,
                "  - or let the download through: it honors the proxy variables HTTPS_PROXY, \
                 ALL_PROXY and NO_PROXY, and HALIDE_SYS_INDEX_URL names another package \
                 index, such as a PyPI mirror (it was {index}),\n\
                 \x20 - or, offline, fetch {filename} (sha256 {sha256}) from \
                 https://pypi.org/project/halide/{version}/#files on another machine and copy \
                 it into {dir}/ : the next build checks its sha256 and unpacks it.",
                dir = wheels_dir.display(),
            );
        }
    }
    s
}

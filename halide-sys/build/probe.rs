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
    /// Directory holding the autoscheduler plugins: `lib` unless Halide's
    /// CMake package says otherwise.
    pub plugins: PathBuf,
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
    /// A directory the probes may write in (the CMake probe's build tree).
    pub out_dir: &'a Path,
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
        plugins: lib.to_path_buf(),
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

/// What the CMake probe project (`build/find_halide`) wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CMakeReport {
    /// The `HalideConfig.cmake` directory, when found.
    pub config: Option<PathBuf>,
    /// `Halide_VERSION`.
    pub version: String,
    /// The file of the imported target `Halide::Halide`.
    pub library: PathBuf,
    /// Its (and `Halide::Runtime`'s) include directories.
    pub include: Vec<PathBuf>,
    /// The files of the autoscheduler plugins' imported targets.
    pub plugins: Vec<PathBuf>,
}

/// Parses `halide.txt`: the report, or (inside `Ok`) CMake's reason when
/// no package config matched; `Err` when the file is not a report.
pub fn read_cmake_report(text: &str) -> Result<Result<CMakeReport, String>, String> {
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .unwrap_or("")
    };
    let list = |key: &str| -> Vec<PathBuf> {
        field(key)
            .split(';')
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .collect()
    };
    match field("found") {
        "1" => Ok(Ok(CMakeReport {
            config: Some(PathBuf::from(field("config"))).filter(|p| !p.as_os_str().is_empty()),
            version: field("version").to_owned(),
            library: PathBuf::from(field("library")),
            include: list("include"),
            plugins: list("plugins"),
        })),
        "0" => {
            let mut why = field("why").trim().to_owned();
            let considered = field("considered");
            if !considered.is_empty() {
                why = format!(
                    "{why} (considered {considered}: versions {})",
                    field("versions")
                );
            }
            if why.is_empty() {
                why = "no HalideConfig.cmake in CMake's search paths".to_owned();
            }
            Ok(Err(why))
        }
        _ => Err("the probe project wrote no result".to_owned()),
    }
}

/// Halide's CMake package, found by CMake itself through the `cmake` crate:
/// `Halide_DIR`, `CMAKE_PREFIX_PATH`, `Halide_ROOT` and CMake's default
/// prefixes, any layout CMake accepts, checked against the version file. The
/// include directories, the library and the plugins come from the imported
/// targets. An explicit `Halide_DIR` that does not work is fatal; so is a
/// `Halide_DIR` without cmake to read it.
pub fn cmake(ctx: &Ctx<'_>, major: u32) -> Probe {
    let halide_dir = (ctx.env)("Halide_DIR");
    let explicit = |why: String| match &halide_dir {
        Some(dir) => Probe::Fatal(format!("Halide_DIR={}: {why}", Path::new(dir).display())),
        None => Probe::Skipped(why),
    };
    let program =
        (ctx.env)("CMAKE").map_or_else(|| "cmake".to_owned(), |p| p.to_string_lossy().into_owned());
    if (ctx.run)(&program, &["--version"]).is_none() {
        return explicit(format!(
            "{program} is not installed (it reads Halide's CMake package)"
        ));
    }
    let build = ctx.out_dir.join("find_halide");
    let mut config = cmake::Config::new(concat!(env!("CARGO_MANIFEST_DIR"), "/build/find_halide"));
    config
        .out_dir(&build)
        .define("HALIDE_SYS_MAJOR", major.to_string())
        .no_build_target(true);
    if let Some(dir) = &halide_dir {
        config.define("Halide_DIR", dir);
    }
    // A fresh tree each time: CMake's cache would keep the packages an
    // earlier configure found (<Pkg>_DIR), and an old report could answer
    // for a failed run.
    let _ = fs::remove_dir_all(&build);
    let report_file = build.join("build/halide.txt");
    // The cmake crate panics when CMake fails; its output is in the build
    // log, and the failure is this probe's, not the build's.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| config.build()));
    std::panic::set_hook(hook);
    if ran.is_err() {
        return explicit(format!(
            "{program} failed to configure the probe project in {} (its output is in the build log)",
            build.display()
        ));
    }
    let text = match fs::read_to_string(&report_file) {
        Ok(text) => text,
        Err(e) => return explicit(format!("no result from the probe project: {e}")),
    };
    let report = match read_cmake_report(&text) {
        Ok(Ok(report)) => report,
        Ok(Err(why)) | Err(why) => return explicit(why),
    };
    let source = format!(
        "CMake package {} ({})",
        report.version,
        report.config.as_deref().unwrap_or(Path::new("?")).display()
    );
    let Some(lib) = report.library.parent() else {
        return explicit(format!("{source}: no library file"));
    };
    let include = report
        .include
        .iter()
        .find(|d| d.join("Halide.h").is_file())
        .cloned()
        .unwrap_or_else(|| lib.join("../include"));
    let root = include.parent().unwrap_or(&include).to_path_buf();
    match inspect_dirs(&root, &include, lib, ctx.target_os, major) {
        Ok(mut install) => {
            if let Some(dir) = report.plugins.first().and_then(|p| p.parent()) {
                install.plugins = dir.to_path_buf();
            }
            install.source = source;
            Probe::Found(install)
        }
        Err(why) => explicit(format!("{source}: {why}")),
    }
}

/// `Halide.pc`, through the `pkg-config` crate (`PKG_CONFIG_PATH`,
/// `PKG_CONFIG_SYSROOT_DIR` and the other conventions; it refuses to use
/// the host's packages when cross-compiling unless told to).
pub fn pkg_config(ctx: &Ctx<'_>, major: u32) -> Probe {
    let (low, high) = (major.to_string(), (major + 1).to_string());
    let library = pkg_config::Config::new()
        .range_version(low.as_str()..high.as_str())
        .cargo_metadata(false)
        .env_metadata(true)
        .probe("Halide");
    let library = match library {
        Ok(library) => library,
        // The crate's message spans many lines (the command, advice for
        // cargo users); pkg-config's own words are what the report needs.
        Err(e) => {
            let text = e.to_string();
            let own: Vec<&str> = text
                .lines()
                .skip_while(|l| !l.starts_with("pkg-config output:"))
                .skip(1)
                .take_while(|l| !l.starts_with("The system library"))
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            let first = text.lines().next().unwrap_or("failed");
            return Probe::Skipped(if own.is_empty() {
                first.to_owned()
            } else {
                own.join(" ")
            });
        }
    };
    let lib_file = library_file(ctx.target_os);
    let pick = |dirs: &[PathBuf], file: &str| {
        dirs.iter()
            .find(|d| d.join(file).exists())
            .or(dirs.first())
            .cloned()
    };
    let (Some(include), Some(lib)) = (
        pick(&library.include_paths, "Halide.h"),
        pick(&library.link_paths, lib_file),
    ) else {
        return Probe::Skipped("Halide.pc names no include or library directory".to_owned());
    };
    let root = pkg_config::get_variable("Halide", "prefix")
        .ok()
        .filter(|p| !p.is_empty())
        .map_or_else(|| include.join(".."), PathBuf::from);
    let install = inspect_dirs(&root, &include, &lib, ctx.target_os, major);
    found(
        install,
        format!(
            "pkg-config Halide {} (prefix {})",
            library.version,
            root.display()
        ),
    )
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
        ("CMake find_package(Halide)", cmake),
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

//! Build script of halide-sys: locate (or download) Halide, compile the C
//! shim against it, and link.

mod probe;
mod shim;
mod source;
// The wheel table is only read by the download probe.
#[cfg_attr(not(feature = "download"), allow(dead_code))]
#[path = "../src/version.rs"]
mod version;
#[cfg(feature = "download")]
mod wheel;

use probe::{Attempt, Ctx, Install};
use std::env;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

/// Reads an environment variable and asks cargo to rerun when it changes;
/// the one way this script reads the environment.
fn env_var(name: &str) -> Option<OsString> {
    println!("cargo:rerun-if-env-changed={name}");
    env::var_os(name).filter(|v| !v.is_empty())
}

fn cargo_var(name: &str) -> String {
    env::var(name).unwrap_or_else(|_| panic!("cargo did not set {name}"))
}

fn run(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn main() {
    println!("cargo:rerun-if-changed=build");
    println!("cargo:rerun-if-changed=shim");
    println!("cargo:rerun-if-changed=src/version.rs");
    if env_var("DOCS_RS").is_some() {
        // docs.rs has no Halide (nor network) and needs neither: the
        // bindings are checked in, and nothing is linked. The paths the
        // crate compiles in are left empty.
        let mut parts = version::HALIDE_VERSION
            .split('.')
            .map(|p| p.parse().unwrap_or(0));
        let mut part = || parts.next().unwrap_or(0);
        export(&Install {
            root: PathBuf::new(),
            include: PathBuf::new(),
            lib: PathBuf::new(),
            bin: None,
            plugins: PathBuf::new(),
            version: (part(), part(), part()),
            source: "none: a documentation build (DOCS_RS)".to_owned(),
        });
        return;
    }
    let target_os = cargo_var("CARGO_CFG_TARGET_OS");
    let out_dir = PathBuf::from(cargo_var("OUT_DIR"));
    let ctx = Ctx {
        env: &env_var,
        run: &run,
        target_os: &target_os,
        out_dir: &out_dir,
    };
    let located = match env_var("HALIDE_SOURCE_DIR") {
        // An explicit request to build: no probe runs, and a failure is final.
        Some(checkout) => Ok(source::build(
            std::path::Path::new(&checkout),
            &cache_dir(&target_os),
            &target_os,
            version::HALIDE_VERSION_MAJOR,
        )
        .unwrap_or_else(|why| {
            eprintln!("halide-sys: {why}");
            std::process::exit(1)
        })),
        None => probe::locate(&ctx, version::HALIDE_VERSION_MAJOR),
    };
    let install = match located {
        Ok(install) => install,
        Err((attempts, true)) => fail(&attempts),
        Err((mut attempts, false)) => match download(&target_os) {
            Ok(install) => install,
            Err(detail) => {
                attempts.push(Attempt {
                    probe: "download of the official wheel",
                    detail,
                });
                fail(&attempts)
            }
        },
    };
    compile_shim(&install, &target_os);
    export(&install);
}

fn fail(attempts: &[Attempt]) -> ! {
    for a in attempts {
        println!("cargo:warning=halide-sys: {}: {}", a.probe, a.detail);
    }
    let target_os = cargo_var("CARGO_CFG_TARGET_OS");
    let pinned = version::wheel_for(&target_os, &cargo_var("CARGO_CFG_TARGET_ARCH"));
    let (index, wheels_dir) = (index_url(), cache_dir(&target_os).join("wheels"));
    let download = match pinned {
        None => probe::DownloadHelp::NoWheel,
        Some(_) if !cfg!(feature = "download") => probe::DownloadHelp::Disabled,
        Some(wheel) => probe::DownloadHelp::Failed {
            filename: wheel.filename,
            sha256: wheel.sha256,
            index: &index,
            wheels_dir: &wheels_dir,
        },
    };
    eprintln!(
        "{}",
        probe::failure_report(
            attempts,
            &cargo_var("CARGO_PKG_VERSION"),
            &cargo_var("HOST"),
            &cargo_var("TARGET"),
            version::HALIDE_VERSION,
            &download,
        )
    );
    std::process::exit(1);
}

/// The package index the wheel is fetched from.
fn index_url() -> String {
    env_var("HALIDE_SYS_INDEX_URL").map_or_else(
        || "https://pypi.org/simple".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// Where downloaded wheels and their unpacked contents live, shared by every
/// clone and workspace on the machine so Halide is downloaded once.
fn cache_dir(target_os: &str) -> PathBuf {
    if let Some(dir) = env_var("HALIDE_SYS_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    let home = env_var("HOME").map(PathBuf::from);
    let base = match (target_os, env_var("XDG_CACHE_HOME"), home) {
        (_, Some(xdg), _) if target_os != "macos" => PathBuf::from(xdg),
        ("macos", _, Some(home)) => home.join("Library/Caches"),
        (_, _, Some(home)) => home.join(".cache"),
        _ => PathBuf::from(cargo_var("OUT_DIR")),
    };
    base.join("halide-rs")
}

#[cfg(feature = "download")]
struct Http(ureq::Agent);

#[cfg(feature = "download")]
impl Http {
    fn new() -> Self {
        use ureq::tls::{RootCerts, TlsConfig};
        // The platform verifier trusts the system's certificate store, which is
        // what corporate proxies and mirrors install their CA into.
        let tls = TlsConfig::builder()
            .root_certs(RootCerts::PlatformVerifier)
            .build();
        let config = ureq::Agent::config_builder()
            .tls_config(tls)
            .timeout_connect(Some(std::time::Duration::from_secs(30)))
            .build();
        Http(config.into())
    }
}

#[cfg(feature = "download")]
impl wheel::Transport for Http {
    fn get_text(&self, url: &str) -> Result<String, String> {
        let mut response = self
            .0
            .get(url)
            .header(
                "Accept",
                "application/vnd.pypi.simple.v1+json, text/html;q=0.1",
            )
            .call()
            .map_err(|e| format!("GET {url}: {e}"))?;
        response
            .body_mut()
            .read_to_string()
            .map_err(|e| format!("GET {url}: {e}"))
    }

    fn download(&self, url: &str, dest: &std::path::Path) -> Result<(), String> {
        let mut response = self
            .0
            .get(url)
            .call()
            .map_err(|e| format!("GET {url}: {e}"))?;
        let mut file = std::fs::File::create(dest)
            .map_err(|e| format!("cannot create {}: {e}", dest.display()))?;
        let mut body = response.body_mut().with_config().limit(u64::MAX).reader();
        std::io::copy(&mut body, &mut file).map_err(|e| format!("GET {url}: {e}"))?;
        Ok(())
    }
}

#[cfg(feature = "download")]
fn download(target_os: &str) -> Result<Install, String> {
    let arch = cargo_var("CARGO_CFG_TARGET_ARCH");
    let Some(pinned) = version::wheel_for(target_os, &arch) else {
        return Err(format!(
            "Halide publishes no official {} wheel for {target_os}-{arch}",
            version::HALIDE_VERSION
        ));
    };
    let cache = cache_dir(target_os);
    let index = index_url();
    let root = wheel::fetch(
        &cache,
        version::HALIDE_VERSION,
        &format!("{target_os}-{arch}"),
        pinned.filename,
        pinned.sha256,
        &index,
        &Http::new(),
    )?;
    let mut install = probe::inspect(&root, target_os, version::HALIDE_VERSION_MAJOR)
        .map_err(|e| format!("unpacked wheel at {}: {e}", root.display()))?;
    install.source = format!("official wheel cached at {}", root.display());
    Ok(install)
}

#[cfg(not(feature = "download"))]
fn download(_target_os: &str) -> Result<Install, String> {
    Err("the `download` feature of halide-sys is disabled".to_owned())
}

/// Compiles the shim and links it with libHalide.
///
/// On Unix the shim becomes a shared library whose install name is its own
/// absolute path and whose run path is Halide's library directory. Every
/// binary linked against it then records that absolute path, and the loader
/// finds the shim, and through it libHalide, with no `LD_LIBRARY_PATH`: in
/// `cargo run` and `cargo test`, in build scripts (which cargo does not give
/// the search paths of their build dependencies under `cargo check`), and in
/// binaries started by hand. Elsewhere the shim is a static archive and the
/// loader's own search (`PATH` on Windows) must find Halide.
fn compile_shim(install: &Install, target_os: &str) {
    let mut files: Vec<PathBuf> = std::fs::read_dir("shim")
        .expect("read shim/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "cpp" || e == "h"))
        .collect();
    files.sort();
    let mut build = cc::Build::new();
    build
        .cpp(true)
        .std("c++17")
        .include(&install.include)
        .include("shim")
        .files(
            files
                .iter()
                .filter(|p| p.extension().is_some_and(|e| e == "cpp")),
        )
        // Halide.h is large; debug info for it would dwarf the shim itself.
        .debug(false)
        .flag_if_supported("-Wno-unused-parameter")
        .flag_if_supported("-fvisibility=hidden");
    if cargo_var("CARGO_CFG_TARGET_FAMILY")
        .split(',')
        .any(|f| f == "unix")
    {
        link_shared(&build, &files, install, target_os);
    } else {
        build.compile("halide_shim");
        println!("cargo:rustc-link-search=native={}", install.lib.display());
        println!("cargo:rustc-link-lib=dylib=Halide");
    }
}

/// Links the shared shim into the cache directory, under a name derived
/// from everything that goes into it, unless an earlier build already did.
///
/// The path a binary records must outlive the build: `cargo clean` and
/// `cargo install` (which builds in a temporary directory) delete `OUT_DIR`,
/// while the cache is where the downloaded Halide lives too. Content
/// addressing makes an entry immutable, so binaries linked against an older
/// shim keep theirs, and a fresh target directory (CI, `cargo install`)
/// reuses the shim instead of compiling it again (Halide.h makes that a
/// minute of C++).
fn link_shared(build: &cc::Build, files: &[PathBuf], install: &Install, target_os: &str) {
    let macos = target_os == "macos";
    let name = if macos {
        "libhalide_shim.dylib"
    } else {
        "libhalide_shim.so"
    };
    let key = shim::key(build, files, install, &cargo_var("TARGET"));
    let cached = cache_dir(target_os).join("shim").join(&key);
    let dir = match std::fs::create_dir_all(&cached) {
        Ok(()) => cached,
        Err(e) => {
            let out = PathBuf::from(cargo_var("OUT_DIR")).join("shim");
            println!(
                "cargo:warning=halide-sys: cannot write the shim into {} ({e}); binaries \
                 built now stop working once {} is deleted",
                cached.display(),
                out.display()
            );
            std::fs::create_dir_all(&out).expect("create OUT_DIR/shim");
            out
        }
    };
    let shim = dir.join(name);
    if !shim.is_file() {
        // A unique temporary name and a rename: concurrent builds of the same
        // shim each link their own and the last rename wins, never a torn file.
        let partial = dir.join(format!("{name}.{}.partial", std::process::id()));
        let origin = if macos { "@loader_path" } else { "$ORIGIN" };
        shim::link(build, &partial, &shim, origin, &install.lib, macos);
        std::fs::rename(&partial, &shim).unwrap_or_else(|e| {
            panic!(
                "cannot rename {} to {}: {e}",
                partial.display(),
                shim.display()
            )
        });
    }
    println!("cargo:rustc-link-search=native={}", dir.display());
    println!("cargo:rustc-link-lib=dylib=halide_shim");
}

/// `links = "Halide"` metadata (DEP_HALIDE_* for dependents' build scripts),
/// and the same paths as compile-time constants of the crate.
fn export(install: &Install) {
    let (major, minor, patch) = install.version;
    let bin = install
        .bin
        .as_deref()
        .map(|b| b.display().to_string())
        .unwrap_or_default();
    let fields = [
        ("ROOT", install.root.display().to_string()),
        ("INCLUDE", install.include.display().to_string()),
        ("LIB", install.lib.display().to_string()),
        ("BIN", bin),
        ("PLUGINS", install.plugins.display().to_string()),
        ("VERSION", format!("{major}.{minor}.{patch}")),
        ("SOURCE", install.source.clone()),
    ];
    for (key, value) in fields {
        println!("cargo:{}={value}", key.to_lowercase());
        println!("cargo:rustc-env=HALIDE_SYS_{key}={value}");
    }
}

//! The compile cache: JIT compilations kept on disk, so a process pays for
//! compiling a pipeline once per machine, not once per start.
//!
//! [`Pipeline::compile`](crate::Pipeline::compile) (and so
//! [`Func::realize`](crate::Func::realize)) lowers the pipeline, derives a
//! key from the lowered code, and looks the key up in the cache directory.
//! On a hit it loads the entry, a shared library; on a miss it compiles
//! the lowered code to an object, links it with the system C compiler
//! (`$CC`, else `cc`) and stores it. Either way the [`Callable`] behaves
//! as a JIT one: the same argument checks, errors, handlers and
//! `Send + Sync`. Entries of a target share one Halide runtime, itself an
//! entry, loaded once per process (one thread pool, one set of handlers).
//! Halide's JIT runtime, the costly part of a process's first
//! compilation, is then never set up.
//!
//! Anything that stops the cache (no C compiler, a directory that cannot
//! be written, a full disk, a library that will not load) falls back to
//! the JIT, with one `log` warning per kind of failure, target
//! `halide::cache`. Damaged entries are detected by their length and hash,
//! removed and rebuilt. Several threads or processes wanting the same
//! entry build it once: the others wait for it.
//!
//! # What is not cached
//!
//! Pipelines for GPU targets other than WebGPU (their device runtimes are
//! the JIT's, which device buffers outside calls also use; WebGPU ones run
//! here, always, once an implementation is installed: see
//! [`webgpu`](crate::webgpu)), for targets with `profile` or
//! `profile_by_timer` (the JIT prints the profile after every call) or
//! `jit`, and every pipeline on systems other than Linux are JIT-compiled
//! as before; [`statistics`] counts them. The key is described in the
//! `key` module: two pipelines that differ only in names Halide generated
//! (an unnamed Var's `v12`, the `$3` of a Func whose name was taken) share
//! an entry, and their trace events and error messages then carry the
//! generated names of the pipeline that filled it.
//!
//! # Settings
//!
//! From the environment at first use, or set with [`set_settings`]:
//! `HALIDE_RS_CACHE=off` (or `0`, `false`, `no`) turns it off,
//! `HALIDE_RS_CACHE_DIR` moves it (default
//! `$XDG_CACHE_HOME/halide-rs/pipelines`, else
//! `~/.cache/halide-rs/pipelines`), `HALIDE_RS_CACHE_MAX_BYTES` bounds it
//! (default 1 GiB; `K`, `M` and `G` suffixes accepted), the least recently
//! used entries going first.
//!
//! ```
//! let settings = halide::cache::settings();
//! println!("cache {} at {}", if settings.enabled { "on" } else { "off" }, settings.dir.display());
//! ```

mod key;
// -
#[cfg(target_os = "linux")]
mod link;
#[cfg(target_os = "linux")]
mod store;
// -
#[cfg(target_os = "linux")]
mod entry;

use crate::callable::Callable;
use crate::error::{Error, Result};
use crate::ffi::Handle;
use crate::target::Target;
use halide_sys as sys;
use std::path::PathBuf;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// Where the cache is and whether it is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheSettings {
    /// Whether [`Pipeline::compile`](crate::Pipeline::compile) uses it.
    pub enabled: bool,
    /// The directory holding the entries.
    pub dir: PathBuf,
    /// The most bytes the entries may take; least recently used ones are
    /// removed beyond it.
    pub max_bytes: u64,
}

impl CacheSettings {
    /// The settings the environment gives (see the [module](self) docs).
    ///
    /// ```
    /// let settings = halide::cache::CacheSettings::from_env();
    /// assert!(settings.max_bytes > 0);
    /// ```
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var_os(name))
    }

    /// The settings the variables `var` returns give.
    fn from_vars(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Self {
        let var = |name| var(name).filter(|v| !v.is_empty());
        let enabled = var("HALIDE_RS_CACHE").is_none_or(|v| {
            !matches!(
                v.to_string_lossy().to_ascii_lowercase().as_str(),
                "0" | "off" | "false" | "no"
            )
        });
        let dir = var("HALIDE_RS_CACHE_DIR").map_or_else(
            || {
                var("XDG_CACHE_HOME")
                    .map(PathBuf::from)
                    .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".cache")))
                    .unwrap_or_else(std::env::temp_dir)
                    .join("halide-rs")
                    .join("pipelines")
            },
            PathBuf::from,
        );
        let max_bytes = var("HALIDE_RS_CACHE_MAX_BYTES")
            .and_then(|v| parse_bytes(&v.to_string_lossy()))
            .unwrap_or(1 << 30);
        CacheSettings {
            enabled,
            dir,
            max_bytes,
        }
    }
}

/// `1234`, `64K`, `512M`, `2G` (binary multiples) as bytes.
fn parse_bytes(s: &str) -> Option<u64> {
    let s = s.trim();
    let (digits, shift) = match s.char_indices().last()? {
        (i, 'k' | 'K') => (&s[..i], 10),
        (i, 'm' | 'M') => (&s[..i], 20),
        (i, 'g' | 'G') => (&s[..i], 30),
        _ => (s, 0),
    };
    digits.trim().parse::<u64>().ok()?.checked_mul(1 << shift)
}

static SETTINGS: RwLock<Option<CacheSettings>> = RwLock::new(None);

/// The settings in force: those last set, else the environment's.
pub fn settings() -> CacheSettings {
    if let Some(s) = SETTINGS.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
        return s.clone();
    }
    let mut s = SETTINGS.write().unwrap_or_else(|e| e.into_inner());
    s.get_or_insert_with(CacheSettings::from_env).clone()
}

/// Replaces the settings for the rest of the process (compilations after
/// this use them; callables already compiled are unaffected).
///
/// ```
/// use halide::cache::{settings, set_settings};
/// let before = settings();
/// set_settings(halide::cache::CacheSettings { enabled: false, ..before.clone() });
/// assert!(!settings().enabled);
/// set_settings(before);
/// ```
pub fn set_settings(settings: CacheSettings) {
    *SETTINGS.write().unwrap_or_else(|e| e.into_inner()) = Some(settings);
}

/// Turns the cache on or off for later compilations.
///
/// ```
/// halide::cache::set_enabled(false);
/// assert!(!halide::cache::settings().enabled);
/// # halide::cache::set_enabled(true);
/// ```
pub fn set_enabled(enabled: bool) {
    set_settings(CacheSettings {
        enabled,
        ..settings()
    });
}

thread_local! {
    /// Set while [`jit_only`] runs on this thread.
    static JIT_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with the compilations it makes on this thread JIT-compiled,
/// whatever the settings: for pipelines built once and thrown away, or to
/// compare the JIT's code with the cache's. Other threads are unaffected.
///
/// ```
/// use halide::prelude::*;
/// let x = Var::new("x");
/// let mut f = Func::new("once");
/// f.define([&x], &x * 2)?;
/// let pipeline = Pipeline::new(&[&f])?;
/// let callable = halide::cache::jit_only(|| pipeline.compile(&Target::host()?))?;
/// assert!(!callable.is_cached());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn jit_only<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            JIT_ONLY.with(|j| j.set(self.0));
        }
    }
    let _restore = Restore(JIT_ONLY.with(|j| j.replace(true)));
    f()
}

/// What this process's compilations did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Statistics {
    /// Loaded from an entry another compilation (or process) made.
    pub hits: u64,
    /// Compiled, linked and stored.
    pub misses: u64,
    /// JIT-compiled: the cache was off, the pipeline is not cached (see
    /// the [module](self) docs), or the cache failed.
    pub jit: u64,
}

static HITS: AtomicU64 = AtomicU64::new(0);
static MISSES: AtomicU64 = AtomicU64::new(0);
static JIT: AtomicU64 = AtomicU64::new(0);

/// This process's counts so far.
///
/// ```
/// let before = halide::cache::statistics();
/// assert!(halide::cache::statistics().hits >= before.hits);
/// ```
pub fn statistics() -> Statistics {
    Statistics {
        hits: HITS.load(Ordering::Relaxed),
        misses: MISSES.load(Ordering::Relaxed),
        jit: JIT.load(Ordering::Relaxed),
    }
}

/// Removes every entry of the cache directory in force (runtimes already
/// loaded stay usable).
///
/// ```no_run
/// halide::cache::clear()?;
/// # Ok::<(), halide::Error>(())
/// ```
pub fn clear() -> Result<()> {
    let dir = settings().dir;
    #[cfg(target_os = "linux")]
    match store::Store::open(&dir).and_then(|s| s.clear()) {
        Ok(()) => Ok(()),
        Err(e) => Err(Error::io(&dir, e)),
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Builds (once per machine) and loads (once per process) the runtime
/// for the host's `webgpu` target.
#[cfg(target_os = "linux")]
pub(crate) fn load_webgpu_runtime() -> Result<()> {
    entry::webgpu_runtime(&settings())
}

/// Halide's own serialization of a pipeline (`serialize_pipeline`): what
/// [`Pipeline::serialize`](crate::Pipeline::serialize) seals, and the heart
/// of a compilation's fingerprint.
pub(crate) fn halide_serialization(pipeline: &Handle<sys::hl_pipeline>) -> Result<Vec<u8>> {
    let p = pipeline.as_ptr();
    // SAFETY: the pipeline is borrowed for the call; `len` outlives it.
    unsafe {
        crate::ffi::call(|err| {
            let mut len = 0;
            let ptr = sys::hl_pipeline_serialize(p, &mut len, err);
            crate::ffi::Bytes { ptr, len }
        })
    }
}

/// Whether `pipeline` computes any Func with an extern stage computed by a
/// Rust closure ([`Func::define_extern`](crate::Func::define_extern)), whose
/// code points into this process: neither cached nor compiled ahead of time.
pub(crate) fn has_rust_extern(pipeline: &Handle<sys::hl_pipeline>) -> Result<bool> {
    crate::ffi::shim!(sys::hl_pipeline_has_rust_extern, pipeline)
}

/// A compilation the cache may serve: the pipeline, its inputs as the
/// shim takes them, the target, and the name for messages.
pub(crate) struct Request<'a> {
    pub(crate) pipeline: &'a Handle<sys::hl_pipeline>,
    pub(crate) infer: bool,
    pub(crate) scalars: &'a [*const sys::hl_param],
    pub(crate) buffers: &'a [*const sys::hl_image_param],
    pub(crate) target: &'a Target,
    pub(crate) name: &'a str,
}

/// The callable for `request` from the cache, or `None` when the JIT must
/// compile it (see the [module](self) docs); never an error: whatever the
/// cache cannot do, the JIT does or reports.
pub(crate) fn compile(request: &Request<'_>) -> Option<Callable> {
    let settings = settings();
    // The JIT cannot run webgpu targets on wgpu: they take this path
    // whenever an implementation is installed (see crate::webgpu).
    #[cfg(target_os = "linux")]
    let webgpu = crate::shared_library::webgpu_hooks().is_some()
        && request.target.has_feature("webgpu").unwrap_or(false);
    #[cfg(not(target_os = "linux"))]
    let webgpu = false;
    let callable = if webgpu || settings.enabled && !JIT_ONLY.with(std::cell::Cell::get) {
        #[cfg(target_os = "linux")]
        {
            entry::compile(request, &settings)
        }
        #[cfg(not(target_os = "linux"))]
        {
            None
        }
    } else {
        None
    };
    let counter = match &callable {
        Some((_, true)) => &HITS,
        Some((_, false)) => &MISSES,
        None => &JIT,
    };
    counter.fetch_add(1, Ordering::Relaxed);
    callable.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_come_from_the_variables() {
        let from = |vars: &[(&str, &str)]| {
            let vars: Vec<(String, String)> = vars
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            CacheSettings::from_vars(move |name| {
                vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.into())
            })
        };
        let defaults = from(&[("HOME", "/home/u")]);
        assert!(defaults.enabled);
        assert_eq!(
            defaults.dir,
            PathBuf::from("/home/u/.cache/halide-rs/pipelines")
        );
        assert_eq!(defaults.max_bytes, 1 << 30);
        let xdg = from(&[("HOME", "/home/u"), ("XDG_CACHE_HOME", "/x")]);
        assert_eq!(xdg.dir, PathBuf::from("/x/halide-rs/pipelines"));
        let set = from(&[
            ("HOME", "/home/u"),
            ("HALIDE_RS_CACHE_DIR", "/c"),
            ("HALIDE_RS_CACHE_MAX_BYTES", "64M"),
            ("HALIDE_RS_CACHE", "on"),
        ]);
        assert_eq!((set.enabled, set.max_bytes), (true, 64 << 20));
        assert_eq!(set.dir, PathBuf::from("/c"));
        for off in ["0", "off", "OFF", "false", "no"] {
            assert!(!from(&[("HALIDE_RS_CACHE", off)]).enabled, "{off}");
        }
        // An empty variable is an unset one; a bad size keeps the default.
        let odd = from(&[
            ("HALIDE_RS_CACHE", ""),
            ("HALIDE_RS_CACHE_MAX_BYTES", "lots"),
        ]);
        assert!(odd.enabled);
        assert_eq!(odd.max_bytes, 1 << 30);
    }

    #[test]
    fn byte_sizes_parse() {
        assert_eq!(parse_bytes("1234"), Some(1234));
        assert_eq!(parse_bytes("64K"), Some(64 << 10));
        assert_eq!(parse_bytes(" 512m "), Some(512 << 20));
        assert_eq!(parse_bytes("2G"), Some(2 << 30));
        assert_eq!(parse_bytes("G"), None);
        assert_eq!(parse_bytes("lots"), None);
        assert_eq!(parse_bytes("99999999999999G"), None);
    }
}

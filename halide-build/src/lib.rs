//! Build-script support for Halide pipelines compiled ahead of time.
//!
//! Halide writes a static library per pipeline, and (with `no_runtime`) one
//! runtime library shared by all of them. This crate runs generator
//! programs (Rust generator binaries, C++ generator executables, Python
//! files with `@hl.generator` classes), reads each library's
//! `function_info_header`, and emits a Rust module per pipeline with a
//! safe, typed `run` function: no bindgen, no libclang, and no libHalide in
//! the program that calls the pipelines (only `halide-runtime`).
//!
//! A build script:
//!
//! ```no_run
//! // build.rs
//! use halide_build::{Build, GeneratorProgram};
//! fn main() -> Result<(), halide_build::Error> {
//!     let mut build = Build::new()?;
//!     let program = GeneratorProgram::python("generators/pipelines.py");
//!     build.generator(&program.generator("add").param("offset", 2))?;
//!     build.finish()?;
//!     Ok(())
//! }
//! ```
//!
//! and the crate that uses it:
//!
//! ```ignore
//! include!(concat!(env!("OUT_DIR"), "/halide_generated.rs"));
//! add::run(&input, &mut output)?;
//! ```
//!
//! Pipelines defined in Rust are compiled in the build script with the
//! `halide` crate (`halide::aot`), which hands its libraries to [`Build`].

mod function_info;
mod generator;
mod library;
pub mod python;
mod ship;
pub mod target;
pub mod webgpu;
mod wrapper;

pub use function_info::{Argument, FunctionInfo};
pub use generator::{GeneratorProgram, GeneratorRun, LIBRARY_OUTPUTS};
pub use library::{Library, RuntimeLibrary, static_library_name};
pub use ship::{Shipped, ship};
pub use wrapper::wrapper;

use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong building or reading AOT output.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A generator program failed; `message` is what it printed.
    Generator {
        /// The command line.
        command: String,
        /// Its error output.
        message: String,
    },
    /// A `function_info_header` could not be read.
    FunctionInfo(String),
    /// A pipeline has an argument the wrappers cannot express.
    Unsupported(String),
    /// Something the build needs is missing.
    Missing(String),
}

impl Error {
    fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_owned(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Generator { command, message } => write!(f, "`{command}` failed: {message}"),
            Error::FunctionInfo(m) => write!(f, "function_info_header: {m}"),
            Error::Unsupported(m) => write!(f, "unsupported: {m}"),
            Error::Missing(m) => write!(f, "missing: {m}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The AOT pipelines of one crate, built in its build script into
/// `OUT_DIR`: collects libraries and one runtime, then links them and
/// writes `halide_generated.rs`, a module per pipeline, to `include!`.
#[derive(Debug)]
pub struct Build {
    out_dir: PathBuf,
    target: String,
    libraries: Vec<Library>,
    runtime: Option<RuntimeLibrary>,
}

impl Build {
    /// A build into `$OUT_DIR` for `$HL_TARGET`, or `host` when unset.
    pub fn new() -> Result<Self, Error> {
        let out_dir = std::env::var_os("OUT_DIR")
            .ok_or_else(|| Error::Missing("OUT_DIR: Build::new runs in a build script".into()))?;
        println!("cargo:rerun-if-env-changed=HL_TARGET");
        println!("cargo:rerun-if-env-changed=HALIDE_PYTHON");
        let target = std::env::var("HL_TARGET").unwrap_or_else(|_| "host".to_owned());
        Ok(Build::with_out_dir(out_dir, &target))
    }

    /// A build into `out_dir` for `target`.
    pub fn with_out_dir(out_dir: impl Into<PathBuf>, target: &str) -> Self {
        Build {
            out_dir: out_dir.into(),
            target: target.to_owned(),
            libraries: Vec::new(),
            runtime: None,
        }
    }

    /// Where the files go.
    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// The target libraries are compiled for (before [`target::library`]).
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Runs `generator` into the output directory. The first generator
    /// program also builds the runtime, unless one was given.
    pub fn generator(&mut self, generator: &GeneratorRun) -> Result<&mut Self, Error> {
        let library = generator.compile(&self.out_dir, &self.target)?;
        if self.runtime.is_none() {
            self.runtime = Some(generator.program().runtime(
                &self.out_dir,
                "halide_runtime",
                &self.target,
            )?);
        }
        for source in generator.program().sources() {
            println!("cargo:rerun-if-changed={}", source.display());
        }
        Ok(self.library(library))
    }

    /// Adds a library compiled elsewhere (with `no_runtime`).
    pub fn library(&mut self, library: Library) -> &mut Self {
        self.libraries.push(library);
        self
    }

    /// Sets the runtime the libraries are linked with.
    pub fn runtime(&mut self, runtime: RuntimeLibrary) -> &mut Self {
        self.runtime = Some(runtime);
        self
    }

    /// Whether a runtime has been set or built.
    pub fn has_runtime(&self) -> bool {
        self.runtime.is_some()
    }

    /// Adds what `cargo xtask build-generators` left in `dir`
    /// (`target/halide/<target>/`): every library there and its runtime.
    pub fn prebuilt(&mut self, dir: impl AsRef<Path>) -> Result<&mut Self, Error> {
        let dir = dir.as_ref();
        println!("cargo:rerun-if-changed={}", dir.display());
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_suffix(".function_info.h").map(str::to_owned)
            })
            .collect();
        names.sort();
        for name in names {
            self.library(Library::in_dir(dir, &name));
        }
        let runtime = RuntimeLibrary::in_dir(dir, "halide_runtime");
        if !runtime.static_library.exists() {
            return Err(Error::Missing(format!(
                "{}",
                runtime.static_library.display()
            )));
        }
        Ok(self.runtime(runtime))
    }

    /// Links the libraries and the runtime, and writes
    /// `halide_generated.rs` into the output directory; returns its path.
    pub fn finish(&self) -> Result<PathBuf, Error> {
        let runtime = self
            .runtime
            .as_ref()
            .ok_or_else(|| Error::Missing("a Halide runtime for the libraries".into()))?;
        let mut source = String::from("// Generated by halide-build; do not edit.\n\n");
        for library in &self.libraries {
            source.push_str(&library.wrapper()?);
            source.push('\n');
            link(&library.static_library);
        }
        link(&runtime.static_library);
        if !cfg!(windows) {
            for lib in ["pthread", "dl", "m"] {
                println!("cargo:rustc-link-lib={lib}");
            }
        }
        let path = self.out_dir.join("halide_generated.rs");
        std::fs::write(&path, source).map_err(|e| Error::io(&path, e))?;
        Ok(path)
    }
}

/// Tells cargo to link the static library at `path` as it is named.
fn link(path: &Path) {
    if let (Some(dir), Some(file)) = (path.parent(), path.file_name()) {
        println!("cargo:rustc-link-search=native={}", dir.display());
        println!(
            "cargo:rustc-link-lib=static:+verbatim={}",
            file.to_string_lossy()
        );
    }
}

//! The files of a compiled pipeline and of a standalone runtime, and the
//! wrapper source for them.

use crate::Error;
use crate::function_info::FunctionInfo;
use crate::wrapper::wrapper;
use std::path::{Path, PathBuf};

/// The file name of a static library with stem `stem`, as Halide names it.
pub fn static_library_name(stem: &str) -> String {
    if cfg!(windows) {
        format!("{stem}.lib")
    } else {
        format!("{stem}.a")
    }
}

/// A pipeline compiled ahead of time: its static library (built with the
/// `no_runtime` feature, so a [`RuntimeLibrary`] must be linked too) and the
/// `function_info_header` its wrapper is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Library {
    /// The C function's name, also the files' stem.
    pub name: String,
    /// The static library.
    pub static_library: PathBuf,
    /// Halide's `function_info_header` for it.
    pub function_info: PathBuf,
}

impl Library {
    /// The library `name` with Halide's file names in `dir`:
    /// `name.a` and `name.function_info.h`.
    ///
    /// ```
    /// let lib = halide_build::Library::in_dir("out", "blur");
    /// assert!(lib.function_info.ends_with("blur.function_info.h"));
    /// ```
    pub fn in_dir(dir: impl AsRef<Path>, name: &str) -> Library {
        let dir = dir.as_ref();
        Library {
            name: name.to_owned(),
            static_library: dir.join(static_library_name(name)),
            function_info: dir.join(format!("{name}.function_info.h")),
        }
    }

    /// The functions the library defines.
    pub fn functions(&self) -> Result<Vec<FunctionInfo>, Error> {
        let header = std::fs::read_to_string(&self.function_info)
            .map_err(|e| Error::io(&self.function_info, e))?;
        FunctionInfo::parse(&header)
    }

    /// The Rust wrapper module(s) for the library, as source text.
    pub fn wrapper(&self) -> Result<String, Error> {
        let source = self
            .function_info
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        self.functions()?
            .iter()
            .map(|f| wrapper(f, &source))
            .collect::<Result<Vec<_>, _>>()
            .map(|modules| modules.join("\n"))
    }

    /// Writes [`wrapper`](Library::wrapper) next to the library as
    /// `name.rs` and returns its path.
    pub fn write_wrapper(&self) -> Result<PathBuf, Error> {
        let path = self
            .static_library
            .with_file_name(format!("{}.rs", self.name));
        let text = self.wrapper()?;
        // An unchanged wrapper keeps its timestamp, so nothing that
        // includes it rebuilds.
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        }
        Ok(path)
    }
}

/// Halide's runtime compiled on its own for one target, shared by every
/// library built for that target with `no_runtime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeLibrary {
    /// The static library.
    pub static_library: PathBuf,
}

impl RuntimeLibrary {
    /// The runtime named `name` (`name.a`) in `dir`.
    pub fn in_dir(dir: impl AsRef<Path>, name: &str) -> RuntimeLibrary {
        RuntimeLibrary {
            static_library: dir.as_ref().join(static_library_name(name)),
        }
    }
}

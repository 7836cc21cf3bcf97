//! Running generator programs: Rust generator binaries, C++ generator
//! executables and Python files with `@hl.generator` classes all take
//! Halide's generator command line.

use crate::library::{Library, Runtime};
use crate::{Error, target};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The outputs every library build asks for: the library, the header a C
/// caller needs, and the signature the Rust wrapper is made from.
pub const LIBRARY_OUTPUTS: &str = "static_library,c_header,function_info_header";

/// A program that holds generators: an executable (a Rust generator binary
/// or a C++ generator) or a Python file run by the interpreter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratorProgram {
    command: Vec<OsString>,
    python: bool,
}

impl GeneratorProgram {
    /// A generator executable.
    pub fn executable(path: impl Into<PathBuf>) -> Self {
        GeneratorProgram {
            command: vec![path.into().into_os_string()],
            python: false,
        }
    }

    /// A Python file whose generators `hl.main()` runs, with the interpreter
    /// [`python`] names.
    pub fn python(file: impl Into<PathBuf>) -> Self {
        GeneratorProgram {
            command: vec![python().into(), file.into().into_os_string()],
            python: true,
        }
    }

    /// The program as a command line, for messages.
    pub fn display(&self) -> String {
        self.command
            .iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Runs the program with `args` after its own command line.
    fn run(&self, args: &[String]) -> Result<String, Error> {
        let mut command = Command::new(&self.command[0]);
        command.args(&self.command[1..]).args(args);
        self.output(command, &args.join(" "))
    }

    /// Runs `command` for this program: its standard output, or its error
    /// output as [`Error::Generator`].
    fn output(&self, mut command: Command, args: &str) -> Result<String, Error> {
        let failed = |message: String| Error::Generator {
            command: format!("{} {args}", self.display()),
            message,
        };
        let output = command.output().map_err(|e| failed(e.to_string()))?;
        if !output.status.success() {
            return Err(failed(
                String::from_utf8_lossy(&output.stderr).trim().to_owned(),
            ));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// The names of the generators the program holds.
    pub fn list(&self) -> Result<Vec<String>, Error> {
        let out = if self.python {
            // Python generator files have no listing flag: import the file
            // (not as __main__) and read Halide's registry.
            let script = "import runpy, sys\n\
                          runpy.run_path(sys.argv[1])\n\
                          from halide import _generator_helpers as g\n\
                          print('\\n'.join(g._get_python_generator_names()))";
            let mut command = Command::new(&self.command[0]);
            command.arg("-c").arg(script).arg(&self.command[1]);
            self.output(command, "(listing)")?
        } else {
            self.run(&["--list".to_owned()])?
        };
        Ok(out
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect())
    }

    /// Builds Halide's runtime for `target` as `name.a` in `dir`.
    pub fn runtime(&self, dir: &Path, name: &str, target: &str) -> Result<Runtime, Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        self.run(&[
            "-r".into(),
            name.into(),
            "-o".into(),
            dir.display().to_string(),
            format!("target={}", target::runtime(target)),
        ])?;
        Ok(Runtime::in_dir(dir, name))
    }

    /// The files the program is made of, for change tracking: the Python
    /// file or the executable.
    pub fn sources(&self) -> Vec<PathBuf> {
        vec![PathBuf::from(
            self.command.last().cloned().unwrap_or_default(),
        )]
    }

    /// One of the program's generators.
    pub fn generator(&self, name: &str) -> Generator {
        Generator {
            program: self.clone(),
            name: name.to_owned(),
            function_name: name.to_owned(),
            params: Vec::new(),
            features: Vec::new(),
        }
    }
}

/// The Python interpreter for Python generators: `$HALIDE_PYTHON`, else
/// `python3`.
pub fn python() -> String {
    std::env::var("HALIDE_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// One generator of a [`GeneratorProgram`], with its parameters.
///
/// ```no_run
/// use halide_build::GeneratorProgram;
/// let lib = GeneratorProgram::python("generators.py")
///     .generator("add")
///     .param("offset", "3")
///     .compile("out".as_ref(), "host")?;
/// assert!(lib.static_library.exists());
/// # Ok::<(), halide_build::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generator {
    program: GeneratorProgram,
    name: String,
    function_name: String,
    params: Vec<(String, String)>,
    features: Vec<String>,
}

impl Generator {
    /// Adds target features (`trace_stores`, `debug`, ...) to every target
    /// this generator is compiled for.
    pub fn features(mut self, features: &str) -> Self {
        self.features.push(features.to_owned());
        self
    }

    /// The C function (and file stem) to compile to; the generator's name
    /// by default.
    pub fn function_name(mut self, name: &str) -> Self {
        self.function_name = name.to_owned();
        self
    }

    /// Sets a generator parameter (`name=value` on the command line).
    pub fn param(mut self, name: &str, value: impl ToString) -> Self {
        self.params.push((name.to_owned(), value.to_string()));
        self
    }

    /// `target` with this generator's extra features on each target.
    fn target(&self, target: &str) -> String {
        target
            .split(',')
            .map(|t| {
                std::iter::once(t.trim())
                    .chain(self.features.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join("-")
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The program holding the generator.
    pub fn program(&self) -> &GeneratorProgram {
        &self.program
    }

    /// The generator's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Runs the generator into `dir` for `target` (used as given), writing
    /// the output kinds `kinds` (Halide's names, comma-separated).
    pub fn emit(&self, dir: &Path, target: &str, kinds: &str) -> Result<(), Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut args = vec![
            "-g".to_owned(),
            self.name.clone(),
            "-f".into(),
            self.function_name.clone(),
            "-n".into(),
            self.function_name.clone(),
            "-e".into(),
            kinds.into(),
            "-o".into(),
            dir.display().to_string(),
            format!("target={target}"),
        ];
        args.extend(self.params.iter().map(|(k, v)| format!("{k}={v}")));
        self.program.run(&args).map(drop)
    }

    /// The target this generator's library is compiled for: `target` with
    /// the generator's features, `no_runtime` and `user_context` (see
    /// [`target::library`]).
    pub fn library_target(&self, target: &str) -> String {
        target::library(&self.target(target))
    }

    /// Compiles the library into `dir` for `target` (see
    /// [`library_target`](Generator::library_target)) and writes its Rust
    /// wrapper next to it.
    pub fn compile(&self, dir: &Path, target: &str) -> Result<Library, Error> {
        self.emit(dir, &self.library_target(target), LIBRARY_OUTPUTS)?;
        let library = Library::in_dir(dir, &self.function_name);
        library.write_wrapper()?;
        Ok(library)
    }
}

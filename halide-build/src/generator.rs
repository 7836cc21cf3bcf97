//! Running generator programs: Rust generator binaries, C++ generator
//! executables and Python files with `@hl.generator` classes all take
//! Halide's generator command line.

use crate::library::{Library, RuntimeLibrary};
use crate::{Error, python, target, webgpu};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The outputs every library build asks for: the library, the header a C
/// caller needs, and the signature the Rust wrapper is made from.
pub const LIBRARY_OUTPUTS: &str = "static_library,c_header,function_info_header";

/// A program that holds generators: a Rust generator binary, a C++
/// generator executable or a Python file run by the interpreter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratorProgram {
    command: Vec<OsString>,
    kind: Kind,
    /// What the program is built from, for change tracking.
    sources: Vec<PathBuf>,
}

/// What kind of program it is, which decides how it lists its generators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Rust,
    Cpp,
    Python,
}

impl GeneratorProgram {
    /// A Rust generator binary: one whose `main` is `halide::generator::main`.
    pub fn executable(path: impl Into<PathBuf>) -> Self {
        Self::binary(path.into(), Kind::Rust)
    }

    /// A C++ generator executable: generators registered with
    /// `HALIDE_REGISTER_GENERATOR`, linked with Halide's generator main (see
    /// [`compile_cpp`](GeneratorProgram::compile_cpp)).
    pub fn cpp(path: impl Into<PathBuf>) -> Self {
        Self::binary(path.into(), Kind::Cpp)
    }

    fn binary(path: PathBuf, kind: Kind) -> Self {
        GeneratorProgram {
            command: vec![path.clone().into_os_string()],
            kind,
            sources: vec![path],
        }
    }

    /// A Python file whose generators `hl.main()` runs, with the interpreter
    /// [`python::interpreter`](crate::python::interpreter) names.
    pub fn python(file: impl Into<PathBuf>) -> Self {
        let file = file.into();
        GeneratorProgram {
            command: vec![python::interpreter().into(), file.clone().into_os_string()],
            kind: Kind::Python,
            sources: vec![file],
        }
    }

    /// Compiles C++ generator sources into the generator executable `exe`,
    /// against the Halide whose headers are in `include` and whose libHalide
    /// is in `lib` (the executable finds it there at run time). The compiler
    /// is `$CXX`, else `c++`; the program's `main` is Halide's generator
    /// main, written next to `exe`.
    ///
    /// ```no_run
    /// use halide_build::GeneratorProgram;
    /// let program = GeneratorProgram::compile_cpp(
    ///     &["generators/scale.cpp".as_ref()],
    ///     "out/scale_generator".as_ref(),
    ///     "/opt/halide/include".as_ref(),
    ///     "/opt/halide/lib".as_ref(),
    /// )?;
    /// assert_eq!(program.list()?, ["scale"]);
    /// # Ok::<(), halide_build::Error>(())
    /// ```
    pub fn compile_cpp(
        sources: &[&Path],
        exe: &Path,
        include: &Path,
        lib: &Path,
    ) -> Result<Self, Error> {
        let dir = exe.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let main = exe.with_extension("main.cpp");
        let text = "#include \"Halide.h\"\n\
                    int main(int argc, char **argv) {\n    \
                    return Halide::Internal::generate_filter_main(argc, argv);\n}\n";
        std::fs::write(&main, text).map_err(|e| Error::io(&main, e))?;
        let compiler = std::env::var_os("CXX").unwrap_or_else(|| "c++".into());
        let mut command = Command::new(&compiler);
        command
            .arg("-std=c++17")
            .arg("-I")
            .arg(include)
            .args(sources)
            .arg(&main)
            .arg("-o")
            .arg(exe)
            .arg("-L")
            .arg(lib)
            .arg("-lHalide")
            .args(["-Xlinker", "-rpath", "-Xlinker"])
            .arg(lib)
            .args(["-lpthread", "-ldl"]);
        let sources: Vec<PathBuf> = sources.iter().map(|s| s.to_path_buf()).collect();
        let compile = GeneratorProgram {
            command: vec![compiler],
            kind: Kind::Cpp,
            sources: sources.clone(),
        };
        let args: Vec<String> = sources.iter().map(|s| s.display().to_string()).collect();
        compile.output(command, &args.join(" "))?;
        Ok(GeneratorProgram {
            sources,
            ..GeneratorProgram::cpp(exe)
        })
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
        let output = spawn_output(&mut command).map_err(|e| failed(e.to_string()))?;
        if !output.status.success() {
            return Err(failed(
                String::from_utf8_lossy(&output.stderr).trim().to_owned(),
            ));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// The names of the generators the program holds.
    pub fn list(&self) -> Result<Vec<String>, Error> {
        let out = match self.kind {
            Kind::Rust => self.run(&["--list".to_owned()])?,
            // Python generator files have no listing flag: import the file
            // (not as __main__) and read Halide's registry.
            Kind::Python => {
                let body = "import runpy\n\
                            runpy.run_path(sys.argv[1])\n\
                            from halide import _generator_helpers as g\n\
                            print('\\n'.join(g._get_python_generator_names()))";
                let file = Path::new(&self.command[1]);
                self.output(python::script(body, &[file]), "(listing)")?
            }
            // Halide's generator main has no listing flag; asked to generate
            // nothing, it fails naming the generators it holds.
            Kind::Cpp => {
                let dir = std::env::temp_dir().display().to_string();
                let message = match self.run(&["-o".to_owned(), dir]) {
                    Err(Error::Generator { message, .. }) => message,
                    Err(e) => return Err(e),
                    Ok(_) => String::new(),
                };
                match message.split_once("available Generators are:") {
                    Some((_, names)) => names.to_owned(),
                    None => {
                        return Err(Error::Generator {
                            command: self.display(),
                            message: format!("no list of generators in its output: {message}"),
                        });
                    }
                }
            }
        };
        Ok(out
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect())
    }

    /// Builds Halide's runtime for `target` as `name.a` in `dir`; for a
    /// `webgpu` target, with the [bridge](crate::webgpu) to halide-wgpu in
    /// place of Halide's WebGPU module.
    pub fn runtime(&self, dir: &Path, name: &str, target: &str) -> Result<RuntimeLibrary, Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        self.run(&[
            "-r".into(),
            name.into(),
            "-o".into(),
            dir.display().to_string(),
            format!("target={}", target::runtime(target)),
        ])?;
        let runtime = RuntimeLibrary::in_dir(dir, name);
        webgpu::complete_runtime(&runtime, target)?;
        Ok(runtime)
    }

    /// The files the program is made of, for change tracking: the Python
    /// file, the C++ sources, or the executable.
    pub fn sources(&self) -> &[PathBuf] {
        &self.sources
    }

    /// One of the program's generators.
    pub fn generator(&self, name: &str) -> GeneratorRun {
        GeneratorRun {
            program: self.clone(),
            name: name.to_owned(),
            function_name: name.to_owned(),
            params: Vec::new(),
            features: Vec::new(),
        }
    }
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
pub struct GeneratorRun {
    program: GeneratorProgram,
    name: String,
    function_name: String,
    params: Vec<(String, String)>,
    features: Vec<String>,
}

impl GeneratorRun {
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
    /// [`library_target`](GeneratorRun::library_target)) and writes its Rust
    /// wrapper next to it.
    pub fn compile(&self, dir: &Path, target: &str) -> Result<Library, Error> {
        self.emit(dir, &self.library_target(target), LIBRARY_OUTPUTS)?;
        let library = Library::in_dir(dir, &self.function_name);
        library.write_wrapper()?;
        Ok(library)
    }
}

/// Runs `command` to completion. A program written moments ago cannot be
/// executed while another thread's child, forked before that thread could
/// exec, still holds the file open for writing (`ETXTBSY`): a build script
/// that writes a generator and runs it while the process forks elsewhere
/// meets that, so a busy program is retried for a while.
fn spawn_output(command: &mut Command) -> std::io::Result<std::process::Output> {
    let mut tries = 0;
    loop {
        match command.output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 50 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            result => return result,
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A stand-in for a program, as a shell script in a fresh directory.
    fn script(name: &str, body: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("halide-build-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    // One test, and every script written before any runs: a script still
    // open for writing in one thread when another forks cannot be executed
    // (ETXTBSY).
    #[test]
    fn programs_list_their_generators() {
        // What Halide's generator main says when asked for no generator.
        let gengen = script(
            "gengen",
            "echo 'Unhandled exception: Error: Either -g <name> or -r must be specified; \
             available Generators are:' >&2\nprintf '    blur\\n    sharpen\\n' >&2\nexit 1",
        );
        let broken = script("broken", "echo 'cannot load libHalide.so' >&2\nexit 127");
        let rust = script(
            "rustgen",
            "[ \"$1\" = --list ] && printf 'brighten\\nblur\\n'",
        );

        assert_eq!(
            GeneratorProgram::cpp(&gengen).list().unwrap(),
            ["blur", "sharpen"]
        );
        // Another failure is reported, not read as a list.
        let err = GeneratorProgram::cpp(&broken).list().unwrap_err();
        assert!(
            err.to_string().contains("cannot load libHalide.so"),
            "{err}"
        );
        let rust = GeneratorProgram::executable(rust);
        assert_eq!(rust.list().unwrap(), ["brighten", "blur"]);
        assert_eq!(rust.sources().len(), 1);
    }
}

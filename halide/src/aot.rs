//! Ahead-of-time compilation: a pipeline to static libraries, headers,
//! assembly, statements and the other files Halide writes, for one target
//! or several; standalone runtimes; and libraries with their Rust wrappers
//! for a build script (see the `halide-build` crate).

use crate::error::{Error, Result};
use crate::ffi::{self, shim};
use crate::func::Func;
use crate::param::Input;
use crate::pipeline::{Pipeline, split_inputs};
use crate::target::Target;
use halide_sys as sys;
use std::collections::BTreeMap;
use std::ffi::CString;
use std::path::{Path, PathBuf};

pub use halide_build::{Library, RuntimeLibrary};

/// The kinds of file Halide writes ahead of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum OutputKind {
    /// A static library (`.a`) with the pipeline (and its runtime, unless
    /// the target has `no_runtime`).
    StaticLibrary,
    /// An object file (`.o`).
    Object,
    /// The C header declaring the pipeline's function (`.h`).
    CHeader,
    /// A C++17 header describing the arguments (`.function_info.h`); the
    /// Rust wrappers are made from it.
    FunctionInfoHeader,
    /// Assembly (`.s`).
    Assembly,
    /// LLVM bitcode (`.bc`).
    Bitcode,
    /// LLVM assembly (`.ll`).
    LlvmAssembly,
    /// The lowered statement as text (`.stmt`).
    Stmt,
    /// The lowered statement as HTML with the assembly beside it.
    StmtHtml,
    /// The schedule as C++ source (`.schedule.h`), e.g. an autoscheduler's.
    Schedule,
    /// A C++ file registering the pipeline with Halide's RunGen tool.
    Registration,
    /// C source equivalent to the pipeline (`.halide_generated.cpp`).
    CSource,
    /// The statement before the target's lowering passes, readable as the
    /// algorithm and schedule (`.conceptual.stmt`).
    ConceptualStmt,
    /// [`ConceptualStmt`](Self::ConceptualStmt) as HTML.
    ConceptualStmtHtml,
    /// The code of a GPU target's kernels (PTX, OpenCL C, SPIR-V, ...).
    DeviceCode,
    /// A CPython extension module's C++ source calling the pipeline (`.py.cpp`).
    PythonExtension,
    /// What the compiler did, as JSON (`.halide_compiler_log`): the
    /// target, the lowering's timings and the expressions it matched.
    /// Halide keeps one compiler log per process: while a compilation
    /// writes one, other threads' compilations would write into it too.
    CompilerLog,
    /// A PyTorch C++ extension's source calling the pipeline on tensors
    /// (`.pytorch.h`).
    PytorchWrapper,
    /// The pipeline in Halide's own serialized form (`.hlpipe`, as
    /// generators write it, without [`Pipeline::serialize`]'s envelope),
    /// which [`Pipeline::deserialize_unchecked`] loads.
    Hlpipe,
}

impl OutputKind {
    /// Every kind.
    pub const ALL: [OutputKind; 19] = [
        OutputKind::StaticLibrary,
        OutputKind::Object,
        OutputKind::CHeader,
        OutputKind::FunctionInfoHeader,
        OutputKind::Assembly,
        OutputKind::Bitcode,
        OutputKind::LlvmAssembly,
        OutputKind::Stmt,
        OutputKind::StmtHtml,
        OutputKind::Schedule,
        OutputKind::Registration,
        OutputKind::CSource,
        OutputKind::ConceptualStmt,
        OutputKind::ConceptualStmtHtml,
        OutputKind::DeviceCode,
        OutputKind::PythonExtension,
        OutputKind::CompilerLog,
        OutputKind::PytorchWrapper,
        OutputKind::Hlpipe,
    ];

    /// Halide's name for the kind, as generators' `-e` flag takes it.
    pub fn name(self) -> &'static str {
        match self {
            OutputKind::StaticLibrary => "static_library",
            OutputKind::Object => "object",
            OutputKind::CHeader => "c_header",
            OutputKind::FunctionInfoHeader => "function_info_header",
            OutputKind::Assembly => "assembly",
            OutputKind::Bitcode => "bitcode",
            OutputKind::LlvmAssembly => "llvm_assembly",
            OutputKind::Stmt => "stmt",
            OutputKind::StmtHtml => "stmt_html",
            OutputKind::Schedule => "schedule",
            OutputKind::Registration => "registration",
            OutputKind::CSource => "c_source",
            OutputKind::ConceptualStmt => "conceptual_stmt",
            OutputKind::ConceptualStmtHtml => "conceptual_stmt_html",
            OutputKind::DeviceCode => "device_code",
            OutputKind::PythonExtension => "python_extension",
            OutputKind::CompilerLog => "compiler_log",
            OutputKind::PytorchWrapper => "pytorch_wrapper",
            OutputKind::Hlpipe => "hlpipe",
        }
    }

    /// The kind Halide calls `name`.
    ///
    /// ```
    /// use halide::aot::OutputKind;
    /// assert_eq!(OutputKind::from_name("stmt_html"), Some(OutputKind::StmtHtml));
    /// assert_eq!(OutputKind::from_name("jpeg"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<OutputKind> {
        OutputKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// What a library build writes ([`halide_build::LIBRARY_OUTPUTS`]):
    /// the library, its C header and the signature its wrapper is made from.
    ///
    /// ```
    /// use halide::aot::OutputKind;
    /// assert_eq!(OutputKind::library()[0], OutputKind::StaticLibrary);
    /// ```
    pub fn library() -> Vec<OutputKind> {
        halide_build::LIBRARY_OUTPUTS
            .split(',')
            .filter_map(OutputKind::from_name)
            .collect()
    }

    /// The file name extension Halide uses for this kind on `target`
    /// (`.a`, `.function_info.h`, ...).
    pub fn extension(self, target: &Target) -> Result<String> {
        let name = ffi::c_string(self.name())?;
        shim!(sys::hl_output_extension, name.as_c_str(), target.handle())
    }
}

/// What a compilation wrote: a path per kind.
pub type Outputs = BTreeMap<OutputKind, PathBuf>;

/// Ahead-of-time compilation of a pipeline, set up step by step; made by
/// [`Pipeline::aot`] or [`Func::aot`].
///
/// ```
/// use halide::prelude::*;
/// use halide::aot::OutputKind;
/// use halide::math::u8_sat;
/// let x = Var::new("x");
/// let input = ImageParam::new::<u8>(1, "input");
/// let mut brighter = Func::new("brighter");
/// brighter.define([&x], u8_sat(input.at([&x]) + 10))?;
/// let dir = std::env::temp_dir().join("halide-aot-doc");
/// let files = brighter
///     .aot("brighter")?
///     .outputs(&[OutputKind::StaticLibrary, OutputKind::CHeader, OutputKind::Stmt])
///     .compile(&dir)?;
/// let header = std::fs::read_to_string(&files[&OutputKind::CHeader]).unwrap();
/// assert!(header.contains("int brighter(struct halide_buffer_t *_input_buffer"));
/// # Ok::<(), halide::Error>(())
/// ```
pub struct Aot<'p> {
    pipeline: PipelineRef<'p>,
    name: String,
    stem: Option<String>,
    inputs: Option<Vec<&'p dyn Input>>,
    targets: Vec<Target>,
    kinds: Vec<OutputKind>,
}

impl std::fmt::Debug for Aot<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Aot")
            .field("name", &self.name)
            .field("targets", &self.targets)
            .field("kinds", &self.kinds)
            .finish_non_exhaustive()
    }
}

impl Pipeline {
    /// Starts ahead-of-time compilation of the pipeline as the C function
    /// `name`: by default for the host, writing a static library and its C
    /// header, with the inputs the pipeline reads (buffers, then scalars,
    /// each in name order).
    pub fn aot(&self, name: &str) -> Result<Aot<'_>> {
        if !is_c_identifier(name) {
            return Err(Error::invalid(format!(
                "\"{name}\" is not a C identifier; AOT function names must be"
            )));
        }
        Ok(Aot {
            pipeline: PipelineRef::Borrowed(self),
            name: name.to_owned(),
            stem: None,
            inputs: None,
            targets: vec![Target::host()?],
            kinds: vec![OutputKind::StaticLibrary, OutputKind::CHeader],
        })
    }
}

impl Func {
    /// Ahead-of-time compilation of the pipeline that outputs this Func;
    /// see [`Pipeline::aot`]. The pipeline is built now, so later changes to
    /// the Func do not reach it.
    pub fn aot(&self, name: &str) -> Result<Aot<'static>> {
        let pipeline = Pipeline::new(&[self])?;
        let Aot {
            name,
            targets,
            kinds,
            ..
        } = pipeline.aot(name)?;
        Ok(Aot {
            pipeline: PipelineRef::Owned(pipeline),
            name,
            stem: None,
            inputs: None,
            targets,
            kinds,
        })
    }
}

/// The pipeline an [`Aot`] compiles: the caller's, or one made for a Func.
enum PipelineRef<'p> {
    Borrowed(&'p Pipeline),
    Owned(Pipeline),
}

impl PipelineRef<'_> {
    fn get(&self) -> &Pipeline {
        match self {
            PipelineRef::Borrowed(p) => p,
            PipelineRef::Owned(p) => p,
        }
    }
}

impl<'p> Aot<'p> {
    /// The inputs, in the order the C function takes them (before the
    /// outputs).
    pub fn inputs(mut self, inputs: &[&'p dyn Input]) -> Self {
        self.inputs = Some(inputs.to_vec());
        self
    }

    /// The files' stem, when it is not the function's name.
    pub fn file_stem(mut self, stem: &str) -> Self {
        self.stem = Some(stem.to_owned());
        self
    }

    /// Compiles for one target.
    pub fn target(mut self, target: &Target) -> Self {
        self.targets = vec![target.clone()];
        self
    }

    /// Compiles for several targets into one library: at run time the first
    /// target the machine supports is used, so list the fastest first and a
    /// baseline last. All must share architecture, bits and OS.
    pub fn targets(mut self, targets: &[Target]) -> Self {
        self.targets = targets.to_vec();
        self
    }

    /// The kinds of file to write.
    pub fn outputs(mut self, kinds: &[OutputKind]) -> Self {
        self.kinds = kinds.to_vec();
        self
    }

    /// Writes the outputs into `dir`, each named after the function with
    /// Halide's extension (`dir/name.a`, `dir/name.h`, ...), and returns their
    /// paths. With several targets, kinds that are per target (objects,
    /// assembly, statements) get one file per target, suffixed with the
    /// target; the returned path is then the first target's.
    pub fn compile(self, dir: impl AsRef<Path>) -> Result<Outputs> {
        let dir = dir.as_ref();
        if crate::cache::has_rust_extern(self.pipeline.get().handle())? {
            return Err(Error::invalid(format!(
                "{}: a pipeline with an extern stage computed by a Rust closure (Func::define_extern) \
                 runs only in this process and cannot be compiled ahead of time",
                self.name
            )));
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let targets = if self.targets.is_empty() {
            vec![Target::host()?]
        } else {
            self.targets.clone()
        };
        let stem = self.stem.as_deref().unwrap_or(&self.name);
        let mut outputs = Outputs::new();
        for &kind in &self.kinds {
            let path = dir.join(format!("{stem}{}", kind.extension(&targets[0])?));
            outputs.insert(kind, path);
        }
        let kinds = outputs
            .keys()
            .map(|k| ffi::c_string(k.name()))
            .collect::<Result<Vec<_>>>()?;
        let paths = outputs
            .values()
            .map(|p| path_string(p))
            .collect::<Result<Vec<_>>>()?;
        let kind_ptrs: Vec<_> = kinds.iter().map(|k| k.as_ptr()).collect();
        let path_ptrs: Vec<_> = paths.iter().map(|p| p.as_ptr()).collect();
        let target_ptrs: Vec<_> = targets.iter().map(|t| t.handle().as_ptr()).collect();
        let name = ffi::c_string(&self.name)?;
        let (scalars, buffers) = split_inputs(self.inputs.as_deref().unwrap_or_default());
        // Compiling changes nothing the pipeline is made of.
        let p = self.pipeline.get().handle().keeping_code();
        // SAFETY: the pipeline, the targets, the params and the strings are
        // borrowed for the call, and each array has the length passed with it.
        unsafe {
            ffi::call(|err| {
                sys::hl_pipeline_compile_to(
                    p.as_ptr(),
                    target_ptrs.as_ptr(),
                    target_ptrs.len(),
                    name.as_ptr(),
                    self.inputs.is_none(),
                    scalars.as_ptr(),
                    buffers.as_ptr(),
                    scalars.len(),
                    kind_ptrs.as_ptr(),
                    path_ptrs.as_ptr(),
                    kind_ptrs.len(),
                    err,
                )
            })
        }?;
        Ok(outputs)
    }

    /// Compiles a library to link with a separate [`RuntimeLibrary`] (see
    /// [`compile_runtime`]) and call from Rust: each target gets the
    /// `no_runtime` and `user_context` features, the outputs are a static
    /// library, its C header and its function info header, and the Rust
    /// wrapper (`dir/name.rs`) is written next to them.
    pub fn compile_library(mut self, dir: impl AsRef<Path>) -> Result<Library> {
        let targets = if self.targets.is_empty() {
            vec![Target::host()?]
        } else {
            std::mem::take(&mut self.targets)
        };
        self.targets = targets
            .iter()
            .map(|t| halide_build::target::library(&t.to_string()).parse())
            .collect::<Result<_>>()?;
        self.kinds = OutputKind::library();
        let stem = self.stem.clone().unwrap_or_else(|| self.name.clone());
        let dir = dir.as_ref().to_owned();
        self.compile(&dir)?;
        let library = Library::in_dir(&dir, &stem);
        library.write_wrapper()?;
        Ok(library)
    }
}

/// Writes Halide's runtime for `target` on its own as the static library
/// `dir/name.a`, for libraries compiled with `no_runtime`. One runtime
/// serves every such library of the same target in a program. For a
/// `webgpu` target, the runtime runs WebGPU code on wgpu: it holds
/// halide-build's bridge to halide-wgpu instead of Halide's WebGPU module
/// (see [`halide_build::webgpu`]), so the program must link halide-wgpu.
///
/// ```
/// let dir = std::env::temp_dir().join("halide-runtime-doc");
/// let runtime = halide::aot::compile_runtime(&dir, "halide_runtime", &halide::Target::host()?)?;
/// assert!(runtime.static_library.exists());
/// # Ok::<(), halide::Error>(())
/// ```
pub fn compile_runtime(
    dir: impl AsRef<Path>,
    name: &str,
    target: &Target,
) -> Result<RuntimeLibrary> {
    let dir = dir.as_ref();
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let requested = target.to_string();
    let target: Target = halide_build::target::runtime(&requested).parse()?;
    let runtime = RuntimeLibrary::in_dir(dir, name);
    let kind = ffi::c_string(OutputKind::StaticLibrary.name())?;
    let path = path_string(&runtime.static_library)?;
    let t = target.handle().as_ptr();
    // SAFETY: the target and the strings are borrowed for the call; both
    // arrays have the one element given.
    unsafe {
        ffi::call(|err| {
            sys::hl_compile_standalone_runtime(t, &kind.as_ptr(), &path.as_ptr(), 1, err)
        })
    }?;
    halide_build::webgpu::complete_runtime(&runtime, &requested)
        .map_err(|e| Error::invalid(format!("the WebGPU bridge: {e}")))?;
    Ok(runtime)
}

/// Whether `name` can name a C function: letters, digits and `_`, not
/// starting with a digit.
pub(crate) fn is_c_identifier(name: &str) -> bool {
    name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.chars().next().is_some_and(|c| !c.is_ascii_digit())
}

pub(crate) fn path_string(path: &Path) -> Result<CString> {
    ffi::c_string(
        path.to_str()
            .ok_or_else(|| Error::invalid(format!("{} is not UTF-8", path.display())))?,
    )
}

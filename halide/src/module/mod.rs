//! Modules: a pipeline lowered for one target and held in memory
//! ([`Module`]), to inspect, combine with others ([`link_modules`],
//! [`Module::append`]) and compile, to files or to an object in memory.

use crate::aot::{self, OutputKind, Outputs};
use crate::error::{Error, Result};
use crate::ffi::{self, Handle, shim};
use crate::func::Func;
use crate::param::Input;
use crate::pipeline::{Pipeline, split_inputs};
use crate::target::Target;
use halide_sys as sys;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

mod data;

pub use data::ModuleBuffer;

type ModuleHandle = Handle<sys::hl_module>;

/// How a lowered function is visible to the code it is linked with, and
/// which wrappers are generated with it (Halide's `LinkageType`).
///
/// For a function `f`: the argv wrapper `f_argv` takes every argument
/// through one `void **`, as Halide's RunGen and the JIT call it; the
/// metadata `f_metadata` describes the arguments (names, kinds, types,
/// estimates), as [`Module::remap_metadata_name`] renames them.
///
/// ```
/// use halide::prelude::*;
/// use halide::{LinkageType, aot::OutputKind};
/// let x = Var::new("x");
/// let mut f = Func::new("f");
/// f.define([&x], x.expr().clone())?;
/// let pipeline = Pipeline::new(&[&f])?;
/// let dir = std::env::temp_dir().join("halide-linkage-doc");
/// for (linkage, argv) in [(LinkageType::External, false), (LinkageType::ExternalPlusArgv, true)] {
///     let module = pipeline.compile_to_module(&Target::host()?, "ident", linkage)?;
///     let header = &module.compile(&dir, &[OutputKind::CHeader])?[&OutputKind::CHeader];
///     let header = std::fs::read_to_string(header).unwrap();
///     assert_eq!(header.contains("int ident_argv(void **args)"), argv);
/// }
/// # Ok::<(), halide::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LinkageType {
    /// `f` only, visible outside the object.
    External,
    /// `f` and `f_argv`, visible.
    ExternalPlusArgv,
    /// `f`, `f_argv` and `f_metadata`, visible: what [`Aot`](crate::aot::Aot)
    /// compiles, and what a library needs to be called from Rust.
    #[default]
    ExternalPlusMetadata,
    /// `f` only, for code linked into the same module to call: no
    /// wrappers, no C++ name mangling, and no declaration in the C header.
    /// Halide 21 still gives `f` external linkage in objects (a `TODO` in
    /// its LLVM code generator), so it is not hidden from the linker.
    Internal,
}

impl LinkageType {
    fn raw(self) -> sys::hl_linkage {
        match self {
            LinkageType::External => sys::hl_linkage::HL_LINKAGE_EXTERNAL,
            LinkageType::ExternalPlusArgv => sys::hl_linkage::HL_LINKAGE_EXTERNAL_PLUS_ARGV,
            LinkageType::ExternalPlusMetadata => sys::hl_linkage::HL_LINKAGE_EXTERNAL_PLUS_METADATA,
            LinkageType::Internal => sys::hl_linkage::HL_LINKAGE_INTERNAL,
        }
    }
}

/// A pipeline lowered for one target (Halide's `Module`): its functions,
/// the constant buffers they read, and submodules, ready to compile.
/// Made by [`Pipeline::compile_to_module`], [`Module::new`] or
/// [`link_modules`].
///
/// Each `Module` owns its contents: [`Clone`], [`submodules`](Self::submodules)
/// and [`append`](Self::append) copy (Halide's copies share them), so a
/// change made through one value shows through no other.
///
/// ```
/// use halide::prelude::*;
/// use halide::{LinkageType, aot::OutputKind};
/// let x = Var::new("x");
/// let mut f = Func::new("f");
/// f.define([&x], &x * 2)?;
/// let module = Pipeline::new(&[&f])?.compile_to_module(
///     &Target::host()?,
///     "double_it",
///     LinkageType::ExternalPlusMetadata,
/// )?;
/// assert_eq!(module.name(), "double_it");
/// let dir = std::env::temp_dir().join("halide-module-doc");
/// let files = module.compile(&dir, &[OutputKind::StaticLibrary, OutputKind::CHeader])?;
/// let header = std::fs::read_to_string(&files[&OutputKind::CHeader]).unwrap();
/// assert!(header.contains("int double_it(struct halide_buffer_t *"));
/// # Ok::<(), halide::Error>(())
/// ```
pub struct Module {
    handle: ModuleHandle,
    // Neither changes in a module's life, so they are read once.
    name: String,
    target: Target,
}

impl Pipeline {
    /// The pipeline lowered for `target` as the function `fn_name` with
    /// `linkage`, without compiling it to machine code. The function's
    /// arguments are the inputs the pipeline reads (buffers, then scalars,
    /// each in name order), then its outputs, as for
    /// [`compile`](Self::compile). `fn_name` is a C identifier, or C++
    /// namespaces and one (`ns::f`) for a target with
    /// `c_plus_plus_name_mangling`.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::LinkageType;
    /// let x = Var::new("x");
    /// let mut f = Func::new("f");
    /// f.define([&x], &x * 3)?;
    /// // Any target: lowering runs nothing.
    /// let arm: Target = "arm-64-linux".parse()?;
    /// let module = Pipeline::new(&[&f])?.compile_to_module(&arm, "triple", LinkageType::default())?;
    /// assert_eq!((module.name(), module.target().to_string().as_str()), ("triple", "arm-64-linux"));
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn compile_to_module(
        &self,
        target: &Target,
        fn_name: &str,
        linkage: LinkageType,
    ) -> Result<Module> {
        self.lower(target, fn_name, linkage, None)
    }

    /// [`compile_to_module`](Self::compile_to_module) with the inputs in
    /// the order given, as for [`compile_with_inputs`](Self::compile_with_inputs).
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::{LinkageType, aot::OutputKind};
    /// let x = Var::new("x");
    /// let (gain, input) = (Param::<i32>::new("gain"), ImageParam::new::<i32>(1, "input"));
    /// let mut f = Func::new("f");
    /// f.define([&x], input.at([&x]) * &gain)?;
    /// let module = Pipeline::new(&[&f])?.compile_to_module_with_inputs(
    ///     &Target::host()?, "scale", LinkageType::External, &[&gain, &input])?;
    /// let dir = std::env::temp_dir().join("halide-module-inputs-doc");
    /// let header = &module.compile(&dir, &[OutputKind::CHeader])?[&OutputKind::CHeader];
    /// let header = std::fs::read_to_string(header).unwrap();
    /// assert!(header.contains("int scale(int32_t _gain, struct halide_buffer_t *_input_buffer"));
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn compile_to_module_with_inputs(
        &self,
        target: &Target,
        fn_name: &str,
        linkage: LinkageType,
        inputs: &[&dyn Input],
    ) -> Result<Module> {
        self.lower(target, fn_name, linkage, Some(inputs))
    }

    fn lower(
        &self,
        target: &Target,
        fn_name: &str,
        linkage: LinkageType,
        inputs: Option<&[&dyn Input]>,
    ) -> Result<Module> {
        // Halide takes any name and writes it into C and symbols unchecked.
        if !fn_name.split("::").all(aot::is_c_identifier) {
            return Err(Error::invalid(format!(
                "\"{fn_name}\" is not a C identifier (or C++ namespaces and one, ns::f); \
                 a module's function name must be"
            )));
        }
        let name = ffi::c_string(fn_name)?;
        let (scalars, buffers) = split_inputs(inputs.unwrap_or_default());
        // Lowering changes nothing the pipeline is made of.
        let p = self.handle().keeping_code();
        let t = target.handle().as_ptr();
        // SAFETY: the pipeline, the target, the params and the name are
        // borrowed for the call; both input arrays have the inputs' length.
        let handle = unsafe {
            ffi::call(|err| {
                sys::hl_pipeline_lower(
                    p.as_ptr(),
                    t,
                    inputs.is_none(),
                    scalars.as_ptr(),
                    buffers.as_ptr(),
                    scalars.len(),
                    name.as_ptr(),
                    linkage.raw(),
                    err,
                )
            })
        }?;
        Module::from_handle(handle)
    }
}

impl Func {
    /// The pipeline that outputs this Func, lowered; see
    /// [`Pipeline::compile_to_module`].
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::LinkageType;
    /// let x = Var::new("x");
    /// let mut f = Func::new("f");
    /// f.define([&x], &x + 2)?;
    /// let module = f.compile_to_module(&Target::host()?, "plus_two", LinkageType::External)?;
    /// assert_eq!(module.name(), "plus_two");
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn compile_to_module(
        &self,
        target: &Target,
        fn_name: &str,
        linkage: LinkageType,
    ) -> Result<Module> {
        Pipeline::new(&[self])?.compile_to_module(target, fn_name, linkage)
    }
}

impl Module {
    fn from_handle(handle: ModuleHandle) -> Result<Module> {
        let name = shim!(sys::hl_module_name, &handle)?;
        let target = Target::from_handle(shim!(sys::hl_module_target, &handle)?);
        Ok(Module {
            handle,
            name,
            target,
        })
    }

    /// An empty module named `name` for `target`, to [`append`](Self::append)
    /// modules to.
    ///
    /// ```
    /// let module = halide::Module::new("empty", &halide::Target::host()?)?;
    /// assert!(module.submodules()?.is_empty() && module.buffers()?.is_empty());
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn new(name: &str, target: &Target) -> Result<Module> {
        let c = ffi::c_string(name)?;
        Module::from_handle(shim!(sys::hl_module_new, c.as_c_str(), target.handle())?)
    }

    /// The module's name: its function's, for a lowered pipeline. Files
    /// [`compile`](Self::compile) writes are named after it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The target the module is lowered for.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Copies of the modules [`append`](Self::append)ed to this one.
    pub fn submodules(&self) -> Result<Vec<Module>> {
        (0..shim!(sys::hl_module_submodule_count, &self.handle)?)
            .map(|i| Module::from_handle(shim!(sys::hl_module_submodule, &self.handle, i)?))
            .collect()
    }

    /// Appends a copy of `other` as a submodule: compiling this module
    /// first compiles `other` to an object file held as a constant buffer
    /// named after it ([`resolve_submodules`](Self::resolve_submodules)),
    /// for this module's code to read, as Halide's Hexagon offloading does
    /// with code for the DSP. `other`'s functions are not linked in (that
    /// is [`link_modules`]), and a buffer no code reads is left out of the
    /// object.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::{LinkageType, Module};
    /// let x = Var::new("x");
    /// let mut f = Func::new("f");
    /// f.define([&x], x.expr().clone())?;
    /// let target = Target::host()?;
    /// let inner = Pipeline::new(&[&f])?.compile_to_module(&target, "inner", LinkageType::External)?;
    /// let mut outer = Module::new("outer", &target)?;
    /// outer.append(&inner)?;
    /// assert_eq!(outer.submodules()?[0].name(), "inner");
    /// let resolved = outer.resolve_submodules()?;
    /// assert!(resolved.submodules()?.is_empty());
    /// assert_eq!(resolved.buffers()?[0].name, "inner");
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn append(&mut self, other: &Module) -> Result<()> {
        shim!(
            sys::hl_module_append,
            self.handle.keeping_code(),
            &other.handle
        )?;
        Ok(())
    }

    /// A copy with each submodule compiled to an object file held as a
    /// constant buffer named after it (`u8`, one dimension), what
    /// [`compile`](Self::compile) does first.
    pub fn resolve_submodules(&self) -> Result<Module> {
        Module::from_handle(shim!(sys::hl_module_resolve_submodules, &self.handle)?)
    }

    /// Writes the module as each of `kinds` into `dir` (made if missing),
    /// named after the module with Halide's extension for its target
    /// (`dir/name.a`, `dir/name.h`, ...; a namespaced name's last part), and
    /// returns the paths. For other names, [`compile_to_files`](Self::compile_to_files).
    ///
    /// [`Hlpipe`](OutputKind::Hlpipe) and [`CompilerLog`](OutputKind::CompilerLog)
    /// need the pipeline, not its module: an `Err` here, written by
    /// [`Aot`](crate::aot::Aot).
    pub fn compile(&self, dir: impl AsRef<Path>, kinds: &[OutputKind]) -> Result<Outputs> {
        let dir = dir.as_ref();
        let stem = self.name.rsplit("::").next().unwrap_or_default();
        if stem.is_empty() || stem == "." || stem == ".." || stem.contains(['/', '\\']) {
            return Err(Error::invalid(format!(
                "the module name \"{}\" cannot name a file; use Module::compile_to_files",
                self.name
            )));
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut outputs = Outputs::new();
        for &kind in kinds {
            let path = dir.join(format!("{stem}{}", kind.extension(&self.target)?));
            outputs.insert(kind, path);
        }
        self.compile_to_files(&outputs)?;
        Ok(outputs)
    }

    /// Writes the module into the files `files` names, one per kind (the
    /// form Halide's `Module::compile` takes). Each file is created first:
    /// a path that cannot be written is an `Err`.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::{LinkageType, aot::{OutputKind, Outputs}};
    /// let x = Var::new("x");
    /// let mut f = Func::new("f");
    /// f.define([&x], &x + 1)?;
    /// let module = Pipeline::new(&[&f])?.compile_to_module(&Target::host()?, "inc", LinkageType::External)?;
    /// let dir = std::env::temp_dir().join("halide-module-files-doc");
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let files = Outputs::from([(OutputKind::Stmt, dir.join("lowered.txt"))]);
    /// module.compile_to_files(&files)?;
    /// assert!(std::fs::read_to_string(dir.join("lowered.txt")).unwrap().contains("produce f"));
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn compile_to_files(&self, files: &Outputs) -> Result<()> {
        let kinds = files
            .keys()
            .map(|k| ffi::c_string(k.name()))
            .collect::<Result<Vec<_>>>()?;
        let paths = files
            .values()
            .map(|p| aot::path_string(p))
            .collect::<Result<Vec<_>>>()?;
        let kind_ptrs: Vec<_> = kinds.iter().map(|k| k.as_ptr()).collect();
        let path_ptrs: Vec<_> = paths.iter().map(|p| p.as_ptr()).collect();
        let m = self.handle.as_ptr();
        // SAFETY: the module and the strings are borrowed for the call; both
        // arrays have the files' length.
        unsafe {
            ffi::call(|err| {
                sys::hl_module_compile(
                    m,
                    kind_ptrs.as_ptr(),
                    path_ptrs.as_ptr(),
                    kind_ptrs.len(),
                    err,
                )
            })
        }?;
        Ok(())
    }

    /// The module compiled to an object file in memory (ELF, Mach-O or
    /// COFF, as the target's OS has it), its submodules resolved first.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::LinkageType;
    /// let x = Var::new("x");
    /// let mut f = Func::new("f");
    /// f.define([&x], &x * &x)?;
    /// let target: Target = "x86-64-linux-sse41".parse()?;
    /// let module = Pipeline::new(&[&f])?.compile_to_module(&target, "square", LinkageType::External)?;
    /// let object = module.compile_to_buffer()?;
    /// assert_eq!(&object[..4], b"\x7fELF");
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn compile_to_buffer(&self) -> Result<Vec<u8>> {
        let m = self.handle.as_ptr();
        // SAFETY: the module is borrowed for the call; `len` outlives it.
        unsafe {
            ffi::call(|err| {
                let mut len = 0;
                let ptr = sys::hl_module_compile_to_buffer(m, &mut len, err);
                ffi::Bytes { ptr, len }
            })
        }
    }

    /// Makes the metadata the module generates (the `_metadata` function
    /// of [`LinkageType::ExternalPlusMetadata`], the function info header)
    /// call the argument `from` `to` instead; the C function keeps its
    /// parameters. An `Err` when `from` or `to` is remapped already.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::LinkageType;
    /// let x = Var::new("x");
    /// let input = ImageParam::new::<u8>(1, "input");
    /// let mut f = Func::new("f");
    /// f.define([&x], input.at([&x]))?;
    /// let mut module = Pipeline::new(&[&f])?.compile_to_module(
    ///     &Target::host()?, "copy", LinkageType::ExternalPlusMetadata)?;
    /// module.remap_metadata_name("input", "source")?;
    /// assert_eq!(module.metadata_name_map()?["input"], "source");
    /// assert!(module.remap_metadata_name("input", "other").is_err());
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn remap_metadata_name(&mut self, from: &str, to: &str) -> Result<()> {
        let (from, to) = (ffi::c_string(from)?, ffi::c_string(to)?);
        shim!(
            sys::hl_module_remap_metadata_name,
            self.handle.keeping_code(),
            from.as_c_str(),
            to.as_c_str()
        )?;
        Ok(())
    }

    /// The renamings [`remap_metadata_name`](Self::remap_metadata_name)
    /// made, from each argument's name to its name in the metadata.
    pub fn metadata_name_map(&self) -> Result<BTreeMap<String, String>> {
        let m = self.handle.as_ptr();
        // SAFETY: the module is borrowed for the call; `len` outlives it.
        let bytes = unsafe {
            ffi::call(|err| {
                let mut len = 0;
                let ptr = sys::hl_module_metadata_name_map(m, &mut len, err);
                ffi::Bytes { ptr, len }
            })
        }?;
        Ok(string_pairs(&bytes))
    }
}

impl Clone for Module {
    fn clone(&self) -> Self {
        // Copying only allocates, so failure is out of memory, fatal in
        // Rust everywhere else too.
        shim!(sys::hl_module_copy, &self.handle)
            .and_then(Module::from_handle)
            .expect("out of memory copying a Halide module")
    }
}

impl fmt::Debug for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Module({}, {})", self.name, self.target)
    }
}

/// One module named `name` with the functions and constant buffers of all
/// `modules` (Halide's `link_modules`), which must share a target, have
/// no submodules ([`Module::resolve_submodules`] makes them buffers) and no
/// two functions or buffers of one name: one object with every function.
/// Their metadata renamings and autoscheduler results are left out.
///
/// ```
/// use halide::prelude::*;
/// use halide::LinkageType;
/// let x = Var::new("x");
/// let (mut f, mut g) = (Func::new("f"), Func::new("g"));
/// f.define([&x], &x + 1)?;
/// g.define([&x], &x - 1)?;
/// let target: Target = "x86-64-linux-sse41".parse()?;
/// let up = Pipeline::new(&[&f])?.compile_to_module(&target, "up", LinkageType::External)?;
/// let down = Pipeline::new(&[&g])?.compile_to_module(&target, "down", LinkageType::External)?;
/// let both = halide::link_modules("both", &[up, down])?;
/// let object = both.compile_to_buffer()?;
/// let has = |s: &[u8]| object.windows(s.len()).any(|w| w == s);
/// assert!(has(b"up\0") && has(b"down\0"));
/// # Ok::<(), halide::Error>(())
/// ```
pub fn link_modules(name: &str, modules: &[Module]) -> Result<Module> {
    let c = ffi::c_string(name)?;
    let ptrs = ffi::Ptrs::new(modules.iter().map(|m| &m.handle));
    // SAFETY: the modules and the name are borrowed for the call; the array
    // has the modules' length.
    let handle = unsafe {
        ffi::call(|err| sys::hl_link_modules(c.as_ptr(), ptrs.as_ptr(), ptrs.len(), err))
    }?;
    Module::from_handle(handle)
}

/// The map the shim wrote as `key` NUL `value` NUL for each pair.
fn string_pairs(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut parts = bytes
        .split(|&b| b == 0)
        .map(|s| String::from_utf8_lossy(s).into_owned());
    let mut map = BTreeMap::new();
    while let (Some(key), Some(value)) = (parts.next(), parts.next()) {
        map.insert(key, value);
    }
    map
}

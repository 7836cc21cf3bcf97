//! Generators written in Rust: a pipeline with typed inputs, outputs and
//! generator parameters, compiled ahead of time by a command line that
//! takes Halide's generator flags, so `cargo xtask build-generators` drives
//! Rust, C++ and Python generators alike.
//!
//! ```
//! use halide::prelude::*;
//! use halide::generator::{Generator, GeneratorContext, Signature};
//! use halide::math::{i32, u8_sat};
//!
//! struct Brighten;
//!
//! impl Generator for Brighten {
//!     fn name(&self) -> &str {
//!         "brighten"
//!     }
//!
//!     fn generate(&self, g: &mut GeneratorContext) -> halide::Result<Signature> {
//!         let amount: i32 = g.param("amount", 10)?;
//!         let (x, y) = (Var::new("x"), Var::new("y"));
//!         let input = ImageParam::new::<u8>(2, "input");
//!         let mut out = Func::new("brighten");
//!         out.define([&x, &y], u8_sat(i32(input.at([&x, &y])) + amount))?;
//!         if !g.using_autoscheduler() {
//!             out.vectorize(&x, 16)?.parallel(&y)?;
//!         }
//!         Signature::new().input(input).output::<u8>(out, 2)
//!     }
//! }
//!
//! // A generator binary's main is `halide::generator::main(&[&Brighten])`;
//! // the same generator compiles in-process too:
//! let dir = std::env::temp_dir().join("halide-generator-doc");
//! let lib = halide::generator::compile_library(&Brighten, &[("amount", "3")], &Target::host()?, &dir)?;
//! assert!(lib.static_library.exists());
//! # Ok::<(), halide::Error>(())
//! ```

use crate::aot::{Library, OutputKind, compile_runtime};
use crate::autoschedule::Autoscheduler;
use crate::convert::{IntoArgs, IntoOperand};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::func::Func;
use crate::param::Input;
use crate::pipeline::Pipeline;
use crate::target::Target;
use halide_runtime::Element;
use std::collections::BTreeMap;
use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

/// A pipeline that can be compiled ahead of time under a name.
pub trait Generator {
    /// The name `-g` selects it by.
    fn name(&self) -> &str;

    /// Defines the pipeline: reads generator parameters from `g`, builds
    /// the Funcs, schedules them (unless [`GeneratorContext::using_autoscheduler`])
    /// and returns the inputs and outputs in call order.
    fn generate(&self, g: &mut GeneratorContext) -> Result<Signature>;
}

/// What a generator's `generate` can ask of the build: its target and its
/// generator parameters.
#[derive(Debug)]
pub struct GeneratorContext {
    target: Target,
    params: BTreeMap<String, String>,
    read: Vec<String>,
    autoscheduler: Option<(Autoscheduler, Vec<(String, String)>)>,
}

impl GeneratorContext {
    /// A context for `target` with generator parameters `params`
    /// (`name=value` from the command line, as text).
    pub fn new(target: &Target, params: &[(&str, &str)]) -> Self {
        GeneratorContext {
            target: target.clone(),
            params: params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            read: Vec::new(),
            autoscheduler: None,
        }
    }

    /// The target the pipeline is compiled for.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Whether an autoscheduler will schedule the pipeline; a generator then
    /// sets estimates instead of a schedule.
    pub fn using_autoscheduler(&self) -> bool {
        self.autoscheduler.is_some()
    }

    /// The autoscheduler that will schedule the pipeline, if any.
    pub fn autoscheduler(&self) -> Option<Autoscheduler> {
        self.autoscheduler.as_ref().map(|(a, _)| *a)
    }

    /// The parameters the autoscheduler is given (`autoscheduler.KEY=VALUE`
    /// on a generator's command line); empty without one.
    ///
    /// ```
    /// use halide::generator::GeneratorContext;
    /// let g = GeneratorContext::new(&halide::Target::host()?, &[]);
    /// assert!(g.autoscheduler().is_none() && g.autoscheduler_params().is_empty());
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn autoscheduler_params(&self) -> &[(String, String)] {
        self.autoscheduler.as_ref().map_or(&[], |(_, p)| p)
    }

    /// The generator parameter `name`: the value given for it, parsed, or
    /// `default`. A value that does not parse is `Err`.
    pub fn param<T: FromStr + Display>(&mut self, name: &str, default: T) -> Result<T>
    where
        T::Err: Display,
    {
        self.read.push(name.to_owned());
        match self.params.get(name) {
            None => Ok(default),
            Some(text) => text.parse().map_err(|e| {
                Error::invalid(format!(
                    "generator parameter {name}={text}: {e} (default {default})"
                ))
            }),
        }
    }

    /// Checks that every parameter given was one the generator read.
    fn check_params_used(&self, generator: &str) -> Result<()> {
        match self.params.keys().find(|k| !self.read.contains(k)) {
            Some(unknown) => Err(Error::invalid(format!(
                "generator {generator} has no parameter \"{unknown}\" (it has: {})",
                self.read.join(", ")
            ))),
            None => Ok(()),
        }
    }
}

/// A generator's inputs and outputs, in the order the compiled function
/// takes them.
#[derive(Default)]
pub struct Signature {
    inputs: Vec<Box<dyn Input>>,
    outputs: Vec<Func>,
    /// Conditions every call checks first, each with its message.
    requirements: Vec<(Expr, Vec<Expr>)>,
}

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signature")
            .field("inputs", &self.inputs.len())
            .field("outputs", &self.outputs)
            .finish()
    }
}

impl Signature {
    /// No inputs or outputs yet.
    pub fn new() -> Self {
        Signature::default()
    }

    /// Adds an input: a [`Param`](crate::Param) or an
    /// [`ImageParam`](crate::ImageParam), typed by their element type.
    pub fn input(mut self, input: impl Input + 'static) -> Self {
        self.inputs.push(Box::new(input));
        self
    }

    /// Adds an output Func, which must have one value of type `T` and
    /// `dimensions` dimensions.
    pub fn output<T: Element>(mut self, func: Func, dimensions: usize) -> Result<Self> {
        let types = func.output_types()?;
        if types != [T::TYPE] {
            return Err(Error::invalid(format!(
                "output {} has type {types:?}, declared {}",
                func.name(),
                T::TYPE
            )));
        }
        let actual = func.dimensions()?;
        if actual != dimensions {
            return Err(Error::invalid(format!(
                "output {} has {actual} dimensions, declared {dimensions}",
                func.name()
            )));
        }
        self.outputs.push(func);
        Ok(self)
    }

    /// The inputs, in call order, as compilation takes them.
    fn inputs(&self) -> Vec<&dyn Input> {
        self.inputs.iter().map(|b| &**b).collect()
    }

    /// Adds a condition every call of the compiled pipeline checks first,
    /// failing with `message` (its values printed after it) when it does
    /// not hold; see [`Pipeline::add_requirement`].
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::generator::Signature;
    /// let (x, n) = (Var::new("x"), Param::<i32>::new("n"));
    /// let mut out = Func::new("out");
    /// out.define([&x], &x * &n)?;
    /// let signature = Signature::new()
    ///     .requirement(n.expr().gt(0), ("n must be positive, not", &n))
    ///     .input(n)
    ///     .output::<i32>(out, 1)?;
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn requirement<'c>(
        mut self,
        condition: impl IntoOperand<'c>,
        message: impl IntoArgs,
    ) -> Self {
        let condition = condition.into_operand().to_expr();
        self.requirements.push((condition, message.into_args()));
        self
    }

    /// Adds an output Func with several values (a Tuple), unchecked.
    pub fn output_tuple(mut self, func: Func) -> Self {
        self.outputs.push(func);
        self
    }
}

/// A generator's pipeline, built for a target.
struct Built {
    pipeline: Pipeline,
    signature: Signature,
}

/// Runs `generator` for `target` with `params`, applying `autoscheduler`
/// with its parameters when given.
fn build(
    generator: &dyn Generator,
    target: &Target,
    params: &[(&str, &str)],
    autoscheduler: Option<(Autoscheduler, &[(&str, &str)])>,
) -> Result<Built> {
    let mut g = GeneratorContext::new(target, params);
    g.autoscheduler = autoscheduler.map(|(a, params)| {
        let params = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()));
        (a, params.collect())
    });
    let signature = generator.generate(&mut g)?;
    g.check_params_used(generator.name())?;
    if signature.outputs.is_empty() {
        return Err(Error::invalid(format!(
            "generator {} declared no output",
            generator.name()
        )));
    }
    let outputs: Vec<&Func> = signature.outputs.iter().collect();
    let mut pipeline = Pipeline::new(&outputs)?;
    for (condition, message) in &signature.requirements {
        pipeline.add_requirement(condition, message.clone())?;
    }
    if let Some((scheduler, scheduler_params)) = autoscheduler {
        pipeline.auto_schedule(target, scheduler, scheduler_params)?;
    }
    Ok(Built {
        pipeline,
        signature,
    })
}

/// Compiles `generator` in-process for `target` into `dir` as a library
/// for a separate runtime, with its Rust wrapper; see
/// [`Aot::compile_library`](crate::aot::Aot::compile_library).
pub fn compile_library(
    generator: &dyn Generator,
    params: &[(&str, &str)],
    target: &Target,
    dir: impl AsRef<Path>,
) -> Result<Library> {
    let built = build(generator, target, params, None)?;
    built
        .pipeline
        .aot(generator.name())?
        .inputs(&built.signature.inputs())
        .target(target)
        .compile_library(dir)
}

/// JIT-compiles `generator` for `target`: the same pipeline its library
/// holds, callable with the same arguments, for tests and comparisons.
pub fn compile_jit(
    generator: &dyn Generator,
    params: &[(&str, &str)],
    target: &Target,
) -> Result<crate::Callable> {
    let built = build(generator, target, params, None)?;
    built
        .pipeline
        .compile_with_inputs(target, &built.signature.inputs())
}

/// The parsed command line of a generator binary.
#[derive(Debug, Default)]
struct Command {
    generator: Option<String>,
    function_name: Option<String>,
    file_base: Option<String>,
    output_dir: Option<PathBuf>,
    emit: Option<Vec<OutputKind>>,
    runtime: Option<String>,
    plugins: Vec<PathBuf>,
    target: Option<String>,
    autoscheduler: Option<String>,
    autoscheduler_params: Vec<(String, String)>,
    params: Vec<(String, String)>,
    list: bool,
    help: bool,
}

const USAGE: &str = "\
usage: GENERATOR -g NAME -o DIR [-f FUNCTION] [-n FILE_BASE] [-e KINDS]
                 [-p PLUGIN] [target=TARGET] [autoscheduler=NAME]
                 [autoscheduler.KEY=VALUE ...] [PARAM=VALUE ...]
       GENERATOR -r RUNTIME_NAME -o DIR [target=TARGET]
       GENERATOR --list

  -g NAME       the generator to run
  -o DIR        where the files go
  -f FUNCTION   the C function's name (default: the generator's)
  -n FILE_BASE  the files' stem (default: the function's name)
  -e KINDS      comma-separated output kinds (default:
                static_library,c_header,function_info_header); any of
                static_library object c_header function_info_header assembly
                bitcode llvm_assembly stmt stmt_html schedule registration
                c_source
  -r NAME       write Halide's runtime alone as NAME.a
  -p PLUGIN     load an autoscheduler plugin library
  --list        print the generators this program holds
  target=...    Halide target string, several comma-separated for a
                multi-target library (default: host)";

impl Command {
    fn parse(args: impl IntoIterator<Item = String>) -> Result<Command> {
        let mut c = Command::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = |flag: &str| {
                args.next()
                    .ok_or_else(|| Error::invalid(format!("{flag} needs a value")))
            };
            match arg.as_str() {
                "-g" => c.generator = Some(value("-g")?),
                "-f" => c.function_name = Some(value("-f")?),
                "-n" => c.file_base = Some(value("-n")?),
                "-o" => c.output_dir = Some(value("-o")?.into()),
                "-r" => c.runtime = Some(value("-r")?),
                "-p" => c.plugins.push(value("-p")?.into()),
                "-e" => {
                    let kinds = value("-e")?
                        .split(',')
                        .map(|k| {
                            OutputKind::from_name(k.trim())
                                .ok_or_else(|| Error::invalid(format!("unknown output kind {k}")))
                        })
                        .collect::<Result<Vec<_>>>()?;
                    c.emit = Some(kinds);
                }
                "--list" | "-l" => c.list = true,
                "-h" | "--help" => c.help = true,
                _ => {
                    let (key, val) = arg.split_once('=').ok_or_else(|| {
                        Error::invalid(format!("unexpected argument \"{arg}\"\n{USAGE}"))
                    })?;
                    match key {
                        "target" => c.target = Some(val.to_owned()),
                        "autoscheduler" => c.autoscheduler = Some(val.to_owned()),
                        _ => match key.strip_prefix("autoscheduler.") {
                            Some(k) => c.autoscheduler_params.push((k.to_owned(), val.to_owned())),
                            None => c.params.push((key.to_owned(), val.to_owned())),
                        },
                    }
                }
            }
        }
        Ok(c)
    }

    fn targets(&self) -> Result<Vec<Target>> {
        match &self.target {
            None => Ok(vec![Target::host()?]),
            Some(t) => t.split(',').map(|t| t.trim().parse()).collect(),
        }
    }

    fn run(self, generators: &[&dyn Generator]) -> Result<String> {
        if self.help {
            return Ok(USAGE.to_owned());
        }
        if self.list {
            let names: Vec<&str> = generators.iter().map(|g| g.name()).collect();
            return Ok(names.join("\n"));
        }
        for plugin in &self.plugins {
            crate::autoschedule::load_plugin(plugin)?;
        }
        let dir = self
            .output_dir
            .clone()
            .ok_or_else(|| Error::invalid(format!("-o DIR is required\n{USAGE}")))?;
        let targets = self.targets()?;
        if let Some(name) = &self.runtime {
            let baseline = targets.last().expect("targets() is never empty");
            let runtime = compile_runtime(&dir, name, baseline)?;
            if self.generator.is_none() {
                return Ok(format!("wrote {}", runtime.static_library.display()));
            }
        }
        let name = self.generator.as_deref().ok_or_else(|| {
            Error::invalid(format!("either -g NAME or -r NAME is required\n{USAGE}"))
        })?;
        let generator = generators
            .iter()
            .find(|g| g.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = generators.iter().map(|g| g.name()).collect();
                Error::invalid(format!(
                    "no generator \"{name}\"; this program has: {}",
                    names.join(", ")
                ))
            })?;
        let scheduler = match self.autoscheduler.as_deref() {
            None => None,
            Some(a) => Some(a.parse::<Autoscheduler>()?),
        };
        let params: Vec<(&str, &str)> = self
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let scheduler_params: Vec<(&str, &str)> = self
            .autoscheduler_params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let built = build(
            *generator,
            &targets[0],
            &params,
            scheduler.map(|s| (s, scheduler_params.as_slice())),
        )?;
        let function = self.function_name.as_deref().unwrap_or(name);
        let kinds = self.emit.clone().unwrap_or_else(OutputKind::library);
        let outputs = built
            .pipeline
            .aot(function)?
            .file_stem(self.file_base.as_deref().unwrap_or(function))
            .inputs(&built.signature.inputs())
            .targets(&targets)
            .outputs(&kinds)
            .compile(&dir)?;
        let written: Vec<String> = outputs.values().map(|p| p.display().to_string()).collect();
        Ok(format!("wrote {}", written.join(", ")))
    }
}

/// The command line of a generator binary holding `generators`: parses
/// the process's arguments (Halide's generator flags; see `--help`), runs
/// the selected generator, prints what it wrote or the error, and returns
/// the exit code.
///
/// ```no_run
/// # use halide::generator::{Generator, GeneratorContext, Signature};
/// # struct Brighten;
/// # impl Generator for Brighten {
/// #     fn name(&self) -> &str { "brighten" }
/// #     fn generate(&self, _: &mut GeneratorContext) -> halide::Result<Signature> { todo!() }
/// # }
/// fn main() -> std::process::ExitCode {
///     halide::generator::main(&[&Brighten])
/// }
/// ```
pub fn main(generators: &[&dyn Generator]) -> ExitCode {
    match run(generators, std::env::args().skip(1)) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// [`main`] for given arguments (without the program name): returns what
/// it would print.
pub fn run(
    generators: &[&dyn Generator],
    args: impl IntoIterator<Item = String>,
) -> Result<String> {
    Command::parse(args)?.run(generators)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Command-line words, real and broken.
    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "-g",
                "-f",
                "-n",
                "-o",
                "-r",
                "-p",
                "-e",
                "--list",
                "-l",
                "-h",
                "--help",
                "target=host",
                "target=",
                "target=x86-64-linux,host",
                "autoscheduler=Adams2019",
                "-e",
                "static_library,h",
                "stmt_html,nonsense",
                "",
                "=",
                "==",
                "a=b=c",
            ])
            .prop_map(str::to_owned),
            "[-=a-z_,]{0,12}",
            ".{0,12}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        /// Any command line parses or is refused with a message; none panics.
        #[test]
        fn command_lines_never_panic(words in prop::collection::vec(word(), 0..8)) {
            if let Err(e) = Command::parse(words) {
                prop_assert!(!e.message().is_empty());
            }
        }
    }

    #[test]
    fn flags_without_values_are_refused() {
        for flag in ["-g", "-f", "-n", "-o", "-r", "-p", "-e"] {
            let e = Command::parse([flag.to_owned()]).unwrap_err();
            assert!(e.message().contains("needs a value"), "{e}");
        }
    }
}

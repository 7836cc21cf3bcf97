//! `cargo xtask build-generators`: builds every generator the workspace
//! declares, for each requested target, into `target/halide/<target>/`,
//! with one runtime per target and the Rust wrappers beside the libraries.
//!
//! A package declares generators in its manifest:
//!
//! ```toml
//! [package.metadata.halide]
//! rust-generators = ["my-generators"]        # binaries of this package
//! cpp-generators = ["cpp/filters.cpp"]        # HALIDE_REGISTER_GENERATOR files
//! python-generators = ["python/pipelines.py"] # files with @hl.generator
//! ```
//!
//! Each C++ file becomes a generator executable in
//! `target/halide/generators/<package>/`, compiled against the Halide that
//! halide-sys found, and recompiled only when the file or a header beside it
//! changes.
//!
//! Whether a generator is up to date is decided by content, not time: each
//! run lowers every generator (cheap next to code generation) and hashes its
//! lowered statement, its signature and its target. Only generators whose
//! hash changed are compiled, so editing one rebuilds that one alone.

use halide_build::{GeneratorProgram, GeneratorRun, Library, python};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Instant;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The command line: `--target T` (repeatable), `--list`, `--clean`,
/// `--require-python`.
#[derive(Debug, Default)]
pub struct Options {
    targets: Vec<String>,
    list: bool,
    clean: bool,
    /// Fail, instead of skipping Python generators, without Halide's
    /// Python package.
    require_python: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options> {
        let mut o = Options::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--target" => o
                    .targets
                    .push(args.next().ok_or("--target needs a value")?.clone()),
                "--list" => o.list = true,
                "--clean" => o.clean = true,
                "--require-python" => o.require_python = true,
                other => return Err(format!("unknown option {other}").into()),
            }
        }
        if o.targets.is_empty() {
            o.targets.push("host".into());
        }
        Ok(o)
    }
}

/// A generator program and the package it belongs to.
struct Program {
    label: String,
    program: GeneratorProgram,
}

pub fn run(root: &Path, options: &Options) -> Result<()> {
    let metadata = cargo_metadata(root)?;
    let target_dir = PathBuf::from(
        metadata["target_directory"]
            .as_str()
            .ok_or("cargo metadata: no target_directory")?,
    );
    let out_root = target_dir.join("halide");
    if options.clean {
        if out_root.exists() {
            std::fs::remove_dir_all(&out_root)?;
        }
        println!("removed {}", out_root.display());
        return Ok(());
    }
    let programs = programs(root, &metadata, &target_dir, options.require_python)?;
    let mut work = Vec::new();
    for p in &programs {
        for name in p.program.list()? {
            work.push((p, name));
        }
    }
    if options.list {
        for (p, name) in &work {
            println!("{name}\t({})", p.label);
        }
        return Ok(());
    }
    let total = work.len() * options.targets.len();
    let (mut built, mut step) = (0, 0);
    for target in &options.targets {
        let dir = out_root.join(target);
        let runtime = halide_build::RuntimeLibrary::in_dir(&dir, "halide_runtime");
        if !runtime.static_library.exists() {
            let first = programs.first().ok_or("no generator programs declared")?;
            first.program.runtime(&dir, "halide_runtime", target)?;
            println!("runtime for {target}: {}", runtime.static_library.display());
        }
        for (p, name) in &work {
            step += 1;
            let generator = p.program.generator(name);
            let start = Instant::now();
            if build_one(&generator, &dir, target)? {
                built += 1;
                println!(
                    "[{step}/{total}] {target}/{name} ({}): built in {:.1}s",
                    p.label,
                    start.elapsed().as_secs_f64()
                );
            } else {
                println!("[{step}/{total}] {target}/{name}: up to date");
            }
        }
    }
    if built == 0 {
        println!("nothing to rebuild: all {total} generator builds are up to date");
    } else {
        println!(
            "rebuilt {built} of {total} generator builds into {}",
            out_root.display()
        );
    }
    Ok(())
}

/// Builds `generator` into `dir` unless its stamp matches; returns whether
/// it built.
fn build_one(generator: &GeneratorRun, dir: &Path, target: &str) -> Result<bool> {
    let library_target = generator.library_target(target);
    let probe = dir.join(".probe").join(generator.name());
    generator.emit(&probe, &library_target, "stmt,function_info_header")?;
    let mut hash = Sha256::new();
    hash.update(library_target.as_bytes());
    for file in ["stmt", "function_info.h"] {
        let path = probe.join(format!("{}.{file}", generator.name()));
        hash.update(std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    std::fs::remove_dir_all(&probe)?;
    let stamp = format!("{:x}\n", hash.finalize());
    let stamp_path = dir.join(format!("{}.stamp", generator.name()));
    let library = Library::in_dir(dir, generator.name());
    let outputs_exist = library.static_library.exists()
        && library.function_info.exists()
        && dir.join(format!("{}.rs", generator.name())).exists();
    if outputs_exist && std::fs::read_to_string(&stamp_path).ok().as_deref() == Some(&stamp) {
        // The library is current; the wrapper is cheap to emit again, and
        // follows changes to halide-build itself.
        library.write_wrapper()?;
        return Ok(false);
    }
    generator.compile(dir, target)?;
    std::fs::write(&stamp_path, stamp)?;
    Ok(true)
}

/// The strings of a manifest array, e.g. `rust-generators`.
fn strings(value: &Value) -> impl Iterator<Item = &str> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

fn cargo_metadata(root: &Path) -> Result<Value> {
    let out = crate::cargo(&["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(root)
        .output()?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// Every declared generator program; Rust ones are built first.
fn programs(
    root: &Path,
    metadata: &Value,
    target_dir: &Path,
    require_python: bool,
) -> Result<Vec<Program>> {
    let mut programs = Vec::new();
    // Probed once, and only if some package declares Python generators.
    let mut python_package = None;
    for package in metadata["packages"].as_array().into_iter().flatten() {
        let halide = &package["metadata"]["halide"];
        if halide.is_null() {
            continue;
        }
        let name = package["name"].as_str().unwrap_or_default();
        let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap_or_default());
        let package_dir = manifest.parent().unwrap_or(root);
        let bins: Vec<&str> = strings(&halide["rust-generators"]).collect();
        if !bins.is_empty() {
            let mut command = crate::cargo(&["build", "--quiet", "-p", name]);
            command.current_dir(root);
            for bin in &bins {
                command.args(["--bin", bin]);
            }
            println!("building the Rust generators of {name}");
            if !command.status()?.success() {
                return Err(format!("building the generators of {name} failed").into());
            }
            for bin in bins {
                programs.push(Program {
                    label: format!("{name}: {bin}"),
                    program: GeneratorProgram::executable(
                        target_dir
                            .join("debug")
                            .join(format!("{bin}{}", std::env::consts::EXE_SUFFIX)),
                    ),
                });
            }
        }
        for file in strings(&halide["cpp-generators"]) {
            let exe_dir = target_dir.join("halide").join("generators").join(name);
            programs.push(Program {
                label: format!("{name}: {file}"),
                program: cpp_program(&package_dir.join(file), &exe_dir)?,
            });
        }
        for file in strings(&halide["python-generators"]) {
            match python_package.get_or_insert_with(python::probe) {
                Err(e) if require_python => return Err(format!("{file} of {name}: {e}").into()),
                Err(e) => {
                    println!("skipping {file} of {name}: {e}");
                    continue;
                }
                Ok(_) => {}
            }
            programs.push(Program {
                label: format!("{name}: {file}"),
                program: GeneratorProgram::python(package_dir.join(file)),
            });
        }
    }
    Ok(programs)
}

/// The generator executable of a C++ file, compiled into `exe_dir` unless
/// the one there was compiled from the same file, headers beside it,
/// compiler and Halide.
fn cpp_program(source: &Path, exe_dir: &Path) -> Result<GeneratorProgram> {
    let stem = source
        .file_stem()
        .ok_or_else(|| format!("{}: not a file", source.display()))?;
    let exe = exe_dir.join(stem);
    let (include, lib) = (
        halide_sys::paths::include_dir(),
        halide_sys::paths::lib_dir(),
    );
    let mut hash = Sha256::new();
    let compiler = std::env::var("CXX").unwrap_or_default();
    for part in [
        &compiler,
        &include.display().to_string(),
        &lib.display().to_string(),
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    let dir = source.parent().unwrap_or(Path::new("."));
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| ["h", "hpp"].iter().any(|h| e == *h))
        })
        .collect();
    inputs.sort();
    inputs.insert(0, source.to_owned());
    for input in &inputs {
        hash.update(std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?);
    }
    let stamp = format!("{:x}\n", hash.finalize());
    let stamp_path = exe.with_extension("stamp");
    if exe.exists() && std::fs::read_to_string(&stamp_path).ok().as_deref() == Some(&stamp) {
        return Ok(GeneratorProgram::cpp(exe));
    }
    println!("compiling the C++ generators of {}", source.display());
    let program = GeneratorProgram::compile_cpp(&[source], &exe, &include, &lib)?;
    std::fs::write(&stamp_path, stamp)?;
    Ok(program)
}

//! Builds this crate's pipelines ahead of time, the ways a user can: a
//! pipeline defined right here, Rust generators compiled in-process, a C++
//! generator compiled against the Halide halide-sys found, and a Python
//! generator file run by the interpreter.

use halide::Target;
use halide_build::{Build, GeneratorProgram};
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let mut build = Build::new()?;
    let target: Target = build.target().parse()?;
    let out = build.out_dir().to_owned();

    // Lesson 10's pipeline, defined as a plain Func.
    let (brighter, input, offset) = halide_test_generators::brighter()?;
    let lesson_10 = brighter
        .aot("lesson_10")?
        .inputs(&[&input, &offset])
        .target(&target)
        .compile_library(&out)?;
    build.library(lesson_10);

    // The same pipeline as one library for two targets: the build target's
    // features where the machine has them, its bare architecture and OS
    // elsewhere.
    let baseline: Target = target
        .to_string()
        .split('-')
        .take(3)
        .collect::<Vec<_>>()
        .join("-")
        .parse()?;
    let (brighter, input, offset) = halide_test_generators::brighter()?;
    let multitarget = brighter
        .aot("lesson_10_multitarget")?
        .inputs(&[&input, &offset])
        .targets(&[target.clone(), baseline])
        .compile_library(&out)?;
    build.library(multitarget);

    // An intermediate of 2^20 x 2^20 i32 (4 TiB) for one value: its
    // allocation fails at run time (tests/aot.rs).
    let [x, y] = halide::Var::many(["x", "y"]);
    let mut huge = halide::Func::new("huge");
    huge.define([&x, &y], &x + &y)?;
    huge.compute_root()?;
    let mut corner = halide::Func::new("corner");
    corner.define([&x], huge.at((&x * (1 << 20), &x * (1 << 20))))?;
    let huge_target = target.with_feature("large_buffers")?;
    let library = corner.aot("huge_intermediate")?.target(&huge_target);
    build.library(library.compile_library(&out)?);

    for generator in halide_test_generators::ALL {
        build.library(halide::generator::compile_library(
            *generator,
            &[],
            &target,
            &out,
        )?);
    }

    let cpp = GeneratorProgram::compile_cpp(
        &["../generators/cpp/scale_bias.cpp".as_ref()],
        &out.join("cpp_generators"),
        &halide_sys::paths::include_dir(),
        &halide_sys::paths::lib_dir(),
    )?;
    build.generator(&cpp.generator("scale_bias").param("bias", 0.25))?;

    let python_file = "../generators/python/pipelines.py";
    match halide_build::python::probe() {
        Ok(_) => {
            println!("cargo::rustc-cfg=python_generators");
            let program = GeneratorProgram::python(python_file);
            build.generator(&program.generator("add").param("offset", 7))?;
            build.generator(&program.generator("demosaic"))?;
            build.generator(
                &program
                    .generator("add")
                    .function_name("add_traced")
                    .param("offset", 7)
                    .features("trace_stores"),
            )?;
        }
        Err(e) if std::env::var_os("HALIDE_REQUIRE_PYTHON").is_some() => {
            return Err(format!("HALIDE_REQUIRE_PYTHON is set: {e}").into());
        }
        Err(e) => println!("cargo::warning=the Python generators are skipped: {e}"),
    }
    println!("cargo::rustc-check-cfg=cfg(python_generators)");
    println!("cargo::rerun-if-env-changed=HALIDE_REQUIRE_PYTHON");
    println!("cargo::rerun-if-env-changed=HALIDE_PYTHON");

    // A pipeline with an extern stage written in Rust: src/lib.rs defines
    // `downstream_tripled` with halide_runtime::extern_stage!.
    let x = halide::Var::new("x");
    let input = halide::ImageParam::new::<i32>(1, "input");
    let mut plus_one = halide::Func::new("plus_one");
    plus_one.define([&x], input.at([&x]) + 1)?;
    plus_one.compute_root()?;
    let mut tripled = halide::Func::new("tripled");
    tripled.define_extern_c::<i32>(
        "downstream_tripled",
        &[halide::extern_stage::ExternInput::from(&plus_one)],
        1,
        halide::extern_stage::NameMangling::C,
    )?;
    tripled.compute_root()?;
    let mut doubled = halide::Func::new("with_rust_stage");
    doubled.define([&x], tripled.at([&x]) * 2)?;
    let library = doubled
        .aot("with_rust_stage")?
        .inputs(&[&input])
        .target(&target)
        .compile_library(&out)?;
    build.library(library);

    // A GPU pipeline for each device API CI has (software devices there),
    // and one runtime for every library, with those APIs' device support
    // (WebGPU's through halide-wgpu, which src/lib.rs links).
    let mut runtime_target = target.clone();
    for api in ["opencl", "vulkan", "webgpu"] {
        let (gpu, input, scale) = halide_test_generators::gpu_scaled()?;
        let library = gpu
            .aot(&format!("gpu_scaled_{api}"))?
            .inputs(&[&input, &scale])
            .target(&target.with_feature(api)?)
            .compile_library(&out)?;
        build.library(library);
        runtime_target = runtime_target.with_feature(api)?;
    }
    build.runtime(halide::aot::compile_runtime(
        &out,
        "halide_runtime",
        &runtime_target,
    )?);
    build.finish()?;

    // The benchmark's C caller of the same library (linked before it, as
    // it calls into it).
    cc::Build::new()
        .file("c/call_from_c.c")
        .compile("call_from_c");
    println!("cargo::rerun-if-changed=c/call_from_c.c");
    Ok(())
}

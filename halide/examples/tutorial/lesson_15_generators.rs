//! Halide tutorial lesson 15: generators.
//!
//! A generator packages a pipeline with its inputs, outputs and
//! compile-time parameters, so one command line compiles it for any target
//! with any parameters. Here two generators are run the way a build would
//! run them (the arguments of the C++ lesson's shell script, passed to
//! `halide::generator::run`), and their results are checked through the
//! JIT for several parameter values.

use halide::generator::{Generator, GeneratorContext, Signature, compile_jit, run};
use halide::math::{f32, u8_sat};
use halide::prelude::*;

/// The simplest generator: brightens an image by a scalar input.
struct MyFirstGenerator;

impl Generator for MyFirstGenerator {
    fn name(&self) -> &str {
        "my_first_generator"
    }

    fn generate(&self, _: &mut GeneratorContext) -> halide::Result<Signature> {
        let (x, y) = (Var::new("x"), Var::new("y"));
        let offset = Param::<u8>::new("offset");
        let input = ImageParam::new::<u8>(2, "input");
        let mut brighter = Func::new("brighter");
        brighter.define([&x, &y], input.at([&x, &y]) + &offset)?;
        brighter.vectorize(&x, 16)?.parallel(&y)?;
        Signature::new()
            .input(offset)
            .input(input)
            .output::<u8>(brighter, 2)
    }
}

/// Generator parameters: whether to parallelize, a scale, and a rotation.
struct MySecondGenerator;

impl Generator for MySecondGenerator {
    fn name(&self) -> &str {
        "my_second_generator"
    }

    fn generate(&self, g: &mut GeneratorContext) -> halide::Result<Signature> {
        let parallel: bool = g.param("parallel", true)?;
        let scale: f32 = g.param("scale", 1.0)?;
        let rotation: String = g.param("rotation", "none".to_owned())?;
        let (x, y) = (Var::new("x"), Var::new("y"));
        let offset = Param::<u8>::new("offset");
        let input = ImageParam::new::<u8>(2, "input");
        let mut brighter = Func::new("brighter");
        brighter.define([&x, &y], f32(input.at([&x, &y])) * scale)?;
        let mut rotated = Func::new("rotated");
        let value = match rotation.as_str() {
            "none" => brighter.at([&x, &y]),
            "cw" => brighter.at([(&y).into(), 111 - &x]),
            "ccw" => brighter.at([111 - &y, (&x).into()]),
            other => {
                return Err(halide::Error::invalid(format!(
                    "rotation must be none, cw or ccw, not {other}"
                )));
            }
        };
        rotated.define([&x, &y], value)?;
        let mut output = Func::new("output");
        output.define([&x, &y], u8_sat(rotated.at([&x, &y]) + f32(&offset)))?;
        output.vectorize(&x, 16)?;
        if parallel {
            output.parallel(&y)?;
        }
        if rotation != "none" {
            brighter.compute_at(&output, &y)?;
        }
        Signature::new()
            .input(offset)
            .input(input)
            .output::<u8>(output, 2)
    }
}

fn main() -> halide::Result<()> {
    let generators: &[&dyn Generator] = &[&MyFirstGenerator, &MySecondGenerator];
    let dir = std::env::temp_dir().join(format!("halide-lesson-15-{}", std::process::id()));
    let o = dir.display().to_string();
    let cli = |args: &str| run(generators, args.split_whitespace().map(str::to_owned));

    assert_eq!(cli("--list")?, "my_first_generator\nmy_second_generator");
    // The host, and 32-bit Windows under another function name.
    cli(&format!("-g my_first_generator -o {o} target=host"))?;
    cli(&format!(
        "-g my_first_generator -f my_first_generator_win32 -o {o} target=x86-32-windows"
    ))?;
    // Generator parameters on the command line, and other output kinds.
    cli(&format!(
        "-g my_second_generator -f my_second_generator_1 -o {o} -e static_library,c_header,stmt,assembly target=host"
    ))?;
    cli(&format!(
        "-g my_second_generator -f my_second_generator_2 -o {o} target=host scale=3.0 rotation=ccw parallel=false"
    ))?;
    for file in [
        "my_first_generator.a",
        "my_first_generator.h",
        "my_first_generator_win32.lib",
        "my_second_generator_1.stmt",
        "my_second_generator_1.s",
        "my_second_generator_2.a",
    ] {
        assert!(dir.join(file).exists(), "{file} was not written");
    }
    let stmt = std::fs::read_to_string(dir.join("my_second_generator_1.stmt")).expect("stmt");
    assert!(stmt.contains("parallel"), "parallel=true by default");
    // Mistakes are errors, not crashes.
    assert!(cli(&format!("-g my_second_generator -o {o} rotation=sideways")).is_err());
    assert!(cli(&format!("-g my_second_generator -o {o} colour=blue")).is_err());
    assert!(cli(&format!("-g no_such_generator -o {o}")).is_err());

    // The same generators through the JIT, checked against plain Rust.
    let host = Target::host()?;
    let image = Buffer::<u8>::from_fn(&[112, 112], |p| (p[0] + 2 * p[1]) as u8)?;
    let mut out = Buffer::<u8>::new(&[112, 112])?;
    compile_jit(&MyFirstGenerator, &[], &host)?.call(halide::args![5u8, &image, &mut out])?;
    assert_eq!(out.get(&[10, 3]), Some(10 + 6 + 5));
    let second = compile_jit(
        &MySecondGenerator,
        &[("scale", "2.0"), ("rotation", "cw")],
        &host,
    )?;
    second.call(halide::args![1u8, &image, &mut out])?;
    for (x, y) in [(0, 0), (7, 30), (111, 111)] {
        let rotated = image.get(&[y, 111 - x]).unwrap();
        let expected = (f32::from(rotated) * 2.0 + 1.0).min(255.0) as u8;
        assert_eq!(out.get(&[x, y]), Some(expected), "at ({x}, {y})");
    }
    std::fs::remove_dir_all(&dir).ok();
    println!("Success!");
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

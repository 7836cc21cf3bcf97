//! An ahead-of-time pipeline, defined and compiled in the build script.

use halide::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut build = halide_build::Build::new()?;
    let target: Target = build.target().parse()?;
    let x = Var::new("x");
    let input = ImageParam::new::<u8>(1, "input");
    let mut brighter = Func::new("brighter");
    brighter.define([&x], min(input.at([&x]).cast::<u16>() + 10, 255).cast::<u8>())?;
    let library = brighter
        .aot("brighter")?
        .inputs(&[&input])
        .target(&target)
        .compile_library(build.out_dir())?;
    build.library(library);
    build.runtime(halide::aot::compile_runtime(build.out_dir(), "halide_runtime", &target)?);
    build.finish()?;
    Ok(())
}

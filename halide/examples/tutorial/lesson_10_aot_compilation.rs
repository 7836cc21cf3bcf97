//! Halide tutorial lesson 10: ahead-of-time compilation.
//!
//! Part one compiles a pipeline to a static library and a C header instead
//! of running it. Part two is the program that uses them: a small C
//! program, written and built here with the system C compiler, calls the
//! library; its output must equal the JIT's bit for bit. (Rust programs
//! call such libraries through the wrappers `halide-build` emits; see the
//! downstream crate in `tests/downstream`.)

use halide::aot::OutputKind;
use halide::math::{u8_sat, u16};
use halide::prelude::*;
use std::path::Path;
use std::process::Command;

const WIDTH: i32 = 640;
const HEIGHT: i32 = 480;

/// The start of the C program of part two: Halide's runtime header defines
/// `halide_buffer_t`, the generated one declares the pipeline.
const HARNESS: &str = r#"
#include <stdio.h>
#include <stdint.h>
#include "HalideRuntime.h"
#include "brighter.h"
"#;

fn main() -> halide::Result<()> {
    // Part one: the pipeline, with a scalar and a buffer input.
    let (x, y) = (Var::new("x"), Var::new("y"));
    let input = ImageParam::new::<u8>(2, "input");
    let offset = Param::<u8>::new("offset");
    let mut brighter = Func::new("brighter");
    brighter.define([&x, &y], u8_sat(u16(input.at([&x, &y])) + u16(&offset)))?;
    brighter.vectorize(&x, 16)?.parallel(&y)?;

    let dir = std::env::temp_dir().join(format!("halide-lesson-10-{}", std::process::id()));
    let files = brighter
        .aot("brighter")?
        .inputs(&[&input, &offset])
        .outputs(&[OutputKind::StaticLibrary, OutputKind::CHeader])
        .compile(&dir)?;
    let header = std::fs::read_to_string(&files[&OutputKind::CHeader]).expect("the header");
    assert!(header.contains(
        "int brighter(struct halide_buffer_t *_input_buffer, uint8_t _offset, struct halide_buffer_t *_brighter_buffer);"
    ));
    println!(
        "wrote {}",
        files
            .values()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );

    // Part two: call the library from C, where a C compiler is present.
    let Some(aot) = run_from_c(&dir) else {
        println!("no C compiler (cc): part two skipped");
        return Ok(());
    };
    let image = Buffer::<u8>::from_fn(&[WIDTH, HEIGHT], |p| (p[0] ^ p[1]) as u8)?;
    let jit: Buffer<u8> = {
        offset.set(1)?;
        brighter.realize_with(&[WIDTH, HEIGHT], &[input.bind(&image)])?
    };
    assert_eq!(aot.len(), jit.as_slice().len());
    assert!(aot == jit.as_slice(), "the AOT and JIT outputs differ");
    println!("Success! The C program's output equals the JIT's.");
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}

/// Builds and runs the C program against the library in `dir`; `None`
/// without a C compiler.
fn run_from_c(dir: &Path) -> Option<Vec<u8>> {
    let source = format!(
        "{HARNESS}
int main(void) {{
    static uint8_t in[{HEIGHT}][{WIDTH}], out[{HEIGHT}][{WIDTH}];
    for (int y = 0; y < {HEIGHT}; y++)
        for (int x = 0; x < {WIDTH}; x++) in[y][x] = (uint8_t)(x ^ y);
    halide_dimension_t dims[2] = {{{{0, {WIDTH}, 1, 0}}, {{0, {HEIGHT}, {WIDTH}, 0}}}};
    halide_buffer_t input = {{0, NULL, &in[0][0], 0, {{halide_type_uint, 8, 1}}, 2, dims, NULL}};
    halide_buffer_t output = {{0, NULL, &out[0][0], 0, {{halide_type_uint, 8, 1}}, 2, dims, NULL}};
    int error = brighter(&input, 1, &output);
    if (error) return 1;
    fwrite(out, 1, sizeof out, stdout);
    return 0;
}}
"
    );
    let c_file = dir.join("run.c");
    std::fs::write(&c_file, source).expect("writing the C program");
    let exe = dir.join("lesson_10_run");
    let built = Command::new("cc")
        .arg(&c_file)
        .arg(dir.join("brighter.a"))
        .arg("-I")
        .arg(dir)
        .arg("-I")
        .arg(halide_sys::paths::include_dir())
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(&exe)
        .status()
        .ok()?;
    assert!(built.success(), "the C program did not build");
    let run = Command::new(&exe).output().expect("running the C program");
    assert!(run.status.success(), "the C program failed");
    Some(run.stdout)
}

#[test]
fn lesson() {
    main().unwrap();
}

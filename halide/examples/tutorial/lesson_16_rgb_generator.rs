//! Halide tutorial lesson 16: RGB images and memory layouts.
//!
//! A generator that brightens an RGB image, compiled for three layouts of
//! its input: planar (each channel a plane: the x stride is 1),
//! interleaved (RGBRGB...: the channel stride is 1, the x stride 3), or
//! either, with no assumption. Constraining the strides lets Halide
//! vectorize for the layout; a buffer of the other layout is then refused
//! with an error instead of read wrongly. The results are checked on real
//! planar and interleaved buffers.

use halide::generator::{Generator, GeneratorContext, Signature, compile_jit, run};
use halide::math::{u8_sat, u16};
use halide::prelude::*;
use halide::{Dim, args};

struct Brighten;

impl Generator for Brighten {
    fn name(&self) -> &str {
        "brighten"
    }

    fn generate(&self, g: &mut GeneratorContext) -> halide::Result<Signature> {
        let layout: String = g.param("layout", "planar".to_owned())?;
        let (x, y, c) = (Var::new("x"), Var::new("y"), Var::new("c"));
        let input = ImageParam::new::<u8>(3, "input");
        let offset = Param::<u8>::new("offset");
        let mut brighter = Func::new("brighter");
        brighter.define(
            [&x, &y, &c],
            u8_sat(u16(input.at([&x, &y, &c])) + u16(&offset)),
        )?;
        match layout.as_str() {
            "planar" => {
                brighter.vectorize(&x, 16)?;
            }
            "interleaved" => {
                input.dim(0).set_stride(3)?;
                input.dim(2).set_stride(1)?;
                input.dim(2).set_extent(3)?;
                brighter.bound(&c, 0, 3)?;
                brighter
                    .reorder(&[&c, &x, &y])?
                    .unroll(&c, 3)?
                    .vectorize(&x, 16)?;
            }
            "either" => {
                input.dim(0).allow_any_stride()?;
                brighter.vectorize(&x, 16)?;
            }
            other => {
                return Err(halide::Error::invalid(format!(
                    "layout must be planar, interleaved or either, not {other}"
                )));
            }
        }
        Signature::new()
            .input(input)
            .input(offset)
            .output::<u8>(brighter, 3)
    }
}

fn main() -> halide::Result<()> {
    let (w, h) = (64, 48);
    let value = |x: i32, y: i32, c: i32| ((x * 7 + y * 3 + c * 90) % 256) as u8;
    let planar = Buffer::<u8>::from_fn(&[w, h, 3], |p| value(p[0], p[1], p[2]))?;
    let mut interleaved_data = vec![0u8; (w * h * 3) as usize];
    for y in 0..h {
        for x in 0..w {
            for c in 0..3 {
                interleaved_data[((y * w + x) * 3 + c) as usize] = value(x, y, c);
            }
        }
    }
    let interleaved_dims = [Dim::new(0, w, 3), Dim::new(0, h, 3 * w), Dim::new(0, 3, 1)];
    let interleaved = BufferRef::with_dims(&interleaved_data, &interleaved_dims, 0)?;

    let host = Target::host()?;
    for layout in ["planar", "interleaved", "either"] {
        let pipeline = compile_jit(&Brighten, &[("layout", layout)], &host)?;
        for (name, input) in [("planar", &planar.view()), ("interleaved", &interleaved)] {
            let mut out = Buffer::<u8>::new(&[w, h, 3])?;
            let result = pipeline.call(args![input, 200u8, &mut out]);
            let fits = layout == "either" || layout == name;
            assert_eq!(
                result.is_ok(),
                fits,
                "{layout} pipeline, {name} input: {result:?}"
            );
            if fits {
                for (x, y, c) in [(0, 0, 0), (13, 7, 1), (63, 47, 2)] {
                    let expected = value(x, y, c).saturating_add(200);
                    assert_eq!(out.get(&[x, y, c]), Some(expected));
                }
                println!("{layout} pipeline, {name} input: correct");
            } else {
                println!(
                    "{layout} pipeline, {name} input: refused ({})",
                    result.unwrap_err()
                );
            }
        }
    }

    // Each layout as a library, the way a build compiles them.
    let dir = std::env::temp_dir().join(format!("halide-lesson-16-{}", std::process::id()));
    for layout in ["planar", "interleaved", "either"] {
        let out = run(
            &[&Brighten],
            [
                "-g".into(),
                "brighten".into(),
                "-f".into(),
                format!("brighten_{layout}"),
                "-o".into(),
                dir.display().to_string(),
                format!("layout={layout}"),
            ],
        )?;
        println!("{out}");
        assert!(dir.join(format!("brighten_{layout}.a")).exists());
    }
    std::fs::remove_dir_all(&dir).ok();
    println!("Success!");
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

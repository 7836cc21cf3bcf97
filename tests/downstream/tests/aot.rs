//! The AOT pipelines as a user calls them: results equal to the JIT's bit
//! for bit, a binary without libHalide, bad calls that return `Err`, and
//! the Python generators with tracing.

use halide::generator::compile_jit;
use halide::{Target, args};
use halide_downstream::{HEIGHT, WIDTH, blur, brighten, lesson_10, test_image, with_rust_stage};
use halide_runtime::{Buffer, ErrorCode};
use halide_test_generators::{Blur, Brighten};
use std::process::Command;

fn jit_outputs() -> Vec<(&'static str, Vec<u8>)> {
    let host = Target::host().unwrap();
    let image8 = test_image::<u8>(0xff);
    let image16 = test_image::<u16>(0xfff);

    let (brighter, input, offset) = halide_test_generators::brighter().unwrap();
    let lesson = halide::Pipeline::new(&[&brighter])
        .unwrap()
        .compile_with_inputs(&host, &[&input, &offset])
        .unwrap();
    let mut a = Buffer::<u8>::new(&[WIDTH, HEIGHT]).unwrap();
    lesson.call(args![&image8, 20u8, &mut a]).unwrap();

    let mut b = Buffer::<u8>::new(&[WIDTH, HEIGHT]).unwrap();
    compile_jit(&Brighten, &[], &host)
        .unwrap()
        .call(args![&image8, 33u8, &mut b])
        .unwrap();

    let mut c = Buffer::<u16>::new(&[WIDTH, HEIGHT]).unwrap();
    compile_jit(&Blur, &[], &host)
        .unwrap()
        .call(args![&image16, &mut c])
        .unwrap();
    let c = c.as_slice().iter().flat_map(|v| v.to_le_bytes()).collect();
    vec![
        ("lesson_10", a.as_slice().to_vec()),
        ("brighten", b.as_slice().to_vec()),
        ("blur", c),
    ]
}

#[test]
fn the_binary_matches_the_jit_bit_for_bit() {
    let dir = std::env::temp_dir().join(format!("halide-downstream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_halide-downstream"))
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    for (name, expected) in jit_outputs() {
        let aot = std::fs::read(dir.join(format!("{name}.bin"))).unwrap();
        assert_eq!(aot.len(), expected.len(), "{name}");
        assert!(aot == expected, "{name}: AOT and JIT results differ");
        assert!(expected.iter().any(|&v| v != 0), "{name}: all zero");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The shared libraries the loader maps for `binary`, those needed by its
/// dependencies included: JIT code reaches libHalide through halide-sys's
/// shim, not directly.
fn loaded_libraries(binary: &std::path::Path) -> String {
    let out = Command::new("ldd").arg(binary).output().expect("ldd");
    assert!(out.status.success(), "ldd {}", binary.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_binary_does_not_depend_on_libhalide() {
    let deps = loaded_libraries(env!("CARGO_BIN_EXE_halide-downstream").as_ref());
    assert!(deps.contains("libc.so"), "no dependency list read: {deps}");
    assert!(!deps.contains("libHalide"), "{deps}");
    assert!(!deps.contains("halide_shim"), "{deps}");
    // The test binary itself loads libHalide (for the JIT), so the check
    // would fail on it: it looks at the right file.
    let this = loaded_libraries(&std::env::current_exe().unwrap());
    assert!(this.contains("libHalide"), "{this}");
}

#[test]
fn wrong_dimensions_are_an_error_with_halides_message() {
    let input = Buffer::<u8>::new(&[8, 8, 3]).unwrap();
    let mut out = Buffer::<u8>::new(&[8, 8]).unwrap();
    let e = brighten::run(&input, 1, &mut out).unwrap_err();
    assert_eq!(e.code(), ErrorCode::BadDimensions);
    assert!(
        e.message()
            .unwrap()
            .contains("requires a buffer of exactly 2 dimensions"),
        "{e}"
    );
}

#[test]
fn an_input_too_small_is_an_error_and_the_next_call_works() {
    let input = Buffer::<u8>::new(&[32, 8]).unwrap();
    let mut out = Buffer::<u8>::new(&[48, 8]).unwrap();
    let e = lesson_10::run(&input, 1, &mut out).unwrap_err();
    assert_eq!(e.code(), ErrorCode::AccessOutOfBounds);
    assert!(
        e.message()
            .unwrap()
            .contains("Input buffer input is accessed at 47"),
        "{e}"
    );

    let mut out = Buffer::<u8>::new(&[32, 8]).unwrap();
    lesson_10::run(&input, 5, &mut out).unwrap();
    assert!(out.as_slice().iter().all(|&v| v == 5));
}

#[test]
fn thirty_two_threads_call_one_pipeline() {
    std::thread::scope(|s| {
        for offset in 0..32u8 {
            s.spawn(move || {
                let input = test_image::<u8>(0x7f);
                let mut out = Buffer::<u8>::new(&[WIDTH, HEIGHT]).unwrap();
                for _ in 0..25 {
                    brighten::run(&input, offset, &mut out).unwrap();
                    let bad = Buffer::<u8>::new(&[1, 1]).unwrap();
                    assert!(brighten::run(&bad, offset, &mut out).is_err());
                }
                let expected: Vec<u8> = input.as_slice().iter().map(|v| v + offset).collect();
                assert_eq!(out.as_slice(), &expected[..]);
            });
        }
    });
}

#[test]
fn metadata_describes_the_library() {
    let m = blur::metadata();
    assert_eq!(m.name, "blur");
    assert!(m.target.contains("no_runtime"), "{}", m.target);
    let names: Vec<_> = m.arguments.iter().map(|a| a.name.to_string()).collect();
    assert_eq!(names, ["input", "blur"]);
    assert_eq!(blur::ARGUMENTS.len(), 2);
    assert_eq!(
        blur::ARGUMENTS[0].to_string(),
        "input: input buffer of uint16 x2"
    );
}

#[test]
fn a_multitarget_library_holds_each_target_and_computes_the_same() {
    use halide_downstream::lesson_10_multitarget;
    let input = test_image::<u8>(0xff);
    let mut single = Buffer::<u8>::new(&[WIDTH, HEIGHT]).unwrap();
    let mut multi = Buffer::<u8>::new(&[WIDTH, HEIGHT]).unwrap();
    lesson_10::run(&input, 20, &mut single).unwrap();
    lesson_10_multitarget::run(&input, 20, &mut multi).unwrap();
    assert_eq!(single.as_slice(), multi.as_slice());
    // One object per target, and the dispatcher that picks among them.
    let archive = concat!(env!("OUT_DIR"), "/lesson_10_multitarget.a");
    let out = Command::new("ar").args(["t", archive]).output().unwrap();
    let members = String::from_utf8_lossy(&out.stdout);
    let host = lesson_10::metadata().target;
    let baseline: Vec<&str> = host.split('-').take(3).collect();
    let baseline = format!("-{}-no_runtime-user_context.o", baseline.join("-"));
    let objects = members.lines().filter(|m| m.contains("-no_runtime"));
    assert_eq!(objects.count(), 2, "{members}");
    assert!(members.lines().any(|m| m.ends_with(&baseline)), "{members}");
}

#[test]
fn a_cpp_generator_is_called_through_its_wrapper() {
    use halide_downstream::scale_bias;
    let input = test_image::<u16>(0xfff);
    let mut out = Buffer::<f32>::new(&[WIDTH, HEIGHT]).unwrap();
    scale_bias::run(&input, 1.5, &mut out).unwrap();
    for (i, o) in input.as_slice().iter().zip(out.as_slice()) {
        // The build script set the generator parameter bias=0.25.
        assert_eq!(*o, f32::from(*i) * 1.5 + 0.25);
    }
    let names: Vec<_> = scale_bias::ARGUMENTS
        .iter()
        .map(|a| a.to_string())
        .collect();
    assert_eq!(
        names,
        [
            "input: input buffer of uint16 x2",
            "gain: float32",
            "output: output buffer of float32 x2"
        ]
    );
    // The element type is checked when the call compiles; the dimensions
    // when it runs.
    let flat = Buffer::<u16>::new(&[WIDTH * HEIGHT]).unwrap();
    let err = scale_bias::run(&flat, 1.0, &mut out).unwrap_err();
    assert_eq!(err.code(), ErrorCode::BadDimensions, "{err}");
}

#[cfg(python_generators)]
mod python {
    use super::*;
    use halide_downstream::{add, add_traced, demosaic};
    use halide_runtime::{HalideBuffer, Handlers, TraceEventKind};
    use std::sync::{Arc, Mutex};

    #[test]
    fn add_saturates() {
        let input = test_image::<u8>(0xff);
        let mut out = Buffer::<u8>::new(&[WIDTH, HEIGHT]).unwrap();
        add::run(&input, &mut out).unwrap();
        for (i, o) in input.as_slice().iter().zip(out.as_slice()) {
            assert_eq!(*o, i.saturating_add(7));
        }
    }

    /// A plain-Rust bilinear demosaic of an RGGB mosaic, edges repeated.
    fn demosaic_reference(raw: &Buffer<u16>, x: i32, y: i32, c: i32) -> u16 {
        let v = |dx: i32, dy: i32| {
            let px = (x + dx).clamp(0, WIDTH - 1);
            let py = (y + dy).clamp(0, HEIGHT - 1);
            i32::from(raw.get(&[px, py]).unwrap())
        };
        let cross = (v(-1, 0) + v(1, 0) + v(0, -1) + v(0, 1) + 2) / 4;
        let diagonal = (v(-1, -1) + v(1, -1) + v(-1, 1) + v(1, 1) + 2) / 4;
        let across = (v(-1, 0) + v(1, 0) + 1) / 2;
        let down = (v(0, -1) + v(0, 1) + 1) / 2;
        let (even_x, even_y) = (x % 2 == 0, y % 2 == 0);
        let value = match (c, even_x, even_y) {
            (0, true, true) | (1, false, true) | (1, true, false) | (2, false, false) => v(0, 0),
            (0, false, false) | (2, true, true) => diagonal,
            (0, false, true) | (2, true, false) => across,
            (0, true, false) | (2, false, true) => down,
            _ => cross,
        };
        value as u16
    }

    #[test]
    fn demosaic_matches_a_plain_rust_reference() {
        let raw = test_image::<u16>(0x3ff);
        let mut rgb = Buffer::<u16>::new(&[WIDTH, HEIGHT, 3]).unwrap();
        demosaic::run(&raw, &mut rgb).unwrap();
        for c in 0..3 {
            for y in 0..HEIGHT {
                for x in 0..WIDTH {
                    let expected = demosaic_reference(&raw, x, y, c);
                    assert_eq!(rgb.get(&[x, y, c]), Some(expected), "({x}, {y}, {c})");
                }
            }
        }
    }

    #[test]
    fn trace_stores_reach_the_handler() {
        let input = test_image::<u8>(0xff);
        let mut out = Buffer::<u8>::new(&[WIDTH, HEIGHT]).unwrap();
        let stored = Arc::new(Mutex::new(vec![None; (WIDTH * HEIGHT) as usize]));
        let sink = stored.clone();
        let handlers = Handlers::new().on_trace(move |e| {
            if e.kind == Some(TraceEventKind::Store) {
                let lanes: Vec<u8> = e.lanes::<u8>().collect();
                let n = lanes.len();
                let mut stored = sink.lock().unwrap();
                for (lane, value) in lanes.iter().enumerate() {
                    let (x, y) = (e.coordinates[lane], e.coordinates[n + lane]);
                    stored[(y * WIDTH + x) as usize] = Some(*value);
                }
            }
        });
        add_traced::run_with(&handlers, &input, &mut out).unwrap();
        let stored = stored.lock().unwrap();
        for (i, value) in out.as_slice().iter().enumerate() {
            assert_eq!(stored[i], Some(*value), "element {i}");
        }
    }
}

/// An intermediate too large for memory (built with `large_buffers`): the
/// allocation fails inside the pipeline, an `Err`, and the next call of
/// another pipeline works.
#[test]
fn an_allocation_failure_is_an_error() {
    let mut out = Buffer::<i32>::new(&[2]).unwrap();
    let err = halide_downstream::huge_intermediate::run(&mut out).unwrap_err();
    assert_eq!(err.code(), ErrorCode::OutOfMemory, "{err}");
    let input = test_image::<u8>(0x7f);
    let mut out = Buffer::<u8>::new(&[WIDTH, HEIGHT]).unwrap();
    brighten::run(&input, 1, &mut out).unwrap();
}

#[test]
fn an_extern_stage_written_in_rust_runs_ahead_of_time() {
    let data: Vec<i32> = (0..10).collect();
    let input = halide_runtime::BufferRef::new(&data, &[10]).unwrap();
    let mut out = halide_runtime::Buffer::<i32>::new(&[10]).unwrap();
    with_rust_stage::run(&input, &mut out).unwrap();
    let expected: Vec<i32> = data.iter().map(|v| (v + 1) * 3 * 2).collect();
    assert_eq!(out.as_slice(), expected.as_slice());
    // The stage's Err fails the call with its message.
    let data = [1, 999, 3];
    let input = halide_runtime::BufferRef::new(&data, &[3]).unwrap();
    let mut out = halide_runtime::Buffer::<i32>::new(&[3]).unwrap();
    let e = with_rust_stage::run(&input, &mut out).unwrap_err();
    assert!(e.to_string().contains("refusing 1000"), "{e}");
}

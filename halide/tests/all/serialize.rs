//! Pipelines saved and loaded back: the same bits as the original, inputs
//! bound by name or of their own, and bytes that are not an intact saved
//! pipeline refused before Halide reads them.

use halide::prelude::*;
use halide::{Callable, args};

/// Two outputs over an image and a scalar, with a schedule: `out(x, y) =
/// input(x, y) * gain + x`, and `sum` over rows of it.
fn pipeline() -> Pipeline {
    let [x, y, xi] = Var::many(["x", "y", "xi"]);
    let input = ImageParam::new::<i32>(2, "input");
    let gain = Param::<i32>::new("gain");
    let mut scaled = Func::new("scaled");
    scaled
        .define([&x, &y], input.at((&x, &y)) * &gain + &x)
        .unwrap();
    scaled
        .split(&x, &x, &xi, 8)
        .unwrap()
        .vectorize_loop(&xi)
        .unwrap();
    let r = RDom::new("r", [(0, 16)]).unwrap();
    let mut sum = Func::new("row_sum");
    sum.define([&y], 0).unwrap();
    sum.update([&y], sum.at([&y]) + scaled.at((r.x(), &y)))
        .unwrap();
    Pipeline::new(&[&scaled, &sum]).unwrap()
}

fn run(callable: &Callable) -> (Buffer<i32>, Buffer<i32>) {
    let input = Buffer::<i32>::from_fn(&[16, 4], |c| c[0] * 3 - c[1] * 5).unwrap();
    let mut scaled = Buffer::<i32>::new(&[16, 4]).unwrap();
    let mut sum = Buffer::<i32>::new(&[4]).unwrap();
    callable
        .call(args![&input, 7, &mut scaled, &mut sum])
        .unwrap();
    (scaled, sum)
}

#[test]
fn a_loaded_pipeline_computes_the_same_bits() {
    let host = Target::host().unwrap();
    let original = pipeline();
    let (scaled, sum) = run(&original.compile(&host).unwrap());
    let bytes = original.serialize().unwrap();
    drop(original);

    // Bound to inputs of ours, by name.
    let input = ImageParam::new::<i32>(2, "input");
    let gain = Param::<i32>::new("gain");
    let loaded = Pipeline::deserialize(&bytes, &[&gain, &input]).unwrap();
    let (a, b) = run(&loaded.compile(&host).unwrap());
    assert_eq!(
        (a.as_slice(), b.as_slice()),
        (scaled.as_slice(), sum.as_slice())
    );

    // With inputs of its own, in the order a compiled pipeline lists them.
    let loaded = Pipeline::deserialize(&bytes, &[]).unwrap();
    let callable = loaded.compile(&host).unwrap();
    // Halide may have suffixed the Func names ($1) to keep them unique.
    let names: Vec<&str> = callable
        .arguments()
        .iter()
        .map(|a| a.name.split('$').next().unwrap_or_default())
        .collect();
    assert_eq!(names, ["input", "gain", "scaled", "row_sum"]);
    let (a, b) = run(&callable);
    assert_eq!(
        (a.as_slice(), b.as_slice()),
        (scaled.as_slice(), sum.as_slice())
    );

    // Saved again, it is the same pipeline.
    let again = Pipeline::deserialize(&loaded.serialize().unwrap(), &[]).unwrap();
    let (a, _) = run(&again.compile(&host).unwrap());
    assert_eq!(a.as_slice(), scaled.as_slice());
}

#[test]
fn damaged_or_foreign_bytes_are_refused() {
    let bytes = pipeline().serialize().unwrap();
    let mut flipped = bytes.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x40;
    let foreign: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for bad in [&bytes[..bytes.len() / 3], &flipped, &foreign, &[][..]] {
        let err = Pipeline::deserialize(bad, &[]).unwrap_err();
        assert_eq!(err.kind(), halide::ErrorKind::InvalidArgument, "{err}");
        assert!(err.message().contains("not a serialized pipeline"), "{err}");
    }
    // Still fine afterwards.
    assert!(Pipeline::deserialize(&bytes, &[]).is_ok());
}

/// Halide's own bytes (what C++ or Python writes to a `.hlpipe`) load
/// through the unchecked door: the envelope is 52 bytes before them.
#[test]
fn halide_s_own_format_loads_unchecked() {
    let bytes = pipeline().serialize().unwrap();
    // SAFETY: the payload is exactly what Halide's serializer wrote.
    let loaded = unsafe { Pipeline::deserialize_unchecked(&bytes[52..], &[]) }.unwrap();
    let (a, _) = run(&loaded.compile(&Target::host().unwrap()).unwrap());
    // input(2, 1) = 2 * 3 - 5 = 1; times the gain 7, plus x = 2.
    assert_eq!(a.get(&[2, 1]), Some(9));
}

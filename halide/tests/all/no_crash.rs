//! Calls that once killed the process from safe Rust (a segfault, an
//! illegal instruction, a stack overflow inside libHalide), each now an
//! `Err` naming the problem, with the process usable afterwards.

use halide::prelude::*;
use halide::{ErrorKind, MAX_UNROLL, MAX_VECTOR};

fn doubled() -> Func {
    let x = Var::new("x");
    let mut f = Func::new("doubled");
    f.define([&x], &x * 2).unwrap();
    f
}

/// A JIT compile and call that works, after whatever came before.
fn jit_still_works() {
    let out = doubled().realize::<i32>(&[3]).unwrap();
    assert_eq!(out.as_slice(), &[0, 2, 4]);
}

#[track_caller]
fn refused(result: halide::Result<impl std::fmt::Debug>, phrase: &str) {
    let e = result.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert!(e.message().contains(phrase), "{e}");
    jit_still_works();
}

/// Was a segfault in `JITSharedRuntime::get`.
#[test]
fn jit_for_another_architecture() {
    let arm: Target = "arm-64-linux".parse().unwrap();
    refused(doubled().compile_jit(&arm), "this machine is");
    refused(
        Pipeline::new(&[&doubled()]).unwrap().compile(&arm),
        "arm-64-linux",
    );
}

/// Was an `Err`, after which every JIT in the process segfaulted.
#[test]
fn jit_for_another_os() {
    let other = if cfg!(windows) {
        "x86-64-linux"
    } else {
        "x86-64-windows"
    };
    let t: Target = other.parse().unwrap();
    refused(doubled().compile_jit(&t), "cannot JIT-compile");
    refused(doubled().compile_jit(&t), "cannot JIT-compile");
}

/// Was an illegal instruction: code for a CPU feature the host lacks.
#[test]
fn jit_with_a_feature_the_host_lacks() {
    let host = Target::host().unwrap();
    let missing = ["x86apx", "avx512_zen5", "avx10_1", "sve2"]
        .into_iter()
        .find(|f| !host.has_feature(f).unwrap());
    let Some(feature) = missing else {
        return; // a machine with all of them
    };
    let t = host.with_feature(feature).unwrap();
    refused(Pipeline::new(&[&doubled()]).unwrap().compile(&t), feature);
    // Ahead of time, any target is fine.
    let dir = std::env::temp_dir().join(format!("halide-no-crash-{}", std::process::id()));
    let f = doubled();
    f.aot("doubled")
        .unwrap()
        .target(&t)
        .compile_library(&dir)
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `unroll(x, 1 << 16)` overflowed the simplifier's stack.
#[test]
fn huge_unroll_and_vector_factors() {
    let x = Var::new("x");
    let mut f = doubled();
    refused(f.unroll(&x, 1 << 16).map(drop), "unroll by 65536");
    refused(f.vectorize(&x, 1 << 15).map(drop), "vectorize by 32768");
    // The limits themselves are accepted.
    f.unroll(&x, MAX_UNROLL as i32).unwrap();
    let mut g = doubled();
    g.vectorize(&x, MAX_VECTOR as i32).unwrap();
}

/// Mistakes this crate's shim catches before Halide sees them are
/// `InvalidArgument`, not "another C++ exception".
#[test]
fn shim_refusals_are_invalid_arguments() {
    let r = RDom::new("r", [(0, 4)]).unwrap();
    let mut undefined = Func::new("not_defined_yet");
    refused(undefined.update([r.x()], 1), "no pure definition");
    refused(
        doubled().update_stage(3).map(drop),
        "has no update definition 3",
    );
}

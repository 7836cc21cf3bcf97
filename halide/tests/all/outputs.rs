//! The files Halide writes ahead of time, beyond libraries: each kind
//! written and holding what it should.

use halide::aot::OutputKind;
use halide::prelude::*;

fn pipeline(name: &str) -> Func {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new(name);
    f.define([&x, &y], &x + &y * 2).unwrap();
    f
}

#[test]
fn every_kind_of_output_is_written() {
    let dir = std::env::temp_dir().join(format!("halide-outputs-{}", std::process::id()));
    let f = pipeline("outputs_cpu");
    let kinds = [
        OutputKind::ConceptualStmt,
        OutputKind::ConceptualStmtHtml,
        OutputKind::PythonExtension,
        OutputKind::PytorchWrapper,
        OutputKind::Stmt,
    ];
    let outputs = f
        .aot("outputs_cpu")
        .unwrap()
        .target(&Target::host().unwrap())
        .outputs(&kinds)
        .compile(&dir)
        .unwrap();
    let text = |k: OutputKind| {
        std::fs::read_to_string(&outputs[&k]).unwrap_or_else(|e| panic!("{k:?}: {e}"))
    };
    assert!(text(OutputKind::ConceptualStmt).contains("produce outputs_cpu"));
    assert!(text(OutputKind::ConceptualStmtHtml).contains("<html"));
    assert!(text(OutputKind::PythonExtension).contains("Python.h"));
    let torch = text(OutputKind::PytorchWrapper);
    assert!(
        torch.contains("at::Tensor") && torch.contains("outputs_cpu_th_"),
        "{torch}"
    );
    // The conceptual statement comes before lowering for the target: no
    // closure or buffer checks yet, unlike the statement.
    assert!(text(OutputKind::Stmt).len() > text(OutputKind::ConceptualStmt).len());

    // Device code for a GPU target: OpenCL C kernels, written without a GPU.
    let mut g = pipeline("outputs_gpu");
    let [x, y, bx, by, tx, ty] = Var::many(["x", "y", "bx", "by", "tx", "ty"]);
    g.gpu_tile(&[
        halide::GpuTile {
            var: &x,
            block: &bx,
            thread: &tx,
            size: 8,
        },
        halide::GpuTile {
            var: &y,
            block: &by,
            thread: &ty,
            size: 8,
        },
    ])
    .unwrap();
    let gpu = Target::host().unwrap().with_feature("opencl").unwrap();
    let outputs = g
        .aot("outputs_gpu")
        .unwrap()
        .target(&gpu)
        .outputs(&[OutputKind::DeviceCode])
        .compile(&dir)
        .unwrap();
    let code = std::fs::read_to_string(&outputs[&OutputKind::DeviceCode]).unwrap();
    assert!(code.contains("__kernel"), "{code}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The compiler's log (JSON) and the serialized pipeline, which loads back
/// and computes the same values.
#[test]
fn the_compiler_log_and_the_serialized_pipeline_are_written() {
    let dir = std::env::temp_dir().join(format!("halide-outputs-log-{}", std::process::id()));
    let f = pipeline("outputs_log");
    let outputs = f
        .aot("outputs_log")
        .unwrap()
        .target(&Target::host().unwrap())
        .outputs(&[OutputKind::CompilerLog, OutputKind::Hlpipe])
        .compile(&dir)
        .unwrap();
    let log = std::fs::read_to_string(&outputs[&OutputKind::CompilerLog]).unwrap();
    assert!(
        log.trim_start().starts_with('{') && log.contains("outputs_log"),
        "{log}"
    );
    // Halide's own format, as generators write it: no envelope.
    let bytes = std::fs::read(&outputs[&OutputKind::Hlpipe]).unwrap();
    assert!(Pipeline::deserialize(&bytes, &[]).is_err());
    // SAFETY: the bytes are what Halide's serializer just wrote.
    let loaded = unsafe { Pipeline::deserialize_unchecked(&bytes, &[]) }.unwrap();
    let mut out = Buffer::<i32>::new(&[3, 2]).unwrap();
    loaded
        .compile(&Target::host().unwrap())
        .unwrap()
        .call(halide::args![&mut out])
        .unwrap();
    assert_eq!(out.as_slice(), &[0, 1, 2, 2, 3, 4]);
    std::fs::remove_dir_all(&dir).unwrap();
}

//! No C++ exception may cross into Rust: every entry point of the shim runs
//! its body inside HL_GUARD, and every function the C header declares is
//! defined that way.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

/// (name, first statement of the body) of every `HL_API` definition.
fn definitions() -> Vec<(String, String)> {
    let shim = Path::new(env!("CARGO_MANIFEST_DIR")).join("shim");
    let mut out = Vec::new();
    for entry in fs::read_dir(&shim).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "cpp") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        for (i, chunk) in text.split("HL_API ").enumerate().skip(1) {
            let name = chunk
                .split('(')
                .next()
                .unwrap()
                .split_whitespace()
                .last()
                .unwrap();
            let name = name.trim_start_matches('*').to_owned();
            let body = chunk
                .split_once('{')
                .map(|(_, b)| b.trim_start())
                .unwrap_or("");
            let first = body.lines().next().unwrap_or("").to_owned();
            assert!(i > 0);
            out.push((name, first));
        }
    }
    out
}

fn declared() -> BTreeSet<String> {
    let header =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("shim/halide_c.h")).unwrap();
    header
        .lines()
        .filter(|l| {
            !l.trim_start().starts_with(['/', '*', '#']) && l.contains("hl_") && l.contains('(')
        })
        .filter_map(|l| {
            let before = l.split('(').next()?;
            let name = before.split_whitespace().last()?.trim_start_matches('*');
            name.starts_with("hl_").then(|| name.to_owned())
        })
        .collect()
}

#[test]
fn every_entry_point_is_guarded() {
    let defs = definitions();
    assert!(defs.len() > 30, "found only {} definitions", defs.len());
    for (name, first) in &defs {
        assert!(
            first.starts_with("HL_GUARD("),
            "{name} does not start with HL_GUARD: {first:?}"
        );
    }
}

#[test]
fn every_declared_function_is_defined_with_hl_api() {
    let defined: BTreeSet<String> = definitions().into_iter().map(|(n, _)| n).collect();
    let declared = declared();
    let missing: Vec<_> = declared.difference(&defined).collect();
    assert!(
        missing.is_empty(),
        "declared in halide_c.h but not defined with HL_API: {missing:?}"
    );
    let extra: Vec<_> = defined.difference(&declared).collect();
    assert!(
        extra.is_empty(),
        "defined with HL_API but not declared in halide_c.h: {extra:?}"
    );
}

#[test]
fn the_guard_catches_halide_errors_first() {
    let shim_h =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("shim/shim.h")).unwrap();
    let shim_h = &shim_h[shim_h
        .find("#define HL_GUARD")
        .expect("HL_GUARD is defined")..];
    let halide = shim_h
        .find("catch (const Halide::Error &e)")
        .expect("catches Halide::Error");
    let std_ex = shim_h
        .find("catch (const std::exception &e)")
        .expect("catches std::exception");
    let any = shim_h.find("catch (...)").expect("catches everything else");
    assert!(halide < std_ex && std_ex < any);
}

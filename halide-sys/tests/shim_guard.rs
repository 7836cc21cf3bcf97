//! No C++ exception may cross into Rust: every entry point of the shim runs
//! its body inside HL_GUARD, and every function the C header declares is
//! defined that way. And the header's sections follow the shim's files.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// (file, name, first statement of the body) of every `HL_API` definition.
fn definitions() -> Vec<(String, String, String)> {
    let shim = Path::new(env!("CARGO_MANIFEST_DIR")).join("shim");
    let mut out = Vec::new();
    for entry in fs::read_dir(&shim).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "cpp") {
            continue;
        }
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
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
            out.push((file.clone(), name, first));
        }
    }
    out
}

fn header() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("shim/halide_c.h")).unwrap()
}

/// The function a header line starts to declare, if any.
fn declared_on(line: &str) -> Option<String> {
    if line.trim_start().starts_with(['/', '*', '#']) || !line.contains("hl_") {
        return None;
    }
    let before = line.split_once('(')?.0;
    let name = before.split_whitespace().last()?.trim_start_matches('*');
    name.starts_with("hl_").then(|| name.to_owned())
}

fn declared() -> BTreeSet<String> {
    header().lines().filter_map(declared_on).collect()
}

/// The header's sections in order: (the file named in the title, the
/// functions declared under it). A title reads `/* ---- topic (file) ---- */`.
fn sections() -> Vec<(String, BTreeSet<String>)> {
    let mut out: Vec<(String, BTreeSet<String>)> = Vec::new();
    for line in header().lines() {
        if let Some(title) = line.strip_prefix("/* ---- ") {
            let file = title
                .split_once('(')
                .and_then(|(_, rest)| rest.split_once(')'))
                .map(|(file, _)| file.to_owned())
                .unwrap_or_else(|| panic!("section title names no file: {line:?}"));
            out.push((file, BTreeSet::new()));
        } else if let Some(name) = declared_on(line) {
            let (file, names) = out
                .last_mut()
                .unwrap_or_else(|| panic!("{name} is declared before any section"));
            assert!(
                names.insert(name.clone()),
                "{name} declared twice in {file}'s section"
            );
        }
    }
    out
}

#[test]
fn every_entry_point_is_guarded() {
    let defs = definitions();
    assert!(defs.len() > 30, "found only {} definitions", defs.len());
    for (_, name, first) in &defs {
        assert!(
            first.starts_with("HL_GUARD("),
            "{name} does not start with HL_GUARD: {first:?}"
        );
    }
}

#[test]
fn every_declared_function_is_defined_with_hl_api() {
    let defined: BTreeSet<String> = definitions().into_iter().map(|(_, n, _)| n).collect();
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
fn each_header_section_declares_exactly_its_files_functions() {
    let mut by_file: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, name, _) in definitions() {
        by_file.entry(file).or_default().insert(name);
    }
    let sections = sections();
    let mut seen = BTreeSet::new();
    for (file, names) in &sections {
        assert!(seen.insert(file), "two sections name {file}");
        if file.ends_with(".cpp") {
            let defined = by_file.get(file).cloned().unwrap_or_default();
            let elsewhere: Vec<_> = names.difference(&defined).collect();
            let undeclared: Vec<_> = defined.difference(names).collect();
            assert!(
                elsewhere.is_empty() && undeclared.is_empty(),
                "the section of {file} declares {elsewhere:?}, defined elsewhere, \
                 and misses {undeclared:?}, which {file} defines"
            );
        } else {
            assert!(
                names.is_empty(),
                "the section of {file} declares functions, but only .cpp files define any: {names:?}"
            );
        }
    }
    let without: Vec<_> = by_file.keys().filter(|f| !seen.contains(f)).collect();
    assert!(without.is_empty(), "no header section for {without:?}");
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

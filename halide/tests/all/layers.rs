//! The crate's modules form a stack of layers: `lib.rs` (and a folder's
//! `mod.rs`, for its files) declares them in groups, bottom-up, and a
//! module uses only modules of the groups before its own, so a reader can
//! go bottom-up without meeting a loop. Doc links are free. Read from the
//! source text: paths (`crate::x::…`, `crate::{x, y}`, names `lib.rs`
//! re-exports), not method calls, which Rust resolves wherever the impl is.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The code of `file`, without comments.
fn code(file: &Path) -> String {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules `mod.rs`/`lib.rs` at `file` declares, each with its layer:
/// runs of `mod` lines, counted from 0, the runs split by any other line.
fn declared(file: &Path) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let (mut layer, mut in_run) = (0, false);
    for line in code(file).lines() {
        let mut l = line.trim();
        if let Some(rest) = l.strip_prefix("pub") {
            // `pub`, `pub(crate)`, `pub(super)`...
            l = rest.split_once(')').map_or(rest, |(_, r)| r).trim_start();
        }
        match l.strip_prefix("mod ").and_then(|m| m.strip_suffix(';')) {
            Some(name) => {
                out.push((name.trim().to_owned(), layer));
                in_run = true;
            }
            None if in_run => {
                layer += 1;
                in_run = false;
            }
            None => {}
        }
    }
    out
}

/// The source files of module `name` under `dir`.
fn files(dir: &Path, name: &str) -> Vec<PathBuf> {
    let file = dir.join(format!("{name}.rs"));
    if file.exists() {
        vec![file]
    } else {
        rust_files(&dir.join(name))
    }
}

/// Every `.rs` file under `dir`.
pub(crate) fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out
}

/// Which module each name `lib.rs`/`mod.rs` re-exports comes from
/// (`pub use func::{Func, lambda};` maps `Func` to `func`).
fn reexports(root: &Path) -> Vec<(String, String)> {
    let text = code(root);
    let mut out = Vec::new();
    for item in text.split(';') {
        let Some(path) = item.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, names)) = path.split_once("::") else {
            continue;
        };
        for name in names.trim_matches(|c| c == '{' || c == '}').split(',') {
            let name = name.rsplit("::").next().unwrap_or("").trim();
            out.push((name.to_owned(), module.trim().to_owned()));
        }
    }
    out
}

/// The first names of the paths that follow `prefix` (`crate::`,
/// `super::`) in code, including each path of a `prefix{a, b::c}` group.
fn uses(files: &[PathBuf], prefix: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = BTreeSet::new();
    for file in files {
        let text = code(file);
        for (i, _) in text.match_indices(prefix) {
            let rest = &text[i + prefix.len()..];
            match rest.strip_prefix('{') {
                Some(group) => {
                    let group = group.split('}').next().unwrap_or("");
                    out.extend(group.split(',').map(ident));
                }
                None => {
                    out.insert(ident(rest));
                }
            }
        }
    }
    out.remove("");
    out
}

fn check_stack(dir: &Path, root: &Path, prefix: &str) -> Vec<String> {
    let modules = declared(root);
    let reexported = reexports(root);
    let module_of = |name: &str| {
        let name = reexported
            .iter()
            .find(|(n, _)| n == name)
            .map_or(name, |(_, m)| m.as_str());
        modules.iter().find(|(m, _)| m == name)
    };
    let mut problems = Vec::new();
    for (module, layer) in &modules {
        for used in uses(&files(dir, module), prefix) {
            if let Some((used, used_layer)) = module_of(&used) {
                if used_layer >= layer && used != module {
                    problems.push(format!("{module} uses {used}, not in a layer below it"));
                }
            }
        }
    }
    problems
}

#[test]
fn modules_only_use_the_modules_below_them() {
    let src = src();
    let mut problems = check_stack(&src, &src.join("lib.rs"), "crate::");
    for folder in std::fs::read_dir(&src).unwrap() {
        let folder = folder.unwrap().path();
        if folder.join("mod.rs").exists() {
            problems.extend(check_stack(&folder, &folder.join("mod.rs"), "super::"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// halide-wgpu is layered the same way.
#[test]
fn halide_wgpu_modules_only_use_the_modules_below_them() {
    let src = src().join("../../halide-wgpu/src");
    let problems = check_stack(&src, &src.join("lib.rs"), "crate::");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_check_finds_an_upward_use() {
    let dir = std::env::temp_dir().join(format!("halide-layers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files = [
        (
            "lib.rs",
            "mod low;\n// -\npub(crate) mod high; // a note\nmod beside;\nmod top;\npub use top::Top;\n",
        ),
        ("low.rs", "use crate::{high::X}; // crate::ignored\n"),
        (
            "high.rs",
            "use crate::low::Y;\nuse crate::{low, beside::Z};\n",
        ),
        ("beside.rs", "fn f() -> crate::Top {\n    todo!()\n}\n"),
        ("top.rs", "pub struct Top;\n"),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let problems = check_stack(&dir, &dir.join("lib.rs"), "crate::");
    assert_eq!(
        problems,
        [
            "low uses high, not in a layer below it",
            "high uses beside, not in a layer below it",
            "beside uses top, not in a layer below it"
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Small files with one job each.
#[test]
fn no_source_file_is_over_600_lines() {
    let long: Vec<String> = rust_files(&src())
        .into_iter()
        .chain(rust_files(&src().join("../../halide-runtime/src")))
        .chain(rust_files(&src().join("../../halide-wgpu/src")))
        .filter(|f| !f.ends_with("sys.rs")) // generated bindings
        .filter_map(|f| {
            let n = std::fs::read_to_string(&f).unwrap().lines().count();
            (n > 600).then(|| format!("{}: {n} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "{long:#?}");
}

//! The parity table (`src/parity.md`, shown as the `halide::parity` docs
//! page) cannot go stale: every Rust path it names must exist in the
//! crates' source, and its Python names must be exactly the names Halide's
//! Python bindings have, when that package is installed (required where
//! `HALIDE_REQUIRE_PYTHON` is set, as in CI).

use super::layers::rust_files;
use std::collections::BTreeSet;
use std::path::Path;

use halide::prelude::*;
use syn::{ImplItem, Item, TraitItem};

/// What the crates make public, as the table names it: types, free items
/// (with their module), and each type's or module's members. Only `pub`
/// items count (in trait impls, every method); a macro's invocation counts
/// the names it is given at its top level (`unary_functions!(sin, cos)`),
/// not its body, since macros are not expanded.
#[derive(Default)]
struct Api {
    /// Types, traits, modules, free functions, macros: names alone.
    names: BTreeSet<String>,
    /// Module names (files and inline `mod`s), and the crates'.
    modules: BTreeSet<String>,
    /// `(owner, member)`: a type's methods, associated items, variants and
    /// fields, a trait's methods, a module's items.
    members: BTreeSet<(String, String)>,
}

fn public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

impl Api {
    fn of_crates() -> Api {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut api = Api::default();
        for krate in ["halide", "halide-runtime", "halide-ndarray"] {
            api.modules.insert(krate.replace('-', "_"));
            for file in rust_files(&root.join(krate).join("src")) {
                let text = std::fs::read_to_string(&file).unwrap();
                let parsed =
                    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                api.add_items(&module_name(&file), &parsed.items);
            }
        }
        api
    }

    fn add_items(&mut self, module: &str, items: &[Item]) {
        self.modules.insert(module.to_owned());
        let add = |api: &mut Api, vis: &syn::Visibility, name: String| {
            if public(vis) {
                api.members.insert((module.to_owned(), name.clone()));
                api.names.insert(name);
            }
        };
        for item in items {
            match item {
                Item::Fn(f) => add(self, &f.vis, f.sig.ident.to_string()),
                Item::Struct(st) => {
                    add(self, &st.vis, st.ident.to_string());
                    for field in &st.fields {
                        if let (true, Some(name)) = (public(&field.vis), &field.ident) {
                            self.members
                                .insert((st.ident.to_string(), name.to_string()));
                        }
                    }
                }
                Item::Type(t) => add(self, &t.vis, t.ident.to_string()),
                Item::Const(c) => add(self, &c.vis, c.ident.to_string()),
                Item::Static(st) => add(self, &st.vis, st.ident.to_string()),
                Item::Enum(e) if public(&e.vis) => {
                    add(self, &e.vis, e.ident.to_string());
                    for v in &e.variants {
                        self.members
                            .insert((e.ident.to_string(), v.ident.to_string()));
                    }
                }
                Item::Trait(t) if public(&t.vis) => {
                    add(self, &t.vis, t.ident.to_string());
                    for member in &t.items {
                        if let TraitItem::Fn(f) = member {
                            self.members
                                .insert((t.ident.to_string(), f.sig.ident.to_string()));
                        }
                    }
                }
                Item::Mod(m) => {
                    add(self, &m.vis, m.ident.to_string());
                    if let Some((_, inner)) = &m.content {
                        self.add_items(&m.ident.to_string(), inner);
                    }
                }
                Item::Impl(imp) => {
                    let Some(owner) = type_name(&imp.self_ty) else {
                        continue;
                    };
                    // A trait's methods are as public as the trait.
                    let by_trait = imp.trait_.is_some();
                    for member in &imp.items {
                        let (vis, name) = match member {
                            ImplItem::Fn(f) => (&f.vis, f.sig.ident.to_string()),
                            ImplItem::Const(c) => (&c.vis, c.ident.to_string()),
                            ImplItem::Macro(m) => {
                                for ident in top_level_idents(&m.mac.tokens) {
                                    self.members.insert((owner.clone(), ident));
                                }
                                continue;
                            }
                            _ => continue,
                        };
                        if by_trait || public(vis) {
                            self.members.insert((owner.clone(), name));
                        }
                    }
                }
                // Items a macro makes: the names it is given.
                Item::Macro(m) if m.ident.is_none() => {
                    for ident in top_level_idents(&m.mac.tokens) {
                        self.members.insert((module.to_owned(), ident.clone()));
                        self.names.insert(ident);
                    }
                }
                // `#[macro_export] macro_rules! name`: the macro itself.
                Item::Macro(m) => {
                    if let Some(ident) = &m.ident {
                        self.names.insert(ident.to_string());
                    }
                }
                _ => {}
            }
        }
    }

    /// Whether `path` (`Func`, `Func::compute_at`, `boundary::repeat_edge`,
    /// `halide::math::sin`) names something the crates make public: its
    /// last two segments an owner and its member, any before them modules.
    fn has(&self, path: &str) -> bool {
        let segments: Vec<&str> = path.split("::").collect();
        match segments.as_slice() {
            [name] => self.names.contains(*name),
            [modules @ .., owner, member] => {
                modules.iter().all(|m| self.modules.contains(*m))
                    && self
                        .members
                        .contains(&((*owner).to_owned(), (*member).to_owned()))
            }
            [] => false,
        }
    }
}

/// The identifiers at the top level of a macro invocation's tokens (not in
/// nested groups): the names `unary_functions!(sin, cos)` is given.
fn top_level_idents(tokens: &proc_macro2::TokenStream) -> Vec<String> {
    tokens
        .clone()
        .into_iter()
        .filter_map(|token| match token {
            proc_macro2::TokenTree::Ident(i) => Some(i.to_string()),
            _ => None,
        })
        .collect()
}

/// `Func` for `Func`, `&Func`, `Buffer<T>`, `crate::Func`.
fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Reference(r) => type_name(&r.elem),
        _ => None,
    }
}

/// A file's module: its stem, or its folder's name for `mod.rs`; the
/// crate's name for `lib.rs`.
fn module_name(file: &Path) -> String {
    let stem = file.file_stem().unwrap().to_str().unwrap();
    match stem {
        "mod" => file
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap(),
        "lib" => {
            let krate = file.parent().unwrap().parent().unwrap();
            krate.file_name().unwrap().to_str().unwrap()
        }
        _ => stem,
    }
    .replace('-', "_")
}

/// The table's rows: the Python name, its Rust names (none for `—`),
/// and the note.
fn rows() -> Vec<(String, Vec<String>, String)> {
    let text = include_str!("../../src/parity.md");
    text.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            assert_eq!(cells.len(), 3, "a row has three cells: {line}");
            let python = cells[0].trim_matches('`').to_owned();
            let rust = match cells[1] {
                "—" => Vec::new(),
                spans => spans
                    .split(", ")
                    .map(|s| {
                        let name = s.strip_prefix('`').and_then(|s| s.strip_suffix('`'));
                        name.unwrap_or_else(|| panic!("not a code span: {s} in {line}"))
                            .to_owned()
                    })
                    .collect(),
            };
            (python, rust, cells[2].to_owned())
        })
        .collect()
}

/// The operator traits the table names (`impl Not for Expr`), each
/// asserted here at compile time.
macro_rules! operator_impls {
    ($($op:ident for $name:literal => $ty:ty),* $(,)?) => {
        const OPERATOR_IMPLS: &[&str] = &[$(concat!("impl ", stringify!($op), " for ", $name)),*];
        const _: fn() = || {
            $({
                fn implemented<T: std::ops::$op>() {}
                implemented::<$ty>();
            })*
        };
    };
}
operator_impls!(
    Not for "Expr" => Expr,
    Not for "Var" => Var,
    Not for "RVar" => RVar,
    Not for "&RDom" => &'static RDom,
    Not for "&Param<T>" => &'static Param<i32>,
    Not for "&DynParam" => &'static DynParam,
);

#[test]
fn every_rust_name_in_the_table_exists() {
    let api = Api::of_crates();
    let missing: Vec<String> = rows()
        .iter()
        .flat_map(|(python, rust, _)| rust.iter().map(move |r| (python, r)))
        .filter(|(_, r)| {
            if r.starts_with("impl ") {
                !OPERATOR_IMPLS.contains(&r.as_str())
            } else {
                !api.has(r)
            }
        })
        .map(|(python, r)| format!("{python}: {r}"))
        .collect();
    assert!(
        missing.is_empty(),
        "names the crates do not define: {missing:#?}"
    );
}

#[test]
fn the_checker_tells_defined_names_from_others() {
    let api = Api::of_crates();
    for name in [
        "Func",
        "Func::compute_at",
        "Schedule::vectorize",
        "math::sin",
        "boundary::repeat_edge",
        "HalideBufferExt::cropped",
        "MemoryType::GpuShared",
        "halide::math::sin",
        "ArgumentInfo::dimensions",
    ] {
        assert!(api.has(name), "{name}");
    }
    for name in [
        "Func::warp_drive",
        "Flunc",
        "math::sinn",
        "MemoryType::Disk",
        // Private, in a macro's body, or under a module that is none.
        "DynParam::set_bytes",
        "Func::jit_target",
        "math::to_expr",
        "nonsense::math::sin",
    ] {
        assert!(!api.has(name), "{name}");
    }
}

#[test]
fn rows_are_unique_and_those_without_a_rust_name_say_why() {
    let rows = rows();
    let names: BTreeSet<&str> = rows.iter().map(|(p, _, _)| p.as_str()).collect();
    assert_eq!(names.len(), rows.len(), "a Python name has two rows");
    for (python, rust, note) in &rows {
        assert!(
            !rust.is_empty() || !note.is_empty(),
            "{python}: no Rust name and no reason"
        );
    }
}

/// The issue's bar: at least 95 % of the Python bindings' names have a
/// Rust name that does the same.
#[test]
fn at_least_95_percent_of_the_python_names_have_a_rust_name() {
    let rows = rows();
    let covered = rows.iter().filter(|(_, rust, _)| !rust.is_empty()).count();
    let share = covered as f64 / rows.len() as f64;
    assert!(
        share >= 0.95,
        "{covered} of {} names ({:.1} %)",
        rows.len(),
        share * 100.0
    );
    // The page states the counts; they must be these.
    let stated = format!(
        "**{covered} of {} names ({:.1} %) have a Rust name**",
        rows.len(),
        share * 100.0
    );
    let page = include_str!("../../src/parity.md").replace('\n', " ");
    assert!(page.contains(&stated), "the page should say: {stated}");
}

/// The names the table lists are those of Halide's Python package, as the
/// table's page says which: printed by this script.
const PYTHON_NAMES: &str = r#"
import importlib.metadata, inspect
import halide as hl

assert importlib.metadata.version('halide') == '21.0.0', importlib.metadata.version('halide')
for n in sorted(dir(hl)):
    if n.startswith('_') or n == 'halide_':
        continue
    o = getattr(hl, n)
    print(n)
    if inspect.ismodule(o):
        members = [m for m in dir(o) if not m.startswith('_')]
    elif inspect.isclass(o):
        enum = hasattr(o, '__members__')
        if enum and n.startswith('Target'):
            members = []
        else:
            members = [m for m in vars(o)
                       if not m.startswith('_') and not (enum and m in ('name', 'value'))]
    else:
        members = []
    for m in sorted(members):
        print(n + '.' + m)
"#;

#[test]
fn the_table_lists_exactly_the_python_bindings_names() {
    // From `/`: from the workspace, Python would import our `halide/`
    // directory as a namespace package.
    let run = std::process::Command::new("python3")
        .args(["-c", PYTHON_NAMES])
        .current_dir("/")
        .output();
    let output = match run {
        Ok(o) if o.status.success() => o,
        other => {
            let why = match other {
                Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
                Err(e) => e.to_string(),
            };
            assert!(
                std::env::var_os("HALIDE_REQUIRE_PYTHON").is_none(),
                "Halide's Python package is required (HALIDE_REQUIRE_PYTHON): {why}"
            );
            eprintln!("skipped: no Halide 21.0.0 Python package ({why})");
            return;
        }
    };
    let python: BTreeSet<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let table: BTreeSet<String> = rows().into_iter().map(|(p, _, _)| p).collect();
    let unlisted: Vec<_> = python.difference(&table).collect();
    let stale: Vec<_> = table.difference(&python).collect();
    assert!(
        unlisted.is_empty() && stale.is_empty(),
        "not in the table: {unlisted:?}; not in Python: {stale:?}"
    );
}

#[test]
#[ignore = "prints the crates' names, for writing the table"]
fn dump() {
    let api = Api::of_crates();
    for (owner, member) in &api.members {
        println!("{owner}::{member}");
    }
}

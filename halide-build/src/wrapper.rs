//! The Rust module emitted for a compiled pipeline: extern declarations
//! and a safe, typed function that calls it through `halide_runtime::aot`.

use crate::Error;
use crate::function_info::FunctionInfo;
use halide_runtime::{ArgumentKind, Type, TypeCode};
use std::fmt::Write;

/// Rust's reserved words, which a Halide argument name may be.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// A Rust identifier for a Halide name: other characters become `_`, and
/// names the wrapper uses itself or Rust reserves get a trailing `_`.
fn ident(name: &str) -> String {
    let mut id: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if id.is_empty() || id.starts_with(|c: char| c.is_ascii_digit()) {
        id.insert(0, '_');
    }
    if KEYWORDS.contains(&id.as_str()) || id == "handlers" || id == "_" {
        id.push('_');
    }
    id
}

/// The Rust type a wrapper uses for values of `ty`, if it has one.
fn rust_type(ty: Type) -> Option<&'static str> {
    if ty.lanes != 1 {
        return None;
    }
    Some(match (ty.code, ty.bits) {
        (TypeCode::UInt, 1) => "bool",
        (TypeCode::Int, 8) => "i8",
        (TypeCode::Int, 16) => "i16",
        (TypeCode::Int, 32) => "i32",
        (TypeCode::Int, 64) => "i64",
        (TypeCode::UInt, 8) => "u8",
        (TypeCode::UInt, 16) => "u16",
        (TypeCode::UInt, 32) => "u32",
        (TypeCode::UInt, 64) => "u64",
        (TypeCode::Float, 32) => "f32",
        (TypeCode::Float, 64) => "f64",
        _ => return None,
    })
}

/// Emits the wrapper module for `function`. `source` names where the
/// signature came from, for the generated comment.
///
/// ```
/// use halide_build::{FunctionInfo, wrapper};
/// let header = r#"
/// inline constexpr std::array<::HalideFunctionInfo::ArgumentInfo, 2> brighten_argument_info() {
///   {"input", ::HalideFunctionInfo::InputBuffer, 2, halide_type_t{halide_type_uint, 8, 1}},
///   {"output", ::HalideFunctionInfo::OutputBuffer, 2, halide_type_t{halide_type_uint, 8, 1}},
/// }"#;
/// let code = wrapper(&FunctionInfo::parse(header)?[0], "brighten.function_info.h")?;
/// assert!(code.contains("pub mod brighten {"));
/// assert!(code.contains("input: &impl HalideBuffer<Elem = u8>"));
/// # Ok::<(), halide_build::Error>(())
/// ```
pub fn wrapper(function: &FunctionInfo, source: &str) -> Result<String, Error> {
    let unsupported = |what: String| Error::Unsupported(format!("{}: {what}", function.name));
    let name = &function.name;
    let module = ident(name);
    let mut decl = Vec::new(); // extern parameters
    let mut params = Vec::new(); // safe function parameters
    let mut prepare = String::new(); // checks before the call
    let mut pass = Vec::new(); // extern call arguments
    let mut consts = String::new();
    let mut summary = Vec::new();
    for arg in &function.arguments {
        if arg.is_user_context() {
            decl.push("user_context: *mut ::core::ffi::c_void".to_owned());
            pass.push("user_context".to_owned());
            continue;
        }
        let id = ident(&arg.name);
        let rust = rust_type(arg.ty).ok_or_else(|| {
            unsupported(format!(
                "argument {} has type {}, which the Rust wrappers do not support",
                arg.name, arg.ty
            ))
        })?;
        writeln!(
            consts,
            "        ArgumentInfo::new({:?}, ArgumentKind::{:?}, Type {{ code: TypeCode::{:?}, bits: {}, lanes: {} }}, {}),",
            arg.name,
            arg.kind,
            arg.ty.code,
            arg.ty.bits,
            arg.ty.lanes,
            arg.dimensions
        )
        .expect("writing to a String");
        match arg.kind {
            ArgumentKind::InputScalar => {
                decl.push(format!("{id}: {rust}"));
                params.push(format!("{id}: {rust}"));
                summary.push(format!("`{}`: {}", arg.name, arg.ty));
            }
            ArgumentKind::InputBuffer | ArgumentKind::OutputBuffer => {
                let (bound, check) = if arg.kind == ArgumentKind::InputBuffer {
                    ("&impl HalideBuffer", "input")
                } else {
                    ("&mut impl HalideBufferMut", "output")
                };
                decl.push(format!("{id}: *mut sys::halide_buffer_t"));
                params.push(format!("{id}: {bound}<Elem = {rust}>"));
                let binding = if arg.kind == ArgumentKind::InputBuffer {
                    "mut "
                } else {
                    ""
                };
                writeln!(
                    prepare,
                    "        let {binding}{id} = aot::{check}({id}, {:?})?;",
                    arg.name
                )
                .expect("writing to a String");
                summary.push(format!(
                    "`{}`: {check} buffer of {}, {} dimensions",
                    arg.name, arg.ty, arg.dimensions
                ));
            }
        }
        pass.push(if arg.kind == ArgumentKind::InputBuffer {
            format!("{id}.as_mut_ptr()")
        } else {
            id
        });
    }
    let context = if function.arguments.iter().any(|a| a.is_user_context()) {
        "user_context"
    } else {
        "_user_context"
    };
    let params = params.iter().map(|p| format!(", {p}")).collect::<String>();
    let names: Vec<_> = function
        .arguments
        .iter()
        .filter(|a| !a.is_user_context())
        .map(|a| ident(&a.name))
        .collect();
    let summary = summary
        .iter()
        .map(|s| format!("    /// - {s}\n"))
        .collect::<String>();
    let mut out = String::new();
    write!(
        out,
        r#"/// The Halide pipeline `{name}`, compiled ahead of time (generated by
/// halide-build from `{source}`; do not edit).
pub mod {module} {{
    #![allow(unused_imports, clippy::too_many_arguments)]
    use ::halide_runtime::{{
        aot, sys, ArgumentInfo, ArgumentKind, Error, HalideBuffer, HalideBufferMut, Handlers, Type,
        TypeCode,
    }};

    mod ffi {{
        use ::halide_runtime::sys;
        unsafe extern "C" {{
            #[link_name = "{name}"]
            pub fn pipeline({decl}) -> ::core::ffi::c_int;
            #[link_name = "{name}_metadata"]
            pub fn metadata() -> *const sys::halide_filter_metadata_t;
        }}
    }}

    // SAFETY: the setters of the one Halide runtime linked with this library.
    static RUNTIME: aot::HandlerSetters = unsafe {{
        aot::HandlerSetters::new(
            sys::halide_set_error_handler,
            sys::halide_set_custom_print,
            sys::halide_set_custom_trace,
        )
    }};

    /// The pipeline's arguments, in call order.
    pub const ARGUMENTS: &[ArgumentInfo] = &[
{consts}    ];

    /// Runs `{name}`. Its arguments:
    ///
{summary}    ///
    /// A failure (a buffer of the wrong dimensions or too small, a
    /// violated constraint, ...) returns `Err` with Halide's message.
    pub fn run({run_params}) -> Result<(), Error> {{
        run_with(&Handlers::new(){names})
    }}

    /// Runs `{name}` as [`run`] does, with the pipeline's printed text,
    /// trace events and errors also going to `handlers`.
    pub fn run_with(handlers: &Handlers{params}) -> Result<(), Error> {{
{prepare}        // SAFETY: the declaration is the library's own signature, read from
        // its function_info_header; every buffer pointer is to a
        // halide_buffer_t live for this whole call (an input's copy made by
        // `aot::input`, an output borrowed mutably)
        // with host memory and the element type the signature names; the user
        // context is the one `aot::call` passes, live during the call.
        aot::call(&RUNTIME, handlers, |{context}| unsafe {{
            ffi::pipeline({pass})
        }})
    }}

    /// The metadata compiled into the library: name, target and arguments.
    pub fn metadata() -> aot::Metadata {{
        // SAFETY: the library's metadata function returns static metadata.
        unsafe {{ aot::Metadata::from_raw(ffi::metadata()) }}
    }}
}}
"#,
        decl = decl.join(", "),
        run_params = params.trim_start_matches(", "),
        names = names.iter().map(|n| format!(", {n}")).collect::<String>(),
        pass = pass.join(", "),
    )
    .expect("writing to a String");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_map_to_rust_types() {
        assert_eq!(rust_type(Type::float(32)), Some("f32"));
        assert_eq!(rust_type(Type::bool()), Some("bool"));
        assert_eq!(rust_type(Type::uint(8).with_lanes(4)), None);
    }

    #[test]
    fn identifiers_are_rust() {
        assert_eq!(ident("in"), "in_");
        assert_eq!(ident("f$1.x"), "f_1_x");
        assert_eq!(ident("2d"), "_2d");
        assert_eq!(ident("handlers"), "handlers_");
    }

    #[test]
    fn unsupported_types_are_refused() {
        let header = r#"
inline constexpr std::array<::HalideFunctionInfo::ArgumentInfo, 1> h_argument_info() {
  {"input", ::HalideFunctionInfo::InputBuffer, 2, halide_type_t{halide_type_float, 16, 1}},
}"#;
        let f = &FunctionInfo::parse(header).unwrap()[0];
        let e = wrapper(f, "h").unwrap_err().to_string();
        assert!(e.contains("float16"), "{e}");
    }
}

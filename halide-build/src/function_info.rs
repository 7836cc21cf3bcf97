//! Reading a pipeline's signature from the `function_info_header` Halide
//! writes next to a library: the one output every Halide (C++, Python or
//! Rust generators, or `compile_to`) can emit, and plain enough text that no
//! C++ parser is needed.

use crate::Error;
use halide_runtime::{ArgumentKind, Type, TypeCode};

/// One argument, in call order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Argument {
    /// The name Halide gave it (`__user_context` for the user context).
    pub name: String,
    /// Scalar, input or output buffer.
    pub kind: ArgumentKind,
    /// Buffer dimensions; 0 for scalars.
    pub dimensions: usize,
    /// The scalar's or the elements' type.
    pub ty: Type,
}

impl Argument {
    /// Whether this is the user context Halide adds with the `user_context`
    /// target feature.
    pub fn is_user_context(&self) -> bool {
        self.name == "__user_context" && self.ty.code == TypeCode::Handle
    }
}

/// A compiled pipeline's C function and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionInfo {
    /// The C function's name.
    pub name: String,
    /// The arguments, in call order, the user context included.
    pub arguments: Vec<Argument>,
}

impl FunctionInfo {
    /// Reads every function a `function_info_header` describes.
    ///
    /// ```
    /// use halide_build::FunctionInfo;
    /// let header = r#"
    /// inline constexpr std::array<::HalideFunctionInfo::ArgumentInfo, 2> add_argument_info() {
    ///  return {{
    ///   {"input", ::HalideFunctionInfo::InputBuffer, 2, halide_type_t{halide_type_uint, 8, 1}},
    ///   {"output", ::HalideFunctionInfo::OutputBuffer, 2, halide_type_t{halide_type_uint, 8, 1}},
    ///  }};
    /// }"#;
    /// let functions = FunctionInfo::parse(header)?;
    /// assert_eq!(functions[0].name, "add");
    /// assert_eq!(functions[0].arguments[1].name, "output");
    /// # Ok::<(), halide_build::Error>(())
    /// ```
    pub fn parse(header: &str) -> Result<Vec<FunctionInfo>, Error> {
        let mut functions: Vec<FunctionInfo> = Vec::new();
        let mut expected = 0;
        for (number, line) in header.lines().enumerate() {
            let line = line.trim();
            let bad =
                |what: &str| Error::FunctionInfo(format!("line {}: {what}: {line}", number + 1));
            if line.starts_with("namespace ") {
                return Err(bad(
                    "functions in C++ namespaces have no C symbol; compile without `::` in the name",
                ));
            }
            if let Some(rest) =
                line.strip_prefix("inline constexpr std::array<::HalideFunctionInfo::ArgumentInfo,")
            {
                check_count(functions.last(), expected)?;
                let (count, rest) = rest
                    .split_once('>')
                    .ok_or_else(|| bad("no argument count"))?;
                expected = count
                    .trim()
                    .parse()
                    .map_err(|_| bad("bad argument count"))?;
                let name = rest
                    .trim()
                    .strip_suffix("_argument_info() {")
                    .ok_or_else(|| bad("no function name"))?;
                // The name becomes a symbol and a Rust item of the wrapper.
                let identifier = name.chars().next().is_some_and(|c| !c.is_ascii_digit())
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if !identifier {
                    return Err(bad("the function name is not a C identifier"));
                }
                functions.push(FunctionInfo {
                    name: name.to_owned(),
                    arguments: Vec::new(),
                });
            } else if line.starts_with("{\"") {
                let function = functions
                    .last_mut()
                    .ok_or_else(|| bad("argument outside a function"))?;
                function
                    .arguments
                    .push(parse_argument(line).ok_or_else(|| bad("unreadable argument"))?);
            }
        }
        check_count(functions.last(), expected)?;
        if functions.is_empty() {
            return Err(Error::FunctionInfo("no function in the header".into()));
        }
        Ok(functions)
    }
}

fn check_count(function: Option<&FunctionInfo>, expected: usize) -> Result<(), Error> {
    match function {
        Some(f) if f.arguments.len() != expected => Err(Error::FunctionInfo(format!(
            "{}: {} arguments declared, {} read",
            f.name,
            expected,
            f.arguments.len()
        ))),
        _ => Ok(()),
    }
}

/// Reads `{"name", ::HalideFunctionInfo::Kind, dims, halide_type_t{halide_type_code, bits, lanes}},`.
fn parse_argument(line: &str) -> Option<Argument> {
    let rest = line.strip_prefix("{\"")?;
    let (name, rest) = rest.split_once('"')?;
    let mut fields = rest.trim_start_matches(',').split(',').map(str::trim);
    let kind = match fields.next()?.strip_prefix("::HalideFunctionInfo::")? {
        "InputScalar" => ArgumentKind::InputScalar,
        "InputBuffer" => ArgumentKind::InputBuffer,
        "OutputBuffer" => ArgumentKind::OutputBuffer,
        _ => return None,
    };
    let dimensions = fields.next()?.parse().ok()?;
    let code = match fields.next()?.strip_prefix("halide_type_t{halide_type_")? {
        "int" => TypeCode::Int,
        "uint" => TypeCode::UInt,
        "float" => TypeCode::Float,
        "handle" => TypeCode::Handle,
        "bfloat" => TypeCode::BFloat,
        _ => return None,
    };
    let bits = fields.next()?.parse().ok()?;
    let lanes = fields.next()?.trim_end_matches(['}', ',']).parse().ok()?;
    Some(Argument {
        name: name.to_owned(),
        kind,
        dimensions,
        ty: Type { code, bits, lanes },
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn function_names_must_be_identifiers() {
        for name in ["", "9lives", "a b", "x() {} fn y"] {
            let header = format!(
                "inline constexpr std::array<::HalideFunctionInfo::ArgumentInfo, 0> {name}_argument_info() {{"
            );
            let err = super::FunctionInfo::parse(&header).unwrap_err();
            assert!(
                err.to_string().contains("not a C identifier"),
                "{name:?}: {err}"
            );
        }
    }

    use super::*;

    const ADD: &str = r#"
#include "HalideRuntime.h"
inline constexpr std::array<::HalideFunctionInfo::ArgumentInfo, 4> add_argument_info() {
 return {{
  {"__user_context", ::HalideFunctionInfo::InputScalar, 0, halide_type_t{halide_type_handle, 64, 1}},
  {"offset", ::HalideFunctionInfo::InputScalar, 0, halide_type_t{halide_type_float, 32, 1}},
  {"input", ::HalideFunctionInfo::InputBuffer, 2, halide_type_t{halide_type_uint, 8, 1}},
  {"output", ::HalideFunctionInfo::OutputBuffer, 3, halide_type_t{halide_type_int, 16, 1}},
 }};
}
"#;

    #[test]
    fn reads_every_field() {
        let f = &FunctionInfo::parse(ADD).unwrap()[0];
        assert_eq!(f.name, "add");
        assert!(f.arguments[0].is_user_context());
        assert_eq!(f.arguments[1].kind, ArgumentKind::InputScalar);
        assert_eq!(f.arguments[1].ty, Type::float(32));
        assert_eq!(f.arguments[2].ty.to_string(), "uint8");
        assert_eq!(f.arguments[3].dimensions, 3);
        assert_eq!(f.arguments[3].kind, ArgumentKind::OutputBuffer);
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        let truncated = ADD.replace("  {\"input\"", "  // {\"input\"");
        assert!(
            FunctionInfo::parse(&truncated)
                .unwrap_err()
                .to_string()
                .contains("4 arguments declared, 3 read")
        );
        assert!(FunctionInfo::parse("").is_err());
        assert!(FunctionInfo::parse("namespace ns {").is_err());
        let bad_kind = ADD.replace("InputBuffer", "Sideways");
        assert!(FunctionInfo::parse(&bad_kind).is_err());
    }
}

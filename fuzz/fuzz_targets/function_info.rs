//! The `function_info_header` parser of halide-build on arbitrary text: it
//! must return signatures or an error, never panic or hang, and the
//! functions it accepts have names that are C identifiers (it once took
//! `_argument_info()` as a function with an empty name).
//!
//! `cargo +nightly fuzz run function_info -- -max_total_time=600`

#![no_main]

use halide_build::FunctionInfo;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(functions) = FunctionInfo::parse(text) {
        for f in &functions {
            // The name becomes a symbol and a Rust item of the wrapper.
            let identifier = f.name.chars().next().is_some_and(|c| !c.is_ascii_digit())
                && f.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            assert!(identifier, "function name {:?} from {text:?}", f.name);
        }
    }
});

#![allow(missing_docs)]
#[path = "version.rs"]
pub mod version;
include!("bindings.rs");

//! Integration tests of the `halide` crate, in one binary: linking against
//! libHalide (~165 MB) once instead of once per file.

mod callable;
mod errors;
mod expr;
mod inputs;
mod realize;
mod schedule;

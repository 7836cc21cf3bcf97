//! Integration tests of the `halide` crate, in one binary: linking against
//! libHalide (~165 MB) once instead of once per file.

mod autoschedule;
mod boundary;
mod callable;
mod derivative;
mod errors;
mod expr;
mod extern_fn;
mod extern_stage;
mod generator;
mod handlers;
mod inputs;
mod intrinsic;
mod introspection;
mod language;
mod layers;
mod math;
#[path = "../common/memory.rs"]
mod memory;
mod module;
mod no_crash;
mod outputs;
mod parity;
mod realize;
mod recompile;
mod reduction;
mod schedule;
mod serialize;
mod stages;
mod stress;
mod target;
mod tuple;

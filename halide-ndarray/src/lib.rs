//! ndarray arrays into and out of Halide pipelines without copies.
//!
//! This crate bridges [`ndarray`] views and `halide-runtime` buffers. Its
//! conversions arrive with the ndarray issue; today it provides only the
//! crate and its dependencies, so that the workspace layout is final.

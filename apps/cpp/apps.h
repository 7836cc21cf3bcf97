// The apps written with Halide's C++ API: each file defines one app's
// pipeline, scheduled by hand as its Rust version's manual schedule is,
// compiled for `target`, its arguments in the Rust pipeline's order.
#pragma once

#include "Halide.h"

Halide::Callable blur_app(const Halide::Target &target);
Halide::Callable unsharp_app(const Halide::Target &target);
Halide::Callable bilateral_grid_app(const Halide::Target &target);
Halide::Callable local_laplacian_app(const Halide::Target &target);
Halide::Callable interpolate_app(const Halide::Target &target);
Halide::Callable harris_app(const Halide::Target &target);
Halide::Callable max_filter_app(const Halide::Target &target);
Halide::Callable iir_blur_app(const Halide::Target &target);
Halide::Callable stencil_chain_app(const Halide::Target &target);

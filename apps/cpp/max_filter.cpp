// max_filter: see ../src/max_filter.rs.
#include "apps.h"

#include <cmath>

using namespace Halide;

Callable max_filter_app(const Target &target) {
    const int radius = 26;
    const int slices = (int)std::ceil(std::log((float)radius) / std::log(2.0f)) + 1;
    const float disc_limit = (radius + 0.25f) * (radius + 0.25f);
    ImageParam input(Float(32), 3, "input");
    Var x("x"), y("y"), c("c"), t("t"), tx("tx");

    Func source("source");
    source(x, y, c) = input(x, y, c);
    Func bounded = BoundaryConditions::repeat_edge(
        source, {{input.dim(0).min(), input.dim(0).extent()}, {input.dim(1).min(), input.dim(1).extent()}});

    Func vert_log("vert_log");
    vert_log(x, y, c, t) = bounded(x, y, c);
    RDom r(-radius, input.dim(1).extent() + radius, 1, slices - 1, "r");
    Expr step = clamp(1 << (r.y - 1), 0, radius * 2);
    vert_log(x, r.x, c, r.y) = max(vert_log(x, r.x, c, r.y - 1), vert_log(x, r.x + step, c, r.y - 1));

    Func slice_for_radius("slice_for_radius");
    slice_for_radius(t) = cast<int>(floor(log(2 * t + 1) / std::log(2.0f)));

    Func vert("vert");
    Expr slice = clamp(slice_for_radius(t), 0, slices);
    Expr last = y + t + 1 - clamp(1 << slice, 0, 2 * radius);
    vert(x, y, c, t) = max(vert_log(x, y - t, c, slice), vert_log(x, last, c, slice));

    Func filter_height("filter_height");
    RDom dy(0, radius + 1, "dy");
    filter_height(x) = sum(select(x * x + dy * dy < disc_limit, 1, 0));

    RDom dx(-radius, 2 * radius + 1, "dx");
    Func output("output");
    output(x, y, c) = maximum(vert(x + dx, y, c, clamp(filter_height(dx), 0, radius + 1)));

    slice_for_radius.compute_root();
    filter_height.compute_root();
    output.compute_root().split(x, tx, x, 256).reorder(x, y, c, tx).fuse(c, tx, t).parallel(t).vectorize(x, 8);
    vert_log.compute_at(output, t).vectorize(x, 8);
    vert_log.update().reorder(x, r.x, r.y, c).vectorize(x, 8);
    vert.compute_at(output, y).vectorize(x, 8);
    return Pipeline(output).compile_to_callable({input}, target);
}

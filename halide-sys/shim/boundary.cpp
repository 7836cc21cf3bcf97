// Halide::BoundaryConditions: Funcs and images extended beyond their bounds.
#include "shim.h"

using hl_shim::arg;
using hl_shim::expr_arg;

namespace {

template<typename Source>
Halide::Func extend(hl_boundary kind, const Source &source, const Halide::Region &bounds, const hl_expr *value) {
    namespace BC = Halide::BoundaryConditions;
    switch (kind) {
    case HL_BOUNDARY_CONSTANT_EXTERIOR: return BC::constant_exterior(source, expr_arg(value, "exterior value"), bounds);
    case HL_BOUNDARY_REPEAT_EDGE: return BC::repeat_edge(source, bounds);
    case HL_BOUNDARY_REPEAT_IMAGE: return BC::repeat_image(source, bounds);
    case HL_BOUNDARY_MIRROR_IMAGE: return BC::mirror_image(source, bounds);
    case HL_BOUNDARY_MIRROR_INTERIOR: return BC::mirror_interior(source, bounds);
    }
    throw std::invalid_argument("unknown boundary condition " + std::to_string(int(kind)));
}

}  // namespace

HL_API hl_func *hl_boundary_func(hl_boundary kind, const hl_func *source, const hl_expr *const *mins,
                                 const hl_expr *const *extents, size_t n_dims, const hl_expr *value, hl_error **err) {
    HL_GUARD(err, nullptr, {
        Halide::Region bounds;
        for (size_t i = 0; i < n_dims; i++) {
            bounds.emplace_back(expr_arg(mins[i], "min"), expr_arg(extents[i], "extent"));
        }
        return new hl_func{extend(kind, arg(source, "hl_boundary_func").v, bounds, value)};
    });
}

HL_API hl_func *hl_boundary_image(hl_boundary kind, const hl_image_param *source, const hl_expr *value,
                                  hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::ImageParam &image = arg(source, "hl_boundary_image").v;
        Halide::Region bounds;
        for (int d = 0; d < image.dimensions(); d++) {
            bounds.emplace_back(image.dim(d).min(), image.dim(d).extent());
        }
        return new hl_func{extend(kind, Halide::Func(image), bounds, value)};
    });
}

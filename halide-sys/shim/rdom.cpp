// Halide::RDom: reduction domains for update definitions.
#include "shim.h"

using hl_shim::arg;
using hl_shim::expr_arg;

HL_API hl_rdom *hl_rdom_new(const hl_expr *const *mins, const hl_expr *const *extents, size_t n_dims, const char *name,
                            hl_error **err) {
    HL_GUARD(err, nullptr, {
        Halide::Region region;
        for (size_t i = 0; i < n_dims; i++) {
            region.emplace_back(expr_arg(mins[i], "min"), expr_arg(extents[i], "extent"));
        }
        return new hl_rdom{Halide::RDom(region, name ? std::string(name) : std::string())};
    });
}

HL_API void hl_rdom_free(hl_rdom *r) {
    HL_GUARD(nullptr, , { delete r; });
}

HL_API int hl_rdom_dimensions(const hl_rdom *r, hl_error **err) {
    HL_GUARD(err, 0, { return arg(r, "hl_rdom_dimensions").v.dimensions(); });
}

HL_API hl_expr *hl_rdom_var(const hl_rdom *r, int i, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::RDom &rdom = arg(r, "hl_rdom_var").v;
        if (i < 0 || i >= rdom.dimensions()) {
            throw std::invalid_argument("RDom has no dimension " + std::to_string(i));
        }
        return new hl_expr{Halide::Expr(rdom[i])};
    });
}

HL_API bool hl_rdom_where(hl_rdom *r, const hl_expr *predicate, hl_error **err) {
    HL_GUARD(err, false, {
        arg(r, "hl_rdom_where").v.where(expr_arg(predicate, "predicate"));
        return true;
    });
}

HL_API char *hl_rdom_var_name(const hl_rdom *r, int i, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::RDom &rdom = arg(r, "hl_rdom_var_name").v;
        if (i < 0 || i >= rdom.dimensions()) {
            throw std::invalid_argument("RDom has no dimension " + std::to_string(i));
        }
        return hl_shim::copy_string(rdom[i].name());
    });
}

HL_API hl_expr *hl_rdom_bound(const hl_rdom *r, int i, bool extent, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::RDom &rdom = arg(r, "hl_rdom_bound").v;
        if (i < 0 || i >= rdom.dimensions()) {
            throw std::invalid_argument("RDom has no dimension " + std::to_string(i));
        }
        return new hl_expr{extent ? rdom[i].extent() : rdom[i].min()};
    });
}

HL_API hl_rdom *hl_rdom_from_image_param(const hl_image_param *p, const char *name, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::ImageParam &param = arg(p, "hl_rdom_from_image_param").v;
        if (name && *name) {
            // Halide names a buffer's RDom after the buffer; a chosen name
            // needs the region spelled out.
            Halide::Region region;
            for (int d = 0; d < param.dimensions(); d++) region.emplace_back(param.dim(d).min(), param.dim(d).extent());
            return new hl_rdom{Halide::RDom(region, name)};
        }
        return new hl_rdom{Halide::RDom(param)};
    });
}

HL_API bool hl_rdom_same_as(const hl_rdom *a, const hl_rdom *b, hl_error **err) {
    HL_GUARD(err, false, { return arg(a, "hl_rdom_same_as").v.same_as(arg(b, "hl_rdom_same_as other").v); });
}

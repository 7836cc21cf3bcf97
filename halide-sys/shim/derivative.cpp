// Automatic differentiation: adjoints propagated back through a pipeline.
#include "shim.h"

using hl_shim::arg;
using hl_shim::expr_arg;

HL_API hl_derivative *hl_propagate_adjoints(const hl_func *output, const hl_func *adjoint, const hl_expr *const *mins,
                                            const hl_expr *const *extents, size_t n, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::Func &out = arg(output, "hl_propagate_adjoints output").v;
        if (!adjoint) {
            if (n != 0) throw std::invalid_argument("hl_propagate_adjoints: bounds without an adjoint");
            return new hl_derivative{Halide::propagate_adjoints(out)};
        }
        if (n > 0 && (!mins || !extents)) throw std::invalid_argument("hl_propagate_adjoints: null bounds");
        Halide::Region bounds;
        for (size_t i = 0; i < n; i++) {
            bounds.emplace_back(expr_arg(mins[i], "bound min"), expr_arg(extents[i], "bound extent"));
        }
        return new hl_derivative{Halide::propagate_adjoints(out, arg(adjoint, "hl_propagate_adjoints adjoint").v, bounds)};
    });
}

static hl_func *defined(Halide::Func f, const std::string &what) {
    if (!f.defined()) throw std::invalid_argument("the output does not depend differentiably on " + what);
    return new hl_func{std::move(f)};
}

HL_API hl_func *hl_derivative_func(const hl_derivative *d, const hl_func *f, int update_id, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::Func &func = arg(f, "hl_derivative_func func").v;
        std::string what = func.name() + (update_id >= 0 ? " (update " + std::to_string(update_id) + ")" : "");
        return defined(arg(d, "hl_derivative_func").v(func, update_id), what);
    });
}

HL_API hl_func *hl_derivative_named(const hl_derivative *d, const char *name, hl_error **err) {
    HL_GUARD(err, nullptr, {
        if (!name) throw std::invalid_argument("hl_derivative_named: null name");
        return defined(arg(d, "hl_derivative_named").v(std::string(name)), name);
    });
}

HL_API void hl_derivative_free(hl_derivative *d) {
    HL_GUARD(nullptr, , { delete d; });
}

// Halide::Var.
#include "shim.h"

using hl_shim::arg;

HL_API hl_var *hl_var_new(const char *name, hl_error **err) {
    HL_GUARD(err, nullptr, { return name ? new hl_var{Halide::Var(std::string(name))} : new hl_var{Halide::Var()}; });
}

HL_API hl_var *hl_var_clone(const hl_var *v, hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_var{arg(v, "hl_var_clone").v}; });
}

HL_API char *hl_var_name(const hl_var *v, hl_error **err) {
    HL_GUARD(err, nullptr, { return hl_shim::copy_string(arg(v, "hl_var_name").v.name()); });
}

HL_API hl_expr *hl_var_to_expr(const hl_var *v, hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_expr{Halide::Expr(arg(v, "hl_var_to_expr").v)}; });
}

HL_API void hl_var_free(hl_var *v) {
    HL_GUARD(nullptr, , { delete v; });
}

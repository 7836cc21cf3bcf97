// Halide::Target: the host, HL_JIT_TARGET, and target strings.
#include "shim.h"

using hl_shim::arg;

HL_API hl_target *hl_target_host(hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_target{Halide::get_host_target()}; });
}

HL_API hl_target *hl_target_jit_from_environment(hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_target{Halide::get_jit_target_from_environment()}; });
}

HL_API hl_target *hl_target_parse(const char *s, hl_error **err) {
    HL_GUARD(err, nullptr, {
        if (!s) throw std::invalid_argument("hl_target_parse: null string");
        return new hl_target{Halide::Target(std::string(s))};
    });
}

HL_API hl_target *hl_target_clone(const hl_target *t, hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_target{arg(t, "hl_target_clone").v}; });
}

HL_API char *hl_target_to_string(const hl_target *t, hl_error **err) {
    HL_GUARD(err, nullptr, { return hl_shim::copy_string(arg(t, "hl_target_to_string").v.to_string()); });
}

HL_API bool hl_target_equal(const hl_target *a, const hl_target *b, hl_error **err) {
    HL_GUARD(err, false, { return arg(a, "hl_target_equal").v == arg(b, "hl_target_equal").v; });
}

HL_API void hl_target_free(hl_target *t) {
    HL_GUARD(nullptr, , { delete t; });
}

// Halide::Target: the host, HL_JIT_TARGET, and target strings.
#include "shim.h"

using hl_shim::arg;

HL_API hl_target *hl_target_host(hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_target{Halide::get_host_target()}; });
}

HL_API hl_target *hl_target_jit_from_environment(hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_target{Halide::get_jit_target_from_environment()}; });
}

HL_API hl_target *hl_target_from_environment(hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_target{Halide::get_target_from_environment()}; });
}

HL_API bool hl_target_supported(const hl_target *t, hl_error **err) {
    HL_GUARD(err, false, { return arg(t, "hl_target_supported").v.supported(); });
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

static Halide::Target::Feature feature_named(const char *name) {
    if (!name) throw std::invalid_argument("null feature name");
    Halide::Target::Feature f = Halide::Target::feature_from_name(name);
    if (f == Halide::Target::FeatureEnd) {
        throw std::invalid_argument(std::string("unknown target feature \"") + name + "\"");
    }
    return f;
}

HL_API bool hl_target_has_feature(const hl_target *t, const char *name, hl_error **err) {
    HL_GUARD(err, false, { return arg(t, "hl_target_has_feature").v.has_feature(feature_named(name)); });
}

HL_API hl_target *hl_target_with_feature(const hl_target *t, const char *name, bool enable, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::Target &target = arg(t, "hl_target_with_feature").v;
        Halide::Target::Feature f = feature_named(name);
        Halide::Target changed = enable ? target.with_feature(f) : target.without_feature(f);
        // with_feature does not validate; a target string round trip does
        // (e.g. it rejects cuda_capability_50 without cuda).
        if (!Halide::Target::validate_target_string(changed.to_string())) {
            throw std::invalid_argument("not a valid target: " + changed.to_string());
        }
        return new hl_target{changed};
    });
}

HL_API int hl_target_natural_vector_size(const hl_target *t, halide_type_t type, hl_error **err) {
    HL_GUARD(err, 0, { return arg(t, "hl_target_natural_vector_size").v.natural_vector_size(hl_shim::to_type(type)); });
}

HL_API bool hl_target_has_gpu_feature(const hl_target *t, hl_error **err) {
    HL_GUARD(err, false, { return arg(t, "hl_target_has_gpu_feature").v.has_gpu_feature(); });
}

HL_API bool hl_target_supports_type(const hl_target *t, halide_type_t type, const char *device_api, hl_error **err) {
    HL_GUARD(err, false, {
        const Halide::Target &target = arg(t, "hl_target_supports_type").v;
        Halide::Type ty = hl_shim::to_type(type);
        return device_api ? target.supports_type(ty, hl_shim::device_api_named(device_api)) : target.supports_type(ty);
    });
}

HL_API bool hl_target_supports_device_api(const hl_target *t, const char *device_api, hl_error **err) {
    HL_GUARD(err, false, {
        return arg(t, "hl_target_supports_device_api").v.supports_device_api(hl_shim::device_api_named(device_api));
    });
}

HL_API int64_t hl_target_maximum_buffer_size(const hl_target *t, hl_error **err) {
    HL_GUARD(err, 0, { return arg(t, "hl_target_maximum_buffer_size").v.maximum_buffer_size(); });
}

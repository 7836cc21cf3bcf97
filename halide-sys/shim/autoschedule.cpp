// Autoschedulers: loading their plugins, the estimates they schedule for,
// and applying one to a pipeline.
#include "shim.h"

#include <map>
#include <string>

#ifndef _WIN32
#include <dlfcn.h>
#endif

using hl_shim::arg;
using hl_shim::expr_arg;

HL_API bool hl_load_plugin(const char *path, hl_error **err) {
    HL_GUARD(err, false, {
        if (!path) throw std::invalid_argument("hl_load_plugin: null path");
        Halide::load_plugin(path);
        return true;
    });
}

HL_API char *hl_halide_library_path(void) {
    HL_GUARD(nullptr, nullptr, {
#ifdef _WIN32
        return nullptr;
#else
        // Any function defined in libHalide names the file it was loaded from.
        Dl_info info;
        if (!dladdr(reinterpret_cast<void *>(&Halide::load_plugin), &info) || !info.dli_fname) return nullptr;
        return hl_shim::copy_string(info.dli_fname);
#endif
    });
}

HL_API char *hl_pipeline_apply_autoscheduler(hl_pipeline *p, const hl_target *t, const char *name, const char *const *keys,
                                             const char *const *values, size_t n_params, char **featurization,
                                             size_t *featurization_len, hl_error **err) {
    HL_GUARD(err, nullptr, {
        if (!name) throw std::invalid_argument("hl_pipeline_apply_autoscheduler: null name");
        if (!featurization || !featurization_len) {
            throw std::invalid_argument("hl_pipeline_apply_autoscheduler: null featurization slot");
        }
        if (n_params > 0 && (!keys || !values)) throw std::invalid_argument("autoscheduler parameters: null array");
        std::map<std::string, std::string> extra;
        for (size_t i = 0; i < n_params; i++) {
            if (!keys[i] || !values[i]) throw std::invalid_argument("autoscheduler parameter is null");
            extra[keys[i]] = values[i];
        }
        Halide::AutoSchedulerResults results = arg(p, "hl_pipeline_apply_autoscheduler").v.apply_autoscheduler(
            arg(t, "hl_pipeline_apply_autoscheduler target").v, Halide::AutoschedulerParams(name, extra));
        size_t len = 0;
        char *copy = hl_shim::copy_bytes(results.featurization.data(), results.featurization.size(), &len);
        char *source = nullptr;
        try {
            source = hl_shim::copy_string(results.schedule_source);
        } catch (...) {
            std::free(copy);
            throw;
        }
        *featurization = copy;
        *featurization_len = len;
        return source;
    });
}

HL_API bool hl_func_set_estimate(hl_func *f, const hl_var *var, const hl_expr *min, const hl_expr *extent,
                                 hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_set_estimate").v.set_estimate(arg(var, "var").v, expr_arg(min, "min"), expr_arg(extent, "extent"));
        return true;
    });
}

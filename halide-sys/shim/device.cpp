// Device interfaces of libHalide's JIT runtimes.
#include "shim.h"

using hl_shim::arg;

HL_API const halide_device_interface_t *hl_device_interface(const char *api, const hl_target *t, hl_error **err) {
    HL_GUARD(err, nullptr, {
        Halide::DeviceAPI device_api = hl_shim::device_api_named(api);
        // Loads (JIT-compiles, once per process) the API's runtime, which
        // libHalide keeps for the rest of the process.
        return Halide::get_device_interface_for_device_api(device_api, arg(t, "hl_device_interface target").v,
                                                           "hl_device_interface");
    });
}

HL_API int hl_with_jit_context(int (*run)(void *data, void *user_context), void *data, char **message,
                               hl_error **err) {
    HL_GUARD(err, -1, {
        if (!run) throw std::invalid_argument("hl_with_jit_context: null function");
        hl_shim::CallContext context(nullptr);
        int code = run(data, static_cast<Halide::JITUserContext *>(&context));
        if (code != 0 && message) {
            *message = hl_shim::copy_string(context.messages);
        }
        return code;
    });
}

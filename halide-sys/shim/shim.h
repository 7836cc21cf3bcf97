// Internals shared by the shim's translation units: the handle types, the
// exception guard, and conversions. Not part of the C API.
#ifndef HALIDE_SHIM_H
#define HALIDE_SHIM_H

#include "Halide.h"
#include "halide_c.h"

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <map>
#include <utility>
#include <string>
#include <type_traits>
#include <vector>

// On the Rust side hl_handlers is halide-runtime's RawHandlers, not a
// struct bindgen generates, so nothing there reads this header's layout.
// Both sides pin the same one instead: four pointers, in this order, of
// these types. halide-sys's lib.rs asserts the same of RawHandlers.
static_assert(std::is_same_v<decltype(hl_handlers::user), void *>);
static_assert(std::is_same_v<decltype(hl_handlers::print), void (*)(void *, const char *)>);
static_assert(std::is_same_v<decltype(hl_handlers::trace), int (*)(void *, const halide_trace_event_t *)>);
static_assert(std::is_same_v<decltype(hl_handlers::error), void (*)(void *, const char *)>);
static_assert(sizeof(hl_handlers) == 4 * sizeof(void *) && alignof(hl_handlers) == alignof(void *));
static_assert(offsetof(hl_handlers, user) == 0 && offsetof(hl_handlers, print) == sizeof(void *) &&
              offsetof(hl_handlers, trace) == 2 * sizeof(void *) && offsetof(hl_handlers, error) == 3 * sizeof(void *));

struct hl_error {
    hl_error_kind kind;
    std::string message;
};

struct hl_target {
    Halide::Target v;
};
struct hl_expr {
    Halide::Expr v;
};
struct hl_var {
    Halide::Var v;
};
struct hl_func {
    Halide::Func v;
};
struct hl_stage {
    Halide::Stage v;
};
struct hl_rdom {
    Halide::RDom v;
};
struct hl_loop_level {
    Halide::LoopLevel v;
};
struct hl_image_param {
    Halide::ImageParam v;
};
struct hl_output_buffer {
    Halide::OutputImageParam v;
};
struct hl_param {
    Halide::Param<> v;
};
struct hl_pipeline {
    Halide::Pipeline v;
};
struct hl_callable {
    /** Undefined for a signature without code (hl_pipeline_signature). */
    Halide::Callable v;
    /** The inputs, then the outputs. */
    std::vector<Halide::Argument> arguments;
    /** The parameter behind each input, in the inputs' order: where a caller
     *  that has no value of its own reads the current one. */
    std::vector<Halide::Parameter> params;
};

struct hl_module {
    Halide::Module v;
};
struct hl_const_buffer {
    Halide::Buffer<> v;
};
struct hl_derivative {
    Halide::Derivative v;
};

#define HL_API extern "C" __attribute__((visibility("default")))
/** Exported for code Halide generates, which calls these by name; the Rust
 *  side never does, so halide_c.h leaves them out. */
#define HL_TRAMPOLINE extern "C" __attribute__((visibility("default")))

namespace hl_shim {

inline void set_error(hl_error **err, hl_error_kind kind, const char *message) {
    if (err) {
        // If even this allocation fails, std::bad_alloc must not escape: the
        // caller then sees a null error and the fallback value.
        try {
            *err = new hl_error{kind, message ? message : ""};
        } catch (...) {
            *err = nullptr;
        }
    }
}

inline hl_error_kind kind_of(const Halide::Error &e) {
    if (dynamic_cast<const Halide::CompileError *>(&e)) return HL_ERROR_COMPILE;
    if (dynamic_cast<const Halide::RuntimeError *>(&e)) return HL_ERROR_RUNTIME;
    if (dynamic_cast<const Halide::InternalError *>(&e)) return HL_ERROR_INTERNAL;
    return HL_ERROR_OTHER;
}

/** The inputs of a pipeline, each with the parameter behind it. */
struct Inputs {
    std::vector<Halide::Argument> arguments;
    std::vector<Halide::Parameter> params;
};

/** The inputs of a pipeline: the given ones in order (for each i exactly
 *  one of scalars[i] and buffers[i]), or with `infer`, those it reads,
 *  buffers first, then scalars, each in name order. Inference is Halide's
 *  own (what Pipeline::infer_arguments returns), keeping the parameters that
 *  it drops, less the constant images it embeds and the user context. */
inline Inputs pipeline_inputs(const Halide::Pipeline &pipeline, bool infer, const hl_param *const *scalars,
                              const hl_image_param *const *buffers, size_t n_inputs) {
    Inputs inputs;
    if (infer) {
        std::vector<Halide::Internal::Function> outputs;
        for (const Halide::Func &f : pipeline.outputs()) {
            outputs.push_back(f.function());
        }
        std::vector<Halide::Internal::Stmt> requirements = pipeline.requirements();
        Halide::Internal::Stmt body;
        if (!requirements.empty()) body = Halide::Internal::Block::make(requirements);
        for (const Halide::Internal::InferredArgument &a : Halide::Internal::infer_arguments(body, outputs)) {
            if (a.buffer.defined() || !a.param.defined() || a.arg.name == "__user_context") continue;
            inputs.arguments.push_back(a.arg);
            inputs.params.push_back(a.param);
        }
        return inputs;
    }
    for (size_t i = 0; i < n_inputs; i++) {
        if (bool(scalars && scalars[i]) == bool(buffers && buffers[i])) {
            throw std::invalid_argument("input " + std::to_string(i) + ": give exactly one of a scalar and a buffer");
        }
        if (scalars && scalars[i]) {
            inputs.arguments.push_back(Halide::Argument(scalars[i]->v));
            inputs.params.push_back(scalars[i]->v.parameter());
        } else {
            inputs.arguments.push_back(Halide::Argument(buffers[i]->v));
            inputs.params.push_back(buffers[i]->v.parameter());
        }
    }
    return inputs;
}

/** Halide's MemoryType for the C enum's value. */
inline Halide::MemoryType to_memory_type(hl_memory_type memory) {
    switch (memory) {
    case HL_MEMORY_AUTO: return Halide::MemoryType::Auto;
    case HL_MEMORY_HEAP: return Halide::MemoryType::Heap;
    case HL_MEMORY_STACK: return Halide::MemoryType::Stack;
    case HL_MEMORY_REGISTER: return Halide::MemoryType::Register;
    case HL_MEMORY_GPU_SHARED: return Halide::MemoryType::GPUShared;
    case HL_MEMORY_GPU_TEXTURE: return Halide::MemoryType::GPUTexture;
    case HL_MEMORY_LOCKED_CACHE: return Halide::MemoryType::LockedCache;
    case HL_MEMORY_VTCM: return Halide::MemoryType::VTCM;
    case HL_MEMORY_AMX_TILE: return Halide::MemoryType::AMXTile;
    }
    throw std::invalid_argument("unknown memory type " + std::to_string(int(memory)));
}

/** The C enum's value for Halide's MemoryType (its inverse). */
inline hl_memory_type from_memory_type(Halide::MemoryType memory) {
    for (int m = HL_MEMORY_AUTO; m <= HL_MEMORY_AMX_TILE; m++) {
        if (to_memory_type(hl_memory_type(m)) == memory) return hl_memory_type(m);
    }
    throw std::invalid_argument("a memory type the C API does not name");
}

template <typename T>
void store_scalar(const Halide::Parameter &p, uint64_t *out) {
    T value = p.scalar<T>();
    std::memcpy(out, &value, sizeof value);
}

/** Writes the current value of scalar parameter p to the start of *out. */
inline void read_scalar(const Halide::Parameter &p, uint64_t *out) {
    if (!out) throw std::invalid_argument("null value slot");
    if (p.is_buffer()) throw std::invalid_argument("input " + p.name() + " is a buffer, not a scalar");
    if (!p.has_scalar_value()) throw std::invalid_argument("input " + p.name() + " has no value");
    const Halide::Type t = p.type();
    // Parameter::scalar<T> asserts that T is the parameter's type, so
    // dispatch on it; these are the types a Param can be made with.
    if (t == Halide::Bool()) store_scalar<bool>(p, out);
    else if (t == Halide::Int(8)) store_scalar<int8_t>(p, out);
    else if (t == Halide::Int(16)) store_scalar<int16_t>(p, out);
    else if (t == Halide::Int(32)) store_scalar<int32_t>(p, out);
    else if (t == Halide::Int(64)) store_scalar<int64_t>(p, out);
    else if (t == Halide::UInt(8)) store_scalar<uint8_t>(p, out);
    else if (t == Halide::UInt(16)) store_scalar<uint16_t>(p, out);
    else if (t == Halide::UInt(32)) store_scalar<uint32_t>(p, out);
    else if (t == Halide::UInt(64)) store_scalar<uint64_t>(p, out);
    else if (t == Halide::Float(32)) store_scalar<float>(p, out);
    else if (t == Halide::Float(64)) store_scalar<double>(p, out);
    else {
        std::ostringstream msg;
        msg << "input " << p.name() << " has type " << t << ", which has no current value to read";
        throw std::invalid_argument(msg.str());
    }
}

/** The device API whose target feature is `name` (cuda, opencl, ...). */
inline Halide::DeviceAPI device_api_named(const char *name) {
    if (!name) throw std::invalid_argument("null device API name");
    static const std::pair<const char *, Halide::DeviceAPI> apis[] = {
        {"cuda", Halide::DeviceAPI::CUDA},
        {"opencl", Halide::DeviceAPI::OpenCL},
        {"metal", Halide::DeviceAPI::Metal},
        {"d3d12compute", Halide::DeviceAPI::D3D12Compute},
        {"vulkan", Halide::DeviceAPI::Vulkan},
        {"webgpu", Halide::DeviceAPI::WebGPU},
    };
    for (const auto &[api_name, api] : apis) {
        if (std::string(api_name) == name) return api;
    }
    throw std::invalid_argument(std::string("no device API is named ") + name);
}

/** A malloc'd copy of s, released by hl_string_free. */
inline char *copy_string(const std::string &s) {
    char *out = static_cast<char *>(std::malloc(s.size() + 1));
    if (!out) throw std::bad_alloc();
    std::memcpy(out, s.c_str(), s.size() + 1);
    return out;
}

/** A malloc'd copy of the n bytes at data (at least one byte allocated,
 *  so that an empty result is not NULL), released by hl_string_free. */
inline char *copy_bytes(const void *data, size_t n, size_t *len) {
    char *out = static_cast<char *>(std::malloc(n == 0 ? 1 : n));
    if (!out) throw std::bad_alloc();
    if (n > 0) std::memcpy(out, data, n);
    *len = n;
    return out;
}

// Halide names its output kinds ("static_library", "c_header", ...) in
// get_output_info; keying the C API on those names keeps the shim free of a
// second copy of the enum.
inline Halide::OutputFileType output_kind(const char *name, const Halide::Target &t) {
    if (!name) throw std::invalid_argument("null output kind");
    for (const auto &[kind, info] : Halide::Internal::get_output_info(t)) {
        if (info.name == name) return kind;
    }
    throw std::invalid_argument(std::string("unknown output kind \"") + name + "\"");
}

/** The files paths[i] of kinds kinds[i], as Halide's compile functions take them. */
inline std::map<Halide::OutputFileType, std::string> output_files(const char *const *kinds, const char *const *paths,
                                                                  size_t n, const Halide::Target &t) {
    std::map<Halide::OutputFileType, std::string> files;
    for (size_t i = 0; i < n; i++) {
        if (!paths || !paths[i]) throw std::invalid_argument("null output path");
        files[output_kind(kinds ? kinds[i] : nullptr, t)] = paths[i];
    }
    if (files.empty()) throw std::invalid_argument("no output files requested");
    return files;
}

/** Every type the C API takes passes here: one Halide can represent (a
 *  known code with one of its widths, at least one lane), or an error. */
inline Halide::Type to_type(halide_type_t t) {
    bool ok = false;
    switch (t.code) {
    case halide_type_int: ok = t.bits == 8 || t.bits == 16 || t.bits == 32 || t.bits == 64; break;
    case halide_type_uint: ok = t.bits == 1 || t.bits == 8 || t.bits == 16 || t.bits == 32 || t.bits == 64; break;
    case halide_type_float: ok = t.bits == 16 || t.bits == 32 || t.bits == 64; break;
    case halide_type_bfloat: ok = t.bits == 16; break;
    case halide_type_handle: ok = t.bits == 64; break;
    }
    if (!ok || t.lanes < 1) {
        throw std::invalid_argument("no Halide type has code " + std::to_string(int(t.code)) + ", " +
                                    std::to_string(int(t.bits)) + " bits and " + std::to_string(int(t.lanes)) +
                                    " lanes");
    }
    return Halide::Type(t);
}

inline halide_type_t from_type(const Halide::Type &t) {
    return halide_type_t(t);
}

/** Halide rejects undefined Exprs deep inside with internal errors; the C API
 *  refuses NULL and undefined operands up front with a plain message. */
inline const Halide::Expr &expr_arg(const hl_expr *e, const char *what) {
    if (!e) throw std::invalid_argument(std::string(what) + ": null expression");
    if (!e->v.defined()) throw std::invalid_argument(std::string(what) + ": undefined expression");
    return e->v;
}

/** *p, or an error for NULL; constness follows the pointer's. */
template<typename T>
T &arg(T *p, const char *what) {
    if (!p) throw std::invalid_argument(std::string(what) + ": null handle");
    return *p;
}

/** The arguments of a call, checked for NULL and undefined expressions. */
inline std::vector<Halide::Expr> expr_args(const hl_expr *const *args, size_t n, const char *what) {
    if (n > 0 && !args) throw std::invalid_argument(std::string(what) + ": null array");
    std::vector<Halide::Expr> exprs;
    exprs.reserve(n);
    for (size_t i = 0; i < n; i++) {
        exprs.push_back(expr_arg(args[i], what));
    }
    return exprs;
}

/** A schedule's loop variable, by name, as Halide's own VarOrRVar is. */
inline Halide::VarOrRVar loop_var(const hl_loop_var &v, const char *what) {
    if (!v.name) throw std::invalid_argument(std::string(what) + ": null loop variable name");
    return Halide::VarOrRVar(v.name, v.is_rvar);
}

/** The context of one run of a pipeline: Halide's runtime sees it as a
 *  JITUserContext and reports errors into it, so that concurrent runs keep
 *  their messages apart, and passes print, trace and error events to the
 *  caller's handlers. The AOT path has its own, in Rust (halide-runtime's
 *  aot module): it has no JITUserContext, and it must run without libHalide. */
struct CallContext : Halide::JITUserContext {
    std::string messages;
    hl_handlers user_handlers{};

    explicit CallContext(const hl_handlers *h) {
        if (h) user_handlers = *h;
        handlers.custom_error = [](Halide::JITUserContext *ctx, const char *msg) {
            auto *self = static_cast<CallContext *>(ctx);
            self->messages += msg ? msg : "";
            if (self->user_handlers.error) self->user_handlers.error(self->user_handlers.user, msg ? msg : "");
        };
        if (user_handlers.print) {
            handlers.custom_print = [](Halide::JITUserContext *ctx, const char *msg) {
                auto *self = static_cast<CallContext *>(ctx);
                self->user_handlers.print(self->user_handlers.user, msg ? msg : "");
            };
        }
        if (user_handlers.trace) {
            handlers.custom_trace = [](Halide::JITUserContext *ctx, const halide_trace_event_t *e) {
                auto *self = static_cast<CallContext *>(ctx);
                return self->user_handlers.trace(self->user_handlers.user, e);
            };
        }
    }
};

}  // namespace hl_shim

// The body of every entry point of the C API runs inside HL_GUARD, so no C++
// exception can unwind into the caller. Halide::Error does not derive from
// std::exception, hence its own clause, first.
//   HL_GUARD(err, value_on_failure, { ...body that returns... });
#define HL_GUARD(err, fallback, ...)                                              \
    do {                                                                          \
        try {                                                                     \
            __VA_ARGS__                                                           \
        } catch (const Halide::Error &e) {                                        \
            ::hl_shim::set_error(err, ::hl_shim::kind_of(e), e.what());           \
        } catch (const std::invalid_argument &e) {                                \
            ::hl_shim::set_error(err, HL_ERROR_INVALID_ARGUMENT, e.what());       \
        } catch (const std::exception &e) {                                       \
            ::hl_shim::set_error(err, HL_ERROR_OTHER, e.what());                  \
        } catch (...) {                                                           \
            ::hl_shim::set_error(err, HL_ERROR_OTHER, "unknown C++ exception");   \
        }                                                                         \
        return fallback;                                                          \
    } while (0)

#endif

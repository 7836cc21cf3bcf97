// Extern stages computed by Rust: Funcs defined by a callback instead of
// Halide code. The generated code calls one of the trampolines below by
// name (the JIT finds them among this library's exported symbols) with the
// JIT's user context, the stage's state (a pointer baked into the code as
// a handle constant) and its buffers; the trampoline hands them to the one
// callback the Rust side registered.
#include "shim.h"

#include <atomic>
#include <set>
#include <sstream>

using hl_shim::arg;

static std::atomic<hl_extern_callback> extern_callback{nullptr};

HL_API void hl_set_extern_callback(hl_extern_callback callback) {
    HL_GUARD(nullptr, , { extern_callback.store(callback); });
}

static int dispatch(void *user_context, void *state, halide_buffer_t **buffers, int n) {
    // Nothing may unwind into generated code.
    HL_GUARD(nullptr, -1, {
        hl_extern_callback callback = extern_callback.load();
        char message[1024] = {0};
        int code = callback ? callback(state, buffers, n, message, sizeof message) : -1;
        if (code != 0) {
            // Through the call's error handler: the message joins the ones
            // the caller's Err reports.
            auto *ctx = static_cast<Halide::JITUserContext *>(user_context);
            std::string text = std::string(callback ? message : "no extern callback is registered") + "\n";
            if (ctx && ctx->handlers.custom_error) ctx->handlers.custom_error(ctx, text.c_str());
        }
        return code;
    });
}

// One trampoline per buffer count (inputs, then the output).
#define HL_BUF halide_buffer_t *
HL_TRAMPOLINE int halide_rs_extern_1(void *uc, void *s, HL_BUF a) {
    halide_buffer_t *b[] = {a};
    return dispatch(uc, s, b, 1);
}
HL_TRAMPOLINE int halide_rs_extern_2(void *uc, void *s, HL_BUF a, HL_BUF c) {
    halide_buffer_t *b[] = {a, c};
    return dispatch(uc, s, b, 2);
}
HL_TRAMPOLINE int halide_rs_extern_3(void *uc, void *s, HL_BUF a, HL_BUF c, HL_BUF d) {
    halide_buffer_t *b[] = {a, c, d};
    return dispatch(uc, s, b, 3);
}
HL_TRAMPOLINE int halide_rs_extern_4(void *uc, void *s, HL_BUF a, HL_BUF c, HL_BUF d, HL_BUF e) {
    halide_buffer_t *b[] = {a, c, d, e};
    return dispatch(uc, s, b, 4);
}
HL_TRAMPOLINE int halide_rs_extern_5(void *uc, void *s, HL_BUF a, HL_BUF c, HL_BUF d, HL_BUF e, HL_BUF f) {
    halide_buffer_t *b[] = {a, c, d, e, f};
    return dispatch(uc, s, b, 5);
}
#undef HL_BUF

/** The inputs as Halide's arguments; scalars only where `scalars` (the
 *  Rust trampolines take buffers alone). */
static std::vector<Halide::ExternFuncArgument> extern_inputs(const hl_extern_input *inputs, size_t n, bool scalars) {
    if (n > 0 && !inputs) throw std::invalid_argument("null extern inputs");
    std::vector<Halide::ExternFuncArgument> params;
    for (size_t i = 0; i < n; i++) {
        const hl_extern_input &in = inputs[i];
        if (int(bool(in.func)) + bool(in.image) + bool(in.buffer) + bool(in.expr) != 1) {
            throw std::invalid_argument("an extern input is exactly one of a Func, an image, a buffer and a scalar");
        }
        if (in.func) {
            params.emplace_back(arg(in.func, "extern input").v);
        } else if (in.image) {
            params.emplace_back(arg(in.image, "extern input").v);
        } else if (in.buffer) {
            params.emplace_back(arg(in.buffer, "extern input").v);
        } else if (!scalars) {
            throw std::invalid_argument("a Rust extern stage takes buffers only (input " + std::to_string(i) +
                                        " is a scalar): let its closure capture the value");
        } else {
            params.emplace_back(hl_shim::expr_arg(in.expr, "extern input"));
        }
    }
    return params;
}

// Scalar functions computed by Rust, called from expressions: every value
// crosses as a double (exact for the int32, float32 and float64 they take).
static std::atomic<hl_scalar_callback> scalar_callback{nullptr};

HL_API void hl_set_scalar_callback(hl_scalar_callback callback) {
    HL_GUARD(nullptr, , { scalar_callback.store(callback); });
}

static double scalar(void *state, const double *args, int n) {
    hl_scalar_callback callback = scalar_callback.load();
    return callback ? callback(state, args, n) : 0.0;
}

#define HL_SCALAR_TRAMPOLINES(T, NAME)                                               \
    HL_TRAMPOLINE T halide_rs_scalar_##NAME##_1(void *s, T a) {                             \
        const double args[] = {double(a)};                                           \
        return T(scalar(s, args, 1));                                                \
    }                                                                                \
    HL_TRAMPOLINE T halide_rs_scalar_##NAME##_2(void *s, T a, T b) {                        \
        const double args[] = {double(a), double(b)};                                \
        return T(scalar(s, args, 2));                                                \
    }                                                                                \
    HL_TRAMPOLINE T halide_rs_scalar_##NAME##_3(void *s, T a, T b, T c) {                   \
        const double args[] = {double(a), double(b), double(c)};                     \
        return T(scalar(s, args, 3));                                                \
    }
HL_SCALAR_TRAMPOLINES(float, f32)
HL_SCALAR_TRAMPOLINES(double, f64)
HL_SCALAR_TRAMPOLINES(int32_t, i32)
#undef HL_SCALAR_TRAMPOLINES

HL_API hl_expr *hl_expr_rust_scalar_call(void *state, struct halide_type_t type, const hl_expr *const *args, size_t n,
                                         hl_error **err) {
    HL_GUARD(err, nullptr, {
        Halide::Type t = hl_shim::to_type(type);
        const char *name = t == Halide::Float(32) ? "f32" : t == Halide::Float(64) ? "f64" : t == Halide::Int(32) ? "i32" : nullptr;
        if (!name) throw std::invalid_argument("Rust scalar functions take and return float32, float64 or int32");
        if (n < 1 || n > 3) throw std::invalid_argument("Rust scalar functions take 1 to 3 arguments");
        std::vector<Halide::Expr> call_args{
            Halide::reinterpret(Halide::Handle(), Halide::Internal::make_const(Halide::UInt(64), (uint64_t)(uintptr_t)state))};
        for (size_t i = 0; i < n; i++) {
            Halide::Expr e = hl_shim::expr_arg(args[i], "argument");
            if (e.type() != t) {
                std::ostringstream why;
                why << "argument " << i << " of a Rust scalar function is " << e.type() << ", not " << t;
                throw std::invalid_argument(why.str());
            }
            call_args.push_back(e);
        }
        return new hl_expr{Halide::Internal::Call::make(
            t, std::string(HL_EXTERN_CALL_PREFIX) + name + "_" + std::to_string(n), call_args, Halide::Internal::Call::Extern)};
    });
}

HL_API bool hl_func_define_extern_c(hl_func *f, const char *name, const hl_extern_input *inputs, size_t n_inputs,
                                    struct halide_type_t type, int dimensions, hl_name_mangling mangling,
                                    hl_error **err) {
    HL_GUARD(err, false, {
        if (!name || !*name) throw std::invalid_argument("an extern stage needs a function name");
        if (dimensions < 0) throw std::invalid_argument("negative dimensions");
        // The user context first, so that the stage's errors reach the
        // caller's error handler as the pipeline's own do.
        std::vector<Halide::ExternFuncArgument> params{Halide::user_context_value()};
        for (auto &input : extern_inputs(inputs, n_inputs, true)) params.push_back(std::move(input));
        Halide::NameMangling m;
        switch (mangling) {
        case HL_MANGLING_DEFAULT: m = Halide::NameMangling::Default; break;
        case HL_MANGLING_C: m = Halide::NameMangling::C; break;
        case HL_MANGLING_CPLUSPLUS: m = Halide::NameMangling::CPlusPlus; break;
        default: throw std::invalid_argument("unknown name mangling " + std::to_string(int(mangling)));
        }
        arg(f, "hl_func_define_extern_c").v.define_extern(name, params, hl_shim::to_type(type), dimensions, m);
        return true;
    });
}

HL_API bool hl_func_define_extern_rust(hl_func *f, void *state, const hl_extern_input *inputs, size_t n_inputs,
                                       struct halide_type_t type, int dimensions, hl_error **err) {
    HL_GUARD(err, false, {
        if (n_inputs + 1 > HL_EXTERN_MAX_BUFFERS) {
            throw std::invalid_argument("a Rust extern stage takes at most " +
                                        std::to_string(HL_EXTERN_MAX_BUFFERS - 1) + " input buffers");
        }
        if (dimensions < 0) throw std::invalid_argument("negative dimensions");
        std::vector<Halide::ExternFuncArgument> params{
            Halide::user_context_value(),
            Halide::reinterpret(Halide::Handle(), Halide::Internal::make_const(Halide::UInt(64),
                                                                                 (uint64_t)(uintptr_t)state))};
        for (auto &input : extern_inputs(inputs, n_inputs, false)) params.push_back(std::move(input));
        // The trampolines are C functions, whatever the target's mangling.
        arg(f, "hl_func_define_extern_rust").v.define_extern(HL_EXTERN_PREFIX + std::to_string(n_inputs + 1), params,
                                                               hl_shim::to_type(type), dimensions,
                                                               Halide::NameMangling::C);
        return true;
    });
}

namespace {
// Every Function a pipeline reaches: through calls in definitions, and
// through extern stages' Func arguments.
struct Reach : Halide::Internal::IRGraphVisitor {
    std::set<std::string> seen;
    bool rust_extern = false;

    void add(const Halide::Internal::Function &f) {
        if (!seen.insert(f.name()).second) return;
        if (f.has_extern_definition()) {
            if (f.extern_function_name().rfind(HL_EXTERN_PREFIX, 0) == 0) rust_extern = true;
            for (const auto &a : f.extern_arguments()) {
                if (a.is_func()) add(Halide::Internal::Function(a.func));
            }
        }
        f.accept(this);
    }

    using IRGraphVisitor::visit;
    void visit(const Halide::Internal::Call *c) override {
        IRGraphVisitor::visit(c);
        if (c->func.defined()) add(Halide::Internal::Function(c->func));
        if (c->name.rfind(HL_EXTERN_CALL_PREFIX, 0) == 0) rust_extern = true;
    }
};
}  // namespace

HL_API bool hl_pipeline_has_rust_extern(const hl_pipeline *p, hl_error **err) {
    HL_GUARD(err, false, {
        Reach reach;
        for (const Halide::Func &out : arg(p, "hl_pipeline_has_rust_extern").v.outputs()) reach.add(out.function());
        return reach.rust_extern;
    });
}

// Halide::Pipeline and the Callables it compiles to.
#include "shim.h"

using hl_shim::arg;

HL_API hl_pipeline *hl_pipeline_new(hl_func *const *outputs, size_t n_outputs, hl_error **err) {
    HL_GUARD(err, nullptr, {
        std::vector<Halide::Func> funcs;
        for (size_t i = 0; i < n_outputs; i++) {
            funcs.push_back(arg(outputs[i], "hl_pipeline_new output").v);
        }
        return new hl_pipeline{Halide::Pipeline(funcs)};
    });
}

HL_API void hl_pipeline_free(hl_pipeline *p) {
    HL_GUARD(nullptr, , { delete p; });
}

HL_API char *hl_pipeline_serialize(const hl_pipeline *p, size_t *len, hl_error **err) {
    HL_GUARD(err, nullptr, {
        if (!len) throw std::invalid_argument("hl_pipeline_serialize: null length");
        std::vector<uint8_t> data;
        Halide::serialize_pipeline(arg(p, "hl_pipeline_serialize").v, data);
        char *out = static_cast<char *>(std::malloc(data.empty() ? 1 : data.size()));
        if (!out) throw std::bad_alloc();
        std::memcpy(out, data.data(), data.size());
        *len = data.size();
        return out;
    });
}

HL_API hl_pipeline *hl_pipeline_deserialize(const char *data, size_t len, const hl_param *const *scalars,
                                            const hl_image_param *const *buffers, size_t n_inputs, hl_error **err) {
    HL_GUARD(err, nullptr, {
        if (!data && len > 0) throw std::invalid_argument("hl_pipeline_deserialize: null data");
        if (n_inputs > 0 && (!scalars || !buffers)) throw std::invalid_argument("hl_pipeline_deserialize: null inputs");
        std::map<std::string, Halide::Parameter> params;
        for (size_t i = 0; i < n_inputs; i++) {
            Halide::Parameter p = scalars[i] ? arg(scalars[i], "hl_pipeline_deserialize input").v.parameter()
                                             : arg(buffers[i], "hl_pipeline_deserialize input").v.parameter();
            params.emplace(p.name(), p);
        }
        std::vector<uint8_t> bytes(data, data + len);
        return new hl_pipeline{Halide::deserialize_pipeline(bytes, params)};
    });
}

namespace {

/** The callable's arguments: the inputs, then one output buffer per output value. */
std::vector<Halide::Argument> callable_arguments(const Halide::Pipeline &pipeline,
                                                 std::vector<Halide::Argument> arguments) {
    for (const Halide::Func &out : pipeline.outputs()) {
        for (const Halide::Type &type : out.types()) {
            arguments.emplace_back(out.name(), Halide::Argument::OutputBuffer, type, out.dimensions(),
                                   Halide::ArgumentEstimates{});
        }
    }
    return arguments;
}

}  // namespace

HL_API hl_callable *hl_pipeline_compile(hl_pipeline *p, const hl_target *t, bool infer, const hl_param *const *scalars,
                                        const hl_image_param *const *buffers, size_t n_inputs, hl_error **err) {
    HL_GUARD(err, nullptr, {
        Halide::Pipeline &pipeline = arg(p, "hl_pipeline_compile").v;
        hl_shim::Inputs inputs = hl_shim::pipeline_inputs(pipeline, infer, scalars, buffers, n_inputs);
        Halide::Callable callable =
            pipeline.compile_to_callable(inputs.arguments, arg(t, "hl_pipeline_compile target").v);
        return new hl_callable{callable, callable_arguments(pipeline, inputs.arguments), inputs.params};
    });
}

HL_API hl_callable *hl_pipeline_signature(hl_pipeline *p, bool infer, const hl_param *const *scalars,
                                          const hl_image_param *const *buffers, size_t n_inputs, hl_error **err) {
    HL_GUARD(err, nullptr, {
        Halide::Pipeline &pipeline = arg(p, "hl_pipeline_signature").v;
        hl_shim::Inputs inputs = hl_shim::pipeline_inputs(pipeline, infer, scalars, buffers, n_inputs);
        return new hl_callable{Halide::Callable(), callable_arguments(pipeline, inputs.arguments), inputs.params};
    });
}

HL_API size_t hl_callable_argument_count(const hl_callable *c, hl_error **err) {
    HL_GUARD(err, 0, { return arg(c, "hl_callable_argument_count").arguments.size(); });
}

HL_API bool hl_callable_argument(const hl_callable *c, size_t i, hl_argument *out, hl_error **err) {
    HL_GUARD(err, false, {
        const hl_callable &callable = arg(c, "hl_callable_argument");
        if (i >= callable.arguments.size() || !out) {
            throw std::invalid_argument("argument index " + std::to_string(i) + " out of range");
        }
        const Halide::Argument &a = callable.arguments[i];
        out->name = a.name.c_str();
        out->kind = a.is_scalar() ? HL_ARGUMENT_INPUT_SCALAR
                    : a.is_input() ? HL_ARGUMENT_INPUT_BUFFER
                                   : HL_ARGUMENT_OUTPUT_BUFFER;
        out->type = hl_shim::from_type(a.type);
        out->dimensions = a.dimensions;
        return true;
    });
}

namespace {

template <typename T>
void store(const Halide::Parameter &p, uint64_t *out) {
    T value = p.scalar<T>();
    std::memcpy(out, &value, sizeof value);
}

}  // namespace

HL_API bool hl_callable_param_value(const hl_callable *c, size_t i, uint64_t *out, hl_error **err) {
    HL_GUARD(err, false, {
        const hl_callable &callable = arg(c, "hl_callable_param_value");
        if (i >= callable.params.size() || !out) {
            throw std::invalid_argument("input index " + std::to_string(i) + " out of range");
        }
        const Halide::Parameter &p = callable.params[i];
        if (p.is_buffer()) throw std::invalid_argument("input " + p.name() + " is a buffer, not a scalar");
        if (!p.has_scalar_value()) throw std::invalid_argument("input " + p.name() + " has no value");
        const Halide::Type t = p.type();
        // Parameter::scalar<T> asserts that T is the parameter's type, so
        // dispatch on it; these are the types a Param can be made with.
        if (t == Halide::Bool()) store<bool>(p, out);
        else if (t == Halide::Int(8)) store<int8_t>(p, out);
        else if (t == Halide::Int(16)) store<int16_t>(p, out);
        else if (t == Halide::Int(32)) store<int32_t>(p, out);
        else if (t == Halide::Int(64)) store<int64_t>(p, out);
        else if (t == Halide::UInt(8)) store<uint8_t>(p, out);
        else if (t == Halide::UInt(16)) store<uint16_t>(p, out);
        else if (t == Halide::UInt(32)) store<uint32_t>(p, out);
        else if (t == Halide::UInt(64)) store<uint64_t>(p, out);
        else if (t == Halide::Float(32)) store<float>(p, out);
        else if (t == Halide::Float(64)) store<double>(p, out);
        else {
            std::ostringstream msg;
            msg << "input " << p.name() << " has type " << t << ", which has no current value to read";
            throw std::invalid_argument(msg.str());
        }
        return true;
    });
}

HL_API int hl_callable_call(const hl_callable *c, const void **argv, size_t argc, const hl_handlers *handlers,
                            char **message, hl_error **err) {
    HL_GUARD(err, -1, {
        const hl_callable &callable = arg(c, "hl_callable_call");
        if (!callable.v.defined()) throw std::invalid_argument("hl_callable_call: this callable has no code");
        if (argc != callable.arguments.size() || !argv) {
            throw std::invalid_argument("expected " + std::to_string(callable.arguments.size()) + " arguments, got " +
                                        std::to_string(argc));
        }
        hl_shim::CallContext context(handlers);
        Halide::JITUserContext *context_ptr = &context;
        argv[0] = &context_ptr;
        int code = callable.v.call_argv_fast(argc + 1, argv);
        if (code != 0 && message) {
            *message = hl_shim::copy_string(context.messages);
        }
        return code;
    });
}

HL_API void hl_callable_free(hl_callable *c) {
    HL_GUARD(nullptr, , { delete c; });
}

HL_API bool hl_pipeline_add_requirement(hl_pipeline *p, const hl_expr *condition, const hl_expr *const *args,
                                        size_t n_args, hl_error **err) {
    HL_GUARD(err, false, {
        std::vector<Halide::Expr> message = hl_shim::expr_args(args, n_args, "requirement message");
        arg(p, "hl_pipeline_add_requirement").v.add_requirement(hl_shim::expr_arg(condition, "condition"), message);
        return true;
    });
}

HL_API int hl_pipeline_outputs_len(const hl_pipeline *p, hl_error **err) {
    HL_GUARD(err, -1, { return int(arg(p, "hl_pipeline_outputs_len").v.outputs().size()); });
}

HL_API hl_func *hl_pipeline_output(const hl_pipeline *p, int i, hl_error **err) {
    HL_GUARD(err, nullptr, {
        std::vector<Halide::Func> outputs = arg(p, "hl_pipeline_output").v.outputs();
        if (i < 0 || size_t(i) >= outputs.size()) throw std::invalid_argument("output index out of range");
        return new hl_func{outputs[i]};
    });
}

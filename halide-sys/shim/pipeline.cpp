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
        return hl_shim::copy_bytes(data.data(), data.size(), len);
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

HL_API bool hl_pipeline_infer_input_bounds(hl_pipeline *p, const hl_target *t, const int32_t *sizes, size_t n_sizes,
                                           int32_t *regions, size_t n_regions, hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Pipeline &pipeline = arg(p, "hl_pipeline_infer_input_bounds").v;
        const Halide::Target &target = arg(t, "hl_pipeline_infer_input_bounds target").v;
        if ((!sizes && n_sizes > 0) || (!regions && n_regions > 0)) {
            throw std::invalid_argument("hl_pipeline_infer_input_bounds: null array");
        }
        std::vector<Halide::Parameter> images;
        size_t needed = 0;
        hl_shim::Inputs inputs = hl_shim::pipeline_inputs(pipeline, true, nullptr, nullptr, 0);
        for (Halide::Parameter &param : inputs.params) {
            if (!param.is_buffer()) continue;
            if (param.buffer().defined()) throw std::invalid_argument("input " + param.name() + " has a buffer bound");
            images.push_back(param);
            needed += 2 * size_t(param.dimensions());
        }
        if (needed != n_regions) {
            throw std::invalid_argument("the image inputs have " + std::to_string(needed / 2) + " dimensions, not " +
                                        std::to_string(n_regions / 2));
        }
        // Halide answers by binding a new buffer of the region to each
        // image input; they are unbound again whatever happens, so that
        // every later call still takes its buffers as arguments.
        struct Unbind {
            std::vector<Halide::Parameter> &images;
            ~Unbind() {
                for (Halide::Parameter &param : images) param.set_buffer(Halide::Buffer<>());
            }
        } unbind{images};
        // Query buffers, without host memory, for every output value:
        // Halide's overload taking sizes allocates one output only.
        std::vector<int> shape(sizes, sizes + n_sizes);
        for (int extent : shape) {
            if (extent < 0) throw std::invalid_argument("an output size is negative: " + std::to_string(extent));
        }
        std::vector<Halide::Buffer<>> outputs;
        for (const Halide::Func &f : pipeline.outputs()) {
            if (f.dimensions() != int(n_sizes)) {
                throw std::invalid_argument("output " + f.name() + " has " + std::to_string(f.dimensions()) +
                                            " dimensions, not " + std::to_string(n_sizes));
            }
            for (const Halide::Type &t : f.types()) outputs.emplace_back(t, nullptr, shape);
        }
        pipeline.infer_input_bounds(Halide::Realization(std::move(outputs)), target);
        size_t k = 0;
        for (const Halide::Parameter &param : images) {
            Halide::Buffer<> b = param.buffer();
            for (int d = 0; d < param.dimensions(); d++) {
                regions[k++] = b.dim(d).min();
                regions[k++] = b.dim(d).extent();
            }
        }
        return true;
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

HL_API bool hl_callable_param_value(const hl_callable *c, size_t i, uint64_t *out, hl_error **err) {
    HL_GUARD(err, false, {
        const hl_callable &callable = arg(c, "hl_callable_param_value");
        if (i >= callable.params.size() || !out) {
            throw std::invalid_argument("input index " + std::to_string(i) + " out of range");
        }
        hl_shim::read_scalar(callable.params[i], out);
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

namespace Halide::Internal {
// Exported by libHalide but declared only in PrintLoopNest.h, which
// Halide.h leaves out: Func::print_loop_nest writes this text to Halide's
// debug stream, where a caller cannot get at it.
std::string print_loop_nest(const std::vector<Function> &output_funcs);
}  // namespace Halide::Internal

HL_API hl_func *hl_pipeline_get_func(const hl_pipeline *p, size_t index, hl_error **err) {
    HL_GUARD(err, nullptr, {
        // A copy shares the pipeline; get_func is not const only by its declaration.
        Halide::Pipeline pipeline = arg(p, "hl_pipeline_get_func").v;
        return new hl_func{pipeline.get_func(index)};
    });
}

HL_API char *hl_pipeline_loop_nest(const hl_pipeline *p, hl_error **err) {
    HL_GUARD(err, nullptr, {
        std::vector<Halide::Internal::Function> outputs;
        for (const Halide::Func &f : arg(p, "hl_pipeline_loop_nest").v.outputs()) {
            if (!f.defined()) throw std::invalid_argument("the loop nest of a Func without a definition");
            outputs.push_back(f.function());
        }
        return hl_shim::copy_string(Halide::Internal::print_loop_nest(outputs));
    });
}

HL_API hl_callable *hl_pipeline_deserialize_parameters(const char *data, size_t len, hl_error **err) {
    HL_GUARD(err, nullptr, {
        if (!data && len > 0) throw std::invalid_argument("hl_pipeline_deserialize_parameters: null data");
        std::vector<uint8_t> bytes(data, data + len);
        hl_callable signature;
        for (const auto &[name, param] : Halide::deserialize_parameters(bytes)) {
            signature.arguments.emplace_back(name,
                                             param.is_buffer() ? Halide::Argument::InputBuffer
                                                               : Halide::Argument::InputScalar,
                                             param.type(), param.dimensions(), Halide::ArgumentEstimates{});
            signature.params.push_back(param);
        }
        return new hl_callable{std::move(signature)};
    });
}

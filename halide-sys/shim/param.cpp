// Pipeline inputs: ImageParam, whose buffers are bound per call, and
// scalar parameters.
#include "shim.h"

#include <sstream>

using hl_shim::arg;

HL_API hl_image_param *hl_image_param_new(struct halide_type_t t, int dimensions, const char *name, hl_error **err) {
    HL_GUARD(err, nullptr, {
        if (!name) throw std::invalid_argument("hl_image_param_new: null name");
        return new hl_image_param{Halide::ImageParam(hl_shim::to_type(t), dimensions, std::string(name))};
    });
}

HL_API void hl_image_param_free(hl_image_param *p) {
    HL_GUARD(nullptr, , { delete p; });
}

HL_API char *hl_image_param_name(const hl_image_param *p, hl_error **err) {
    HL_GUARD(err, nullptr, { return hl_shim::copy_string(arg(p, "hl_image_param_name").v.name()); });
}

HL_API hl_expr *hl_image_param_call(const hl_image_param *p, const hl_expr *const *args, size_t n_args,
                                    hl_error **err) {
    HL_GUARD(err, nullptr, {
        std::vector<Halide::Expr> exprs = hl_shim::expr_args(args, n_args, "hl_image_param_call argument");
        return new hl_expr{Halide::Expr(arg(p, "hl_image_param_call").v(exprs))};
    });
}

namespace {

/** Dimension `dim` of p (an ImageParam or a Func's output buffer), checked. */
Halide::Internal::Dimension dim_of(const Halide::OutputImageParam &p, int dim) {
    if (dim < 0 || dim >= p.dimensions()) {
        throw std::invalid_argument("buffer \"" + p.name() + "\" has no dimension " + std::to_string(dim));
    }
    return p.dim(dim);
}

bool set_dim(const Halide::OutputImageParam &p, int dim, hl_dim_field field, const hl_expr *value) {
    Halide::Expr e = value ? hl_shim::expr_arg(value, "dimension value") : Halide::Expr();
    Halide::Internal::Dimension d = dim_of(p, dim);
    switch (field) {
    case HL_DIM_MIN: d.set_min(e); return true;
    case HL_DIM_EXTENT: d.set_extent(e); return true;
    case HL_DIM_STRIDE: d.set_stride(e); return true;
    default: break;
    }
    throw std::invalid_argument("not a settable dimension field " + std::to_string(int(field)));
}

/** The constraint or estimate `field` of dimension `dim` of p, undefined when unset. */
Halide::Expr dim_constraint(const Halide::OutputImageParam &p, int dim, hl_dim_field field) {
    dim_of(p, dim);
    Halide::Parameter param = p.parameter();
    switch (field) {
    case HL_DIM_MIN_CONSTRAINT: return param.min_constraint(dim);
    case HL_DIM_EXTENT_CONSTRAINT: return param.extent_constraint(dim);
    case HL_DIM_STRIDE_CONSTRAINT: return param.stride_constraint(dim);
    case HL_DIM_MIN_ESTIMATE: return param.min_constraint_estimate(dim);
    case HL_DIM_EXTENT_ESTIMATE: return param.extent_constraint_estimate(dim);
    default: throw std::invalid_argument("dimension field " + std::to_string(int(field)) + " is no constraint");
    }
}

hl_expr *dim_expr(const Halide::OutputImageParam &p, int dim, hl_dim_field field) {
    Halide::Internal::Dimension d = dim_of(p, dim);
    switch (field) {
    case HL_DIM_MIN: return new hl_expr{d.min()};
    case HL_DIM_EXTENT: return new hl_expr{d.extent()};
    case HL_DIM_STRIDE: return new hl_expr{d.stride()};
    default: break;
    }
    Halide::Expr e = dim_constraint(p, dim, field);
    if (!e.defined()) throw std::invalid_argument("dimension " + std::to_string(dim) + " of " + p.name() + " has no such constraint");
    return new hl_expr{e};
}

bool set_estimate(const Halide::OutputImageParam &p, int dim, const hl_expr *min, const hl_expr *extent) {
    dim_of(p, dim).set_estimate(hl_shim::expr_arg(min, "min"), hl_shim::expr_arg(extent, "extent"));
    return true;
}

}  // namespace

HL_API bool hl_image_param_set_dim(hl_image_param *p, int dim, hl_dim_field field, const hl_expr *value,
                                   hl_error **err) {
    HL_GUARD(err, false, { return set_dim(arg(p, "hl_image_param_set_dim").v, dim, field, value); });
}

HL_API hl_expr *hl_image_param_dim_expr(const hl_image_param *p, int dim, hl_dim_field field, hl_error **err) {
    HL_GUARD(err, nullptr, { return dim_expr(arg(p, "hl_image_param_dim_expr").v, dim, field); });
}

HL_API bool hl_image_param_dim_has(const hl_image_param *p, int dim, hl_dim_field field, hl_error **err) {
    HL_GUARD(err, false, { return dim_constraint(arg(p, "hl_image_param_dim_has").v, dim, field).defined(); });
}

HL_API bool hl_output_buffer_dim_has(const hl_output_buffer *b, int dim, hl_dim_field field, hl_error **err) {
    HL_GUARD(err, false, { return dim_constraint(arg(b, "hl_output_buffer_dim_has").v, dim, field).defined(); });
}

HL_API void hl_output_buffer_free(hl_output_buffer *b) {
    HL_GUARD(nullptr, , { delete b; });
}

HL_API bool hl_output_buffer_set_dim(hl_output_buffer *b, int dim, hl_dim_field field, const hl_expr *value,
                                     hl_error **err) {
    HL_GUARD(err, false, { return set_dim(arg(b, "hl_output_buffer_set_dim").v, dim, field, value); });
}

HL_API hl_expr *hl_output_buffer_dim_expr(const hl_output_buffer *b, int dim, hl_dim_field field, hl_error **err) {
    HL_GUARD(err, nullptr, { return dim_expr(arg(b, "hl_output_buffer_dim_expr").v, dim, field); });
}

HL_API bool hl_output_buffer_set_estimate(hl_output_buffer *b, int dim, const hl_expr *min, const hl_expr *extent,
                                          hl_error **err) {
    HL_GUARD(err, false, { return set_estimate(arg(b, "hl_output_buffer_set_estimate").v, dim, min, extent); });
}

HL_API bool hl_image_param_set_host_alignment(hl_image_param *p, int bytes, hl_error **err) {
    HL_GUARD(err, false, {
        if (bytes <= 0 || (bytes & (bytes - 1)) != 0) {
            throw std::invalid_argument("host alignment must be a power of two, not " + std::to_string(bytes));
        }
        arg(p, "hl_image_param_set_host_alignment").v.set_host_alignment(bytes);
        return true;
    });
}

HL_API int hl_image_param_host_alignment(const hl_image_param *p, hl_error **err) {
    HL_GUARD(err, 0, { return arg(p, "hl_image_param_host_alignment").v.parameter().host_alignment(); });
}

HL_API bool hl_image_param_store_in(hl_image_param *p, hl_memory_type memory, hl_error **err) {
    HL_GUARD(err, false, {
        arg(p, "hl_image_param_store_in").v.store_in(hl_shim::to_memory_type(memory));
        return true;
    });
}

HL_API hl_memory_type hl_image_param_memory_type(const hl_image_param *p, hl_error **err) {
    HL_GUARD(err, HL_MEMORY_AUTO, {
        return hl_shim::from_memory_type(arg(p, "hl_image_param_memory_type").v.parameter().memory_type());
    });
}

HL_API bool hl_image_param_same_as(const hl_image_param *a, const hl_image_param *b, hl_error **err) {
    HL_GUARD(err, false, {
        return arg(a, "hl_image_param_same_as").v.parameter().same_as(
            arg(b, "hl_image_param_same_as other").v.parameter());
    });
}

HL_API hl_param *hl_param_new(struct halide_type_t t, const char *name, hl_error **err) {
    HL_GUARD(err, nullptr, {
        if (!name) throw std::invalid_argument("hl_param_new: null name");
        Halide::Type type = hl_shim::to_type(t);
        // hl_param_set_value copies one scalar into halide_scalar_value_t.
        if (type.lanes() != 1 || size_t(type.bytes()) > sizeof(halide_scalar_value_t::u)) {
            std::ostringstream msg;
            msg << "a Param holds one scalar of at most 8 bytes, not a " << type;
            throw std::invalid_argument(msg.str());
        }
        return new hl_param{Halide::Param<>(type, std::string(name))};
    });
}

HL_API void hl_param_free(hl_param *p) {
    HL_GUARD(nullptr, , { delete p; });
}

HL_API char *hl_param_name(const hl_param *p, hl_error **err) {
    HL_GUARD(err, nullptr, { return hl_shim::copy_string(arg(p, "hl_param_name").v.name()); });
}

HL_API hl_expr *hl_param_to_expr(const hl_param *p, hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_expr{Halide::Expr(arg(p, "hl_param_to_expr").v)}; });
}

HL_API bool hl_param_same_as(const hl_param *a, const hl_param *b, hl_error **err) {
    HL_GUARD(err, false, {
        return arg(a, "hl_param_same_as").v.parameter().same_as(arg(b, "hl_param_same_as other").v.parameter());
    });
}

HL_API bool hl_param_value(const hl_param *p, uint64_t *out, hl_error **err) {
    HL_GUARD(err, false, {
        hl_shim::read_scalar(arg(p, "hl_param_value").v.parameter(), out);
        return true;
    });
}

HL_API bool hl_param_set_value(hl_param *p, const void *value, hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Param<> &param = arg(p, "hl_param_set_value").v;
        if (!value) throw std::invalid_argument("hl_param_set_value: null value");
        halide_scalar_value_t scalar{};
        std::memcpy(&scalar.u, value, param.type().bytes());
        param.parameter().set_scalar(param.type(), scalar);
        return true;
    });
}

namespace {

/** The field of a scalar parameter's Parameter, checked. */
Halide::Expr param_field(const Halide::Param<> &param, hl_param_field field) {
    const Halide::Parameter &p = param.parameter();
    switch (field) {
    case HL_PARAM_MIN: return p.min_value();
    case HL_PARAM_MAX: return p.max_value();
    case HL_PARAM_ESTIMATE: return p.estimate();
    case HL_PARAM_DEFAULT: return p.default_value();
    }
    throw std::invalid_argument("unknown parameter field " + std::to_string(int(field)));
}

}  // namespace

HL_API bool hl_param_set_field(hl_param *p, hl_param_field field, const hl_expr *value, hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Param<> &param = arg(p, "hl_param_set_field").v;
        Halide::Expr e = value ? hl_shim::expr_arg(value, "parameter field") : Halide::Expr();
        Halide::Parameter parameter = param.parameter();
        switch (field) {
        case HL_PARAM_MIN: param.set_min_value(e); return true;
        case HL_PARAM_MAX: param.set_max_value(e); return true;
        case HL_PARAM_ESTIMATE: parameter.set_estimate(e); return true;
        case HL_PARAM_DEFAULT: parameter.set_default_value(e); return true;
        }
        throw std::invalid_argument("unknown parameter field " + std::to_string(int(field)));
    });
}

HL_API bool hl_param_has_field(const hl_param *p, hl_param_field field, hl_error **err) {
    HL_GUARD(err, false, { return param_field(arg(p, "hl_param_has_field").v, field).defined(); });
}

HL_API hl_expr *hl_param_field_expr(const hl_param *p, hl_param_field field, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::Param<> &param = arg(p, "hl_param_field_expr").v;
        Halide::Expr e = param_field(param, field);
        if (!e.defined()) throw std::invalid_argument("parameter " + param.name() + " has no such value set");
        return new hl_expr{e};
    });
}

HL_API bool hl_image_param_set_estimate(hl_image_param *p, int dim, const hl_expr *min, const hl_expr *extent,
                                        hl_error **err) {
    HL_GUARD(err, false, { return set_estimate(arg(p, "hl_image_param_set_estimate").v, dim, min, extent); });
}

HL_API hl_const_buffer *hl_const_buffer_new(const struct halide_buffer_t *src, const char *name, hl_error **err) {
    HL_GUARD(err, nullptr, {
        if (!src || !name) throw std::invalid_argument("hl_const_buffer_new: null argument");
        if (!src->host) throw std::invalid_argument("a constant buffer needs its data on the host");
        // A view of the caller's buffer, copied densely: the pipeline keeps
        // its own data for as long as it lives.
        Halide::Runtime::Buffer<void, Halide::AnyDims> view(*src);
        return new hl_const_buffer{Halide::Buffer<>(view.copy(), name)};
    });
}

HL_API hl_expr *hl_const_buffer_call(const hl_const_buffer *b, const hl_expr *const *args, size_t n_args,
                                     hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::Buffer<> &buffer = arg(b, "hl_const_buffer_call").v;
        std::vector<Halide::Expr> exprs = hl_shim::expr_args(args, n_args, "hl_const_buffer_call argument");
        if (int(exprs.size()) != buffer.dimensions()) {
            throw std::invalid_argument("buffer " + buffer.name() + " has " + std::to_string(buffer.dimensions()) +
                                        " dimensions, called with " + std::to_string(exprs.size()) + " arguments");
        }
        return new hl_expr{buffer(exprs)};
    });
}

HL_API void hl_const_buffer_free(hl_const_buffer *b) {
    HL_GUARD(nullptr, , { delete b; });
}

HL_API hl_func *hl_image_param_wrapper(hl_image_param *p, hl_func *const *consumers, size_t n_consumers,
                                       hl_error **err) {
    HL_GUARD(err, nullptr, {
        Halide::ImageParam &param = arg(p, "hl_image_param_wrapper").v;
        if (n_consumers > 0 && !consumers) throw std::invalid_argument("hl_image_param_wrapper: null consumers");
        std::vector<Halide::Func> fs;
        for (size_t i = 0; i < n_consumers; i++) fs.push_back(arg(consumers[i], "hl_image_param_wrapper consumer").v);
        return new hl_func{fs.empty() ? param.in() : param.in(fs)};
    });
}

HL_API bool hl_image_param_trace_loads(hl_image_param *p, hl_error **err) {
    HL_GUARD(err, false, {
        arg(p, "hl_image_param_trace_loads").v.trace_loads();
        return true;
    });
}

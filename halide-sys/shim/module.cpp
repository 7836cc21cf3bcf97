// Halide::Module, a pipeline lowered for one target: described exactly, for
// the compile cache's key, and compiled to an object file; and a callable's
// input parameters described exactly, for the cache's fingerprints.
#include "shim.h"

#include <iomanip>
#include <sstream>

using hl_shim::arg;

namespace {

/** Halide's IR printer with every constant written exactly: the default
 *  writes floats with six significant digits, so two programs differing
 *  only in a constant's seventh digit would print alike. */
class ExactPrinter : public Halide::Internal::IRPrinter {
public:
    explicit ExactPrinter(std::ostream &s) : IRPrinter(s) {
    }

    void expr(const Halide::Expr &e) {
        if (e.defined()) {
            print(e);
        } else {
            stream << "_";
        }
    }

protected:
    using IRPrinter::visit;
    void visit(const Halide::Internal::FloatImm *op) override {
        stream << "float" << op->type.bits() << "(" << std::hexfloat << op->value << std::defaultfloat << ")";
    }
};

void describe_argument(ExactPrinter &p, std::ostream &out, const Halide::Internal::LoweredArgument &a) {
    out << "  arg " << a.name << " kind " << int(a.kind) << " " << a.type << " dims " << int(a.dimensions)
        << " align " << a.alignment.modulus << " " << a.alignment.remainder << " def ";
    const Halide::ArgumentEstimates &e = a.argument_estimates;
    p.expr(e.scalar_def);
    out << " min ";
    p.expr(e.scalar_min);
    out << " max ";
    p.expr(e.scalar_max);
    out << " estimate ";
    p.expr(e.scalar_estimate);
    for (const Halide::Range &r : e.buffer_estimates) {
        out << " [";
        p.expr(r.min);
        out << ", ";
        p.expr(r.extent);
        out << "]";
    }
    out << "\n";
}

void describe(const Halide::Module &m, std::ostream &out) {
    ExactPrinter p(out);
    for (const Halide::Module &s : m.submodules()) {
        describe(s, out);
    }
    out << "module " << m.name() << " target " << m.target().to_string() << "\n";
    for (const Halide::Buffer<> &b : m.buffers()) {
        out << "buffer " << b.name() << " " << b.type();
        for (int d = 0; d < b.dimensions(); d++) {
            out << " [" << b.dim(d).min() << ", " << b.dim(d).extent() << ", " << b.dim(d).stride() << "]";
        }
        out << "\n";
    }
    for (const Halide::Internal::LoweredFunc &f : m.functions()) {
        out << "func " << f.name << " linkage " << int(f.linkage) << " mangling " << int(f.name_mangling) << "\n";
        for (const Halide::Internal::LoweredArgument &a : f.args) {
            describe_argument(p, out, a);
        }
        p.print(f.body);
        out << "\n";
    }
}

void describe_parameter(ExactPrinter &p, std::ostream &out, const Halide::Parameter &param) {
    out << "param " << param.name() << " " << param.type() << " dims " << param.dimensions();
    if (param.is_buffer()) {
        out << " align " << param.host_alignment() << " memory " << int(param.memory_type());
        for (const Halide::BufferConstraint &c : param.buffer_constraints()) {
            for (const Halide::Expr &e : {c.min, c.extent, c.stride, c.min_estimate, c.extent_estimate}) {
                out << " ";
                p.expr(e);
            }
            out << ";";
        }
    } else {
        for (const Halide::Expr &e : {param.default_value(), param.min_value(), param.max_value(), param.estimate()}) {
            out << " ";
            p.expr(e);
        }
    }
    out << "\n";
}

}  // namespace

HL_API char *hl_callable_inputs_text(const hl_callable *c, hl_error **err) {
    HL_GUARD(err, nullptr, {
        std::ostringstream out;
        ExactPrinter p(out);
        for (const Halide::Parameter &param : arg(c, "hl_callable_inputs_text").params) {
            describe_parameter(p, out, param);
        }
        return hl_shim::copy_string(out.str());
    });
}

HL_API hl_module *hl_pipeline_lower(hl_pipeline *p, const hl_target *t, bool infer, const hl_param *const *scalars,
                                    const hl_image_param *const *buffers, size_t n_inputs, const char *fn_name,
                                    hl_error **err) {
    HL_GUARD(err, nullptr, {
        Halide::Pipeline &pipeline = arg(p, "hl_pipeline_lower").v;
        if (!fn_name) throw std::invalid_argument("hl_pipeline_lower: null function name");
        hl_shim::Inputs inputs = hl_shim::pipeline_inputs(pipeline, infer, scalars, buffers, n_inputs);
        return new hl_module{pipeline.compile_to_module(inputs.arguments, fn_name, arg(t, "hl_pipeline_lower target").v,
                                                        Halide::LinkageType::ExternalPlusMetadata)};
    });
}

HL_API void hl_module_free(hl_module *m) {
    HL_GUARD(nullptr, , { delete m; });
}

HL_API char *hl_module_key_text(const hl_module *m, hl_error **err) {
    HL_GUARD(err, nullptr, {
        std::ostringstream out;
        describe(arg(m, "hl_module_key_text").v, out);
        return hl_shim::copy_string(out.str());
    });
}

HL_API size_t hl_module_buffer_count(const hl_module *m, hl_error **err) {
    HL_GUARD(err, 0, { return arg(m, "hl_module_buffer_count").v.buffers().size(); });
}

HL_API bool hl_module_buffer_data(const hl_module *m, size_t i, const void **data, size_t *len, hl_error **err) {
    HL_GUARD(err, false, {
        const std::vector<Halide::Buffer<>> &buffers = arg(m, "hl_module_buffer_data").v.buffers();
        if (i >= buffers.size() || !data || !len) {
            throw std::invalid_argument("hl_module_buffer_data: buffer " + std::to_string(i) + " out of range");
        }
        *data = buffers[i].data();
        *len = buffers[i].size_in_bytes();
        return true;
    });
}

HL_API bool hl_module_compile_object(const hl_module *m, const char *path, hl_error **err) {
    HL_GUARD(err, false, {
        if (!path) throw std::invalid_argument("hl_module_compile_object: null path");
        arg(m, "hl_module_compile_object").v.compile({{Halide::OutputFileType::object, path}});
        return true;
    });
}

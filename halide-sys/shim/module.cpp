// Halide::Module, a pipeline lowered for one target: made, combined,
// inspected and compiled; described exactly, for the compile cache's key;
// and a callable's input parameters described exactly, for the cache's
// fingerprints.
#include "shim.h"

#include <fstream>
#include <iomanip>
#include <set>
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

/** A Module whose contents are its own. Halide's Modules share their
 *  contents between copies (Pipeline::compile_to_module returns the one the
 *  pipeline keeps, resolve_submodules may return the module itself,
 *  submodules() the parent's own), and append and remap_metadata_name change
 *  them in place; each hl_module gets a copy of its own, so that a change
 *  made through one handle shows through no other. */
Halide::Module own_copy(const Halide::Module &m) {
    Halide::Module out(m.name(), m.target(), m.get_metadata_name_map());
    for (const Halide::Buffer<> &b : m.buffers()) out.append(b);
    for (const Halide::Internal::LoweredFunc &f : m.functions()) out.append(f);
    for (const Halide::Module &s : m.submodules()) out.append(own_copy(s));
    out.set_any_strict_float(m.any_strict_float());
    out.set_conceptual_code_stmt(m.get_conceptual_stmt());
    if (const Halide::AutoSchedulerResults *r = m.get_auto_scheduler_results()) out.set_auto_scheduler_results(*r);
    return out;
}

Halide::LinkageType linkage_type(hl_linkage linkage) {
    switch (linkage) {
    case HL_LINKAGE_EXTERNAL: return Halide::LinkageType::External;
    case HL_LINKAGE_EXTERNAL_PLUS_ARGV: return Halide::LinkageType::ExternalPlusArgv;
    case HL_LINKAGE_EXTERNAL_PLUS_METADATA: return Halide::LinkageType::ExternalPlusMetadata;
    case HL_LINKAGE_INTERNAL: return Halide::LinkageType::Internal;
    }
    throw std::invalid_argument("unknown linkage " + std::to_string(int(linkage)));
}

/** The pairs of a string map, each string followed by a NUL: names come
 *  from C strings, so none holds a NUL of its own. */
char *string_pairs(const std::map<std::string, std::string> &map, size_t *len) {
    if (!len) throw std::invalid_argument("null length");
    std::string out;
    for (const auto &[key, value] : map) {
        out.append(key).push_back('\0');
        out.append(value).push_back('\0');
    }
    return hl_shim::copy_bytes(out.data(), out.size(), len);
}

const Halide::Buffer<> &module_buffer(const hl_module *m, size_t i, const char *what) {
    const std::vector<Halide::Buffer<>> &buffers = arg(m, what).v.buffers();
    if (i >= buffers.size()) {
        throw std::invalid_argument(std::string(what) + ": buffer " + std::to_string(i) + " out of range");
    }
    return buffers[i];
}

const Halide::AutoSchedulerResults &autoscheduler_results(const hl_module *m, const char *what) {
    const Halide::AutoSchedulerResults *r = arg(m, what).v.get_auto_scheduler_results();
    if (!r) throw std::invalid_argument(std::string(what) + ": the module has no autoscheduler results");
    return *r;
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
                                    hl_linkage linkage, hl_error **err) {
    HL_GUARD(err, nullptr, {
        Halide::Pipeline &pipeline = arg(p, "hl_pipeline_lower").v;
        if (!fn_name) throw std::invalid_argument("hl_pipeline_lower: null function name");
        hl_shim::Inputs inputs = hl_shim::pipeline_inputs(pipeline, infer, scalars, buffers, n_inputs);
        return new hl_module{own_copy(pipeline.compile_to_module(
            inputs.arguments, fn_name, arg(t, "hl_pipeline_lower target").v, linkage_type(linkage)))};
    });
}

HL_API hl_module *hl_module_new(const char *name, const hl_target *t, hl_error **err) {
    HL_GUARD(err, nullptr, {
        if (!name) throw std::invalid_argument("hl_module_new: null name");
        return new hl_module{Halide::Module(name, arg(t, "hl_module_new target").v)};
    });
}

HL_API hl_module *hl_module_copy(const hl_module *m, hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_module{own_copy(arg(m, "hl_module_copy").v)}; });
}

HL_API void hl_module_free(hl_module *m) {
    HL_GUARD(nullptr, , { delete m; });
}

HL_API char *hl_module_name(const hl_module *m, hl_error **err) {
    HL_GUARD(err, nullptr, { return hl_shim::copy_string(arg(m, "hl_module_name").v.name()); });
}

HL_API hl_target *hl_module_target(const hl_module *m, hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_target{arg(m, "hl_module_target").v.target()}; });
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
        const Halide::Buffer<> &buffer = module_buffer(m, i, "hl_module_buffer_data");
        if (!data || !len) throw std::invalid_argument("hl_module_buffer_data: null output");
        // The lowest address, where the bytes size_in_bytes counts start
        // (data() is the element at the mins, higher for negative strides);
        // never NULL, so that an empty buffer is an empty slice.
        static const char nothing = 0;
        *len = buffer.size_in_bytes();
        *data = *len > 0 ? static_cast<const void *>(buffer.get()->begin()) : &nothing;
        return true;
    });
}

HL_API char *hl_module_buffer_name(const hl_module *m, size_t i, hl_error **err) {
    HL_GUARD(err, nullptr, { return hl_shim::copy_string(module_buffer(m, i, "hl_module_buffer_name").name()); });
}

HL_API int hl_module_buffer_dimensions(const hl_module *m, size_t i, hl_error **err) {
    HL_GUARD(err, 0, { return module_buffer(m, i, "hl_module_buffer_dimensions").dimensions(); });
}

HL_API bool hl_module_buffer_type(const hl_module *m, size_t i, struct halide_type_t *out, hl_error **err) {
    HL_GUARD(err, false, {
        const Halide::Buffer<> &buffer = module_buffer(m, i, "hl_module_buffer_type");
        if (!out) throw std::invalid_argument("hl_module_buffer_type: null output");
        *out = hl_shim::from_type(buffer.type());
        return true;
    });
}

HL_API bool hl_module_buffer_dim(const hl_module *m, size_t i, int d, int32_t *min, int32_t *extent, int32_t *stride,
                                 hl_error **err) {
    HL_GUARD(err, false, {
        const Halide::Buffer<> &buffer = module_buffer(m, i, "hl_module_buffer_dim");
        if (d < 0 || d >= buffer.dimensions()) {
            throw std::invalid_argument("hl_module_buffer_dim: dimension " + std::to_string(d) + " out of range");
        }
        if (!min || !extent || !stride) throw std::invalid_argument("hl_module_buffer_dim: null output");
        *min = buffer.dim(d).min();
        *extent = buffer.dim(d).extent();
        *stride = buffer.dim(d).stride();
        return true;
    });
}

HL_API size_t hl_module_submodule_count(const hl_module *m, hl_error **err) {
    HL_GUARD(err, 0, { return arg(m, "hl_module_submodule_count").v.submodules().size(); });
}

HL_API hl_module *hl_module_submodule(const hl_module *m, size_t i, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const std::vector<Halide::Module> &submodules = arg(m, "hl_module_submodule").v.submodules();
        if (i >= submodules.size()) {
            throw std::invalid_argument("hl_module_submodule: submodule " + std::to_string(i) + " out of range");
        }
        return new hl_module{own_copy(submodules[i])};
    });
}

HL_API bool hl_module_append(hl_module *m, const hl_module *other, hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Module &module = arg(m, "hl_module_append").v;
        module.append(own_copy(arg(other, "hl_module_append submodule").v));
        return true;
    });
}

HL_API hl_module *hl_module_resolve_submodules(const hl_module *m, hl_error **err) {
    HL_GUARD(err, nullptr, {
        return new hl_module{own_copy(arg(m, "hl_module_resolve_submodules").v.resolve_submodules())};
    });
}

HL_API hl_module *hl_link_modules(const char *name, const hl_module *const *modules, size_t n_modules,
                                  hl_error **err) {
    HL_GUARD(err, nullptr, {
        if (!name) throw std::invalid_argument("hl_link_modules: null name");
        // Halide's link_modules reads the first module unchecked.
        if (n_modules == 0 || !modules) throw std::invalid_argument("hl_link_modules: no modules to link");
        std::vector<Halide::Module> inputs;
        std::set<std::string> names;
        for (size_t i = 0; i < n_modules; i++) {
            inputs.push_back(arg(modules[i], "hl_link_modules module").v);
            // Halide's linking drops submodules without a word.
            if (!inputs.back().submodules().empty()) {
                throw std::invalid_argument("hl_link_modules: module " + inputs.back().name() +
                                            " has submodules; resolve them first");
            }
            // Halide leaves this check to do: LLVM would keep one of two
            // functions or buffers of one name and silently drop the other.
            for (const Halide::Internal::LoweredFunc &f : inputs.back().functions()) {
                if (!names.insert(f.name).second) {
                    throw std::invalid_argument("hl_link_modules: two functions are named " + f.name);
                }
            }
            for (const Halide::Buffer<> &b : inputs.back().buffers()) {
                if (!names.insert(b.name()).second) {
                    throw std::invalid_argument("hl_link_modules: two buffers or functions are named " + b.name());
                }
            }
        }
        return new hl_module{Halide::link_modules(name, inputs)};
    });
}

HL_API bool hl_module_compile(const hl_module *m, const char *const *kinds, const char *const *paths,
                              size_t n_outputs, hl_error **err) {
    HL_GUARD(err, false, {
        const Halide::Module &module = arg(m, "hl_module_compile").v;
        auto files = hl_shim::output_files(kinds, paths, n_outputs, module.target());
        for (const auto &[kind, path] : files) {
            // Module::compile writes no pipeline (there is none in a module),
            // and a compiler log only with a logger installed, which
            // Halide's generator driver does, or fails an internal assertion.
            if (kind == Halide::OutputFileType::hlpipe || kind == Halide::OutputFileType::compiler_log) {
                throw std::invalid_argument("hl_module_compile: a module cannot write " +
                                            Halide::Internal::get_output_info(module.target()).at(kind).name +
                                            "; compile the pipeline for it");
            }
            // Halide writes several kinds through std::ofstream without
            // checking that the file opened: a path that cannot be written
            // would fail silently.
            std::ofstream probe(path, std::ios::app);
            if (!probe) throw std::invalid_argument("hl_module_compile: cannot write " + path);
        }
        module.compile(files);
        return true;
    });
}

HL_API char *hl_module_compile_to_buffer(const hl_module *m, size_t *len, hl_error **err) {
    HL_GUARD(err, nullptr, {
        if (!len) throw std::invalid_argument("hl_module_compile_to_buffer: null length");
        // As Module::compile does: submodules become buffers first, else
        // their code would be missing from the object.
        Halide::Buffer<uint8_t> object =
            arg(m, "hl_module_compile_to_buffer").v.resolve_submodules().compile_to_buffer();
        return hl_shim::copy_bytes(object.data(), object.size_in_bytes(), len);
    });
}

HL_API bool hl_module_remap_metadata_name(hl_module *m, const char *from, const char *to, hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Module &module = arg(m, "hl_module_remap_metadata_name").v;
        if (!from || !to) throw std::invalid_argument("hl_module_remap_metadata_name: null name");
        // Halide asserts both (an internal error); a plain message instead.
        Halide::MetadataNameMap map = module.get_metadata_name_map();
        for (const char *name : {from, to}) {
            if (map.count(name)) {
                throw std::invalid_argument(std::string("hl_module_remap_metadata_name: \"") + name +
                                            "\" is already remapped (to \"" + map.at(name) + "\")");
            }
        }
        module.remap_metadata_name(from, to);
        return true;
    });
}

HL_API char *hl_module_metadata_name_map(const hl_module *m, size_t *len, hl_error **err) {
    HL_GUARD(err, nullptr, { return string_pairs(arg(m, "hl_module_metadata_name_map").v.get_metadata_name_map(), len); });
}

HL_API bool hl_module_has_autoscheduler_results(const hl_module *m, hl_error **err) {
    HL_GUARD(err, false, { return arg(m, "hl_module_has_autoscheduler_results").v.get_auto_scheduler_results() != nullptr; });
}

HL_API hl_target *hl_module_autoscheduler_target(const hl_module *m, hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_target{autoscheduler_results(m, "hl_module_autoscheduler_target").target}; });
}

HL_API char *hl_module_autoscheduler_part(const hl_module *m, hl_autoscheduler_part part, size_t *len,
                                          hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::AutoSchedulerResults &r = autoscheduler_results(m, "hl_module_autoscheduler_part");
        if (!len) throw std::invalid_argument("hl_module_autoscheduler_part: null length");
        switch (part) {
        case HL_AUTOSCHEDULER_NAME:
            return hl_shim::copy_bytes(r.autoscheduler_params.name.data(), r.autoscheduler_params.name.size(), len);
        case HL_AUTOSCHEDULER_PARAMS: return string_pairs(r.autoscheduler_params.extra, len);
        case HL_AUTOSCHEDULER_SCHEDULE_SOURCE:
            return hl_shim::copy_bytes(r.schedule_source.data(), r.schedule_source.size(), len);
        case HL_AUTOSCHEDULER_FEATURIZATION:
            return hl_shim::copy_bytes(r.featurization.data(), r.featurization.size(), len);
        }
        throw std::invalid_argument("hl_module_autoscheduler_part: unknown part " + std::to_string(int(part)));
    });
}

HL_API bool hl_module_set_autoscheduler_results(hl_module *m, const hl_target *t, const char *name,
                                                const char *const *keys, const char *const *values, size_t n_params,
                                                const char *schedule_source, const uint8_t *featurization,
                                                size_t featurization_len, hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Module &module = arg(m, "hl_module_set_autoscheduler_results").v;
        // Halide asserts it (an internal error); a plain message instead.
        if (module.get_auto_scheduler_results()) {
            throw std::invalid_argument("hl_module_set_autoscheduler_results: the module has results already");
        }
        if (!name || !schedule_source) throw std::invalid_argument("hl_module_set_autoscheduler_results: null string");
        if (featurization_len > 0 && !featurization) {
            throw std::invalid_argument("hl_module_set_autoscheduler_results: null featurization");
        }
        Halide::AutoSchedulerResults r;
        r.target = arg(t, "hl_module_set_autoscheduler_results target").v;
        r.autoscheduler_params.name = name;
        for (size_t i = 0; i < n_params; i++) {
            if (!keys || !values || !keys[i] || !values[i]) {
                throw std::invalid_argument("hl_module_set_autoscheduler_results: null parameter");
            }
            r.autoscheduler_params.extra[keys[i]] = values[i];
        }
        r.schedule_source = schedule_source;
        if (featurization_len > 0) r.featurization.assign(featurization, featurization + featurization_len);
        module.set_auto_scheduler_results(r);
        return true;
    });
}

// Halide::Func: definitions, calls, JIT compilation, realization, and the
// statement it lowers to.
#include "shim.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

using hl_shim::arg;
using hl_shim::expr_arg;

HL_API hl_func *hl_func_new(const char *name, hl_error **err) {
    HL_GUARD(err, nullptr, { return name ? new hl_func{Halide::Func(std::string(name))}
                                   : new hl_func{Halide::Func()}; });
}

HL_API hl_func *hl_func_new_typed(const char *name, const struct halide_type_t *types, size_t n_types, int dimensions,
                                  hl_error **err) {
    HL_GUARD(err, nullptr, {
        if (!name) throw std::invalid_argument("hl_func_new_typed: null name");
        if (n_types == 0 || !types) throw std::invalid_argument("a typed Func needs at least one type");
        if (dimensions < 0) throw std::invalid_argument("a Func cannot have negative dimensions");
        std::vector<Halide::Type> t;
        for (size_t i = 0; i < n_types; i++) {
            t.push_back(hl_shim::to_type(types[i]));
        }
        return new hl_func{Halide::Func(t, dimensions, std::string(name))};
    });
}

HL_API void hl_func_free(hl_func *f) {
    HL_GUARD(nullptr, , { delete f; });
}

HL_API char *hl_func_name(const hl_func *f, hl_error **err) {
    HL_GUARD(err, nullptr, { return hl_shim::copy_string(arg(f, "hl_func_name").v.name()); });
}

HL_API bool hl_func_defined(const hl_func *f, hl_error **err) {
    HL_GUARD(err, false, { return arg(f, "hl_func_defined").v.defined(); });
}

static const Halide::Func &defined_func(const hl_func *f, const char *what) {
    const Halide::Func &func = arg(f, what).v;
    if (!func.defined()) {
        throw std::invalid_argument("Func \"" + func.name() + "\" is not defined");
    }
    return func;
}

HL_API int hl_func_dimensions(const hl_func *f, hl_error **err) {
    HL_GUARD(err, 0, { return defined_func(f, "hl_func_dimensions").dimensions(); });
}

HL_API int hl_func_outputs(const hl_func *f, hl_error **err) {
    HL_GUARD(err, 0, { return defined_func(f, "hl_func_outputs").outputs(); });
}

HL_API hl_output_buffer *hl_func_output_buffer(const hl_func *f, int index, hl_error **err) {
    HL_GUARD(err, nullptr, {
        std::vector<Halide::OutputImageParam> outputs = defined_func(f, "hl_func_output_buffer").output_buffers();
        if (index < 0 || size_t(index) >= outputs.size()) {
            throw std::invalid_argument("Func \"" + f->v.name() + "\" has no output " + std::to_string(index));
        }
        return new hl_output_buffer{outputs[size_t(index)]};
    });
}

HL_API bool hl_func_output_type(const hl_func *f, int i, halide_type_t *out, hl_error **err) {
    HL_GUARD(err, false, {
        const std::vector<Halide::Type> &types = defined_func(f, "hl_func_output_type").types();
        if (i < 0 || size_t(i) >= types.size() || !out) {
            throw std::invalid_argument("output index " + std::to_string(i) + " out of range");
        }
        *out = hl_shim::from_type(types[i]);
        return true;
    });
}

HL_API hl_var *hl_func_arg(const hl_func *f, int i, hl_error **err) {
    HL_GUARD(err, nullptr, {
        std::vector<Halide::Var> args = defined_func(f, "hl_func_arg").args();
        if (i < 0 || size_t(i) >= args.size()) {
            throw std::invalid_argument("argument index " + std::to_string(i) + " out of range");
        }
        return new hl_var{args[i]};
    });
}

/** One value, or a Tuple of several, as the right-hand side of a definition. */
static void assign(Halide::FuncRef ref, const hl_expr *const *values, size_t n_values, const char *what) {
    std::vector<Halide::Expr> exprs = hl_shim::expr_args(values, n_values, what);
    if (exprs.empty()) throw std::invalid_argument(std::string(what) + ": a definition needs a value");
    if (exprs.size() == 1) {
        ref = exprs[0];
    } else {
        ref = Halide::Tuple(exprs);
    }
}

HL_API bool hl_func_define(hl_func *f, const hl_var *const *args, size_t n_args, const hl_expr *const *values,
                           size_t n_values, hl_error **err) {
    HL_GUARD(err, false, {
        std::vector<Halide::Var> vars;
        vars.reserve(n_args);
        for (size_t i = 0; i < n_args; i++) {
            vars.push_back(arg(args[i], "hl_func_define argument").v);
        }
        Halide::Func &func = arg(f, "hl_func_define").v;
        // In C++ a second pure definition is an update; here updates have
        // their own function, and define never changes compiled code.
        if (func.defined()) {
            throw std::invalid_argument("Func \"" + func.name() + "\" is already defined: add an update instead");
        }
        assign(func(vars), values, n_values, "hl_func_define value");
        return true;
    });
}

HL_API bool hl_func_define_update(hl_func *f, const hl_expr *const *args, size_t n_args, const hl_expr *const *values,
                                  size_t n_values, hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Func &func = arg(f, "hl_func_define_update").v;
        if (!func.defined()) {
            throw std::invalid_argument("Func \"" + func.name() +
                                        "\" has no pure definition yet: define it before updating it");
        }
        std::vector<Halide::Expr> exprs = hl_shim::expr_args(args, n_args, "hl_func_define_update argument");
        assign(func(exprs), values, n_values, "hl_func_define_update value");
        return true;
    });
}

HL_API int hl_func_updates(const hl_func *f, hl_error **err) {
    HL_GUARD(err, 0, { return arg(f, "hl_func_updates").v.num_update_definitions(); });
}

HL_API hl_expr *hl_func_call(const hl_func *f, const hl_expr *const *args, size_t n_args, int value_index,
                             hl_error **err) {
    HL_GUARD(err, nullptr, {
        std::vector<Halide::Expr> exprs = hl_shim::expr_args(args, n_args, "hl_func_call argument");
        Halide::FuncRef ref = arg(f, "hl_func_call").v(exprs);
        return new hl_expr{value_index < 0 ? Halide::Expr(ref) : Halide::Expr(ref[value_index])};
    });
}

HL_API char *hl_func_lowered_stmt(hl_func *f, const hl_target *t, bool html, hl_error **err) {
    HL_GUARD(err, nullptr, {
        Halide::Func &func = arg(f, "hl_func_lowered_stmt").v;
        // Halide writes the statement only to a file: its own temporary file,
        // portable where mkstemps is not (created exclusively through each
        // platform's API, private to the user on Unix), and removed when this
        // scope ends, however it ends.
        Halide::Internal::TemporaryFile file("halide-rs-", html ? ".html" : ".stmt");
        func.compile_to_lowered_stmt(file.pathname(), func.infer_arguments(), html ? Halide::HTML : Halide::Text,
                                     arg(t, "hl_func_lowered_stmt target").v);
        std::ifstream in(file.pathname());
        if (!in) throw std::runtime_error("cannot read the lowered statement back from " + file.pathname());
        std::stringstream text;
        text << in.rdbuf();
        // A GPU target's statement embeds its kernels' source with the
        // source's terminating NUL, which would end the C string there.
        std::string s = text.str();
        s.erase(std::remove(s.begin(), s.end(), '\0'), s.end());
        return hl_shim::copy_string(s);
    });
}

HL_API bool hl_func_is_extern(const hl_func *f, hl_error **err) {
    HL_GUARD(err, false, { return arg(f, "hl_func_is_extern").v.is_extern(); });
}

HL_API char *hl_func_extern_function_name(const hl_func *f, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::Func &func = arg(f, "hl_func_extern_function_name").v;
        if (!func.is_extern()) throw std::invalid_argument("Func " + func.name() + " is not an extern stage");
        return hl_shim::copy_string(func.extern_function_name());
    });
}

HL_API bool hl_func_debug_to_file(hl_func *f, const char *path, hl_error **err) {
    HL_GUARD(err, false, {
        if (!path) throw std::invalid_argument("hl_func_debug_to_file: null path");
        arg(f, "hl_func_debug_to_file").v.debug_to_file(path);
        return true;
    });
}

/** One part of f's pure definition (stage -1, which has no RVars) or of
 *  update `stage` (see hl_def_part). */
static std::vector<Halide::Expr> definition_part(const hl_func *f, int stage, hl_def_part part) {
    Halide::Func func = defined_func(f, "definition");
    if (stage < -1 || stage >= func.num_update_definitions()) {
        throw std::invalid_argument("f has no update " + std::to_string(stage));
    }
    if (stage == -1) {
        if (part != HL_DEF_ARGS && part != HL_DEF_VALUES) return {};
        if (part == HL_DEF_VALUES) {
            Halide::Tuple t = func.values();
            return t.as_vector();
        }
        std::vector<Halide::Expr> args;
        for (const Halide::Var &v : func.args()) args.emplace_back(v);
        return args;
    }
    switch (part) {
    case HL_DEF_ARGS: return func.update_args(stage);
    case HL_DEF_VALUES: return func.update_values(stage).as_vector();
    case HL_DEF_RVARS:
    case HL_DEF_RVAR_MINS:
    case HL_DEF_RVAR_EXTENTS: {
        // Func::rvars gives names only; the update's own domain has the
        // bounds (and makes the variables expressions), as rfactor builds it.
        const Halide::Internal::Definition &def = func.function().update(stage);
        Halide::Internal::ReductionDomain rdom{def.schedule().rvars(), def.predicate(), true};
        std::vector<Halide::Expr> out;
        for (int i = 0; i < int(rdom.domain().size()); i++) {
            const Halide::Internal::ReductionVariable &rv = rdom.domain()[i];
            out.push_back(part == HL_DEF_RVARS ? Halide::Expr(Halide::RVar(rdom, i))
                          : part == HL_DEF_RVAR_MINS ? rv.min
                                                     : rv.extent);
        }
        return out;
    }
    }
    throw std::invalid_argument("unknown definition part " + std::to_string(int(part)));
}

HL_API int hl_func_definition_len(const hl_func *f, int stage, hl_def_part part, hl_error **err) {
    HL_GUARD(err, -1, { return int(definition_part(f, stage, part).size()); });
}

HL_API hl_expr *hl_func_definition_expr(const hl_func *f, int stage, hl_def_part part, int i, hl_error **err) {
    HL_GUARD(err, nullptr, {
        std::vector<Halide::Expr> exprs = definition_part(f, stage, part);
        if (i < 0 || size_t(i) >= exprs.size()) throw std::invalid_argument("index " + std::to_string(i) + " out of range");
        return new hl_expr{exprs[i]};
    });
}

// Scheduling: loop transformations and where Funcs are computed and stored.
#include "shim.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

using hl_shim::arg;
using hl_shim::expr_arg;

namespace {

Halide::TailStrategy tail_of(hl_tail_strategy t) {
    switch (t) {
    case HL_TAIL_AUTO: return Halide::TailStrategy::Auto;
    case HL_TAIL_ROUND_UP: return Halide::TailStrategy::RoundUp;
    case HL_TAIL_GUARD_WITH_IF: return Halide::TailStrategy::GuardWithIf;
    case HL_TAIL_PREDICATE: return Halide::TailStrategy::Predicate;
    case HL_TAIL_PREDICATE_LOADS: return Halide::TailStrategy::PredicateLoads;
    case HL_TAIL_PREDICATE_STORES: return Halide::TailStrategy::PredicateStores;
    case HL_TAIL_SHIFT_INWARDS: return Halide::TailStrategy::ShiftInwards;
    case HL_TAIL_SHIFT_INWARDS_AND_BLEND: return Halide::TailStrategy::ShiftInwardsAndBlend;
    case HL_TAIL_ROUND_UP_AND_BLEND: return Halide::TailStrategy::RoundUpAndBlend;
    }
    throw std::invalid_argument("unknown tail strategy " + std::to_string(int(t)));
}

const Halide::Var &var_arg(const hl_var *v, const char *what) {
    return arg(v, what).v;
}

}  // namespace

HL_API bool hl_func_loop(hl_func *f, hl_loop_kind kind, const hl_var *var, const hl_expr *factor, hl_tail_strategy tail,
                         hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Func &func = arg(f, "hl_func_loop").v;
        const Halide::Var &v = var_arg(var, "hl_func_loop var");
        Halide::TailStrategy t = tail_of(tail);
        switch (kind) {
        case HL_LOOP_SERIAL:
            if (factor) throw std::invalid_argument("serial loops take no factor");
            func.serial(v);
            return true;
        case HL_LOOP_PARALLEL:
            factor ? func.parallel(v, expr_arg(factor, "task size"), t) : func.parallel(v);
            return true;
        case HL_LOOP_VECTORIZED:
            factor ? func.vectorize(v, expr_arg(factor, "vector width"), t) : func.vectorize(v);
            return true;
        case HL_LOOP_UNROLLED:
            factor ? func.unroll(v, expr_arg(factor, "unroll factor"), t) : func.unroll(v);
            return true;
        }
        throw std::invalid_argument("unknown loop kind " + std::to_string(int(kind)));
    });
}

HL_API bool hl_func_split(hl_func *f, const hl_var *old, const hl_var *outer, const hl_var *inner, const hl_expr *factor,
                          hl_tail_strategy tail, hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_split").v.split(var_arg(old, "old"), var_arg(outer, "outer"), var_arg(inner, "inner"),
                                        expr_arg(factor, "split factor"), tail_of(tail));
        return true;
    });
}

HL_API bool hl_func_fuse(hl_func *f, const hl_var *inner, const hl_var *outer, const hl_var *fused, hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_fuse").v.fuse(var_arg(inner, "inner"), var_arg(outer, "outer"), var_arg(fused, "fused"));
        return true;
    });
}

HL_API bool hl_func_tile(hl_func *f, const hl_var *x, const hl_var *y, const hl_var *xo, const hl_var *yo,
                         const hl_var *xi, const hl_var *yi, const hl_expr *xfactor, const hl_expr *yfactor,
                         hl_tail_strategy tail, hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_tile").v.tile(var_arg(x, "x"), var_arg(y, "y"), var_arg(xo, "xo"), var_arg(yo, "yo"),
                                      var_arg(xi, "xi"), var_arg(yi, "yi"), expr_arg(xfactor, "x factor"),
                                      expr_arg(yfactor, "y factor"), tail_of(tail));
        return true;
    });
}

HL_API bool hl_func_reorder(hl_func *f, const hl_var *const *vars, size_t n_vars, hl_error **err) {
    HL_GUARD(err, false, {
        std::vector<Halide::VarOrRVar> order;
        for (size_t i = 0; i < n_vars; i++) {
            order.emplace_back(var_arg(vars[i], "hl_func_reorder var"));
        }
        arg(f, "hl_func_reorder").v.reorder(order);
        return true;
    });
}

HL_API bool hl_func_bound(hl_func *f, const hl_var *var, const hl_expr *min, const hl_expr *extent, hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_bound").v.bound(var_arg(var, "var"), expr_arg(min, "min"), expr_arg(extent, "extent"));
        return true;
    });
}

HL_API bool hl_func_set_estimate(hl_func *f, const hl_var *var, const hl_expr *min, const hl_expr *extent,
                                 hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_set_estimate").v.set_estimate(var_arg(var, "var"), expr_arg(min, "min"), expr_arg(extent, "extent"));
        return true;
    });
}

HL_API hl_loop_level *hl_loop_level_root(hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_loop_level{Halide::LoopLevel::root()}; });
}

HL_API hl_loop_level *hl_loop_level_inlined(hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_loop_level{Halide::LoopLevel::inlined()}; });
}

HL_API hl_loop_level *hl_loop_level_at(const hl_func *f, const hl_var *var, hl_error **err) {
    HL_GUARD(err, nullptr, {
        return new hl_loop_level{Halide::LoopLevel(arg(f, "hl_loop_level_at").v, var_arg(var, "var"))};
    });
}

HL_API hl_loop_level *hl_loop_level_clone(const hl_loop_level *l, hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_loop_level{arg(l, "hl_loop_level_clone").v}; });
}

HL_API void hl_loop_level_free(hl_loop_level *l) {
    HL_GUARD(nullptr, , { delete l; });
}

HL_API bool hl_func_compute_at(hl_func *f, const hl_loop_level *level, hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_compute_at").v.compute_at(arg(level, "hl_func_compute_at level").v);
        return true;
    });
}

HL_API bool hl_func_store_at(hl_func *f, const hl_loop_level *level, hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_store_at").v.store_at(arg(level, "hl_func_store_at level").v);
        return true;
    });
}

namespace {

// A file that holds Halide's output for as long as it is read, then goes.
class TempFile {
public:
    explicit TempFile(const char *suffix) {
        const char *dir = std::getenv("TMPDIR");
        std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/halide-rs-XXXXXX" + suffix;
        std::vector<char> buf(pattern.begin(), pattern.end());
        buf.push_back('\0');
        int fd = mkstemps(buf.data(), int(std::strlen(suffix)));
        if (fd < 0) throw std::runtime_error("cannot create a temporary file in " + pattern);
        close(fd);
        path = buf.data();
    }
    ~TempFile() { std::remove(path.c_str()); }
    TempFile(const TempFile &) = delete;
    TempFile &operator=(const TempFile &) = delete;

    std::string read() const {
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

    std::string path;
};

}  // namespace

HL_API char *hl_func_lowered_stmt(hl_func *f, const hl_target *t, bool html, hl_error **err) {
    HL_GUARD(err, nullptr, {
        Halide::Func &func = arg(f, "hl_func_lowered_stmt").v;
        TempFile file(html ? ".html" : ".stmt");
        func.compile_to_lowered_stmt(file.path, func.infer_arguments(), html ? Halide::HTML : Halide::Text,
                                     arg(t, "hl_func_lowered_stmt target").v);
        return hl_shim::copy_string(file.read());
    });
}

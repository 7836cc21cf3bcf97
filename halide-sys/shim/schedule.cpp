// Scheduling: loop transformations and where Funcs are computed and stored.
#include "shim.h"

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

using hl_shim::loop_var;

std::vector<Halide::VarOrRVar> loop_vars(const hl_loop_var *vars, size_t n, const char *what) {
    if (n && !vars) throw std::invalid_argument(std::string(what) + ": null array");
    std::vector<Halide::VarOrRVar> out;
    for (size_t i = 0; i < n; i++) out.push_back(loop_var(vars[i], what));
    return out;
}

std::vector<Halide::Var> vars_of(const hl_var *const *vars, size_t n, const char *what) {
    std::vector<Halide::Var> out;
    for (size_t i = 0; i < n; i++) out.push_back(var_arg(vars[i], what));
    return out;
}

Halide::Partition partition_of(hl_partition p) {
    switch (p) {
    case HL_PARTITION_AUTO: return Halide::Partition::Auto;
    case HL_PARTITION_NEVER: return Halide::Partition::Never;
    case HL_PARTITION_ALWAYS: return Halide::Partition::Always;
    }
    throw std::invalid_argument("unknown partition policy " + std::to_string(int(p)));
}

}  // namespace

HL_API hl_stage *hl_func_stage(const hl_func *f, int index, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::Func &func = arg(f, "hl_func_stage").v;
        if (!func.defined()) {
            throw std::invalid_argument("Func \"" + func.name() + "\" is not defined: define it before scheduling it");
        }
        if (index < 0 || index > func.num_update_definitions()) {
            throw std::invalid_argument("Func \"" + func.name() + "\" has no update definition " +
                                        std::to_string(index - 1) + " (it has " +
                                        std::to_string(func.num_update_definitions()) + ")");
        }
        Halide::Func copy = func;
        return new hl_stage{index == 0 ? Halide::Stage(copy) : copy.update(index - 1)};
    });
}

HL_API void hl_stage_free(hl_stage *s) {
    HL_GUARD(nullptr, , { delete s; });
}

HL_API char *hl_stage_name(const hl_stage *s, hl_error **err) {
    HL_GUARD(err, nullptr, { return hl_shim::copy_string(arg(s, "hl_stage_name").v.name()); });
}

HL_API bool hl_stage_loop(hl_stage *s, hl_loop_kind kind, hl_loop_var var, const hl_expr *factor,
                          hl_tail_strategy tail, hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Stage &stage = arg(s, "hl_stage_loop").v;
        Halide::VarOrRVar v = loop_var(var, "hl_stage_loop var");
        Halide::TailStrategy t = tail_of(tail);
        switch (kind) {
        case HL_LOOP_SERIAL:
            if (factor) throw std::invalid_argument("serial loops take no factor");
            stage.serial(v);
            return true;
        case HL_LOOP_PARALLEL:
            factor ? stage.parallel(v, expr_arg(factor, "task size"), t) : stage.parallel(v);
            return true;
        case HL_LOOP_VECTORIZED:
            factor ? stage.vectorize(v, expr_arg(factor, "vector width"), t) : stage.vectorize(v);
            return true;
        case HL_LOOP_UNROLLED:
            factor ? stage.unroll(v, expr_arg(factor, "unroll factor"), t) : stage.unroll(v);
            return true;
        }
        throw std::invalid_argument("unknown loop kind " + std::to_string(int(kind)));
    });
}

HL_API bool hl_stage_split(hl_stage *s, hl_loop_var old, hl_loop_var outer, hl_loop_var inner,
                           const hl_expr *factor, hl_tail_strategy tail, hl_error **err) {
    HL_GUARD(err, false, {
        arg(s, "hl_stage_split").v.split(loop_var(old, "old"), loop_var(outer, "outer"), loop_var(inner, "inner"),
                                         expr_arg(factor, "split factor"), tail_of(tail));
        return true;
    });
}

HL_API bool hl_stage_fuse(hl_stage *s, hl_loop_var inner, hl_loop_var outer, hl_loop_var fused, hl_error **err) {
    HL_GUARD(err, false, {
        arg(s, "hl_stage_fuse").v.fuse(loop_var(inner, "inner"), loop_var(outer, "outer"), loop_var(fused, "fused"));
        return true;
    });
}

HL_API bool hl_stage_tile(hl_stage *s, hl_loop_var x, hl_loop_var y, hl_loop_var xo, hl_loop_var yo, hl_loop_var xi,
                          hl_loop_var yi, const hl_expr *xfactor, const hl_expr *yfactor, hl_tail_strategy tail,
                          hl_error **err) {
    HL_GUARD(err, false, {
        arg(s, "hl_stage_tile").v.tile(loop_var(x, "x"), loop_var(y, "y"), loop_var(xo, "xo"), loop_var(yo, "yo"),
                                       loop_var(xi, "xi"), loop_var(yi, "yi"), expr_arg(xfactor, "x factor"),
                                       expr_arg(yfactor, "y factor"), tail_of(tail));
        return true;
    });
}

HL_API bool hl_stage_tile_n(hl_stage *s, const hl_loop_var *vars, const hl_loop_var *outers, const hl_loop_var *inners,
                            const hl_expr *const *factors, const hl_tail_strategy *tails, size_t n, hl_error **err) {
    HL_GUARD(err, false, {
        if (n == 0) throw std::invalid_argument("tile needs at least one loop");
        if (!vars || !outers || !inners || !factors || !tails) throw std::invalid_argument("hl_stage_tile_n: null array");
        std::vector<Halide::VarOrRVar> v, o, i;
        std::vector<Halide::Expr> f;
        std::vector<Halide::TailStrategy> t;
        for (size_t k = 0; k < n; k++) {
            v.push_back(loop_var(vars[k], "var"));
            o.push_back(loop_var(outers[k], "outer"));
            i.push_back(loop_var(inners[k], "inner"));
            f.push_back(expr_arg(factors[k], "factor"));
            t.push_back(tail_of(tails[k]));
        }
        arg(s, "hl_stage_tile_n").v.tile(v, o, i, f, t);
        return true;
    });
}

HL_API bool hl_stage_rename(hl_stage *s, hl_loop_var old, hl_loop_var new_name, hl_error **err) {
    HL_GUARD(err, false, {
        arg(s, "hl_stage_rename").v.rename(loop_var(old, "old"), loop_var(new_name, "new name"));
        return true;
    });
}

HL_API bool hl_stage_partition(hl_stage *s, hl_loop_var var, hl_partition policy, hl_error **err) {
    HL_GUARD(err, false, {
        arg(s, "hl_stage_partition").v.partition(loop_var(var, "hl_stage_partition var"), partition_of(policy));
        return true;
    });
}

HL_API bool hl_stage_partition_all(hl_stage *s, hl_partition policy, hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Stage &stage = arg(s, "hl_stage_partition_all").v;
        switch (partition_of(policy)) {
        case Halide::Partition::Never: stage.never_partition_all(); return true;
        case Halide::Partition::Always: stage.always_partition_all(); return true;
        case Halide::Partition::Auto: break;
        }
        throw std::invalid_argument("partition_all takes never or always");
    });
}

HL_API bool hl_stage_reorder(hl_stage *s, const hl_loop_var *vars, size_t n_vars, hl_error **err) {
    HL_GUARD(err, false, {
        arg(s, "hl_stage_reorder").v.reorder(loop_vars(vars, n_vars, "hl_stage_reorder var"));
        return true;
    });
}

/** The device API a GPU directive names: the target's default for null. */
static Halide::DeviceAPI gpu_api(const char *device_api) {
    return device_api ? hl_shim::device_api_named(device_api) : Halide::DeviceAPI::Default_GPU;
}

HL_API bool hl_stage_gpu(hl_stage *s, hl_gpu_loop kind, const hl_loop_var *vars, size_t n_vars,
                         const char *device_api, hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Stage &stage = arg(s, "hl_stage_gpu").v;
        std::vector<Halide::VarOrRVar> v = loop_vars(vars, n_vars, "hl_stage_gpu var");
        Halide::DeviceAPI api = gpu_api(device_api);
        if (kind == HL_GPU_LANES) {
            if (v.size() != 1) throw std::invalid_argument("gpu_lanes takes one loop");
            stage.gpu_lanes(v[0], api);
            return true;
        }
        if (kind != HL_GPU_BLOCKS && kind != HL_GPU_THREADS) {
            throw std::invalid_argument("unknown GPU loop kind " + std::to_string(int(kind)));
        }
        bool blocks = kind == HL_GPU_BLOCKS;
        switch (v.size()) {
        case 1: blocks ? stage.gpu_blocks(v[0], api) : stage.gpu_threads(v[0], api); return true;
        case 2: blocks ? stage.gpu_blocks(v[0], v[1], api) : stage.gpu_threads(v[0], v[1], api); return true;
        case 3:
            blocks ? stage.gpu_blocks(v[0], v[1], v[2], api) : stage.gpu_threads(v[0], v[1], v[2], api);
            return true;
        }
        throw std::invalid_argument("GPU blocks and threads take 1 to 3 loops, not " + std::to_string(v.size()));
    });
}

HL_API bool hl_stage_gpu_tile(hl_stage *s, const hl_loop_var *vars, const hl_loop_var *blocks,
                              const hl_loop_var *threads, const hl_expr *const *sizes, size_t n_vars,
                              hl_tail_strategy tail, const char *device_api, hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Stage &stage = arg(s, "hl_stage_gpu_tile").v;
        std::vector<Halide::VarOrRVar> v = loop_vars(vars, n_vars, "var");
        std::vector<Halide::VarOrRVar> b = loop_vars(blocks, n_vars, "block");
        std::vector<Halide::VarOrRVar> t = loop_vars(threads, n_vars, "thread");
        std::vector<Halide::Expr> e = hl_shim::expr_args(sizes, n_vars, "tile size");
        Halide::TailStrategy ts = tail_of(tail);
        Halide::DeviceAPI api = gpu_api(device_api);
        switch (n_vars) {
        case 1: stage.gpu_tile(v[0], b[0], t[0], e[0], ts, api); return true;
        case 2: stage.gpu_tile(v[0], v[1], b[0], b[1], t[0], t[1], e[0], e[1], ts, api); return true;
        case 3:
            stage.gpu_tile(v[0], v[1], v[2], b[0], b[1], b[2], t[0], t[1], t[2], e[0], e[1], e[2], ts, api);
            return true;
        }
        throw std::invalid_argument("gpu_tile takes 1 to 3 loops, not " + std::to_string(n_vars));
    });
}

HL_API bool hl_stage_gpu_single_thread(hl_stage *s, const char *device_api, hl_error **err) {
    HL_GUARD(err, false, {
        arg(s, "hl_stage_gpu_single_thread").v.gpu_single_thread(gpu_api(device_api));
        return true;
    });
}

HL_API hl_stage *hl_stage_specialize(hl_stage *s, const hl_expr *condition, hl_error **err) {
    HL_GUARD(err, nullptr, {
        return new hl_stage{arg(s, "hl_stage_specialize").v.specialize(expr_arg(condition, "condition"))};
    });
}

HL_API bool hl_stage_specialize_fail(hl_stage *s, const char *message, hl_error **err) {
    HL_GUARD(err, false, {
        arg(s, "hl_stage_specialize_fail").v.specialize_fail(message ? message : "");
        return true;
    });
}

HL_API hl_func *hl_stage_rfactor(hl_stage *s, const hl_loop_var *rvars, const hl_var *const *vars, size_t n,
                                 hl_error **err) {
    HL_GUARD(err, nullptr, {
        std::vector<std::pair<Halide::RVar, Halide::Var>> preserved;
        for (size_t i = 0; i < n; i++) {
            if (!rvars[i].name) throw std::invalid_argument("hl_stage_rfactor: null RVar name");
            preserved.emplace_back(Halide::RVar(rvars[i].name), var_arg(vars[i], "hl_stage_rfactor var"));
        }
        return new hl_func{arg(s, "hl_stage_rfactor").v.rfactor(preserved)};
    });
}

HL_API bool hl_stage_atomic(hl_stage *s, bool override_associativity_test, hl_error **err) {
    HL_GUARD(err, false, {
        arg(s, "hl_stage_atomic").v.atomic(override_associativity_test);
        return true;
    });
}

HL_API bool hl_stage_allow_race_conditions(hl_stage *s, hl_error **err) {
    HL_GUARD(err, false, {
        arg(s, "hl_stage_allow_race_conditions").v.allow_race_conditions();
        return true;
    });
}

HL_API bool hl_stage_compute_with(hl_stage *s, const hl_loop_level *level, const hl_loop_var *vars,
                                  const hl_loop_align *aligns, size_t n, hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Stage &stage = arg(s, "hl_stage_compute_with").v;
        if (n > 0 && (!vars || !aligns)) throw std::invalid_argument("hl_stage_compute_with: null alignments");
        std::vector<std::pair<Halide::VarOrRVar, Halide::LoopAlignStrategy>> align;
        for (size_t i = 0; i < n; i++) {
            Halide::LoopAlignStrategy a;
            switch (aligns[i]) {
            case HL_ALIGN_AUTO: a = Halide::LoopAlignStrategy::Auto; break;
            case HL_ALIGN_START: a = Halide::LoopAlignStrategy::AlignStart; break;
            case HL_ALIGN_END: a = Halide::LoopAlignStrategy::AlignEnd; break;
            case HL_ALIGN_NONE: a = Halide::LoopAlignStrategy::NoAlign; break;
            default: throw std::invalid_argument("unknown loop alignment " + std::to_string(int(aligns[i])));
            }
            align.emplace_back(loop_var(vars[i], "aligned loop"), a);
        }
        stage.compute_with(arg(level, "hl_stage_compute_with level").v, align);
        return true;
    });
}

HL_API bool hl_stage_prefetch(hl_stage *s, const hl_func *f, const hl_image_param *p, hl_loop_var at,
                              hl_loop_var from, const hl_expr *offset, hl_prefetch_bound bound, hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Stage &stage = arg(s, "hl_stage_prefetch").v;
        if (bool(f) == bool(p)) throw std::invalid_argument("hl_stage_prefetch: give exactly one of a Func and an image");
        Halide::Expr off = expr_arg(offset, "offset");
        Halide::PrefetchBoundStrategy strategy;
        switch (bound) {
        case HL_PREFETCH_CLAMP: strategy = Halide::PrefetchBoundStrategy::Clamp; break;
        case HL_PREFETCH_GUARD_WITH_IF: strategy = Halide::PrefetchBoundStrategy::GuardWithIf; break;
        case HL_PREFETCH_NON_FAULTING: strategy = Halide::PrefetchBoundStrategy::NonFaulting; break;
        default: throw std::invalid_argument("unknown prefetch bound strategy " + std::to_string(int(bound)));
        }
        if (f) {
            stage.prefetch(f->v, loop_var(at, "at"), loop_var(from, "from"), off, strategy);
        } else {
            stage.prefetch(p->v, loop_var(at, "at"), loop_var(from, "from"), off, strategy);
        }
        return true;
    });
}

HL_API bool hl_stage_unscheduled(hl_stage *s, hl_error **err) {
    HL_GUARD(err, false, {
        arg(s, "hl_stage_unscheduled").v.unscheduled();
        return true;
    });
}

HL_API bool hl_stage_hexagon(hl_stage *s, hl_loop_var var, hl_error **err) {
    HL_GUARD(err, false, {
        arg(s, "hl_stage_hexagon").v.hexagon(loop_var(var, "var"));
        return true;
    });
}

HL_API char *hl_stage_dump_argument_list(const hl_stage *s, hl_error **err) {
    HL_GUARD(err, nullptr, { return hl_shim::copy_string(arg(s, "hl_stage_dump_argument_list").v.dump_argument_list()); });
}

HL_API bool hl_func_copy_to_device(hl_func *f, const char *device_api, hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Func &func = arg(f, "hl_func_copy_to_device").v;
        func.copy_to_device(device_api ? hl_shim::device_api_named(device_api) : Halide::DeviceAPI::Default_GPU);
        return true;
    });
}

HL_API bool hl_func_memoize_with_key(hl_func *f, const hl_expr *key, hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_memoize_with_key").v.memoize(Halide::EvictionKey(expr_arg(key, "eviction key")));
        return true;
    });
}

HL_API bool hl_func_bound(hl_func *f, const hl_var *var, const hl_expr *min, const hl_expr *extent, hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_bound").v.bound(var_arg(var, "var"), expr_arg(min, "min"), expr_arg(extent, "extent"));
        return true;
    });
}

HL_API hl_loop_level *hl_loop_level_root(hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_loop_level{Halide::LoopLevel::root()}; });
}

HL_API hl_loop_level *hl_loop_level_inlined(hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_loop_level{Halide::LoopLevel::inlined()}; });
}

HL_API hl_loop_level *hl_loop_level_at(const hl_func *f, hl_loop_var var, int stage_index, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::Func &func = arg(f, "hl_loop_level_at").v;
        if (stage_index < -1 || (stage_index >= 0 && func.defined() && stage_index > func.num_update_definitions())) {
            throw std::invalid_argument("Func \"" + func.name() + "\" has no stage " + std::to_string(stage_index));
        }
        return new hl_loop_level{Halide::LoopLevel(func, loop_var(var, "hl_loop_level_at var"), stage_index)};
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

HL_API bool hl_func_reorder_storage(hl_func *f, const hl_var *const *vars, size_t n_vars, hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_reorder_storage").v.reorder_storage(vars_of(vars, n_vars, "hl_func_reorder_storage var"));
        return true;
    });
}

HL_API bool hl_func_fold_storage(hl_func *f, const hl_var *var, const hl_expr *extent, bool fold_forward,
                                 hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_fold_storage").v.fold_storage(var_arg(var, "var"), expr_arg(extent, "extent"), fold_forward);
        return true;
    });
}

HL_API bool hl_func_align_extent(hl_func *f, const hl_var *var, const hl_expr *modulus, hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_align_extent").v.align_extent(var_arg(var, "var"), expr_arg(modulus, "modulus"));
        return true;
    });
}

HL_API bool hl_func_bound_extent(hl_func *f, const hl_var *var, const hl_expr *extent, hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_bound_extent").v.bound_extent(var_arg(var, "var"), expr_arg(extent, "extent"));
        return true;
    });
}

HL_API bool hl_func_hoist_storage(hl_func *f, const hl_loop_level *level, hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_hoist_storage").v.hoist_storage(arg(level, "hl_func_hoist_storage level").v);
        return true;
    });
}

HL_API bool hl_func_bound_storage(hl_func *f, const hl_var *var, const hl_expr *bound, hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_bound_storage").v.bound_storage(var_arg(var, "var"), expr_arg(bound, "bound"));
        return true;
    });
}

HL_API bool hl_func_store_in(hl_func *f, hl_memory_type memory, hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_store_in").v.store_in(hl_shim::to_memory_type(memory));
        return true;
    });
}

HL_API bool hl_func_add_trace_tag(hl_func *f, const char *tag, hl_error **err) {
    HL_GUARD(err, false, {
        if (!tag) throw std::invalid_argument("hl_func_add_trace_tag: null tag");
        arg(f, "hl_func_add_trace_tag").v.add_trace_tag(tag);
        return true;
    });
}

HL_API bool hl_func_ring_buffer(hl_func *f, const hl_expr *buffers, hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_ring_buffer").v.ring_buffer(expr_arg(buffers, "buffers"));
        return true;
    });
}

HL_API bool hl_func_align_bounds(hl_func *f, const hl_var *var, const hl_expr *modulus, const hl_expr *remainder,
                                 hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_align_bounds").v.align_bounds(var_arg(var, "var"), expr_arg(modulus, "modulus"),
                                                      expr_arg(remainder, "remainder"));
        return true;
    });
}

HL_API bool hl_func_align_storage(hl_func *f, const hl_var *var, const hl_expr *alignment, hl_error **err) {
    HL_GUARD(err, false, {
        arg(f, "hl_func_align_storage").v.align_storage(var_arg(var, "var"), expr_arg(alignment, "alignment"));
        return true;
    });
}

HL_API bool hl_func_set_flag(hl_func *f, hl_func_flag flag, hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Func &func = arg(f, "hl_func_set_flag").v;
        switch (flag) {
        case HL_FUNC_MEMOIZE: func.memoize(); return true;
        case HL_FUNC_ASYNC: func.async(); return true;
        case HL_FUNC_TRACE_LOADS: func.trace_loads(); return true;
        case HL_FUNC_TRACE_STORES: func.trace_stores(); return true;
        case HL_FUNC_TRACE_REALIZATIONS: func.trace_realizations(); return true;
        case HL_FUNC_COPY_TO_HOST: func.copy_to_host(); return true;
        }
        throw std::invalid_argument("unknown Func flag " + std::to_string(int(flag)));
    });
}

HL_API hl_func *hl_func_wrapper(hl_func *f, hl_func *const *consumers, size_t n_consumers, bool clone,
                                hl_error **err) {
    HL_GUARD(err, nullptr, {
        Halide::Func &func = arg(f, "hl_func_wrapper").v;
        std::vector<Halide::Func> fs;
        for (size_t i = 0; i < n_consumers; i++) fs.push_back(arg(consumers[i], "hl_func_wrapper consumer").v);
        if (clone) {
            if (fs.empty()) throw std::invalid_argument("clone_in needs at least one consumer");
            return new hl_func{func.clone_in(fs)};
        }
        return new hl_func{fs.empty() ? func.in() : func.in(fs)};
    });
}

// Halide's math functions, dispatched from one enum per arity.
#include "shim.h"

using hl_shim::expr_arg;

HL_API hl_expr *hl_expr_math1(hl_math1 op, const hl_expr *a, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::Expr &x = expr_arg(a, "operand");
        switch (op) {
        case HL_MATH1_SQRT: return new hl_expr{Halide::sqrt(x)};
        case HL_MATH1_SIN: return new hl_expr{Halide::sin(x)};
        case HL_MATH1_COS: return new hl_expr{Halide::cos(x)};
        case HL_MATH1_TAN: return new hl_expr{Halide::tan(x)};
        case HL_MATH1_ASIN: return new hl_expr{Halide::asin(x)};
        case HL_MATH1_ACOS: return new hl_expr{Halide::acos(x)};
        case HL_MATH1_ATAN: return new hl_expr{Halide::atan(x)};
        case HL_MATH1_SINH: return new hl_expr{Halide::sinh(x)};
        case HL_MATH1_COSH: return new hl_expr{Halide::cosh(x)};
        case HL_MATH1_TANH: return new hl_expr{Halide::tanh(x)};
        case HL_MATH1_ASINH: return new hl_expr{Halide::asinh(x)};
        case HL_MATH1_ACOSH: return new hl_expr{Halide::acosh(x)};
        case HL_MATH1_ATANH: return new hl_expr{Halide::atanh(x)};
        case HL_MATH1_EXP: return new hl_expr{Halide::exp(x)};
        case HL_MATH1_LOG: return new hl_expr{Halide::log(x)};
        case HL_MATH1_ABS: return new hl_expr{Halide::abs(x)};
        case HL_MATH1_FLOOR: return new hl_expr{Halide::floor(x)};
        case HL_MATH1_CEIL: return new hl_expr{Halide::ceil(x)};
        case HL_MATH1_ROUND: return new hl_expr{Halide::round(x)};
        case HL_MATH1_TRUNC: return new hl_expr{Halide::trunc(x)};
        case HL_MATH1_FRACT: return new hl_expr{Halide::fract(x)};
        case HL_MATH1_IS_NAN: return new hl_expr{Halide::is_nan(x)};
        case HL_MATH1_IS_INF: return new hl_expr{Halide::is_inf(x)};
        case HL_MATH1_IS_FINITE: return new hl_expr{Halide::is_finite(x)};
        case HL_MATH1_POPCOUNT: return new hl_expr{Halide::popcount(x)};
        case HL_MATH1_COUNT_LEADING_ZEROS: return new hl_expr{Halide::count_leading_zeros(x)};
        case HL_MATH1_COUNT_TRAILING_ZEROS: return new hl_expr{Halide::count_trailing_zeros(x)};
        case HL_MATH1_FAST_INVERSE: return new hl_expr{Halide::fast_inverse(x)};
        case HL_MATH1_FAST_INVERSE_SQRT: return new hl_expr{Halide::fast_inverse_sqrt(x)};
        case HL_MATH1_FAST_LOG: return new hl_expr{Halide::fast_log(x)};
        case HL_MATH1_FAST_EXP: return new hl_expr{Halide::fast_exp(x)};
        case HL_MATH1_FAST_SIN: return new hl_expr{Halide::fast_sin(x)};
        case HL_MATH1_FAST_COS: return new hl_expr{Halide::fast_cos(x)};
        case HL_MATH1_ERF: return new hl_expr{Halide::erf(x)};
        case HL_MATH1_LIKELY: return new hl_expr{Halide::likely(x)};
        case HL_MATH1_LIKELY_IF_INNERMOST: return new hl_expr{Halide::likely_if_innermost(x)};
        case HL_MATH1_STRICT_FLOAT: return new hl_expr{Halide::strict_float(x)};
        }
        throw std::invalid_argument("unknown math function " + std::to_string(int(op)));
    });
}

HL_API hl_expr *hl_expr_math2(hl_math2 op, const hl_expr *a, const hl_expr *b, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::Expr &x = expr_arg(a, "first operand");
        const Halide::Expr &y = expr_arg(b, "second operand");
        switch (op) {
        case HL_MATH2_POW: return new hl_expr{Halide::pow(x, y)};
        case HL_MATH2_ATAN2: return new hl_expr{Halide::atan2(x, y)};
        case HL_MATH2_ABSD: return new hl_expr{Halide::absd(x, y)};
        case HL_MATH2_FAST_POW: return new hl_expr{Halide::fast_pow(x, y)};
        case HL_MATH2_WIDENING_ADD: return new hl_expr{Halide::widening_add(x, y)};
        case HL_MATH2_WIDENING_SUB: return new hl_expr{Halide::widening_sub(x, y)};
        case HL_MATH2_WIDENING_MUL: return new hl_expr{Halide::widening_mul(x, y)};
        case HL_MATH2_SATURATING_ADD: return new hl_expr{Halide::saturating_add(x, y)};
        case HL_MATH2_SATURATING_SUB: return new hl_expr{Halide::saturating_sub(x, y)};
        case HL_MATH2_HALVING_ADD: return new hl_expr{Halide::halving_add(x, y)};
        case HL_MATH2_HALVING_SUB: return new hl_expr{Halide::halving_sub(x, y)};
        case HL_MATH2_ROUNDING_HALVING_ADD: return new hl_expr{Halide::rounding_halving_add(x, y)};
        case HL_MATH2_DIV_ROUND_TO_ZERO: return new hl_expr{Halide::div_round_to_zero(x, y)};
        case HL_MATH2_MOD_ROUND_TO_ZERO: return new hl_expr{Halide::mod_round_to_zero(x, y)};
        case HL_MATH2_HYPOT: return new hl_expr{Halide::hypot(x, y)};
        case HL_MATH2_ROUNDING_SHIFT_LEFT: return new hl_expr{Halide::rounding_shift_left(x, y)};
        case HL_MATH2_ROUNDING_SHIFT_RIGHT: return new hl_expr{Halide::rounding_shift_right(x, y)};
        case HL_MATH2_WIDEN_RIGHT_ADD: return new hl_expr{Halide::widen_right_add(x, y)};
        case HL_MATH2_WIDEN_RIGHT_SUB: return new hl_expr{Halide::widen_right_sub(x, y)};
        case HL_MATH2_WIDEN_RIGHT_MUL: return new hl_expr{Halide::widen_right_mul(x, y)};
        case HL_MATH2_WIDENING_SHIFT_LEFT: return new hl_expr{Halide::widening_shift_left(x, y)};
        case HL_MATH2_WIDENING_SHIFT_RIGHT: return new hl_expr{Halide::widening_shift_right(x, y)};
        }
        throw std::invalid_argument("unknown math function " + std::to_string(int(op)));
    });
}

HL_API hl_expr *hl_expr_math3(hl_math3 op, const hl_expr *a, const hl_expr *b, const hl_expr *c, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::Expr &x = expr_arg(a, "first operand");
        const Halide::Expr &y = expr_arg(b, "second operand");
        const Halide::Expr &z = expr_arg(c, "third operand");
        switch (op) {
        case HL_MATH3_CLAMP: return new hl_expr{Halide::clamp(x, y, z)};
        case HL_MATH3_LERP: return new hl_expr{Halide::lerp(x, y, z)};
        case HL_MATH3_MUL_SHIFT_RIGHT: return new hl_expr{Halide::mul_shift_right(x, y, z)};
        case HL_MATH3_ROUNDING_MUL_SHIFT_RIGHT: return new hl_expr{Halide::rounding_mul_shift_right(x, y, z)};
        case HL_MATH3_UNSAFE_PROMISE_CLAMPED: return new hl_expr{Halide::unsafe_promise_clamped(x, y, z)};
        }
        throw std::invalid_argument("unknown math function " + std::to_string(int(op)));
    });
}

HL_API hl_expr *hl_expr_reinterpret(struct halide_type_t t, const hl_expr *e, hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_expr{Halide::reinterpret(hl_shim::to_type(t), expr_arg(e, "operand"))}; });
}

HL_API hl_expr *hl_expr_saturating_cast(struct halide_type_t t, const hl_expr *e, hl_error **err) {
    HL_GUARD(err, nullptr, {
        return new hl_expr{Halide::saturating_cast(hl_shim::to_type(t), expr_arg(e, "operand"))};
    });
}

HL_API hl_expr *hl_expr_extract_bits(struct halide_type_t t, const hl_expr *e, const hl_expr *lsb, hl_error **err) {
    HL_GUARD(err, nullptr, {
        return new hl_expr{Halide::extract_bits(hl_shim::to_type(t), expr_arg(e, "operand"), expr_arg(lsb, "lsb"))};
    });
}

HL_API hl_expr *hl_expr_list(hl_expr_list_op op, const hl_expr *const *args, size_t n, hl_error **err) {
    HL_GUARD(err, nullptr, {
        if (n > 0 && !args) throw std::invalid_argument("hl_expr_list: null argument array");
        std::vector<Halide::Expr> list;
        for (size_t i = 0; i < n; i++) list.push_back(expr_arg(args[i], "list element"));
        if (list.empty()) throw std::invalid_argument("an intrinsic over a list needs at least one expression");
        switch (op) {
        case HL_LIST_CONCAT_BITS: return new hl_expr{Halide::concat_bits(list)};
        case HL_LIST_GATHER: return new hl_expr{Halide::gather(list)};
        case HL_LIST_SCATTER: return new hl_expr{Halide::scatter(list)};
        }
        throw std::invalid_argument("unknown list intrinsic " + std::to_string(int(op)));
    });
}

HL_API hl_expr *hl_expr_target_predicate(hl_target_predicate p, const char *name, hl_error **err) {
    HL_GUARD(err, nullptr, {
        if (!name) throw std::invalid_argument("hl_expr_target_predicate: null name");
        const std::string n(name);
        // Halide parses architectures and OSes only inside target strings.
        auto parse = [](const std::string &s, const std::string &what) {
            if (!Halide::Target::validate_target_string(s)) throw std::invalid_argument("unknown " + what);
            return Halide::Target(s);
        };
        switch (p) {
        case HL_TARGET_ARCH_IS: {
            // Some architectures exist in one width only (wasm is 32-bit).
            const std::string bits = Halide::Target::validate_target_string(n + "-64-linux") ? "-64-linux" : "-32-linux";
            return new hl_expr{Halide::target_arch_is(parse(n + bits, "architecture \"" + n + "\"").arch)};
        }
        case HL_TARGET_OS_IS:
            return new hl_expr{Halide::target_os_is(parse("x86-64-" + n, "OS \"" + n + "\"").os)};
        case HL_TARGET_HAS_FEATURE: {
            Halide::Target::Feature f = Halide::Target::feature_from_name(n);
            if (f == Halide::Target::FeatureEnd) throw std::invalid_argument("unknown target feature \"" + n + "\"");
            return new hl_expr{Halide::target_has_feature(f)};
        }
        }
        throw std::invalid_argument("unknown target predicate " + std::to_string(int(p)));
    });
}

HL_API hl_expr *hl_expr_user_context(hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_expr{Halide::user_context_value()}; });
}

HL_API hl_expr *hl_expr_memoize_tag(const hl_expr *result, const hl_expr *const *keys, size_t n, hl_error **err) {
    HL_GUARD(err, nullptr, {
        std::vector<Halide::Expr> key = hl_shim::expr_args(keys, n, "memoize_tag key");
        return new hl_expr{Halide::memoize_tag(hl_shim::expr_arg(result, "memoize_tag result"), key)};
    });
}

HL_API hl_expr *hl_expr_target_bits(hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_expr{Halide::target_bits()}; });
}

HL_API hl_expr *hl_expr_target_natural_vector_size(struct halide_type_t t, hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_expr{Halide::target_natural_vector_size(hl_shim::to_type(t))}; });
}

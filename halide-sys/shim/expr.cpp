// Halide::Expr: constants, operators, casts, select.
#include "shim.h"

using hl_shim::arg;
using hl_shim::expr_arg;

namespace {

void check_code(halide_type_t t, bool want_float, const char *what) {
    bool is_float = t.code == halide_type_float || t.code == halide_type_bfloat;
    bool is_int = t.code == halide_type_int || t.code == halide_type_uint;
    if (want_float ? !is_float : !is_int) {
        std::ostringstream msg;
        msg << what << ": constant of type " << hl_shim::to_type(t) << " is not "
            << (want_float ? "a float type" : "an integer type");
        throw std::invalid_argument(msg.str());
    }
}

// An operand that is a C++ int goes through Halide's int overloads where
// they exist. Logical operators have none for int (only for bool, which a C++
// int would silently convert to), so there the int becomes an Expr first.
Halide::Expr logical_operand(const Halide::Expr &e) { return e; }
Halide::Expr logical_operand(int i) { return Halide::Expr(i); }

template<typename A, typename B>
Halide::Expr apply(hl_binary_op op, const A &a, const B &b) {
    switch (op) {
    case HL_OP_ADD: return a + b;
    case HL_OP_SUB: return a - b;
    case HL_OP_MUL: return a * b;
    case HL_OP_DIV: return a / b;
    case HL_OP_MOD: return a % b;
    case HL_OP_MIN: return Halide::min(a, b);
    case HL_OP_MAX: return Halide::max(a, b);
    case HL_OP_EQ: return a == b;
    case HL_OP_NE: return a != b;
    case HL_OP_LT: return a < b;
    case HL_OP_LE: return a <= b;
    case HL_OP_GT: return a > b;
    case HL_OP_GE: return a >= b;
    case HL_OP_AND: return logical_operand(a) && logical_operand(b);
    case HL_OP_OR: return logical_operand(a) || logical_operand(b);
    case HL_OP_BIT_AND: return a & b;
    case HL_OP_BIT_OR: return a | b;
    case HL_OP_BIT_XOR: return a ^ b;
    case HL_OP_SHL: return a << b;
    case HL_OP_SHR: return a >> b;
    }
    throw std::invalid_argument("unknown binary operator " + std::to_string(int(op)));
}

}  // namespace

HL_API hl_expr *hl_expr_int(halide_type_t t, int64_t value, hl_error **err) {
    HL_GUARD(err, nullptr, {
        check_code(t, false, "hl_expr_int");
        return new hl_expr{Halide::Internal::make_const(hl_shim::to_type(t), value)};
    });
}

HL_API hl_expr *hl_expr_uint(halide_type_t t, uint64_t value, hl_error **err) {
    HL_GUARD(err, nullptr, {
        check_code(t, false, "hl_expr_uint");
        return new hl_expr{Halide::Internal::make_const(hl_shim::to_type(t), value)};
    });
}

HL_API hl_expr *hl_expr_float(halide_type_t t, double value, hl_error **err) {
    HL_GUARD(err, nullptr, {
        check_code(t, true, "hl_expr_float");
        return new hl_expr{Halide::Internal::make_const(hl_shim::to_type(t), value)};
    });
}

HL_API hl_expr *hl_expr_clone(const hl_expr *e, hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_expr{arg(e, "hl_expr_clone").v}; });
}

HL_API void hl_expr_free(hl_expr *e) {
    HL_GUARD(nullptr, , { delete e; });
}

HL_API halide_type_t hl_expr_type(const hl_expr *e, hl_error **err) {
    HL_GUARD(err, halide_type_t(), { return hl_shim::from_type(expr_arg(e, "hl_expr_type").type()); });
}

HL_API char *hl_expr_to_string(const hl_expr *e, hl_error **err) {
    HL_GUARD(err, nullptr, {
        std::ostringstream out;
        out << arg(e, "hl_expr_to_string").v;
        return hl_shim::copy_string(out.str());
    });
}

HL_API hl_expr *hl_expr_binary(hl_binary_op op, const hl_expr *a, const hl_expr *b, hl_error **err) {
    HL_GUARD(err, nullptr, {
        return new hl_expr{apply(op, expr_arg(a, "lhs"), expr_arg(b, "rhs"))};
    });
}

HL_API hl_expr *hl_expr_binary_int(hl_binary_op op, const hl_expr *a, int b, bool int_on_left, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::Expr &e = expr_arg(a, "operand");
        return new hl_expr{int_on_left ? apply(op, b, e) : apply(op, e, b)};
    });
}

HL_API hl_expr *hl_expr_binary_float(hl_binary_op op, const hl_expr *a, double b, bool float_on_left,
                                     hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::Expr &e = expr_arg(a, "operand");
        Halide::Expr literal = e.type().is_float() ? Halide::Internal::make_const(e.type(), b)
                                                   : Halide::Expr(static_cast<float>(b));
        return new hl_expr{float_on_left ? apply(op, literal, e) : apply(op, e, literal)};
    });
}

HL_API hl_expr *hl_expr_unary(hl_unary_op op, const hl_expr *a, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::Expr &e = expr_arg(a, "operand");
        switch (op) {
        case HL_OP_NEG: return new hl_expr{-e};
        case HL_OP_NOT: return new hl_expr{!e};
        case HL_OP_BIT_NOT: return new hl_expr{~e};
        }
        throw std::invalid_argument("unknown unary operator " + std::to_string(int(op)));
    });
}

HL_API hl_expr *hl_expr_cast(halide_type_t t, const hl_expr *e, hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_expr{Halide::cast(hl_shim::to_type(t), expr_arg(e, "hl_expr_cast"))}; });
}

HL_API hl_expr *hl_expr_select(const hl_expr *cond, const hl_expr *t, const hl_expr *f, hl_error **err) {
    HL_GUARD(err, nullptr, {
        return new hl_expr{Halide::select(expr_arg(cond, "select condition"), expr_arg(t, "select true value"),
                                          expr_arg(f, "select false value"))};
    });
}

HL_API hl_expr *hl_expr_string(const char *s, hl_error **err) {
    HL_GUARD(err, nullptr, {
        if (!s) throw std::invalid_argument("hl_expr_string: null string");
        return new hl_expr{Halide::Expr(std::string(s))};
    });
}

HL_API hl_expr *hl_expr_mux(const hl_expr *id, const hl_expr *const *values, size_t n, hl_error **err) {
    HL_GUARD(err, nullptr, {
        return new hl_expr{Halide::mux(expr_arg(id, "mux index"), hl_shim::expr_args(values, n, "mux value"))};
    });
}

HL_API hl_expr *hl_expr_print(const hl_expr *const *args, size_t n, const hl_expr *condition, hl_error **err) {
    HL_GUARD(err, nullptr, {
        std::vector<Halide::Expr> values = hl_shim::expr_args(args, n, "print argument");
        if (values.empty()) throw std::invalid_argument("print needs at least one argument");
        return new hl_expr{condition ? Halide::print_when(expr_arg(condition, "print_when condition"), values)
                                     : Halide::print(values)};
    });
}

HL_API hl_expr *hl_expr_require(const hl_expr *condition, const hl_expr *value, const hl_expr *const *args, size_t n,
                                hl_error **err) {
    HL_GUARD(err, nullptr, {
        std::vector<Halide::Expr> values{expr_arg(value, "require value")};
        for (const Halide::Expr &e : hl_shim::expr_args(args, n, "require message")) values.push_back(e);
        return new hl_expr{Halide::require(expr_arg(condition, "require condition"), values)};
    });
}

HL_API hl_expr *hl_expr_undef(halide_type_t t, hl_error **err) {
    HL_GUARD(err, nullptr, { return new hl_expr{Halide::undef(hl_shim::to_type(t))}; });
}

HL_API hl_expr *hl_expr_type_bound(struct halide_type_t t, bool max, hl_error **err) {
    HL_GUARD(err, nullptr, {
        Halide::Type type = hl_shim::to_type(t);
        if (type.is_handle()) throw std::invalid_argument("a handle type has no largest or smallest value");
        return new hl_expr{max ? type.max() : type.min()};
    });
}

HL_API hl_expr *hl_expr_random(halide_type_t t, const hl_expr *seed, hl_error **err) {
    HL_GUARD(err, nullptr, {
        Halide::Type type = hl_shim::to_type(t);
        Halide::Expr s = seed ? expr_arg(seed, "random seed") : Halide::Expr();
        if (type == Halide::Float(32)) return new hl_expr{Halide::random_float(s)};
        if (type == Halide::Int(32)) return new hl_expr{Halide::random_int(s)};
        if (type == Halide::UInt(32)) return new hl_expr{Halide::random_uint(s)};
        throw std::invalid_argument("random numbers are float32, int32 or uint32");
    });
}

namespace {

// Halide's inline reductions, each with its default name, over an implicit
// RDom (the one e uses) or an explicit one.
#define HL_INLINE_REDUCTION(fn)                                                          \
    auto reduce_##fn(const hl_rdom *r, const Halide::Expr &e, const std::string &name) { \
        std::string n = name.empty() ? #fn : name;                                       \
        return r ? Halide::fn(r->v, e, n) : Halide::fn(e, n);                            \
    }
HL_INLINE_REDUCTION(sum)
HL_INLINE_REDUCTION(product)
HL_INLINE_REDUCTION(maximum)
HL_INLINE_REDUCTION(minimum)
HL_INLINE_REDUCTION(argmax)
HL_INLINE_REDUCTION(argmin)
#undef HL_INLINE_REDUCTION

}  // namespace

HL_API size_t hl_expr_inline_reduce(hl_inline_reduction kind, const hl_rdom *r, const hl_expr *e, const char *name,
                                    hl_expr **out, size_t capacity, hl_error **err) {
    HL_GUARD(err, 0, {
        const Halide::Expr &value = expr_arg(e, "inline reduction");
        std::string n = name ? name : "";
        std::vector<Halide::Expr> results;
        switch (kind) {
        case HL_REDUCE_SUM: results.push_back(reduce_sum(r, value, n)); break;
        case HL_REDUCE_PRODUCT: results.push_back(reduce_product(r, value, n)); break;
        case HL_REDUCE_MAXIMUM: results.push_back(reduce_maximum(r, value, n)); break;
        case HL_REDUCE_MINIMUM: results.push_back(reduce_minimum(r, value, n)); break;
        case HL_REDUCE_ARGMAX: results = reduce_argmax(r, value, n).as_vector(); break;
        case HL_REDUCE_ARGMIN: results = reduce_argmin(r, value, n).as_vector(); break;
        default: throw std::invalid_argument("unknown inline reduction " + std::to_string(int(kind)));
        }
        if (results.size() > capacity || (capacity && !out)) {
            throw std::invalid_argument("the reduction has " + std::to_string(results.size()) +
                                        " values, more than the " + std::to_string(capacity) + " asked for");
        }
        for (size_t i = 0; i < results.size(); i++) out[i] = new hl_expr{results[i]};
        return results.size();
    });
}

/* halide_c.h: a small C API over Halide's C++ front end.
 *
 * Conventions, the same for every function:
 * - Objects are opaque handles created by `hl_*_new` / returned by operations,
 *   and released by the matching `hl_*_free` (which accepts NULL).
 * - Every function that can fail takes `hl_error **err` last. On failure it
 *   stores a new error there (release it with hl_error_free) and returns
 *   NULL / 0 / false; on success it leaves *err untouched. err may be NULL to
 *   ignore errors.
 * - No C++ exception ever leaves a function of this API.
 * - Strings returned as `char *` are owned by the caller: hl_string_free.
 */
#ifndef HALIDE_C_H
#define HALIDE_C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "HalideRuntime.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors ---------------------------------------------------------- */

typedef struct hl_error hl_error;

/** Which kind of Halide error was raised. */
typedef enum hl_error_kind {
    /** Halide::CompileError: the program is wrong (a user error). */
    HL_ERROR_COMPILE = 1,
    /** Halide::RuntimeError: a pipeline failed while running. */
    HL_ERROR_RUNTIME = 2,
    /** Halide::InternalError: a bug in Halide. */
    HL_ERROR_INTERNAL = 3,
    /** Any other C++ exception (std::bad_alloc, ...). */
    HL_ERROR_OTHER = 4,
} hl_error_kind;

const char *hl_error_message(const hl_error *e);
hl_error_kind hl_error_kind_of(const hl_error *e);
void hl_error_free(hl_error *e);

void hl_string_free(char *s);

/* ---- targets --------------------------------------------------------- */

typedef struct hl_target hl_target;

/** The host's target (what `host` means in a target string). */
hl_target *hl_target_host(hl_error **err);
/** The target of HL_JIT_TARGET, or the host's when it is unset. */
hl_target *hl_target_jit_from_environment(hl_error **err);
/** Parses a target string such as `x86-64-linux-avx2` or `host-cuda`. */
hl_target *hl_target_parse(const char *s, hl_error **err);
hl_target *hl_target_clone(const hl_target *t, hl_error **err);
char *hl_target_to_string(const hl_target *t, hl_error **err);
bool hl_target_equal(const hl_target *a, const hl_target *b, hl_error **err);
void hl_target_free(hl_target *t);

/* ---- expressions ----------------------------------------------------- */

typedef struct hl_expr hl_expr;

/** Binary operators, in Halide's semantics (C-like, with its type promotion). */
typedef enum hl_binary_op {
    HL_OP_ADD = 0,
    HL_OP_SUB,
    HL_OP_MUL,
    HL_OP_DIV,
    HL_OP_MOD,
    HL_OP_MIN,
    HL_OP_MAX,
    HL_OP_EQ,
    HL_OP_NE,
    HL_OP_LT,
    HL_OP_LE,
    HL_OP_GT,
    HL_OP_GE,
    HL_OP_AND,
    HL_OP_OR,
    HL_OP_BIT_AND,
    HL_OP_BIT_OR,
    HL_OP_BIT_XOR,
    HL_OP_SHL,
    HL_OP_SHR,
} hl_binary_op;

typedef enum hl_unary_op {
    HL_OP_NEG = 0,
    HL_OP_NOT,
    HL_OP_BIT_NOT,
} hl_unary_op;

/** An integer constant of integer type `t` (code int or uint). */
hl_expr *hl_expr_int(struct halide_type_t t, int64_t value, hl_error **err);
/** An unsigned constant of type `t` (code uint), for values above INT64_MAX. */
hl_expr *hl_expr_uint(struct halide_type_t t, uint64_t value, hl_error **err);
/** A floating-point constant of float type `t`. */
hl_expr *hl_expr_float(struct halide_type_t t, double value, hl_error **err);
hl_expr *hl_expr_clone(const hl_expr *e, hl_error **err);
void hl_expr_free(hl_expr *e);

struct halide_type_t hl_expr_type(const hl_expr *e, hl_error **err);
char *hl_expr_to_string(const hl_expr *e, hl_error **err);

hl_expr *hl_expr_binary(hl_binary_op op, const hl_expr *a, const hl_expr *b, hl_error **err);
/** `a op b` or `b op a` with a C++ `int` operand, as Halide's `operator op(Expr, int)`
 *  overloads: the int takes the expression's type when it is representable there. */
hl_expr *hl_expr_binary_int(hl_binary_op op, const hl_expr *a, int b, bool int_on_left, hl_error **err);
/** `a op b` or `b op a` with a floating-point literal, typed as C++ float
 *  literals are: the expression's type when that is a float type, float32 otherwise. */
hl_expr *hl_expr_binary_float(hl_binary_op op, const hl_expr *a, double b, bool float_on_left, hl_error **err);
hl_expr *hl_expr_unary(hl_unary_op op, const hl_expr *a, hl_error **err);
hl_expr *hl_expr_cast(struct halide_type_t t, const hl_expr *e, hl_error **err);
hl_expr *hl_expr_select(const hl_expr *cond, const hl_expr *t, const hl_expr *f, hl_error **err);

/* ---- variables -------------------------------------------------------- */

typedef struct hl_var hl_var;

/** A new Var; name may be NULL for a unique generated name. */
hl_var *hl_var_new(const char *name, hl_error **err);
hl_var *hl_var_clone(const hl_var *v, hl_error **err);
char *hl_var_name(const hl_var *v, hl_error **err);
hl_expr *hl_var_to_expr(const hl_var *v, hl_error **err);
void hl_var_free(hl_var *v);

/* ---- functions -------------------------------------------------------- */

typedef struct hl_func hl_func;

/** A new, undefined Func; name may be NULL for a unique generated name. */
hl_func *hl_func_new(const char *name, hl_error **err);
void hl_func_free(hl_func *f);
char *hl_func_name(const hl_func *f, hl_error **err);
bool hl_func_defined(const hl_func *f, hl_error **err);
/** Number of pure arguments; an error for an undefined Func. */
int hl_func_dimensions(const hl_func *f, hl_error **err);
/** Number of values (1, or the Tuple size); an error for an undefined Func. */
int hl_func_outputs(const hl_func *f, hl_error **err);
/** Writes the type of output `i` to *out. */
bool hl_func_output_type(const hl_func *f, int i, struct halide_type_t *out, hl_error **err);
/** The pure definition `f(args...) = value`. */
bool hl_func_define(hl_func *f, const hl_var *const *args, size_t n_args, const hl_expr *value, hl_error **err);
/** The call `f(args...)` as an expression. */
hl_expr *hl_func_call(const hl_func *f, const hl_expr *const *args, size_t n_args, hl_error **err);
/* ---- scheduling ------------------------------------------------------- */

/** How a split handles extents that the factor does not divide. */
typedef enum hl_tail_strategy {
    HL_TAIL_AUTO = 0,
    HL_TAIL_ROUND_UP,
    HL_TAIL_GUARD_WITH_IF,
    HL_TAIL_PREDICATE,
    HL_TAIL_PREDICATE_LOADS,
    HL_TAIL_PREDICATE_STORES,
    HL_TAIL_SHIFT_INWARDS,
    HL_TAIL_SHIFT_INWARDS_AND_BLEND,
    HL_TAIL_ROUND_UP_AND_BLEND,
} hl_tail_strategy;

/** Directives that apply to one loop. */
typedef enum hl_loop_kind {
    HL_LOOP_SERIAL = 0,
    HL_LOOP_PARALLEL,
    HL_LOOP_VECTORIZED,
    HL_LOOP_UNROLLED,
} hl_loop_kind;

/** Tells autoschedulers that dimension var of f is used over [min, min + extent). */
bool hl_func_set_estimate(hl_func *f, const hl_var *var, const hl_expr *min, const hl_expr *extent, hl_error **err);

/** Marks loop `var` of f as `kind`. With a factor, splits var by it first
 *  and marks the inner loop (vectorize, unroll) or the outer (parallel task
 *  size); serial takes no factor. */
bool hl_func_loop(hl_func *f, hl_loop_kind kind, const hl_var *var, const hl_expr *factor, hl_tail_strategy tail,
                  hl_error **err);
bool hl_func_split(hl_func *f, const hl_var *old, const hl_var *outer, const hl_var *inner, const hl_expr *factor,
                   hl_tail_strategy tail, hl_error **err);
bool hl_func_fuse(hl_func *f, const hl_var *inner, const hl_var *outer, const hl_var *fused, hl_error **err);
bool hl_func_tile(hl_func *f, const hl_var *x, const hl_var *y, const hl_var *xo, const hl_var *yo, const hl_var *xi,
                  const hl_var *yi, const hl_expr *xfactor, const hl_expr *yfactor, hl_tail_strategy tail,
                  hl_error **err);
/** Orders loops innermost first. */
bool hl_func_reorder(hl_func *f, const hl_var *const *vars, size_t n_vars, hl_error **err);
/** Asserts the bounds of dimension var: [min, min + extent). */
bool hl_func_bound(hl_func *f, const hl_var *var, const hl_expr *min, const hl_expr *extent, hl_error **err);

typedef struct hl_loop_level hl_loop_level;

hl_loop_level *hl_loop_level_root(hl_error **err);
hl_loop_level *hl_loop_level_inlined(hl_error **err);
/** The loop over `var` in the schedule of `f`. */
hl_loop_level *hl_loop_level_at(const hl_func *f, const hl_var *var, hl_error **err);
hl_loop_level *hl_loop_level_clone(const hl_loop_level *l, hl_error **err);
void hl_loop_level_free(hl_loop_level *l);

/** Where f is computed (compute_at) and where its storage is allocated (store_at). */
bool hl_func_compute_at(hl_func *f, const hl_loop_level *level, hl_error **err);
bool hl_func_store_at(hl_func *f, const hl_loop_level *level, hl_error **err);

/** The statement Halide lowers f to for target t, as text or HTML. */
char *hl_func_lowered_stmt(hl_func *f, const hl_target *t, bool html, hl_error **err);

/* ---- reduction domains ---------------------------------------------------- */

typedef struct hl_rdom hl_rdom;

/** A reduction domain over [mins[i], mins[i] + extents[i]) in each of n_dims dimensions. */
hl_rdom *hl_rdom_new(const hl_expr *const *mins, const hl_expr *const *extents, size_t n_dims, const char *name,
                     hl_error **err);
void hl_rdom_free(hl_rdom *r);
int hl_rdom_dimensions(const hl_rdom *r, hl_error **err);
/** Dimension i of r (its RVar) as an expression. */
hl_expr *hl_rdom_var(const hl_rdom *r, int i, hl_error **err);
/** Restricts r to the points where `predicate` holds. */
bool hl_rdom_where(hl_rdom *r, const hl_expr *predicate, hl_error **err);

/* ---- image parameters --------------------------------------------------- */

typedef struct hl_image_param hl_image_param;

/** An input image of element type t with `dimensions` dimensions. */
hl_image_param *hl_image_param_new(struct halide_type_t t, int dimensions, const char *name, hl_error **err);
void hl_image_param_free(hl_image_param *p);
char *hl_image_param_name(const hl_image_param *p, hl_error **err);
/** The call `p(args...)` as an expression. */
hl_expr *hl_image_param_call(const hl_image_param *p, const hl_expr *const *args, size_t n_args, hl_error **err);

/** A field of a buffer dimension that can be constrained. */
typedef enum hl_dim_field {
    HL_DIM_MIN = 0,
    HL_DIM_EXTENT,
    HL_DIM_STRIDE,
} hl_dim_field;

/** Tells autoschedulers that dimension `dim` of the buffers p accepts is [min, min + extent). */
bool hl_image_param_set_estimate(hl_image_param *p, int dim, const hl_expr *min, const hl_expr *extent, hl_error **err);
/** Constrains one field of dimension `dim` of the buffers p accepts to `value`;
 *  with value NULL, removes the constraint (by default stride 0 must be 1). */
bool hl_image_param_set_dim(hl_image_param *p, int dim, hl_dim_field field, const hl_expr *value, hl_error **err);

/** Drops f's JIT-compiled code, so the next realize compiles again (needed
 *  after constraints on its inputs change). */
bool hl_func_invalidate_jit(hl_func *f, hl_error **err);
/** An update definition `f(args...) = value`: args are expressions, which
 *  may use reduction-domain variables; value may call f itself. */
bool hl_func_define_update(hl_func *f, const hl_expr *const *args, size_t n_args, const hl_expr *value, hl_error **err);
/** The number of update definitions f has. */
int hl_func_updates(const hl_func *f, hl_error **err);

/** JIT-compiles f for target t ahead of the first realize. */
bool hl_func_compile_jit(hl_func *f, const hl_target *t, hl_error **err);
/** Realizes f into caller-owned buffers, one per output, for target t.
 *  The buffers' shapes say which region to compute. The buffers'
 *  flags and device fields are updated to what Halide left in them.
 *  Each of params reads the buffer at the same index of inputs, during this
 *  call only: both are bound before
 *  realizing and unbound afterwards, also when realizing fails. */
bool hl_func_realize(hl_func *f, halide_buffer_t *const *outputs, size_t n_outputs,
                     const hl_image_param *const *params, const halide_buffer_t *const *inputs, size_t n_inputs,
                     const hl_target *t, hl_error **err);

/* ---- scalar parameters ------------------------------------------------ */

typedef struct hl_param hl_param;

/** A scalar input of type t. */
hl_param *hl_param_new(struct halide_type_t t, const char *name, hl_error **err);
void hl_param_free(hl_param *p);
char *hl_param_name(const hl_param *p, hl_error **err);
hl_expr *hl_param_to_expr(const hl_param *p, hl_error **err);
/** Sets the value realize() uses; `value` points at one scalar of p's type. */
bool hl_param_set_value(hl_param *p, const void *value, hl_error **err);
/** Sets (or with NULL, clears) the smallest and largest values p may take. */
bool hl_param_set_range(hl_param *p, const hl_expr *min, const hl_expr *max, hl_error **err);
/** Sets the value autoschedulers assume for p. */
bool hl_param_set_estimate(hl_param *p, const hl_expr *estimate, hl_error **err);
/** Sets the default value recorded for p in compiled pipelines' metadata. */
bool hl_param_set_default(hl_param *p, const hl_expr *value, hl_error **err);

/* ---- pipelines and compiled callables ---------------------------------- */

typedef struct hl_pipeline hl_pipeline;
typedef struct hl_callable hl_callable;

/** A pipeline computing the given Funcs together. */
hl_pipeline *hl_pipeline_new(hl_func *const *outputs, size_t n_outputs, hl_error **err);
void hl_pipeline_free(hl_pipeline *p);

typedef enum hl_argument_kind {
    HL_ARGUMENT_INPUT_SCALAR = 0,
    HL_ARGUMENT_INPUT_BUFFER,
    HL_ARGUMENT_OUTPUT_BUFFER,
} hl_argument_kind;

/** One argument of a compiled pipeline. `name` lives as long as the callable. */
typedef struct hl_argument {
    const char *name;
    hl_argument_kind kind;
    struct halide_type_t type;
    int dimensions;
} hl_argument;

/** Loads an autoscheduler plugin from the shared library at `path`. */
bool hl_load_plugin(const char *path, hl_error **err);
/** Schedules p with the autoscheduler registered as `name`, for target t,
 *  with its parameters keys[i] = values[i]; returns the schedule as C++ source. */
char *hl_pipeline_apply_autoscheduler(hl_pipeline *p, const hl_target *t, const char *name, const char *const *keys,
                                      const char *const *values, size_t n_params, hl_error **err);

/** JIT-compiles p for target t into a callable whose arguments are the
 *  inputs p reads (buffers first, then scalars, each in name order) followed
 *  by one output buffer per output value. */
hl_callable *hl_pipeline_compile(hl_pipeline *p, const hl_target *t, hl_error **err);
size_t hl_callable_argument_count(const hl_callable *c);
/** Writes argument i's description to *out. */
bool hl_callable_argument(const hl_callable *c, size_t i, hl_argument *out, hl_error **err);
/** Calls c. argv has argc + 1 slots: slot 0 is reserved for the call's
 *  context (the shim fills it), then the arguments in order: a pointer to
 *  the value for a scalar, a halide_buffer_t* for a buffer. argc must equal
 *  the argument count. Returns Halide's error code, 0 on success; on failure
 *  stores the messages the pipeline reported in *message (free with
 *  hl_string_free). Safe to call from several threads at once. */
int hl_callable_call(const hl_callable *c, const void **argv, size_t argc, char **message, hl_error **err);
void hl_callable_free(hl_callable *c);

/* ---- math ------------------------------------------------------------- */

/** Halide's functions of one expression, named as in Halide::. */
typedef enum hl_math1 {
    HL_MATH1_SQRT = 0,
    HL_MATH1_SIN,
    HL_MATH1_COS,
    HL_MATH1_TAN,
    HL_MATH1_ASIN,
    HL_MATH1_ACOS,
    HL_MATH1_ATAN,
    HL_MATH1_SINH,
    HL_MATH1_COSH,
    HL_MATH1_TANH,
    HL_MATH1_ASINH,
    HL_MATH1_ACOSH,
    HL_MATH1_ATANH,
    HL_MATH1_EXP,
    HL_MATH1_LOG,
    HL_MATH1_ABS,
    HL_MATH1_FLOOR,
    HL_MATH1_CEIL,
    HL_MATH1_ROUND,
    HL_MATH1_TRUNC,
    HL_MATH1_FRACT,
    HL_MATH1_IS_NAN,
    HL_MATH1_IS_INF,
    HL_MATH1_IS_FINITE,
    HL_MATH1_POPCOUNT,
    HL_MATH1_COUNT_LEADING_ZEROS,
    HL_MATH1_COUNT_TRAILING_ZEROS,
    HL_MATH1_FAST_INVERSE,
    HL_MATH1_FAST_INVERSE_SQRT,
    HL_MATH1_FAST_LOG,
    HL_MATH1_FAST_EXP,
    HL_MATH1_FAST_SIN,
    HL_MATH1_FAST_COS,
    HL_MATH1_ERF,
    HL_MATH1_LIKELY,
    HL_MATH1_LIKELY_IF_INNERMOST,
    HL_MATH1_STRICT_FLOAT,
} hl_math1;
/** Halide's functions of two expressions. */
typedef enum hl_math2 {
    HL_MATH2_POW = 0,
    HL_MATH2_ATAN2,
    HL_MATH2_ABSD,
    HL_MATH2_FAST_POW,
    HL_MATH2_WIDENING_ADD,
    HL_MATH2_WIDENING_SUB,
    HL_MATH2_WIDENING_MUL,
    HL_MATH2_SATURATING_ADD,
    HL_MATH2_SATURATING_SUB,
    HL_MATH2_HALVING_ADD,
    HL_MATH2_HALVING_SUB,
    HL_MATH2_ROUNDING_HALVING_ADD,
} hl_math2;
/** Halide's functions of three expressions. */
typedef enum hl_math3 {
    HL_MATH3_CLAMP = 0,
    HL_MATH3_LERP,
    HL_MATH3_MUL_SHIFT_RIGHT,
    HL_MATH3_ROUNDING_MUL_SHIFT_RIGHT,
} hl_math3;

hl_expr *hl_expr_math1(hl_math1 op, const hl_expr *a, hl_error **err);
hl_expr *hl_expr_math2(hl_math2 op, const hl_expr *a, const hl_expr *b, hl_error **err);
hl_expr *hl_expr_math3(hl_math3 op, const hl_expr *a, const hl_expr *b, const hl_expr *c, hl_error **err);
/** The bits of e read as type t (of the same total width). */
hl_expr *hl_expr_reinterpret(struct halide_type_t t, const hl_expr *e, hl_error **err);
/** e converted to t, clamping to t's range instead of wrapping. */
hl_expr *hl_expr_saturating_cast(struct halide_type_t t, const hl_expr *e, hl_error **err);

/* ---- boundary conditions ------------------------------------------------ */

typedef enum hl_boundary {
    HL_BOUNDARY_CONSTANT_EXTERIOR = 0,
    HL_BOUNDARY_REPEAT_EDGE,
    HL_BOUNDARY_REPEAT_IMAGE,
    HL_BOUNDARY_MIRROR_IMAGE,
    HL_BOUNDARY_MIRROR_INTERIOR,
} hl_boundary;

/** A Func equal to `source` inside the region dimension i in [mins[i],
 *  mins[i] + extents[i]), extended outside it as `kind` says; `value` is
 *  the exterior of HL_BOUNDARY_CONSTANT_EXTERIOR (ignored otherwise). */
hl_func *hl_boundary_func(hl_boundary kind, const hl_func *source, const hl_expr *const *mins,
                          const hl_expr *const *extents, size_t n_dims, const hl_expr *value, hl_error **err);
/** The same over an input image, within the bounds of the buffer it is given. */
hl_func *hl_boundary_image(hl_boundary kind, const hl_image_param *source, const hl_expr *value, hl_error **err);

#ifdef __cplusplus
}
#endif

#endif

/* halide_c.h: a small C API over Halide's C++ front end.
 *
 * The sections below follow the shim's source files: one section per .cpp
 * file, named in its title, declaring exactly the functions that file
 * defines and the types they introduce. Like the Rust modules of the
 * `halide` crate, the files are one per area; the sections are ordered
 * bottom-up, each using only what the sections before it declare. The
 * opaque handle types come first: shim.h defines them, every section uses
 * them.
 *
 * Conventions, the same for every function:
 * - Objects are opaque handles created by `hl_*_new` / returned by operations,
 *   and released by the matching `hl_*_free` (which accepts NULL). Every
 *   object returned as `hl_x *` is new, owned by the caller.
 * - Every function that can fail takes `hl_error **err` last. On failure it
 *   stores a new error there (release it with hl_error_free) and returns
 *   NULL / 0 / false (-1 for hl_callable_call); on success it leaves *err
 *   untouched. err may be NULL to ignore errors.
 * - No C++ exception ever leaves a function of this API.
 * - Arguments are checked: a NULL handle or name, an undefined expression,
 *   an index out of range, a type Halide cannot represent is an error, never
 *   a crash. What cannot be checked is the caller's part: a non-NULL pointer
 *   points to a live object, an array has the length given with it, an enum
 *   argument is one of its named values.
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

/* ---- handles (shim.h) ------------------------------------------------ */

typedef struct hl_error hl_error;
typedef struct hl_target hl_target;
typedef struct hl_expr hl_expr;
typedef struct hl_var hl_var;
typedef struct hl_func hl_func;
/** One definition of a Func (its pure definition, an update, or a
 *  specialization of either), whose loops are scheduled separately. */
typedef struct hl_stage hl_stage;
typedef struct hl_loop_level hl_loop_level;
typedef struct hl_rdom hl_rdom;
typedef struct hl_image_param hl_image_param;
typedef struct hl_output_buffer hl_output_buffer;
typedef struct hl_param hl_param;
typedef struct hl_pipeline hl_pipeline;
typedef struct hl_callable hl_callable;
typedef struct hl_module hl_module;
typedef struct hl_derivative hl_derivative;
typedef struct hl_const_buffer hl_const_buffer;

/* ---- errors (error.cpp) ---------------------------------------------- */

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
    /** The shim refused an argument (std::invalid_argument): a NULL handle,
     *  an index out of range, a type Halide cannot represent, ... */
    HL_ERROR_INVALID_ARGUMENT = 5,
} hl_error_kind;

const char *hl_error_message(const hl_error *e);
hl_error_kind hl_error_kind_of(const hl_error *e);
void hl_error_free(hl_error *e);

void hl_string_free(char *s);

/* ---- targets (target.cpp) -------------------------------------------- */

/** The host's target (what `host` means in a target string). */
hl_target *hl_target_host(hl_error **err);
/** The target of HL_JIT_TARGET, or the host's when it is unset. */
hl_target *hl_target_jit_from_environment(hl_error **err);
/** The target HL_TARGET names, or the host. */
hl_target *hl_target_from_environment(hl_error **err);
/** Whether this libHalide can compile for t. */
bool hl_target_supported(const hl_target *t, hl_error **err);
/** Parses a target string such as `x86-64-linux-avx2` or `host-cuda`. */
hl_target *hl_target_parse(const char *s, hl_error **err);
hl_target *hl_target_clone(const hl_target *t, hl_error **err);
char *hl_target_to_string(const hl_target *t, hl_error **err);
bool hl_target_equal(const hl_target *a, const hl_target *b, hl_error **err);
void hl_target_free(hl_target *t);
/** Whether t has the feature named `name` (as in target strings); an
 *  error for an unknown name. */
bool hl_target_has_feature(const hl_target *t, const char *name, hl_error **err);
/** t with the named feature added (enable) or removed. */
hl_target *hl_target_with_feature(const hl_target *t, const char *name, bool enable, hl_error **err);
/** The number of lanes of type `type` in one native vector of t. */
int hl_target_natural_vector_size(const hl_target *t, struct halide_type_t type, hl_error **err);
/** Whether the target can compute in type t (on device_api, a target
 *  feature name such as "cuda", or on the host when NULL). */
bool hl_target_supports_type(const hl_target *t, struct halide_type_t type, const char *device_api, hl_error **err);
/** Whether the target can run code on device_api ("cuda", "opencl", ...). */
bool hl_target_supports_device_api(const hl_target *t, const char *device_api, hl_error **err);
/** The largest buffer, in bytes, code for the target can address. */
int64_t hl_target_maximum_buffer_size(const hl_target *t, hl_error **err);
/** Whether t has a GPU feature (cuda, opencl, metal, ...). */
bool hl_target_has_gpu_feature(const hl_target *t, hl_error **err);

/* ---- expressions (expr.cpp) ------------------------------------------ */

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

/** A string constant, for print and require messages. */
hl_expr *hl_expr_string(const char *s, hl_error **err);
/** `values[id]`: picks one of n values by an index expression. */
hl_expr *hl_expr_mux(const hl_expr *id, const hl_expr *const *values, size_t n, hl_error **err);
/** Prints args (strings and values) when the expression is evaluated, and
 *  when `condition` holds if it is not NULL; evaluates to args[0]. */
hl_expr *hl_expr_print(const hl_expr *const *args, size_t n, const hl_expr *condition, hl_error **err);
/** `value`, after checking `condition`: when it fails, the pipeline fails
 *  with the message args (strings and values). */
hl_expr *hl_expr_require(const hl_expr *condition, const hl_expr *value, const hl_expr *const *args, size_t n,
                         hl_error **err);
/** The undefined value of type t: an update that leaves a Tuple element unchanged. */
hl_expr *hl_expr_undef(struct halide_type_t t, hl_error **err);
/** The largest (max) or smallest value of type t, as Type::max() and min() give it. */
hl_expr *hl_expr_type_bound(struct halide_type_t t, bool max, hl_error **err);
/** Random numbers, a pure function of the seed (NULL: none) and the
 *  call's free variables. t is float32 (uniform in [0, 1)), int32 or uint32. */
hl_expr *hl_expr_random(struct halide_type_t t, const hl_expr *seed, hl_error **err);

/** Inline reductions over the RDom variables e uses. */
typedef enum hl_inline_reduction {
    HL_REDUCE_SUM = 0,
    HL_REDUCE_PRODUCT,
    HL_REDUCE_MAXIMUM,
    HL_REDUCE_MINIMUM,
    HL_REDUCE_ARGMAX,
    HL_REDUCE_ARGMIN,
} hl_inline_reduction;
/** The reduction of e over its RDom (or over r when not NULL). sum, product,
 *  maximum and minimum give one value; argmax and argmin the coordinates
 *  of the extremum, then its value. Writes up to `capacity` values to out
 *  and returns how many there are (0 on error; more than capacity: an
 *  error and nothing written). */
size_t hl_expr_inline_reduce(hl_inline_reduction kind, const hl_rdom *r, const hl_expr *e, const char *name,
                             hl_expr **out, size_t capacity, hl_error **err);

/* ---- math (math.cpp) ------------------------------------------------- */

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
    HL_MATH2_DIV_ROUND_TO_ZERO,
    HL_MATH2_MOD_ROUND_TO_ZERO,
    HL_MATH2_HYPOT,
    HL_MATH2_ROUNDING_SHIFT_LEFT,
    HL_MATH2_ROUNDING_SHIFT_RIGHT,
    HL_MATH2_WIDEN_RIGHT_ADD,
    HL_MATH2_WIDEN_RIGHT_SUB,
    HL_MATH2_WIDEN_RIGHT_MUL,
    HL_MATH2_WIDENING_SHIFT_LEFT,
    HL_MATH2_WIDENING_SHIFT_RIGHT,
} hl_math2;
/** Halide's functions of three expressions. */
typedef enum hl_math3 {
    HL_MATH3_CLAMP = 0,
    HL_MATH3_LERP,
    HL_MATH3_MUL_SHIFT_RIGHT,
    HL_MATH3_ROUNDING_MUL_SHIFT_RIGHT,
    /** The first operand, promised to lie in [second, third]: unchecked
     *  unless the target has check_unsafe_promises. */
    HL_MATH3_UNSAFE_PROMISE_CLAMPED,
} hl_math3;

hl_expr *hl_expr_math1(hl_math1 op, const hl_expr *a, hl_error **err);
hl_expr *hl_expr_math2(hl_math2 op, const hl_expr *a, const hl_expr *b, hl_error **err);
hl_expr *hl_expr_math3(hl_math3 op, const hl_expr *a, const hl_expr *b, const hl_expr *c, hl_error **err);
/** The bits of e read as type t (of the same total width). */
hl_expr *hl_expr_reinterpret(struct halide_type_t t, const hl_expr *e, hl_error **err);
/** e converted to t, clamping to t's range instead of wrapping. */
hl_expr *hl_expr_saturating_cast(struct halide_type_t t, const hl_expr *e, hl_error **err);
/** The bits of e from bit lsb up, as type t (zero past e's top bit). */
hl_expr *hl_expr_extract_bits(struct halide_type_t t, const hl_expr *e, const hl_expr *lsb, hl_error **err);

/** Halide's intrinsics over a list of expressions. */
typedef enum hl_expr_list_op {
    /** The bits of the expressions side by side, the first least significant. */
    HL_LIST_CONCAT_BITS = 0,
    /** A hint that the vector lanes are loads to gather. */
    HL_LIST_GATHER,
    /** A hint that the vector lanes are stores to scatter. */
    HL_LIST_SCATTER,
} hl_expr_list_op;
hl_expr *hl_expr_list(hl_expr_list_op op, const hl_expr *const *args, size_t n, hl_error **err);

/** Predicates on the target a pipeline is compiled for, resolved then. */
typedef enum hl_target_predicate {
    /** Whether the target's architecture is `name` (as in target strings: x86, arm, ...). */
    HL_TARGET_ARCH_IS = 0,
    /** Whether the target's OS is `name` (linux, windows, osx, ...). */
    HL_TARGET_OS_IS,
    /** Whether the target has the feature `name`. */
    HL_TARGET_HAS_FEATURE,
} hl_target_predicate;
hl_expr *hl_expr_target_predicate(hl_target_predicate p, const char *name, hl_error **err);
/** The target's bit width, as an int32 expression. */
hl_expr *hl_expr_target_bits(hl_error **err);
/** The pipeline's user context, a handle. */
hl_expr *hl_expr_user_context(hl_error **err);
/** `result`, memoized by `keys` besides the values it depends on. */
hl_expr *hl_expr_memoize_tag(const hl_expr *result, const hl_expr *const *keys, size_t n, hl_error **err);
/** The target's natural vector size for t, as an int32 expression. */
hl_expr *hl_expr_target_natural_vector_size(struct halide_type_t t, hl_error **err);

/* ---- variables (var.cpp) --------------------------------------------- */

/** A new Var; name may be NULL for a unique generated name. */
hl_var *hl_var_new(const char *name, hl_error **err);
hl_var *hl_var_clone(const hl_var *v, hl_error **err);
char *hl_var_name(const hl_var *v, hl_error **err);
hl_expr *hl_var_to_expr(const hl_var *v, hl_error **err);
void hl_var_free(hl_var *v);

/* ---- scalar and image parameters (param.cpp) ------------------------- */

/** Where a Func's storage, or an image input's buffer, lives. */
typedef enum hl_memory_type {
    HL_MEMORY_AUTO = 0,
    HL_MEMORY_HEAP,
    HL_MEMORY_STACK,
    HL_MEMORY_REGISTER,
    HL_MEMORY_GPU_SHARED,
    HL_MEMORY_GPU_TEXTURE,
    HL_MEMORY_LOCKED_CACHE,
    HL_MEMORY_VTCM,
    HL_MEMORY_AMX_TILE,
} hl_memory_type;


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
    /** The constraints set with the three above (read only). */
    HL_DIM_MIN_CONSTRAINT,
    HL_DIM_EXTENT_CONSTRAINT,
    HL_DIM_STRIDE_CONSTRAINT,
    /** The estimates autoschedulers read (read only). */
    HL_DIM_MIN_ESTIMATE,
    HL_DIM_EXTENT_ESTIMATE,
} hl_dim_field;

/** Tells autoschedulers that dimension `dim` of the buffers p accepts is [min, min + extent). */
bool hl_image_param_set_estimate(hl_image_param *p, int dim, const hl_expr *min, const hl_expr *extent, hl_error **err);
/** Requires the host pointer of buffers passed for p to be a multiple of
 *  `bytes` (a power of two), which Halide then assumes. */
bool hl_image_param_set_host_alignment(hl_image_param *p, int bytes, hl_error **err);
/** A wrapper Func that the consumers (all of them when n_consumers is 0)
 *  read p through instead of directly, scheduled separately (ImageParam::in). */
hl_func *hl_image_param_wrapper(hl_image_param *p, hl_func *const *consumers, size_t n_consumers, hl_error **err);
/** Reports every load from p to the trace handler. */
bool hl_image_param_trace_loads(hl_image_param *p, hl_error **err);
/** A copy of src's data, named `name`, that expressions can read:
 *  pipelines using it keep it. */
hl_const_buffer *hl_const_buffer_new(const struct halide_buffer_t *src, const char *name, hl_error **err);
/** The element `b(args...)` as an expression (one argument per dimension). */
hl_expr *hl_const_buffer_call(const hl_const_buffer *b, const hl_expr *const *args, size_t n_args, hl_error **err);
void hl_const_buffer_free(hl_const_buffer *b);

/** One field of dimension `dim` of the buffer passed for p, as an
 *  expression (the min, extent or stride of whatever buffer a call gets). */
hl_expr *hl_image_param_dim_expr(const hl_image_param *p, int dim, hl_dim_field field, hl_error **err);
/** Whether the constraint or estimate `field` of dimension `dim` of p is set. */
bool hl_image_param_dim_has(const hl_image_param *p, int dim, hl_dim_field field, hl_error **err);
/** The buffers' host alignment p assumes (1 when unset). */
int hl_image_param_host_alignment(const hl_image_param *p, hl_error **err);
/** Where the buffers passed for p live (for GPU targets: e.g. texture memory). */
bool hl_image_param_store_in(hl_image_param *p, hl_memory_type memory, hl_error **err);
hl_memory_type hl_image_param_memory_type(const hl_image_param *p, hl_error **err);
/** Whether a and b are the same input (one parameter behind both). */
bool hl_image_param_same_as(const hl_image_param *a, const hl_image_param *b, hl_error **err);
/** Constrains one field of dimension `dim` of the buffers p accepts to `value`;
 *  with value NULL, removes the constraint (by default stride 0 must be 1). */
bool hl_image_param_set_dim(hl_image_param *p, int dim, hl_dim_field field, const hl_expr *value, hl_error **err);

/* A Func's output buffer (hl_func_output_buffer): the same dimension
 * fields, constraints and estimates as an image parameter's. */
void hl_output_buffer_free(hl_output_buffer *b);
hl_expr *hl_output_buffer_dim_expr(const hl_output_buffer *b, int dim, hl_dim_field field, hl_error **err);
bool hl_output_buffer_dim_has(const hl_output_buffer *b, int dim, hl_dim_field field, hl_error **err);
bool hl_output_buffer_set_dim(hl_output_buffer *b, int dim, hl_dim_field field, const hl_expr *value,
                              hl_error **err);
bool hl_output_buffer_set_estimate(hl_output_buffer *b, int dim, const hl_expr *min, const hl_expr *extent,
                                   hl_error **err);

/** A scalar input of type t. */
hl_param *hl_param_new(struct halide_type_t t, const char *name, hl_error **err);
void hl_param_free(hl_param *p);
char *hl_param_name(const hl_param *p, hl_error **err);
hl_expr *hl_param_to_expr(const hl_param *p, hl_error **err);
/** Whether a and b are the same input. */
bool hl_param_same_as(const hl_param *a, const hl_param *b, hl_error **err);
/** Writes p's current value to the start of *out. */
bool hl_param_value(const hl_param *p, uint64_t *out, hl_error **err);
/** Sets the value realize() uses; `value` points at one scalar of p's type. */
bool hl_param_set_value(hl_param *p, const void *value, hl_error **err);
/** A value recorded with a scalar parameter. */
typedef enum hl_param_field {
    /** The smallest value it may take. */
    HL_PARAM_MIN = 0,
    /** The largest value it may take. */
    HL_PARAM_MAX,
    /** The value autoschedulers assume. */
    HL_PARAM_ESTIMATE,
    /** The default recorded in compiled pipelines' metadata. */
    HL_PARAM_DEFAULT,
} hl_param_field;
/** Sets (or with NULL, clears) one field of p. */
bool hl_param_set_field(hl_param *p, hl_param_field field, const hl_expr *value, hl_error **err);
/** Whether `field` of p is set. */
bool hl_param_has_field(const hl_param *p, hl_param_field field, hl_error **err);
/** `field` of p (an error when unset). */
hl_expr *hl_param_field_expr(const hl_param *p, hl_param_field field, hl_error **err);

/* ---- reduction domains (rdom.cpp) ------------------------------------ */

/** A reduction domain over [mins[i], mins[i] + extents[i]) in each of n_dims dimensions. */
hl_rdom *hl_rdom_new(const hl_expr *const *mins, const hl_expr *const *extents, size_t n_dims, const char *name,
                     hl_error **err);
void hl_rdom_free(hl_rdom *r);
int hl_rdom_dimensions(const hl_rdom *r, hl_error **err);
/** Dimension i of r (its RVar) as an expression. */
hl_expr *hl_rdom_var(const hl_rdom *r, int i, hl_error **err);
/** The name of dimension i of r (its RVar), for scheduling. */
char *hl_rdom_var_name(const hl_rdom *r, int i, hl_error **err);
/** The first value (extent false) or the number of values (true) of dimension i. */
hl_expr *hl_rdom_bound(const hl_rdom *r, int i, bool extent, hl_error **err);
/** A reduction domain over every element of the buffers p accepts. */
hl_rdom *hl_rdom_from_image_param(const hl_image_param *p, const char *name, hl_error **err);
/** Whether a and b are the same domain. */
bool hl_rdom_same_as(const hl_rdom *a, const hl_rdom *b, hl_error **err);
/** Restricts r to the points where `predicate` holds. */
bool hl_rdom_where(hl_rdom *r, const hl_expr *predicate, hl_error **err);

/* ---- functions (func.cpp) -------------------------------------------- */

/** A new, undefined Func; name may be NULL for a unique generated name. */
hl_func *hl_func_new(const char *name, hl_error **err);
/** A new, undefined Func named `name` whose definitions must give n_types
 *  values (a Tuple when more than one) of the given types over `dimensions`
 *  arguments; Halide refuses any definition that does not. */
hl_func *hl_func_new_typed(const char *name, const struct halide_type_t *types, size_t n_types, int dimensions,
                           hl_error **err);
void hl_func_free(hl_func *f);
char *hl_func_name(const hl_func *f, hl_error **err);
bool hl_func_defined(const hl_func *f, hl_error **err);
/** Number of pure arguments; an error for an undefined Func. */
int hl_func_dimensions(const hl_func *f, hl_error **err);
/** Number of values (1, or the Tuple size); an error for an undefined Func. */
int hl_func_outputs(const hl_func *f, hl_error **err);
/** The buffer output `index` (of hl_func_outputs) is realized into, whose
 *  shape the pipeline can constrain (Func::output_buffers). */
hl_output_buffer *hl_func_output_buffer(const hl_func *f, int index, hl_error **err);
/** Writes the type of output `i` to *out. */
bool hl_func_output_type(const hl_func *f, int i, struct halide_type_t *out, hl_error **err);
/** Pure argument `i` of f's definition. */
hl_var *hl_func_arg(const hl_func *f, int i, hl_error **err);
/** The pure definition `f(args...) = values`: one value, or with
 *  n_values > 1 a Tuple. The Var named `_` stands for implicit arguments. */
bool hl_func_define(hl_func *f, const hl_var *const *args, size_t n_args, const hl_expr *const *values,
                    size_t n_values, hl_error **err);
/** An update definition `f(args...) = value`: args are expressions, which
 *  may use reduction-domain variables; value may call f itself. */
bool hl_func_define_update(hl_func *f, const hl_expr *const *args, size_t n_args, const hl_expr *const *values,
                           size_t n_values, hl_error **err);
/** The number of update definitions f has. */
int hl_func_updates(const hl_func *f, hl_error **err);
/** A side of a definition. */
typedef enum hl_def_part {
    /** The left-hand side: the pure Vars, or an update's argument expressions. */
    HL_DEF_ARGS = 0,
    /** The right-hand side: one value, or a Tuple's. */
    HL_DEF_VALUES,
    /** An update's reduction variables, as expressions. */
    HL_DEF_RVARS,
    /** Their first values. */
    HL_DEF_RVAR_MINS,
    /** How many values each takes. */
    HL_DEF_RVAR_EXTENTS,
} hl_def_part;
/** How many expressions `part` of f's pure definition (stage -1) or update
 *  `stage` has. */
int hl_func_definition_len(const hl_func *f, int stage, hl_def_part part, hl_error **err);
/** Expression i of `part` of f's pure definition (stage -1) or update `stage`. */
hl_expr *hl_func_definition_expr(const hl_func *f, int stage, hl_def_part part, int i, hl_error **err);
/** Whether f is computed by an extern stage. */
bool hl_func_is_extern(const hl_func *f, hl_error **err);
/** The C function an extern stage f calls (an error for other Funcs). */
char *hl_func_extern_function_name(const hl_func *f, hl_error **err);
/** Makes every realization of f (compute_root) also write it to path, in
 *  the format its extension names (.tiff, .mat, .npy, .tmp). */
bool hl_func_debug_to_file(hl_func *f, const char *path, hl_error **err);
/** The call `f(args...)` as an expression; with value_index >= 0, the
 *  Tuple element `f(args...)[value_index]`. */
hl_expr *hl_func_call(const hl_func *f, const hl_expr *const *args, size_t n_args, int value_index, hl_error **err);

/** The statement Halide lowers f to for target t, as text or HTML. */
char *hl_func_lowered_stmt(hl_func *f, const hl_target *t, bool html, hl_error **err);

/* ---- boundary conditions (boundary.cpp) ------------------------------ */

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

/* ---- scheduling (schedule.cpp) --------------------------------------- */

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

/** Whether Halide splits a loop's first and last iterations, whose
 *  boundary conditions or tails need guards, from its steady state. */
typedef enum hl_partition {
    /** Halide decides (the default). */
    HL_PARTITION_AUTO = 0,
    /** Never: one loop, guards in every iteration. */
    HL_PARTITION_NEVER,
    /** Always: an error when Halide finds nothing to partition. */
    HL_PARTITION_ALWAYS,
} hl_partition;

/** Directives that apply to one loop. */
typedef enum hl_loop_kind {
    HL_LOOP_SERIAL = 0,
    HL_LOOP_PARALLEL,
    HL_LOOP_VECTORIZED,
    HL_LOOP_UNROLLED,
} hl_loop_kind;

/** A loop variable of a schedule: a pure Var or a reduction variable (RVar),
 *  named as in the Func's definition or as a new loop made by a split. */
typedef struct hl_loop_var {
    const char *name;
    bool is_rvar;
} hl_loop_var;

/** Stage `index` of f: 0 is the pure definition, i > 0 update definition i - 1. */
hl_stage *hl_func_stage(const hl_func *f, int index, hl_error **err);
void hl_stage_free(hl_stage *s);
/** The stage's name: `f` for a pure definition, `f.update(0)` for the first update. */
char *hl_stage_name(const hl_stage *s, hl_error **err);

/** Marks loop `var` of s as `kind`. With a factor, splits var by it first
 *  and marks the inner loop (vectorize, unroll) or the outer (parallel task
 *  size); serial takes no factor. */
/** Renames loop `old` of s to `new_name`. */
bool hl_stage_rename(hl_stage *s, hl_loop_var old, hl_loop_var new_name, hl_error **err);
/** Sets how loop var of s is partitioned. */
bool hl_stage_partition(hl_stage *s, hl_loop_var var, hl_partition policy, hl_error **err);
/** Sets how every loop of s is partitioned (never or always). */
bool hl_stage_partition_all(hl_stage *s, hl_partition policy, hl_error **err);
bool hl_stage_loop(hl_stage *s, hl_loop_kind kind, hl_loop_var var, const hl_expr *factor, hl_tail_strategy tail,
                   hl_error **err);
bool hl_stage_split(hl_stage *s, hl_loop_var old, hl_loop_var outer, hl_loop_var inner, const hl_expr *factor,
                    hl_tail_strategy tail, hl_error **err);
bool hl_stage_fuse(hl_stage *s, hl_loop_var inner, hl_loop_var outer, hl_loop_var fused, hl_error **err);
bool hl_stage_tile(hl_stage *s, hl_loop_var x, hl_loop_var y, hl_loop_var xo, hl_loop_var yo, hl_loop_var xi,
                   hl_loop_var yi, const hl_expr *xfactor, const hl_expr *yfactor, hl_tail_strategy tail,
                   hl_error **err);
/** Tiles n loops at once (innermost first): vars[k] split into outers[k]
 *  and inners[k] by factors[k], with tails[k]; the outer loops outside all
 *  the inner ones. */
bool hl_stage_tile_n(hl_stage *s, const hl_loop_var *vars, const hl_loop_var *outers, const hl_loop_var *inners,
                     const hl_expr *const *factors, const hl_tail_strategy *tails, size_t n, hl_error **err);
/** Orders loops innermost first. */
bool hl_stage_reorder(hl_stage *s, const hl_loop_var *vars, size_t n_vars, hl_error **err);

/** How GPU directives map loops onto the GPU. */
typedef enum hl_gpu_loop {
    HL_GPU_BLOCKS = 0,
    HL_GPU_THREADS,
    HL_GPU_LANES,
} hl_gpu_loop;
/** Maps 1 to 3 loops (innermost first) to GPU blocks, threads or lanes, of
 *  the device API whose target feature is `device_api` (the target's
 *  default GPU API for NULL; so for the other GPU directives). */
bool hl_stage_gpu(hl_stage *s, hl_gpu_loop kind, const hl_loop_var *vars, size_t n_vars, const char *device_api,
                  hl_error **err);
/** Splits each of 1 to 3 loops vars[i] by sizes[i] into blocks[i] (GPU
 *  blocks) and threads[i] (GPU threads). */
bool hl_stage_gpu_tile(hl_stage *s, const hl_loop_var *vars, const hl_loop_var *blocks, const hl_loop_var *threads,
                       const hl_expr *const *sizes, size_t n_vars, hl_tail_strategy tail, const char *device_api,
                       hl_error **err);
/** Runs the stage on the GPU in a single thread. */
bool hl_stage_gpu_single_thread(hl_stage *s, const char *device_api, hl_error **err);

/** The specialization of s for when `condition` holds; schedule it separately. */
hl_stage *hl_stage_specialize(hl_stage *s, const hl_expr *condition, hl_error **err);
/** Makes the pipeline fail with `message` when no specialization's condition holds. */
bool hl_stage_specialize_fail(hl_stage *s, const char *message, hl_error **err);
/** Splits the reduction of update stage s: each rvars[i] becomes the pure
 *  variable vars[i] of a new intermediate Func, which is returned. */
hl_func *hl_stage_rfactor(hl_stage *s, const hl_loop_var *rvars, const hl_var *const *vars, size_t n, hl_error **err);
/** Makes the stage's updates atomic, so its reduction loops can run in parallel. */
bool hl_stage_atomic(hl_stage *s, bool override_associativity_test, hl_error **err);
/** Lets parallel loops of s write the same location (for when the user knows it is safe). */
bool hl_stage_allow_race_conditions(hl_stage *s, hl_error **err);
/** How compute_with aligns a fused loop with the other stage's. */
typedef enum hl_loop_align {
    HL_ALIGN_AUTO = 0,
    HL_ALIGN_START,
    HL_ALIGN_END,
    HL_ALIGN_NONE,
} hl_loop_align;
/** Computes s fused into the loop nest of another stage, at `level`, with
 *  loop vars[i] aligned by aligns[i] (the others: HL_ALIGN_AUTO). */
bool hl_stage_compute_with(hl_stage *s, const hl_loop_level *level, const hl_loop_var *vars,
                           const hl_loop_align *aligns, size_t n, hl_error **err);
/** How a prefetch that would read past its source's bounds is kept in them. */
typedef enum hl_prefetch_bound {
    HL_PREFETCH_CLAMP = 0,
    HL_PREFETCH_GUARD_WITH_IF,
    HL_PREFETCH_NON_FAULTING,
} hl_prefetch_bound;
/** Prefetches the Func f (or the image param p; exactly one non-NULL) at loop
 *  `at`, for the iteration `offset` ahead along loop `from`. */
bool hl_stage_prefetch(hl_stage *s, const hl_func *f, const hl_image_param *p, hl_loop_var at, hl_loop_var from,
                       const hl_expr *offset, hl_prefetch_bound bound, hl_error **err);
/** Marks update stage s as left unscheduled on purpose. */
bool hl_stage_unscheduled(hl_stage *s, hl_error **err);
/** Offloads s, from loop `var` in, to a Hexagon DSP (for targets with HVX). */
bool hl_stage_hexagon(hl_stage *s, hl_loop_var var, hl_error **err);
/** The names of the variables s's definition depends on, as Halide prints them. */
char *hl_stage_dump_argument_list(const hl_stage *s, hl_error **err);
/** Makes f's realization a copy of its one input to the device of `device_api`
 *  (NULL: the target's GPU API). */
bool hl_func_copy_to_device(hl_func *f, const char *device_api, hl_error **err);
/** Memoizes f, its cache entries evictable by `key` (halide_memoization_cache_evict). */
bool hl_func_memoize_with_key(hl_func *f, const hl_expr *key, hl_error **err);

/** Asserts the bounds of dimension var: [min, min + extent). */
bool hl_func_bound(hl_func *f, const hl_var *var, const hl_expr *min, const hl_expr *extent, hl_error **err);

hl_loop_level *hl_loop_level_root(hl_error **err);
hl_loop_level *hl_loop_level_inlined(hl_error **err);
/** The loop over `var` in stage `stage_index` of f (-1: its last stage). */
hl_loop_level *hl_loop_level_at(const hl_func *f, hl_loop_var var, int stage_index, hl_error **err);
hl_loop_level *hl_loop_level_clone(const hl_loop_level *l, hl_error **err);
void hl_loop_level_free(hl_loop_level *l);

/** Where f is computed (compute_at) and where its storage is allocated (store_at). */
bool hl_func_compute_at(hl_func *f, const hl_loop_level *level, hl_error **err);
bool hl_func_store_at(hl_func *f, const hl_loop_level *level, hl_error **err);

/** Orders f's storage dimensions, innermost first. */
bool hl_func_reorder_storage(hl_func *f, const hl_var *const *vars, size_t n_vars, hl_error **err);
/** Folds f's storage in dimension var to `extent`, a circular buffer. */
bool hl_func_fold_storage(hl_func *f, const hl_var *var, const hl_expr *extent, bool fold_forward, hl_error **err);
/** Rounds the region of f computed along var to multiples of modulus (plus remainder). */
bool hl_func_align_bounds(hl_func *f, const hl_var *var, const hl_expr *modulus, const hl_expr *remainder,
                          hl_error **err);
/** Widens the region of f computed along var to a multiple of modulus. */
bool hl_func_align_extent(hl_func *f, const hl_var *var, const hl_expr *modulus, hl_error **err);
/** Promises that f is computed over exactly `extent` values along var. */
bool hl_func_bound_extent(hl_func *f, const hl_var *var, const hl_expr *extent, hl_error **err);
/** Rounds the extent of f's storage along var up to a multiple of alignment. */
bool hl_func_align_storage(hl_func *f, const hl_var *var, const hl_expr *alignment, hl_error **err);
/** Hoists the allocation of f's storage out to `level`, at or outside
 *  where it is stored; each realization inside reuses it. */
bool hl_func_hoist_storage(hl_func *f, const hl_loop_level *level, hl_error **err);
/** Bounds the extent of f's storage along var to `bound` values. */
bool hl_func_bound_storage(hl_func *f, const hl_var *var, const hl_expr *bound, hl_error **err);
/** Stores f in memory of the given kind. */
bool hl_func_store_in(hl_func *f, hl_memory_type memory, hl_error **err);
/** Adds `tag` to the trace events of f (a tag event before the first). */
bool hl_func_add_trace_tag(hl_func *f, const char *tag, hl_error **err);
/** Stores f in `buffers` allocations used in turn, so that successive
 *  realizations (with hoist_storage) can overlap. */
bool hl_func_ring_buffer(hl_func *f, const hl_expr *buffers, hl_error **err);

/** Func-wide schedule flags without arguments. */
typedef enum hl_func_flag {
    /** Cache f's values across realizations. */
    HL_FUNC_MEMOIZE = 0,
    /** Compute f in its own thread, concurrently with its consumers. */
    HL_FUNC_ASYNC,
    /** Report every load from f to the trace handler. */
    HL_FUNC_TRACE_LOADS,
    /** Report every store to f to the trace handler. */
    HL_FUNC_TRACE_STORES,
    /** Report the start and end of every realization of f. */
    HL_FUNC_TRACE_REALIZATIONS,
    /** Make f's realization a copy of its one input to the host. */
    HL_FUNC_COPY_TO_HOST,
} hl_func_flag;
bool hl_func_set_flag(hl_func *f, hl_func_flag flag, hl_error **err);

/** A wrapper Func that f's consumers (all of them when n_consumers is 0,
 *  else the given ones) call instead of f, scheduled separately. With
 *  `clone`, each consumer gets its own copy of f instead. */
hl_func *hl_func_wrapper(hl_func *f, hl_func *const *consumers, size_t n_consumers, bool clone, hl_error **err);

/* ---- pipelines and compiled callables (pipeline.cpp) ----------------- */

/** A pipeline computing the given Funcs together. */
hl_pipeline *hl_pipeline_new(hl_func *const *outputs, size_t n_outputs, hl_error **err);
/** How many output Funcs p has. */
/** Makes every run of p check `condition` first and fail with the message
 *  the args print (Halide's Pipeline::add_requirement). */
bool hl_pipeline_add_requirement(hl_pipeline *p, const hl_expr *condition, const hl_expr *const *args, size_t n_args,
                                 hl_error **err);
int hl_pipeline_outputs_len(const hl_pipeline *p, hl_error **err);
/** Output Func i of p (sharing the Func, as C++ copies do). */
hl_func *hl_pipeline_output(const hl_pipeline *p, int i, hl_error **err);
void hl_pipeline_free(hl_pipeline *p);

/** Halide's serialized form of the pipeline (`serialize_pipeline`): *len
 *  bytes, not NUL-terminated, owned by the caller (hl_string_free). */
char *hl_pipeline_serialize(const hl_pipeline *p, size_t *len, hl_error **err);

/** The pipeline `serialize_pipeline` wrote into data[0..len]. Its external
 *  parameters named like one of the inputs are bound to them; the others
 *  get parameters of their own. Input i is scalars[i] or buffers[i], the
 *  other null, as for hl_pipeline_compile. */
hl_pipeline *hl_pipeline_deserialize(const char *data, size_t len, const hl_param *const *scalars,
                                     const hl_image_param *const *buffers, size_t n_inputs, hl_error **err);

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

/** JIT-compiles p for target t into a callable whose arguments are its
 *  inputs followed by one output buffer per output value. The inputs are
 *  those given, in order (for each i, exactly one of scalars[i] and
 *  buffers[i] is non-NULL), or with `infer`, the inputs p reads: buffers
 *  first, then scalars, each in name order. */
hl_callable *hl_pipeline_compile(hl_pipeline *p, const hl_target *t, bool infer, const hl_param *const *scalars,
                                 const hl_image_param *const *buffers, size_t n_inputs, hl_error **err);
/** For outputs of the given sizes (all mins 0, one per dimension of every
 *  output), the region p reads of each of its image inputs, in the order
 *  hl_pipeline_signature infers them: (min, extent) per dimension, written
 *  to regions, which holds exactly two values per dimension of those
 *  inputs. JIT-compiles p for t to ask; Halide allocates each region while
 *  it answers (the outputs it does not). */
bool hl_pipeline_infer_input_bounds(hl_pipeline *p, const hl_target *t, const int32_t *sizes, size_t n_sizes,
                                    int32_t *regions, size_t n_regions, hl_error **err);
/** The Func at `index` in p's stages (Halide's topological order, the outputs last). */
hl_func *hl_pipeline_get_func(const hl_pipeline *p, size_t index, hl_error **err);
/** The loop nest p's schedule produces, as pseudo-code (Halide's
 *  print_loop_nest, as text). */
char *hl_pipeline_loop_nest(const hl_pipeline *p, hl_error **err);
/** The inputs a serialized pipeline reads, as a callable with no code
 *  (see hl_pipeline_signature), in name order. */
hl_callable *hl_pipeline_deserialize_parameters(const char *data, size_t len, hl_error **err);
size_t hl_callable_argument_count(const hl_callable *c, hl_error **err);
/** Writes argument i's description to *out. */
bool hl_callable_argument(const hl_callable *c, size_t i, hl_argument *out, hl_error **err);
/** Handlers for what a running pipeline reports, called on the pipeline's
 *  threads. NULL members keep Halide's default (print to stderr, ...). */
typedef struct hl_handlers {
    void *user;
    /** A message from print(), print_when() or the runtime. */
    void (*print)(void *user, const char *message);
    /** A trace event; returns the event's id (for parent_id of later events). */
    int (*trace)(void *user, const struct halide_trace_event_t *event);
    /** An error message; the call then fails and reports it too. */
    void (*error)(void *user, const char *message);
} hl_handlers;

/** Writes the current value of scalar input i (its Param's last set value)
 *  to the start of *out. */
bool hl_callable_param_value(const hl_callable *c, size_t i, uint64_t *out, hl_error **err);
/** Calls c. argv has argc + 1 slots: slot 0 is reserved for the call's
 *  context (the shim fills it), then the arguments in order: a pointer to
 *  the value for a scalar, a halide_buffer_t* for a buffer. argc must equal
 *  the argument count. Returns Halide's error code, 0 on success; on failure
 *  stores the messages the pipeline reported in *message (free with
 *  hl_string_free). Safe to call from several threads at once. */
int hl_callable_call(const hl_callable *c, const void **argv, size_t argc, const hl_handlers *handlers, char **message,
                     hl_error **err);
void hl_callable_free(hl_callable *c);

/** The signature hl_pipeline_compile would give p's callable (inputs chosen
 *  the same way, then the outputs), without compiling: a callable with no
 *  code, whose arguments and parameter values can be read but which
 *  hl_callable_call refuses. For code compiled elsewhere (a cached library). */
hl_callable *hl_pipeline_signature(hl_pipeline *p, bool infer, const hl_param *const *scalars,
                                   const hl_image_param *const *buffers, size_t n_inputs, hl_error **err);

/* ---- lowered modules (module.cpp) ------------------------------------ */

/* A module is a pipeline lowered for one target (Halide::Module): its
 * functions, constant buffers and submodules, ready to compile. Each
 * hl_module has contents of its own: the functions that return one copy
 * Halide's (whose copies share their contents), so changing one module
 * (hl_module_append, hl_module_remap_metadata_name) changes no other. */

/** The linkage of a lowered function (Halide's LinkageType), which also
 *  says which wrappers are generated with it. */
typedef enum hl_linkage {
    /** Visible outside the object. */
    HL_LINKAGE_EXTERNAL = 0,
    /** Visible, with an argv wrapper (fn_name_argv) but no metadata. */
    HL_LINKAGE_EXTERNAL_PLUS_ARGV,
    /** Visible, with an argv wrapper and argument metadata (fn_name_metadata). */
    HL_LINKAGE_EXTERNAL_PLUS_METADATA,
    /** For code linked into the same module only: no wrappers, no C++
     *  name mangling, no declaration in the C header (Halide 21 still
     *  gives its symbol external linkage in objects). */
    HL_LINKAGE_INTERNAL,
} hl_linkage;

/** p lowered for target t (Halide's compile_to_module) as the C function
 *  fn_name with the given linkage; inputs as for hl_pipeline_compile. */
hl_module *hl_pipeline_lower(hl_pipeline *p, const hl_target *t, bool infer, const hl_param *const *scalars,
                             const hl_image_param *const *buffers, size_t n_inputs, const char *fn_name,
                             hl_linkage linkage, hl_error **err);
/** An empty module named `name` for target t. */
hl_module *hl_module_new(const char *name, const hl_target *t, hl_error **err);
/** A copy of m: its functions, buffers, submodules (copied too), metadata
 *  names and autoscheduler results. */
hl_module *hl_module_copy(const hl_module *m, hl_error **err);
void hl_module_free(hl_module *m);
char *hl_module_name(const hl_module *m, hl_error **err);
hl_target *hl_module_target(const hl_module *m, hl_error **err);
/** A text that determines m's generated code: its target, its constant
 *  buffers' names and shapes (not their data: see hl_module_buffer_data),
 *  each function's linkage, arguments (kind, type, dimensions, constraints
 *  and estimates) and body, with every constant written exactly (floats as
 *  hexadecimal). Names are Halide's, unique in the process, not across
 *  processes. Owned by the caller (hl_string_free). */
char *hl_module_key_text(const hl_module *m, hl_error **err);
/** How many constant buffers m holds (embedded tables, GPU kernel sources,
 *  resolved submodules' objects). */
size_t hl_module_buffer_count(const hl_module *m, hl_error **err);
/** Points *data at the *len bytes of m's constant buffer i, from its
 *  lowest address (valid while m is, unchanged; never NULL). */
bool hl_module_buffer_data(const hl_module *m, size_t i, const void **data, size_t *len, hl_error **err);
/** The name of m's constant buffer i. */
char *hl_module_buffer_name(const hl_module *m, size_t i, hl_error **err);
int hl_module_buffer_dimensions(const hl_module *m, size_t i, hl_error **err);
/** Writes the element type of m's constant buffer i to *out. */
bool hl_module_buffer_type(const hl_module *m, size_t i, struct halide_type_t *out, hl_error **err);
/** Writes the min, extent and stride of dimension d of m's constant buffer i. */
bool hl_module_buffer_dim(const hl_module *m, size_t i, int d, int32_t *min, int32_t *extent, int32_t *stride,
                          hl_error **err);
size_t hl_module_submodule_count(const hl_module *m, hl_error **err);
/** A copy of m's submodule i. */
hl_module *hl_module_submodule(const hl_module *m, size_t i, hl_error **err);
/** Appends a copy of `other` to m as a submodule: compiling m first
 *  compiles it to an object held as a constant buffer named after it,
 *  which m's code may read (as Halide's Hexagon offloading does). */
bool hl_module_append(hl_module *m, const hl_module *other, hl_error **err);
/** A copy of m with each submodule compiled to an object file held as a
 *  constant buffer named after it (what compiling m does first). */
hl_module *hl_module_resolve_submodules(const hl_module *m, hl_error **err);
/** One module named `name` with the functions and buffers of all n_modules
 *  modules (not their submodules, metadata names or autoscheduler
 *  results), which must share one target and have no two functions of one
 *  name. */
hl_module *hl_link_modules(const char *name, const hl_module *const *modules, size_t n_modules, hl_error **err);
/** Compiles m into the files paths[i], each of the kind named kinds[i] (as
 *  for hl_pipeline_compile_to; not "hlpipe" or "compiler_log", which need
 *  the pipeline). Each path is created (or appended to) first, so that a
 *  path that cannot be written is an error. */
bool hl_module_compile(const hl_module *m, const char *const *kinds, const char *const *paths, size_t n_outputs,
                       hl_error **err);
/** m compiled, submodules resolved, to an object file in memory: *len
 *  bytes, owned by the caller (hl_string_free). */
char *hl_module_compile_to_buffer(const hl_module *m, size_t *len, hl_error **err);
/** Makes the metadata m generates (argument metadata, function info
 *  headers) name the argument `from` as `to`; an error when either is
 *  remapped already. */
bool hl_module_remap_metadata_name(hl_module *m, const char *from, const char *to, hl_error **err);
/** m's metadata name remappings: *len bytes, `from` NUL `to` NUL for each,
 *  owned by the caller (hl_string_free). */
char *hl_module_metadata_name_map(const hl_module *m, size_t *len, hl_error **err);

/** A part of the results of an autoscheduler that a module carries. */
typedef enum hl_autoscheduler_part {
    /** The autoscheduler's name. */
    HL_AUTOSCHEDULER_NAME = 0,
    /** Its parameters: `key` NUL `value` NUL for each. */
    HL_AUTOSCHEDULER_PARAMS,
    /** The schedule it chose, as C++ source. */
    HL_AUTOSCHEDULER_SCHEDULE_SOURCE,
    /** The pipeline's featurization, if it made one (bytes). */
    HL_AUTOSCHEDULER_FEATURIZATION,
} hl_autoscheduler_part;

/** Whether m carries autoscheduler results (what its schedule output writes). */
bool hl_module_has_autoscheduler_results(const hl_module *m, hl_error **err);
/** The target of m's autoscheduler results; an error when it has none. */
hl_target *hl_module_autoscheduler_target(const hl_module *m, hl_error **err);
/** A part of m's autoscheduler results: *len bytes, not NUL-terminated,
 *  owned by the caller (hl_string_free); an error when it has none. */
char *hl_module_autoscheduler_part(const hl_module *m, hl_autoscheduler_part part, size_t *len, hl_error **err);
/** Gives m autoscheduler results: the target and autoscheduler (name and
 *  parameters keys[i] = values[i]) they are for, the schedule as C++
 *  source, and a featurization (featurization_len bytes; may be empty). An
 *  error when m has results already. */
bool hl_module_set_autoscheduler_results(hl_module *m, const hl_target *t, const char *name,
                                         const char *const *keys, const char *const *values, size_t n_params,
                                         const char *schedule_source, const uint8_t *featurization,
                                         size_t featurization_len, hl_error **err);

/** A text that determines c's input parameters as they affect generated
 *  code: each one's name, type and dimensions, and a buffer's alignment,
 *  memory type, and per dimension its min, extent and stride constraints
 *  and estimates, or a scalar's default, min, max and estimate, exactly
 *  (floats as hexadecimal); not their current values. Of the inputs
 *  (Halide's external parameters), hl_pipeline_serialize keeps only names,
 *  types and dimensions. Owned by the caller. */
char *hl_callable_inputs_text(const hl_callable *c, hl_error **err);

/* ---- devices (device.cpp) -------------------------------------------- */

/** The device interface of libHalide's JIT runtime for the device API whose
 *  target feature is `api` ("cuda", "opencl", "vulkan", ...), for target t;
 *  loads that runtime on first use. It lives for the rest of the process. */
const struct halide_device_interface_t *hl_device_interface(const char *api, const hl_target *t, hl_error **err);
/** Calls run(data, user_context) with a user context of libHalide's JIT
 *  runtimes, which capture errors into it (without one, they abort the
 *  process on an error): for device operations on buffers outside a
 *  pipeline call. Returns run's result; if nonzero, stores the messages
 *  reported meanwhile in *message (free with hl_string_free). */
int hl_with_jit_context(int (*run)(void *data, void *user_context), void *data, char **message, hl_error **err);

/* ---- autoschedulers (autoschedule.cpp) ------------------------------- */

/** Loads an autoscheduler plugin from the shared library at `path`. */
bool hl_load_plugin(const char *path, hl_error **err);
/** The path libHalide was loaded from in this process, as the loader
 *  resolved it (owned by the caller: hl_string_free), or NULL where the
 *  platform cannot say. */
char *hl_halide_library_path(void);
/** Schedules p with the autoscheduler registered as `name`, for target t,
 *  with its parameters keys[i] = values[i]; returns the schedule as C++
 *  source, and stores the autoscheduler's featurization (bytes, possibly
 *  none; the caller frees them with hl_string_free) in *featurization and
 *  its length in *featurization_len. */
char *hl_pipeline_apply_autoscheduler(hl_pipeline *p, const hl_target *t, const char *name, const char *const *keys,
                                      const char *const *values, size_t n_params, char **featurization,
                                      size_t *featurization_len, hl_error **err);

/** Tells autoschedulers that dimension var of f is used over [min, min + extent). */
bool hl_func_set_estimate(hl_func *f, const hl_var *var, const hl_expr *min, const hl_expr *extent, hl_error **err);

/* ---- ahead-of-time compilation (aot.cpp) ----------------------------- */

/** The file name extension Halide uses for output kind `kind` (Halide's
 *  name: "static_library", "c_header", "function_info_header", ...) on
 *  target t, e.g. ".a" or ".function_info.h". */
char *hl_output_extension(const char *kind, const hl_target *t, hl_error **err);
/** Compiles p ahead of time into the files paths[i], each of the kind named
 *  kinds[i], as the C function fn_name. The inputs are chosen as for
 *  hl_pipeline_compile. With several targets, the code for each is included
 *  and the first one the running machine supports is used; the last target
 *  is the baseline. */
bool hl_pipeline_compile_to(hl_pipeline *p, const hl_target *const *targets, size_t n_targets,
                            const char *fn_name, bool infer, const hl_param *const *scalars,
                            const hl_image_param *const *buffers, size_t n_inputs, const char *const *kinds,
                            const char *const *paths, size_t n_outputs, hl_error **err);
/** Writes Halide's runtime for target t on its own (for pipelines compiled
 *  with the no_runtime feature) into paths[i], of kinds kinds[i] ("object"
 *  or "static_library"). */
bool hl_compile_standalone_runtime(const hl_target *t, const char *const *kinds, const char *const *paths,
                                   size_t n_outputs, hl_error **err);

/* ---- automatic differentiation (derivative.cpp) --------------------- */

/** The adjoints of every Func, input and param output depends on. With
 *  adjoint NULL, output must be a scalar (zero-dimensional) Func and the
 *  seed is 1; otherwise adjoint is output's adjoint over the n-dimensional
 *  region given by mins and extents. */
hl_derivative *hl_propagate_adjoints(const hl_func *output, const hl_func *adjoint, const hl_expr *const *mins,
                                     const hl_expr *const *extents, size_t n, hl_error **err);
/** The adjoint of f's pure definition (update_id -1) or of one of its
 *  updates; an error where the output does not depend on it. */
hl_func *hl_derivative_func(const hl_derivative *d, const hl_func *f, int update_id, hl_error **err);
/** The adjoint of the input or param named name. */
hl_func *hl_derivative_named(const hl_derivative *d, const char *name, hl_error **err);
void hl_derivative_free(hl_derivative *d);

/* ---- extern stages computed by Rust (extern.cpp) ------------------- */

/** The most buffers (inputs and the output) of one Rust extern stage. */
#define HL_EXTERN_MAX_BUFFERS 5
/** The name prefix of the trampolines extern stages call. */
#define HL_EXTERN_PREFIX "halide_rs_extern_"

/** What the trampolines call: the stage's state, its buffers (inputs, then
 *  the output), and room for a NUL-terminated message; returns 0 or an
 *  error code. */
typedef int (*hl_extern_callback)(void *state, struct halide_buffer_t **buffers, int n, char *message,
                                  size_t capacity);
/** Registers the callback of every Rust extern stage in the process. */
void hl_set_extern_callback(hl_extern_callback callback);

/** One input of an extern stage: a Func or an ImageParam (the other NULL). */
typedef struct hl_extern_input {
    const hl_func *func;
    const hl_image_param *image;
    /** A constant buffer, passed as a halide_buffer_t. */
    const hl_const_buffer *buffer;
    /** A scalar, passed by value (extern C stages only). */
    const hl_expr *expr;
} hl_extern_input;
/** How an extern C stage's function name is mangled. */
typedef enum hl_name_mangling {
    /** The target's: C++ with the c_plus_plus_name_mangling feature, else C. */
    HL_MANGLING_DEFAULT = 0,
    HL_MANGLING_C,
    HL_MANGLING_CPLUSPLUS,
} hl_name_mangling;

/** Defines f as an extern stage computed by the callback with `state`,
 *  producing a `dimensions`-dimensional buffer of `type` from `inputs`. */
bool hl_func_define_extern_rust(hl_func *f, void *state, const hl_extern_input *inputs, size_t n_inputs,
                                struct halide_type_t type, int dimensions, hl_error **err);
/** Defines f as an extern stage computed by the C function `name`, taking
 *  the user context, then one halide_buffer_t per input and the output,
 *  for code compiled ahead of time and linked with that function. */
bool hl_func_define_extern_c(hl_func *f, const char *name, const hl_extern_input *inputs, size_t n_inputs,
                             struct halide_type_t type, int dimensions, hl_name_mangling mangling, hl_error **err);
/** The name prefix of the trampolines calls of Rust scalar functions use. */
#define HL_EXTERN_CALL_PREFIX "halide_rs_scalar_"
/** What the scalar trampolines call: the function's state and its
 *  arguments as doubles; returns the result as a double. */
typedef double (*hl_scalar_callback)(void *state, const double *args, int n);
/** Registers the callback of every Rust scalar function in the process. */
void hl_set_scalar_callback(hl_scalar_callback callback);
/** A call of the Rust scalar function with `state` on n (1 to 3) arguments
 *  of `type` (float32, float64 or int32), returning `type`. */
hl_expr *hl_expr_rust_scalar_call(void *state, struct halide_type_t type, const hl_expr *const *args, size_t n,
                                  hl_error **err);
/** Whether any Func p computes is a Rust extern stage or calls a Rust
 *  scalar function (code that holds a pointer into this process). */
bool hl_pipeline_has_rust_extern(const hl_pipeline *p, hl_error **err);

#ifdef __cplusplus
}
#endif

#endif

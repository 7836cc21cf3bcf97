// iir_blur: see ../src/iir_blur.rs.
#include "apps.h"

using namespace Halide;

namespace {

// One pass: the columns of `source` (`height` rows) filtered down and back
// up, then transposed; scheduled as the Rust version's manual schedule.
Func blur_cols_transpose(const std::string &blur_name, const std::string &transpose_name, Func source,
                         Expr height, Expr alpha, Var x, Var y, Var c, int vec) {
    Func blur(blur_name);
    blur(x, y, c) = undef<float>();
    blur(x, 0, c) = source(x, 0, c);
    RDom ry(1, height - 1, "ry");
    blur(x, ry, c) = (1 - alpha) * blur(x, ry - 1, c) + alpha * source(x, ry, c);
    Expr flipped = height - ry - 1;
    blur(x, flipped, c) = (1 - alpha) * blur(x, flipped + 1, c) + alpha * blur(x, flipped, c);

    Func transpose(transpose_name);
    transpose(x, y, c) = blur(y, x, c);

    Var xo("xo"), yo("yo"), yi("yi"), t("t");
    transpose.compute_root()
        .tile(x, y, xo, yo, x, y, vec, vec * 4)
        .split(y, y, yi, vec)
        .vectorize(yi)
        .vectorize(x)
        .fuse(yo, c, t)
        .parallel(t);
    blur.compute_at(transpose, t);
    blur.update(0).unscheduled();
    blur.update(1).reorder(x, ry.x).vectorize(x);
    blur.update(2).reorder(x, ry.x).vectorize(x);
    return transpose;
}

}  // namespace

Callable iir_blur_app(const Target &target) {
    ImageParam input(Float(32), 3, "input");
    Param<float> alpha("alpha");
    Var x("x"), y("y"), c("c");
    const int vec = target.natural_vector_size<float>();
    Func input_f("input_f");
    input_f(x, y, c) = input(x, y, c);
    Func blur_y_t = blur_cols_transpose("blur_y", "blur_y_t", input_f, input.dim(1).extent(), alpha, x, y, c, vec);
    Func output = blur_cols_transpose("blur_x", "output", blur_y_t, input.dim(0).extent(), alpha, x, y, c, vec);
    return Pipeline(output).compile_to_callable({input, alpha}, target);
}

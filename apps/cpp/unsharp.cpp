// unsharp: see ../src/unsharp.rs.
#include "apps.h"

#include <cmath>

using namespace Halide;

Callable unsharp_app(const Target &target) {
    const float sigma = 1.5f;
    const float pi = 3.14159265358979310000f;
    const float luma[3] = {0.299f, 0.587f, 0.114f};
    ImageParam input(Float(32), 3, "input");
    Var x("x"), y("y"), c("c"), yo("yo"), yi("yi");
    Func kernel("kernel"), gray("gray"), blur_y("blur_y"), blur_x("blur_x");
    Func sharpen("sharpen"), ratio("ratio"), output("unsharp");
    Expr xf = cast<float>(x);
    kernel(x) = exp(-(xf * xf) / (2.0f * sigma * sigma)) / (std::sqrt(2.0f * pi) * sigma);
    Func bounded = BoundaryConditions::repeat_edge(input);
    gray(x, y) = bounded(x, y, 0) * luma[0] + bounded(x, y, 1) * luma[1] + bounded(x, y, 2) * luma[2];
    // Symmetric taps, each pair added before it is weighted.
    Expr by = kernel(0) * gray(x, y);
    for (int d = 1; d <= 3; d++) by = by + kernel(d) * (gray(x, y - d) + gray(x, y + d));
    blur_y(x, y) = by;
    Expr bx = kernel(0) * blur_y(x, y);
    for (int d = 1; d <= 3; d++) bx = bx + kernel(d) * (blur_y(x - d, y) + blur_y(x + d, y));
    blur_x(x, y) = bx;
    sharpen(x, y) = gray(x, y) * 2.0f - blur_x(x, y);
    ratio(x, y) = sharpen(x, y) / gray(x, y);
    output(x, y, c) = ratio(x, y) * input(x, y, c);

    const int vec = target.natural_vector_size<float>();
    output.split(y, yo, yi, 32).vectorize(x, vec).parallel(yo).reorder(x, c, yi, yo);
    for (Func f : {gray, blur_y, ratio}) {
        f.compute_at(output, yi).store_at(output, yo).vectorize(x, vec);
    }
    return Pipeline(output).compile_to_callable({input}, target);
}

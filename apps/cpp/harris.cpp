// harris: see ../src/harris.rs.
#include "apps.h"

using namespace Halide;

namespace {

// The 3x3 window's sum, x offsets outer, as the Rust version adds it.
Expr window_sum(Func f, Var x, Var y) {
    Expr e;
    for (int dx = -1; dx <= 1; dx++) {
        for (int dy = -1; dy <= 1; dy++) {
            Expr tap = f(x + dx, y + dy);
            e = e.defined() ? e + tap : tap;
        }
    }
    return e;
}

}  // namespace

Callable harris_app(const Target &target) {
    const float luma[3] = {0.299f, 0.587f, 0.114f};
    const float sobel[3] = {1.0f / 12.0f, 2.0f / 12.0f, 1.0f / 12.0f};
    ImageParam input(Float(32), 3, "input");
    Var x("x"), y("y"), yi("yi");
    Func gray("gray"), Iy("Iy"), Ix("Ix"), Ixx("Ixx"), Iyy("Iyy"), Ixy("Ixy");
    Func Sxx("Sxx"), Syy("Syy"), Sxy("Sxy"), det("det"), trace("trace"), output("output");
    gray(x, y) = input(x, y, 0) * luma[0] + input(x, y, 1) * luma[1] + input(x, y, 2) * luma[2];
    Expr iy, ix;
    for (int d = -1; d <= 1; d++) {
        float tap = sobel[d + 1];
        Expr a = gray(x + d, y - 1) * -tap, b = gray(x + d, y + 1) * tap;
        iy = iy.defined() ? iy + a + b : a + b;
        Expr c = gray(x - 1, y + d) * -tap, e = gray(x + 1, y + d) * tap;
        ix = ix.defined() ? ix + c + e : c + e;
    }
    Iy(x, y) = iy;
    Ix(x, y) = ix;
    Ixx(x, y) = Ix(x, y) * Ix(x, y);
    Iyy(x, y) = Iy(x, y) * Iy(x, y);
    Ixy(x, y) = Ix(x, y) * Iy(x, y);
    Sxx(x, y) = window_sum(Ixx, x, y);
    Syy(x, y) = window_sum(Iyy, x, y);
    Sxy(x, y) = window_sum(Ixy, x, y);
    det(x, y) = Sxx(x, y) * Syy(x, y) - Sxy(x, y) * Sxy(x, y);
    trace(x, y) = Sxx(x, y) + Syy(x, y);
    output(x, y) = det(x, y) - trace(x, y) * 0.04f * trace(x, y);

    const int vec = target.natural_vector_size<float>();
    output.split(y, y, yi, 32).parallel(y).vectorize(x, vec);
    for (Func f : {gray, Ix, Iy}) {
        f.store_at(output, y).compute_at(output, yi).vectorize(x, vec);
    }
    Ix.compute_with(Iy, x);
    return Pipeline(output).compile_to_callable({input}, target);
}

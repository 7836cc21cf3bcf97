// bilateral_grid: see ../src/bilateral_grid.rs.
#include "apps.h"

using namespace Halide;

Callable bilateral_grid_app(const Target &target) {
    const int s_sigma = 8;
    ImageParam input(Float(32), 2, "input");
    Param<float> r_sigma("r_sigma");
    Var x("x"), y("y"), z("z"), c("c");

    Func clamped = BoundaryConditions::repeat_edge(input);
    RDom r(0, s_sigma, 0, s_sigma, "r");
    Expr val = clamped(x * s_sigma + r.x - s_sigma / 2, y * s_sigma + r.y - s_sigma / 2);
    val = clamp(val, 0.0f, 1.0f);
    Expr zi = cast<int>(val * (1.0f / r_sigma) + 0.5f);
    Func histogram("histogram");
    histogram(x, y, z, c) = 0.0f;
    histogram(x, y, zi, c) = histogram(x, y, zi, c) + mux(c, {val, 1.0f});

    Func blurz("blurz"), blurx("blurx"), blury("blury");
    blurz(x, y, z, c) = histogram(x, y, z - 2, c) + histogram(x, y, z - 1, c) * 4.0f +
                        histogram(x, y, z, c) * 6.0f + histogram(x, y, z + 1, c) * 4.0f +
                        histogram(x, y, z + 2, c);
    blurx(x, y, z, c) = blurz(x - 2, y, z, c) + blurz(x - 1, y, z, c) * 4.0f +
                        blurz(x, y, z, c) * 6.0f + blurz(x + 1, y, z, c) * 4.0f +
                        blurz(x + 2, y, z, c);
    blury(x, y, z, c) = blurx(x, y - 2, z, c) + blurx(x, y - 1, z, c) * 4.0f +
                        blurx(x, y, z, c) * 6.0f + blurx(x, y + 1, z, c) * 4.0f +
                        blurx(x, y + 2, z, c);

    val = clamp(input(x, y), 0.0f, 1.0f);
    Expr zv = val * (1.0f / r_sigma);
    zi = cast<int>(zv);
    Expr zf = zv - cast<float>(zi);
    Expr xf = cast<float>(x % s_sigma) / (float)s_sigma;
    Expr yf = cast<float>(y % s_sigma) / (float)s_sigma;
    Expr xi = x / s_sigma, yi = y / s_sigma;
    auto grid = [&](int dx, int dy, int dz) { return blury(xi + dx, yi + dy, zi + dz, c); };
    auto plane = [&](int dz) {
        return lerp(lerp(grid(0, 0, dz), grid(1, 0, dz), xf),
                    lerp(grid(0, 1, dz), grid(1, 1, dz), xf), yf);
    };
    Func interpolated("interpolated"), output("bilateral_grid");
    interpolated(x, y, c) = lerp(plane(0), plane(1), zf);
    output(x, y) = interpolated(x, y, 0) / interpolated(x, y, 1);

    blurz.compute_at(blurx, y).reorder(c, z, x, y).vectorize(x, 8).unroll(c);
    histogram.compute_at(blurz, y);
    histogram.update().reorder(c, r.x, r.y, x, y).unroll(c);
    blurx.compute_root().reorder(c, x, z, y).parallel(y).vectorize(x, 8).unroll(c);
    blury.compute_at(output, y)
        .store_in(MemoryType::Stack)
        .reorder(c, x, y, z)
        .reorder_storage(c, z, x, y)
        .vectorize(x, 8)
        .unroll(c);
    output.compute_root().parallel(y, 8).vectorize(x, 8);
    return Pipeline(output).compile_to_callable({input, r_sigma}, target);
}

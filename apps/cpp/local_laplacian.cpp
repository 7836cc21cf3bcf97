// local_laplacian: see ../src/local_laplacian.rs.
#include "apps.h"

#include <string>
#include <vector>

using namespace Halide;

namespace {

const int pyramid_levels = 8;

// Calls f at (xx, yy), then the pure variables `rest`.
Expr call(const Func &f, const Expr &xx, const Expr &yy, const std::vector<Var> &rest) {
    std::vector<Expr> args = {xx, yy};
    for (const Var &v : rest) args.push_back(v);
    return f(args);
}

std::vector<Var> with_xy(const Var &x, const Var &y, const std::vector<Var> &rest) {
    std::vector<Var> vars = {x, y};
    vars.insert(vars.end(), rest.begin(), rest.end());
    return vars;
}

Func downsample(const Func &f, const std::vector<Var> &rest, const std::string &name) {
    Var x("x"), y("y");
    std::vector<Var> vars = with_xy(x, y, rest);
    Func down_y(name + "_y"), down_x(name);
    auto fy = [&](const Expr &yy) { return call(f, x, yy, rest); };
    down_y(vars) = (fy(y * 2 - 1) + 3.0f * (fy(y * 2) + fy(y * 2 + 1)) + fy(y * 2 + 2)) / 8.0f;
    auto dx = [&](const Expr &xx) { return call(down_y, xx, y, rest); };
    down_x(vars) = (dx(x * 2 - 1) + 3.0f * (dx(x * 2) + dx(x * 2 + 1)) + dx(x * 2 + 2)) / 8.0f;
    return down_x;
}

Func upsample(const Func &f, const std::vector<Var> &rest, const std::string &name) {
    Var x("x"), y("y");
    std::vector<Var> vars = with_xy(x, y, rest);
    Func up_x(name + "_x"), up_y(name);
    auto fx = [&](const Expr &xx) { return call(f, xx, y, rest); };
    up_x(vars) = lerp(fx((x + 1) / 2), fx((x - 1) / 2), ((x % 2) * 2 + 1) / 4.0f);
    auto uy = [&](const Expr &yy) { return call(up_x, x, yy, rest); };
    up_y(vars) = lerp(uy((y + 1) / 2), uy((y - 1) / 2), ((y % 2) * 2 + 1) / 4.0f);
    return up_y;
}

}  // namespace

Callable local_laplacian_app(const Target &target) {
    const int J = pyramid_levels;
    const float eps = 0.01f;
    Var x("x"), y("y"), c("c"), k("k"), yo("yo");
    ImageParam input(UInt(16), 3, "input");
    Param<int> levels("levels");
    Param<float> alpha("alpha"), beta("beta");

    Func remap("remap"), floating("floating"), gray("gray");
    Expr fx = cast<float>(x) / 256.0f;
    remap(x) = alpha * fx * exp(-fx * fx / 2.0f);
    Func clamped = BoundaryConditions::repeat_edge(input);
    floating(x, y, c) = clamped(x, y, c) / 65535.0f;
    gray(x, y) = 0.299f * floating(x, y, 0) + 0.587f * floating(x, y, 1) + 0.114f * floating(x, y, 2);

    Expr level = k * (1.0f / (levels - 1));
    Expr idx = gray(x, y) * cast<float>(levels - 1) * 256.0f;
    idx = clamp(cast<int>(idx), 0, (levels - 1) * 256);
    std::vector<Func> g(J), l(J), in(J), out_l(J), out_g(J);
    g[0] = Func("g_pyramid_0");
    g[0](x, y, k) = beta * (gray(x, y) - level) + level + remap(idx - 256 * k);
    for (int j = 1; j < J; j++) g[j] = downsample(g[j - 1], {k}, "g_pyramid_" + std::to_string(j));
    l[J - 1] = Func("l_pyramid_" + std::to_string(J - 1));
    l[J - 1](x, y, k) = g[J - 1](x, y, k);
    for (int j = J - 2; j >= 0; j--) {
        Func up = upsample(g[j + 1], {k}, "g_up_" + std::to_string(j));
        l[j] = Func("l_pyramid_" + std::to_string(j));
        l[j](x, y, k) = g[j](x, y, k) - up(x, y, k);
    }
    in[0] = Func("in_pyramid_0");
    in[0](x, y) = gray(x, y);
    for (int j = 1; j < J; j++) in[j] = downsample(in[j - 1], {}, "in_pyramid_" + std::to_string(j));
    for (int j = 0; j < J; j++) {
        Expr level = in[j](x, y) * cast<float>(levels - 1);
        Expr li = clamp(cast<int>(level), 0, levels - 2);
        Expr lf = level - cast<float>(li);
        out_l[j] = Func("out_l_" + std::to_string(j));
        out_l[j](x, y) = (1.0f - lf) * l[j](x, y, li) + lf * l[j](x, y, li + 1);
    }
    out_g[J - 1] = Func("out_g_" + std::to_string(J - 1));
    out_g[J - 1](x, y) = out_l[J - 1](x, y);
    for (int j = J - 2; j >= 0; j--) {
        Func up = upsample(out_g[j + 1], {}, "out_up_" + std::to_string(j));
        out_g[j] = Func("out_g_" + std::to_string(j));
        out_g[j](x, y) = up(x, y) + out_l[j](x, y);
    }
    Func color("color"), output("local_laplacian");
    color(x, y, c) = input(x, y, c) * (out_g[0](x, y) + eps) / (gray(x, y) + eps);
    output(x, y, c) = cast<uint16_t>(clamp(color(x, y, c), 0.0f, 65535.0f));

    remap.compute_root();
    output.reorder(c, x, y).split(y, yo, y, 64).parallel(yo).vectorize(x, 8);
    gray.compute_root().never_partition(y).parallel(y, 32).vectorize(x, 8);
    for (int j = 1; j < 5; j++) {
        in[j].compute_root().parallel(y, 32).vectorize(x, 8);
        g[j].compute_root()
            .reorder_storage(x, k, y)
            .reorder(k, y)
            .parallel(y, 8)
            .vectorize(x, 8);
        out_g[j].store_at(output, yo)
            .compute_at(output, y)
            .fold_storage(y, 4)
            .vectorize(x, 8, TailStrategy::RoundUp);
        if (j > 1) {
            in[j].never_partition_all();
            g[j].never_partition_all();
        }
    }
    out_g[0].compute_at(output, y).hoist_storage(output, yo).vectorize(x, 8, TailStrategy::RoundUp);
    for (int j = 5; j < J; j++) {
        in[j].compute_root();
        g[j].compute_root().parallel(k);
        out_g[j].compute_root();
    }
    return Pipeline(output).compile_to_callable({input, alpha, beta, levels}, target);
}

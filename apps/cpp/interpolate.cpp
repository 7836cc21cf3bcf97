// interpolate: see ../src/interpolate.rs.
#include "apps.h"

#include <string>
#include <vector>

using namespace Halide;

Callable interpolate_app(const Target &target) {
    const int levels = 10;
    const int clamped_level = 4;
    Var x("x"), y("y"), c("c");
    ImageParam input(Float(32), 3, "input");
    input.dim(2).set_min(0);
    input.dim(2).set_extent(4);

    auto named = [](const std::string &name, int l) { return Func(name + "_" + std::to_string(l)); };
    std::vector<Func> downsampled, downx, interpolated;
    for (int l = 0; l < levels; l++) {
        downsampled.push_back(named("downsampled", l));
        downx.push_back(named("downx", l));
        interpolated.push_back(named("interpolated", l));
    }
    Func clamped = BoundaryConditions::repeat_edge(input);
    downsampled[0](x, y, c) = select(c < 3, clamped(x, y, c) * clamped(x, y, 3), clamped(x, y, 3));
    for (int l = 1; l < levels; l++) {
        Func prev = downsampled[l - 1];
        if (l == clamped_level) {
            const int shrink = 1 << (l - 1);
            Expr pw = input.dim(0).extent() / shrink, ph = input.dim(1).extent() / shrink;
            Func edged = named("downsampled_clamped", l - 1);
            edged(x, y, c) = prev(clamp(x, 0, pw), clamp(y, 0, ph), c);
            prev = edged;
        }
        downx[l](x, y, c) = (prev(x * 2 - 1, y, c) + 2.0f * prev(x * 2, y, c) + prev(x * 2 + 1, y, c)) * 0.25f;
        downsampled[l](x, y, c) =
            (downx[l](x, y * 2 - 1, c) + 2.0f * downx[l](x, y * 2, c) + downx[l](x, y * 2 + 1, c)) * 0.25f;
    }
    interpolated[levels - 1](x, y, c) = downsampled[levels - 1](x, y, c);
    for (int l = levels - 2; l >= 0; l--) {
        Func upsampledx = named("upsampledx", l), upsampled = named("upsampled", l);
        upsampledx(x, y, c) = (interpolated[l + 1](x / 2, y, c) + interpolated[l + 1]((x + 1) / 2, y, c)) / 2.0f;
        upsampled(x, y, c) = (upsampledx(x, y / 2, c) + upsampledx(x, (y + 1) / 2, c)) / 2.0f;
        Expr alpha = 1.0f - downsampled[l](x, y, 3);
        interpolated[l](x, y, c) = downsampled[l](x, y, c) + alpha * upsampled(x, y, c);
    }
    Func output("interpolate");
    output(x, y, c) = interpolated[0](x, y, c) / interpolated[0](x, y, 3);

    const int vec = target.natural_vector_size<float>();
    Var xo("xo"), xi("xi"), yo("yo"), yi("yi");
    for (int l = 1; l < levels - 1; l++) {
        downsampled[l].compute_root().never_partition(x).reorder(x, c, y).split(y, yo, yi, 8).parallel(yo).vectorize(x, vec);
    }
    downsampled[0]
        .clone_in(downx[1])
        .store_at(downsampled[1], yo)
        .compute_at(downsampled[1], yi)
        .reorder(c, x, y)
        .unroll(c)
        .vectorize(x, vec)
        .never_partition(y);
    output.bound(x, 0, input.dim(0).extent())
        .bound(y, 0, input.dim(1).extent())
        .bound(c, 0, 3)
        .never_partition(y)
        .split(x, xo, xi, vec)
        .split(y, yo, yi, 32)
        .reorder(xi, c, xo, yi, yo)
        .unroll(c)
        .vectorize(xi)
        .parallel(yo);
    for (int l = 1; l < levels; l++) {
        interpolated[l].store_at(output, yo).compute_at(output, yi).never_partition_all().vectorize(x, vec);
    }
    return Pipeline(output).compile_to_callable({input}, target);
}

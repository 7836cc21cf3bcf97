// stencil_chain: see ../src/stencil_chain.rs.
#include "apps.h"

#include <algorithm>
#include <string>
#include <vector>

using namespace Halide;

Callable stencil_chain_app(const Target &target) {
    const int stencils = 32, group = 11;
    ImageParam input(UInt(16), 2, "input");
    Var x("x"), y("y"), xo("xo"), yo("yo"), xi("xi"), yi("yi"), t("t");

    std::vector<Func> stages = {BoundaryConditions::repeat_edge(input)};
    for (int s = 0; s < stencils; s++) {
        Expr value = cast<uint16_t>(0);
        for (int i = -2; i <= 2; i++) {
            for (int j = -2; j <= 2; j++) {
                value = value + ((i + 3) * (j + 3)) * stages.back()(x + i, y + j);
            }
        }
        Func stage("stage_" + std::to_string(s));
        stage(x, y) = value;
        stages.push_back(stage);
    }
    Func output("output");
    output(x, y) = stages.back()(x, y);

    const int vec = target.natural_vector_size<uint16_t>();
    Expr out_w = output.output_buffer().dim(0).extent();
    Expr out_h = output.output_buffer().dim(1).extent();
    for (int j = stencils; j > 0; j -= group) {
        Func last = j == stencils ? output : stages[j];
        const int expansion = 4 * (stencils - j);
        last.compute_root()
            .tile(x, y, xo, yo, xi, yi, (out_w + expansion) / 4, (out_h + expansion) / 4)
            .fuse(xo, yo, t)
            .parallel(t)
            .vectorize(xi, vec);
        for (int i = std::max(0, j - group + 1); i < j; i++) {
            stages[i].store_at(last, t).compute_at(last, yi).vectorize(stages[i].args()[0], vec);
        }
    }
    return Pipeline(output).compile_to_callable({input}, target);
}

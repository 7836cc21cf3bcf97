// blur: see ../src/blur.rs.
#include "apps.h"

using namespace Halide;

Callable blur_app(const Target &target) {
    ImageParam input(UInt(16), 2, "input");
    Var x("x"), y("y"), yi("yi");
    Func blur_x("blur_x"), blur_y("blur_y");
    blur_x(x, y) = (input(x, y) + input(x + 1, y) + input(x + 2, y)) / 3;
    blur_y(x, y) = (blur_x(x, y) + blur_x(x, y + 1) + blur_x(x, y + 2)) / 3;
    blur_y.split(y, y, yi, 8).parallel(y).vectorize(x, 8);
    blur_x.store_at(blur_y, y).compute_at(blur_y, yi).vectorize(x, 8);
    return Pipeline(blur_y).compile_to_callable({input}, target);
}

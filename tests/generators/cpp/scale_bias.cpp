// A C++ generator, built by `cargo xtask build-generators` and by the
// downstream crate's build script, and called from Rust through the wrapper
// halide-build emits from its function_info header.
#include "Halide.h"

namespace {

using namespace Halide;

// output(x, y) = input(x, y) * gain + bias, as 32-bit float.
class ScaleBias : public Generator<ScaleBias> {
public:
    GeneratorParam<float> bias{"bias", 0.5f};

    Input<Buffer<uint16_t, 2>> input{"input"};
    Input<float> gain{"gain"};
    Output<Buffer<float, 2>> output{"output"};

    void generate() {
        Var x("x"), y("y");
        output(x, y) = cast<float>(input(x, y)) * gain + bias;
        output.vectorize(x, natural_vector_size<float>()).parallel(y);
    }
};

}  // namespace

HALIDE_REGISTER_GENERATOR(ScaleBias, scale_bias)

// The reference for the call-overhead benchmark: the same pipeline as the
// Rust side, compiled to a Halide::Callable and called from C++ as a C++
// user would, through Callable::operator().
#include "Halide.h"

namespace {

struct Harness {
    Halide::Callable callable;
};

}  // namespace

extern "C" {

// f(x) = x * 2 + 1 over int32, compiled for the host. NULL on failure.
void *halide_bench_cpp_new() {
    try {
        Halide::Var x("x");
        Halide::Func f("overhead_cpp");
        f(x) = x * 2 + 1;
        Halide::Pipeline p(f);
        return new Harness{p.compile_to_callable({}, Halide::get_host_target())};
    } catch (...) {
        return nullptr;
    }
}

// Halide's error code, or -1 for the exception the JIT turns a
// pipeline's error into (which must not unwind into Rust).
int halide_bench_cpp_call(void *h, halide_buffer_t *out) {
    try {
        return static_cast<Harness *>(h)->callable(out);
    } catch (...) {
        return -1;
    }
}

void halide_bench_cpp_free(void *h) {
    delete static_cast<Harness *>(h);
}
}

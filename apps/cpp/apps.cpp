// The apps written with Halide's C++ API, scheduled as the Rust versions
// are by hand, JIT-compiled against the same libHalide: the references the
// Rust apps are compared with, bit for bit and in time. An app is compiled
// once (halide_apps_cpp_new) and called as often as wanted, each call
// taking the input buffer and the output buffer.
#include "Halide.h"

#include <cmath>
#include <cstring>
#include <string>

using namespace Halide;

namespace {

struct App {
    Callable callable;
};

void copy_message(const char *what, char *message, size_t capacity) {
    if (message && capacity > 0) {
        std::strncpy(message, what, capacity - 1);
        message[capacity - 1] = 0;
    }
}

Callable blur(const Target &target) {
    ImageParam input(UInt(16), 2, "input");
    Var x("x"), y("y"), yi("yi");
    Func blur_x("blur_x"), blur_y("blur_y");
    blur_x(x, y) = (input(x, y) + input(x + 1, y) + input(x + 2, y)) / 3;
    blur_y(x, y) = (blur_x(x, y) + blur_x(x, y + 1) + blur_x(x, y + 2)) / 3;
    blur_y.split(y, y, yi, 8).parallel(y).vectorize(x, 8);
    blur_x.store_at(blur_y, y).compute_at(blur_y, yi).vectorize(x, 8);
    return Pipeline(blur_y).compile_to_callable({input}, target);
}

Callable unsharp(const Target &target) {
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

}  // namespace

extern "C" {

// The app called `name` ("blur", "unsharp") compiled for the host; NULL on
// failure, with the reason in `message`.
void *halide_apps_cpp_new(const char *name, char *message, size_t capacity) {
    try {
        std::string app = name ? name : "";
        if (app == "blur") return new App{blur(get_host_target())};
        if (app == "unsharp") return new App{unsharp(get_host_target())};
        throw std::invalid_argument("no app is called \"" + app + "\"");
    } catch (const Halide::Error &e) {
        copy_message(e.what(), message, capacity);
        return nullptr;
    } catch (const std::exception &e) {
        copy_message(e.what(), message, capacity);
        return nullptr;
    } catch (...) {
        copy_message("an unknown C++ exception", message, capacity);
        return nullptr;
    }
}

// Runs the app over `in` into `out`: 0 on success, else Halide's error
// code (or -1) with its message in `message`.
int halide_apps_cpp_call(void *app, const halide_buffer_t *in, halide_buffer_t *out, char *message,
                         size_t capacity) {
    try {
        return static_cast<App *>(app)->callable(const_cast<halide_buffer_t *>(in), out);
    } catch (const Halide::Error &e) {
        // The JIT turns a pipeline's errors into exceptions.
        copy_message(e.what(), message, capacity);
        return -1;
    } catch (const std::exception &e) {
        copy_message(e.what(), message, capacity);
        return -1;
    } catch (...) {
        copy_message("an unknown C++ exception", message, capacity);
        return -1;
    }
}

void halide_apps_cpp_free(void *app) {
    delete static_cast<App *>(app);
}
}

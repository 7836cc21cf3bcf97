// The apps written with Halide's C++ API, scheduled as the Rust versions
// are by hand, JIT-compiled against the same libHalide: the references the
// Rust apps are compared with, bit for bit and in time. An app is compiled
// once (halide_apps_cpp_new) and called as often as wanted, each call
// taking the pipeline's arguments, its output buffers last.
#include "apps.h"

#include <cstring>
#include <string>
#include <vector>

using namespace Halide;

namespace {

struct App {
    Callable callable;
};

// Every app, by the name its Rust version answers to.
const struct {
    const char *name;
    Callable (*make)(const Target &);
} apps[] = {
    {"blur", blur_app},
    {"unsharp", unsharp_app},
    {"bilateral_grid", bilateral_grid_app},
    {"local_laplacian", local_laplacian_app},
    {"interpolate", interpolate_app},
    {"harris", harris_app},
    {"max_filter", max_filter_app},
    {"iir_blur", iir_blur_app},
    {"stencil_chain", stencil_chain_app},
};

void copy_message(const char *what, char *message, size_t capacity) {
    if (message && capacity > 0) {
        std::strncpy(message, what, capacity - 1);
        message[capacity - 1] = 0;
    }
}

}  // namespace

extern "C" {

// The app called `name` (one of `apps`) compiled for the host; NULL on
// failure, with the reason in `message`.
void *halide_apps_cpp_new(const char *name, char *message, size_t capacity) {
    try {
        std::string wanted = name ? name : "";
        for (const auto &app : apps) {
            if (wanted == app.name) return new App{app.make(get_host_target())};
        }
        throw std::invalid_argument("no app is called \"" + wanted + "\"");
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

// Runs the app with its `argc` arguments, each as Callable::call_argv_fast
// takes it (a buffer's halide_buffer_t*, a scalar's address), the user
// context left out: 0 on success, else Halide's error code (or -1) with
// its message in `message`.
int halide_apps_cpp_call(void *app, size_t argc, const void *const *argv, char *message,
                         size_t capacity) {
    try {
        JITUserContext context;
        JITUserContext *context_ptr = &context;
        std::vector<const void *> all(argc + 1);
        all[0] = &context_ptr;
        for (size_t i = 0; i < argc; i++) all[i + 1] = argv[i];
        return static_cast<App *>(app)->callable.call_argv_fast(all.size(), all.data());
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

/* Code compiled for a `webgpu` target calls the four halide_webgpu_*
 * functions below. Halide's runtime defines them over a C WebGPU library
 * (Dawn); halide-rs links such code against a standalone runtime without
 * that module plus this file, which forwards each call, with the runtime's
 * own generic device functions, to a Rust implementation (halide-wgpu).
 * The layouts match halide-runtime's `webgpu` module: change both together.
 *
 * Built with HALIDE_RS_WEBGPU_HOOKS_HERE (libraries loaded at run time),
 * the hooks are a variable here that the loader fills; without it (static
 * libraries) they are halide-wgpu's `halide_rs_webgpu_hooks` static. */

#include <stddef.h>
#include <stdint.h>

struct halide_buffer_t;
struct halide_device_interface_t;
struct halide_type_t;

typedef int (*halide_rs_generic_fn)(void);

struct halide_rs_webgpu_runtime {
    void *generic[14];
    void (*error)(void *, const char *);
    int (*default_device_and_host_malloc)(void *, struct halide_buffer_t *,
                                          const struct halide_device_interface_t *);
    int (*default_device_and_host_free)(void *, struct halide_buffer_t *,
                                        const struct halide_device_interface_t *);
};

struct halide_rs_webgpu_hooks {
    int (*initialize_kernels)(const struct halide_rs_webgpu_runtime *, void *, void **,
                              const char *, int);
    void (*finalize_kernels)(const struct halide_rs_webgpu_runtime *, void *, void *);
    int (*run)(const struct halide_rs_webgpu_runtime *, void *, void *, const char *,
               int, int, int, int, int, int, int, const struct halide_type_t *,
               void **, const int8_t *);
    const struct halide_device_interface_t *(*device_interface)(
        const struct halide_rs_webgpu_runtime *);
};

#ifdef HALIDE_RS_WEBGPU_HOOKS_HERE
struct halide_rs_webgpu_hooks halide_rs_webgpu_hooks;
#else
extern const struct halide_rs_webgpu_hooks halide_rs_webgpu_hooks;
#endif

extern int halide_device_malloc(void);
extern int halide_device_free(void);
extern int halide_device_sync(void);
extern int halide_device_release(void);
extern int halide_copy_to_host(void);
extern int halide_copy_to_device(void);
extern int halide_device_and_host_malloc(void);
extern int halide_device_and_host_free(void);
extern int halide_buffer_copy(void);
extern int halide_device_crop(void);
extern int halide_device_slice(void);
extern int halide_device_release_crop(void);
extern int halide_device_wrap_native(void);
extern int halide_device_detach_native(void);
extern void halide_error(void *, const char *);
extern int halide_default_device_and_host_malloc(void *, struct halide_buffer_t *,
                                                 const struct halide_device_interface_t *);
extern int halide_default_device_and_host_free(void *, struct halide_buffer_t *,
                                               const struct halide_device_interface_t *);

static const struct halide_rs_webgpu_runtime runtime = {
    {
        (void *)halide_device_malloc,
        (void *)halide_device_free,
        (void *)halide_device_sync,
        (void *)halide_device_release,
        (void *)halide_copy_to_host,
        (void *)halide_copy_to_device,
        (void *)halide_device_and_host_malloc,
        (void *)halide_device_and_host_free,
        (void *)halide_buffer_copy,
        (void *)halide_device_crop,
        (void *)halide_device_slice,
        (void *)halide_device_release_crop,
        (void *)halide_device_wrap_native,
        (void *)halide_device_detach_native,
    },
    halide_error,
    halide_default_device_and_host_malloc,
    halide_default_device_and_host_free,
};

/* halide_error_code_no_device_interface: nothing implements WebGPU here. */
static int missing(void *user_context) {
    halide_error(user_context,
                 "no WebGPU implementation is installed: link halide-wgpu "
                 "(and, for JIT-compiled pipelines, call halide_wgpu::register())");
    return -19;
}

const struct halide_device_interface_t *halide_webgpu_device_interface(void) {
    if (!halide_rs_webgpu_hooks.device_interface) {
        return NULL;
    }
    return halide_rs_webgpu_hooks.device_interface(&runtime);
}

int halide_webgpu_initialize_kernels(void *user_context, void **state_ptr, const char *src,
                                     int size) {
    if (!halide_rs_webgpu_hooks.initialize_kernels) {
        return missing(user_context);
    }
    return halide_rs_webgpu_hooks.initialize_kernels(&runtime, user_context, state_ptr, src,
                                                     size);
}

void halide_webgpu_finalize_kernels(void *user_context, void *state_ptr) {
    if (halide_rs_webgpu_hooks.finalize_kernels) {
        halide_rs_webgpu_hooks.finalize_kernels(&runtime, user_context, state_ptr);
    }
}

int halide_webgpu_run(void *user_context, void *state_ptr, const char *entry_name,
                      int groups_x, int groups_y, int groups_z, int threads_x,
                      int threads_y, int threads_z, int workgroup_mem_bytes,
                      const struct halide_type_t *arg_types, void **args,
                      const int8_t *arg_is_buffer) {
    if (!halide_rs_webgpu_hooks.run) {
        return missing(user_context);
    }
    return halide_rs_webgpu_hooks.run(&runtime, user_context, state_ptr, entry_name, groups_x,
                                      groups_y, groups_z, threads_x, threads_y, threads_z,
                                      workgroup_mem_bytes, arg_types, args, arg_is_buffer);
}

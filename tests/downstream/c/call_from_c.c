/* The C caller of the benchmark: the same library the Rust wrapper calls,
 * called as a C program would, with no user context. */
#include <stddef.h>
#include <stdint.h>

struct halide_buffer_t;
int brighten(void *user_context, struct halide_buffer_t *input, uint8_t offset, struct halide_buffer_t *output);

int brighten_from_c(struct halide_buffer_t *input, uint8_t offset, struct halide_buffer_t *output) {
    return brighten(NULL, input, offset, output);
}

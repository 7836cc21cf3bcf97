//! The C structs have the layout Halide's runtime expects on 64-bit targets.

use halide_runtime::sys::{halide_buffer_t, halide_dimension_t, halide_type_t};
use std::mem::{align_of, offset_of, size_of};

#[test]
#[cfg(target_pointer_width = "64")]
fn buffer_layout() {
    assert_eq!(size_of::<halide_buffer_t>(), 56);
    assert_eq!(align_of::<halide_buffer_t>(), 8);
    assert_eq!(offset_of!(halide_buffer_t, host), 16);
    assert_eq!(offset_of!(halide_buffer_t, type_), 32);
    assert_eq!(offset_of!(halide_buffer_t, dimensions), 36);
    assert_eq!(offset_of!(halide_buffer_t, dim), 40);
}

#[test]
fn dimension_and_type_layout() {
    assert_eq!(size_of::<halide_dimension_t>(), 16);
    assert_eq!(size_of::<halide_type_t>(), 4);
    assert_eq!(offset_of!(halide_type_t, lanes), 2);
}

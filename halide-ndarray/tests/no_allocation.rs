//! Viewing an array of up to `INLINE_DIMS` axes as a buffer allocates
//! nothing: the shape lives on the stack, then inline in the buffer.

use halide_ndarray::{AsBuffer, AsBufferMut};
use halide_runtime::{HalideBuffer, INLINE_DIMS};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting this thread's allocations.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: the caller's contract, passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// How many allocations `f` makes on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn views_of_up_to_four_axes_allocate_nothing() {
    assert_eq!(INLINE_DIMS, 4);
    let mut a1 = ndarray::Array1::<f32>::zeros(7);
    let a2 = ndarray::Array2::<u8>::zeros((5, 6));
    let mut a3 = ndarray::Array3::<u16>::zeros((2, 3, 4));
    let mut a4 = ndarray::Array4::<i32>::zeros((2, 3, 4, 5));
    let a4d = a4.clone().into_dyn();
    let n = allocations(|| {
        assert_eq!(a1.as_buffer().unwrap().dimensions(), 1);
        assert_eq!(a2.as_buffer().unwrap().dim(1).unwrap().extent, 5);
        assert_eq!(a3.as_buffer_mut().unwrap().dimensions(), 3);
        assert_eq!(a4.as_buffer_mut().unwrap().len(), 120);
        assert_eq!(a4d.as_buffer().unwrap().dimensions(), 4);
        assert_eq!(a1.as_buffer_mut().unwrap().dimensions(), 1);
    });
    assert_eq!(n, 0);
    // Five axes are stored boxed: the counter does see allocations.
    let a5 = ndarray::ArrayD::<u8>::zeros(vec![1, 2, 1, 2, 1]);
    assert!(allocations(|| assert_eq!(a5.as_buffer().unwrap().dimensions(), 5)) > 0);
}

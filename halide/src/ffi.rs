//! The seam between the shim's C conventions and Rust, and the one place
//! that argues why calling the shim is safe.
//!
//! # The safety argument
//!
//! `halide_c.h` promises, for every function: no C++ exception leaves it;
//! NULL handles and undefined expressions are refused with an error, not
//! dereferenced; indices are range-checked and types validated; an object
//! returned as `hl_x *` is new and owned by the caller; a string returned
//! as `char *` is owned by the caller. What the shim cannot check is that a
//! non-NULL pointer is live, and that an array pointer and its length
//! agree. Enum arguments are the header's own constants: this crate passes
//! only named values, never a number of its own.
//!
//! So a shim function may be called safely with arguments that are each a
//! plain value, or a pointer that stays valid for the whole call.
//! [`ShimArg`] is implemented only for such arguments (values, borrowed
//! handles, borrowed C strings, borrowed output slots), and [`shim!`] calls
//! a shim function with `ShimArg`s only: that is the crate's one unsafe
//! call of the shim. The few calls that pass arrays (a pointer and a
//! length) cannot be expressed so and keep their own `unsafe` block, each
//! saying what keeps the array alive.
//!
//! # Keeping JIT code fresh
//!
//! A Func keeps its JIT code between realizations, and that code does not
//! follow later changes to what it was compiled from. In the header, a function that changes a Func's
//! definition, schedule or inputs takes its handle as non-`const`, so the
//! only way to get a `*mut` handle, [`Mutating`], records a change (see
//! `staleness`). The few non-`const` calls that change no generated code
//! (setting a Param's value, a Func's first definition, making a pipeline,
//! compiling, lowering, changing a lowered module) ask for
//! [`keeping_code`](Handle::keeping_code) by name, so that skipping the
//! record is visible where it happens. The record is process-wide: a
//! change to any Func makes every Func recompile at its next realization,
//! which costs only where schedules change between realizations.

use crate::error::{Error, ErrorKind, Result};
use halide_sys as sys;
use std::ffi::{CStr, CString, c_char};
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

/// Takes ownership of a shim error and turns it into an [`Error`].
///
/// # Safety
/// `err` must be a non-null error returned by the shim, not yet freed.
unsafe fn take_error(err: *mut sys::hl_error) -> Error {
    // SAFETY: per the contract, err is a live error; the message it returns
    // lives as long as err, and is copied before err is freed.
    let (kind, message) = unsafe {
        let kind = sys::hl_error_kind_of(err);
        let message = CStr::from_ptr(sys::hl_error_message(err))
            .to_string_lossy()
            .into_owned();
        sys::hl_error_free(err);
        (kind, message)
    };
    let kind = match kind {
        sys::hl_error_kind::HL_ERROR_COMPILE => ErrorKind::Compile,
        sys::hl_error_kind::HL_ERROR_RUNTIME => ErrorKind::Runtime,
        sys::hl_error_kind::HL_ERROR_INTERNAL => ErrorKind::Internal,
        sys::hl_error_kind::HL_ERROR_INVALID_ARGUMENT => ErrorKind::InvalidArgument,
        _ => ErrorKind::Other,
    };
    Error::from_halide(kind, &message)
}

/// Calls a shim function with an error out-parameter, and turns what it
/// returns into Rust (see [`ShimReturn`]), or returns the error it reported.
///
/// # Safety
/// `f` must call one shim function, with arguments valid for the call and
/// the error slot it is given, and return what that function returned.
#[inline]
pub(crate) unsafe fn call<R: ShimReturn>(
    f: impl FnOnce(*mut *mut sys::hl_error) -> R,
) -> Result<R::Output> {
    let mut err = ptr::null_mut();
    let value = f(&mut err);
    if err.is_null() {
        // SAFETY: per the contract, the shim just returned value.
        unsafe { value.adopt() }
    } else {
        // SAFETY: the shim stored a fresh error, owned by us now. A value
        // it returned with the error is NULL/0/false: nothing to free.
        Err(unsafe { take_error(err) })
    }
}

/// A C string for a name or target string; a NUL inside is an error.
pub(crate) fn c_string(s: &str) -> Result<CString> {
    CString::new(s).map_err(|_| Error::invalid(format!("{s:?} contains a NUL byte")))
}

/// An argument a shim function may be given as it is: a plain value, or a
/// pointer into something `Self` borrows.
///
/// # Safety
/// `raw` must return a plain value, or a pointer the shim may read (and,
/// for output slots, write) for as long as the lifetimes in `Self` last.
/// `Self` must not own the pointee: `raw` consumes `self`, and the pointer
/// must outlive it.
pub(crate) unsafe trait ShimArg {
    /// The C parameter's type.
    type Raw;
    /// The value passed.
    fn raw(self) -> Self::Raw;
}

macro_rules! plain_args {
    ($($t:ty),*) => {$(
        // SAFETY: a value; nothing to keep alive.
        unsafe impl ShimArg for $t {
            type Raw = $t;
            fn raw(self) -> $t {
                self
            }
        }
    )*};
}
plain_args!(
    bool,
    i32,
    i64,
    u64,
    f64,
    usize,
    halide_runtime::sys::halide_type_t,
    sys::hl_binary_op,
    sys::hl_unary_op,
    sys::hl_inline_reduction,
    sys::hl_tail_strategy,
    sys::hl_partition,
    sys::hl_memory_type,
    sys::hl_loop_align,
    sys::hl_prefetch_bound,
    sys::hl_loop_kind,
    sys::hl_gpu_loop,
    sys::hl_func_flag,
    sys::hl_dim_field,
    sys::hl_param_field,
    sys::hl_math1,
    sys::hl_math2,
    sys::hl_math3,
    sys::hl_expr_list_op,
    sys::hl_target_predicate,
    sys::hl_def_part,
    sys::hl_boundary,
    sys::hl_linkage,
    sys::hl_autoscheduler_part
);

// SAFETY: the string is borrowed, so its bytes outlive the call.
unsafe impl ShimArg for &CStr {
    type Raw = *const c_char;
    fn raw(self) -> *const c_char {
        self.as_ptr()
    }
}

// SAFETY: NULL (which the shim takes as "no name") or a borrowed string.
unsafe impl ShimArg for Option<&CStr> {
    type Raw = *const c_char;
    fn raw(self) -> *const c_char {
        self.map_or(ptr::null(), CStr::as_ptr)
    }
}

macro_rules! output_slots {
    ($($t:ty),*) => {$(
        // SAFETY: an exclusive borrow of a slot of the type the shim writes.
        unsafe impl ShimArg for &mut $t {
            type Raw = *mut $t;
            fn raw(self) -> *mut $t {
                self
            }
        }
    )*};
}
output_slots!(
    i32,
    u64,
    halide_runtime::sys::halide_type_t,
    sys::hl_argument
);

/// A loop variable's name as the shim takes it: by value, pointing into a
/// string that [`LoopVarName`] owns.
pub struct LoopVarName {
    name: CString,
    is_rvar: bool,
}

impl LoopVarName {
    pub(crate) fn new(name: &str, is_rvar: bool) -> Result<Self> {
        Ok(LoopVarName {
            name: c_string(name)?,
            is_rvar,
        })
    }

    /// The C struct; its name pointer is valid while `self` lives.
    pub(crate) fn raw(&self) -> sys::hl_loop_var {
        sys::hl_loop_var {
            name: self.name.as_ptr(),
            is_rvar: self.is_rvar,
        }
    }
}

// SAFETY: the struct points into the borrowed name.
unsafe impl ShimArg for &LoopVarName {
    type Raw = sys::hl_loop_var;
    fn raw(self) -> sys::hl_loop_var {
        LoopVarName::raw(self)
    }
}

/// What a shim function returns, and how Rust takes it over: by the
/// header's conventions, objects and `char *` strings are the caller's.
pub(crate) trait ShimReturn {
    /// The Rust value.
    type Output;
    /// Takes over the returned value.
    ///
    /// # Safety
    /// `self` was just returned, without an error, by a shim function.
    unsafe fn adopt(self) -> Result<Self::Output>;
}

macro_rules! plain_returns {
    ($($t:ty),*) => {$(
        impl ShimReturn for $t {
            type Output = $t;
            #[inline]
            unsafe fn adopt(self) -> Result<$t> {
                Ok(self)
            }
        }
    )*};
}
plain_returns!(
    bool,
    i32,
    i64,
    usize,
    halide_runtime::sys::halide_type_t,
    sys::hl_memory_type
);

impl ShimReturn for *mut c_char {
    type Output = String;
    unsafe fn adopt(self) -> Result<String> {
        let p = non_null(self)?;
        // SAFETY: per the header, a returned `char *` is a new NUL-terminated
        // string owned by the caller, freed once here with its matching function.
        unsafe {
            let s = CStr::from_ptr(p.as_ptr()).to_string_lossy().into_owned();
            sys::hl_string_free(p.as_ptr());
            Ok(s)
        }
    }
}

/// A byte array a shim function returned (`char *` and its length), owned
/// by the caller like a returned string.
pub(crate) struct Bytes {
    pub(crate) ptr: *mut c_char,
    pub(crate) len: usize,
}

impl ShimReturn for Bytes {
    type Output = Vec<u8>;
    unsafe fn adopt(self) -> Result<Vec<u8>> {
        let p = non_null(self.ptr)?;
        // SAFETY: per the header, the caller owns `len` bytes at the pointer,
        // freed once here with the string free function.
        unsafe {
            let bytes = std::slice::from_raw_parts(p.as_ptr().cast::<u8>(), self.len).to_vec();
            sys::hl_string_free(p.as_ptr());
            Ok(bytes)
        }
    }
}

impl ShimReturn for *const halide_runtime::sys::halide_device_interface_t {
    type Output = halide_runtime::DeviceInterface;
    unsafe fn adopt(self) -> Result<Self::Output> {
        // SAFETY: per the header, a returned device interface belongs to a
        // JIT runtime libHalide keeps loaded for the rest of the process.
        let iface = unsafe { halide_runtime::DeviceInterface::from_raw(self) };
        iface.ok_or_else(|| non_null(std::ptr::null_mut::<u8>()).unwrap_err())
    }
}

/// NULL without an error means even allocating the error failed.
fn non_null<T>(p: *mut T) -> Result<NonNull<T>> {
    NonNull::new(p).ok_or_else(|| {
        Error::new(
            ErrorKind::Other,
            "Halide returned no object and no error (out of memory?)",
        )
    })
}

macro_rules! shim_calls {
    ($($name:ident($($a:ident: $A:ident),*);)*) => {$(
        /// Calls shim function `f` with arguments that are each valid for
        /// the call (see the module's safety argument).
        #[allow(clippy::too_many_arguments)]
        pub(crate) fn $name<$($A: ShimArg,)* R: ShimReturn>(
            f: unsafe extern "C" fn($($A::Raw,)* *mut *mut sys::hl_error) -> R,
            $($a: $A),*
        ) -> Result<R::Output> {
            $(let $a = $a.raw();)*
            // SAFETY: each argument is a plain value or a pointer valid
            // until this function returns (ShimArg's contract), which the
            // shim accepts whatever their values; err is call's slot.
            unsafe { call(|err| f($($a,)* err)) }
        }
    )*};
}
shim_calls! {
    call0();
    call1(a: A);
    call2(a: A, b: B);
    call3(a: A, b: B, c: C);
    call4(a: A, b: B, c: C, d: D);
    call5(a: A, b: B, c: C, d: D, e: E);
    call6(a: A, b: B, c: C, d: D, e: E, g: G);
    call7(a: A, b: B, c: C, d: D, e: E, g: G, h: H);
    call10(a: A, b: B, c: C, d: D, e: E, g: G, h: H, i: I, j: J, k: K);
}

/// Calls a shim function safely: `shim!(sys::hl_func_name, &handle)`.
/// The error slot is added; the result is adopted by [`ShimReturn`].
macro_rules! shim {
    ($f:expr $(,)?) => {
        $crate::ffi::call0($f)
    };
    ($f:expr, $a:expr $(,)?) => {
        $crate::ffi::call1($f, $a)
    };
    ($f:expr, $a:expr, $b:expr $(,)?) => {
        $crate::ffi::call2($f, $a, $b)
    };
    ($f:expr, $a:expr, $b:expr, $c:expr $(,)?) => {
        $crate::ffi::call3($f, $a, $b, $c)
    };
    ($f:expr, $a:expr, $b:expr, $c:expr, $d:expr $(,)?) => {
        $crate::ffi::call4($f, $a, $b, $c, $d)
    };
    ($f:expr, $a:expr, $b:expr, $c:expr, $d:expr, $e:expr $(,)?) => {
        $crate::ffi::call5($f, $a, $b, $c, $d, $e)
    };
    ($f:expr, $a:expr, $b:expr, $c:expr, $d:expr, $e:expr, $g:expr $(,)?) => {
        $crate::ffi::call6($f, $a, $b, $c, $d, $e, $g)
    };
    ($f:expr, $a:expr, $b:expr, $c:expr, $d:expr, $e:expr, $g:expr, $h:expr $(,)?) => {
        $crate::ffi::call7($f, $a, $b, $c, $d, $e, $g, $h)
    };
    ($f:expr, $a:expr, $b:expr, $c:expr, $d:expr, $e:expr, $g:expr, $h:expr, $i:expr, $j:expr, $k:expr $(,)?) => {
        $crate::ffi::call10($f, $a, $b, $c, $d, $e, $g, $h, $i, $j, $k)
    };
}
pub(crate) use shim;

/// An owned shim object of C type `T`, freed on drop.
pub struct Handle<T: Object>(NonNull<T>, PhantomData<T>);

/// A C object type of the shim, with its free (and, where Halide's object
/// is a shared reference, clone) function.
///
/// # Safety
/// `FREE` must release an object of this type made by the shim.
pub unsafe trait Object {
    /// Releases one object.
    const FREE: unsafe extern "C" fn(*mut Self);
}

impl<T: Object> Handle<T> {
    /// A pointer for reading, valid while `self` is borrowed.
    pub(crate) fn as_ptr(&self) -> *const T {
        self.0.as_ptr()
    }

    /// A pointer for a change to what JIT code is compiled from: records
    /// the change, so that code compiled before it is dropped.
    pub(crate) fn mutating(&self) -> Mutating<'_, T> {
        crate::staleness::bump();
        Mutating(self.0, PhantomData)
    }

    /// A `*mut` pointer for a call that changes no generated code (see the
    /// module docs for which): no change is recorded.
    pub(crate) fn keeping_code(&self) -> Mutating<'_, T> {
        Mutating(self.0, PhantomData)
    }
}

/// A shim object's `*mut` pointer, made by [`Handle::mutating`] or
/// [`Handle::keeping_code`], valid while the handle is borrowed.
pub(crate) struct Mutating<'a, T>(NonNull<T>, PhantomData<&'a T>);

impl<T> Mutating<'_, T> {
    pub(crate) fn as_ptr(&self) -> *mut T {
        self.0.as_ptr()
    }
}

// SAFETY: the handle is borrowed for 'a, so the object is live.
unsafe impl<T> ShimArg for Mutating<'_, T> {
    type Raw = *mut T;
    fn raw(self) -> *mut T {
        self.0.as_ptr()
    }
}

// SAFETY: the handle is borrowed, so the object is live for the call.
unsafe impl<T: Object> ShimArg for &Handle<T> {
    type Raw = *const T;
    fn raw(self) -> *const T {
        self.as_ptr()
    }
}

// SAFETY: NULL (which the shim takes as "none") or a borrowed handle.
unsafe impl<T: Object> ShimArg for Option<&Handle<T>> {
    type Raw = *const T;
    fn raw(self) -> *const T {
        self.map_or(ptr::null(), Handle::as_ptr)
    }
}

impl<T: Object> ShimReturn for *mut T {
    type Output = Handle<T>;
    /// Per the header, a returned object pointer is new and owned by the
    /// caller; the handle frees it once, with its type's free function.
    unsafe fn adopt(self) -> Result<Handle<T>> {
        non_null(self).map(|p| Handle(p, PhantomData))
    }
}

impl<T: Object> Drop for Handle<T> {
    fn drop(&mut self) {
        // SAFETY: we own this object and free it exactly once.
        unsafe { T::FREE(self.0.as_ptr()) }
    }
}

/// Declares the shim's object types: `objects!(hl_expr: hl_expr_free,
/// clone hl_expr_clone; ...)`. With a clone function the handle is also
/// `Clone`, sharing the Halide object as C++ copies do.
macro_rules! objects {
    ($($raw:ident: $free:ident $(, clone $clone:ident)?;)*) => {$(
        // SAFETY: the shim's own free function for this type.
        unsafe impl Object for sys::$raw {
            const FREE: unsafe extern "C" fn(*mut Self) = sys::$free;
        }
        $(
            impl Clone for Handle<sys::$raw> {
                fn clone(&self) -> Self {
                    // Copying a Halide handle only allocates, so failure is
                    // out of memory, fatal in Rust everywhere else too.
                    call1(sys::$clone, self).expect("out of memory copying a Halide handle")
                }
            }
        )?
    )*};
}
objects! {
    hl_expr: hl_expr_free, clone hl_expr_clone;
    hl_var: hl_var_free, clone hl_var_clone;
    hl_target: hl_target_free, clone hl_target_clone;
    hl_loop_level: hl_loop_level_free, clone hl_loop_level_clone;
    hl_func: hl_func_free;
    hl_stage: hl_stage_free;
    hl_rdom: hl_rdom_free;
    hl_image_param: hl_image_param_free;
    hl_output_buffer: hl_output_buffer_free;
    hl_param: hl_param_free;
    hl_pipeline: hl_pipeline_free;
    hl_callable: hl_callable_free;
    hl_module: hl_module_free;
    hl_derivative: hl_derivative_free;
    hl_const_buffer: hl_const_buffer_free;
}

/// The shim pointers of `handles`, for a call that takes an array; valid
/// while the handles are borrowed (the returned value borrows them).
pub(crate) struct Ptrs<'a, T>(Vec<*const T>, PhantomData<&'a T>);

impl<'a, T: Object> Ptrs<'a, T> {
    pub(crate) fn new(handles: impl IntoIterator<Item = &'a Handle<T>>) -> Self {
        Ptrs(
            handles.into_iter().map(Handle::as_ptr).collect(),
            PhantomData,
        )
    }
}

impl<T> Ptrs<'_, T> {
    pub(crate) fn as_ptr(&self) -> *const *const T {
        self.0.as_ptr()
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

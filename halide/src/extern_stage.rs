//! Funcs computed by Rust: extern stages whose body is a closure.
//!
//! [`Func::define_extern`] makes a Func that Halide schedules like any other
//! (compute_root, compute_at, inside parallel loops) but computes by
//! calling a Rust closure with its input buffers and the region of the
//! output to fill. A closure's `Err`, or a panic, fails the pipeline call
//! with its message; the process carries on (unless the build aborts on
//! panic, `panic = "abort"`, as it then does everywhere).
//!
//! The closure is kept for the rest of the process (compiled code may call
//! it as long as it lives), and pipelines with such stages are compiled by
//! the JIT only: neither the compile cache nor ahead-of-time compilation
//! can keep code that points into this process.
//!
//! ```
//! use halide::prelude::*;
//! use halide::extern_stage::ExternInput;
//! let x = Var::new("x");
//! let mut squares = Func::new("squares");
//! squares.define([&x], &x * &x)?;
//! squares.compute_root()?;
//! // A running sum along x: sequential, so written in Rust.
//! let mut prefix = Func::new("prefix");
//! prefix.define_extern::<i32>(&[ExternInput::from(&squares)], 1, |call| {
//!     let input = call.input::<i32>(0)?;
//!     let mut out = call.output::<i32>()?;
//!     let d = out.dim(0).ok_or("no dimension 0")?;
//!     let mut sum = 0;
//!     for i in d.min..d.min + d.extent {
//!         sum += input.get(&[i]).ok_or("input too small")?;
//!         out.set(&[i], sum).map_err(|e| e.to_string())?;
//!     }
//!     Ok(())
//! })?;
//! // One call for the whole region: left inside f's loop, the stage would
//! // be called once per element, each a region of its own.
//! prefix.compute_root()?;
//! let mut f = Func::new("f");
//! f.define([&x], prefix.at([&x]) * 2)?;
//! assert_eq!(f.realize::<i32>(&[4])?.as_slice(), &[0, 2, 10, 28]);
//! # Ok::<(), halide::Error>(())
//! ```

use crate::const_buffer::ConstBuffer;
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ffi;
use crate::func::Func;
use crate::param::ImageParam;
use halide_runtime::Element;
use halide_runtime::extern_stage;
pub use halide_runtime::extern_stage::{BoundsFn, ExternCall, Region};
use halide_runtime::sys::{halide_buffer_t, halide_type_t};
use halide_sys as sys;
use std::ffi::{c_char, c_int, c_void};
use std::sync::Once;

/// An input of an extern stage: a Func, an input image, a constant
/// buffer, or (for [`Func::define_extern_c`] only) a scalar.
#[derive(Clone, Copy)]
pub enum ExternInput<'a> {
    /// A Func, realized over the region the stage asks for.
    Func(&'a Func),
    /// A pipeline input.
    Image(&'a ImageParam),
    /// A buffer embedded in the pipeline, passed whole.
    Buffer(&'a ConstBuffer),
    /// A scalar argument of the C function, computed per call (a Rust
    /// closure captures its values instead: [`Func::define_extern`]
    /// refuses this).
    Expr(&'a Expr),
}

/// How [`Func::define_extern_c`]'s function name is mangled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NameMangling {
    /// The target's: C++ with the `c_plus_plus_name_mangling` feature,
    /// else C.
    #[default]
    Default,
    /// A C name (what `extern "C"` and Rust's `#[no_mangle]` define).
    C,
    /// A C++ name, for a function defined in C++ outside `extern "C"`;
    /// the target needs the `c_plus_plus_name_mangling` feature.
    CPlusPlus,
}

impl<'a> From<&'a Func> for ExternInput<'a> {
    fn from(f: &'a Func) -> Self {
        ExternInput::Func(f)
    }
}

impl<'a> From<&'a ConstBuffer> for ExternInput<'a> {
    fn from(b: &'a ConstBuffer) -> Self {
        ExternInput::Buffer(b)
    }
}

impl<'a> From<&'a Expr> for ExternInput<'a> {
    fn from(e: &'a Expr) -> Self {
        ExternInput::Expr(e)
    }
}

impl<'a> From<&'a ImageParam> for ExternInput<'a> {
    fn from(p: &'a ImageParam) -> Self {
        ExternInput::Image(p)
    }
}

type Body = dyn Fn(&mut ExternCall<'_>) -> std::result::Result<(), String> + Send + Sync;
type Bounds = dyn Fn(usize, &[(i32, i32)]) -> Region + Send + Sync;

/// What a stage's trampoline call reaches through its state pointer.
struct State {
    name: String,
    body: Box<Body>,
    bounds: Option<Box<Bounds>>,
}

/// The shim's view of `inputs`, valid while they are borrowed; `Err` for
/// an expression that carries an error.
fn raw_inputs(inputs: &[ExternInput<'_>]) -> Result<Vec<sys::hl_extern_input>> {
    let none = sys::hl_extern_input {
        func: std::ptr::null(),
        image: std::ptr::null(),
        buffer: std::ptr::null(),
        expr: std::ptr::null(),
    };
    inputs
        .iter()
        .map(|i| {
            Ok(match i {
                ExternInput::Func(f) => sys::hl_extern_input {
                    func: f.handle().as_ptr(),
                    ..none
                },
                ExternInput::Image(p) => sys::hl_extern_input {
                    image: p.handle().as_ptr(),
                    ..none
                },
                ExternInput::Buffer(b) => sys::hl_extern_input {
                    buffer: b.handle().as_ptr(),
                    ..none
                },
                ExternInput::Expr(e) => sys::hl_extern_input {
                    expr: e.handle()?.as_ptr(),
                    ..none
                },
            })
        })
        .collect()
}

impl Func {
    /// Defines this Func as an extern stage computed by the C-ABI function
    /// `name`, for pipelines compiled ahead of time: the program that links
    /// the library defines it, in Rust with
    /// [`halide_runtime::extern_stage!`] (the user context, then one
    /// `halide_buffer_t` per input and the output). Halide asks it for
    /// bounds before computing.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::extern_stage::{ExternInput, NameMangling};
    /// let x = Var::new("x");
    /// let mut ramp = Func::new("ramp");
    /// ramp.define([&x], x.expr().clone())?;
    /// ramp.compute_root()?; // an extern stage's inputs cannot be inlined
    /// let mut stage = Func::new("stage");
    /// stage.define_extern_c::<i32>("my_rust_stage", &[ExternInput::from(&ramp)], 1, NameMangling::C)?;
    /// let dir = std::env::temp_dir().join("halide-extern-c-doc");
    /// stage.aot("with_extern")?.compile_library(&dir)?; // links against my_rust_stage
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn define_extern_c<T: Element>(
        &mut self,
        name: &str,
        inputs: &[ExternInput<'_>],
        dimensions: usize,
        mangling: NameMangling,
    ) -> Result<()> {
        let name = ffi::c_string(name)?;
        let mangling = match mangling {
            NameMangling::Default => sys::hl_name_mangling::HL_MANGLING_DEFAULT,
            NameMangling::C => sys::hl_name_mangling::HL_MANGLING_C,
            NameMangling::CPlusPlus => sys::hl_name_mangling::HL_MANGLING_CPLUSPLUS,
        };
        define_stage::<T>(self, inputs, dimensions, |f, raw, n, ty, dims, err| {
            // SAFETY: the name is a NUL-terminated string borrowed for the call.
            unsafe {
                sys::hl_func_define_extern_c(f, name.as_ptr(), raw, n, ty, dims, mangling, err)
            }
        })
    }

    /// Defines this Func as an extern stage computed by `body`, producing a
    /// `dimensions`-dimensional buffer of `T` from `inputs` (at most four).
    /// Each input is asked for the region of the output being computed
    /// (its first dimensions); [`define_extern_with_bounds`](Self::define_extern_with_bounds)
    /// says otherwise. See the [module](crate::extern_stage) docs.
    pub fn define_extern<T: Element>(
        &mut self,
        inputs: &[ExternInput<'_>],
        dimensions: usize,
        body: impl Fn(&mut ExternCall<'_>) -> std::result::Result<(), String> + Send + Sync + 'static,
    ) -> Result<()> {
        self.define_extern_state::<T>(inputs, dimensions, Box::new(body), None)
    }

    /// [`define_extern`](Self::define_extern) with the region of each input
    /// the stage reads to compute a region of its output: `bounds(i,
    /// output_region)` for input `i`.
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::extern_stage::ExternInput;
    /// let x = Var::new("x");
    /// let mut ramp = Func::new("ramp");
    /// ramp.define([&x], &x * 10)?;
    /// ramp.compute_root()?;
    /// // out(i) = ramp(i) + ramp(i + 1): needs one more input element.
    /// let mut pairs = Func::new("pairs");
    /// pairs.define_extern_with_bounds::<i32>(
    ///     &[ExternInput::from(&ramp)],
    ///     1,
    ///     |call| {
    ///         let input = call.input::<i32>(0)?;
    ///         let mut out = call.output::<i32>()?;
    ///         let d = out.dim(0).ok_or("no dimension")?;
    ///         for i in d.min..d.min + d.extent {
    ///             let v = input.get(&[i]).zip(input.get(&[i + 1])).ok_or("out of bounds")?;
    ///             out.set(&[i], v.0 + v.1).map_err(|e| e.to_string())?;
    ///         }
    ///         Ok(())
    ///     },
    ///     |_input, out| vec![(out[0].0, out[0].1 + 1)],
    /// )?;
    /// assert_eq!(pairs.realize::<i32>(&[3])?.as_slice(), &[10, 30, 50]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn define_extern_with_bounds<T: Element>(
        &mut self,
        inputs: &[ExternInput<'_>],
        dimensions: usize,
        body: impl Fn(&mut ExternCall<'_>) -> std::result::Result<(), String> + Send + Sync + 'static,
        bounds: impl Fn(usize, &[(i32, i32)]) -> Region + Send + Sync + 'static,
    ) -> Result<()> {
        self.define_extern_state::<T>(inputs, dimensions, Box::new(body), Some(Box::new(bounds)))
    }

    fn define_extern_state<T: Element>(
        &mut self,
        inputs: &[ExternInput<'_>],
        dimensions: usize,
        body: Box<Body>,
        bounds: Option<Box<Bounds>>,
    ) -> Result<()> {
        static REGISTER: Once = Once::new();
        // SAFETY: `callback` has the signature the shim declares.
        REGISTER.call_once(|| unsafe { sys::hl_set_extern_callback(Some(callback)) });
        // Compiled code calls the stage for as long as the process lives
        // (callables outlive Funcs), so its state does too.
        let state: &'static State = Box::leak(Box::new(State {
            name: self.name(),
            body,
            bounds,
        }));
        let state = std::ptr::from_ref(state).cast_mut().cast::<c_void>();
        define_stage::<T>(self, inputs, dimensions, |f, raw, n, ty, dims, err| {
            // SAFETY: the state is 'static.
            unsafe { sys::hl_func_define_extern_rust(f, state, raw, n, ty, dims, err) }
        })
    }
}

/// Defines `f` as an extern stage through `define`, one of the shim's two
/// definitions, with what both take: the Func, its inputs (and how many),
/// the output's type and dimensions, and the error slot.
fn define_stage<T: Element>(
    f: &mut Func,
    inputs: &[ExternInput<'_>],
    dimensions: usize,
    define: impl FnOnce(
        *mut sys::hl_func,
        *const sys::hl_extern_input,
        usize,
        halide_type_t,
        i32,
        *mut *mut sys::hl_error,
    ) -> bool,
) -> Result<()> {
    let dims = i32::try_from(dimensions).map_err(|_| Error::invalid("too many dimensions"))?;
    let raw = raw_inputs(inputs)?;
    let h = f.handle().mutating();
    // SAFETY: the Func and the inputs are borrowed for the call; `raw` has
    // inputs.len() elements.
    unsafe {
        ffi::call(|err| {
            define(
                h.as_ptr(),
                raw.as_ptr(),
                raw.len(),
                T::TYPE.to_raw(),
                dims,
                err,
            )
        })
    }?;
    Ok(())
}

/// The trampolines' callback: runs the stage's closure, turning errors and
/// panics into an error code and a message.
unsafe extern "C" fn callback(
    state: *mut c_void,
    buffers: *mut *mut halide_buffer_t,
    n: c_int,
    message: *mut c_char,
    capacity: usize,
) -> c_int {
    // SAFETY: state is the &'static State define_extern_state baked into
    // the code; buffers holds n valid pointers (inputs, then the output).
    let (state, buffers) = unsafe {
        (
            &*state.cast_const().cast::<State>(),
            std::slice::from_raw_parts(buffers, usize::try_from(n).unwrap_or(0)),
        )
    };
    let bounds = state
        .bounds
        .as_deref()
        .map(|b| b as &dyn Fn(usize, &[(i32, i32)]) -> Region);
    // SAFETY: Halide passes the trampoline valid buffers for the call,
    // inputs then output.
    let ran = unsafe { extern_stage::run(&state.name, buffers, &*state.body, bounds) };
    let Err(text) = ran else {
        return 0;
    };
    if !message.is_null() && capacity > 0 {
        let bytes = text.as_bytes();
        let len = bytes.len().min(capacity - 1);
        // SAFETY: message has room for `capacity` bytes; len + 1 fit.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), message.cast::<u8>(), len);
            *message.add(len) = 0;
        }
    }
    -1
}

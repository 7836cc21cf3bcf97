//! Funcs: definitions, calls, and what a Func can tell about itself.
//!
//! Scheduling a Func is in [`schedule`](crate::Schedule), realizing it by
//! JIT compilation in `realize`.

use crate::callable::Callable;
use crate::convert::{IntoArgs, IntoExpr, IntoValues, IntoVars};
use crate::error::{Error, Result};
use crate::expr::{Expr, raw_ptrs};
use crate::ffi::{self, Handle, Mutating, Ptrs, shim};
use crate::param::OutputBuffer;
use crate::rdom::RVar;
use crate::target::Target;
use crate::tuple::Tuple;
use crate::var::Var;
use halide_runtime::{Handlers, Type};
use halide_sys as sys;
use std::fmt;

pub(crate) type FuncHandle = Handle<sys::hl_func>;

/// A Halide function: a stage of a pipeline, defined over pure variables.
///
/// A `Func` is neither `Send` nor `Sync`: expressions that call it share its
/// definition with it, and Halide does not synchronise access to that.
///
/// ```
/// use halide::prelude::*;
/// let (x, y) = (Var::new("x"), Var::new("y"));
/// let mut gradient = Func::new("gradient");
/// gradient.define([&x, &y], &x + &y)?;
/// let out = gradient.realize::<i32>(&[4, 3])?;
/// assert_eq!(out.get(&[3, 2]), Some(5));
/// # Ok::<(), halide::Error>(())
/// ```
pub struct Func {
    handle: FuncHandle,
    pub(crate) jit: Jit,
}

/// What realizing a Func by JIT remembers between realizations.
#[derive(Default)]
pub(crate) struct Jit {
    /// The target of the last `compile_jit`, reused by realizations so that
    /// they run the code compiled for it.
    pub(crate) target: Option<Target>,
    /// The Func's pipeline compiled for `target`, with the staleness count
    /// (see `staleness`) it was compiled under.
    pub(crate) callable: Option<(Callable, u64)>,
    /// Where realizations' print, trace and error output goes.
    pub(crate) handlers: Handlers,
}

impl Func {
    /// A new, undefined function.
    ///
    /// # Panics
    /// If `name` contains a NUL byte.
    pub fn new(name: &str) -> Self {
        let c = ffi::c_string(name).expect("Func names cannot contain NUL bytes");
        let handle = shim!(sys::hl_func_new, Some(c.as_c_str()))
            .expect("out of memory creating a Halide Func");
        Func::from_handle(handle)
    }

    /// A new, undefined Func whose definitions must give values of
    /// `types` (a Tuple when there are several) over `dimensions`
    /// arguments: Halide refuses, with an `Err`, any definition that does
    /// not, where an untyped Func takes whatever its first definition has.
    /// Halide's `Func(types, dimensions, name)`.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let [x, y] = Var::many(["x", "y"]);
    /// let mut f = Func::with_types("f", &[Type::float(32)], 2)?;
    /// assert!(f.define([&x, &y], &x + &y).is_err()); // int32, not float32
    /// f.define([&x, &y], (&x + &y).cast::<f32>())?;
    /// assert_eq!(f.realize::<f32>(&[2, 1])?.as_slice(), &[0.0, 1.0]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn with_types(name: &str, types: &[Type], dimensions: usize) -> Result<Self> {
        let c = ffi::c_string(name)?;
        let raw: Vec<_> = types.iter().map(|t| t.to_raw()).collect();
        let dimensions = i32::try_from(dimensions)
            .map_err(|_| Error::invalid(format!("{dimensions} dimensions are too many")))?;
        // SAFETY: the name and the types are borrowed for the call; the
        // length is the array's.
        let handle = unsafe {
            ffi::call(|err| {
                sys::hl_func_new_typed(c.as_ptr(), raw.as_ptr(), raw.len(), dimensions, err)
            })
        }?;
        Ok(Func::from_handle(handle))
    }

    /// A Func around a handle the shim made (e.g. a boundary condition).
    pub(crate) fn from_handle(handle: FuncHandle) -> Self {
        Func {
            handle,
            jit: Jit::default(),
        }
    }

    pub(crate) fn handle(&self) -> &FuncHandle {
        &self.handle
    }

    /// The function's name.
    pub fn name(&self) -> String {
        shim!(sys::hl_func_name, &self.handle).unwrap_or_default()
    }

    /// Whether the function has a definition.
    pub fn is_defined(&self) -> bool {
        shim!(sys::hl_func_defined, &self.handle).unwrap_or(false)
    }

    /// Whether the function is computed by an extern stage
    /// ([`define_extern`](Func::define_extern) and its kin).
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::extern_stage::{ExternInput, NameMangling};
    /// let x = Var::new("x");
    /// let mut ramp = Func::new("ramp");
    /// ramp.define([&x], x.expr().clone())?;
    /// ramp.compute_root()?;
    /// let mut stage = Func::new("stage");
    /// stage.define_extern_c::<i32>("my_stage", &[ExternInput::from(&ramp)], 1, NameMangling::C)?;
    /// assert!(stage.is_extern()? && !ramp.is_extern()?);
    /// assert_eq!(stage.extern_function_name()?, "my_stage");
    /// assert!(ramp.extern_function_name().is_err());
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn is_extern(&self) -> Result<bool> {
        shim!(sys::hl_func_is_extern, &self.handle)
    }

    /// The C function an extern stage calls; `Err` for other functions.
    pub fn extern_function_name(&self) -> Result<String> {
        shim!(sys::hl_func_extern_function_name, &self.handle)
    }

    /// The number of pure arguments of the definition.
    pub fn dimensions(&self) -> Result<usize> {
        let n = shim!(sys::hl_func_dimensions, &self.handle)?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// The type of each value the function computes (one, unless it is a Tuple).
    pub fn output_types(&self) -> Result<Vec<Type>> {
        let n = shim!(sys::hl_func_outputs, &self.handle)?;
        (0..n)
            .map(|i| {
                let mut raw = Default::default();
                shim!(sys::hl_func_output_type, &self.handle, i, &mut raw)?;
                Type::from_raw(raw)
                    .ok_or_else(|| Error::invalid("Halide returned an unknown type code"))
            })
            .collect()
    }

    /// The buffer this function's output is realized into, to constrain
    /// (the first one's, for a Tuple: see [`output_buffers`](Self::output_buffers)).
    /// Halide requires dimension 0 to be dense by default; an interleaved
    /// output says otherwise:
    ///
    /// ```
    /// use halide::prelude::*;
    /// let [x, y, c] = Var::many(["x", "y", "c"]);
    /// let mut f = Func::new("rgb");
    /// f.define([&x, &y, &c], (&x + &y * 10 + &c * 100).cast::<u16>())?;
    /// let out = f.output_buffer()?;
    /// out.dim(0).set_stride(3)?;
    /// out.dim(2).set_stride(1)?;
    /// out.dim(2).set_extent(3)?;
    /// let mut interleaved = Buffer::<u16>::new_interleaved(4, 2, 3)?;
    /// f.realize_into(&mut interleaved)?;
    /// assert_eq!(interleaved.get(&[3, 1, 2]), Some(213));
    /// // A planar buffer breaks the constraint: Halide's message says which.
    /// let e = f.realize::<u16>(&[4, 2, 3]).unwrap_err();
    /// assert!(e.to_string().contains("stride"), "{e}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn output_buffer(&self) -> Result<OutputBuffer> {
        self.output_buffer_at(0)
    }

    /// The buffers of every output (one per Tuple element).
    pub fn output_buffers(&self) -> Result<Vec<OutputBuffer>> {
        let n = shim!(sys::hl_func_outputs, &self.handle)?;
        (0..n).map(|i| self.output_buffer_at(i)).collect()
    }

    fn output_buffer_at(&self, i: i32) -> Result<OutputBuffer> {
        let handle = shim!(sys::hl_func_output_buffer, &self.handle, i)?;
        Ok(OutputBuffer::from_handle(handle, self.dimensions()?))
    }

    /// Gives the function its pure definition: `self(vars...) = value`,
    /// where `value` is one expression or a [`Tuple`] of several.
    ///
    /// Fails with Halide's message if `value` is invalid or the variables
    /// repeat, and if the function is already defined: further definitions
    /// are [`update`](Self::update)s.
    pub fn define(&mut self, vars: impl IntoVars, value: impl IntoValues) -> Result<()> {
        let vars = vars.into_vars();
        // The shim refuses a second definition, so this is the Func's first:
        // nothing was compiled from it, and no compiled code goes stale.
        let f = self.handle.keeping_code();
        let lhs = Ptrs::new(vars.iter().map(Var::handle));
        definition(f, sys::hl_func_define, &lhs, value)
    }

    /// Adds an update definition: `self(args...) = value`, where the
    /// arguments may use [`RDom`](crate::RDom) variables and the value may
    /// call `self`. Updates run in order after the pure definition. A
    /// Tuple-valued function is updated with a Tuple of as many values.
    pub fn update(&mut self, args: impl IntoArgs, value: impl IntoValues) -> Result<()> {
        let args = args.into_args();
        definition(
            self.handle.mutating(),
            sys::hl_func_define_update,
            &raw_ptrs(&args)?,
            value,
        )
    }

    /// The number of update definitions.
    pub fn updates(&self) -> Result<usize> {
        let n = shim!(sys::hl_func_updates, &self.handle)?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// A call of this function, `self(args...)`, as an expression.
    ///
    /// The call may precede the definition; a call with the wrong number of
    /// arguments yields an expression carrying Halide's error.
    pub fn at(&self, args: impl IntoArgs) -> Expr {
        self.call(&args.into_args(), -1)
    }

    /// Value `index` of a call of this Tuple-valued function.
    pub fn value_at(&self, args: impl IntoArgs, index: usize) -> Expr {
        let index = i32::try_from(index).unwrap_or(i32::MAX);
        self.call(&args.into_args(), index)
    }

    /// A call of this Tuple-valued function: all its values. The function
    /// must be defined first, so that its number of values is known.
    pub fn at_tuple(&self, args: impl IntoArgs) -> Tuple {
        let args = args.into_args();
        match shim!(sys::hl_func_outputs, &self.handle) {
            Ok(n) => (0..n).map(|i| self.call(&args, i)).collect(),
            Err(e) => Tuple::invalid(e),
        }
    }

    fn call(&self, args: &[Expr], index: i32) -> Expr {
        Expr::build(|| {
            let ptrs = raw_ptrs(args)?;
            let f = self.handle.as_ptr();
            // SAFETY: the Func and the arguments are borrowed for the call;
            // the length is the array's.
            unsafe { ffi::call(|err| sys::hl_func_call(f, ptrs.as_ptr(), ptrs.len(), index, err)) }
        })
    }

    /// The statement Halide lowers this Func to for `target`: the loop nest
    /// its schedule produces, for inspecting a schedule.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let (x, y) = (Var::new("x"), Var::new("y"));
    /// let mut f = Func::new("f");
    /// f.define([&x, &y], &x + &y)?;
    /// f.vectorize(&x, 8)?.parallel(&y)?;
    /// let stmt = f.lowered_stmt(&Target::host()?)?;
    /// assert!(stmt.contains("par_for_f_s0_y"));      // y runs on the thread pool
    /// assert!(stmt.contains("ramp((f.s0.x.x*8)"));  // x in vectors of 8
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn lowered_stmt(&self, target: &Target) -> Result<String> {
        shim!(
            sys::hl_func_lowered_stmt,
            self.handle.keeping_code(),
            target.handle(),
            false
        )
    }

    /// [`lowered_stmt`](Self::lowered_stmt) as Halide's interactive HTML page.
    pub fn lowered_stmt_html(&self, target: &Target) -> Result<String> {
        shim!(
            sys::hl_func_lowered_stmt,
            self.handle.keeping_code(),
            target.handle(),
            true
        )
    }

    /// Makes the pipeline write this Func's values to `path` each time it
    /// is realized, for debugging, in the format the extension names:
    /// `.tiff`/`.tif`, `.mat` (MATLAB), `.npy` (NumPy), else Halide's `.tmp`.
    pub fn debug_to_file(&mut self, path: impl AsRef<std::path::Path>) -> Result<&mut Self> {
        let path = path.as_ref();
        let text = path
            .to_str()
            .ok_or_else(|| Error::invalid(format!("{} is not UTF-8", path.display())))?;
        let c = ffi::c_string(text)?;
        shim!(
            sys::hl_func_debug_to_file,
            self.handle.mutating(),
            c.as_c_str()
        )?;
        Ok(self)
    }

    /// Tells autoschedulers that dimension `var` is used over `[min, min + extent)`.
    pub fn set_estimate(
        &mut self,
        var: &Var,
        min: impl IntoExpr,
        extent: impl IntoExpr,
    ) -> Result<&mut Self> {
        let (min, extent) = (min.into_expr(), extent.into_expr());
        let f = self.handle.mutating();
        shim!(
            sys::hl_func_set_estimate,
            f,
            var.handle(),
            min.handle()?,
            extent.handle()?
        )?;
        Ok(self)
    }

    /// [`set_estimate`](Self::set_estimate) for every pure variable, in
    /// order: `f.set_estimates(&[(0, 1920), (0, 1080)])`.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let [x, y] = Var::many(["x", "y"]);
    /// let mut f = Func::new("f");
    /// f.define([&x, &y], &x + &y)?;
    /// f.set_estimates(&[(0, 1920), (0, 1080)])?;
    /// assert!(f.set_estimates(&[(0, 8)]).is_err()); // one per dimension
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn set_estimates(&mut self, ranges: &[(i32, i32)]) -> Result<&mut Self> {
        let vars = self.args()?;
        if vars.len() != ranges.len() {
            return Err(Error::invalid(format!(
                "Func {} has {} dimensions, but {} estimates were given",
                self.name(),
                vars.len(),
                ranges.len()
            )));
        }
        for (var, &(min, extent)) in vars.iter().zip(ranges) {
            self.set_estimate(var, min, extent)?;
        }
        Ok(self)
    }

    /// The values of the pure definition: one, or one per Tuple element.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let r = RDom::new("r", [(0, 3)])?;
    /// let mut f = Func::new("f");
    /// f.define([&x], &x * 2)?;
    /// f.update([r.x()], f.at([r.x()]) + 1)?;
    /// assert_eq!(f.values()?[0].to_string(), "(x*2)");
    /// assert_eq!(f.update_args(0)?[0].to_string(), "r$x");
    /// assert_eq!(f.update_values(0)?[0].to_string(), "(f(r$x) + 1)");
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn values(&self) -> Result<Vec<Expr>> {
        self.definition_exprs(-1, sys::hl_def_part::HL_DEF_VALUES)
    }

    /// The argument expressions of update `i` (0 for the first).
    pub fn update_args(&self, i: usize) -> Result<Vec<Expr>> {
        self.definition_exprs(update_index(i)?, sys::hl_def_part::HL_DEF_ARGS)
    }

    /// The values of update `i`.
    pub fn update_values(&self, i: usize) -> Result<Vec<Expr>> {
        self.definition_exprs(update_index(i)?, sys::hl_def_part::HL_DEF_VALUES)
    }

    /// The reduction variables update `i` iterates over, innermost first,
    /// with their bounds: to schedule an update whose domain was made
    /// elsewhere (an inline reduction's, say).
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// let r = RDom::new("r", [(0, 10), (0, 4)])?;
    /// let mut f = Func::new("f");
    /// f.define([&x], 0)?;
    /// f.update([&x], f.at([&x]) + r.x() * r.y())?;
    /// let rvars = f.rvars(0)?;
    /// assert_eq!(rvars.len(), 2);
    /// assert_eq!((rvars[1].name(), rvars[1].extent().to_string()), (r.y().name(), "4".into()));
    /// f.update_stage(0)?.reorder(&[&rvars[1], &rvars[0]])?;
    /// assert_eq!(f.realize::<i32>(&[1])?.as_slice(), &[270]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn rvars(&self, i: usize) -> Result<Vec<RVar>> {
        use sys::hl_def_part as P;
        let stage = update_index(i)?;
        let exprs = self.definition_exprs(stage, P::HL_DEF_RVARS)?;
        let mins = self.definition_exprs(stage, P::HL_DEF_RVAR_MINS)?;
        let extents = self.definition_exprs(stage, P::HL_DEF_RVAR_EXTENTS)?;
        Ok(exprs
            .into_iter()
            .zip(mins.into_iter().zip(extents))
            .map(|(e, (min, extent))| RVar::from_parts(e, min, extent))
            .collect())
    }

    fn definition_exprs(&self, stage: i32, part: sys::hl_def_part) -> Result<Vec<Expr>> {
        let n = shim!(sys::hl_func_definition_len, &self.handle, stage, part)?;
        (0..n)
            .map(|i| {
                shim!(sys::hl_func_definition_expr, &self.handle, stage, part, i)
                    .map(|h| Expr::from_result(Ok(h)))
            })
            .collect()
    }

    /// The pure variables of the definition, in order.
    pub fn args(&self) -> Result<Vec<Var>> {
        let n = shim!(sys::hl_func_dimensions, &self.handle)?;
        (0..n)
            .map(|i| shim!(sys::hl_func_arg, &self.handle, i).map(Var::from_handle))
            .collect()
    }
}

fn update_index(i: usize) -> Result<i32> {
    i32::try_from(i).map_err(|_| Error::invalid(format!("no update {i}")))
}

/// The shim's definitions: `f(lhs...) = values`, with Vars (a pure
/// definition) or expressions (an update) on the left.
type DefineFn<L> = unsafe extern "C" fn(
    *mut sys::hl_func,
    *const *const L,
    usize,
    *const *const sys::hl_expr,
    usize,
    *mut *mut sys::hl_error,
) -> bool;

fn definition<L>(
    f: Mutating<'_, sys::hl_func>,
    define: DefineFn<L>,
    lhs: &Ptrs<'_, L>,
    value: impl IntoValues,
) -> Result<()> {
    let values = value.into_values();
    let rhs = raw_ptrs(&values)?;
    // SAFETY: define is hl_func_define or hl_func_define_update; the Func
    // and both arrays' objects are borrowed for the call, and each array's
    // length is its own.
    unsafe {
        ffi::call(|err| {
            define(
                f.as_ptr(),
                lhs.as_ptr(),
                lhs.len(),
                rhs.as_ptr(),
                rhs.len(),
                err,
            )
        })
    }?;
    Ok(())
}

impl fmt::Debug for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Func({})", self.name())
    }
}

/// A Func defined in one expression: `lambda([&x, &y], &x + &y)` is the
/// Func `f(x, y) = x + y`, with a generated name.
///
/// ```
/// use halide::prelude::*;
/// let (x, y) = (Var::new("x"), Var::new("y"));
/// let mut f = halide::lambda([&x, &y], &x * &y)?;
/// assert_eq!(f.realize::<i32>(&[4, 4])?.get(&[3, 2]), Some(6));
/// # Ok::<(), halide::Error>(())
/// ```
pub fn lambda(vars: impl IntoVars, value: impl IntoValues) -> Result<Func> {
    let mut f = Func::from_handle(shim!(sys::hl_func_new, None::<&std::ffi::CStr>)?);
    f.define(vars, value)?;
    Ok(f)
}

//! Realizing a Func: JIT-compiling the pipeline it outputs and running it
//! over buffers the caller owns or borrows.

use crate::arg::Arg;
use crate::error::{Error, Result};
use crate::ffi;
use crate::func::Func;
use crate::handlers;
use crate::param::Binding;
use crate::target::Target;
use halide_runtime::sys::halide_buffer_t;
use halide_runtime::{Buffer, Element, HalideBufferMut, Handlers};
use halide_sys as sys;

impl Func {
    /// Sends the print, trace and error output of this function's
    /// realizations to `handlers`.
    pub fn set_handlers(&mut self, handlers: Handlers) {
        self.jit.handlers = handlers;
    }

    /// JIT-compiles the function for `target` now; later realizations use
    /// this code. Without it, the first realization compiles for
    /// [`Target::jit_from_environment`].
    pub fn compile_jit(&mut self, target: &Target) -> Result<()> {
        self.refresh()?;
        let f = self.handle().keeping_code();
        ffi::shim!(sys::hl_func_compile_jit, f, target.handle())?;
        self.jit.target = Some(target.clone());
        Ok(())
    }

    /// Drops JIT code compiled before input constraints or schedules last
    /// changed (see `ffi` and `staleness`).
    fn refresh(&mut self) -> Result<()> {
        let now = crate::staleness::current();
        if self.jit.generation.is_some_and(|g| g != now) {
            ffi::shim!(sys::hl_func_invalidate_jit, self.handle().keeping_code())?;
        }
        self.jit.generation = Some(now);
        Ok(())
    }

    fn target(&self) -> Result<Target> {
        match &self.jit.target {
            Some(t) => Ok(t.clone()),
            None => Target::jit_from_environment(),
        }
    }

    /// Computes the function over `sizes` (dimension 0 first, all mins 0)
    /// into a new buffer of element type `T`, compiling it first if needed.
    pub fn realize<T: Element>(&mut self, sizes: &[i32]) -> Result<Buffer<T>> {
        self.realize_with(sizes, &[])
    }

    /// [`realize`](Self::realize), reading the given inputs.
    pub fn realize_with<T: Element>(
        &mut self,
        sizes: &[i32],
        inputs: &[Binding<'_>],
    ) -> Result<Buffer<T>> {
        let mut out = Buffer::<T>::new(sizes)?;
        self.realize_into_with(&mut out, inputs)?;
        Ok(out)
    }

    /// Computes the function over the region `out` covers, writing into it.
    ///
    /// `out` may be an owned [`Buffer`] or a [`halide_runtime::BufferMut`]
    /// over the caller's memory; its element type must match the function's,
    /// and it is only borrowed for the duration of this call.
    pub fn realize_into(&mut self, out: &mut impl HalideBufferMut) -> Result<()> {
        self.realize_into_with(out, &[])
    }

    /// [`realize_into`](Self::realize_into), reading the given inputs. Each
    /// input's buffer is bound to its parameter for this call only.
    pub fn realize_into_with(
        &mut self,
        out: &mut impl HalideBufferMut,
        inputs: &[Binding<'_>],
    ) -> Result<()> {
        self.realize_raw(&[out.as_raw_mut_ptr()], inputs)
    }

    /// Computes every value of this Tuple-valued function into its own
    /// buffer, `outputs` in order: `f.realize_into_all(args![&mut a, &mut b])`.
    /// The buffers must have the same shape.
    pub fn realize_into_all(&mut self, outputs: &[Arg<'_>]) -> Result<()> {
        self.realize_into_all_with(outputs, &[])
    }

    /// [`realize_into_all`](Self::realize_into_all), reading the given inputs.
    pub fn realize_into_all_with(
        &mut self,
        outputs: &[Arg<'_>],
        inputs: &[Binding<'_>],
    ) -> Result<()> {
        let types = self.output_types()?;
        if outputs.len() != types.len() {
            return Err(Error::invalid(format!(
                "Func {} computes {} values, but {} output buffers were given",
                self.name(),
                types.len(),
                outputs.len()
            )));
        }
        let raws = outputs
            .iter()
            .enumerate()
            .map(|(i, a)| {
                a.output_buffer().ok_or_else(|| {
                    Error::invalid(format!("output {i} is not a buffer borrowed with `&mut`"))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.realize_raw(&raws, inputs)
    }

    fn realize_raw(
        &mut self,
        outputs: &[*mut halide_buffer_t],
        inputs: &[Binding<'_>],
    ) -> Result<()> {
        self.refresh()?;
        let target = self.target()?;
        let params: Vec<_> = inputs.iter().map(|i| i.param().as_ptr()).collect();
        let buffers: Vec<_> = inputs.iter().map(Binding::buffer).collect();
        // Realizing compiles and runs what the Func is; it changes nothing.
        let f = self.handle().keeping_code();
        let t = target.handle().as_ptr();
        handlers::run_with(&self.jit.handlers, |handlers| {
            // SAFETY: each output points to a halide_buffer_t whose shape lies
            // inside memory its owner owns or borrows mutably, and which stays
            // mutably borrowed for the whole call (the callers' `&mut`); on
            // CPU targets Halide writes elements and flags only (who owns
            // device memory a GPU target allocates is not settled yet: see
            // the GPU issue). Each input buffer is
            // borrowed by its Binding for at least this call, and the shim
            // unbinds it before returning. The Func, the params and the
            // target are borrowed; each array has its length. The handlers
            // stay valid during `run`.
            unsafe {
                ffi::call(|err| {
                    sys::hl_func_realize(
                        f.as_ptr(),
                        outputs.as_ptr(),
                        outputs.len(),
                        params.as_ptr(),
                        buffers.as_ptr(),
                        inputs.len(),
                        t,
                        handlers,
                        err,
                    )
                })
            }
            .map(drop)
        })
    }
}

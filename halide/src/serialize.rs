//! Saving a pipeline and loading it back: Halide's serialization
//! (`serialize_pipeline` / `deserialize_pipeline`), in an envelope that
//! makes loading safe for anything but deliberately forged bytes.
//!
//! Halide reads its format without checking it (a flatbuffer read
//! unverified), so damaged bytes would crash the process. The envelope,
//! `HLRSPIPE`, a format version, the payload's length and its SHA-256,
//! lets [`Pipeline::deserialize`] refuse truncated, damaged or foreign
//! bytes with an error before Halide sees them. A checksum is no
//! signature: do not load pipelines from sources you do not trust.

use crate::error::{Error, Result};
use crate::ffi;
use crate::param::Input;
use crate::pipeline::{Pipeline, PipelineHandle, split_inputs};
use halide_runtime::ArgumentInfo;
use halide_sys as sys;
use sha2::{Digest, Sha256};

const MAGIC: &[u8; 8] = b"HLRSPIPE";
const VERSION: u32 = 1;
/// Magic, version, payload length, SHA-256.
const HEADER: usize = 8 + 4 + 8 + 32;

/// `payload` in the envelope.
fn seal(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&Sha256::digest(payload));
    out.extend_from_slice(payload);
    out
}

/// The payload of an intact envelope, or why `bytes` is not one.
fn open(bytes: &[u8]) -> Result<&[u8]> {
    let refuse = |why: &str| Err(Error::invalid(format!("not a serialized pipeline: {why}")));
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return refuse("no HLRSPIPE header (only bytes `Pipeline::serialize` wrote load)");
    }
    let field = |at: usize, n: usize| &bytes[at..at + n];
    let version = u32::from_le_bytes(field(8, 4).try_into().expect("4 bytes"));
    if version != VERSION {
        return refuse(&format!(
            "envelope version {version}, this crate reads {VERSION}"
        ));
    }
    let len = u64::from_le_bytes(field(12, 8).try_into().expect("8 bytes"));
    let payload = &bytes[HEADER..];
    if payload.len() as u64 != len {
        return refuse(&format!(
            "{} bytes of payload where {len} were written",
            payload.len()
        ));
    }
    if Sha256::digest(payload).as_slice() != field(20, 32) {
        return refuse("the checksum does not match: the bytes were damaged");
    }
    Ok(payload)
}

impl Pipeline {
    /// This pipeline saved as bytes: its Funcs, their schedules and the
    /// names of its inputs, which another process (with the same Halide)
    /// loads with [`deserialize`](Self::deserialize).
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::args;
    /// let (x, gain) = (Var::new("x"), Param::<i32>::new("gain"));
    /// let mut f = Func::new("scaled");
    /// f.define([&x], &x * &gain)?;
    /// let bytes = Pipeline::new(&[&f])?.serialize()?;
    ///
    /// // Elsewhere: the same pipeline, its input bound to a Param of our own.
    /// let gain = Param::<i32>::new("gain");
    /// let loaded = Pipeline::deserialize(&bytes, &[&gain])?;
    /// let callable = loaded.compile(&Target::host()?)?;
    /// let mut out = Buffer::<i32>::new(&[4])?;
    /// callable.call(args![3, &mut out])?;
    /// assert_eq!(out.as_slice(), &[0, 3, 6, 9]);
    ///
    /// // Damaged bytes are refused before Halide reads them.
    /// assert!(Pipeline::deserialize(&bytes[..bytes.len() - 1], &[]).is_err());
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn serialize(&self) -> Result<Vec<u8>> {
        Ok(seal(&crate::cache::halide_serialization(self.handle())?))
    }

    /// The pipeline [`serialize`](Self::serialize) wrote. Its inputs named
    /// like one of `inputs` read those Params and ImageParams (a value set
    /// on a Param is the one the pipeline sees); the others get inputs of
    /// their own, passed by position to the compiled [`Callable`](crate::Callable).
    /// Bytes that are not an intact result of `serialize` are an `Err`.
    pub fn deserialize(bytes: &[u8], inputs: &[&dyn Input]) -> Result<Pipeline> {
        let payload = open(bytes)?;
        // SAFETY: an intact envelope holds what Halide's serializer wrote.
        unsafe { Pipeline::deserialize_unchecked(payload, inputs) }
    }

    /// The inputs a pipeline [`serialize`](Self::serialize) wrote reads,
    /// in name order, without loading it: what to make and pass to
    /// [`deserialize`](Self::deserialize).
    ///
    /// ```
    /// use halide::prelude::*;
    /// use halide::ArgumentKind;
    /// let (x, gain) = (Var::new("x"), Param::<f32>::new("gain"));
    /// let input = ImageParam::new::<u8>(1, "input");
    /// let mut f = Func::new("scaled");
    /// f.define([&x], input.at([&x]).cast::<f32>() * &gain)?;
    /// let bytes = Pipeline::new(&[&f])?.serialize()?;
    /// let inputs = Pipeline::deserialize_parameters(&bytes)?;
    /// let seen: Vec<_> = inputs.iter().map(|a| (&*a.name, a.kind, a.ty, a.dimensions)).collect();
    /// assert_eq!(seen, [
    ///     ("gain", ArgumentKind::InputScalar, Type::float(32), 0),
    ///     ("input", ArgumentKind::InputBuffer, Type::uint(8), 1),
    /// ]);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn deserialize_parameters(bytes: &[u8]) -> Result<Vec<ArgumentInfo>> {
        let payload = open(bytes)?;
        // SAFETY: an intact envelope holds what Halide's serializer wrote,
        // borrowed for the call with its length.
        let signature = unsafe {
            ffi::call(|err| {
                sys::hl_pipeline_deserialize_parameters(payload.as_ptr().cast(), payload.len(), err)
            })
        }?;
        crate::callable::arguments_of(&signature)
    }

    /// Loads Halide's own serialized form (a `.hlpipe` file written by
    /// `serialize_pipeline` in C++ or Python), which has no envelope.
    ///
    /// # Safety
    /// `halide_bytes` is exactly what Halide 21's `serialize_pipeline`
    /// wrote: Halide does not check its format, and other bytes can make it
    /// read out of bounds.
    pub unsafe fn deserialize_unchecked(
        halide_bytes: &[u8],
        inputs: &[&dyn Input],
    ) -> Result<Pipeline> {
        let (scalars, buffers) = split_inputs(inputs);
        // SAFETY: the bytes (valid per the contract) and the params are
        // borrowed for the call; both arrays have the inputs' length.
        let handle: PipelineHandle = unsafe {
            ffi::call(|err| {
                sys::hl_pipeline_deserialize(
                    halide_bytes.as_ptr().cast(),
                    halide_bytes.len(),
                    scalars.as_ptr(),
                    buffers.as_ptr(),
                    scalars.len(),
                    err,
                )
            })
        }?;
        Ok(Pipeline::from_handle(handle, "deserialized".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_round_trip_and_refuse_damage() {
        let payload = b"some flatbuffer".to_vec();
        let sealed = seal(&payload);
        assert_eq!(open(&sealed).unwrap(), payload.as_slice());
        for cut in [0, 7, HEADER - 1, sealed.len() - 1] {
            assert!(open(&sealed[..cut]).is_err(), "cut at {cut}");
        }
        for i in [0, 8, 12, 20, HEADER, sealed.len() - 1] {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            assert!(open(&bad).is_err(), "flipped byte {i}");
        }
        let mut longer = sealed.clone();
        longer.push(0);
        assert!(open(&longer).is_err());
        assert!(open(&seal(&[])).unwrap().is_empty());
    }
}

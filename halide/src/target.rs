//! Targets: which architecture, OS and features code is generated for.

use crate::error::{Error, Result};
use crate::ffi::{self, Handle, shim};
use halide_runtime::{DeviceApi, Element, Type};
use halide_sys as sys;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

type TargetHandle = Handle<sys::hl_target>;

/// A compilation target, such as `x86-64-linux-avx2` or `host-cuda`.
///
/// ```
/// use halide::Target;
/// let host = Target::host()?;
/// assert!(host.to_string().contains(std::env::consts::OS.replace("macos", "osx").as_str()));
/// let t: Target = "x86-64-linux-sse41".parse()?;
/// assert_eq!(t.to_string(), "x86-64-linux-sse41");
/// assert!("x86-64-linux-nonsense".parse::<Target>().is_err());
/// # Ok::<(), halide::Error>(())
/// ```
#[derive(Clone)]
pub struct Target(TargetHandle);

// SAFETY: Halide::Target is a plain value (enums and a feature bitset) with
// no shared state; each handle owns its own copy.
unsafe impl Send for Target {}
// SAFETY: as above; &Target only reads.
unsafe impl Sync for Target {}

impl Target {
    /// The machine this program runs on, with every feature it supports
    /// (GPU APIs excluded).
    pub fn host() -> Result<Self> {
        shim!(sys::hl_target_host).map(Target)
    }

    /// The target JIT compilation uses by default: `HL_JIT_TARGET` when set,
    /// else the host.
    pub fn jit_from_environment() -> Result<Self> {
        shim!(sys::hl_target_jit_from_environment).map(Target)
    }

    /// The target ahead-of-time compilation uses by default: `HL_TARGET`
    /// when set, else the host.
    ///
    /// ```
    /// // Without HL_TARGET (as in this test), the host.
    /// if std::env::var_os("HL_TARGET").is_none() {
    ///     assert_eq!(halide::Target::from_environment()?, halide::Target::host()?);
    /// }
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn from_environment() -> Result<Self> {
        shim!(sys::hl_target_from_environment).map(Target)
    }

    pub(crate) fn handle(&self) -> &TargetHandle {
        &self.0
    }

    pub(crate) fn from_handle(handle: TargetHandle) -> Self {
        Target(handle)
    }

    /// Whether the target has `feature`, named as in target strings
    /// (`avx2`, `cuda`, `no_asserts`, `trace_stores`...); `Err` for a name
    /// Halide does not know.
    ///
    /// ```
    /// use halide::Target;
    /// let t: Target = "x86-64-linux-avx2-sse41".parse()?;
    /// assert!(t.has_feature("avx2")?);
    /// assert!(!t.has_feature("avx512")?);
    /// assert!(t.has_feature("warp_drive").is_err());
    /// let t = t.with_feature("cuda")?.without_feature("avx2")?;
    /// assert_eq!(t.to_string(), "x86-64-linux-cuda-sse41");
    /// assert!(t.has_gpu_feature());
    /// assert_eq!(t.natural_vector_size::<f32>()?, 4);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn has_feature(&self, feature: &str) -> Result<bool> {
        let c = ffi::c_string(feature)?;
        shim!(sys::hl_target_has_feature, &self.0, c.as_c_str())
    }

    /// Whether this libHalide can compile for the target (it has the
    /// LLVM backend the architecture needs).
    ///
    /// ```
    /// assert!(halide::Target::host()?.supported()?);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn supported(&self) -> Result<bool> {
        shim!(sys::hl_target_supported, &self.0)
    }

    /// Whether the target has every one of `features` (C++'s
    /// `features_all_of`); `Err` for a name that is no feature.
    ///
    /// ```
    /// use halide::Target;
    /// let t: Target = "x86-64-linux-avx2-sse41".parse()?;
    /// assert!(t.has_all_features(&["avx2", "sse41"])?);
    /// assert!(!t.has_all_features(&["avx2", "avx512"])?);
    /// assert!(t.has_any_feature(&["avx2", "avx512"])?);
    /// assert!(!t.has_any_feature(&["cuda", "opencl"])?);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn has_all_features(&self, features: &[&str]) -> Result<bool> {
        Ok(self.features_had(features)?.into_iter().all(|h| h))
    }

    /// Whether the target has at least one of `features` (C++'s
    /// `features_any_of`); `Err` for a name that is no feature.
    pub fn has_any_feature(&self, features: &[&str]) -> Result<bool> {
        Ok(self.features_had(features)?.into_iter().any(|h| h))
    }

    /// For each of `features`, whether the target has it.
    fn features_had(&self, features: &[&str]) -> Result<Vec<bool>> {
        features.iter().map(|f| self.has_feature(f)).collect()
    }

    /// This target with `feature` added.
    pub fn with_feature(&self, feature: &str) -> Result<Target> {
        self.edit_feature(feature, true)
    }

    /// This target with `feature` removed.
    pub fn without_feature(&self, feature: &str) -> Result<Target> {
        self.edit_feature(feature, false)
    }

    fn edit_feature(&self, feature: &str, enable: bool) -> Result<Target> {
        let c = ffi::c_string(feature)?;
        shim!(sys::hl_target_with_feature, &self.0, c.as_c_str(), enable).map(Target)
    }

    /// Whether the target runs code on a GPU (CUDA, OpenCL, Metal, ...).
    pub fn has_gpu_feature(&self) -> bool {
        shim!(sys::hl_target_has_gpu_feature, &self.0).unwrap_or(false)
    }

    /// How many `T`s fit in one native SIMD vector: a good vectorization width.
    pub fn natural_vector_size<T: Element>(&self) -> Result<usize> {
        let n = shim!(
            sys::hl_target_natural_vector_size,
            &self.0,
            T::TYPE.to_raw()
        )?;
        Ok(usize::try_from(n).unwrap_or(1))
    }
}

/// The CPU features Halide's host detection reports: a JIT target with one
/// the host lacks would run instructions this machine does not have.
const DETECTED_CPU_FEATURES: [&str; 22] = [
    "sse41",
    "avx",
    "avx2",
    "avxvnni",
    "fma",
    "f16c",
    "avx512",
    "avx512_knl",
    "avx512_skylake",
    "avx512_cannonlake",
    "avx512_sapphirerapids",
    "avx512_zen4",
    "avx512_zen5",
    "avx10_1",
    "x86apx",
    "armv7s",
    "arm_dot_prod",
    "arm_fp16",
    "sve",
    "sve2",
    "vsx",
    "power_arch_2_07",
];

impl Target {
    /// Refuses a JIT target this process cannot run: another architecture,
    /// bit width or OS than the host's (libHalide's JIT crashes on those,
    /// and after one it failed to load, every later JIT in the process may
    /// crash too), or a CPU feature Halide found the host lacks (the code
    /// would die on an illegal instruction). Ahead of time, any target is
    /// fine.
    pub(crate) fn check_jit(&self) -> Result<()> {
        static HOST: OnceLock<Target> = OnceLock::new();
        let host = match HOST.get() {
            Some(host) => host,
            None => {
                let host = Target::host()?;
                HOST.get_or_init(|| host)
            }
        };
        let (wanted, have) = (self.to_string(), host.to_string());
        let machine = |t: &str| t.splitn(4, '-').take(3).collect::<Vec<_>>().join("-");
        let refuse = |why: String| {
            Err(Error::invalid(format!(
                "cannot JIT-compile for {wanted}: {why}; compile ahead of time \
                 (`aot`) for other machines"
            )))
        };
        if machine(&wanted) != machine(&have) {
            return refuse(format!("this machine is {}", machine(&have)));
        }
        for feature in DETECTED_CPU_FEATURES {
            if self.has_feature(feature)? && !host.has_feature(feature)? {
                return refuse(format!("this machine ({have}) lacks {feature}"));
            }
        }
        Ok(())
    }
}

/// What a target is, as its string spells it: `arch-bits-os`, then the
/// processor to tune for (`tune_...`), then features.
impl Target {
    fn parts(&self) -> Vec<String> {
        self.to_string().split('-').map(str::to_owned).collect()
    }

    /// The architecture, as target strings name it: `"x86"`, `"arm"`,
    /// `"powerpc"`, `"hexagon"`, `"wasm"` or `"riscv"`.
    ///
    /// ```
    /// let t: halide::Target = "arm-64-android-tune_generic-sve2".parse()?;
    /// assert_eq!((t.arch(), t.bits(), t.os().as_str()), ("arm".to_owned(), 64, "android"));
    /// assert_eq!(t.features(), ["sve2"]);
    /// assert_eq!(t.processor(), None);
    /// let t: halide::Target = "x86-64-linux-tune_znver4-avx2".parse()?;
    /// assert_eq!(t.processor().as_deref(), Some("znver4"));
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn arch(&self) -> String {
        self.parts().swap_remove(0)
    }

    /// The address width in bits: 32 or 64.
    pub fn bits(&self) -> u32 {
        self.parts()
            .get(1)
            .and_then(|b| b.parse().ok())
            .unwrap_or(0)
    }

    /// The operating system, as target strings name it: `"linux"`,
    /// `"windows"`, `"osx"`, `"android"`, `"ios"`, `"noos"`, ...
    pub fn os(&self) -> String {
        self.parts().get(2).cloned().unwrap_or_default()
    }

    /// The processor code is tuned for (`"znver4"` for `tune_znver4`), or
    /// `None` for the generic tuning.
    pub fn processor(&self) -> Option<String> {
        self.parts()
            .iter()
            .find_map(|p| p.strip_prefix("tune_"))
            .filter(|p| *p != "generic")
            .map(str::to_owned)
    }

    /// The features, as target strings name them, in Halide's order.
    pub fn features(&self) -> Vec<String> {
        self.parts()
            .into_iter()
            .skip(3)
            .filter(|p| !p.starts_with("tune_"))
            .collect()
    }

    /// Whether code for this target can compute in `ty` wherever the
    /// target's features may run it: 64-bit types are missing on some
    /// GPU APIs unless a feature adds them ([`supports_type_on`](Self::supports_type_on)
    /// asks about one device API).
    ///
    /// ```
    /// use halide::{Target, Type};
    /// use halide::gpu::DeviceApi;
    /// let t: Target = "x86-64-linux-opencl".parse()?;
    /// assert!(!t.supports_type(Type::float(64))?);
    /// assert!(t.supports_type(Type::int(64))?);
    /// assert!(!t.supports_type_on(Type::float(64), DeviceApi::OpenCl)?);
    /// assert!(t.with_feature("cl_doubles")?.supports_type_on(Type::float(64), DeviceApi::OpenCl)?);
    /// assert!(t.supports_device_api(DeviceApi::OpenCl)?);
    /// assert!(!t.supports_device_api(DeviceApi::Cuda)?);
    /// assert_eq!(t.maximum_buffer_size()?, i32::MAX as i64);
    /// assert_eq!(t.with_feature("large_buffers")?.maximum_buffer_size()?, i64::MAX);
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn supports_type(&self, ty: Type) -> Result<bool> {
        shim!(
            sys::hl_target_supports_type,
            &self.0,
            ty.to_raw(),
            None::<&std::ffi::CStr>
        )
    }

    /// Whether code for this target can compute in `ty` on `api`'s device.
    pub fn supports_type_on(&self, ty: Type, api: DeviceApi) -> Result<bool> {
        let name = ffi::c_string(api.feature())?;
        shim!(
            sys::hl_target_supports_type,
            &self.0,
            ty.to_raw(),
            Some(name.as_c_str())
        )
    }

    /// Whether this target runs code on `api`'s devices (it has the API's
    /// feature).
    pub fn supports_device_api(&self, api: DeviceApi) -> Result<bool> {
        let name = ffi::c_string(api.feature())?;
        shim!(sys::hl_target_supports_device_api, &self.0, name.as_c_str())
    }

    /// The largest buffer, in bytes, code for this target addresses:
    /// 2³¹ - 1 unless it has `large_buffers`.
    pub fn maximum_buffer_size(&self) -> Result<i64> {
        shim!(sys::hl_target_maximum_buffer_size, &self.0)
    }
}

impl FromStr for Target {
    type Err = Error;

    /// Parses Halide's target syntax: `arch-bits-os-feature...`, or `host`
    /// followed by features.
    fn from_str(s: &str) -> Result<Self> {
        let c = ffi::c_string(s)?;
        shim!(sys::hl_target_parse, c.as_c_str()).map(Target)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&shim!(sys::hl_target_to_string, &self.0).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Target({self})")
    }
}

impl PartialEq for Target {
    fn eq(&self, other: &Self) -> bool {
        shim!(sys::hl_target_equal, &self.0, &other.0).unwrap_or(false)
    }
}

impl Eq for Target {}

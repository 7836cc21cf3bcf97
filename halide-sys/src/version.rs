//! The Halide release this crate is written against, and the official wheels
//! that carry it. Shared by the build script and the crate through `#[path]`,
//! so the two can never disagree.

/// The Halide release the shim is written against.
pub const HALIDE_VERSION: &str = "21.0.0";

/// The major version a located Halide must have: the C++ API the shim binds
/// changes between major releases.
pub const HALIDE_VERSION_MAJOR: u32 = 21;

/// One official `halide` wheel on PyPI, pinned by its SHA-256.
///
/// The wheels differ only in the Python extension they carry; `libHalide`,
/// the headers and the tools inside are the same for every Python version,
/// so one wheel per platform is enough.
#[derive(Debug, Clone, Copy)]
pub struct Wheel {
    /// `target_os` this wheel serves.
    pub os: &'static str,
    /// `target_arch` this wheel serves.
    pub arch: &'static str,
    /// The file name as the package index lists it.
    pub filename: &'static str,
    /// Lower-case hex SHA-256 of the whole file.
    pub sha256: &'static str,
}

/// The pinned wheels, one per supported platform.
pub const WHEELS: &[Wheel] = &[
    Wheel {
        os: "linux",
        arch: "x86_64",
        filename: "halide-21.0.0-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
        sha256: "3686c2b4c9aed1e26e1e55631608b2c4a4c3fe2d4386505ba1921859adb683ab",
    },
    Wheel {
        os: "macos",
        arch: "aarch64",
        filename: "halide-21.0.0-cp311-cp311-macosx_11_0_arm64.whl",
        sha256: "91799a2db3516048f25d31ca8721c1a68d7e1268bf2f968d4d4a9b1c475110bc",
    },
    Wheel {
        os: "macos",
        arch: "x86_64",
        filename: "halide-21.0.0-cp311-cp311-macosx_11_0_x86_64.whl",
        sha256: "4c35dcf3c612a82ad1d080327a975ae47719096a92b4106634ac6f0f24a7342e",
    },
];

/// The pinned wheel for a platform, if Halide publishes one.
pub fn wheel_for(os: &str, arch: &str) -> Option<&'static Wheel> {
    WHEELS.iter().find(|w| w.os == os && w.arch == arch)
}

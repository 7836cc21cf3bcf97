//! Resident memory of the test process, for the tests that show memory
//! stays flat (shared by test binaries through `#[path]`).

/// Resident memory of this process, in bytes (software GPU devices keep
/// their device memory there too).
#[cfg(target_os = "linux")]
pub fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

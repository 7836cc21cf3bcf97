//! GPU pipelines compiled ahead of time, run by the crate's binary, which
//! links no libHalide (see `aot.rs`): the binary writes each device API's
//! results, or says why the API is unavailable; the values are checked
//! here against plain Rust. An API listed in `HALIDE_REQUIRE_GPU` must run.

use std::process::Command;

/// `gpu_scaled` with scale 0.5, on the binary's input `3x + 7y`.
fn once(x: i32, y: i32) -> f32 {
    (x * 3 + y * 7) as f32 * 0.5 + (x - y) as f32
}

fn read_f32(path: &std::path::Path) -> Vec<f32> {
    std::fs::read(path)
        .unwrap()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect()
}

#[test]
fn gpu_pipelines_run_without_libhalide() {
    let dir = std::env::temp_dir().join(format!("halide-gpu-aot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_halide-downstream"))
        .arg(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let required = std::env::var("HALIDE_REQUIRE_GPU").unwrap_or_default();
    let (w, h) = (halide_downstream::GPU_WIDTH, halide_downstream::GPU_HEIGHT);
    for api in halide_downstream::GPU_APIS {
        let once_file = dir.join(format!("gpu_{api}_once.bin"));
        if !once_file.exists() {
            let why = stdout
                .lines()
                .find(|l| l.starts_with(&format!("gpu_{api}:")));
            println!("{api}: not run: {}", why.unwrap_or("no reason given"));
            assert!(
                !required.split(',').any(|r| r == api),
                "{api} is required (HALIDE_REQUIRE_GPU) but did not run: {why:?}"
            );
            continue;
        }
        let (first, second) = (
            read_f32(&once_file),
            read_f32(&dir.join(format!("gpu_{api}_twice.bin"))),
        );
        let coords = (0..h).flat_map(|y| (0..w).map(move |x| (x, y)));
        let wrong = coords
            .zip(first.iter().zip(&second))
            .filter(|&((x, y), (&a, &b))| a != once(x, y) || b != a * 0.5 + (x - y) as f32)
            .count();
        assert_eq!(wrong, 0, "{api}");
        println!(
            "{api}: {} values right, twice over, the second from device memory",
            first.len()
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

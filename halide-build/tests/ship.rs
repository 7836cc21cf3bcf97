//! `ship` on a program laid out as halide-sys lays one out: it needs a shim
//! by absolute path, and the shim finds libHalide through its run path.
//! Tiny C stand-ins make it quick; the package check (`cargo xtask
//! package-check`) ships a real JIT program.
#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::Command;

fn cc(args: &[&str], dir: &Path) {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let out = Command::new(&cc)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{cc} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn run(exe: &Path) -> (bool, String) {
    let out = Command::new(exe)
        .env_remove("LD_LIBRARY_PATH")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn a_shipped_program_runs_without_the_build_machine_paths() {
    let root = std::env::temp_dir().join(format!("halide-build-ship-{}", std::process::id()));
    let (lib, cache, dist) = (root.join("lib"), root.join("cache"), root.join("dist"));
    for d in [&lib, &cache, &dist] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(lib.join("h.c"), "int halide_answer(void) { return 42; }\n").unwrap();
    cc(
        &[
            "-shared",
            "-fPIC",
            "-o",
            "libHalide.so",
            "-Wl,-soname,libHalide.so",
            "h.c",
        ],
        &lib,
    );
    std::fs::write(lib.join("p.c"), "int plugin(void) { return 1; }\n").unwrap();
    cc(
        &["-shared", "-fPIC", "-o", "libautoschedule_fake.so", "p.c"],
        &lib,
    );
    let shim = cache.join("libhalide_shim.so");
    std::fs::write(
        cache.join("s.c"),
        "int halide_answer(void);\nint shim_answer(void) { return halide_answer(); }\n",
    )
    .unwrap();
    let lib_s = lib.to_str().unwrap();
    cc(
        &[
            "-shared",
            "-fPIC",
            "-o",
            "libhalide_shim.so",
            "s.c",
            "-L",
            lib_s,
            "-lHalide",
            "-Wl,-rpath,$ORIGIN",
            &format!("-Wl,-rpath,{lib_s}"),
            &format!("-Wl,-soname,{}", shim.display()),
        ],
        &cache,
    );
    std::fs::write(
        root.join("main.c"),
        "#include <stdio.h>\nint shim_answer(void);\n\
         int main(void) { printf(\"answer %d\\n\", shim_answer()); return shim_answer() != 42; }\n",
    )
    .unwrap();
    cc(
        &[
            "-o",
            "app",
            "main.c",
            "-L",
            cache.to_str().unwrap(),
            "-lhalide_shim",
        ],
        &root,
    );
    assert_eq!(run(&root.join("app")), (true, "answer 42\n".to_owned()));

    let shipped = halide_build::ship(&root.join("app"), &dist).unwrap();
    assert_eq!(shipped.executable, dist.join("app"));
    let names: Vec<_> = shipped
        .libraries
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "libhalide_shim.so",
            "libHalide.so",
            "libautoschedule_fake.so"
        ]
    );

    // The build machine's libraries gone, the shipped directory still runs,
    // and the original, which named them, no longer does.
    std::fs::remove_dir_all(&lib).unwrap();
    std::fs::remove_dir_all(&cache).unwrap();
    assert_eq!(run(&shipped.executable), (true, "answer 42\n".to_owned()));
    assert!(!run(&root.join("app")).0);
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn programs_without_the_shim_are_refused() {
    let err = halide_build::ship(
        Path::new("/bin/sh"),
        &std::env::temp_dir().join("unused-ship"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("does not load the halide-sys shim"), "{err}");
    let err = halide_build::ship(
        Path::new("Cargo.toml"),
        &std::env::temp_dir().join("unused-ship"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("not an ELF file"), "{err}");
}

//! Halide tutorial lesson 11: cross-compilation.
//!
//! One pipeline, compiled to object files for other operating systems and
//! architectures from this machine. The object files' headers show that
//! each is what its target needs: ELF for Linux and Android, Mach-O for iOS,
//! COFF for Windows, each with the right machine type.

use halide::aot::OutputKind;
use halide::prelude::*;

fn main() -> halide::Result<()> {
    let (x, y) = (Var::new("x"), Var::new("y"));
    let input = ImageParam::new::<u8>(2, "input");
    let offset = Param::<u8>::new("offset");
    let mut brighter = Func::new("brighter");
    brighter.define([&x, &y], (input.at([&x, &y]) + &offset).cast::<u8>())?;
    brighter.vectorize(&x, 16)?.parallel(&y)?;
    let pipeline = Pipeline::new(&[&brighter])?;

    let dir = std::env::temp_dir().join(format!("halide-lesson-11-{}", std::process::id()));
    // (target, the bytes the object file starts with, where the machine
    // type is, the machine type)
    let cases: [(&str, &[u8], usize, u16); 5] = [
        ("x86-64-linux", b"\x7fELF", 18, 62),       // EM_X86_64
        ("arm-32-android", b"\x7fELF", 18, 40),     // EM_ARM
        ("arm-64-linux", b"\x7fELF", 18, 183),      // EM_AARCH64
        ("arm-64-ios", b"\xcf\xfa\xed\xfe", 4, 12), // Mach-O 64, CPU_TYPE_ARM (| ABI64)
        ("x86-64-windows", b"", 0, 0x8664),         // COFF: IMAGE_FILE_MACHINE_AMD64
    ];
    for (target, magic, machine_at, machine) in cases {
        let target: Target = target.parse()?;
        let name = format!("brighter_{}", target.to_string().replace('-', "_"));
        let files = pipeline
            .aot(&name)?
            .inputs(&[&input, &offset])
            .target(&target)
            .outputs(&[OutputKind::Object, OutputKind::CHeader])
            .compile(&dir)?;
        let object = std::fs::read(&files[&OutputKind::Object]).expect("the object file");
        assert!(
            object.starts_with(magic),
            "{target}: not the expected format"
        );
        let found = u16::from_le_bytes([object[machine_at], object[machine_at + 1]]);
        assert_eq!(found, machine, "{target}: wrong machine type");
        println!("{target}: {} bytes, machine type {found:#x}", object.len());
    }
    std::fs::remove_dir_all(&dir).ok();
    println!("Success!");
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}

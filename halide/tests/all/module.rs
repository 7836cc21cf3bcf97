//! Modules in memory: lowering with each linkage, compiling to files and to
//! an object in memory, linking, submodules, metadata names, autoscheduler
//! results, and errors as `Err`. Objects are read with `nm`; linked code is
//! loaded and run, and compared with plain Rust.

use halide::aot::{OutputKind, Outputs};
use halide::prelude::*;
use halide::{AutoSchedulerResults, ConstBuffer, LinkageType, Module, link_modules};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("halide-module-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An ELF target, whatever the host, for the objects `nm` reads.
fn elf() -> Target {
    "x86-64-linux-sse41".parse().unwrap()
}

/// `out(x) = input(x) * scale + offset` over an i32 input image.
fn affine(name: &str, scale: i32, offset: i32) -> Pipeline {
    let x = Var::new("x");
    let input = ImageParam::new::<i32>(1, "input");
    let mut f = Func::new(name);
    f.define([&x], input.at([&x]) * scale + offset).unwrap();
    Pipeline::new(&[&f]).unwrap()
}

/// The symbols an object or archive defines, split into global ones
/// (nm's upper-case kinds) and local ones.
fn symbols(path: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let out = Command::new("nm")
        .arg("--defined-only")
        .arg(path)
        .output()
        .expect("running nm");
    assert!(out.status.success(), "nm {}: {:?}", path.display(), out);
    let (mut global, mut local) = (BTreeSet::new(), BTreeSet::new());
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if let [_, kind, name] = parts[..] {
            match kind.chars().next().unwrap().is_ascii_uppercase() {
                true => global.insert(name.to_owned()),
                false => local.insert(name.to_owned()),
            };
        }
    }
    (global, local)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn each_linkage_decides_the_symbols_and_wrappers() {
    let dir = scratch("linkage");
    // (linkage, name, with an argv wrapper, with metadata, in the header)
    let cases = [
        (LinkageType::External, "lk_external", false, false, true),
        (LinkageType::ExternalPlusArgv, "lk_argv", true, false, true),
        (
            LinkageType::ExternalPlusMetadata,
            "lk_meta",
            true,
            true,
            true,
        ),
        (LinkageType::Internal, "lk_internal", false, false, false),
    ];
    for (linkage, name, argv, metadata, declared) in cases {
        let module = affine(name, 2, 1)
            .compile_to_module(&elf(), name, linkage)
            .unwrap();
        assert_eq!(module.name(), name);
        assert_eq!(module.target().to_string(), "x86-64-linux-sse41");
        let files = module
            .compile(&dir, &[OutputKind::Object, OutputKind::CHeader])
            .unwrap();
        assert_eq!(files[&OutputKind::Object], dir.join(format!("{name}.o")));
        assert_eq!(files[&OutputKind::CHeader], dir.join(format!("{name}.h")));
        let (global, _) = symbols(&files[&OutputKind::Object]);
        // Halide 21 gives every lowered function external linkage, even an
        // Internal one (a TODO in its LLVM code generator).
        assert!(global.contains(name), "{linkage:?}: {global:?}");
        assert_eq!(
            global.contains(&format!("{name}_argv")),
            argv,
            "{linkage:?}"
        );
        assert_eq!(
            global.contains(&format!("{name}_metadata")),
            metadata,
            "{linkage:?}"
        );
        let header = std::fs::read_to_string(&files[&OutputKind::CHeader]).unwrap();
        assert_eq!(
            header.contains(&format!("int {name}(")),
            declared,
            "{header}"
        );
        assert_eq!(
            header.contains(&format!("int {name}_argv(void **args)")),
            argv
        );
        assert_eq!(header.contains(&format!("{name}_metadata()")), metadata);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_static_library_and_its_headers_are_written() {
    let dir = scratch("library");
    let target = Target::host().unwrap();
    let module = affine("lib_f", 3, 0)
        .compile_to_module(&target, "lib_fn", LinkageType::default())
        .unwrap();
    let kinds = [
        OutputKind::StaticLibrary,
        OutputKind::CHeader,
        OutputKind::FunctionInfoHeader,
        OutputKind::Stmt,
    ];
    let files = module.compile(&dir, &kinds).unwrap();
    assert_eq!(files.keys().copied().collect::<Vec<_>>(), {
        let mut k = kinds.to_vec();
        k.sort();
        k
    });
    for (kind, path) in &files {
        let expected = dir.join(format!("lib_fn{}", kind.extension(&target).unwrap()));
        assert_eq!(path, &expected);
        assert!(
            std::fs::metadata(path).unwrap().len() > 0,
            "{kind:?} is empty"
        );
    }
    let (global, _) = symbols(&files[&OutputKind::StaticLibrary]);
    for symbol in ["lib_fn", "lib_fn_argv", "lib_fn_metadata"] {
        assert!(global.contains(symbol), "{symbol} missing");
    }
    let header = std::fs::read_to_string(&files[&OutputKind::CHeader]).unwrap();
    assert!(header.contains("int lib_fn(struct halide_buffer_t *_input_buffer"));
    let stmt = std::fs::read_to_string(&files[&OutputKind::Stmt]).unwrap();
    assert!(stmt.contains("produce lib_f"));

    // The same module to files of the caller's names.
    let named = Outputs::from([
        (OutputKind::Object, dir.join("custom_object.o")),
        (OutputKind::Stmt, dir.join("custom.txt")),
    ]);
    module.compile_to_files(&named).unwrap();
    assert!(symbols(&dir.join("custom_object.o")).0.contains("lib_fn"));
    assert_eq!(
        std::fs::read_to_string(dir.join("custom.txt")).unwrap(),
        stmt
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn compile_to_buffer_is_the_object_compile_writes() {
    let dir = scratch("buffer");
    let module = affine("buf_f", 5, -2)
        .compile_to_module(&elf(), "buf_fn", LinkageType::ExternalPlusArgv)
        .unwrap();
    let object = module.compile_to_buffer().unwrap();
    assert_eq!(&object[..4], b"\x7fELF");
    assert!(contains(&object, b"buf_fn\0"));
    let in_memory = dir.join("in_memory.o");
    std::fs::write(&in_memory, &object).unwrap();
    let written = module.compile(&dir, &[OutputKind::Object]).unwrap();
    let (from_memory, _) = symbols(&in_memory);
    assert!(from_memory.contains("buf_fn") && from_memory.contains("buf_fn_argv"));
    assert_eq!(from_memory, symbols(&written[&OutputKind::Object]).0);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The functions linked into one object: both are there, and both, loaded
/// and called, compute what plain Rust computes.
#[cfg(target_os = "linux")]
#[test]
fn linked_modules_compute_like_rust() {
    use halide_runtime::sys::{halide_buffer_t, halide_dimension_t};
    use std::ffi::c_int;

    let dir = scratch("link");
    let target = Target::host().unwrap();
    let up = affine("up_f", 3, 1)
        .compile_to_module(&target, "up", LinkageType::External)
        .unwrap();
    let down = affine("down_f", 1, -7)
        .compile_to_module(&target, "down", LinkageType::External)
        .unwrap();
    let linked = link_modules("up_and_down", &[up, down]).unwrap();
    assert_eq!(linked.name(), "up_and_down");
    let object = linked.compile(&dir, &[OutputKind::Object]).unwrap()[&OutputKind::Object].clone();
    let (global, _) = symbols(&object);
    assert!(
        global.contains("up") && global.contains("down"),
        "{global:?}"
    );

    let library = dir.join("libup_and_down.so");
    let cc = std::env::var_os("CC").unwrap_or_else(|| "cc".into());
    let status = Command::new(cc)
        .args(["-shared", "-Wl,-Bsymbolic", "-o"])
        .arg(&library)
        .arg(&object)
        .args(["-lpthread", "-ldl", "-lm"])
        .status()
        .expect("running the C compiler");
    assert!(status.success());
    type Pipeline2 = unsafe extern "C" fn(*mut halide_buffer_t, *mut halide_buffer_t) -> c_int;
    // SAFETY: the library is the object just compiled, whose functions
    // `up` and `down` take an input and an output buffer.
    let lib = unsafe { libloading::Library::new(&library) }.unwrap();
    let input: Vec<i32> = (0..16).map(|i| i * i - 40).collect();
    for (name, expected) in [
        (
            &b"up"[..],
            input.iter().map(|v| v * 3 + 1).collect::<Vec<_>>(),
        ),
        (b"down", input.iter().map(|v| v - 7).collect()),
    ] {
        // SAFETY: the symbol is a function of that signature (above).
        let f = unsafe { lib.get::<Pipeline2>(name) }.unwrap();
        let mut data_in = input.clone();
        let mut data_out = vec![0i32; input.len()];
        let mut dim_in = halide_dimension_t {
            min: 0,
            extent: 16,
            stride: 1,
            flags: 0,
        };
        let mut dim_out = dim_in;
        let raw = |host: *mut i32, dim: &mut halide_dimension_t| halide_buffer_t {
            host: host.cast(),
            type_: <i32 as Element>::TYPE.to_raw(),
            dimensions: 1,
            dim,
            ..Default::default()
        };
        let mut b_in = raw(data_in.as_mut_ptr(), &mut dim_in);
        let mut b_out = raw(data_out.as_mut_ptr(), &mut dim_out);
        // SAFETY: both buffers describe live vectors of 16 i32 each, and
        // outlive the call.
        assert_eq!(unsafe { f(&mut b_in, &mut b_out) }, 0);
        assert_eq!(data_out, expected);
    }
    drop(lib);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn linking_checks_its_modules() {
    let a = affine("ln_a", 1, 0)
        .compile_to_module(&elf(), "ln_a", LinkageType::External)
        .unwrap();
    let other: Target = "arm-64-linux".parse().unwrap();
    let b = affine("ln_b", 1, 0)
        .compile_to_module(&other, "ln_b", LinkageType::External)
        .unwrap();
    let err = link_modules("mixed", &[a.clone(), b]).unwrap_err();
    assert!(err.to_string().contains("Mismatched targets"), "{err}");
    assert!(link_modules("nothing", &[]).is_err());
    // Two functions of one name: an object holds one, so LLVM would drop
    // the other silently.
    let twin = affine("ln_twin", 2, 0)
        .compile_to_module(&elf(), "ln_a", LinkageType::External)
        .unwrap();
    let err = link_modules("twins", &[a.clone(), twin]).unwrap_err();
    assert!(
        err.to_string().contains("two functions are named ln_a"),
        "{err}"
    );
    // Submodules would be dropped: refused until resolved into buffers.
    let mut outer = Module::new("ln_outer", &elf()).unwrap();
    outer.append(&a).unwrap();
    let err = link_modules("nested", &[outer.clone()]).unwrap_err();
    assert!(err.to_string().contains("resolve them first"), "{err}");
    let resolved = outer.resolve_submodules().unwrap();
    assert!(link_modules("flat", &[resolved]).is_ok());
}

#[test]
fn appended_modules_are_submodules_until_resolved() {
    let target = elf();
    let inner_a = affine("sub_a", 2, 0)
        .compile_to_module(&target, "sub_a", LinkageType::External)
        .unwrap();
    let mut inner_b = affine("sub_b", 3, 0)
        .compile_to_module(&target, "sub_b", LinkageType::ExternalPlusMetadata)
        .unwrap();
    let mut outer = Module::new("outer", &target).unwrap();
    assert!(outer.submodules().unwrap().is_empty());
    outer.append(&inner_a).unwrap();
    outer.append(&inner_b).unwrap();
    // What was appended is a copy: changing the original later changes
    // nothing in the outer module.
    inner_b.remap_metadata_name("input", "renamed").unwrap();
    let subs = outer.submodules().unwrap();
    let names: Vec<&str> = subs.iter().map(Module::name).collect();
    assert_eq!(names, ["sub_a", "sub_b"]);
    assert!(subs[1].metadata_name_map().unwrap().is_empty());

    let resolved = outer.resolve_submodules().unwrap();
    assert!(resolved.submodules().unwrap().is_empty());
    assert_eq!(outer.submodules().unwrap().len(), 2, "resolving copies");
    let buffers = resolved.buffers().unwrap();
    let names: Vec<&str> = buffers.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["sub_a", "sub_b"]);
    for (b, symbol) in buffers.iter().zip([&b"sub_a\0"[..], b"sub_b_metadata\0"]) {
        assert_eq!(b.ty, <u8 as Element>::TYPE);
        assert_eq!(b.dims.len(), 1);
        assert_eq!(b.dims[0].extent as usize, b.data.len());
        assert_eq!(&b.data[..4], b"\x7fELF", "{} is an object", b.name);
        assert!(contains(&b.data, symbol));
    }
    // Compiling resolves them first; no code here reads the buffers, so
    // the object is the runtime's alone.
    let object = outer.compile_to_buffer().unwrap();
    assert_eq!(&object[..4], b"\x7fELF");
    assert!(!contains(&object, b"sub_b_metadata\0"));
    // A module without submodules resolves to a copy of itself.
    let plain = inner_a.resolve_submodules().unwrap();
    assert_eq!(plain.name(), "sub_a");
    assert!(plain.buffers().unwrap().is_empty());
}

#[test]
fn constant_buffers_are_listed_with_their_data() {
    let values: Vec<i16> = (0..12).map(|v| v * 100 - 550).collect();
    let table = ConstBuffer::new(
        "cb_table",
        &Buffer::from_vec(values.clone(), &[4, 3]).unwrap(),
    )
    .unwrap();
    let (x, y) = (Var::new("x"), Var::new("y"));
    let mut f = Func::new("cb_f");
    f.define([&x, &y], table.at([&x, &y]) + 1).unwrap();
    let module = Pipeline::new(&[&f])
        .unwrap()
        .compile_to_module(&elf(), "cb_fn", LinkageType::External)
        .unwrap();
    let buffers = module.buffers().unwrap();
    assert_eq!(buffers.len(), 1);
    let b = &buffers[0];
    assert_eq!(b.name, "cb_table");
    assert_eq!(b.ty, <i16 as Element>::TYPE);
    assert_eq!(
        b.dims,
        [halide::Dim::new(0, 4, 1), halide::Dim::new(0, 3, 4)]
    );
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_ne_bytes()).collect();
    assert_eq!(b.data, bytes);
}

/// A GPU target's kernels are a constant buffer of the host module, not a
/// submodule; compiling needs no GPU.
#[test]
fn a_gpu_module_holds_its_kernel_source() {
    let dir = scratch("gpu");
    let [x, bx, tx] = Var::many(["x", "bx", "tx"]);
    let input = ImageParam::new::<f32>(1, "input");
    let mut f = Func::new("gpu_f");
    f.define([&x], input.at([&x]) * 2.0f32).unwrap();
    f.gpu_tile(&[halide::GpuTile {
        var: &x,
        block: &bx,
        thread: &tx,
        size: 16,
    }])
    .unwrap();
    let target = elf().with_feature("opencl").unwrap();
    let module = Pipeline::new(&[&f])
        .unwrap()
        .compile_to_module(&target, "gpu_fn", LinkageType::default())
        .unwrap();
    assert!(module.submodules().unwrap().is_empty());
    let buffers = module.buffers().unwrap();
    let kernels = buffers
        .iter()
        .find(|b| b.name.ends_with("_gpu_source_kernels"))
        .unwrap_or_else(|| panic!("no kernel source among {buffers:?}"));
    let source = String::from_utf8_lossy(&kernels.data);
    assert!(source.contains("__kernel"), "{source}");
    let files = module
        .compile(&dir, &[OutputKind::StaticLibrary, OutputKind::DeviceCode])
        .unwrap();
    assert!(
        symbols(&files[&OutputKind::StaticLibrary])
            .0
            .contains("gpu_fn")
    );
    let device = std::fs::read_to_string(&files[&OutputKind::DeviceCode]).unwrap();
    assert!(device.contains("__kernel"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn remapped_names_reach_the_metadata() {
    let dir = scratch("remap");
    let mut module = affine("rm_f", 1, 1)
        .compile_to_module(&elf(), "rm_fn", LinkageType::ExternalPlusMetadata)
        .unwrap();
    assert!(module.metadata_name_map().unwrap().is_empty());
    let before = module.clone();
    module.remap_metadata_name("input", "rm_source").unwrap();
    module.remap_metadata_name("rm_f", "rm_result").unwrap();
    let map = module.metadata_name_map().unwrap();
    assert_eq!(map.len(), 2);
    assert_eq!(map["input"], "rm_source");
    assert_eq!(map["rm_f"], "rm_result");
    // Halide asserts these; here they are errors.
    assert!(module.remap_metadata_name("input", "again").is_err());
    assert!(module.remap_metadata_name("x", "input").is_err());
    // A clone is a copy: the earlier one kept no remapping.
    assert!(before.metadata_name_map().unwrap().is_empty());
    assert_eq!(module.clone().metadata_name_map().unwrap(), map);

    let files = module
        .compile(&dir, &[OutputKind::FunctionInfoHeader])
        .unwrap();
    let info = std::fs::read_to_string(&files[&OutputKind::FunctionInfoHeader]).unwrap();
    assert!(info.contains("{\"rm_source\", "), "{info}");
    assert!(info.contains("{\"rm_result\", "), "{info}");
    assert!(!info.contains("{\"input\", "), "{info}");
    let object = module.compile_to_buffer().unwrap();
    assert!(contains(&object, b"rm_source\0"));
    assert!(!contains(
        &before.compile_to_buffer().unwrap(),
        b"rm_source\0"
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn autoscheduler_results_travel_with_the_module() {
    let dir = scratch("autoschedule");
    let (x, y) = (Var::new("x"), Var::new("y"));
    let input = ImageParam::new::<f32>(2, "input");
    input.dim(0).set_estimate(0, 512).unwrap();
    input.dim(1).set_estimate(0, 512).unwrap();
    let mut f = Func::new("as_f");
    f.define([&x, &y], input.at((&x, &y)) * 2.0f32).unwrap();
    f.set_estimate(&x, 0, 512)
        .unwrap()
        .set_estimate(&y, 0, 512)
        .unwrap();
    let pipeline = Pipeline::new(&[&f]).unwrap();
    let target = Target::host().unwrap();
    let params = [("parallelism", "4")];
    let source = pipeline
        .auto_schedule(&target, halide::Autoscheduler::Mullapudi2016, &params)
        .unwrap()
        .schedule_source;
    let mut module = pipeline
        .compile_to_module(&target, "as_fn", LinkageType::default())
        .unwrap();
    assert!(module.auto_scheduler_results().unwrap().is_none());
    let results = AutoSchedulerResults {
        target: target.clone(),
        autoscheduler: "Mullapudi2016".into(),
        params: params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        schedule_source: source.clone(),
        featurization: vec![0, 1, 2, 255],
    };
    module.set_auto_scheduler_results(&results).unwrap();
    assert!(module.set_auto_scheduler_results(&results).is_err());
    for m in [
        &module,
        &module.clone(),
        &module.resolve_submodules().unwrap(),
    ] {
        let back = m.auto_scheduler_results().unwrap().unwrap();
        assert_eq!(back.target.to_string(), target.to_string());
        assert_eq!(back.autoscheduler, "Mullapudi2016");
        assert_eq!(back.params, results.params);
        assert_eq!(back.schedule_source, source);
        assert_eq!(back.featurization, [0, 1, 2, 255]);
    }
    let files = module.compile(&dir, &[OutputKind::Schedule]).unwrap();
    let schedule = std::fs::read_to_string(&files[&OutputKind::Schedule]).unwrap();
    for line in source.lines().map(str::trim).filter(|l| !l.is_empty()) {
        assert!(schedule.contains(line), "{line:?} missing from {schedule}");
    }
    assert!(schedule.contains("Mullapudi2016"), "{schedule}");
    // Linking keeps functions only.
    let linked = link_modules("as_linked", &[module]).unwrap();
    assert!(linked.auto_scheduler_results().unwrap().is_none());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn explicit_inputs_keep_their_order() {
    let x = Var::new("x");
    let (gain, input) = (
        Param::<i32>::new("gain"),
        ImageParam::new::<i32>(1, "input"),
    );
    let mut f = Func::new("ord_f");
    f.define([&x], input.at([&x]) * &gain).unwrap();
    let pipeline = Pipeline::new(&[&f]).unwrap();
    let dir = scratch("inputs");
    let header = |m: Module| {
        let files = m.compile(&dir, &[OutputKind::CHeader]).unwrap();
        std::fs::read_to_string(&files[&OutputKind::CHeader]).unwrap()
    };
    let inferred = pipeline
        .compile_to_module(&elf(), "ord_inferred", LinkageType::External)
        .unwrap();
    assert!(
        header(inferred)
            .contains("ord_inferred(struct halide_buffer_t *_input_buffer, int32_t _gain")
    );
    let given = pipeline
        .compile_to_module_with_inputs(&elf(), "ord_given", LinkageType::External, &[&gain, &input])
        .unwrap();
    assert!(
        header(given).contains("ord_given(int32_t _gain, struct halide_buffer_t *_input_buffer")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_requests_are_errors() {
    let dir = scratch("errors");
    let pipeline = affine("err_f", 1, 0);
    for name in ["", "1st", "has space", "a-b", "ns::", "::f"] {
        assert!(
            pipeline
                .compile_to_module(&elf(), name, LinkageType::External)
                .is_err(),
            "{name:?}"
        );
    }
    // Namespaced names are C++ functions in namespaces.
    let cpp = elf().with_feature("c_plus_plus_name_mangling").unwrap();
    let namespaced = pipeline
        .compile_to_module(&cpp, "outer_ns::err_fn", LinkageType::External)
        .unwrap();
    let files = namespaced.compile(&dir, &[OutputKind::CHeader]).unwrap();
    assert_eq!(files[&OutputKind::CHeader], dir.join("err_fn.h"));
    let header = std::fs::read_to_string(&files[&OutputKind::CHeader]).unwrap();
    assert!(header.contains("namespace outer_ns"), "{header}");

    // An undefined output.
    let undefined = Pipeline::new(&[&Func::new("err_undefined")]).unwrap();
    assert!(
        undefined
            .compile_to_module(&elf(), "undefined", LinkageType::External)
            .is_err()
    );

    let module = pipeline
        .compile_to_module(&elf(), "err_fn", LinkageType::External)
        .unwrap();
    // Paths that cannot be written, for kinds Halide writes through LLVM
    // and through C++ streams.
    for kind in [OutputKind::Object, OutputKind::CHeader, OutputKind::Stmt] {
        let missing = Outputs::from([(kind, dir.join("no/such/dir/file"))]);
        assert!(module.compile_to_files(&missing).is_err(), "{kind:?}");
        let a_dir = Outputs::from([(kind, dir.clone())]);
        assert!(module.compile_to_files(&a_dir).is_err(), "{kind:?}");
    }
    assert!(module.compile_to_files(&Outputs::new()).is_err());
    let blocked = dir.join("a_file");
    std::fs::write(&blocked, b"").unwrap();
    assert!(
        module
            .compile(blocked.join("sub"), &[OutputKind::Object])
            .is_err()
    );
    // Kinds that need the pipeline.
    for kind in [OutputKind::Hlpipe, OutputKind::CompilerLog] {
        let err = module.compile(&dir, &[kind]).unwrap_err();
        assert!(err.to_string().contains(kind.name()), "{err}");
    }
    // A module name that cannot name a file.
    let odd = Module::new("a/b", &elf()).unwrap();
    assert!(odd.compile(&dir, &[OutputKind::Stmt]).is_err());
    assert!(Module::new("nul\0name", &elf()).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

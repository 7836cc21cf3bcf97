//! Targets: parsing, printing, features and vector sizes.

use halide::prelude::*;
use halide::{ErrorKind, args};

#[test]
fn features_can_be_queried_added_and_removed() {
    let t: Target = "x86-64-linux-sse41".parse().unwrap();
    assert!(t.has_feature("sse41").unwrap());
    assert!(!t.has_feature("avx2").unwrap());
    let t2 = t
        .with_feature("avx2")
        .unwrap()
        .with_feature("no_asserts")
        .unwrap();
    assert_eq!(t2.to_string(), "x86-64-linux-avx2-no_asserts-sse41");
    assert_eq!(
        t2.without_feature("avx2")
            .unwrap()
            .without_feature("no_asserts")
            .unwrap(),
        t
    );
    assert!(!t.has_gpu_feature());
    assert!(t.with_feature("opencl").unwrap().has_gpu_feature());
    // The original is unchanged.
    assert_eq!(t.to_string(), "x86-64-linux-sse41");
}

#[test]
fn unknown_features_are_errors() {
    let t = Target::host().unwrap();
    for bad in ["avx3000", "", "cuda-avx2"] {
        let err = t.has_feature(bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert!(err.message().contains("unknown target feature"), "{err}");
        assert!(t.with_feature(bad).is_err());
    }
    assert!("host-avx3000".parse::<Target>().is_err());
}

#[test]
fn natural_vector_sizes_follow_the_features() {
    let sse: Target = "x86-64-linux-sse41".parse().unwrap();
    let avx2 = sse.with_feature("avx2").unwrap();
    assert_eq!(sse.natural_vector_size::<f32>().unwrap(), 4);
    assert_eq!(avx2.natural_vector_size::<f32>().unwrap(), 8);
    assert_eq!(avx2.natural_vector_size::<u8>().unwrap(), 32);
    assert_eq!(avx2.natural_vector_size::<f64>().unwrap(), 4);
}

#[test]
fn code_compiled_for_an_edited_target_runs() {
    let x = Var::new("x");
    let mut f = Func::new("edited_target");
    f.define([&x], &x * 2).unwrap();
    let host = Target::host().unwrap();
    let width = host.natural_vector_size::<i32>().unwrap();
    f.vectorize(&x, width as i32).unwrap();
    let t = host.with_feature("no_asserts").unwrap();
    let callable = Pipeline::new(&[&f]).unwrap().compile(&t).unwrap();
    let mut out = Buffer::<i32>::new(&[16]).unwrap();
    callable.call(args![&mut out]).unwrap();
    assert_eq!(out.get(&[15]), Some(30));
}

/// Target strings nobody wrote by hand: real pieces in any order and
/// count, and garbage. Parsing gives a target or an error, never a crash,
/// and an accepted target prints as a string that parses back to itself.
mod fuzz {
    use halide::Target;
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "host",
                "x86",
                "arm",
                "riscv",
                "wasm",
                "hexagon",
                "powerpc",
                "32",
                "64",
                "linux",
                "windows",
                "osx",
                "android",
                "ios",
                "noos",
                "avx2",
                "sse41",
                "cuda",
                "opencl",
                "vulkan",
                "vk_v13",
                "no_asserts",
                "trace_stores",
                "cuda_capability_86",
                "avx512_zen5",
                "user_context",
                "jit",
                "",
                "-",
                "x86-64",
                "host-host",
            ])
            .prop_map(str::to_owned),
            "[a-z0-9_]{0,8}",
            ".{0,6}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn target_strings_never_crash(pieces in prop::collection::vec(piece(), 0..6)) {
            let text = pieces.join("-");
            if let Ok(target) = text.parse::<Target>() {
                let printed = target.to_string();
                let again: Target = printed.parse().unwrap();
                prop_assert_eq!(again.to_string(), printed);
            }
        }
    }
}

#[test]
fn introspection_agrees_with_the_target_string_and_the_host() {
    let host = Target::host().unwrap();
    let arch = match std::env::consts::ARCH {
        "x86_64" | "x86" => "x86",
        "aarch64" | "arm" => "arm",
        other => other,
    };
    assert_eq!(host.arch(), arch);
    assert_eq!(host.bits() as usize, 8 * std::mem::size_of::<usize>());
    assert_eq!(host.os(), std::env::consts::OS.replace("macos", "osx"));
    for feature in host.features() {
        assert!(host.has_feature(&feature).unwrap(), "{feature}");
    }
    let t: Target = "riscv-32-noos-tune_generic-rvv-vector_bits_128"
        .parse()
        .unwrap();
    assert_eq!(
        (t.arch().as_str(), t.bits(), t.os().as_str()),
        ("riscv", 32, "noos")
    );
    assert_eq!(t.processor(), None);
    assert!(
        t.features().iter().any(|f| f == "rvv"),
        "{:?}",
        t.features()
    );
    for f in t.features() {
        assert!(!f.starts_with("tune_"));
    }
    // Every feature round-trips through the target it came from.
    let rebuilt = t
        .features()
        .iter()
        .filter(|f| !f.starts_with("vector_bits"))
        .fold(
            format!("{}-{}-{}", t.arch(), t.bits(), t.os())
                .parse::<Target>()
                .unwrap(),
            |acc, f| acc.with_feature(f).unwrap(),
        );
    assert!(rebuilt.has_feature("rvv").unwrap());
}

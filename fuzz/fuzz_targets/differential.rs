//! The differential fuzzer (`halide/tests/differential`) under libFuzzer:
//! each input seeds the batch generator, so the corpus is a set of seeds
//! whose batches reached new code of the bindings and the reference. A
//! disagreement panics with the batch and both values.
//!
//! `cargo +nightly fuzz run differential -- -max_total_time=600`

#![no_main]
// The test's modules, shared as they are: some of their items serve only
// the test binary.
#![allow(dead_code)]

#[path = "../../halide/tests/differential/ast.rs"]
mod ast;
#[path = "../../halide/tests/differential/batch.rs"]
mod batch;
#[path = "../../halide/tests/differential/build.rs"]
mod build;
#[path = "../../halide/tests/differential/generate.rs"]
mod generate;
#[path = "../../halide/tests/differential/harness.rs"]
mod harness;
#[path = "../../halide/tests/differential/reference.rs"]
mod reference;
#[path = "../../halide/tests/differential/ty.rs"]
mod ty;

use libfuzzer_sys::fuzz_target;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fuzz_target!(|seed: [u8; 32]| {
    // Batches compiled through the compile cache (and JIT-compiled again
    // to compare), in a cache of their own, bounded.
    static CACHE: std::sync::Once = std::sync::Once::new();
    CACHE.call_once(|| {
        halide::cache::set_settings(halide::cache::CacheSettings {
            enabled: true,
            dir: std::env::temp_dir().join("halide-fuzz-cache"),
            max_bytes: 256 << 20,
        });
    });
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let strategy = batch::BatchStrategy {
        exprs: 10,
        param_sets: 2,
    };
    let batch = strategy.new_tree(&mut runner).unwrap().current();
    if let Err(e) = harness::check(&batch, &harness::Stats::default()) {
        panic!("{batch:?}\n{e}");
    }
});

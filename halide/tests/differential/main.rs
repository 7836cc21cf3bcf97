//! Differential fuzzing of `halide` against a reference evaluator.
//!
//! # What is generated
//!
//! Random well-typed expressions (`generate.rs`), type-directed, up to 5
//! operations deep and 60 nodes, over the element types i8, i16, i32, i64,
//! u8, u16, u32, u64, f32, f64 and bool (from comparisons). Leaves are the
//! Func's variables `x` and `y`, one `Param` per type, and constants biased
//! toward edge cases (type limits, powers of two and their neighbours,
//! few-bit patterns, NaN, infinities, subnormals, signed zeros). Operations:
//! `+ - * / %` (also between mixed types, and with Rust `i32`/`f64`
//! literals on either side, which take the other operand's type), `min`,
//! `max`, `clamp`, `select`, `mux`, comparisons, `and`/`or`/`!`, bitwise
//! `& | ^ !`, shifts `<< >>` (amounts of any integer type, negative ones
//! included), unary `-`, `abs`, `absd`, `popcount`,
//! `count_leading_zeros`/`count_trailing_zeros`, `widening_add/sub/mul`,
//! `saturating_add/sub`, `halving_add/sub`, `rounding_halving_add`,
//! `mul_shift_right` and `rounding_mul_shift_right`, casts between all
//! types, `saturating_cast`, `reinterpret`; for floats also `floor`,
//! `ceil`, `round`, `trunc`, `fract`, `sqrt`, `is_nan`, `is_inf`,
//! `is_finite`. Each expression is built through the public API (`build.rs`)
//! and its type checked against the reference's typing rules.
//!
//! A batch (`batch.rs`) is 50 expressions compiled as one Func
//! `f(x, y, k) = mux(k, [e0, e1, ...])` (one output buffer: `harness.rs`
//! says why), scalar or with `x` vectorized by 4, 8 or 16, evaluated over
//! x in [-8, 8), y in [-2, 2) for 3 sets of Param values, and every value
//! compared with the reference (floats by value: NaN matches NaN, zero
//! matches zero of either sign). Batches with float types are compiled
//! with the `strict_float` target feature, since without it Halide
//! reassociates and contracts float arithmetic and assumes no NaN or
//! infinity, so no exact result exists; the others have no floats.
//! Where the batch's code came from the compile cache (the default: an
//! ahead-of-time build of the same lowered code, loaded from a shared
//! library), the batch is also JIT-compiled and run, and the two must
//! agree bit for bit: three ways in all. With `HALIDE_RS_CACHE=off` (CI's
//! second run) the JIT's code alone is compared with the reference.
//! proptest drives the batches from a fixed seed and shrinks a failing one
//! to one minimal expression (`BatchTree`), printed as the Rust code that
//! builds it, with its inputs and both values.
//!
//! # The reference's semantics
//!
//! `reference.rs` and `ty.rs`, after Halide 21's `IROperator.h`, `IR.h`
//! and `Type.h`: `match_types` coercion (a float wins, mixed signedness
//! meets in a signed type of the wider width); Euclidean division and
//! modulo (`operator/`, `operator%`: rounding down for positive divisors,
//! non-negative remainders, and zero for division by zero, MIN / -1
//! wrapping in 8 and 16 bits); wrapping arithmetic for unsigned types and
//! signed types of at most 16 bits (`Type::can_overflow`), overflow of
//! int32/int64 undefined; shifts of the first operand's (matched) width, a
//! negative amount shifting the other way (`operator<<`,
//! `lower_signed_shift_*`); `abs`/`absd` unsigned for integers; the
//! fixed-point intrinsics as defined there with `widen`/`narrow`; casts
//! wrapping between integers, rounding to nearest into floats, truncating
//! floats into integers; `saturating_cast` clamping to the target's range
//! (a float's range includes the infinities); `mux` giving the last value
//! for an out-of-range index; `fract(x) = x - trunc(x)`; `-x = 0 - x`;
//! IEEE arithmetic for floats in their own width.
//!
//! # Excluded, and why
//!
//! - Undefined results: int32/int64 overflow (shifts included), shifts by
//!   the width or more, float-to-int casts out of range or of NaN, `min`,
//!   `max` and `saturating_cast` of NaN, the bits of a NaN. Undefined
//!   behaviour anywhere in a run makes the whole run undefined, as Halide
//!   optimises on its absence (`reference_undefined_anywhere_spoils_the_whole_run`),
//!   so the generator redraws expressions undefined anywhere on the grid.
//! - Float `%`, `lerp`, transcendental and `fast_*` functions: not exactly
//!   specified. `lerp` (involved integer rounding rules) is left for later.
//! - Crashes and wrong code no run-time check can excuse, so the generator
//!   never draws them: `select` between two conditions
//!   (`halide_bug_partitioned_select_of_conditions`); in vectorized
//!   batches, int32 `rounding_mul_shift_right`
//!   (`halide_bug_vectorized_rounding_mul_shift_right_crashes`) and int32
//!   or int64 constants, literals and Param values of a quarter of the
//!   type's range or more (`halide_bug_vectorized_clamp_near_int_max_crashes`).
//! - Known Halide bugs (below): the generator avoids those it can predict
//!   at compile time, and a wrong value is excused (and counted, by bug)
//!   only where the reference saw the bug's trigger in that run;
//!   `HALIDE_FUZZ_STRICT=1` turns excuses into failures.
//!
//! # Cases per run
//!
//! The CI test `fuzz` checks 60 batches: 3,000 expressions, about 575,000
//! values, in about 25 s (debug build, 2 shared cores; the whole test
//! target in under 30 s). For longer runs:
//! `HALIDE_FUZZ_CASES=100000 [HALIDE_FUZZ_SEED=n] cargo test -p halide
//! --test differential -- --ignored`. To corner a batch that crashes the
//! process, `HALIDE_FUZZ_TRACE=1` prints each batch before checking it, and
//! `HALIDE_FUZZ_ONLY=n:lo..hi` checks only expressions `lo..hi` of the
//! `n`th.
//!
//! # Disagreements found
//!
//! No bug in the `halide` crate's bindings turned up (every expression
//! built has the type Halide's rules give, and computes the same values).
//! Halide 21 bugs, each with a regression test in `regressions.rs`:
//!
//! - `halide_bug_vectorized_rounding_mul_shift_right_crashes`,
//!   `halide_bug_vectorized_clamp_near_int_max_crashes`: vectorized
//!   `max(x, rounding_mul_shift_right(p, y, 20))` on int32, and
//!   `clamp(x, INT_MAX - 1, p)`, crash (SIGSEGV): loop partitioning
//!   computes loop bounds that overflow, and writes out of bounds.
//! - `halide_bug_vectorized_max_near_int_max`: vectorized `max(x, p)` is
//!   wrong for `p` near INT_MAX (loop partitioning overflows).
//! - `halide_bug_simplifier_moves_terms_into_overflow`: `a - b <= c`
//!   becomes `a <= b + c`, which overflows for large values.
//! - `halide_bug_spurious_overflow_when_compiling`: valid expressions
//!   refused for "signed integer overflow" the simplifier or loop
//!   partitioning brought about; `halide_bug_constant_eq_int_min` and
//!   `halide_bug_rounding_mul_shift_right_folding` are two of them.
//! - `halide_bug_cast_of_cast_of_float`: `u64(i64(float))` loses its inner
//!   cast (also through a same-width `reinterpret`, made a cast).
//! - `halide_bug_constant_int_to_float_double_rounding`: a 64-bit integer
//!   constant converted to float32 is rounded twice (through float64).
//! - `halide_bug_vectorized_uint64_wrapping_mul`: a wrapping uint64
//!   product is assumed nonzero.
//! - `halide_bug_partitioned_select_of_conditions`: `select(p > 0, y < 100,
//!   y <= 0)` as a condition loses its `p > 0` case when Halide partitions
//!   the loop over `y`, and takes the other branch.
//! - `halide_bug_vectorized_clamp_of_saturating_add`: vectorized,
//!   `clamp(saturating_add(x, c), 0, y >> 27)` comes out unclamped.
//! - `halide_bug_x86_float_le_nan`: with `strict_float`, `NaN <= x` is true.
//! - `halide_bug_strict_float_div_by_constant_zero`: with `strict_float`,
//!   a float division by a constant zero does not compile.
//! - `halide_bug_cse_merges_signed_zeros`, `halide_bug_abs_negative_zero_folding`:
//!   the sign of a zero is lost.
//!
//! The reference was wrong, and fixed, on undefined behaviour's reach, on
//! `saturating_cast` of NaN, and at first on `u64` products and the float
//! literals Halide refuses (the `reference_*` tests). `halide::math::mux`'s
//! doc says the index is clamped; Halide gives the last value for any
//! out-of-range index, negative ones too (`reference_mux_out_of_range_is_the_last_value`).

mod ast;
mod batch;
mod build;
mod generate;
mod harness;
mod reference;
mod regressions;
mod ty;

use batch::{Batch, BatchStrategy};
use harness::{Stats, check, check_against};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use std::time::Instant;

/// Expressions per batch, and Param sets each batch runs with.
const EXPRS: usize = 50;
const PARAM_SETS: usize = 3;

/// Checks `batches` batches drawn from `seed`; panics with the shrunk
/// failure on a disagreement.
fn run(batches: u32, seed: u64) -> Stats {
    let config = Config {
        cases: batches,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        max_shrink_iters: 1000,
        max_shrink_time: 120_000,
        ..Config::default()
    };
    let stats = Stats::default();
    let start = Instant::now();
    let strategy = BatchStrategy {
        exprs: EXPRS,
        param_sets: PARAM_SETS,
    };
    let only = only();
    let case = std::cell::Cell::new(0);
    let result = TestRunner::new(config).run(&strategy, |batch| {
        case.set(case.get() + 1);
        let batch = match &only {
            Some((n, _)) if *n != case.get() => return Ok(()),
            Some((_, range)) => Batch {
                exprs: batch.exprs[range.start..range.end.min(batch.exprs.len())].to_vec(),
                ..batch
            },
            None => batch,
        };
        check(&batch, &stats).map_err(TestCaseError::fail)
    });
    eprintln!("seed {seed}: {stats} in {:.1?}", start.elapsed());
    if let Err(e) = result {
        panic!("{e}");
    }
    stats
}

/// `HALIDE_FUZZ_ONLY=n` or `n:lo..hi`: check only the `n`th batch (from
/// 1), or only its expressions `lo..hi`, to corner one that crashes.
fn only() -> Option<(usize, std::ops::Range<usize>)> {
    let spec = std::env::var("HALIDE_FUZZ_ONLY").ok()?;
    let (n, range) = spec.split_once(':').unwrap_or((&spec, "0..1000000"));
    let (lo, hi) = range.split_once("..").expect("HALIDE_FUZZ_ONLY=n:lo..hi");
    let parse = |s: &str| s.parse::<usize>().expect("HALIDE_FUZZ_ONLY=n:lo..hi");
    Some((parse(n), parse(lo)..parse(hi)))
}

#[test]
fn fuzz() {
    let stats = run(60, 0x4841_4c49_4445);
    // The run must have compared what it claims to.
    assert_eq!(stats.exprs.get(), 3000);
    assert!(stats.compared.get() > 500_000, "{stats}");
    // With the compile cache on (the default), every batch also ran as the
    // JIT compiled it.
    if halide::cache::settings().enabled {
        assert!(stats.both_ways.get() > 500_000, "{stats}");
    }
}

/// `HALIDE_FUZZ_CASES` expressions (100,000 by default) from
/// `HALIDE_FUZZ_SEED` (by default the time).
#[test]
#[ignore = "long: run with --ignored"]
fn fuzz_long() {
    let number = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|v| v.parse::<u64>().expect(name))
    };
    let cases = number("HALIDE_FUZZ_CASES").unwrap_or(100_000);
    let seed = number("HALIDE_FUZZ_SEED").unwrap_or_else(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        now.map_or(0, |d| d.as_secs())
    });
    let batches = u32::try_from(cases.div_ceil(EXPRS as u64)).unwrap_or(u32::MAX);
    run(batches, seed);
}

/// The harness fails on a wrong value: Halide is given `x + 1` where the
/// reference evaluates `x`.
#[test]
fn a_wrong_value_fails() {
    use ast::{Bin, Lit, Node};
    let batch = Batch {
        exprs: vec![Node::X],
        params: vec![
            ty::NUMERIC
                .iter()
                .map(|t| {
                    if t.is_float() {
                        ty::Val::F(0.0)
                    } else {
                        ty::Val::I(0)
                    }
                })
                .collect(),
        ],
        vector: Some(8),
        floats: false,
    };
    check(&batch, &Stats::default()).unwrap();
    let wrong = [Node::BinLit(
        Bin::Add,
        Box::new(Node::X),
        Lit::Int(1),
        false,
    )];
    let err = check_against(&batch, &wrong, &Stats::default()).unwrap_err();
    assert!(
        err.contains("e0 disagrees: i32 = x") && err.contains("reference: -8i32"),
        "{err}"
    );
}

/// Shrinking ends at one small expression: here a "failure" is any shift.
#[test]
fn shrinking_finds_a_minimal_expression() {
    fn has_shift(n: &ast::Node) -> bool {
        matches!(n, ast::Node::Bin(ast::Bin::Shl | ast::Bin::Shr, ..))
            || n.children().into_iter().any(has_shift)
    }
    let config = Config {
        rng_seed: RngSeed::Fixed(7),
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let strategy = BatchStrategy {
        exprs: EXPRS,
        param_sets: PARAM_SETS,
    };
    let mut tree = strategy.new_tree(&mut runner).unwrap();
    assert!(
        tree.current().exprs.iter().any(has_shift),
        "the seed draws no shift"
    );
    let fails = |b: &Batch| b.exprs.iter().any(has_shift);
    let mut failing = tree.current();
    if tree.simplify() {
        loop {
            let next = if fails(&tree.current()) {
                failing = tree.current();
                tree.simplify()
            } else {
                tree.complicate()
            };
            if !next {
                break;
            }
        }
    }
    assert_eq!(failing.exprs.len(), 1, "{failing:?}");
    assert!(failing.exprs[0].size() <= 3, "{failing:?}");
    assert_eq!(failing.params.len(), 1, "{failing:?}");
}

//! Runs a batch both ways, JIT-compiled through `halide` and by the
//! reference evaluator, and compares every value.
//!
//! The batch is one Func `f(x, y, k) = mux(k, [as_i64(e0), as_i64(e1), ...])`
//! with one output buffer: each output buffer costs Halide about 50 ms of
//! compilation (its checks), an expression in a `mux` a few.

use crate::ast::Node;
use crate::batch::Batch;
use crate::build::{Ctx, Params, build};
use crate::reference::{Env, Flags, eval};
use crate::ty::{NUMERIC, Ty, Val, from_bits, to_bits};
use halide::math::{mux, reinterpret};
use halide::prelude::*;
use halide::{Callable, Error};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// The outputs' domain: x in [X0, X0 + W), y in [Y0, Y0 + H).
pub const X0: i32 = -8;
pub const W: i32 = 16;
pub const Y0: i32 = -2;
pub const H: i32 = 4;
const PER_RUN: usize = (W * H) as usize;

/// Counts over a run of the fuzzer.
#[derive(Default, Debug)]
pub struct Stats {
    pub batches: Cell<u64>,
    pub exprs: Cell<u64>,
    /// Values compared.
    pub compared: Cell<u64>,
    /// Values not compared, some result of their run being undefined.
    pub undefined: Cell<u64>,
    /// Values computed both by the compile cache's code and by the JIT's,
    /// and compared bit for bit (undefined ones included: the code is the
    /// same).
    pub both_ways: Cell<u64>,
    /// Expressions Halide refused to compile for signed overflow found
    /// while constant-folding, where the reference finds it too.
    pub rejected_overflow: Cell<u64>,
    /// Runs of an expression with a wrong value, or expressions that failed
    /// to compile for signed overflow in constant folding, excused as a
    /// known Halide bug that the reference saw a chance of (see
    /// `Flags::known_bug`), by bug; `HALIDE_FUZZ_STRICT=1` fails instead.
    pub excused: RefCell<BTreeMap<&'static str, u64>>,
    /// Expressions Halide refused to compile, with `strict_float`, for a
    /// float division by a constant zero, where the reference divides a
    /// float by zero (a Halide bug:
    /// `halide_bug_strict_float_div_by_constant_zero`).
    pub rejected_div_by_zero: Cell<u64>,
    pub compiling: Cell<Duration>,
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} batches, {} expressions, {} values compared, {} not (undefined), \
             {} cached against JIT; refused as expected: {} (overflow), {} (division by zero); \
             excused as known bugs: {:?}; {:.1?} compiling",
            self.batches.get(),
            self.exprs.get(),
            self.compared.get(),
            self.undefined.get(),
            self.both_ways.get(),
            self.rejected_overflow.get(),
            self.rejected_div_by_zero.get(),
            self.excused.borrow(),
            self.compiling.get(),
        )
    }
}

fn bump(c: &Cell<u64>, n: u64) {
    c.set(c.get() + n);
}

/// Halide's error for an overflow it finds while constant-folding.
const FOLDING: &str = "overflow occurred during constant-folding";

/// Halide refuses to compile many valid expressions for an overflow it
/// brings about itself, moving terms and constants around (the simplifier)
/// or computing loop bounds for vectorized loops (loop partitioning).
const SPURIOUS_OVERFLOW: &str = "halide_bug_spurious_overflow_when_compiling";

/// The known Halide bug that excuses a wrong result among these, if any
/// (none with `HALIDE_FUZZ_STRICT` set), counted.
fn excuse(stats: &Stats, values: &[(Val, Flags)]) -> bool {
    match values.iter().find_map(|(_, f)| f.known_bug) {
        Some(bug) => excuse_named(stats, bug, 1),
        None => false,
    }
}

/// Excuses `n` cases of the known Halide bug `bug` (unless
/// `HALIDE_FUZZ_STRICT` is set), counting them.
fn excuse_named(stats: &Stats, bug: &'static str, n: usize) -> bool {
    if std::env::var_os("HALIDE_FUZZ_STRICT").is_some() {
        return false;
    }
    *stats.excused.borrow_mut().entry(bug).or_default() += n as u64;
    true
}

/// The sign bit of a 64-bit value, flipped in u64 results (see [`as_i64`]).
const SIGN: u64 = 1 << 63;

/// The value of `e` (of type `ty`) as an `i64`: integers and bools
/// converted (none narrower), a u64 with its top bit flipped, floats'
/// bits. No wrapper makes a cast of a cast, which would trip
/// `halide_bug_cast_of_cast_of_float` (Halide normalises a reinterpret
/// between integer types of one width to a cast).
fn as_i64(e: &Expr, ty: Ty) -> Expr {
    match ty {
        Ty::I64 => e.clone(),
        Ty::U64 => reinterpret::<i64>(e ^ Expr::from(SIGN)),
        Ty::F32 => reinterpret::<u32>(e).cast::<i64>(),
        Ty::F64 => reinterpret::<i64>(e),
        _ => e.cast::<i64>(),
    }
}

/// The reference's value as [`as_i64`] makes it, as a `u64`.
fn reference_bits(ty: Ty, v: Val) -> u64 {
    match (ty, v) {
        (_, Val::B(b)) => u64::from(b),
        (Ty::U64, _) => to_bits(ty, v) ^ SIGN,
        (t, Val::I(i)) if t.is_signed() => i as i64 as u64,
        _ => to_bits(ty, v),
    }
}

/// The value of type `ty` whose [`reference_bits`] are `bits`.
fn from_output(ty: Ty, bits: u64) -> Val {
    match ty {
        Ty::Bool => Val::B(bits != 0),
        Ty::U64 => from_bits(ty, bits ^ SIGN),
        t if t.is_signed() => Val::I(i128::from(bits as i64)),
        t => from_bits(t, bits),
    }
}

/// Evaluates `node` over the grid, for each Param set in turn.
fn evaluate(node: &Node, param_sets: &[Vec<Val>]) -> Vec<(Val, Flags)> {
    let mut values = Vec::with_capacity(PER_RUN * param_sets.len());
    for params in param_sets {
        for y in Y0..Y0 + H {
            for x in X0..X0 + W {
                let mut flags = Flags::default();
                let v = eval(node, &Env { x, y, params }, &mut flags);
                values.push((v, flags));
            }
        }
    }
    values
}

/// Whether `node` is undefined anywhere on the grid with these Params
/// (the generator avoids such expressions).
pub fn undefined_anywhere(node: &Node, param_sets: &[Vec<Val>]) -> bool {
    evaluate(node, param_sets).iter().any(|(_, f)| f.undefined)
}

/// Checks `batch`: builds each expression, checks its type, compiles them
/// together and compares every value with the reference.
pub fn check(batch: &Batch, stats: &Stats) -> Result<(), String> {
    check_against(batch, &batch.exprs, stats)
}

/// [`check`], with Halide given `halide_exprs` instead of the batch's own
/// (to test that a wrong result is caught).
pub fn check_against(batch: &Batch, halide_exprs: &[Node], stats: &Stats) -> Result<(), String> {
    if std::env::var_os("HALIDE_FUZZ_TRACE").is_some() {
        eprintln!("checking {batch:?}");
    }
    bump(&stats.batches, 1);
    bump(&stats.exprs, batch.exprs.len() as u64);
    let ctx = Ctx {
        x: Var::new("x"),
        y: Var::new("y"),
        params: Params::new(),
    };
    let mut exprs = Vec::new();
    for (i, node) in halide_exprs.iter().enumerate() {
        let e = build(node, &ctx);
        let ty = e
            .type_of()
            .map_err(|err| format!("Halide rejected e{i} = {node}: {err}"))?;
        if ty != node.ty().halide() {
            return Err(format!(
                "e{i} = {node} has type {ty} in Halide, {} here",
                node.ty()
            ));
        }
        exprs.push(e);
    }
    let expected: Vec<Vec<(Val, Flags)>> = batch
        .exprs
        .iter()
        .map(|e| evaluate(e, &batch.params))
        .collect();

    let mut target = Target::host().map_err(|e| e.to_string())?;
    if batch.floats {
        target = target
            .with_feature("strict_float")
            .map_err(|e| e.to_string())?;
    }
    let inputs = ctx.params.inputs();
    let k = Var::new("k");
    // The expressions `which`, compiled together.
    let compile = |which: &[usize]| -> halide::Result<Callable> {
        let values: Vec<Expr> = which
            .iter()
            .map(|&i| as_i64(&exprs[i], halide_exprs[i].ty()))
            .collect();
        let mut f = Func::new("batch");
        f.define([&ctx.x, &ctx.y, &k], mux(&k, values))?;
        if let Some(v) = batch.vector {
            f.vectorize(&ctx.x, v)?;
        }
        Pipeline::new(&[&f])?.compile_with_inputs(&target, &inputs)
    };
    let mut kept: Vec<usize> = (0..exprs.len()).collect();
    let started = Instant::now();
    let compiled = compile(&kept);
    stats
        .compiling
        .set(stats.compiling.get() + started.elapsed());
    let callable = match compiled {
        Ok(c) => c,
        Err(_) => {
            // Find the expressions Halide refuses, by bisection.
            let all = std::mem::take(&mut kept);
            compilable(&all, &compile, &mut kept, &|i, err| {
                let node = &batch.exprs[i];
                let msg = err.message();
                let folding = msg.contains(FOLDING);
                if folding && expected[i].iter().any(|(_, f)| f.folding_overflow) {
                    bump(&stats.rejected_overflow, 1);
                    Ok(())
                } else if folding && excuse_named(stats, SPURIOUS_OVERFLOW, 1) {
                    Ok(())
                } else if msg.contains("Division by constant zero")
                    && batch.floats
                    && expected[i].iter().any(|(_, f)| f.float_div_by_zero)
                {
                    bump(&stats.rejected_div_by_zero, 1);
                    Ok(())
                } else {
                    let e = &exprs[i];
                    Err(format!(
                        "Halide failed to compile e{i} = {node}\n  (Halide: {e})\n  {err}"
                    ))
                }
            })?;
            if kept.is_empty() {
                return Ok(());
            }
            match compile(&kept) {
                Ok(c) => c,
                // Each part compiles, the whole does not.
                Err(err)
                    if err.message().contains(FOLDING)
                        && excuse_named(stats, SPURIOUS_OVERFLOW, kept.len()) =>
                {
                    return Ok(());
                }
                Err(err) => return Err(format!("compiling the batch: {err}")),
            }
        }
    };

    // The same batch JIT-compiled in this process: where `callable` came
    // from the compile cache (an ahead-of-time build of the same code), the
    // two must agree bit for bit as well as with the reference.
    let started = Instant::now();
    let jit = if callable.is_cached() {
        Some(
            halide::cache::jit_only(|| compile(&kept))
                .map_err(|err| format!("JIT-compiling the batch the cache compiled: {err}"))?,
        )
    } else {
        None
    };
    stats
        .compiling
        .set(stats.compiling.get() + started.elapsed());

    let n = i32::try_from(kept.len()).expect("a batch of at most i32::MAX expressions");
    for (run, params) in batch.params.iter().enumerate() {
        let realize = |callable: &Callable| -> Result<Buffer<i64>, String> {
            let mut out = Buffer::<i64>::new(&[W, H, n]).map_err(|e| e.to_string())?;
            out.set_min(&[X0, Y0, 0]).map_err(|e| e.to_string())?;
            let mut args = Params::args(params);
            args.push(halide::IntoArg::into_arg(&mut out));
            callable
                .call(&args)
                .map_err(|err| format!("running the batch with params #{run}: {err}"))?;
            drop(args);
            Ok(out)
        };
        let out = realize(&callable)?;
        if let Some(jit) = &jit {
            let jit_out = realize(jit)?;
            bump(&stats.both_ways, (PER_RUN * kept.len()) as u64);
            if let Some(at) =
                (0..out.as_slice().len()).find(|&i| out.as_slice()[i] != jit_out.as_slice()[i])
            {
                let i = kept[at / PER_RUN];
                return Err(format!(
                    "the cached and the JIT code of e{i} = {} disagree with params #{run}: {:#x} against {:#x}",
                    batch.exprs[i],
                    out.as_slice()[at],
                    jit_out.as_slice()[at]
                ));
            }
        }
        let range = run * PER_RUN..(run + 1) * PER_RUN;
        // Undefined behaviour anywhere in a run makes all its results
        // undefined: Halide optimises the whole loop nest assuming there
        // is none (when partitioning loops, say).
        if kept
            .iter()
            .any(|&i| expected[i][range.clone()].iter().any(|(_, f)| f.undefined))
        {
            bump(&stats.undefined, (PER_RUN * kept.len()) as u64);
            continue;
        }
        bump(&stats.compared, (PER_RUN * kept.len()) as u64);
        for (slot, &i) in kept.iter().enumerate() {
            let ty = batch.exprs[i].ty();
            let values = &expected[i][range.clone()];
            for (j, (want, _)) in values.iter().enumerate() {
                let got = out.as_slice()[slot * PER_RUN + j] as u64;
                let same = match ty {
                    Ty::F32 => got >> 32 == 0 && from_bits(ty, got).same(*want),
                    Ty::F64 => from_bits(ty, got).same(*want),
                    _ => got == reference_bits(ty, *want),
                };
                if same {
                    continue;
                }
                if excuse(stats, values) {
                    break;
                }
                let (x, y) = (X0 + (j as i32 % W), Y0 + (j as i32 / W));
                let found = Found {
                    got,
                    want: *want,
                    x,
                    y,
                };
                return Err(mismatch(batch, i, &exprs[i], params, found));
            }
        }
    }
    Ok(())
}

/// A value that differs from the reference's.
struct Found {
    got: u64,
    want: Val,
    x: i32,
    y: i32,
}

fn mismatch(batch: &Batch, i: usize, halide_expr: &Expr, params: &[Val], found: Found) -> String {
    let node = &batch.exprs[i];
    let ty = node.ty();
    let mut s = format!("e{i} disagrees: {ty} = {node}\n");
    let _ = writeln!(s, "  Halide's expression: {halide_expr}");
    let mut inputs = vec![format!("x = {}", found.x), format!("y = {}", found.y)];
    let text = node.to_string();
    for (t, v) in NUMERIC.iter().zip(params) {
        if text.contains(&format!("p_{t}")) {
            inputs.push(format!("p_{t} = {}", v.show(*t)));
        }
    }
    let _ = writeln!(s, "  at {}", inputs.join(", "));
    let _ = writeln!(s, "  reference: {}", found.want.show(ty));
    let got = from_output(ty, found.got);
    let _ = write!(
        s,
        "  Halide:    {} (output bits {:#x})",
        got.show(ty),
        found.got
    );
    s
}

/// Adds to `kept` the expressions of `set` that compile, bisecting;
/// `refused` judges each one that does not.
fn compilable(
    set: &[usize],
    compile: &impl Fn(&[usize]) -> halide::Result<Callable>,
    kept: &mut Vec<usize>,
    refused: &impl Fn(usize, Error) -> Result<(), String>,
) -> Result<(), String> {
    if set.is_empty() {
        return Ok(());
    }
    match compile(set) {
        Ok(_) => kept.extend(set),
        Err(err) if set.len() == 1 => refused(set[0], err)?,
        Err(_) => {
            let (a, b) = set.split_at(set.len() / 2);
            compilable(a, compile, kept, refused)?;
            compilable(b, compile, kept, refused)?;
        }
    }
    Ok(())
}

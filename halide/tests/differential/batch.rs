//! A batch of expressions compiled together, as proptest's test value:
//! its generation from the runner's seeded RNG and its shrinking (fewer
//! expressions, fewer inputs, smaller subexpressions).

use crate::ast::{Lit, Node};
use crate::generate::Gen;
use crate::harness::undefined_anywhere;
use crate::ty::{NUMERIC, Ty, Val};
use proptest::prelude::Rng;
use proptest::strategy::{NewTree, Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use std::fmt;

/// Expressions compiled into one pipeline (one output Func each) and the
/// Param values they run with.
#[derive(Clone)]
pub struct Batch {
    pub exprs: Vec<Node>,
    /// Sets of Param values, each in the order of `ty::NUMERIC`; the
    /// pipeline runs once per set.
    pub params: Vec<Vec<Val>>,
    /// Vectorize the outputs' `x` by this factor, or leave them scalar.
    pub vector: Option<i32>,
    /// Whether float types appear; the target then has `strict_float`.
    pub floats: bool,
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schedule = match self.vector {
            Some(v) => format!("x vectorized by {v}"),
            None => "scalar".to_owned(),
        };
        let target = if self.floats {
            "host-strict_float"
        } else {
            "host"
        };
        writeln!(
            f,
            "Batch of {} expressions ({schedule}, {target}):",
            self.exprs.len()
        )?;
        for (i, e) in self.exprs.iter().enumerate() {
            writeln!(f, "  e{i}: {} = {e}", e.ty())?;
        }
        for (k, set) in self.params.iter().enumerate() {
            let shown: Vec<String> = NUMERIC
                .iter()
                .zip(set)
                .map(|(t, v)| format!("p_{t} = {}", v.show(*t)))
                .collect();
            writeln!(f, "  params #{k}: {}", shown.join(", "))?;
        }
        Ok(())
    }
}

/// Generates batches of `exprs` expressions with `param_sets` inputs each.
#[derive(Debug, Clone, Copy)]
pub struct BatchStrategy {
    pub exprs: usize,
    pub param_sets: usize,
}

impl Strategy for BatchStrategy {
    type Tree = BatchTree;
    type Value = Batch;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let rng = runner.rng();
        let floats = rng.random_bool(0.6);
        let vector = [None, Some(4), Some(8), Some(16)][rng.random_range(0..4)];
        let mut g = Gen {
            rng,
            floats,
            vectorized: vector.is_some(),
        };
        let params: Vec<Vec<Val>> = (0..self.param_sets)
            .map(|_| NUMERIC.iter().map(|&t| g.value(t)).collect())
            .collect();
        // Expressions undefined somewhere would make their runs
        // uncomparable (see `harness`): draw again, a few times.
        let exprs = (0..self.exprs)
            .map(|_| {
                let mut e = g.root();
                for _ in 0..20 {
                    if !undefined_anywhere(&e, &params) {
                        break;
                    }
                    e = g.root();
                }
                e
            })
            .collect();
        Ok(BatchTree::new(Batch {
            exprs,
            params,
            vector,
            floats,
        }))
    }
}

/// Shrinks by trying simpler candidates one by one: a candidate that still
/// fails is accepted, and the search goes on from the same position among
/// its own candidates (which are ordered by where they simplify); at the
/// end it starts over once more if anything was accepted on the way.
pub struct BatchTree {
    accepted: Batch,
    current: Batch,
    candidates: Vec<Batch>,
    next: usize,
    accepted_this_pass: bool,
}

impl BatchTree {
    pub fn new(batch: Batch) -> Self {
        BatchTree {
            accepted: batch.clone(),
            current: batch,
            candidates: Vec::new(),
            next: 0,
            accepted_this_pass: true,
        }
    }

    fn advance(&mut self) -> bool {
        if self.next >= self.candidates.len() && self.accepted_this_pass {
            self.next = 0;
            self.accepted_this_pass = false;
        }
        match self.candidates.get(self.next) {
            Some(c) => {
                self.current = c.clone();
                self.next += 1;
                true
            }
            None => {
                self.current = self.accepted.clone();
                false
            }
        }
    }
}

impl ValueTree for BatchTree {
    type Value = Batch;

    fn current(&self) -> Batch {
        self.current.clone()
    }

    /// The current batch failed: keep it, and try its simplifications.
    fn simplify(&mut self) -> bool {
        self.accepted = self.current.clone();
        self.candidates = candidates(&self.accepted);
        self.next = self.next.saturating_sub(1);
        self.accepted_this_pass = true;
        self.advance()
    }

    /// The current candidate passed: try the next one.
    fn complicate(&mut self) -> bool {
        self.advance()
    }
}

/// Simpler batches than `b`, most promising first.
fn candidates(b: &Batch) -> Vec<Batch> {
    let mut out = Vec::new();
    let with_exprs = |exprs: Vec<Node>| Batch { exprs, ..b.clone() };
    let n = b.exprs.len();
    if n > 1 {
        out.push(with_exprs(b.exprs[..n / 2].to_vec()));
        out.push(with_exprs(b.exprs[n / 2..].to_vec()));
        if n <= 6 {
            for i in 0..n {
                let mut fewer = b.exprs.clone();
                fewer.remove(i);
                out.push(with_exprs(fewer));
            }
        }
    }
    if b.params.len() > 1 {
        for set in &b.params {
            out.push(Batch {
                params: vec![set.clone()],
                ..b.clone()
            });
        }
    }
    if b.vector.is_some() {
        out.push(Batch {
            vector: None,
            ..b.clone()
        });
    }
    if n <= 2 {
        for (i, e) in b.exprs.iter().enumerate() {
            for c in node_candidates(e) {
                let mut exprs = b.exprs.clone();
                exprs[i] = c;
                out.push(with_exprs(exprs));
            }
        }
        // Simpler Param values, for the Params still used.
        for (k, set) in b.params.iter().enumerate() {
            for (j, &t) in NUMERIC.iter().enumerate() {
                if !b.exprs.iter().any(|e| uses_param(e, t)) {
                    continue;
                }
                for v in simpler_values(set[j]) {
                    let mut params = b.params.clone();
                    params[k][j] = v;
                    out.push(Batch {
                        params,
                        ..b.clone()
                    });
                }
            }
        }
    }
    out
}

fn uses_param(e: &Node, t: Ty) -> bool {
    matches!(e, Node::Param(p) if *p == t) || e.children().iter().any(|c| uses_param(c, t))
}

/// Values strictly simpler than `v` (so that shrinking cannot cycle):
/// zero, one, half, the integer part.
fn simpler_values(v: Val) -> Vec<Val> {
    match v {
        Val::B(b) => [false].into_iter().filter(|_| b).map(Val::B).collect(),
        Val::I(i) => simpler_ints(i).into_iter().map(Val::I).collect(),
        Val::F(f) => simpler_floats(f).into_iter().map(Val::F).collect(),
    }
}

fn simpler_ints<T: Copy + Into<i128> + TryFrom<i128>>(i: T) -> Vec<T> {
    let v: i128 = i.into();
    let mut out: Vec<i128> = Vec::new();
    for s in [0, 1, v / 2] {
        if s.abs() < v.abs() && !out.contains(&s) {
            out.push(s);
        }
    }
    out.into_iter()
        .filter_map(|s| T::try_from(s).ok())
        .collect()
}

fn simpler_floats(f: f64) -> Vec<f64> {
    let mut out = Vec::new();
    if f.to_bits() != 0 {
        out.push(0.0);
    }
    if f.is_nan() || f.abs() > 1.0 {
        out.push(1.0);
    }
    if f.is_finite() && f.trunc() != f {
        out.push(f.trunc());
    }
    out
}

/// Expressions of the same type, simpler than `e`.
fn node_candidates(e: &Node) -> Vec<Node> {
    let ty = e.ty();
    let mut out = Vec::new();
    // A subexpression of the same type in its place.
    for c in e.children() {
        if c.ty() == ty {
            out.push(c.clone());
        }
    }
    match e {
        Node::Const(t, v) => {
            out.extend(simpler_values(*v).into_iter().map(|v| Node::Const(*t, v)));
        }
        Node::X | Node::Y => {}
        Node::Param(t) => out.push(Node::Const(*t, zero(*t))),
        _ => out.push(Node::Const(ty, zero(ty))),
    }
    if let Node::BinLit(op, inner, lit, left) = e {
        let simpler: Vec<Lit> = match *lit {
            Lit::Int(i) => simpler_ints(i).into_iter().map(Lit::Int).collect(),
            Lit::Float(f) => simpler_floats(f).into_iter().map(Lit::Float).collect(),
        };
        for l in simpler {
            out.push(Node::BinLit(*op, inner.clone(), l, *left));
        }
    }
    // Simplify inside.
    for (i, c) in e.children().iter().enumerate() {
        for s in node_candidates(c) {
            out.push(e.with_child(i, s));
        }
    }
    out
}

fn zero(t: Ty) -> Val {
    match t {
        Ty::Bool => Val::B(false),
        t if t.is_float() => Val::F(0.0),
        _ => Val::I(0),
    }
}

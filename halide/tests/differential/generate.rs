//! Random well-typed expressions, generated type-directed from proptest's
//! seeded RNG, and the values they meet (biased toward edge cases).

use crate::ast::{Bin, Lit, Node, Un};
use crate::ty::{INTS, NUMERIC, Ty, Val, match_types, round_float, wrap};

/// The arithmetic operators every numeric type has.
const ARITH: [Bin; 7] = [
    Bin::Add,
    Bin::Sub,
    Bin::Mul,
    Bin::Div,
    Bin::Mod,
    Bin::Min,
    Bin::Max,
];

/// [`ARITH`] and the bitwise operators of integers.
const INT_OPS: [Bin; 12] = [
    Bin::Add,
    Bin::Sub,
    Bin::Mul,
    Bin::Div,
    Bin::Mod,
    Bin::Min,
    Bin::Max,
    Bin::BitAnd,
    Bin::BitOr,
    Bin::BitXor,
    Bin::Shl,
    Bin::Shr,
];
use proptest::prelude::Rng;
use proptest::test_runner::TestRng;

/// A generator for one batch.
pub struct Gen<'r> {
    pub rng: &'r mut TestRng,
    /// Whether float types take part (the batch is compiled strict_float).
    pub floats: bool,
    /// Whether the batch is vectorized.
    pub vectorized: bool,
}

fn b(n: Node) -> Box<Node> {
    Box::new(n)
}

impl Gen<'_> {
    fn types(&self) -> &'static [Ty] {
        if self.floats { &NUMERIC } else { &INTS }
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.rng.random_range(0..xs.len())]
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn any_type(&mut self) -> Ty {
        let types = self.types();
        self.pick(types)
    }

    /// A value of type `ty`: small numbers, type limits, powers of two and
    /// their neighbours, few-bit patterns, and uniform bits.
    pub fn value(&mut self, ty: Ty) -> Val {
        if ty == Ty::Bool {
            return Val::B(self.chance(0.5));
        }
        if ty.is_float() {
            return Val::F(round_float(ty, self.float_value(ty)));
        }
        let bits = ty.bits();
        let v: i128 = match self.rng.random_range(0..100) {
            0..25 => self.rng.random_range(-4..=8),
            25..45 => {
                let edges = [
                    ty.min_int(),
                    ty.min_int() + 1,
                    ty.max_int(),
                    ty.max_int() - 1,
                    0,
                    1,
                    -1,
                ];
                self.pick(&edges)
            }
            45..65 => {
                let p = 1i128 << self.rng.random_range(0..bits);
                let sign = if self.chance(0.3) { -1 } else { 1 };
                sign * p + self.rng.random_range(-1..=1)
            }
            65..80 => {
                let (hi, lo) = (
                    self.rng.random_range(1..bits),
                    self.rng.random_range(0..bits),
                );
                (1i128 << hi) + (1i128 << lo.min(hi - 1)) + self.rng.random_range(0..=1)
            }
            _ => i128::from(self.rng.random::<u64>()),
        };
        let v = wrap(ty, v);
        // Vectorized, Halide's loop partitioning overflows near the limits
        // of int32 and int64, and the code crashes
        // (`halide_bug_vectorized_clamp_near_int_max_crashes`).
        let large = 1i128 << (bits - 2);
        if self.vectorized && ty.is_signed() && bits >= 32 && v.abs() >= large {
            return Val::I(v % large);
        }
        Val::I(v)
    }

    fn float_value(&mut self, ty: Ty) -> f64 {
        match self.rng.random_range(0..100) {
            0..30 => f64::from(self.rng.random_range(-32..=32)) / 4.0,
            30..45 => {
                let big = if ty == Ty::F32 {
                    f64::from(f32::MAX)
                } else {
                    f64::MAX
                };
                let tiny = if ty == Ty::F32 {
                    f64::from(f32::MIN_POSITIVE)
                } else {
                    f64::MIN_POSITIVE
                };
                let edges = [
                    0.0,
                    -0.0,
                    1.0,
                    -1.0,
                    big,
                    -big,
                    tiny,
                    tiny / 8.0,
                    16777217.0,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::NAN,
                ];
                self.pick(&edges)
            }
            45..65 => {
                let e = self.rng.random_range(-40..70);
                let m = 1.0 + f64::from(self.rng.random_range(0..8)) / 8.0;
                let sign = if self.chance(0.3) { -1.0 } else { 1.0 };
                sign * m * 2f64.powi(e)
            }
            65..80 => self.rng.random_range(-(1i64 << 40)..(1i64 << 40)) as f64,
            _ => {
                let v = if ty == Ty::F32 {
                    f64::from(f32::from_bits(self.rng.random()))
                } else {
                    f64::from_bits(self.rng.random())
                };
                if v.is_finite() { v } else { 0.5 }
            }
        }
    }

    /// A leaf of type `ty`: a constant, a Param, or a Var (cast to `ty`).
    fn leaf(&mut self, ty: Ty) -> Node {
        if ty == Ty::Bool {
            let t = self.any_type();
            let op = self.pick(&[Bin::Lt, Bin::Le, Bin::Eq, Bin::Ne]);
            return Node::Bin(op, b(self.leaf(t)), b(self.leaf(t)));
        }
        let var = if self.chance(0.5) { Node::X } else { Node::Y };
        match self.rng.random_range(0..10) {
            0..4 => Node::Const(ty, self.value(ty)),
            4..7 => Node::Param(ty),
            _ if ty == Ty::I32 => var,
            _ => Node::Cast(ty, b(var)),
        }
    }

    /// An expression of type `ty`, at most `depth` operations deep.
    pub fn node(&mut self, ty: Ty, depth: u32) -> Node {
        if depth == 0 || self.chance(0.15) {
            return self.leaf(ty);
        }
        let d = depth - 1;
        match ty {
            Ty::Bool => self.bool_node(d),
            t if t.is_float() => self.float_node(t, d),
            t => self.int_node(t, d),
        }
    }

    /// Two operand types whose `match_types` is `ty`, most often `ty` twice.
    fn operand_types(&mut self, ty: Ty) -> (Ty, Ty) {
        if self.chance(0.6) {
            return (ty, ty);
        }
        let types = self.types();
        let pairs: Vec<(Ty, Ty)> = types
            .iter()
            .flat_map(|&a| types.iter().map(move |&c| (a, c)))
            .filter(|&(a, c)| match_types(a, c) == ty)
            .collect();
        self.pick(&pairs)
    }

    fn arith(&mut self, ops: &[Bin], ty: Ty, d: u32) -> Node {
        let op = self.pick(ops);
        let (ta, tb) = self.operand_types(ty);
        Node::Bin(op, b(self.node(ta, d)), b(self.node(tb, d)))
    }

    /// An `i32` literal of a value representable in `ty`.
    /// For a float type, Halide refuses integers it cannot represent exactly.
    fn int_literal(&mut self, ty: Ty) -> i32 {
        if ty.is_float() {
            let v = self.int_literal(Ty::I32);
            let exact = ty == Ty::F64 || f64::from(v as f32) == f64::from(v);
            return if exact { v } else { v >> 8 << 8 };
        }
        let v = self.value(ty).int();
        let hi = ty.max_int().min(i128::from(i32::MAX));
        i32::try_from(v.clamp(ty.min_int(), hi)).unwrap_or(0)
    }

    fn same_two(&mut self, op: Bin, ty: Ty, d: u32) -> Node {
        Node::Bin(op, b(self.node(ty, d)), b(self.node(ty, d)))
    }

    /// A shift amount of type `ty` for a value of `bits` bits: mostly in range.
    fn shift_amount(&mut self, ty: Ty, bits: u32, d: u32) -> Node {
        let bits = i128::from(bits);
        match self.rng.random_range(0..10) {
            0..5 => {
                let lo = if ty.is_signed() { -bits } else { 0 };
                Node::Const(ty, Val::I(self.rng.random_range(lo..=bits)))
            }
            5..8 => Node::Bin(
                Bin::Mod,
                b(self.node(ty, d)),
                b(Node::Const(ty, Val::I(bits))),
            ),
            _ => self.node(ty, d),
        }
    }

    fn int_node(&mut self, t: Ty, d: u32) -> Node {
        let bits = t.bits();
        match self.rng.random_range(0..100) {
            0..26 => self.arith(&ARITH, t, d),
            26..36 => {
                let op = self.pick(&INT_OPS);
                let left = self.chance(0.4);
                if matches!(op, Bin::Shl | Bin::Shr) {
                    if left && t == Ty::I32 {
                        let amount_ty =
                            self.pick(&[Ty::I8, Ty::I16, Ty::I32, Ty::U8, Ty::U16, Ty::U32]);
                        let amount = self.shift_amount(amount_ty, 32, d);
                        let lit = self.int_literal(Ty::I16);
                        return Node::BinLit(op, b(amount), Lit::Int(lit), true);
                    }
                    let n = self.rng.random_range(-(bits as i32)..=bits as i32);
                    return Node::BinLit(op, b(self.node(t, d)), Lit::Int(n), false);
                }
                let lit = self.int_literal(t);
                Node::BinLit(op, b(self.node(t, d)), Lit::Int(lit), left)
            }
            36..43 => {
                let op = self.pick(&[Bin::BitAnd, Bin::BitOr, Bin::BitXor]);
                let narrow_bits = self.pick(&[8, 16, 32, 64].map(|w: u32| w.min(bits)));
                let other = t.with_bits(narrow_bits);
                let (l, r) = if self.chance(0.5) {
                    (t, other)
                } else {
                    (other, t)
                };
                Node::Bin(op, b(self.node(l, d)), b(self.node(r, d)))
            }
            43..50 => {
                let op = self.pick(&[Bin::Shl, Bin::Shr]);
                let amount_bits = self.pick(&[8, 16, 32, 64].map(|w: u32| w.min(bits)));
                let amount_ty = if self.chance(0.5) {
                    Ty::int(amount_bits)
                } else {
                    Ty::uint(amount_bits)
                };
                let amount = self.shift_amount(amount_ty, bits, d);
                Node::Bin(op, b(self.node(t, d)), b(amount))
            }
            50..58 => {
                if t.is_unsigned() && self.chance(0.3) {
                    let op = if self.chance(0.5) { Un::Abs } else { Un::Neg };
                    let src = if op == Un::Abs { t.to_signed() } else { t };
                    return Node::Un(op, b(self.node(src, d)));
                }
                let ops = [
                    Un::Neg,
                    Un::BitNot,
                    Un::Popcount,
                    Un::CountLeadingZeros,
                    Un::CountTrailingZeros,
                ];
                let op = self.pick(&ops);
                Node::Un(op, b(self.node(t, d)))
            }
            58..62 if t.is_unsigned() => {
                let src = if self.chance(0.5) { t } else { t.to_signed() };
                self.same_two(Bin::Absd, src, d)
            }
            62..68 if bits >= 16 => {
                let n = t.narrow();
                let (l, r, op) = match self.rng.random_range(0..3) {
                    0 => (n, n, Bin::WideningAdd),
                    1 if t.is_signed() => {
                        let m = if self.chance(0.5) { n } else { n.to_unsigned() };
                        (m, m, Bin::WideningSub)
                    }
                    _ if t.is_signed() => {
                        let pairs = [(n, n), (n.to_unsigned(), n), (n, n.to_unsigned())];
                        let (l, r) = self.pick(&pairs);
                        (l, r, Bin::WideningMul)
                    }
                    _ => (n, n, Bin::WideningMul),
                };
                Node::Bin(op, b(self.node(l, d)), b(self.node(r, d)))
            }
            68..75 => {
                let ops = [
                    Bin::SaturatingAdd,
                    Bin::SaturatingSub,
                    Bin::HalvingAdd,
                    Bin::HalvingSub,
                    Bin::RoundingHalvingAdd,
                ];
                let op = self.pick(&ops);
                self.same_two(op, t, d)
            }
            75..78 if bits <= 32 => {
                let q = self.rng.random_range(0..2 * bits);
                // Vectorized, an int32 rounding_mul_shift_right can crash
                // (`halide_bug_vectorized_rounding_mul_shift_right_crashes`).
                let round = self.chance(0.5) && !(self.vectorized && t == Ty::I32);
                Node::MulShiftRight(round, b(self.node(t, d)), b(self.node(t, d)), q)
            }
            _ => self.any_type_node(t, d),
        }
    }

    /// The productions every type has: select, clamp, mux and casts.
    fn any_type_node(&mut self, t: Ty, d: u32) -> Node {
        match self.rng.random_range(0..100) {
            0..20 => Node::Select(
                b(self.node(Ty::Bool, d)),
                b(self.node(t, d)),
                b(self.node(t, d)),
            ),
            20..30 => Node::Clamp(b(self.node(t, d)), b(self.node(t, d)), b(self.node(t, d))),
            30..37 => {
                let n = self.rng.random_range(2..=4);
                let it = self.pick(&INTS);
                let index = if self.chance(0.5) {
                    let i = self
                        .rng
                        .random_range(-1..=n as i128)
                        .clamp(it.min_int(), it.max_int());
                    Node::Const(it, Val::I(i))
                } else {
                    self.node(it, d)
                };
                Node::Mux(b(index), (0..n).map(|_| self.node(t, d)).collect())
            }
            37..72 => {
                let from = if self.chance(0.05) {
                    Ty::Bool
                } else {
                    self.any_type()
                };
                Node::Cast(t, b(self.node(from, d)))
            }
            72..88 => {
                let from = self.any_type();
                Node::SaturatingCast(t, b(self.node(from, d)))
            }
            _ => {
                let same_bits: Vec<Ty> = self
                    .types()
                    .iter()
                    .copied()
                    .filter(|s| s.bits() == t.bits())
                    .collect();
                let from = self.pick(&same_bits);
                Node::Reinterpret(t, b(self.node(from, d)))
            }
        }
    }

    fn float_node(&mut self, t: Ty, d: u32) -> Node {
        match self.rng.random_range(0..100) {
            0..30 => {
                let ops = [Bin::Add, Bin::Sub, Bin::Mul, Bin::Div, Bin::Min, Bin::Max];
                self.arith(&ops, t, d)
            }
            30..40 => {
                let op = self.pick(&[Bin::Add, Bin::Sub, Bin::Mul, Bin::Div, Bin::Min, Bin::Max]);
                let lit = if self.chance(0.5) {
                    Lit::Float(self.float_value(t))
                } else {
                    Lit::Int(self.int_literal(t))
                };
                let left = self.chance(0.4);
                Node::BinLit(op, b(self.node(t, d)), lit, left)
            }
            40..55 => {
                let ops = [
                    Un::Neg,
                    Un::Abs,
                    Un::Floor,
                    Un::Ceil,
                    Un::Round,
                    Un::Trunc,
                    Un::Fract,
                    Un::Sqrt,
                ];
                let op = self.pick(&ops);
                Node::Un(op, b(self.node(t, d)))
            }
            55..58 => self.same_two(Bin::Absd, t, d),
            _ => self.any_type_node(t, d),
        }
    }

    fn bool_node(&mut self, d: u32) -> Node {
        let cmp = [Bin::Lt, Bin::Le, Bin::Gt, Bin::Ge, Bin::Eq, Bin::Ne];
        match self.rng.random_range(0..100) {
            0..40 => {
                let a = self.any_type();
                let c = if self.chance(0.7) { a } else { self.any_type() };
                let op = self.pick(&cmp);
                Node::Bin(op, b(self.node(a, d)), b(self.node(c, d)))
            }
            40..52 => {
                let a = self.any_type();
                let op = self.pick(&cmp);
                let lit = if a.is_float() && self.chance(0.5) {
                    Lit::Float(self.float_value(a))
                } else {
                    Lit::Int(self.int_literal(a))
                };
                Node::BinLit(op, b(self.node(a, d)), lit, false)
            }
            52..70 => {
                let op = self.pick(&[Bin::And, Bin::Or]);
                self.same_two(op, Ty::Bool, d)
            }
            70..80 => Node::Un(Un::Not, b(self.node(Ty::Bool, d))),
            80..88 if self.floats => {
                let op = self.pick(&[Un::IsNan, Un::IsInf, Un::IsFinite]);
                let t = self.pick(&[Ty::F32, Ty::F64]);
                Node::Un(op, b(self.node(t, d)))
            }
            // No `select` between conditions: Halide's loop partitioning
            // gets those wrong (`halide_bug_partitioned_select_of_conditions`).
            _ => Node::Un(Un::Not, b(self.node(Ty::Bool, d))),
        }
    }

    /// The root expression of one output: any type, up to 5 levels deep.
    pub fn root(&mut self) -> Node {
        let ty = if self.chance(0.08) {
            Ty::Bool
        } else {
            self.any_type()
        };
        let depth = self.rng.random_range(1..=5);
        loop {
            let n = self.node(ty, depth);
            if n.size() <= 60 && !crate::reference::folds_badly(&n) {
                return n;
            }
        }
    }
}

//! Tuples: the several values a multi-valued Func computes together.

use crate::convert::{IntoExpr, IntoOperand, IntoValues};
use crate::error::Error;
use crate::expr::Expr;
use crate::math::select;

/// Several values computed together by one [`Func`](crate::Func), each
/// with its own type and, when realized, its own output buffer.
///
/// Like an [`Expr`], a `Tuple` that Halide rejected carries its error to
/// the first fallible call that uses it.
///
/// ```
/// use halide::prelude::*;
/// use halide::{args, math::sqrt};
/// let x = Var::new("x");
/// let mut f = Func::new("f");
/// // A square and a square root, of different types.
/// f.define([&x], Tuple::new([&x * &x, sqrt(x.cast::<f32>())]))?;
/// assert_eq!(f.output_types()?, [Type::int(32), Type::float(32)]);
///
/// let (mut squares, mut roots) = (Buffer::<i32>::new(&[5])?, Buffer::<f32>::new(&[5])?);
/// f.realize_into_all(args![&mut squares, &mut roots])?;
/// assert_eq!(squares.as_slice(), &[0, 1, 4, 9, 16]);
/// assert_eq!(roots.get(&[4]), Some(2.0));
///
/// // Calls read one element each.
/// let mut sum = Func::new("sum");
/// let t = f.at_tuple([&x]);
/// sum.define([&x], t.get(0).cast::<f32>() + t.get(1))?;
/// assert_eq!(sum.realize::<f32>(&[5])?.get(&[4]), Some(18.0));
/// # Ok::<(), halide::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Tuple(Vec<Expr>);

impl Tuple {
    /// A tuple of the given values.
    pub fn new<T: IntoExpr>(values: impl IntoIterator<Item = T>) -> Self {
        Tuple(values.into_iter().map(IntoExpr::into_expr).collect())
    }

    /// A tuple standing for `error`, reported where it is used.
    pub(crate) fn invalid(error: Error) -> Self {
        Tuple(vec![Expr::from_result(Err(error))])
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the tuple has no values.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Value `i`; an expression carrying an error if there is none.
    pub fn get(&self, i: usize) -> Expr {
        self.0.get(i).cloned().unwrap_or_else(|| {
            // A tuple that carries an error passes that error on instead.
            match self.0.first().map(Expr::check) {
                Some(Err(e)) => Expr::from_result(Err(e)),
                _ => Expr::from_result(Err(Error::invalid(format!(
                    "a Tuple of {} values has no value {i}",
                    self.0.len()
                )))),
            }
        })
    }

    /// The values.
    pub fn values(&self) -> &[Expr] {
        &self.0
    }

    /// `condition ? if_true : if_false`, value by value. The tuples must
    /// have the same length.
    pub fn select<'c>(condition: impl IntoOperand<'c>, if_true: &Tuple, if_false: &Tuple) -> Tuple {
        if if_true.len() != if_false.len() {
            return Tuple::invalid(Error::invalid(format!(
                "select between Tuples of {} and {} values",
                if_true.len(),
                if_false.len()
            )));
        }
        let condition = condition.into_operand().to_expr();
        Tuple(
            if_true
                .0
                .iter()
                .zip(&if_false.0)
                .map(|(t, f)| select(&condition, t, f))
                .collect(),
        )
    }
}

impl<T: IntoExpr> FromIterator<T> for Tuple {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Tuple::new(iter)
    }
}

impl IntoValues for Tuple {
    fn into_values(self) -> Vec<Expr> {
        self.0
    }
}

impl IntoValues for &Tuple {
    fn into_values(self) -> Vec<Expr> {
        self.0.clone()
    }
}

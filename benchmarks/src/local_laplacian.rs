//! Local Laplacian filtering (Paris, Hasinoff and Kautz), the algorithm of
//! Halide's `apps/local_laplacian`, written with this crate: a large
//! pipeline (about 50 Funcs over eight pyramid levels) for benchmarks that
//! need one, such as the warm start's.

use halide::convert::IntoExpr;
use halide::math::{clamp, exp};
use halide::prelude::*;
use halide::{Expr, Result, boundary};

/// Pyramid levels.
const J: usize = 8;

/// The pipeline and its inputs: a 16-bit RGB `input`, the number of
/// intensity `levels`, the detail gain `alpha` and the tone gain `beta`.
pub struct LocalLaplacian {
    /// The filter, output `(x, y, c)` of u16.
    pub pipeline: Pipeline,
    /// The image, `(x, y, c)` of u16, three channels.
    pub input: ImageParam,
    /// Intensity levels (8 is typical).
    pub levels: Param<i32>,
    /// Detail gain.
    pub alpha: Param<f32>,
    /// Tone gain.
    pub beta: Param<f32>,
}

fn downsample(f: &Func, name: &str) -> Result<Func> {
    let [x, y, k] = Var::many(["x", "y", "k"]);
    let mut dx = Func::new(&format!("{name}_dx"));
    let at = |xx: Expr| f.at((xx, &y, &k));
    dx.define(
        [&x, &y, &k],
        (at(&x * 2 - 1) + at(&x * 2) * 3.0f32 + at(&x * 2 + 1) * 3.0f32 + at(&x * 2 + 2)) / 8.0f32,
    )?;
    let mut dy = Func::new(name);
    let at = |yy: Expr| dx.at((&x, yy, &k));
    dy.define(
        [&x, &y, &k],
        (at(&y * 2 - 1) + at(&y * 2) * 3.0f32 + at(&y * 2 + 1) * 3.0f32 + at(&y * 2 + 2)) / 8.0f32,
    )?;
    Ok(dy)
}

fn upsample(f: &Func, name: &str) -> Result<Func> {
    let [x, y, k] = Var::many(["x", "y", "k"]);
    let mut ux = Func::new(&format!("{name}_ux"));
    ux.define(
        [&x, &y, &k],
        f.at((&x / 2 - 1 + (&x % 2) * 2, &y, &k)) * 0.25f32 + f.at((&x / 2, &y, &k)) * 0.75f32,
    )?;
    let mut uy = Func::new(name);
    uy.define(
        [&x, &y, &k],
        ux.at((&x, &y / 2 - 1 + (&y % 2) * 2, &k)) * 0.25f32 + ux.at((&x, &y / 2, &k)) * 0.75f32,
    )?;
    Ok(uy)
}

impl LocalLaplacian {
    /// The pipeline with a manual CPU schedule after the app's: the
    /// remapping table, gray image and pyramid levels computed whole,
    /// parallel over rows and vectorized; the output in parallel strips.
    pub fn new() -> Result<Self> {
        let [x, y, c, k] = Var::many(["x", "y", "c", "k"]);
        let input = ImageParam::new::<u16>(3, "input");
        let levels = Param::<i32>::new("levels");
        let alpha = Param::<f32>::new("alpha");
        let beta = Param::<f32>::new("beta");

        let clamped = boundary::repeat_edge(&input)?;
        let mut floating = Func::new("floating");
        floating.define(
            [&x, &y, &c],
            clamped.at((&x, &y, &c)).cast::<f32>() / 65535.0f32,
        )?;
        let mut gray = Func::new("gray");
        gray.define(
            [&x, &y],
            floating.at((&x, &y, 0)) * 0.299f32
                + floating.at((&x, &y, 1)) * 0.587f32
                + floating.at((&x, &y, 2)) * 0.114f32,
        )?;

        // The remapping of intensities around each level, as a table.
        let mut remap = Func::new("remap");
        let fx = Expr::from(&x).cast::<f32>() / 256.0f32;
        remap.define([&x], &alpha * &fx * exp(-&fx * &fx / 2.0f32))?;

        // The processed Gaussian pyramid: level k of the image remapped
        // around intensity k / (levels - 1).
        let levels_f = (levels.into_expr() - 1).cast::<f32>();
        let level = Expr::from(&k) * (Expr::from(1.0f32) / &levels_f);
        let idx = clamp(
            (gray.at((&x, &y)) * &levels_f * 256.0f32).cast::<i32>(),
            0,
            (levels.into_expr() - 1) * 256,
        );
        let mut g0 = Func::new("g_pyramid_0");
        g0.define(
            [&x, &y, &k],
            &beta * (gray.at((&x, &y)) - &level) + &level + remap.at([idx - Expr::from(&k) * 256]),
        )?;
        let mut g_pyramid = vec![g0];
        for j in 1..J {
            let next = downsample(&g_pyramid[j - 1], &format!("g_pyramid_{j}"))?;
            g_pyramid.push(next);
        }
        // Its Laplacian pyramid.
        let mut l_pyramid: Vec<Option<Func>> = (0..J).map(|_| None).collect();
        let mut top = Func::new(&format!("l_pyramid_{}", J - 1));
        top.define([&x, &y, &k], g_pyramid[J - 1].at((&x, &y, &k)))?;
        l_pyramid[J - 1] = Some(top);
        for j in (0..J - 1).rev() {
            let up = upsample(&g_pyramid[j + 1], &format!("g_up_{j}"))?;
            let mut l = Func::new(&format!("l_pyramid_{j}"));
            l.define(
                [&x, &y, &k],
                g_pyramid[j].at((&x, &y, &k)) - up.at((&x, &y, &k)),
            )?;
            l_pyramid[j] = Some(l);
        }
        let l_pyramid: Vec<Func> = l_pyramid.into_iter().flatten().collect();

        // The Gaussian pyramid of the input's gray image.
        let mut in0 = Func::new("in_pyramid_0");
        in0.define([&x, &y, &k], gray.at((&x, &y)))?;
        let mut in_pyramid = vec![in0];
        for j in 1..J {
            let next = downsample(&in_pyramid[j - 1], &format!("in_pyramid_{j}"))?;
            in_pyramid.push(next);
        }

        // The output's Laplacian pyramid: at each pixel, the two processed
        // levels nearest the input's intensity, blended.
        let mut out_l = Vec::new();
        for j in 0..J {
            let level = in_pyramid[j].at((&x, &y, 0)) * &levels_f;
            let li = clamp(level.cast::<i32>(), 0, levels.into_expr() - 2);
            let lf = &level - li.cast::<f32>();
            let mut o = Func::new(&format!("out_l_{j}"));
            o.define(
                [&x, &y, &k],
                (Expr::from(1.0f32) - &lf) * l_pyramid[j].at((&x, &y, &li))
                    + &lf * l_pyramid[j].at((&x, &y, &li + 1)),
            )?;
            out_l.push(o);
        }
        // Collapsed.
        let mut out_g: Vec<Option<Func>> = (0..J).map(|_| None).collect();
        let mut top = Func::new(&format!("out_g_{}", J - 1));
        top.define([&x, &y, &k], out_l[J - 1].at((&x, &y, &k)))?;
        out_g[J - 1] = Some(top);
        for j in (0..J - 1).rev() {
            let up = upsample(out_g[j + 1].as_ref().unwrap(), &format!("out_up_{j}"))?;
            let mut g = Func::new(&format!("out_g_{j}"));
            g.define(
                [&x, &y, &k],
                up.at((&x, &y, &k)) + out_l[j].at((&x, &y, &k)),
            )?;
            out_g[j] = Some(g);
        }
        let mut out_g: Vec<Func> = out_g.into_iter().flatten().collect();

        // Color back in, and to 16 bits.
        let mut color = Func::new("color");
        color.define(
            [&x, &y, &c],
            out_g[0].at((&x, &y, 0)) * (floating.at((&x, &y, &c)) + 0.01f32)
                / (gray.at((&x, &y)) + 0.01f32),
        )?;
        let mut output = Func::new("local_laplacian");
        output.define(
            [&x, &y, &c],
            (clamp(color.at((&x, &y, &c)), 0.0f32, 1.0f32) * 65535.0f32).cast::<u16>(),
        )?;

        let [yo, yi] = Var::many(["yo", "yi"]);
        remap.compute_root()?;
        output
            .reorder(&[&c, &x, &y])?
            .split(&y, &yo, &yi, 64)?
            .parallel(&yo)?
            .vectorize(&x, 8)?;
        gray.compute_root()?.parallel(&y)?.vectorize(&x, 8)?;
        for j in 0..J {
            in_pyramid[j]
                .compute_root()?
                .parallel(&y)?
                .vectorize(&x, 8)?;
            g_pyramid[j]
                .compute_root()?
                .parallel(&y)?
                .vectorize(&x, 8)?;
            if j > 0 {
                out_g[j].compute_root()?.parallel(&y)?.vectorize(&x, 8)?;
            }
        }
        out_g[0].compute_at(&output, &yi)?.vectorize(&x, 8)?;
        Ok(LocalLaplacian {
            pipeline: Pipeline::new(&[&output])?,
            input,
            levels,
            alpha,
            beta,
        })
    }
}

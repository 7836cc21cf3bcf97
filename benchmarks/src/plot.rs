//! The benchmarks' pictures: grouped bar charts and line charts, drawn with
//! `plotters` as SVG files (text left to the viewer's fonts, so nothing
//! here needs a font library).

use plotters::coord::Shift;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::prelude::*;
use std::path::Path;

/// What drawing a chart can fail with.
pub type PlotError = Box<dyn std::error::Error>;

/// The palette: one colour per series, in order.
const COLOURS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// A chart on an SVG file, its x axis numeric.
type Chart<'a, 'b, Y> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>;

fn colour(i: usize) -> RGBColor {
    COLOURS[i % COLOURS.len()]
}

/// A bar chart: for each group (an app), one bar per series that has a
/// value there.
pub struct Bars<'a> {
    /// The chart's title.
    pub title: &'a str,
    /// What the bars measure.
    pub y_label: &'a str,
    /// The series' names, in the order their bars stand in each group.
    pub series: &'a [&'a str],
    /// Each group's name and its value per series (`None`: no bar).
    pub groups: &'a [(String, Vec<Option<f64>>)],
    /// A logarithmic axis, for values spanning orders of magnitude.
    pub log: bool,
}

/// Draws `chart` into the SVG file `path`.
///
/// ```
/// use halide_benchmarks::plot::{Bars, bars};
/// let path = std::env::temp_dir().join("halide-bars-doc.svg");
/// let groups = [("blur".to_string(), vec![Some(1.0), Some(2.5)])];
/// bars(&path, &Bars { title: "t", y_label: "ms", series: &["a", "b"], groups: &groups, log: false })?;
/// assert!(std::fs::read_to_string(&path)?.contains("blur"));
/// # Ok::<(), halide_benchmarks::plot::PlotError>(())
/// ```
pub fn bars(path: &Path, chart: &Bars<'_>) -> Result<(), PlotError> {
    let values = chart.groups.iter().flat_map(|(_, v)| v.iter().flatten());
    let top = values.clone().copied().fold(f64::MIN, f64::max);
    let bottom = values.copied().fold(f64::MAX, f64::min);
    if !(top.is_finite() && bottom.is_finite() && top > 0.0) {
        return Err("a bar chart needs positive values".into());
    }
    let width = (160 * chart.groups.len()).max(640) as u32;
    let root = SVGBackend::new(path, (width, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let n = chart.groups.len() as f64;
    let names: Vec<&str> = chart.groups.iter().map(|(g, _)| g.as_str()).collect();
    if chart.log {
        let lo = 10f64.powf((bottom.max(1e-9)).log10().floor());
        let hi = 10f64.powf(top.log10().ceil());
        let mut c =
            frame(&root, chart.title)?.build_cartesian_2d(-0.5..n - 0.5, (lo..hi).log_scale())?;
        mesh(&mut c, &names, chart.y_label)?;
        draw_bars(&mut c, chart, lo)?;
        legend(&mut c)?;
    } else {
        let mut c = frame(&root, chart.title)?.build_cartesian_2d(-0.5..n - 0.5, 0.0..top * 1.1)?;
        mesh(&mut c, &names, chart.y_label)?;
        draw_bars(&mut c, chart, 0.0)?;
        legend(&mut c)?;
    }
    root.present()?;
    Ok(())
}

fn frame<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    title: &str,
) -> Result<ChartBuilder<'a, 'b, SVGBackend<'b>>, PlotError> {
    let mut builder = ChartBuilder::on(root);
    builder
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(64);
    Ok(builder)
}

fn mesh<'a, 'b: 'a, Y>(
    chart: &mut Chart<'a, 'b, Y>,
    names: &[&str],
    y_label: &str,
) -> Result<(), PlotError>
where
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let label = |x: &f64| {
        let i = x.round();
        if (x - i).abs() < 1e-6 && i >= 0.0 {
            names
                .get(i as usize)
                .map_or(String::new(), |s| s.to_string())
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(names.len() + 1)
        .x_label_formatter(&label)
        .y_desc(y_label)
        .draw()?;
    Ok(())
}

fn draw_bars<'a, 'b: 'a, Y>(
    chart: &mut Chart<'a, 'b, Y>,
    bars: &Bars<'_>,
    base: f64,
) -> Result<(), PlotError>
where
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let slot = 0.8 / bars.series.len() as f64;
    for (s, name) in bars.series.iter().enumerate() {
        let style = colour(s).filled();
        let rects = bars
            .groups
            .iter()
            .enumerate()
            .filter_map(|(g, (_, values))| {
                let v = values.get(s).copied().flatten()?;
                let x0 = g as f64 - 0.4 + s as f64 * slot;
                Some(Rectangle::new([(x0, base), (x0 + slot * 0.9, v)], style))
            });
        chart
            .draw_series(rects)?
            .label(*name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], style));
    }
    Ok(())
}

fn legend<'a, 'b: 'a, Y>(chart: &mut Chart<'a, 'b, Y>) -> Result<(), PlotError>
where
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperRight)
        .draw()?;
    Ok(())
}

/// A line chart: each series' points joined, marked, and named.
pub struct Lines<'a> {
    /// The chart's title.
    pub title: &'a str,
    /// What x is.
    pub x_label: &'a str,
    /// What y is.
    pub y_label: &'a str,
    /// Each series' name and its (x, y) points, in x order.
    pub series: &'a [(String, Vec<(f64, f64)>)],
}

/// Draws `chart` into the SVG file `path`.
///
/// ```
/// use halide_benchmarks::plot::{Lines, lines};
/// let path = std::env::temp_dir().join("halide-lines-doc.svg");
/// let series = [("blur".to_string(), vec![(1.0, 1.0), (2.0, 1.9)])];
/// lines(&path, &Lines { title: "t", x_label: "threads", y_label: "speed-up", series: &series })?;
/// assert!(std::fs::read_to_string(&path)?.contains("threads"));
/// # Ok::<(), halide_benchmarks::plot::PlotError>(())
/// ```
pub fn lines(path: &Path, chart: &Lines<'_>) -> Result<(), PlotError> {
    let points = || chart.series.iter().flat_map(|(_, p)| p.iter());
    let (x_lo, x_hi) = points().fold((f64::MAX, f64::MIN), |(l, h), p| (l.min(p.0), h.max(p.0)));
    let y_hi = points().map(|p| p.1).fold(f64::MIN, f64::max);
    if !(x_lo.is_finite() && y_hi.is_finite()) {
        return Err("a line chart needs points".into());
    }
    let root = SVGBackend::new(path, (640, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let pad = ((x_hi - x_lo) * 0.05).max(0.1);
    let mut c =
        frame(&root, chart.title)?.build_cartesian_2d(x_lo - pad..x_hi + pad, 0.0..y_hi * 1.15)?;
    c.configure_mesh()
        .x_desc(chart.x_label)
        .y_desc(chart.y_label)
        .draw()?;
    for (i, (name, points)) in chart.series.iter().enumerate() {
        let style = colour(i).stroke_width(2);
        c.draw_series(LineSeries::new(points.iter().copied(), style))?
            .label(name.as_str())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], style));
        c.draw_series(
            points
                .iter()
                .map(|&p| Circle::new(p, 3, colour(i).filled())),
        )?;
    }
    legend(&mut c)?;
    root.present()?;
    Ok(())
}

//! Charts as SVG files (plotters' SVG backend), one module for every chart the CLI draws:
//! line charts with log or linear axes, step lines, dots and vertical markers (`cost --svg`,
//! `grow --svg`), and the pool grid of `pool --svg` ([`pool`]).
//!
//! A chart is drawn into memory first and written in one go, so a failed drawing leaves no
//! half-written file, and a bad path is reported once, by [`write_file`].

mod pool;

pub use pool::pool_map_svg;

use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

/// How an axis maps values to pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scale {
    /// Logarithmic (the default: cost sweeps span decades). Values <= 0 are left out.
    #[default]
    Log,
    /// Linear, from 0 when every value is positive.
    Linear,
}

/// One line of a chart.
#[derive(Debug, Default)]
pub struct Series {
    /// The legend label.
    pub name: String,
    /// (x, y) points; on a log axis points with a value <= 0 are left out.
    pub points: Vec<(f64, f64)>,
    /// Draw a step line: each y holds until the next point's x (the last one until this x),
    /// as a capacity does between resizes. `None`: straight lines between the points.
    pub steps_to: Option<f64>,
    /// Leave out the dots at the points (a dot marks a measured point or a resize).
    pub no_dots: bool,
}

/// One panel: a title, axis labels, its series and markers.
#[derive(Debug, Default)]
pub struct Panel {
    /// The panel's caption.
    pub title: String,
    /// The x axis label.
    pub x_label: String,
    /// The y axis label.
    pub y_label: String,
    /// The x axis scale.
    pub x_scale: Scale,
    /// The y axis scale.
    pub y_scale: Scale,
    /// The lines.
    pub series: Vec<Series>,
    /// Vertical lines across the panel at these x values, in [`MARKER_COLOUR`].
    pub markers: Vec<f64>,
    /// The legend label of the markers.
    pub markers_label: String,
}

/// The colour of vertical markers (tests find them by it).
pub const MARKER_COLOUR: RGBColor = RGBColor(0xf4, 0xb4, 0x7c);

const COLOURS: [RGBColor; 8] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x17, 0xbe, 0xcf),
];

fn shown(scale: Scale, v: f64) -> bool {
    v.is_finite() && (scale == Scale::Linear || v > 0.0)
}

fn range(scale: Scale, values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| shown(scale, *v))
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    match scale {
        Scale::Log if lo > hi => (1.0, 10.0),
        Scale::Log if lo == hi => (lo / 2.0, hi * 2.0),
        Scale::Log => (lo / 1.5, hi * 1.5),
        Scale::Linear if lo > hi => (0.0, 1.0),
        Scale::Linear => {
            let lo = lo.min(0.0);
            let hi = if hi <= lo { lo + 1.0 } else { hi };
            (lo, hi + (hi - lo) * 0.05)
        }
    }
}

fn err(e: &dyn std::fmt::Display) -> String {
    format!("drawing the chart: {e}")
}

/// Draw `panels` side by side; the SVG document as a string.
pub fn render_svg(panels: &[Panel]) -> Result<String, String> {
    let mut svg = String::new();
    {
        let width = 640 * panels.len().max(1) as u32;
        let root = SVGBackend::with_string(&mut svg, (width, 480)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let areas = root.split_evenly((1, panels.len().max(1)));
        for (panel, area) in panels.iter().zip(areas) {
            let pts = || panel.series.iter().flat_map(|s| s.points.iter());
            let ends = || panel.series.iter().filter_map(|s| s.steps_to);
            let (x0, x1) = range(panel.x_scale, pts().map(|p| p.0).chain(ends()));
            let (y0, y1) = range(panel.y_scale, pts().map(|p| p.1));
            match (panel.x_scale, panel.y_scale) {
                (Scale::Log, Scale::Log) => {
                    draw_panel(&area, panel, (x0..x1).log_scale(), (y0..y1).log_scale())
                }
                (Scale::Log, Scale::Linear) => {
                    draw_panel(&area, panel, (x0..x1).log_scale(), y0..y1)
                }
                (Scale::Linear, Scale::Log) => {
                    draw_panel(&area, panel, x0..x1, (y0..y1).log_scale())
                }
                (Scale::Linear, Scale::Linear) => draw_panel(&area, panel, x0..x1, y0..y1),
            }?;
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(svg)
}

/// The points of a step line through `points`, held until `end`.
fn step_points(points: &[(f64, f64)], end: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(points.len() * 2 + 1);
    for (i, &(x, y)) in points.iter().enumerate() {
        out.push((x, y));
        let next_x = points.get(i + 1).map_or(end, |p| p.0);
        out.push((next_x, y));
    }
    out
}

fn draw_panel<X, Y>(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    panel: &Panel,
    x: X,
    y: Y,
) -> Result<(), String>
where
    X: AsRangedCoord<Value = f64>,
    Y: AsRangedCoord<Value = f64>,
    X::CoordDescType: ValueFormatter<f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(x, y)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc(panel.x_label.as_str())
        .y_desc(panel.y_label.as_str())
        .x_label_formatter(&|v| format_si(*v))
        .y_label_formatter(&|v| format_si(*v))
        .draw()
        .map_err(|e| err(&e))?;
    let (xs, ys) = (panel.x_scale, panel.y_scale);
    let keep = |p: &(f64, f64)| shown(xs, p.0) && shown(ys, p.1);
    if !panel.markers.is_empty() {
        let y_range = chart.y_range();
        let markers: Vec<f64> = panel
            .markers
            .iter()
            .copied()
            .filter(|m| shown(xs, *m))
            .collect();
        chart
            .draw_series(markers.into_iter().map(|m| {
                PathElement::new(vec![(m, y_range.start), (m, y_range.end)], MARKER_COLOUR)
            }))
            .map_err(|e| err(&e))?
            .label(panel.markers_label.as_str())
            .legend(|(x, y)| PathElement::new(vec![(x + 9, y - 6), (x + 9, y + 6)], MARKER_COLOUR));
    }
    for (i, s) in panel.series.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let points: Vec<(f64, f64)> = s.points.iter().copied().filter(keep).collect();
        let line = match s.steps_to {
            Some(end) => step_points(&points, end),
            None => points.clone(),
        };
        chart
            .draw_series(LineSeries::new(line, colour.stroke_width(2)))
            .map_err(|e| err(&e))?
            .label(s.name.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour));
        if !s.no_dots {
            chart
                .draw_series(
                    points
                        .into_iter()
                        .map(|p| Circle::new(p, 3, colour.filled())),
                )
                .map_err(|e| err(&e))?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(|e| err(&e))?;
    Ok(())
}

/// Check, before any work, that `--svg PATH` can name a file to write: its folder exists and
/// it is not itself a folder. (Permission is only known when writing: [`write_file`].)
pub fn check_path(path: &Path) -> Result<(), String> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
        && !dir.is_dir()
    {
        return Err(format!(
            "--svg {}: the folder {} does not exist",
            path.display(),
            dir.display()
        ));
    }
    if path.is_dir() {
        return Err(format!("--svg {}: is a folder, not a file", path.display()));
    }
    Ok(())
}

/// Write a drawn chart to `path`: one line on failure.
pub fn write_file(path: &Path, svg: &str) -> Result<(), String> {
    check_path(path)?;
    std::fs::write(path, svg).map_err(|e| format!("--svg {}: cannot write: {e}", path.display()))
}

/// Draw `panels` side by side into an SVG file at `path`.
pub fn write_svg(path: &Path, panels: &[Panel]) -> Result<(), String> {
    write_file(path, &render_svg(panels)?)
}

/// 1500 → "1.5k", 2e6 → "2M", 0.25 → "0.25".
pub fn format_si(v: f64) -> String {
    let (d, s) = if v >= 1e9 {
        (1e9, "G")
    } else if v >= 1e6 {
        (1e6, "M")
    } else if v >= 1e3 {
        (1e3, "k")
    } else {
        (1.0, "")
    };
    let x = v / d;
    let t = if x >= 100.0 || x.fract() == 0.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    };
    let t = if t.contains('.') {
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        t
    };
    format!("{t}{s}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn si_labels() {
        assert_eq!(format_si(1500.0), "1.5k");
        assert_eq!(format_si(2e6), "2M");
        assert_eq!(format_si(10.0), "10");
        assert_eq!(format_si(0.25), "0.25");
    }

    #[test]
    fn steps_hold_each_value_until_the_next_point() {
        assert_eq!(
            step_points(&[(0.0, 0.0), (1.0, 4.0), (5.0, 8.0)], 7.0),
            vec![
                (0.0, 0.0),
                (1.0, 0.0),
                (1.0, 4.0),
                (5.0, 4.0),
                (5.0, 8.0),
                (7.0, 8.0)
            ]
        );
    }

    #[test]
    fn linear_ranges_start_at_zero() {
        assert_eq!(range(Scale::Linear, [10.0, 20.0].into_iter()), (0.0, 21.0));
        assert_eq!(range(Scale::Log, [0.0].into_iter()), (1.0, 10.0));
    }
}

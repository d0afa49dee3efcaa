//! A line plot as hand-written SVG text, for the scale curve: panels side
//! by side, each with a log x axis and a log y axis, one line per series,
//! every point's value printed next to it, a legend and notes below. No
//! plotting crate: the plot is a few hundred lines of text.

use std::fmt::Write as _;

/// One series of a panel.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub(crate) label: String,
    pub(crate) color: &'static str,
    /// Dashed, with square markers (else solid, round markers).
    pub(crate) dashed: bool,
    /// `(x, y)`, both positive (the axes are logarithmic).
    pub(crate) points: Vec<(f64, f64)>,
}

/// One plot: a title, what its y axis counts, its lines.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Panel {
    pub(crate) title: String,
    pub(crate) y_label: String,
    pub(crate) x_label: String,
    pub(crate) lines: Vec<Line>,
}

/// Colours for the lines, in turn.
pub(crate) const PALETTE: [&str; 6] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
];

const PANEL_WIDTH: f64 = 560.0;
const MARGIN_LEFT: f64 = 78.0;
/// Room for the value labels of the last column.
const MARGIN_RIGHT: f64 = 74.0;
const PLOT_TOP: f64 = 84.0;
const PLOT_BOTTOM: f64 = 424.0;
const LEGEND_TOP: f64 = 486.0;
const LEGEND_ROW: f64 = 20.0;
const NOTE_ROW: f64 = 17.0;
/// The least vertical distance between two value labels of one column.
const LABEL_GAP: f64 = 11.0;

/// A logarithmic axis: `log10` of the data range onto a pixel range.
#[derive(Debug, Clone, Copy)]
struct Axis {
    lo: f64,
    hi: f64,
    from_px: f64,
    to_px: f64,
}

impl Axis {
    /// An axis over `values` (positive), padded by `pad` decades at least
    /// and by a tenth of the range.
    fn over(values: impl Iterator<Item = f64>, pad: f64, from_px: f64, to_px: f64) -> Self {
        let (mut lo, mut hi) = values
            .filter(|value| value.is_finite() && *value > 0.0)
            .map(f64::log10)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), value| {
                (lo.min(value), hi.max(value))
            });
        if lo > hi {
            (lo, hi) = (0.0, 1.0);
        }
        let pad = pad.max((hi - lo) / 10.0);
        lo -= pad;
        hi += pad;
        Self {
            lo,
            hi,
            from_px,
            to_px,
        }
    }

    fn at(self, value: f64) -> f64 {
        self.from_px + (value.log10() - self.lo) / (self.hi - self.lo) * (self.to_px - self.from_px)
    }

    fn contains(self, value: f64) -> bool {
        (self.lo..=self.hi).contains(&value.log10())
    }

    /// Round values in range: 1, 2 and 5 times a power of ten; every
    /// digit where that gives fewer than four; evenly spaced round values
    /// where the range is narrower still.
    fn ticks(self) -> Vec<f64> {
        #[allow(clippy::cast_possible_truncation)] // a decade's exponent
        let decades = (self.lo.floor() as i32)..=(self.hi.ceil() as i32);
        let pick = |mantissas: &[f64]| -> Vec<f64> {
            decades
                .clone()
                .flat_map(|decade| mantissas.iter().map(move |m| m * 10f64.powi(decade)))
                .filter(|&value| self.contains(value))
                .collect()
        };
        let coarse = pick(&[1.0, 2.0, 5.0]);
        if coarse.len() >= 4 {
            return coarse;
        }
        let fine = pick(&[1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
        if fine.len() >= 3 {
            return fine;
        }
        // A step of 1, 2 or 5 times a power of ten, about a quarter of the range.
        let (low, high) = (10f64.powf(self.lo), 10f64.powf(self.hi));
        let rough = (high - low) / 4.0;
        let power = 10f64.powf(rough.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|m| m * power)
            .find(|&step| step >= rough)
            .unwrap_or(power * 10.0);
        let mut ticks = Vec::new();
        let mut tick = (low / step).ceil() * step;
        while tick <= high {
            ticks.push(tick);
            tick += step;
        }
        ticks
    }
}

/// `10000` as `10k`, `2500000` as `2.5M`, `0.5` as `0.5`.
pub(crate) fn compact(value: f64) -> String {
    let (scaled, suffix) = if value >= 1e9 {
        (value / 1e9, "G")
    } else if value >= 1e6 {
        (value / 1e6, "M")
    } else if value >= 1e3 {
        (value / 1e3, "k")
    } else {
        (value, "")
    };
    let text = format!("{scaled:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text);
    format!("{text}{suffix}")
}

/// A point's value as printed next to it: whole numbers from 10 up.
fn value_label(value: f64) -> String {
    if value >= 10.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The whole picture: `title` and `subtitle` on top, the panels side by
/// side, then the legend (the first panel's lines; every panel is meant to
/// have the same series) and the notes.
pub(crate) fn plot(title: &str, subtitle: &str, panels: &[Panel], notes: &[String]) -> String {
    let width = PANEL_WIDTH * to_px(panels.len().max(1));
    let legend: &[Line] = panels.first().map_or(&[], |panel| &panel.lines);
    let legend_rows = legend.len().div_ceil(2);
    let height =
        LEGEND_TOP + LEGEND_ROW * to_px(legend_rows) + NOTE_ROW * to_px(notes.len()) + 16.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"Helvetica, Arial, sans-serif\">"
    );
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"{:.0}\" y=\"26\" font-size=\"17\" font-weight=\"bold\" text-anchor=\"middle\">{}</text>\n\
         <text x=\"{:.0}\" y=\"46\" font-size=\"12\" fill=\"#444\" text-anchor=\"middle\">{}</text>",
        width / 2.0,
        escape(title),
        width / 2.0,
        escape(subtitle),
    );
    for (index, panel) in panels.iter().enumerate() {
        draw_panel(&mut out, PANEL_WIDTH * to_px(index), panel);
    }
    for (index, line) in legend.iter().enumerate() {
        let x = 40.0 + PANEL_WIDTH * to_px(index % 2);
        let y = LEGEND_TOP + LEGEND_ROW * to_px(index / 2);
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{}\" stroke-width=\"2\"{}/>",
            x + 34.0,
            line.color,
            dash(line.dashed),
        );
        marker(&mut out, x + 17.0, y, line);
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{}</text>",
            x + 42.0,
            y + 4.0,
            escape(&line.label)
        );
    }
    let notes_top = LEGEND_TOP + LEGEND_ROW * to_px(legend_rows) + 6.0;
    for (index, note) in notes.iter().enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"40\" y=\"{:.1}\" font-size=\"11\" fill=\"#444\">{}</text>",
            notes_top + NOTE_ROW * to_px(index),
            escape(note)
        );
    }
    out.push_str("</svg>\n");
    out
}

fn draw_panel(out: &mut String, left: f64, panel: &Panel) {
    let (plot_left, plot_right) = (left + MARGIN_LEFT, left + PANEL_WIDTH - MARGIN_RIGHT);
    let points = || {
        panel
            .lines
            .iter()
            .flat_map(|line| line.points.iter().copied())
    };
    let x_axis = Axis::over(points().map(|(x, _)| x), 0.25, plot_left, plot_right);
    let y_axis = Axis::over(points().map(|(_, y)| y), 0.08, PLOT_BOTTOM, PLOT_TOP);
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"70\" font-size=\"14\" font-weight=\"bold\" text-anchor=\"middle\">{}</text>",
        f64::midpoint(plot_left, plot_right),
        escape(&panel.title)
    );
    // Grid and y ticks.
    for tick in y_axis.ticks() {
        let y = y_axis.at(tick);
        let _ = writeln!(
            out,
            "<line x1=\"{plot_left:.1}\" y1=\"{y:.1}\" x2=\"{plot_right:.1}\" y2=\"{y:.1}\" stroke=\"#e4e4e4\"/>\n\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
            plot_left - 6.0,
            y + 4.0,
            compact(tick)
        );
    }
    // x ticks: at the Ns there are points for.
    let mut xs: Vec<f64> = points().map(|(x, _)| x).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    for &tick in &xs {
        let x = x_axis.at(tick);
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{PLOT_TOP:.1}\" x2=\"{x:.1}\" y2=\"{PLOT_BOTTOM:.1}\" stroke=\"#e4e4e4\"/>\n\
             <text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
            PLOT_BOTTOM + 16.0,
            compact(tick)
        );
    }
    let _ = writeln!(
        out,
        "<rect x=\"{plot_left:.1}\" y=\"{PLOT_TOP:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#888\"/>\n\
         <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\">{}</text>\n\
         <text transform=\"translate({:.1} {:.1}) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">{}</text>",
        plot_right - plot_left,
        PLOT_BOTTOM - PLOT_TOP,
        f64::midpoint(plot_left, plot_right),
        PLOT_BOTTOM + 36.0,
        escape(&panel.x_label),
        left + 22.0,
        f64::midpoint(PLOT_TOP, PLOT_BOTTOM),
        escape(&panel.y_label),
    );
    if xs.is_empty() {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"middle\">no data</text>",
            f64::midpoint(plot_left, plot_right),
            f64::midpoint(PLOT_TOP, PLOT_BOTTOM),
        );
    }
    // The lines and their markers, then every value, kept apart.
    let mut labels: Vec<(f64, f64, String, &'static str)> = Vec::new();
    for line in &panel.lines {
        let at: Vec<(f64, f64)> = line
            .points
            .iter()
            .map(|&(x, y)| (x_axis.at(x), y_axis.at(y)))
            .collect();
        let path: Vec<String> = at.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = writeln!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>",
            path.join(" "),
            line.color,
            dash(line.dashed)
        );
        for (&(x, y), &(_, value)) in at.iter().zip(&line.points) {
            marker(out, x, y, line);
            labels.push((x, y, value_label(value), line.color));
        }
    }
    for (x, y, text, color) in spread(labels) {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"{color}\" stroke=\"white\" \
             stroke-width=\"3\" paint-order=\"stroke\">{text}</text>",
            x + 7.0,
            y + 3.5,
        );
    }
}

/// Moves the labels of each column (same x) apart vertically, at least
/// [`LABEL_GAP`] between neighbours, keeping their order.
fn spread(
    mut labels: Vec<(f64, f64, String, &'static str)>,
) -> Vec<(f64, f64, String, &'static str)> {
    labels.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut start = 0;
    while start < labels.len() {
        let x = labels[start].0;
        let end = start
            + labels[start..]
                .iter()
                .take_while(|label| (label.0 - x).abs() < 0.5)
                .count();
        for index in start + 1..end {
            labels[index].1 = labels[index].1.max(labels[index - 1].1 + LABEL_GAP);
        }
        // Pushed below the plot: shift the column back up.
        let overflow = labels[end - 1].1 - PLOT_BOTTOM;
        if overflow > 0.0 {
            for label in &mut labels[start..end] {
                label.1 -= overflow;
            }
        }
        start = end;
    }
    labels
}

fn dash(dashed: bool) -> &'static str {
    if dashed {
        " stroke-dasharray=\"7 4\""
    } else {
        ""
    }
}

fn marker(out: &mut String, x: f64, y: f64, line: &Line) {
    let _ = if line.dashed {
        writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\" fill=\"{}\"/>",
            x - 3.5,
            y - 3.5,
            line.color
        )
    } else {
        writeln!(
            out,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{}\"/>",
            line.color
        )
    };
}

#[allow(clippy::cast_precision_loss)] // small counts
fn to_px(count: usize) -> f64 {
    count as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel(title: &str, lines: Vec<Line>) -> Panel {
        Panel {
            title: title.to_owned(),
            y_label: "ns per task".to_owned(),
            x_label: "N".to_owned(),
            lines,
        }
    }

    fn line(label: &str, dashed: bool, points: &[(f64, f64)]) -> Line {
        Line {
            label: label.to_owned(),
            color: PALETTE[0],
            dashed,
            points: points.to_vec(),
        }
    }

    #[test]
    fn the_axes_are_logarithmic_and_padded() {
        let axis = Axis::over([10.0, 1000.0].into_iter(), 0.0, 0.0, 100.0);
        // 10 and 1000 are two decades apart, 100 halfway.
        assert!((axis.at(100.0) - 50.0).abs() < 1e-9);
        assert!(axis.at(10.0) > 0.0 && axis.at(1000.0) < 100.0);
        let ticks = axis.ticks();
        assert!(ticks.contains(&100.0) && ticks.contains(&200.0) && ticks.contains(&500.0));
        // A narrow range gets finer ticks.
        let narrow = Axis::over([120.0, 160.0].into_iter(), 0.05, 0.0, 100.0);
        assert!(narrow.ticks().len() >= 3, "{:?}", narrow.ticks());
    }

    #[test]
    fn numbers_are_compact() {
        assert_eq!(compact(10_000.0), "10k");
        assert_eq!(compact(2_500_000.0), "2.5M");
        assert_eq!(compact(10_000_000.0), "10M");
        assert_eq!(compact(500.0), "500");
        assert_eq!(value_label(812.4), "812");
        assert_eq!(value_label(2.25), "2.2");
    }

    #[test]
    fn the_plot_has_a_line_and_a_label_per_series_and_point() {
        let lines = vec![
            line("a & b", false, &[(1e4, 800.0), (1e5, 820.0), (1e6, 900.0)]),
            line("c", true, &[(1e4, 801.0), (1e5, 9000.0)]),
        ];
        let svg = plot(
            "title",
            "sub",
            &[panel("time", lines.clone()), panel("bytes", lines)],
            &["a note".to_owned()],
        );
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<polyline").count(), 4);
        assert!(svg.contains("a &amp; b") && !svg.contains("a & b"));
        assert!(svg.contains(">a note<") && svg.contains(">10k<") && svg.contains(">1M<"));
        // Every point's value is printed, twice (one per panel).
        for value in ["800", "820", "900", "801", "9000"] {
            assert_eq!(
                svg.matches(&format!(">{value}</text>")).count(),
                2,
                "{value}"
            );
        }
    }

    #[test]
    fn labels_of_a_column_are_kept_apart() {
        let labels = spread(vec![
            (10.0, 100.0, "a".to_owned(), "red"),
            (10.0, 101.0, "b".to_owned(), "red"),
            (10.0, 103.0, "c".to_owned(), "red"),
            (20.0, 101.0, "d".to_owned(), "red"),
        ]);
        let ys: Vec<f64> = labels.iter().map(|label| label.1).collect();
        assert_eq!(
            ys,
            [100.0, 100.0 + LABEL_GAP, 100.0 + 2.0 * LABEL_GAP, 101.0]
        );
    }

    #[test]
    fn an_empty_panel_says_so() {
        let svg = plot("t", "s", &[panel("time", Vec::new())], &[]);
        assert!(svg.contains("no data"));
    }
}

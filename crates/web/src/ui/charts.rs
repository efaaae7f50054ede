//! Server-rendered SVG charts: horizontal bars ([`bars`]), stacked bars ([`stacked`]), lines
//! ([`lines`]) and small multiples ([`multiples`]), so a chart reads without colour and prints as
//! it shows: values are written beside bars and points, series differ by pattern, dash and
//! marker as well as colour, and every legend names its series. Each chart has a title and a
//! description for assistive technology (`role="img"`, `aria-labelledby`), and the page puts
//! the table with the same numbers beside it. A value hidden by disclosure control gets no bar
//! or point but a hatched marker (bars) or a gap (lines), and the word "afgeschermd".

use std::fmt::Write;

/// One bar: its label and value (`None`: hidden).
pub struct Bar {
    pub label: String,
    pub value: Option<u64>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Dutch digit grouping: 1234567 → "1.234.567".
pub fn grouped(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// One series of a stacked or line chart: its label and a value per category (`None`: hidden).
pub struct Series {
    pub label: String,
    pub values: Vec<Option<u64>>,
}

/// Series styles: a fill pattern for bars (defined per chart in [`defs`]), and a colour, dash
/// and marker for lines. Colours have at least 3:1 contrast against white.
const COLOURS: [&str; 6] = ["#01689b", "#b35900", "#42145f", "#275937", "#a90061", "#535353"];
const DASHES: [&str; 6] = ["", "8 4", "2 3", "12 3 2 3", "4 4", "1 2"];

fn open(s: &mut String, id: &str, width: usize, height: usize, title: &str, description: &str) {
    let _ = write!(
        s,
        r#"<svg class="kp-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="{id}-titel {id}-beschrijving"><title id="{id}-titel">{}</title><desc id="{id}-beschrijving">{}</desc>"#,
        escape(title),
        escape(description)
    );
}

/// The hatching for hidden values and one fill pattern per series: solid, diagonal lines,
/// dots, horizontal lines, cross-hatching, vertical lines.
fn defs(s: &mut String, id: &str) {
    let _ = write!(
        s,
        r##"<defs><pattern id="{id}-arcering" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#535353" stroke-width="2"/></pattern>"##
    );
    let c = COLOURS;
    let _ = write!(
        s,
        r##"<pattern id="{id}-p0" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="{}"/></pattern><pattern id="{id}-p1" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="6" height="6" fill="#fbe3cc"/><line x1="0" y1="0" x2="0" y2="6" stroke="{}" stroke-width="3"/></pattern><pattern id="{id}-p2" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#ece3f2"/><circle cx="3" cy="3" r="1.8" fill="{}"/></pattern><pattern id="{id}-p3" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#dcebdf"/><line x1="0" y1="3" x2="6" y2="3" stroke="{}" stroke-width="2.5"/></pattern><pattern id="{id}-p4" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#f7dbe9"/><path d="M0 4H8M4 0V8" stroke="{}" stroke-width="2"/></pattern><pattern id="{id}-p5" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#e6e6e6"/><line x1="3" y1="0" x2="3" y2="6" stroke="{}" stroke-width="2.5"/></pattern></defs>"##,
        c[0], c[1], c[2], c[3], c[4], c[5]
    );
}

/// A legend in one or more lines from `y`, each item a swatch drawn by `swatch(i, x, y)` and
/// its label; returns the height used.
fn legend(s: &mut String, labels: &[String], width: usize, y: usize, swatch: &dyn Fn(&mut String, usize, usize, usize)) -> usize {
    let (mut x, mut line) = (4, 0);
    for (i, l) in labels.iter().enumerate() {
        let w = 30 + l.chars().count() * CHAR;
        if x > 4 && x + w > width {
            x = 4;
            line += 1;
        }
        let ly = y + line * 22;
        swatch(s, i, x, ly);
        let _ = write!(s, r##"<text x="{}" y="{}" dominant-baseline="middle" font-size="13" fill="#1a1a1a">{}</text>"##, x + 24, ly + 8, escape(l));
        x += w + 12;
    }
    (line + 1) * 22 + 6
}

fn hidden_marker(s: &mut String, id: &str, x: usize, y: usize, h: usize) -> usize {
    let _ = write!(s, r##"<rect x="{x}" y="{y}" width="14" height="{h}" fill="url(#{id}-arcering)" stroke="#535353"/>"##);
    let _ = write!(s, r##"<text x="{}" y="{}" dominant-baseline="middle" font-size="13" font-style="italic" fill="#1a1a1a">afgeschermd</text>"##, x + 20, y + h / 2 + 1);
    x + 20 + 11 * CHAR
}

fn clipped(label: &str, max: usize) -> String {
    if label.chars().count() > max {
        label.chars().take(max - 1).chain(['…']).collect()
    } else {
        label.to_string()
    }
}

const ROW: usize = 30;
const BAR_AREA: usize = 320;
const CHAR: usize = 8;

/// A horizontal bar chart. `id` makes the title and description ids unique on the page;
/// `format` writes a value as the table does.
pub fn bars(id: &str, title: &str, description: &str, bars: &[Bar], format: &dyn Fn(u64) -> String) -> String {
    let label_width = bars.iter().map(|b| b.label.chars().count()).max().unwrap_or(0).clamp(6, 44) * CHAR + 12;
    let value_width = bars.iter().map(|b| b.value.map_or(11, |v| format(v).chars().count())).max().unwrap_or(4) * CHAR + 16;
    let width = label_width + BAR_AREA + value_width;
    let height = bars.len().max(1) * ROW + 8;
    let max = bars.iter().filter_map(|b| b.value).max().unwrap_or(0).max(1);
    let mut s = String::new();
    open(&mut s, id, width, height, title, description);
    defs(&mut s, id);
    for (i, b) in bars.iter().enumerate() {
        let y = i * ROW + 4;
        let text_y = y + ROW / 2 + 1;
        let _ = write!(
            s,
            r##"<text x="{}" y="{text_y}" text-anchor="end" dominant-baseline="middle" font-size="14" fill="#1a1a1a">{}</text>"##,
            label_width - 8,
            escape(&clipped(&b.label, 44))
        );
        match b.value {
            Some(v) => {
                let w = if v == 0 { 0 } else { ((v as f64 / max as f64) * BAR_AREA as f64).round().max(2.0) as usize };
                let _ = write!(s, r##"<rect class="kp-chart__bar" x="{label_width}" y="{}" width="{w}" height="{}" fill="#01689b"/>"##, y + 4, ROW - 10);
                let _ = write!(s, r##"<text x="{}" y="{text_y}" dominant-baseline="middle" font-size="14" fill="#1a1a1a">{}</text>"##, label_width + w + 6, escape(&format(v)));
            }
            None => {
                hidden_marker(&mut s, id, label_width, y + 4, ROW - 10);
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// Stacked horizontal bars: one bar per category (a region), one segment per series, each
/// series its own pattern, with the category's total written at the end. `totals` are the
/// published totals; what the hidden values of a category add up to (its total minus what is
/// shown, which the table also gives) is a hatched segment.
pub fn stacked(id: &str, title: &str, description: &str, categories: &[String], series: &[Series], totals: &[Option<u64>], format: &dyn Fn(u64) -> String) -> String {
    const AREA: usize = 400;
    let label_width = categories.iter().map(|c| c.chars().count()).max().unwrap_or(0).clamp(6, 44) * CHAR + 12;
    let value_width = totals.iter().map(|t| t.map_or(11, |v| format(v).chars().count())).max().unwrap_or(4).max(11) * CHAR + 40;
    let width = label_width + AREA + value_width;
    let any_hidden = totals.iter().any(Option::is_none) || series.iter().any(|x| x.values.iter().any(Option::is_none));
    let labels: Vec<String> = series.iter().map(|x| x.label.clone()).chain(any_hidden.then(|| "afgeschermd".to_string())).collect();
    let mut s = String::new();
    let mut body = String::new();
    let legend_height = legend(&mut body, &labels, width, 4, &|s, i, x, y| {
        let fill = if i < series.len() { format!("url(#{id}-p{})", i % 6) } else { format!("url(#{id}-arcering)") };
        let _ = write!(s, r##"<rect x="{x}" y="{y}" width="18" height="16" fill="{fill}" stroke="#1a1a1a"/>"##);
    });
    let shown_sum = |i: usize| -> u64 { series.iter().filter_map(|x| x.values.get(i).copied().flatten()).sum() };
    let scale = categories.iter().enumerate().map(|(i, _)| totals.get(i).copied().flatten().unwrap_or(0).max(shown_sum(i))).max().unwrap_or(0).max(1);
    let top = legend_height + 4;
    for (i, c) in categories.iter().enumerate() {
        let y = top + i * ROW;
        let text_y = y + ROW / 2 + 1;
        let _ = write!(
            body,
            r##"<text x="{}" y="{text_y}" text-anchor="end" dominant-baseline="middle" font-size="14" fill="#1a1a1a">{}</text>"##,
            label_width - 8,
            escape(&clipped(c, 44))
        );
        let mut x = label_width as f64;
        let width_of = |v: u64| v as f64 / scale as f64 * AREA as f64;
        for (j, ser) in series.iter().enumerate() {
            if let Some(v) = ser.values.get(i).copied().flatten().filter(|v| *v > 0) {
                let w = width_of(v);
                let _ = write!(body, r##"<rect x="{x:.1}" y="{}" width="{w:.1}" height="{}" fill="url(#{id}-p{})" stroke="#1a1a1a" stroke-width="1"/>"##, y + 4, ROW - 10, j % 6);
                x += w;
            }
        }
        let any_hidden = series.iter().any(|ser| matches!(ser.values.get(i), Some(None)));
        match totals.get(i).copied().flatten() {
            Some(total) => {
                let rest = total.saturating_sub(shown_sum(i));
                if any_hidden && rest > 0 {
                    let w = width_of(rest).max(6.0);
                    let _ = write!(body, r##"<rect x="{x:.1}" y="{}" width="{w:.1}" height="{}" fill="url(#{id}-arcering)" stroke="#535353"/>"##, y + 4, ROW - 10);
                    x += w;
                }
                let _ = write!(body, r##"<text x="{:.1}" y="{text_y}" dominant-baseline="middle" font-size="14" fill="#1a1a1a">{}</text>"##, x + 6.0, escape(&format(total)));
            }
            None => {
                hidden_marker(&mut body, id, x.round() as usize + 2, y + 4, ROW - 10);
            }
        }
    }
    let height = top + categories.len().max(1) * ROW + 8;
    open(&mut s, id, width, height, title, description);
    defs(&mut s, id);
    s.push_str(&body);
    s.push_str("</svg>");
    s
}

/// A round upper bound for an axis and its step: 1, 2 or 5 times a power of ten.
fn axis(max: u64) -> (u64, u64) {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            let st = step.saturating_mul(m);
            if st.saturating_mul(4) >= max {
                return (st.saturating_mul(max.div_ceil(st).max(1)), st);
            }
        }
        step = step.saturating_mul(10);
    }
}

/// A line chart: one line per series over the categories (quarters, months), each series with
/// its own colour, dash and marker, the value written at every point; a hidden value is a gap
/// in its line with an "×" on the axis.
pub fn lines(id: &str, title: &str, description: &str, categories: &[String], series: &[Series], format: &dyn Fn(u64) -> String) -> String {
    const LEFT: usize = 64;
    let step_x = 150usize;
    let plot_w = step_x * categories.len().max(1);
    let width = LEFT + plot_w + 24;
    let labels: Vec<String> = series.iter().map(|x| x.label.clone()).collect();
    let any_hidden = series.iter().any(|x| x.values.iter().any(Option::is_none));
    let mut legend_labels = labels.clone();
    if any_hidden {
        legend_labels.push("× afgeschermd".into());
    }
    let mut body = String::new();
    let legend_height = legend(&mut body, &legend_labels, width, 4, &|s, i, x, y| {
        if i < series.len() {
            let _ =
                write!(s, r##"<line x1="{x}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3" stroke-dasharray="{}"/>"##, y + 8, x + 18, y + 8, COLOURS[i % 6], DASHES[i % 6]);
            marker(s, i, x + 9, y + 8);
        }
    });
    let top = legend_height + 16;
    let plot_h = 220usize;
    let (max, step) = axis(series.iter().flat_map(|x| x.values.iter().flatten().copied()).max().unwrap_or(0).max(1));
    let y_of = |v: u64| top as f64 + plot_h as f64 * (1.0 - v as f64 / max as f64);
    let mut tick = 0;
    while tick <= max {
        let y = y_of(tick);
        let _ = write!(body, r##"<line x1="{LEFT}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#cccccc" stroke-width="1"/>"##, LEFT + plot_w);
        let _ = write!(body, r##"<text x="{}" y="{y:.1}" text-anchor="end" dominant-baseline="middle" font-size="12" fill="#1a1a1a">{}</text>"##, LEFT - 6, escape(&format(tick)));
        tick += step;
    }
    let x_of = |i: usize| LEFT + step_x / 2 + i * step_x;
    for (i, c) in categories.iter().enumerate() {
        let _ = write!(body, r##"<text x="{}" y="{}" text-anchor="middle" font-size="13" fill="#1a1a1a">{}</text>"##, x_of(i), top + plot_h + 20, escape(&clipped(c, 18)));
    }
    for (j, ser) in series.iter().enumerate() {
        let mut run: Vec<(usize, f64)> = Vec::new();
        let mut runs: Vec<Vec<(usize, f64)>> = Vec::new();
        for (i, v) in ser.values.iter().enumerate().take(categories.len()) {
            match v {
                Some(v) => run.push((x_of(i), y_of(*v))),
                None => {
                    runs.push(std::mem::take(&mut run));
                    let _ = write!(
                        body,
                        r##"<text x="{}" y="{}" text-anchor="middle" font-size="14" font-weight="bold" fill="{}">×</text>"##,
                        x_of(i),
                        top + plot_h - 4 - 14 * j,
                        COLOURS[j % 6]
                    );
                }
            }
        }
        runs.push(run);
        for r in runs.iter().filter(|r| r.len() > 1) {
            let points: Vec<String> = r.iter().map(|(x, y)| format!("{x},{y:.1}")).collect();
            let _ = write!(body, r##"<polyline points="{}" fill="none" stroke="{}" stroke-width="3" stroke-dasharray="{}"/>"##, points.join(" "), COLOURS[j % 6], DASHES[j % 6]);
        }
        for (i, v) in ser.values.iter().enumerate().take(categories.len()) {
            if let Some(v) = v {
                let (x, y) = (x_of(i), y_of(*v));
                marker(&mut body, j, x, y.round() as usize);
                let _ = write!(body, r##"<text x="{}" y="{:.1}" font-size="12" fill="#1a1a1a">{}</text>"##, x + 8, y - 8.0 + 12.0 * j as f64 / 2.0, escape(&format(*v)));
            }
        }
    }
    let height = top + plot_h + 32;
    let mut s = String::new();
    open(&mut s, id, width, height, title, description);
    s.push_str(&body);
    s.push_str("</svg>");
    s
}

/// A series' marker: circle, square, triangle, diamond, and so on.
fn marker(s: &mut String, series: usize, x: usize, y: usize) {
    let c = COLOURS[series % 6];
    let (x, y) = (x as i64, y as i64);
    let _ = match series % 4 {
        0 => write!(s, r##"<circle cx="{x}" cy="{y}" r="5" fill="{c}" stroke="#ffffff" stroke-width="1"/>"##),
        1 => write!(s, r##"<rect x="{}" y="{}" width="10" height="10" fill="{c}" stroke="#ffffff" stroke-width="1"/>"##, x - 5, y - 5),
        2 => write!(s, r##"<path d="M{x} {} L{} {} L{} {} Z" fill="{c}" stroke="#ffffff" stroke-width="1"/>"##, y - 6, x + 6, y + 5, x - 6, y + 5),
        _ => write!(s, r##"<path d="M{x} {} L{} {y} L{x} {} L{} {y} Z" fill="{c}" stroke="#ffffff" stroke-width="1"/>"##, y - 6, x + 6, y + 6, x - 6),
    };
}

/// Small multiples: one small bar chart per category (a region), all on the same scale, each
/// bar a series (a measure) with its label and value, so regions compare at a glance.
pub fn multiples(id: &str, title: &str, description: &str, categories: &[String], series: &[Series], format: &dyn Fn(u64) -> String) -> String {
    const AREA: usize = 130;
    const LINE: usize = 22;
    let label_width = series.iter().map(|x| x.label.chars().count()).max().unwrap_or(0).clamp(4, 26) * 7 + 8;
    let value_width = series.iter().flat_map(|x| x.values.iter()).map(|v| v.map_or(11, |v| format(v).chars().count())).max().unwrap_or(4) * 7 + 12;
    let panel_w = label_width + AREA + value_width + 16;
    let panel_h = 26 + series.len() * LINE + 12;
    let per_row = if panel_w * 3 <= 1100 { 3 } else { 2 };
    let rows = categories.len().div_ceil(per_row).max(1);
    let width = per_row * panel_w;
    let height = rows * panel_h + 4;
    let max = series.iter().flat_map(|x| x.values.iter().flatten().copied()).max().unwrap_or(0).max(1);
    let mut s = String::new();
    open(&mut s, id, width, height, title, description);
    defs(&mut s, id);
    for (i, c) in categories.iter().enumerate() {
        let (px, py) = ((i % per_row) * panel_w, (i / per_row) * panel_h);
        let _ = write!(s, r##"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#cccccc"/>"##, px + 2, py + 2, panel_w - 8, panel_h - 6);
        let _ = write!(s, r##"<text x="{}" y="{}" font-size="14" font-weight="bold" fill="#1a1a1a">{}</text>"##, px + 10, py + 20, escape(&clipped(c, (panel_w - 20) / 8)));
        for (j, ser) in series.iter().enumerate() {
            let y = py + 28 + j * LINE;
            let text_y = y + LINE / 2;
            let _ = write!(
                s,
                r##"<text x="{}" y="{text_y}" text-anchor="end" dominant-baseline="middle" font-size="12" fill="#1a1a1a">{}</text>"##,
                px + label_width,
                escape(&clipped(&ser.label, 26))
            );
            let x0 = px + label_width + 6;
            match ser.values.get(i).copied().flatten() {
                Some(v) => {
                    let w = if v == 0 { 0 } else { ((v as f64 / max as f64) * AREA as f64).round().max(2.0) as usize };
                    let _ = write!(s, r##"<rect x="{x0}" y="{}" width="{w}" height="{}" fill="{}"/>"##, y + 4, LINE - 8, COLOURS[0]);
                    let _ = write!(s, r##"<text x="{}" y="{text_y}" dominant-baseline="middle" font-size="12" fill="#1a1a1a">{}</text>"##, x0 + w + 4, escape(&format(v)));
                }
                None => {
                    let _ = write!(s, r##"<rect x="{x0}" y="{}" width="10" height="{}" fill="url(#{id}-arcering)" stroke="#535353"/>"##, y + 4, LINE - 8);
                    let _ = write!(s, r##"<text x="{}" y="{text_y}" dominant-baseline="middle" font-size="12" font-style="italic" fill="#1a1a1a">afgeschermd</text>"##, x0 + 14);
                }
            }
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_names_itself_escapes_labels_and_marks_hidden_values() {
        let svg = bars(
            "t",
            "Signalen <per> regio",
            "Aantal per regio",
            &[Bar { label: "RIEC A&B".into(), value: Some(1234) }, Bar { label: "RIEC C".into(), value: None }, Bar { label: "RIEC D".into(), value: Some(0) }],
            &|v| grouped(v),
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="img""#) && svg.contains(r#"aria-labelledby="t-titel t-beschrijving""#));
        assert!(svg.contains("Signalen &lt;per&gt; regio") && svg.contains("RIEC A&amp;B"));
        assert!(svg.contains("1.234") && svg.contains("afgeschermd") && svg.contains("url(#t-arcering)"));
        assert!(svg.contains(r#"width="0""#), "zero is a bar of no length, not hidden");
    }

    fn series(label: &str, values: &[Option<u64>]) -> Series {
        Series { label: label.into(), values: values.to_vec() }
    }

    #[test]
    fn stacked_bars_give_each_series_a_pattern_and_hatch_what_is_hidden() {
        let svg = stacked(
            "s",
            "Weging",
            "Gestapeld",
            &["RIEC A".into(), "RIEC B".into()],
            &[series("Afgewezen", &[None, Some(10)]), series("Casus", &[Some(20), Some(30)])],
            &[Some(23), None],
            &|v| grouped(v),
        );
        // A pattern per series in the legend and the bars; the hidden part of A (23 − 20 = 3,
        // which the table gives too) hatched; B's total hidden, so marked.
        assert!(svg.contains("url(#s-p0)") && svg.contains("url(#s-p1)"), "{svg}");
        assert!(svg.contains(">Afgewezen<") && svg.contains(">Casus<") && svg.contains(">afgeschermd<"));
        assert!(svg.contains(">23<") && !svg.contains(">3<"), "a hidden value is never written: {svg}");
        assert_eq!(svg.matches("url(#s-arcering)").count(), 3, "legend, A's hidden part, B's marker: {svg}");
    }

    #[test]
    fn a_line_breaks_where_a_value_is_hidden() {
        let svg = lines(
            "l",
            "Verloop",
            "Lijn",
            &["1e kwartaal".into(), "2e kwartaal".into(), "3e kwartaal".into()],
            &[series("Signalen", &[Some(10), None, Some(30)]), series("Casussen", &[Some(5), Some(6), Some(7)])],
            &|v| grouped(v),
        );
        // The first series has two single points (no line across the gap), the second one line.
        assert_eq!(svg.matches("<polyline").count(), 1, "{svg}");
        assert!(svg.contains("× afgeschermd") && svg.contains(">×<"));
        assert!(svg.contains(r#"stroke-dasharray="8 4""#), "the second series is dashed");
        assert!(svg.contains(">10<") && svg.contains(">30<") && svg.contains(">7<"));
    }

    #[test]
    fn small_multiples_share_one_scale() {
        let svg =
            multiples("m", "Casussen", "Klein", &["RIEC A".into(), "RIEC B".into()], &[series("Geopend", &[Some(100), Some(50)]), series("Afgesloten", &[None, Some(0)])], &|v| {
                grouped(v)
            });
        // 100 fills the bar area (130), 50 half of it, in both panels alike.
        assert!(svg.contains(r#"width="130""#) && svg.contains(r#"width="65""#), "{svg}");
        assert!(svg.contains(">RIEC A<") && svg.contains(">RIEC B<") && svg.contains("afgeschermd"));
    }

    #[test]
    fn an_axis_ends_on_a_round_number() {
        assert_eq!(axis(1), (1, 1));
        assert_eq!(axis(7), (8, 2));
        assert_eq!(axis(108), (150, 50));
        assert_eq!(axis(1234), (1500, 500));
    }

    #[test]
    fn digits_are_grouped_the_dutch_way() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1.000");
        assert_eq!(grouped(1234567), "1.234.567");
    }
}

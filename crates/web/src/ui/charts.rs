//! Server-rendered SVG charts: horizontal bars, one per row, with the value written beside each
//! bar, so the chart reads without colour and prints as it shows. Each chart has a title and a
//! description for assistive technology (`role="img"`, `aria-labelledby`), and the page puts
//! the table with the same numbers beside it. A value hidden by disclosure control gets no bar
//! but a hatched marker and the word "afgeschermd".

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
    let _ = write!(
        s,
        r#"<svg class="kp-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="{id}-titel {id}-beschrijving"><title id="{id}-titel">{}</title><desc id="{id}-beschrijving">{}</desc>"#,
        escape(title),
        escape(description)
    );
    let _ = write!(
        s,
        r##"<defs><pattern id="{id}-arcering" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#535353" stroke-width="2"/></pattern></defs>"##
    );
    for (i, b) in bars.iter().enumerate() {
        let y = i * ROW + 4;
        let text_y = y + ROW / 2 + 1;
        let label: String = if b.label.chars().count() > 44 { b.label.chars().take(43).chain(['…']).collect() } else { b.label.clone() };
        let _ = write!(s, r##"<text x="{}" y="{text_y}" text-anchor="end" dominant-baseline="middle" font-size="14" fill="#1a1a1a">{}</text>"##, label_width - 8, escape(&label));
        match b.value {
            Some(v) => {
                let w = if v == 0 { 0 } else { ((v as f64 / max as f64) * BAR_AREA as f64).round().max(2.0) as usize };
                let _ = write!(s, r##"<rect class="kp-chart__bar" x="{label_width}" y="{}" width="{w}" height="{}" fill="#01689b"/>"##, y + 4, ROW - 10);
                let _ = write!(s, r##"<text x="{}" y="{text_y}" dominant-baseline="middle" font-size="14" fill="#1a1a1a">{}</text>"##, label_width + w + 6, escape(&format(v)));
            }
            None => {
                let _ = write!(s, r##"<rect x="{label_width}" y="{}" width="14" height="{}" fill="url(#{id}-arcering)" stroke="#535353"/>"##, y + 4, ROW - 10);
                let _ =
                    write!(s, r##"<text x="{}" y="{text_y}" dominant-baseline="middle" font-size="14" font-style="italic" fill="#1a1a1a">afgeschermd</text>"##, label_width + 20);
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

    #[test]
    fn digits_are_grouped_the_dutch_way() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1.000");
        assert_eq!(grouped(1234567), "1.234.567");
    }
}

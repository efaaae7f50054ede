//! Analysis: the network picture (server-side SVG) with its table, and the timeline.

use super::*;

use super::layout::{place, RADIUS};

#[derive(Template)]
#[template(path = "case_analysis.html")]
pub struct AnalysisPage {
    pub page: Page,
    pub errors: FormErrors,
    pub case_id: i64,
    pub reference: String,
    pub title: String,
    pub width: i64,
    pub height: i64,
    pub radius: i64,
    /// (x, y, label, colour, letter)
    pub nodes: Vec<(i64, i64, String, &'static str, &'static str)>,
    /// (x1, y1, x2, y2, label x, label y, label)
    pub edges: Vec<(i64, i64, i64, i64, i64, i64, String)>,
    pub relations: Vec<(String, String, String, String)>,
    /// (day as people write it, what happened)
    pub timeline: Vec<(String, String)>,
    /// The filter: kinds offered (code, label, chosen), period as entered.
    pub kinds: Vec<(String, String, bool)>,
    pub from: String,
    pub to: String,
    /// Subjects in the case, and how many the picture shows.
    pub total_subjects: usize,
}

/// The picture's filter: subject kinds (none chosen: all) and a period that relations overlap.
struct Filter {
    kinds: Vec<String>,
    from: Option<String>,
    to: Option<String>,
}

fn filter_of(p: &Pairs) -> (Filter, FormErrors, String, String) {
    let kinds: Vec<String> = all(p, "soort").into_iter().filter(|k| SubjectKind::parse(k).is_ok()).collect();
    let (from_raw, to_raw) = (one(p, "vanaf"), one(p, "tot"));
    let mut errors = FormErrors::default();
    let mut date = |field: &str, raw: &str| {
        if raw.trim().is_empty() {
            return None;
        }
        match knooppunt_domain::case::parse_date(raw) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(field, &e);
                None
            }
        }
    };
    let from = date("vanaf", &from_raw);
    let to = date("tot", &to_raw);
    if let (Some(f), Some(t)) = (&from, &to) {
        if t < f {
            errors.push("tot", "De periode eindigt vóór ze begint; kies een latere einddatum.");
        }
    }
    (Filter { kinds, from, to }, errors, from_raw, to_raw)
}

impl Filter {
    fn shows_kind(&self, kind: &str) -> bool {
        self.kinds.is_empty() || self.kinds.iter().any(|k| k == kind)
    }

    /// Does a relation valid from `from` to `to` (empty: open) overlap the period?
    fn overlaps(&self, from: &str, to: &str) -> bool {
        let starts_in_time = self.to.as_deref().is_none_or(|end| from.is_empty() || from <= end);
        let lasts_long_enough = self.from.as_deref().is_none_or(|start| to.is_empty() || to >= start);
        starts_in_time && lasts_long_enough
    }
}

pub async fn analysis(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, Query(q): Query<Pairs>) -> Response {
    let id = match parse_id(&raw, "casus") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let d = match s.app.case(&rc.ctx, id).await {
        Ok(d) => d,
        Err(e) => return fail(&s, &rc, e),
    };
    let (filter, errors, from_raw, to_raw) = filter_of(&q);
    let shown: Vec<&SubjectRow> = d.subjects.iter().filter(|x| filter.shows_kind(&x.kind)).collect();
    let index: std::collections::HashMap<i64, usize> = shown.iter().enumerate().map(|(i, x)| (x.id, i)).collect();
    // The relations in the period between two subjects in the picture, with their node indexes.
    let (relations, pairs): (Vec<&knooppunt_app::views::RelationRow>, Vec<(usize, usize)>) = d
        .relations
        .iter()
        .filter(|r| filter.overlaps(&r.valid_from, &r.valid_to))
        .filter_map(|r| Some((r, (*index.get(&r.from_subject_id)?, *index.get(&r.to_subject_id)?))))
        .unzip();
    let labels: Vec<&str> = shown.iter().map(|x| x.display_name.as_str()).collect();
    let (placed, width, height) = place(&labels, &pairs);
    let nodes = shown
        .iter()
        .zip(&placed)
        .map(|(x, p)| {
            let (colour, letter) = match SubjectKind::parse(&x.kind) {
                Ok(SubjectKind::Person) => ("#1f3a5f", "P"),
                Ok(SubjectKind::Company) => ("#7a2e00", "R"),
                Ok(SubjectKind::Address) => ("#2d5a27", "A"),
                Ok(SubjectKind::Vehicle) => ("#5b2a6e", "V"),
                _ => ("#4a4a4a", "B"),
            };
            (p.x.round() as i64, p.y.round() as i64, x.display_name.clone(), colour, letter)
        })
        .collect();
    // Two relations between the same pair put their labels at different points of the line.
    let mut seen: Vec<(usize, usize)> = Vec::new();
    let edges = relations
        .iter()
        .zip(&pairs)
        .map(|(r, &(a, b))| {
            let key = (a.min(b), a.max(b));
            let nth = seen.iter().filter(|k| **k == key).count();
            seen.push(key);
            let t = [0.5, 0.35, 0.65, 0.2, 0.8].get(nth).copied().unwrap_or(0.5);
            let (pa, pb) = (placed[a], placed[b]);
            let (lx, ly) = (pa.x + (pb.x - pa.x) * t, pa.y + (pb.y - pa.y) * t);
            (
                pa.x.round() as i64,
                pa.y.round() as i64,
                pb.x.round() as i64,
                pb.y.round() as i64,
                lx.round() as i64,
                ly.round() as i64 + 4,
                label(RelationKind::parse, RelationKind::label, &r.kind),
            )
        })
        .collect();
    render_status(
        if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST },
        &AnalysisPage {
            page: page(&s, &rc, &format!("Analyse {}", d.case.reference), "/casussen", None),
            errors,
            case_id: id,
            reference: d.case.reference.clone(),
            title: d.case.title.clone(),
            width: width.ceil() as i64,
            height: height.ceil() as i64,
            radius: RADIUS as i64,
            nodes,
            edges,
            relations: relations.iter().map(|r| relation_text(&d, r)).collect(),
            timeline: timeline(&d),
            kinds: SubjectKind::ALL.iter().map(|k| (k.code().to_string(), k.label().to_string(), filter.kinds.iter().any(|c| c == k.code()))).collect(),
            from: from_raw,
            to: to_raw,
            total_subjects: d.subjects.len(),
        },
    )
}

/// What happened in the case by date: relations beginning and ending, information, decisions,
/// meetings and phases. Sorted by day; on one day in the order things happened (the phases in
/// the order the case went through them).
fn timeline(d: &CaseDetail) -> Vec<(String, String)> {
    // (ISO day, moment within the day when known, what)
    let mut t: Vec<(String, i64, String)> = Vec::new();
    for r in &d.relations {
        let (a, k, b, _) = relation_text(d, r);
        if !r.valid_from.is_empty() {
            t.push((r.valid_from.clone(), 0, format!("Begin: {a} {k} {b}")));
        }
        if !r.valid_to.is_empty() {
            t.push((r.valid_to.clone(), 0, format!("Einde: {a} {k} {b}")));
        }
    }
    for i in &d.items {
        t.push((i.item.info_date.clone(), 0, format!("Informatie van {}: {}", i.item.supplier_name, i.item.title)));
    }
    for v in &d.interventions {
        if !v.decision_date.is_empty() {
            t.push((v.decision_date.clone(), 0, format!("Besluit {}: {}", v.type_name, v.decision)));
        }
        if !v.completed_date.is_empty() {
            t.push((v.completed_date.clone(), 0, format!("{} {}", v.type_name, label(InterventionStatus::parse, InterventionStatus::label, &v.status).to_lowercase())));
        }
    }
    for m in &d.meetings {
        t.push((m.held_on.clone(), 0, "Integraal overleg".into()));
    }
    for e in &d.events {
        if !e.to_phase.is_empty() {
            t.push((crate::ui::labels::iso_of(e.at), e.at, format!("Fase {}", phase_label(&e.to_phase).to_lowercase())));
        }
    }
    t.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    t.into_iter().map(|(day, _, what)| (crate::ui::labels::iso_day(&day), what)).collect()
}

//! Analysis: the network picture (server-side SVG) with its table, and the timeline.

use super::*;

#[derive(Template)]
#[template(path = "case_analysis.html")]
pub struct AnalysisPage {
    pub page: Page,
    pub case_id: i64,
    pub reference: String,
    pub title: String,
    pub size: i64,
    /// (x, y, label, colour, letter)
    pub nodes: Vec<(i64, i64, String, &'static str, &'static str)>,
    /// (x1, y1, x2, y2, label x, label y, label)
    pub edges: Vec<(i64, i64, i64, i64, i64, i64, String)>,
    pub relations: Vec<(String, String, String, String)>,
    pub timeline: Vec<(String, String)>,
}

/// Places the subjects on a circle (deterministic, readable up to a few dozen nodes).
fn layout(n: usize, size: f64) -> Vec<(i64, i64)> {
    let c = size / 2.0;
    let r = if n <= 1 { 0.0 } else { size / 2.0 - 70.0 };
    (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n.max(1) as f64 - std::f64::consts::FRAC_PI_2;
            ((c + r * a.cos()).round() as i64, (c + r * a.sin()).round() as i64)
        })
        .collect()
}

fn short(name: &str) -> String {
    let n: String = name.chars().take(22).collect();
    if name.chars().count() > 22 {
        format!("{n}…")
    } else {
        n
    }
}

pub async fn analysis(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>) -> Response {
    let id = match parse_id(&raw, "casus") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let d = match s.app.case(&rc.ctx, id).await {
        Ok(d) => d,
        Err(e) => return fail(&s, &rc, e),
    };
    let size = 640.0;
    let pos = layout(d.subjects.len(), size);
    let nodes = d
        .subjects
        .iter()
        .zip(&pos)
        .map(|(x, (px, py))| {
            let (colour, letter) = match SubjectKind::parse(&x.kind) {
                Ok(SubjectKind::Person) => ("#1f3a5f", "P"),
                Ok(SubjectKind::Company) => ("#7a2e00", "R"),
                Ok(SubjectKind::Address) => ("#2d5a27", "A"),
                Ok(SubjectKind::Vehicle) => ("#5b2a6e", "V"),
                _ => ("#4a4a4a", "B"),
            };
            (*px, *py, short(&x.display_name), colour, letter)
        })
        .collect();
    let at = |sid: i64| d.subjects.iter().position(|x| x.id == sid).and_then(|i| pos.get(i).copied());
    let edges = d
        .relations
        .iter()
        .filter_map(|r| {
            let (a, b) = (at(r.from_subject_id)?, at(r.to_subject_id)?);
            Some((a.0, a.1, b.0, b.1, (a.0 + b.0) / 2, (a.1 + b.1) / 2 - 6, label(RelationKind::parse, RelationKind::label, &r.kind)))
        })
        .collect();
    let mut timeline: Vec<(String, String)> = Vec::new();
    for r in &d.relations {
        let (a, k, b, _) = relation_text(&d, r);
        if !r.valid_from.is_empty() {
            timeline.push((r.valid_from.clone(), format!("Begin: {a} {k} {b}")));
        }
        if !r.valid_to.is_empty() {
            timeline.push((r.valid_to.clone(), format!("Einde: {a} {k} {b}")));
        }
    }
    for i in &d.items {
        timeline.push((i.item.info_date.clone(), format!("Informatie van {}: {}", i.item.supplier_name, i.item.title)));
    }
    for v in &d.interventions {
        if !v.decision_date.is_empty() {
            timeline.push((v.decision_date.clone(), format!("Besluit {}: {}", v.type_name, v.decision)));
        }
        if !v.completed_date.is_empty() {
            timeline.push((v.completed_date.clone(), format!("{} {}", v.type_name, label(InterventionStatus::parse, InterventionStatus::label, &v.status).to_lowercase())));
        }
    }
    for m in &d.meetings {
        timeline.push((m.held_on.clone(), "Integraal overleg".into()));
    }
    for e in &d.events {
        if !e.to_phase.is_empty() {
            timeline.push((day(e.at), format!("Fase {}", phase_label(&e.to_phase).to_lowercase())));
        }
    }
    timeline.sort();
    render(&AnalysisPage {
        page: page(&s, &rc, &format!("Analyse {}", d.case.reference), "/casussen", None),
        case_id: id,
        reference: d.case.reference.clone(),
        title: d.case.title.clone(),
        size: size as i64,
        nodes,
        edges,
        relations: d.relations.iter().map(|r| relation_text(&d, r)).collect(),
        timeline,
    })
}

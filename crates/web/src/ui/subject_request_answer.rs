//! The answer to a request of a data subject, per partner in its own name: as a page, as JSON
//! and as a PDF (the document the receiving partner sends).

use super::labels;
use super::subject_requests::{ground_label, kind_label, position_label};
use super::templates::Page;
use super::{fail, page, render, Signed};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use knooppunt_app::subject_requests::Answer;
use knooppunt_app::AppError;
use knooppunt_pdf::Block;

/// Who processed: the organisation, or knooppunt itself for its own automatic processing.
fn processed_by(organisation: &str) -> String {
    if organisation.is_empty() {
        "Knooppunt zelf (automatische vergelijking tussen regio's)".to_string()
    } else {
        organisation.to_string()
    }
}

pub struct AnswerLine {
    pub name: String,
    pub position: String,
    pub ground: String,
    pub note: String,
    pub subjects: Vec<(String, String, String, String)>,
    pub items: Vec<(String, String, String, String, String)>,
    /// Organisation, processing, how often, from, until.
    pub processing: Vec<(String, String, i64, String, String)>,
}

#[derive(Template)]
#[template(path = "subject_request_answer.html")]
pub struct AnswerPage {
    pub page: Page,
    pub a: Answer,
    pub kind: String,
    pub received_on: String,
    pub deadline: String,
    pub lines: Vec<AnswerLine>,
    pub archive_note: Option<String>,
}

/// What the answer says when older processing-log lines are in the log archive: the lists of
/// who processed cover the time since.
pub(crate) fn archive_note(a: &Answer) -> Option<String> {
    a.log_archived_until.map(|until| {
        format!(
            "De overzichten van wie uw gegevens verwerkte, beslaan de periode vanaf {}. Oudere verwerkingen staan in het gearchiveerde verwerkingenlogboek; de functionaris gegevensbescherming zoekt die op uw verzoek na.",
            labels::day(until)
        )
    })
}

/// Each partner's line of the answer in words.
fn lines_of(a: &Answer) -> Vec<AnswerLine> {
    a.parts
        .iter()
        .map(|p| AnswerLine {
            name: p.partner.organisation_name.clone(),
            position: position_label(&p.partner.position),
            ground: ground_label(&p.partner.ground),
            note: p.partner.note.clone(),
            subjects: p.subjects.iter().map(|x| (x.case_reference.clone(), x.display_name.clone(), labels::iso_day(&x.birth_date), x.address.clone())).collect(),
            items: p.items.iter().map(|x| (x.case_reference.clone(), x.title.clone(), labels::iso_day(&x.info_date), x.legal_basis.clone(), x.body.clone())).collect(),
            processing: p
                .processing
                .iter()
                .map(|x| (processed_by(&x.organisation), labels::activity(&x.activity_code), x.times, labels::day(x.first_at), labels::day(x.last_at)))
                .collect(),
        })
        .collect()
}

pub async fn answer(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>) -> Response {
    let Ok(n) = id.parse::<i64>() else { return fail(&s, &rc, AppError::NotFound("verzoek")) };
    match s.app.subject_request_answer(&rc.ctx, n).await {
        Ok(a) => render(&AnswerPage {
            page: page(&s, &rc, &format!("Antwoord op verzoek {}", a.request.reference), "/verzoeken-betrokkenen", None),
            kind: kind_label(&a.request.kind),
            received_on: labels::iso_day(&a.request.received_on),
            deadline: labels::iso_day(&a.deadline),
            lines: lines_of(&a),
            archive_note: archive_note(&a),
            a,
        }),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn answer_json(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>) -> Response {
    let Ok(n) = id.parse::<i64>() else { return fail(&s, &rc, AppError::NotFound("verzoek")) };
    match s.app.subject_request_answer(&rc.ctx, n).await {
        Ok(a) => {
            let body = crate::api::answer_document(&a);
            let name = format!("attachment; filename=\"antwoord-{}.json\"", a.request.reference);
            ([(header::CONTENT_TYPE, "application/json".to_string()), (header::CONTENT_DISPOSITION, name)], body.to_string()).into_response()
        }
        Err(e) => fail(&s, &rc, e),
    }
}

/// The answer as the document the receiving partner sends: every partner's position, ground
/// and note in its own name, and for a providing partner what it holds and who processed it.
pub(crate) fn answer_document(a: &Answer) -> knooppunt_pdf::Document {
    let mut blocks = vec![
        Block::Facts(vec![
            ("Aan".into(), a.request.name.clone()),
            ("Uw verzoek".into(), format!("{}, ontvangen door {} op {}", kind_label(&a.request.kind), a.request.received_by_name, labels::iso_day(&a.request.received_on))),
            ("Kenmerk".into(), a.request.reference.clone()),
            ("Termijn".into(), labels::iso_day(&a.deadline)),
        ]),
        Block::Paragraph(
            "Uw gegevens zijn gedeeld binnen het samenwerkingsverband van het RIEC-LIEC. De partners hieronder zijn elk zelf verantwoordelijk voor wat zij leverden en geven elk in hun eigen naam antwoord."
                .into(),
        ),
    ];
    for l in lines_of(a) {
        blocks.push(Block::Heading(l.name.clone()));
        let mut decision = l.position.clone();
        if !l.ground.is_empty() {
            decision.push_str(&format!(" — grond: {}", l.ground));
        }
        if !l.note.is_empty() {
            decision.push_str(&format!(". {}", l.note));
        }
        blocks.push(Block::Paragraph(decision));
        if !l.subjects.is_empty() {
            blocks.push(Block::Table {
                caption: format!("Gegevens over u bij {}", l.name),
                header: vec!["Dossier".into(), "Naam".into(), "Geboortedatum".into(), "Adres".into()],
                rows: l.subjects.iter().map(|s| vec![s.0.clone(), s.1.clone(), s.2.clone(), s.3.clone()]).collect(),
                widths: vec![1.3, 1.6, 1.4, 2.0],
            });
        }
        for i in &l.items {
            blocks.push(Block::Subheading(format!("{} ({}, {})", i.1, i.0, i.2)));
            blocks.push(Block::Paragraph(format!("Grondslag: {}", i.3)));
            blocks.push(Block::Paragraph(i.4.clone()));
        }
        if !l.processing.is_empty() {
            blocks.push(Block::Table {
                caption: format!("Wie uw gegevens van {} heeft verwerkt (uit het verwerkingenlogboek)", l.name),
                header: vec!["Organisatie".into(), "Verwerking".into(), "Aantal keer".into(), "Eerste keer".into(), "Laatste keer".into()],
                rows: l.processing.iter().map(|x| vec![x.0.clone(), x.1.clone(), x.2.to_string(), x.3.clone(), x.4.clone()]).collect(),
                widths: vec![2.0, 2.0, 0.9, 1.1, 1.1],
            });
        }
    }
    if let Some(note) = archive_note(a) {
        blocks.push(Block::Paragraph(note));
    }
    knooppunt_pdf::Document {
        title: format!("Antwoord op uw verzoek {}", a.request.reference),
        language: "nl".into(),
        blocks,
        footer: format!("Verzoek {} · {}", a.request.reference, a.request.received_by_name),
    }
}

pub async fn answer_pdf(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>) -> Response {
    let Ok(n) = id.parse::<i64>() else { return fail(&s, &rc, AppError::NotFound("verzoek")) };
    match s.app.subject_request_answer(&rc.ctx, n).await {
        Ok(a) => match knooppunt_pdf::render(&answer_document(&a)) {
            Ok(bytes) => {
                let name = format!("attachment; filename=\"antwoord-{}.pdf\"", a.request.reference);
                ([(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, name)], bytes).into_response()
            }
            Err(e) => fail(&s, &rc, AppError::Internal(e.to_string())),
        },
        Err(e) => fail(&s, &rc, e),
    }
}

//! "Synoniemen voor het zoeken": the knowledge editors keep the groups of words the search
//! treats as one (hennep, cannabis, wiet). Each group changes at its version; a stale form is
//! refused with the same message as elsewhere.

use super::templates::Page;
use super::{fail, labels, one, page, path_id, render, render_status, see_other, CsrfForm, FormErrors, Pairs, Signed};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use knooppunt_app::AppError;
use serde::Deserialize;

pub struct GroupLine {
    pub id: i64,
    pub version: i64,
    pub words: String,
    pub changed: String,
}

#[derive(Template)]
#[template(path = "synonyms.html")]
pub struct SynonymsPage {
    pub page: Page,
    pub errors: FormErrors,
    pub groups: Vec<GroupLine>,
    /// What was typed in the form that failed (new group: `words`).
    pub words: String,
}

#[derive(Deserialize, Default)]
pub struct SynonymsQuery {
    #[serde(default)]
    melding: String,
}

async fn synonyms_page(s: &AppState, rc: &RequestCtx, errors: FormErrors, words: String, failed: Option<(i64, String)>, flash: Option<&str>) -> Result<SynonymsPage, AppError> {
    let rows = s.app.synonym_groups(&rc.ctx).await?;
    let mut p = page(s, rc, "Synoniemen voor het zoeken", "/kennis", None);
    p.flash = flash.map(str::to_string);
    Ok(SynonymsPage {
        page: p,
        errors,
        groups: rows
            .into_iter()
            .map(|r| GroupLine {
                words: match &failed {
                    Some((id, typed)) if *id == r.id => typed.clone(),
                    _ => r.words,
                },
                changed: format!("{} door {}", labels::day(r.changed_at), r.changed_by),
                id: r.id,
                version: r.version,
            })
            .collect(),
        words,
    })
}

pub async fn list(State(s): State<AppState>, Signed { rc, .. }: Signed, q: Result<Query<SynonymsQuery>, axum::extract::rejection::QueryRejection>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let flash = match q.melding.as_str() {
        "opgeslagen" => Some("De synoniemen zijn opgeslagen; ze gelden meteen bij het zoeken."),
        "verwijderd" => Some("De synoniemengroep is verwijderd."),
        _ => None,
    };
    match synonyms_page(&s, &rc, FormErrors::default(), String::new(), None, flash).await {
        Ok(p) => render(&p),
        Err(e) => fail(&s, &rc, e),
    }
}

/// Shows the page again with the errors of the form of group `id` (None: the new group).
async fn again(s: &AppState, rc: &RequestCtx, e: AppError, id: Option<i64>, words: String) -> Response {
    let Some(found) = FormErrors::from_app(&e) else { return fail(s, rc, e) };
    let field = match id {
        Some(id) => format!("woorden-{id}"),
        None => "woorden".to_string(),
    };
    let mut errors = FormErrors::default();
    for m in found.all() {
        errors.push(&field, m.message);
    }
    let (new_words, failed) = match id {
        Some(id) => (String::new(), Some((id, words))),
        None => (words, None),
    };
    match synonyms_page(s, rc, errors, new_words, failed, None).await {
        Ok(p) => render_status(StatusCode::BAD_REQUEST, &p),
        Err(e) => fail(s, rc, e),
    }
}

pub async fn create(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let words = one(&p, "woorden");
    match s.app.save_synonyms(&rc.ctx, None, 0, &words).await {
        Ok(_) => see_other("/kennis/synoniemen?melding=opgeslagen"),
        Err(e) => again(&s, &rc, e, None, words).await,
    }
}

pub async fn save(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match path_id(&raw, "synoniemengroep") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let words = one(&p, "woorden");
    let version = one(&p, "versie").trim().parse::<i64>().unwrap_or(0);
    match s.app.save_synonyms(&rc.ctx, Some(id), version, &words).await {
        Ok(_) => see_other("/kennis/synoniemen?melding=opgeslagen"),
        Err(e) => again(&s, &rc, e, Some(id), words).await,
    }
}

pub async fn delete(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match path_id(&raw, "synoniemengroep") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let version = one(&p, "versie").trim().parse::<i64>().unwrap_or(0);
    match s.app.delete_synonyms(&rc.ctx, id, version).await {
        Ok(()) => see_other("/kennis/synoniemen?melding=verwijderd"),
        Err(e) => fail(&s, &rc, e),
    }
}

//! The auditor's audit log: filters (action, result, who, organisation, object, period), paging
//! backwards from the newest line, a CSV export of what the filter selects, and the chain check.

use super::templates::{Audit, AuditLine};
use super::{csv_field, fail, labels, page, render, render_status, when, CsrfForm, FormErrors, Signed};
use crate::context::RequestCtx;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::TimeZone;
use chrono_tz::Europe::Amsterdam;
use knooppunt_app::views::{AuditFilter, AuditRow};
use knooppunt_domain::FieldError;
use serde::{Deserialize, Serialize};

/// The filter as the form and the links carry it.
#[derive(Deserialize, Serialize, Default, Clone)]
pub struct AuditQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) actie: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) resultaat: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) wie: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) organisatie: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) object: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) van: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) tot: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) voor: String,
}

const PAGE: i64 = 100;

/// Midnight at the start of a day in the Netherlands, in milliseconds.
fn local_midnight(iso: &str) -> Option<i64> {
    let d = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()?;
    Amsterdam.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).earliest().map(|t| t.timestamp_millis())
}

/// The store filter, or every mistake in the form.
fn filter_of(q: &AuditQuery) -> Result<AuditFilter, FormErrors> {
    let mut errors = Vec::new();
    let some = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_string());
    let day = |field: &str, raw: &str, errors: &mut Vec<FieldError>, next: bool| -> Option<i64> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match knooppunt_domain::case::parse_date(raw) {
            Ok(iso) => {
                let start = local_midnight(&iso);
                if next {
                    start.map(|ms| ms + 24 * 60 * 60 * 1000)
                } else {
                    start
                }
            }
            Err(m) => {
                errors.push(FieldError::new(field, m));
                None
            }
        }
    };
    let from = day("van", &q.van, &mut errors, false);
    let until = day("tot", &q.tot, &mut errors, true);
    if let (Some(f), Some(u)) = (from, until) {
        if u <= f {
            errors.push(FieldError::new("tot", "Kies een einddatum op of na de begindatum."));
        }
    }
    let organisation_id = match some(&q.organisatie) {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(FieldError::new("organisatie", "Kies een organisatie uit de lijst."));
                None
            }
        },
    };
    let before_seq = match some(&q.voor) {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(FieldError::new("voor", "Deze pagina bestaat niet; begin bij de nieuwste regels."));
                None
            }
        },
    };
    if q.wie.chars().count() > 200 {
        errors.push(FieldError::new("wie", "Zoek met hoogstens 200 tekens."));
    }
    if !errors.is_empty() {
        return Err(FormErrors(errors));
    }
    Ok(AuditFilter {
        action: some(&q.actie),
        actor: some(&q.wie),
        organisation_id,
        object_type: some(&q.object),
        object_id: None,
        result: some(&q.resultaat),
        from,
        until,
        before_seq,
        limit: PAGE,
    })
}

fn query_string(q: &AuditQuery) -> String {
    serde_urlencoded::to_string(q).unwrap_or_default()
}

fn line(r: AuditRow) -> AuditLine {
    AuditLine {
        seq: r.seq,
        at: when(r.entry.at),
        actor: r.entry.actor,
        action: labels::audit_action(&r.entry.action),
        object: labels::object(&r.entry.object_type, &r.entry.object_id),
        result: labels::result(&r.entry.result),
        source: r.entry.source,
        detail: r.entry.detail,
    }
}

async fn audit_page(s: &AppState, rc: &RequestCtx, q: &AuditQuery, verify: Option<(bool, String)>) -> Response {
    let (filter, errors) = match filter_of(q) {
        Ok(f) => (f, FormErrors::default()),
        Err(e) => (AuditFilter { limit: PAGE, ..AuditFilter::default() }, e),
    };
    let found = match s.app.audit_lines(&rc.ctx, &filter).await {
        Ok(p) => p,
        Err(e) => return fail(s, rc, e),
    };
    let organisations = s.app.list_organisations(&rc.ctx, None, None, None).await.unwrap_or_default();
    let next_before = if found.rows.len() as i64 == PAGE { found.rows.last().map(|r| r.seq) } else { None };
    let mut actions: Vec<(String, String)> = found.actions.into_iter().map(|a| (a.clone(), labels::audit_action(&a))).collect();
    actions.sort_by(|a, b| a.1.cmp(&b.1));
    let mut objects: Vec<(String, String)> = found.object_types.into_iter().map(|o| (o.clone(), labels::humanise(&o))).collect();
    objects.sort_by(|a, b| a.1.cmp(&b.1));
    let without_page = AuditQuery { voor: String::new(), ..q.clone() };
    let t = Audit {
        page: page(s, rc, "Auditlog", "/audit", None),
        verify,
        actions: std::iter::once((String::new(), "Alle acties".to_string())).chain(actions).collect(),
        results: std::iter::once((String::new(), "Alle resultaten".to_string()))
            .chain(["ok", "geweigerd", "mislukt"].into_iter().map(|r| (r.to_string(), labels::result(r))))
            .collect(),
        organisations: std::iter::once((String::new(), "Alle organisaties".to_string())).chain(organisations.into_iter().map(|o| (o.id.to_string(), o.name))).collect(),
        objects: std::iter::once((String::new(), "Alle objecten".to_string())).chain(objects).collect(),
        q: without_page.clone(),
        rows: if errors.is_empty() { found.rows.into_iter().map(line).collect() } else { Vec::new() },
        errors,
        next: next_before.map(|n| query_string(&AuditQuery { voor: n.to_string(), ..without_page.clone() })),
        csv: query_string(&without_page),
    };
    if t.errors.is_empty() {
        render(&t)
    } else {
        render_status(StatusCode::BAD_REQUEST, &t)
    }
}

pub async fn audit(State(s): State<AppState>, Signed { rc, .. }: Signed, q: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    audit_page(&s, &rc, &q, None).await
}

/// The lines the filter selects as CSV (semicolon-separated, UTF-8), newest first.
pub async fn audit_csv(State(s): State<AppState>, Signed { rc, .. }: Signed, q: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let filter = match filter_of(&q) {
        Ok(f) => f,
        // The page names the mistakes at their fields.
        Err(_) => return audit_page(&s, &rc, &q, None).await,
    };
    match s.app.export_audit_lines(&rc.ctx, &filter).await {
        Ok(rows) => {
            let mut out = String::from("nr;moment;wie;actie;object;resultaat;bron;toelichting;hash\r\n");
            for r in rows {
                let hash = r.hash.clone();
                let l = line(r);
                let cells = [l.seq.to_string(), l.at, l.actor, l.action, l.object, l.result, l.source, l.detail, hash];
                out.push_str(&cells.iter().map(|v| csv_field(v)).collect::<Vec<_>>().join(";"));
                out.push_str("\r\n");
            }
            ([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"auditlog.csv\"")], out).into_response()
        }
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn verify_audit(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(_): CsrfForm<super::pages::Empty>) -> Response {
    match s.app.verify_audit_chain(&rc.ctx, |_, _| {}).await {
        Ok(report) => {
            let v = match &report.problem {
                None => (true, format!("De keten is in orde: {} regels gecontroleerd.", report.rows_checked)),
                Some(p) => (false, format!("De keten is verbroken: {p}. {} regels waren in orde.", report.rows_checked)),
            };
            audit_page(&s, &rc, &AuditQuery::default(), Some(v)).await
        }
        Err(e) => fail(&s, &rc, e),
    }
}

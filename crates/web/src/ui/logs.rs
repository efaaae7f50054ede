//! "Logboeken": the audit log and the processing log by month, for the auditor and the privacy
//! officer — which months are archived (with the fingerprint of their signed manifest) and what
//! the database still holds.

use super::labels;
use super::templates::Page;
use super::{fail, page, render, Signed};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

pub struct ArchivedRow {
    pub log: &'static str,
    pub month: String,
    pub range: String,
    pub rows: i64,
    pub file: String,
    pub sha: String,
    pub when: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "logs.html")]
pub struct LogsPage {
    pub page: Page,
    pub archived: Vec<ArchivedRow>,
    /// Month in words, audit rows, processing lines.
    pub hot: Vec<(String, i64, i64)>,
    pub keep_months: u32,
}

pub async fn overview(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    match s.app.log_overview(&rc.ctx).await {
        Ok(o) => {
            let archived = o
                .archived
                .into_iter()
                .map(|m| ArchivedRow {
                    log: if m.log == "audit" { "Auditlog" } else { "Verwerkingenlogboek" },
                    month: labels::month(&m.period),
                    range: format!("{} t/m {}", m.first_seq, m.last_seq),
                    rows: m.row_count,
                    file: m.file_name,
                    sha: m.file_sha256,
                    when: labels::when(m.archived_at),
                    by: m.archived_by,
                })
                .collect();
            let hot = o.hot.into_iter().map(|(p, a, l)| (labels::month(&p), a, l)).collect();
            render(&LogsPage { page: page(&s, &rc, "Logboeken per maand", "/verwerkingen", None), archived, hot, keep_months: o.keep_months })
        }
        Err(e) => fail(&s, &rc, e),
    }
}

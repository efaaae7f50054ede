//! "Meldingen": the signed-in user's notifications, newest first, a page at a time; each opens
//! the list where the work is done (and is then read); all can be marked read at once; and the
//! user's choice of an e-mail digest. Works without JavaScript (forms that post).

use super::labels;
use super::templates::Page;
use super::{fail, page, render, see_other, CsrfForm, Signed};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use knooppunt_app::notifications::{NotificationPage, NOTIFICATIONS_PER_PAGE};
use knooppunt_app::AppError;
use serde::Deserialize;

use super::Pairs;

#[derive(Deserialize)]
pub struct ListQuery {
    pub pagina: Option<String>,
    pub melding: Option<String>,
}

fn flash(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "gelezen" => "Alle meldingen zijn als gelezen gemarkeerd.",
        "aan" => "U ontvangt voortaan een overzicht per e-mail als er nieuwe meldingen zijn.",
        "uit" => "U ontvangt geen overzicht per e-mail meer. De meldingen blijven hier staan.",
        _ => return None,
    })
}

pub struct Line {
    pub id: i64,
    pub text: &'static str,
    pub when: String,
    pub read: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
pub struct ListPage {
    pub page: Page,
    pub lines: Vec<Line>,
    pub total: i64,
    pub unread: i64,
    pub email_digest: bool,
    pub number: i64,
    pub pages: i64,
}

impl ListPage {
    pub fn caption(&self) -> String {
        let all = labels::count(self.total, "melding", "meldingen");
        if self.pages > 1 {
            format!("{all}, {} ongelezen; pagina {} van {}", self.unread, self.number, self.pages)
        } else {
            format!("{all}, {} ongelezen", self.unread)
        }
    }
}

pub async fn list(State(s): State<AppState>, Signed { rc, .. }: Signed, Query(q): Query<ListQuery>) -> Response {
    let number = q.pagina.as_deref().and_then(|p| p.trim().parse::<i64>().ok()).filter(|p| *p >= 1).unwrap_or(1);
    let result = s.app.notifications(&rc.ctx, number).await;
    match result {
        Ok(NotificationPage { items, total, unread, email_digest }) => {
            let pages = (total + NOTIFICATIONS_PER_PAGE - 1).div_euclid(NOTIFICATIONS_PER_PAGE).max(1);
            let lines = items.into_iter().map(|n| Line { id: n.id, text: labels::notification(n.kind).0, when: labels::when(n.created_at), read: n.read }).collect();
            render(&ListPage { page: page(&s, &rc, "Meldingen", "/meldingen", flash(q.melding.as_deref())), lines, total, unread, email_digest, number: number.min(pages), pages })
        }
        Err(e) => fail(&s, &rc, e),
    }
}

/// Opens a notification: marks it read and goes to where the work is done.
pub async fn open(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>, CsrfForm(_): CsrfForm<Pairs>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return fail(&s, &rc, AppError::NotFound("melding"));
    };
    match s.app.open_notification(&rc.ctx, id).await {
        Ok(kind) => see_other(labels::notification(kind).1),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn read_all(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(_): CsrfForm<Pairs>) -> Response {
    match s.app.read_all_notifications(&rc.ctx).await {
        Ok(_) => see_other("/meldingen?melding=gelezen"),
        Err(e) => fail(&s, &rc, e),
    }
}

/// The e-mail digest on (the box ticked) or off.
pub async fn setting(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let on = p.iter().any(|(k, v)| k == "email" && v == "aan");
    match s.app.set_email_digest(&rc.ctx, on).await {
        Ok(()) => see_other(if on { "/meldingen?melding=aan" } else { "/meldingen?melding=uit" }),
        Err(e) => fail(&s, &rc, e),
    }
}

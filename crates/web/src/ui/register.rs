//! "Verwerkingsregister": the register of processing activities (art. 30 AVG) as a page, a
//! printable page and CSV, generated from what knooppunt is configured with.

use super::labels;
use super::templates::Page;
use super::{csv_field, fail, page, render, Signed};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use knooppunt_app::register::Register;

#[derive(Template)]
#[template(path = "register.html")]
pub struct RegisterPage {
    pub page: Page,
    pub register: Register,
    pub generated: String,
}

pub async fn register(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    match s.app.processing_register(&rc.ctx).await {
        Ok(register) => {
            let generated = labels::when(register.generated_at);
            render(&RegisterPage { page: page(&s, &rc, "Register van verwerkingsactiviteiten", "/verwerkingen", None), register, generated })
        }
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn register_csv(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    match s.app.processing_register(&rc.ctx).await {
        Ok(r) => {
            let mut out = String::from("verwerking;verwerkingsverantwoordelijken;doel;grondslag;betrokkenen;persoonsgegevens;ontvangers;doorgifte;bewaartermijn;beveiliging\r\n");
            for e in &r.entries {
                let cells = [&e.name, &e.controllers, &e.purpose, &e.legal_basis, &e.data_subjects, &e.data_categories, &e.recipients, &e.transfers, &e.retention, &e.security];
                out.push_str(&cells.iter().map(|v| csv_field(v)).collect::<Vec<_>>().join(";"));
                out.push_str("\r\n");
            }
            ([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"verwerkingsregister.csv\"")], out).into_response()
        }
        Err(e) => fail(&s, &rc, e),
    }
}

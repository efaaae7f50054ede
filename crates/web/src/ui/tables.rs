//! UI of the Landelijke Fenomeentafels: the list with the LIEC's form to open one, and one
//! table with its mandate, members, meetings, action list and the LIEC's forms. Works without
//! JavaScript.

use super::templates::Page;
use super::{all, fail, one, page, render_status, see_other, CsrfForm, FormErrors, Pairs, Signed, Submitted};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use knooppunt_app::knowledge::KnowledgeQuery;
use knooppunt_app::tables::TableLine;
use knooppunt_app::tables::{name_of, ActionInput, MeetingInput, MemberInput, TableInput, TableView, ACTION_KINDS, ACTION_STATUSES, SECTORS, STATUSES};
use knooppunt_app::AppError;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Notice {
    pub melding: Option<String>,
}

fn flash(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "geopend" => "De fenomeentafel is geopend, met een kennisgroep voor haar leden.",
        "status" => "De status is vastgelegd.",
        "opdracht" => "De opdracht is vastgelegd.",
        "lid" => "Het lid is toegevoegd; de organisatie is ook lid van de kennisgroep van de tafel.",
        "lid-beeindigd" => "Het lidmaatschap is beëindigd.",
        "overleg" => "Het overleg is vastgelegd.",
        "actie" => "De actie is afgesproken.",
        "actiestatus" => "De voortgang van de actie is vastgelegd.",
        _ => return None,
    })
}

/// `(code, name)` pairs as the templates' select options.
fn options(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(c, n)| (c.to_string(), n.to_string())).collect()
}

/// The Dutch name of a table status, action kind or action status, for templates.
pub fn status_name(code: &str) -> String {
    name_of(&STATUSES, code)
}
pub fn kind_name(code: &str) -> String {
    name_of(&ACTION_KINDS, code)
}
pub fn action_status_name(code: &str) -> String {
    name_of(&ACTION_STATUSES, code)
}
pub fn sector_name(code: &str) -> String {
    name_of(&SECTORS, code)
}

/// The column names of the amounts, for templates.
pub fn amount_kinds() -> [&'static str; 3] {
    knooppunt_app::tables::AMOUNT_KINDS
}

/// A protected figure as the table shows it: the number, or × when it is hidden.
pub fn shown(s: &knooppunt_figures::disclosure::Shown) -> String {
    match s.value() {
        Some(v) => super::charts::grouped(v),
        None => "×".into(),
    }
}

#[derive(Template)]
#[template(path = "tables.html")]
pub struct ListPage {
    pub page: Page,
    pub rows: Vec<TableLine>,
    pub can_open: bool,
    pub phenomena: Vec<(String, String)>,
    pub errors: FormErrors,
    pub values: Pairs,
}

async fn list_page(s: &AppState, rc: &RequestCtx, errors: FormErrors, values: Pairs, status: StatusCode) -> Response {
    let can_open = rc.ctx.principal().map(|p| knooppunt_policy::tables::may_manage(p).allowed).unwrap_or(false);
    let rows = match s.app.list_tables(&rc.ctx).await {
        Ok(rows) => rows,
        Err(e) => return fail(s, rc, e),
    };
    let phenomena = if can_open {
        match s.app.taxonomy(&rc.ctx).await {
            Ok(t) => std::iter::once((String::new(), "Kies een fenomeen".to_string())).chain(t.current_phenomena()).collect(),
            Err(e) => return fail(s, rc, e),
        }
    } else {
        Vec::new()
    };
    render_status(status, &ListPage { page: page(s, rc, "Fenomeentafels", "/fenomeentafels", None), rows, can_open, phenomena, errors, values })
}

impl ListPage {
    pub fn value(&self, key: &str) -> String {
        one(&self.values, key)
    }
}

pub async fn list(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    list_page(&s, &rc, FormErrors::default(), Pairs::new(), StatusCode::OK).await
}

pub async fn open(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let input = TableInput { name: one(&p, "naam"), phenomenon: one(&p, "fenomeen") };
    match s.app.open_table(&rc.ctx, &input).await {
        Ok(id) => see_other(&format!("/fenomeentafels/{id}?melding=geopend")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => list_page(&s, &rc, errors, p, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

#[derive(Template)]
#[template(path = "table.html")]
pub struct DetailPage {
    pub page: Page,
    pub v: TableView,
    /// (id, name) of the organisations that can be added.
    pub organisations: Vec<(String, String)>,
    /// (id, name) of the current members (attendance, action owners).
    pub current: Vec<(String, String)>,
    pub statuses: Vec<(String, String)>,
    pub sectors: Vec<(String, String)>,
    pub kinds: Vec<(String, String)>,
    pub action_statuses: Vec<(String, String)>,
    /// The newest table products about the phenomenon the reader may read, by what they are
    /// (phenomenon picture, approach, report): (heading, [(id, title)]), and
    /// how many there are.
    pub products: Vec<(String, Vec<(i64, String)>)>,
    pub product_total: i64,
    pub errors: FormErrors,
    /// The form the errors belong to: `status`, `opdracht`, `lid`, `overleg`, `actie`.
    pub form: String,
    pub values: Pairs,
}

impl DetailPage {
    /// The submitted value of `key` when the errors belong to `form`.
    pub fn value(&self, form: &str, key: &str) -> String {
        if self.form == form {
            one(&self.values, key)
        } else {
            String::new()
        }
    }
    /// The submitted values of `key` when the errors belong to `form`.
    pub fn values_of(&self, form: &str, key: &str) -> Vec<String> {
        if self.form == form {
            all(&self.values, key)
        } else {
            Vec::new()
        }
    }
}

async fn detail_page(s: &AppState, rc: &RequestCtx, id: i64, notice: Option<&str>, submitted: Submitted, status: StatusCode) -> Response {
    let Submitted { errors, form, values } = submitted;
    let v = match s.app.table(&rc.ctx, id).await {
        Ok(v) => v,
        Err(e) => return fail(s, rc, e),
    };
    let current: Vec<(String, String)> = v.members.iter().filter(|m| m.until_on.is_empty()).map(|m| (m.organisation_id.to_string(), m.organisation_name.clone())).collect();
    let organisations = if v.can_manage {
        match s.app.list_organisations(&rc.ctx, None, None, None).await {
            Ok(o) => std::iter::once((String::new(), "Kies een organisatie".to_string()))
                .chain(o.into_iter().filter(|o| !current.iter().any(|c| c.0 == o.id.to_string())).map(|o| (o.id.to_string(), o.name)))
                .collect(),
            Err(e) => return fail(s, rc, e),
        }
    } else {
        Vec::new()
    };
    let query = KnowledgeQuery { kind: Some("tafelproduct".into()), phenomenon: Some(v.table.phenomenon_code.clone()), page: 1, ..Default::default() };
    let (products, product_total) = match s.app.knowledge_list(&rc.ctx, &query).await {
        Ok(l) => (products_by_type(l.items.iter().take(10).map(|i| (i.row.product_type.as_str(), i.row.id, i.row.title.clone()))), l.total),
        Err(e) => return fail(s, rc, e),
    };
    let title = v.table.name.clone();
    render_status(
        status,
        &DetailPage {
            page: page(s, rc, &title, "/fenomeentafels", notice),
            v,
            organisations,
            current,
            statuses: options(&STATUSES),
            sectors: options(&SECTORS),
            kinds: std::iter::once((String::new(), "Kies de soort".to_string())).chain(options(&ACTION_KINDS)).collect(),
            action_statuses: options(&ACTION_STATUSES),
            products,
            product_total,
            errors,
            form,
            values,
        },
    )
}

pub async fn detail(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, Query(q): Query<Notice>) -> Response {
    match super::path_id(&raw, "fenomeentafel") {
        Ok(id) => detail_page(&s, &rc, id, flash(q.melding.as_deref()), Submitted::default(), StatusCode::OK).await,
        Err(e) => fail(&s, &rc, e),
    }
}

/// After a form: to the table with a notice, or the page again with the errors (400).
async fn after(s: &AppState, rc: &RequestCtx, id: i64, result: Result<(), AppError>, done: &str, form: &str, values: Pairs) -> Response {
    match result {
        Ok(()) => see_other(&format!("/fenomeentafels/{id}?melding={done}#{form}")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => detail_page(s, rc, id, None, Submitted { errors, form: form.into(), values }, StatusCode::BAD_REQUEST).await,
            None => fail(s, rc, e),
        },
    }
}

pub async fn set_status(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "fenomeentafel") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let version = one(&p, "versie").parse().unwrap_or(-1);
    let r = s.app.set_table_status(&rc.ctx, id, &one(&p, "status"), &one(&p, "gestartOp"), &one(&p, "beeindigdOp"), version).await;
    after(&s, &rc, id, r, "status", "status", p).await
}

pub async fn add_mandate(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "fenomeentafel") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let r = s.app.add_table_mandate(&rc.ctx, id, &one(&p, "tekst"), &one(&p, "vastgesteldDoor"), &one(&p, "vastgesteldOp")).await.map(|_| ());
    after(&s, &rc, id, r, "opdracht", "opdracht", p).await
}

pub async fn add_member(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "fenomeentafel") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let input = MemberInput { organisation_id: one(&p, "organisatieId").parse().ok(), sector: one(&p, "sector"), part: one(&p, "rol"), from: one(&p, "vanaf") };
    let r = s.app.add_table_member(&rc.ctx, id, &input).await;
    after(&s, &rc, id, r, "lid", "lid", p).await
}

pub async fn end_member(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, member)): Path<(String, String)>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let (Ok(id), Ok(member_id)) = (super::path_id(&raw, "fenomeentafel"), member.parse::<i64>()) else {
        return fail(&s, &rc, AppError::NotFound("fenomeentafel"));
    };
    let r = s.app.end_table_member(&rc.ctx, id, member_id).await;
    after(&s, &rc, id, r, "lid-beeindigd", "leden", p).await
}

pub async fn add_meeting(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "fenomeentafel") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let input = MeetingInput {
        held_on: one(&p, "datum"),
        agenda: one(&p, "agenda"),
        decisions: one(&p, "besluiten"),
        present: all(&p, "aanwezig").iter().filter_map(|v| v.parse().ok()).collect(),
    };
    let r = s.app.add_table_meeting(&rc.ctx, id, &input).await.map(|_| ());
    after(&s, &rc, id, r, "overleg", "overleg", p).await
}

pub async fn add_action(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "fenomeentafel") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let input = ActionInput { kind: one(&p, "soort"), title: one(&p, "titel"), owner: one(&p, "trekkerId").parse().ok(), due: one(&p, "deadline") };
    let r = s.app.add_table_action(&rc.ctx, id, &input).await.map(|_| ());
    after(&s, &rc, id, r, "actie", "actie", p).await
}

pub async fn action_status(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, action)): Path<(String, String)>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let (Ok(id), Ok(action_id)) = (super::path_id(&raw, "fenomeentafel"), action.parse::<i64>()) else {
        return fail(&s, &rc, AppError::NotFound("fenomeentafel"));
    };
    let r = s.app.set_table_action_status(&rc.ctx, id, action_id, &one(&p, "status")).await;
    after(&s, &rc, id, r, "actiestatus", "acties", p).await
}

/// The action becomes a draft bestuurlijk signaal; the LIEC completes it on the signal's page.
pub async fn action_signal(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, action)): Path<(String, String)>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let (Ok(id), Ok(action_id)) = (super::path_id(&raw, "fenomeentafel"), action.parse::<i64>()) else {
        return fail(&s, &rc, AppError::NotFound("fenomeentafel"));
    };
    match s.app.table_action_to_signal(&rc.ctx, id, action_id).await {
        Ok(signal) => see_other(&format!("/signalen/{signal}?melding=opgeslagen")),
        Err(e) => after(&s, &rc, id, Err(e), "", "acties", p).await,
    }
}

/// Products grouped by their type in the order of the types (phenomenon picture, approach,
/// report), newest first within a type; a product without a type last.
fn products_by_type<'a>(items: impl Iterator<Item = (&'a str, i64, String)>) -> Vec<(String, Vec<(i64, String)>)> {
    use knooppunt_domain::knowledge::ProductType;
    let items: Vec<_> = items.collect();
    let mut out: Vec<(String, Vec<(i64, String)>)> = ProductType::ALL
        .iter()
        .map(|t| (t.label().to_string(), items.iter().filter(|(code, _, _)| *code == t.code()).map(|(_, id, title)| (*id, title.clone())).collect()))
        .collect();
    out.push(("Overig".to_string(), items.iter().filter(|(code, _, _)| ProductType::parse(code).is_err()).map(|(_, id, title)| (*id, title.clone())).collect()));
    out.retain(|(_, list)| !list.is_empty());
    out
}

//! The item page: provenance, releases, attachments.

use super::*;

#[derive(Template)]
#[template(path = "case_item.html")]
pub struct ItemPage {
    pub page: Page,
    pub errors: FormErrors,
    pub case_id: i64,
    pub case_reference: String,
    pub i: ItemRow,
    pub reliability: String,
    pub classification: String,
    pub created: String,
    pub own: bool,
    pub can_edit: bool,
    pub can_withdraw: bool,
    /// Who withdrew the item, when and why (and whether its content is destroyed).
    pub withdrawn: Option<String>,
    pub show_releases: bool,
    pub can_release: bool,
    /// (org id, name, released, basis, status, active)
    pub releases: Vec<(i64, String, String, String, String, bool)>,
    pub candidates: Options,
    /// (id, file name, size, start of the SHA-256)
    pub attachments: Vec<(i64, String, String, String)>,
}

/// Which item.
#[derive(Clone, Copy)]
struct ItemRef {
    case_id: i64,
    item_id: i64,
}

async fn item_page(s: &AppState, rc: &RequestCtx, r: ItemRef, errors: FormErrors, notice: Option<&str>, status: StatusCode) -> Response {
    let ItemRef { case_id, item_id } = r;
    let d = match s.app.item(&rc.ctx, case_id, item_id).await {
        Ok(d) => d,
        Err(e) => return fail(s, rc, e),
    };
    let released: Vec<i64> = d.releases.iter().filter(|r| r.withdrawn_at.is_none()).map(|r| r.organisation_id).collect();
    let mut candidates: Options = vec![(String::new(), "Kies een deelnemer".into())];
    candidates.extend(d.candidates.iter().filter(|c| !released.contains(&c.organisation_id)).map(|c| (c.organisation_id.to_string(), c.organisation_name.clone())));
    let candidates = if candidates.len() > 1 { candidates } else { Vec::new() };
    render_status(
        status,
        &ItemPage {
            page: page(s, rc, &d.item.title, "/casussen", notice),
            errors,
            case_id,
            case_reference: d.case.reference.clone(),
            reliability: label(Reliability::parse, Reliability::label, &d.item.reliability),
            classification: label(Classification::parse, Classification::label, &d.item.classification),
            created: when(d.item.created_at),
            own: d.is_supplier,
            can_edit: d.can_edit,
            can_withdraw: d.can_withdraw,
            withdrawn: withdrawn_notice(&d.item),
            show_releases: d.can_release || !d.releases.is_empty(),
            can_release: d.can_release,
            releases: d
                .releases
                .iter()
                .map(|r| {
                    let basis = if r.basis == "leverancier" { "door de leverancier".to_string() } else { "toestemming van de leverancier, vastgelegd door het RIEC".to_string() };
                    let status = match r.withdrawn_at {
                        Some(at) if !r.withdrawn_reason.is_empty() => {
                            format!("ingetrokken op {} door {} ({})", day(at), r.withdrawn_by.clone().unwrap_or_default(), r.withdrawn_reason)
                        }
                        Some(at) => format!("ingetrokken op {} door {}", day(at), r.withdrawn_by.clone().unwrap_or_default()),
                        None => "vrijgegeven".into(),
                    };
                    (r.organisation_id, r.organisation_name.clone(), format!("{} door {}", day(r.released_at), r.released_by), basis, status, r.withdrawn_at.is_none())
                })
                .collect(),
            candidates,
            attachments: d.attachments.iter().map(|a| (a.id, a.file_name.clone(), format!("{} kB", (a.size + 1023) / 1024), a.sha256.chars().take(12).collect())).collect(),
            i: d.item,
        },
    )
}

/// The notice on a withdrawn item: who withdrew it when and why, and what becomes of it.
fn withdrawn_notice(i: &ItemRow) -> Option<String> {
    let at = i.withdrawn_at?;
    let why = if i.withdrawn_reason.is_empty() { String::new() } else { format!(" Reden: {}", i.withdrawn_reason) };
    Some(match i.destroyed_at {
        Some(gone) => format!("{} heeft deze bijdrage op {} ingetrokken. De inhoud en de bijlagen zijn op {} vernietigd.", i.supplier_name, day(at), day(gone)),
        None => format!(
            "{} heeft deze bijdrage op {} ingetrokken ({}).{why} Gebruik de informatie niet meer; de inhoud wordt na de bewaartermijn vernietigd.",
            i.supplier_name,
            day(at),
            i.withdrawn_by
        ),
    })
}

pub async fn withdraw_item(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<(String, String)>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let (c, i) = match ids(&raw) {
        Ok(x) => x,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.withdraw_item(&rc.ctx, c, i, &one(&p, "reden")).await {
        Ok(()) => see_other(&format!("/casussen/{c}/informatie/{i}?melding=bijdrage-ingetrokken")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => item_page(&s, &rc, ItemRef { case_id: c, item_id: i }, errors, None, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

fn ids(raw: &(String, String)) -> Result<(i64, i64), AppError> {
    Ok((parse_id(&raw.0, "casus")?, parse_id(&raw.1, "informatiebijdrage")?))
}

pub async fn item(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<(String, String)>, Query(n): Query<Notice>) -> Response {
    match ids(&raw) {
        Ok((c, i)) => item_page(&s, &rc, ItemRef { case_id: c, item_id: i }, FormErrors::default(), flash(n.melding.as_deref()), StatusCode::OK).await,
        Err(e) => fail(&s, &rc, e),
    }
}

async fn release_or_withdraw(s: AppState, rc: RequestCtx, raw: (String, String), p: Pairs, release: bool) -> Response {
    let (c, i) = match ids(&raw) {
        Ok(x) => x,
        Err(e) => return fail(&s, &rc, e),
    };
    let org = one(&p, "organisatie");
    let r = if org.trim().is_empty() {
        Err(knooppunt_domain::Invalid::one("organisatie", "Kies de deelnemer waaraan u vrijgeeft.").into())
    } else {
        s.app.set_release(&rc.ctx, c, i, num(&org), release).await
    };
    match r {
        Ok(()) => see_other(&format!("/casussen/{c}/informatie/{i}?melding={}", if release { "vrijgegeven" } else { "ingetrokken" })),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => item_page(&s, &rc, ItemRef { case_id: c, item_id: i }, errors, None, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

pub async fn release(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<(String, String)>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    release_or_withdraw(s, rc, raw, p, true).await
}

pub async fn withdraw(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<(String, String)>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    release_or_withdraw(s, rc, raw, p, false).await
}

pub async fn upload(State(s): State<AppState>, Signed { rc, session }: Signed, Path(raw): Path<(String, String)>, multipart: axum::extract::Multipart) -> Response {
    let (c, i) = match ids(&raw) {
        Ok(x) => x,
        Err(e) => return fail(&s, &rc, e),
    };
    let (csrf, name, data) = match crate::ui::read_upload(multipart).await {
        Ok(x) => x,
        Err(msg) => return item_page(&s, &rc, ItemRef { case_id: c, item_id: i }, FormErrors::one("bestand", &msg), None, StatusCode::BAD_REQUEST).await,
    };
    if let Some(refused) = crate::ui::signals::upload_csrf_refused(&s, &rc, &session, &csrf).await {
        return refused;
    }
    let r = s.app.add_item_attachment(&rc.ctx, c, i, &name, &data).await.map(|_| ());
    match r {
        Ok(()) => see_other(&format!("/casussen/{c}/informatie/{i}?melding=bijlage")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => item_page(&s, &rc, ItemRef { case_id: c, item_id: i }, errors, None, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

pub async fn download(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((c, i, a)): Path<(String, String, String)>) -> Response {
    let ids = ids(&(c, i)).and_then(|(c, i)| Ok((c, i, parse_id(&a, "bijlage")?)));
    match ids {
        Ok((c, i, a)) => match s.app.item_attachment(&rc.ctx, c, i, a).await {
            Ok((meta, data)) => crate::ui::file_download(&meta.content_type, &meta.file_name, data),
            Err(e) => fail(&s, &rc, e),
        },
        Err(e) => fail(&s, &rc, e),
    }
}

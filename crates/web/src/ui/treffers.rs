//! UI of cross-region hits: the list of the user's case teams, one hit with review and the
//! sharing decision, and the LIEC coordinator's national overview (counts and pairs of cases,
//! no subject details).

use super::templates::Page;
use super::{fail, page, render, render_status, see_other, when, CsrfForm, FormErrors, Signed};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use knooppunt_app::treffers::{TrefferNotice, TrefferOverview};
use knooppunt_app::AppError;
use serde::Deserialize;

type Pairs = Vec<(String, String)>;

fn one(p: &Pairs, key: &str) -> String {
    p.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default()
}

/// `97,4%` from permille.
pub fn percent(permille: i64) -> String {
    format!("{},{}%", permille / 10, permille % 10)
}

/// [`percent`] for templates, which pass references.
pub fn pct(permille: &i64) -> String {
    percent(*permille)
}

/// How strong a hit is, in words.
pub fn strength_label(permille: i64) -> &'static str {
    match permille {
        1000 => "zeker (identificatienummer)",
        990.. => "zeer sterk",
        950.. => "sterk",
        _ => "waarschijnlijk",
    }
}

pub fn status_label(code: &str) -> &'static str {
    match code {
        "bevestigd" => "Bevestigd",
        "onjuist" => "Onjuist (afgewezen)",
        _ => "Nog te beoordelen",
    }
}

pub fn share_label(code: &str) -> &'static str {
    match code {
        "akkoord" => "akkoord met delen",
        "geweigerd" => "weigert te delen",
        _ => "nog geen besluit",
    }
}

fn level_label(code: &str) -> &'static str {
    match code {
        "exact" => "komt exact overeen",
        "vergelijkbaar" => "komt grotendeels overeen",
        "anders" => "verschilt",
        _ => "onbekend",
    }
}

#[derive(Deserialize)]
pub struct Notice {
    pub melding: Option<String>,
}

fn flash(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "beoordeeld" => "Uw beoordeling is vastgelegd.",
        "akkoord" => "Uw akkoord is vastgelegd. Zodra de andere regio ook akkoord geeft, worden de gegevens gedeeld en de casussen gekoppeld.",
        "gedeeld" => "Beide regio's zijn akkoord: de gegevens zijn gedeeld en de casussen zijn gekoppeld.",
        "geweigerd" => "Uw weigering is vastgelegd en aan de andere regio getoond.",
        _ => return None,
    })
}

/// One hit as a row of the list.
pub struct Row {
    pub id: i64,
    pub subject: String,
    pub case_id: i64,
    pub case: String,
    pub other_region: String,
    pub strength: String,
    pub fields: String,
    pub status: String,
    pub sharing: String,
}

fn row(n: &TrefferNotice) -> Row {
    let agreeing: Vec<String> = n.fields.iter().filter(|f| f.level != "anders").map(|f| f.field.clone()).collect();
    Row {
        id: n.id,
        subject: n.own_subject.display_name.clone(),
        case_id: n.own_case_id,
        case: format!("{}: {}", n.own_case_reference, n.own_case_title),
        other_region: n.other_region.clone(),
        strength: format!("{} ({})", strength_label(n.strength), percent(n.strength)),
        fields: if agreeing.is_empty() { "—".into() } else { agreeing.join(", ") },
        status: status_label(&n.status).into(),
        sharing: if n.shared.is_some() {
            "gedeeld, casussen gekoppeld".into()
        } else {
            format!("u: {}; {}: {}", share_label(&n.own_share), n.other_region, share_label(&n.other_share))
        },
    }
}

#[derive(Template)]
#[template(path = "treffers.html")]
pub struct ListPage {
    pub page: Page,
    pub rows: Vec<Row>,
    pub overview: Option<TrefferOverview>,
}

pub async fn list(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    let principal = match rc.ctx.principal() {
        Ok(p) => p.clone(),
        Err(e) => return fail(&s, &rc, e),
    };
    let overview = if knooppunt_policy::treffers::may_see_overview(&principal) {
        match s.app.treffer_overview(&rc.ctx).await {
            Ok(o) => Some(o),
            Err(e) => return fail(&s, &rc, e),
        }
    } else {
        None
    };
    match s.app.list_treffers(&rc.ctx).await {
        Ok(l) => render(&ListPage { page: page(&s, &rc, "Treffers tussen regio's", "/treffers", None), rows: l.iter().map(row).collect(), overview }),
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Template)]
#[template(path = "treffer.html")]
pub struct DetailPage {
    pub page: Page,
    pub n: TrefferNotice,
    pub strength: String,
    pub status: String,
    pub own_share: String,
    pub other_share: String,
    /// (field, how, weight in bits)
    pub fields: Vec<(String, String, String)>,
    pub own_details: String,
    pub other_details: String,
    pub created: String,
    pub errors: FormErrors,
    /// Which form the errors belong to: `beoordelen` or `delen`.
    pub form: String,
    pub note: String,
    pub reason: String,
}

fn details(s: &knooppunt_app::views::SubjectRow) -> String {
    let f = &s.fields;
    let mut parts = Vec::new();
    let born = super::labels::iso_day(&f.birth_date);
    for (label, v) in [
        ("geboren", &born),
        ("BSN", &f.bsn),
        ("KvK", &f.kvk),
        ("RSIN", &f.rsin),
        ("postcode", &f.postcode),
        ("huisnummer", &f.house_number),
        ("plaats", &f.city),
        ("kenteken", &f.licence_plate),
        ("IBAN", &f.iban),
        ("BAG", &f.bag_id),
    ] {
        if !v.is_empty() {
            parts.push(format!("{label} {v}"));
        }
    }
    parts.join(", ")
}

/// A submitted form shown again with its errors.
#[derive(Default)]
struct Submitted {
    errors: FormErrors,
    /// `beoordelen` or `delen`.
    form: &'static str,
    note: String,
    reason: String,
}

fn detail_page(s: &AppState, rc: &RequestCtx, n: TrefferNotice, notice: Option<&str>, f: Submitted) -> DetailPage {
    let Submitted { errors, form, note, reason } = f;
    DetailPage {
        page: page(s, rc, &format!("Treffer {}", n.id), "/treffers", notice),
        strength: format!("{} ({})", strength_label(n.strength), percent(n.strength)),
        status: status_label(&n.status).into(),
        own_share: share_label(&n.own_share).into(),
        other_share: share_label(&n.other_share).into(),
        fields: n.fields.iter().map(|f| (f.field.clone(), level_label(&f.level).into(), format!("{:+.1}", f.weight).replace('.', ","))).collect(),
        own_details: details(&n.own_subject),
        other_details: n.shared.as_ref().map(|x| details(&x.other_subject)).unwrap_or_default(),
        created: when(n.created_at),
        errors,
        form: form.into(),
        note,
        reason,
        n,
    }
}

pub async fn detail(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, Query(q): Query<Notice>) -> Response {
    let id = match super::path_id(&raw, "treffer") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.treffer(&rc.ctx, id).await {
        Ok(n) => render(&detail_page(&s, &rc, n, flash(q.melding.as_deref()), Submitted::default())),
        Err(e) => fail(&s, &rc, e),
    }
}

/// Re-renders the hit with the form's errors (400), or fails as the error says.
async fn invalid(s: &AppState, rc: &RequestCtx, id: i64, e: AppError, mut submitted: Submitted) -> Response {
    let Some(errors) = FormErrors::from_app(&e) else { return fail(s, rc, e) };
    submitted.errors = errors;
    match s.app.treffer(&rc.ctx, id).await {
        Ok(n) => render_status(StatusCode::BAD_REQUEST, &detail_page(s, rc, n, None, submitted)),
        Err(e) => fail(s, rc, e),
    }
}

pub async fn review(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "treffer") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let note = one(&p, "toelichting");
    let version = one(&p, "versie").parse().unwrap_or(-1);
    match s.app.review_treffer(&rc.ctx, id, &one(&p, "oordeel"), &note, version).await {
        Ok(()) => see_other(&format!("/treffers/{id}?melding=beoordeeld")),
        Err(e) => invalid(&s, &rc, id, e, Submitted { form: "beoordelen", note, ..Submitted::default() }).await,
    }
}

pub async fn share(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "treffer") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let reason = one(&p, "reden");
    let version = one(&p, "versie").parse().unwrap_or(-1);
    let agree = one(&p, "besluit") == "akkoord";
    match s.app.decide_sharing(&rc.ctx, id, agree, &reason, version).await {
        Ok(()) => {
            let shared = matches!(s.app.treffer(&rc.ctx, id).await, Ok(n) if n.shared.is_some());
            let code = if shared {
                "gedeeld"
            } else if agree {
                "akkoord"
            } else {
                "geweigerd"
            };
            see_other(&format!("/treffers/{id}?melding={code}"))
        }
        Err(e) => invalid(&s, &rc, id, e, Submitted { form: "delen", reason, ..Submitted::default() }).await,
    }
}

/// One hit of a screened list: (row key, subject, case id, case reference, strength, fields).
pub type ScreenRow = (String, String, i64, String, String, String);

#[derive(Template)]
#[template(path = "screening.html")]
pub struct ScreeningPage {
    pub page: Page,
    pub errors: FormErrors,
    pub list: String,
    pub mapping: String,
    pub done: bool,
    pub summary: String,
    pub skipped: Vec<String>,
    pub hits: Vec<ScreenRow>,
}

const DEFAULT_MAPPING: &str =
    "id=nr,voornamen=voornamen,voorvoegsel=voorvoegsel,achternaam=achternaam,geboortedatum=geboortedatum,postcode=postcode,huisnummer=huisnummer,id:bsn=bsn";

pub async fn screening_form(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    render(&ScreeningPage {
        page: page(&s, &rc, "Lijst screenen", "/casussen", None),
        errors: FormErrors::default(),
        list: String::new(),
        mapping: DEFAULT_MAPPING.into(),
        done: false,
        summary: String::new(),
        skipped: Vec::new(),
        hits: Vec::new(),
    })
}

pub async fn screening(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let (list, mapping) = (one(&p, "lijst"), one(&p, "mapping"));
    let base = |errors: FormErrors| ScreeningPage {
        page: page(&s, &rc, "Lijst screenen", "/casussen", None),
        errors,
        list: list.clone(),
        mapping: mapping.clone(),
        done: false,
        summary: String::new(),
        skipped: Vec::new(),
        hits: Vec::new(),
    };
    match s.app.screen_list(&rc.ctx, &list, &mapping).await {
        Ok(r) => {
            let mut out = base(FormErrors::default());
            out.done = true;
            out.summary = format!(
                "{} rijen gelezen, vergeleken met {} betrokkenen in uw casussen: {} treffers.{}",
                r.rows,
                r.compared_with,
                r.hits.len(),
                if r.unmatchable > 0 { format!(" {} rijen zonder bruikbare naam, adres of identificatie.", r.unmatchable) } else { String::new() }
            );
            out.skipped = r.skipped.iter().take(50).map(|(line, reason)| format!("Regel {line}: {reason}")).collect();
            out.hits = r
                .hits
                .iter()
                .map(|h| (h.row.clone(), h.subject.display_name.clone(), h.subject.case_id, h.case_reference.clone(), percent(h.strength), h.fields.join(", ")))
                .collect();
            render(&out)
        }
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => render_status(StatusCode::BAD_REQUEST, &base(errors)),
            None => fail(&s, &rc, e),
        },
    }
}

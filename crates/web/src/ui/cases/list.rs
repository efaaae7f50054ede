//! The case list with its filters and paging, and the subject search.

use super::*;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    regio: Option<String>,
    fase: Option<String>,
    fenomeen: Option<String>,
    gemeente: Option<String>,
    #[serde(rename = "teLaat")]
    te_laat: Option<String>,
    mijn: Option<String>,
    werk: Option<String>,
    pagina: Option<String>,
}

pub struct ListFilter {
    pub region: String,
    pub phase: String,
    pub phenomenon: String,
    pub municipality: String,
    pub overdue: bool,
    pub mine: bool,
    pub work: String,
}

#[derive(Template)]
#[template(path = "cases.html")]
pub struct CasesPage {
    pub page: Page,
    pub errors: FormErrors,
    pub can_register: bool,
    pub filter: ListFilter,
    pub regions: Options,
    pub phases: Options,
    pub phenomena: Options,
    pub municipalities: Options,
    pub works: Options,
    /// (reference, id, title, phase, municipality, region, changed)
    pub rows: Vec<(String, i64, String, String, String, String, String)>,
    pub total: i64,
    pub page_no: i64,
    pub pages: i64,
    /// The filter as a query string prefix ending in `&` (for the page links).
    pub query: String,
}

pub async fn list(State(s): State<AppState>, Signed { rc, session }: Signed, q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>) -> Response {
    let Query(q) = q.unwrap_or_default();
    let filter = ListFilter {
        region: q.regio.unwrap_or_default(),
        phase: q.fase.unwrap_or_default(),
        phenomenon: q.fenomeen.unwrap_or_default(),
        municipality: q.gemeente.unwrap_or_default(),
        overdue: q.te_laat.as_deref() == Some("ja"),
        mine: q.mijn.as_deref() == Some("ja"),
        work: q.werk.unwrap_or_default(),
    };
    let page_no = q.pagina.as_deref().map(|p| p.parse::<i64>().unwrap_or(-1)).unwrap_or(0);
    let query = CaseQuery {
        region: filter.region.clone(),
        phase: filter.phase.clone(),
        phenomenon: filter.phenomenon.clone(),
        municipality: filter.municipality.clone(),
        overdue: filter.overdue,
        mine: filter.mine,
        work: filter.work.clone(),
        page: page_no,
    };
    let (errors, list) = match s.app.list_cases(&rc.ctx, &query).await {
        Ok(l) => (FormErrors::default(), Some(l)),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => (errors, None),
            None => return fail(&s, &rc, e),
        },
    };
    let reference = match s.app.case_reference(&rc.ctx).await {
        Ok(r) => r,
        Err(e) => return fail(&s, &rc, e),
    };
    let regions = s.app.list_regions(&rc.ctx).await.unwrap_or_default();
    let munis = s.app.list_municipalities(&rc.ctx, None, None).await.unwrap_or_default();
    let mut region_options: Options = vec![(String::new(), "Alle regio's".into())];
    region_options.extend(regions.iter().filter(|r| r.kind == "riec" && r.merged_into_id.is_none()).map(|r| (r.code.clone(), r.name.clone())));
    let mut phenomena: Options = vec![(String::new(), "Alle fenomenen".into())];
    phenomena.extend(reference.phenomena.iter().map(|p| (p.code.clone(), p.name.clone())));
    let mut municipalities: Options = vec![(String::new(), "Alle gemeenten".into())];
    municipalities.extend(munis.iter().map(|m| (m.cbs_code.clone(), m.name.clone())));
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let (rows, total, size) = match list {
        Some(l) => (l.rows, l.total, l.page_size),
        None => (Vec::new(), 0, knooppunt_app::cases::PAGE_SIZE),
    };
    let enc = |k: &str, v: &str| {
        if v.is_empty() {
            String::new()
        } else {
            format!("{k}={}&", urlencode(v))
        }
    };
    let query = format!(
        "{}{}{}{}{}{}{}",
        enc("werk", &filter.work),
        enc("regio", &filter.region),
        enc("fase", &filter.phase),
        enc("fenomeen", &filter.phenomenon),
        enc("gemeente", &filter.municipality),
        if filter.overdue { "teLaat=ja&" } else { "" },
        if filter.mine { "mijn=ja&" } else { "" }
    );
    render_status(
        status,
        &CasesPage {
            page: page(&s, &rc, "Casussen", "/casussen", None),
            errors,
            can_register: knooppunt_policy::cases::can_register(&session.principal),
            filter,
            regions: region_options,
            phases: coded(CasePhase::ALL, CasePhase::code, CasePhase::label, Some("Alle fasen")),
            phenomena,
            municipalities,
            works: coded(&knooppunt_app::cases::CaseWork::ALL, knooppunt_app::cases::CaseWork::code, knooppunt_app::cases::CaseWork::label, Some("Alle casussen")),
            rows: rows.into_iter().map(|r| (r.reference, r.id, r.title, phase_label(&r.phase), r.municipality_name, r.region_name, when(r.updated_at))).collect(),
            total,
            page_no: page_no.max(0),
            pages: (total + size - 1) / size,
            query,
        },
    )
}

fn urlencode(v: &str) -> String {
    v.bytes().map(|b| if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[derive(Template)]
#[template(path = "case_search.html")]
pub struct SearchPage {
    pub page: Page,
    pub errors: FormErrors,
    pub query: String,
    pub searched: bool,
    pub more: bool,
    /// (name, kind, case id, case reference and title, region)
    pub hits: Vec<(String, String, i64, String, String)>,
}

pub async fn search_form(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    render(&SearchPage {
        page: page(&s, &rc, "Betrokkenen zoeken", "/casussen", None),
        errors: FormErrors::default(),
        query: String::new(),
        searched: false,
        more: false,
        hits: Vec::new(),
    })
}

pub async fn search(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let q = one(&p, "zoekterm");
    match s.app.search_subjects(&rc.ctx, &q).await {
        Ok(r) => render(&SearchPage {
            page: page(&s, &rc, "Betrokkenen zoeken", "/casussen", None),
            errors: FormErrors::default(),
            query: q,
            searched: true,
            more: r.more,
            hits: r
                .hits
                .iter()
                .map(|h| (h.subject.display_name.clone(), kind_label(&h.subject.kind), h.subject.case_id, format!("{}: {}", h.case_reference, h.case_title), h.region_name.clone()))
                .collect(),
        }),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => render_status(
                StatusCode::BAD_REQUEST,
                &SearchPage { page: page(&s, &rc, "Betrokkenen zoeken", "/casussen", None), errors, query: q, searched: false, more: false, hits: Vec::new() },
            ),
            None => fail(&s, &rc, e),
        },
    }
}

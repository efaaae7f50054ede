//! "Kennis": the knowledge items of the Kennisplatform Ondermijning. The list and an item's
//! page work without signing in (then only public items exist); the editors write items, take
//! the workflow steps and keep the knowledge groups.

use super::templates::Page;
use super::{all, fail, labels, one, page, path_id, render, render_status, see_other, AnyUser, CsrfForm, FormErrors, Pairs, Signed};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use knooppunt_app::auth::SecondFactor;
use knooppunt_app::knowledge::{GroupInput, KnowledgeInput, KnowledgeItem, KnowledgeList, KnowledgeQuery, ThemeBlock, PAGE, PER_THEME};
use knooppunt_app::AppError;
use knooppunt_domain::knowledge::{Audience, KnowledgeKind, KnowledgeState, ProductType};
use knooppunt_domain::PartnerType;
use serde::Deserialize;

/// The request as a reader: signed in only when fully signed in (second factor done, no
/// password to change); otherwise a visitor who reads the public items.
pub(super) fn reader(rc: &RequestCtx) -> RequestCtx {
    let mut r = rc.clone();
    let full = rc.session.as_ref().is_some_and(|s| s.second_factor == SecondFactor::Done && !s.must_change_password);
    if !full {
        r.ctx.principal = None;
    }
    r
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    soort: String,
    #[serde(default)]
    fenomeen: String,
    #[serde(default)]
    partnertype: String,
    #[serde(default)]
    jaar: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    pagina: String,
    #[serde(default)]
    melding: String,
    #[serde(default)]
    zoek: String,
}

impl ListQuery {
    fn pairs(&self) -> Vec<(&'static str, &str)> {
        [("soort", self.soort.as_str()), ("fenomeen", &self.fenomeen), ("partnertype", &self.partnertype), ("jaar", &self.jaar), ("status", &self.status), ("zoek", &self.zoek)]
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .collect()
    }

    /// The address of the list with `key` set to `value` (empty: removed), from page 1.
    fn with(&self, key: &str, value: &str) -> String {
        let mut p: Vec<(&str, &str)> = self.pairs().into_iter().filter(|(k, _)| *k != key).collect();
        if !value.is_empty() {
            p.push((key, value));
        }
        p.sort_by_key(|(k, _)| *k);
        let q: Vec<String> = p.iter().map(|(k, v)| format!("{k}={}", urlencoding(v))).collect();
        if q.is_empty() {
            "/kennis".into()
        } else {
            format!("/kennis?{}", q.join("&"))
        }
    }
}

fn urlencoding(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub struct FacetLink {
    pub label: String,
    pub count: i64,
    pub href: String,
    pub current: bool,
}

pub struct FacetGroup {
    pub title: &'static str,
    pub links: Vec<FacetLink>,
    /// The address without this filter, when it is set.
    pub clear: Option<String>,
}

pub struct Line {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub summary: String,
    pub when: String,
    pub themes: String,
    /// For editors: state and audience.
    pub status: String,
    /// A search's snippet (text, marked); empty without a search.
    pub snippet: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "knowledge.html")]
pub struct ListPage {
    pub page: Page,
    pub lines: Vec<Line>,
    pub caption: String,
    pub facets: Vec<FacetGroup>,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub may_edit: bool,
    pub signed_in: bool,
    /// The start page (no selection, first page): the followed themes above the newest items.
    pub start: bool,
    /// Whether the reader can follow themes (a signed-in user).
    pub can_follow: bool,
    pub themes: Vec<ThemeView>,
    /// The search words as typed, and the words searched instead of misspelt ones.
    pub search: String,
    pub corrections: String,
    /// The current filters other than the search, kept by the search form.
    pub kept: Vec<(&'static str, String)>,
    /// The catalogue's sheets that hold the search's words: (code, name, what).
    pub sheets: Vec<(String, String, String)>,
}

/// A followed theme with its newest items: (id, title, kind and day).
pub struct ThemeView {
    pub code: String,
    pub name: String,
    pub items: Vec<(i64, String, String)>,
    pub more: String,
}

fn theme_views(blocks: Vec<ThemeBlock>) -> Vec<ThemeView> {
    blocks
        .into_iter()
        .map(|b| ThemeView {
            items: b
                .items
                .iter()
                .map(|i| {
                    let kind = KnowledgeKind::parse(&i.row.kind).map(|k| k.label()).unwrap_or_default();
                    (i.row.id, i.row.title.clone(), format!("{kind} · {}", labels::day(i.row.published_at.unwrap_or(i.row.updated_at))))
                })
                .collect(),
            more: if b.total > PER_THEME { format!("Alle {} over {}", b.total, b.name.to_lowercase()) } else { String::new() },
            code: b.code,
            name: b.name,
        })
        .collect()
}

fn list_page(s: &AppState, rc: &RequestCtx, q: &ListQuery, l: KnowledgeList) -> ListPage {
    let facet = |title: &'static str, key: &'static str, values: Vec<(String, String, i64)>, chosen: &str| FacetGroup {
        title,
        links: values.into_iter().map(|(code, label, count)| FacetLink { href: q.with(key, &code), current: code == chosen, label, count }).collect(),
        clear: (!chosen.is_empty()).then(|| q.with(key, "")),
    };
    let editor = l.may_edit;
    let lines = l
        .items
        .into_iter()
        .map(|i| Line {
            id: i.row.id,
            kind: KnowledgeKind::parse(&i.row.kind).map(|k| k.label()).unwrap_or_default().into(),
            when: labels::day(i.row.published_at.unwrap_or(i.row.updated_at)),
            themes: i.themes.join(", "),
            status: if editor {
                format!(
                    "{}, {}",
                    KnowledgeState::parse(&i.row.state).map(|k| k.label()).unwrap_or_default(),
                    Audience::parse(&i.row.audience).map(|a| a.short().to_lowercase()).unwrap_or_default()
                )
            } else {
                String::new()
            },
            title: i.row.title,
            summary: i.row.summary,
            snippet: i.snippet.into_iter().map(|p| (p.text, p.marked)).collect(),
        })
        .collect();
    let pages = (l.total + PAGE - 1) / PAGE;
    let mut facets = vec![
        facet("Soort", "soort", l.kinds.into_iter().map(|f| (f.code, f.label, f.count)).collect(), q.soort.trim()),
        facet("Fenomeen", "fenomeen", l.phenomena.into_iter().map(|f| (f.code, f.label, f.count)).collect(), q.fenomeen.trim()),
        facet("Voor wie", "partnertype", l.partner_types.into_iter().map(|f| (f.code, f.label, f.count)).collect(), q.partnertype.trim()),
    ];
    if editor {
        facet_states(&mut facets, q);
    }
    let at = |n: i64| {
        let base = q.with("", "");
        format!("{base}{}pagina={n}", if base.contains('?') { "&" } else { "?" })
    };
    ListPage {
        page: page(s, rc, "Kennis", "/kennis", None),
        caption: format!(
            "{}{}{}",
            if l.capped { format!("Meer dan {} kennisitems", super::charts::grouped(l.total.unsigned_abs())) } else { labels::count(l.total, "kennisitem", "kennisitems") },
            if q.zoek.trim().is_empty() { String::new() } else { format!(" voor ‘{}’", q.zoek.trim()) },
            if l.capped {
                format!(", pagina {}; verfijn met de filters", l.page)
            } else if pages > 1 {
                format!(", pagina {} van {pages}", l.page)
            } else {
                String::new()
            }
        ),
        search: q.zoek.trim().to_string(),
        corrections: if l.corrections.is_empty() {
            String::new()
        } else {
            format!("Ook gezocht op {}.", l.corrections.iter().map(|(typed, term)| format!("‘{term}’ (voor ‘{typed}’)")).collect::<Vec<_>>().join(" en "))
        },
        kept: q.pairs().into_iter().filter(|(k, _)| *k != "zoek").map(|(k, v)| (k, v.trim().to_string())).collect(),
        lines,
        facets,
        previous: (l.page > 1).then(|| at(l.page - 1)),
        next: (l.page < pages).then(|| at(l.page + 1)),
        may_edit: editor,
        signed_in: rc.ctx.principal.is_some(),
        start: q.pairs().is_empty() && l.page == 1,
        can_follow: rc.ctx.principal.as_ref().is_some_and(|p| p.user_id().is_some()),
        themes: Vec::new(),
        sheets: Vec::new(),
    }
}

/// The editors also filter by state (without counts: the state list is short).
fn facet_states(facets: &mut Vec<FacetGroup>, q: &ListQuery) {
    facets.push(FacetGroup {
        title: "Status",
        links: KnowledgeState::ALL
            .iter()
            .map(|st| FacetLink { label: st.label().into(), count: -1, href: q.with("status", st.code()), current: q.status.trim() == st.code() })
            .collect(),
        clear: (!q.status.trim().is_empty()).then(|| q.with("status", "")),
    });
}

pub async fn list(State(s): State<AppState>, AnyUser(rc): AnyUser, q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>) -> Response {
    let rc = reader(&rc);
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let opt = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    let year = match q.jaar.trim() {
        "" => None,
        raw => match raw.parse::<i32>() {
            Ok(y) if (1900..=2200).contains(&y) => Some(y),
            _ => return super::error_response(&s, &rc, StatusCode::BAD_REQUEST, Some("Het jaar is een getal van vier cijfers.")),
        },
    };
    let page_no = match q.pagina.trim() {
        "" => 1,
        raw => raw.parse::<i64>().unwrap_or(0),
    };
    let query =
        KnowledgeQuery { kind: opt(&q.soort), state: opt(&q.status), phenomenon: opt(&q.fenomeen), partner_type: opt(&q.partnertype), year, text: opt(&q.zoek), page: page_no };
    match s.app.knowledge_list(&rc.ctx, &query).await {
        Ok(l) => {
            let corrections = l.corrections.clone();
            let mut p = list_page(&s, &rc, &q, l);
            // Beside the first page of a search: the interventions catalogue's sheets.
            if !p.search.is_empty() && p.signed_in && page_no == 1 {
                match s.app.matching_sheets(&rc.ctx, &p.search, &corrections).await {
                    Ok(hits) => p.sheets = hits.into_iter().map(|h| (h.code, h.name, h.what)).collect(),
                    Err(e) => return fail(&s, &rc, e),
                }
            }
            if p.start && p.can_follow {
                match s.app.theme_blocks(&rc.ctx).await {
                    Ok(b) => p.themes = theme_views(b),
                    Err(e) => return fail(&s, &rc, e),
                }
            }
            if p.start {
                p.caption = "Nieuwste kennis".into();
            }
            p.page.flash = (q.melding == "themas").then(|| "Uw thema's zijn opgeslagen.".to_string());
            render(&p)
        }
        Err(AppError::Invalid(i)) => {
            let reasons: Vec<String> = i.0.iter().map(|e| e.message.clone()).collect();
            super::error_response(&s, &rc, StatusCode::BAD_REQUEST, Some(&format!("Deze selectie kan niet: {}", reasons.join(" "))))
        }
        Err(e) => fail(&s, &rc, e),
    }
}

pub struct VersionLine {
    pub version: i64,
    pub when: String,
    pub by: String,
    pub note: String,
}

pub struct AttachmentLine {
    pub id: i64,
    pub name: String,
    pub size: String,
    /// For editors: whether the text was found for search, or why not.
    pub text: String,
}

pub struct StepLine {
    pub what: String,
    pub when: String,
    pub by: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "knowledge_item.html")]
pub struct ItemPage {
    pub page: Page,
    pub errors: FormErrors,
    pub id: i64,
    pub version: i64,
    pub title: String,
    pub kind: String,
    pub summary: String,
    /// The body in paragraphs.
    pub paragraphs: Vec<String>,
    pub ecli: Option<String>,
    pub facts: Vec<(&'static str, String)>,
    pub versions: Vec<VersionLine>,
    pub steps: Vec<StepLine>,
    pub attachments: Vec<AttachmentLine>,
    /// (code, label) of the steps the reader may take.
    pub next_steps: Vec<(&'static str, &'static str)>,
    pub may_edit: bool,
    /// The item is a barrier model (its steps are on their own page).
    pub barrier_model: bool,
}

fn item_page(s: &AppState, rc: &RequestCtx, i: KnowledgeItem, errors: FormErrors, flash: Option<&str>) -> ItemPage {
    let r = &i.row;
    let editor = i.editor;
    let mut facts: Vec<(&'static str, String)> = vec![
        ("Soort", KnowledgeKind::parse(&r.kind).map(|k| k.label()).unwrap_or_default().into()),
        ("Gepubliceerd", r.published_at.map(labels::day).unwrap_or_else(|| "nog niet".into())),
        ("Laatst gewijzigd", labels::day(r.updated_at)),
    ];
    if let Ok(t) = ProductType::parse(&r.product_type) {
        facts.insert(1, ("Soort product", t.label().into()));
    }
    if !i.phenomena.is_empty() {
        facts.push(("Fenomenen", i.phenomena.iter().map(|p| p.1.as_str()).collect::<Vec<_>>().join(", ")));
    }
    if !i.settings.is_empty() {
        facts.push(("Omgevingen", i.settings.iter().map(|p| p.1.as_str()).collect::<Vec<_>>().join(", ")));
    }
    if !i.partner_types.is_empty() {
        facts.push(("Voor wie", i.partner_types.iter().map(|p| p.label()).collect::<Vec<_>>().join(", ")));
    }
    if let Some(region) = &r.region_name {
        facts.push(("Regio", region.clone()));
    }
    if editor {
        facts.push(("Status", KnowledgeState::parse(&r.state).map(|k| k.label()).unwrap_or_default().into()));
        let audience = Audience::parse(&r.audience).map(|a| a.label()).unwrap_or_default().to_string();
        facts.push((
            "Wie leest het",
            match &r.group_name {
                Some(g) => format!("{audience}: {g}"),
                None => audience,
            },
        ));
    }
    ItemPage {
        page: page(s, rc, &r.title, "/kennis", flash),
        errors,
        id: r.id,
        version: r.version,
        title: r.title.clone(),
        kind: KnowledgeKind::parse(&r.kind).map(|k| k.label()).unwrap_or_default().into(),
        summary: r.summary.clone(),
        paragraphs: r.body.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
        ecli: r.ecli.clone(),
        facts,
        versions: i.versions.iter().map(|v| VersionLine { version: v.version, when: labels::when(v.changed_at), by: v.changed_by.clone(), note: v.change_note.clone() }).collect(),
        steps: i
            .steps
            .iter()
            .map(|st| StepLine {
                what: knooppunt_domain::knowledge::KnowledgeStep::parse(&st.step).map(|k| k.label()).unwrap_or_default().into(),
                when: labels::when(st.taken_at),
                by: st.taken_by.clone(),
                note: st.note.clone(),
            })
            .collect(),
        next_steps: i.next_steps.iter().map(|st| (st.code(), st.label())).collect(),
        attachments: i
            .attachments
            .iter()
            .map(|a| AttachmentLine {
                id: a.id,
                name: a.file_name.clone(),
                size: super::labels::file_size(&a.size),
                text: match (editor, a.text_chars, a.text_note.as_str()) {
                    (false, _, _) => String::new(),
                    (true, n, _) if n > 0 => "tekst doorzoekbaar".into(),
                    (true, _, "") => "geen tekst gevonden".into(),
                    (true, _, note) => note.to_string(),
                },
            })
            .collect(),
        may_edit: i.may_edit,
        barrier_model: r.kind == KnowledgeKind::BarrierModel.code(),
    }
}

#[derive(Deserialize, Default)]
pub struct ItemQuery {
    #[serde(default)]
    melding: String,
}

pub async fn item(State(s): State<AppState>, AnyUser(rc): AnyUser, Path(raw): Path<String>, q: Result<Query<ItemQuery>, axum::extract::rejection::QueryRejection>) -> Response {
    let rc = reader(&rc);
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let flash = match q.melding.as_str() {
        "opgeslagen" => Some("Het kennisitem is opgeslagen."),
        "stap" => Some("De status van het kennisitem is bijgewerkt."),
        "bijlage" => Some("De bijlage is toegevoegd."),
        _ => None,
    };
    let id = match path_id(&raw, "kennisitem") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.knowledge_item(&rc.ctx, id).await {
        Ok(i) => render(&item_page(&s, &rc, i, FormErrors::default(), flash)),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn step(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match path_id(&raw, "kennisitem") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let version = one(&p, "versie").trim().parse().unwrap_or(-1);
    match s.app.knowledge_step(&rc.ctx, id, &one(&p, "stap"), version, &one(&p, "toelichting")).await {
        Ok(_) => see_other(&format!("/kennis/{id}?melding=stap")),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let errors = match &e {
                AppError::Conflict(msg) => FormErrors::one("toelichting", msg),
                _ => FormErrors::from_app(&e).unwrap_or_default(),
            };
            let status = if matches!(e, AppError::Conflict(_)) { StatusCode::CONFLICT } else { StatusCode::BAD_REQUEST };
            match s.app.knowledge_item(&rc.ctx, id).await {
                Ok(i) => render_status(status, &item_page(&s, &rc, i, errors, None)),
                Err(e) => fail(&s, &rc, e),
            }
        }
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Default, Clone)]
pub struct ItemForm {
    pub soort: String,
    pub titel: String,
    pub samenvatting: String,
    pub tekst: String,
    pub ecli: String,
    pub productsoort: String,
    pub publiek: String,
    pub groep: String,
    pub regio: String,
    pub fenomenen: Vec<String>,
    pub omgevingen: Vec<String>,
    pub partnertypen: Vec<String>,
    pub toelichting: String,
}

impl ItemForm {
    fn from_pairs(p: &Pairs) -> Self {
        ItemForm {
            soort: one(p, "soort"),
            titel: one(p, "titel"),
            samenvatting: one(p, "samenvatting"),
            tekst: one(p, "tekst"),
            ecli: one(p, "ecli"),
            productsoort: one(p, "productsoort"),
            publiek: one(p, "publiek"),
            groep: one(p, "groep"),
            regio: one(p, "regio"),
            fenomenen: all(p, "fenomenen"),
            omgevingen: all(p, "omgevingen"),
            partnertypen: all(p, "partnertypen"),
            toelichting: one(p, "toelichting"),
        }
    }

    fn input(&self, version: i64) -> KnowledgeInput {
        KnowledgeInput {
            kind: self.soort.clone(),
            title: self.titel.clone(),
            summary: self.samenvatting.clone(),
            body: self.tekst.clone(),
            ecli: self.ecli.clone(),
            audience: self.publiek.clone(),
            group: self.groep.clone(),
            region: self.regio.clone(),
            phenomena: self.fenomenen.clone(),
            settings: self.omgevingen.clone(),
            partner_types: self.partnertypen.clone(),
            product_type: self.productsoort.clone(),
            change_note: self.toelichting.clone(),
            version,
        }
    }
}

#[derive(Template)]
#[template(path = "knowledge_form.html")]
pub struct FormPage {
    pub page: Page,
    pub errors: FormErrors,
    pub form: ItemForm,
    /// `None` for a new item.
    pub id: Option<i64>,
    pub version: i64,
    pub kinds: Vec<(String, String)>,
    pub product_types: Vec<(String, String)>,
    pub audiences: Vec<(String, String)>,
    pub groups: Vec<(String, String)>,
    pub regions: Vec<(String, String)>,
    pub phenomena: Vec<(String, String)>,
    pub settings: Vec<(String, String)>,
    pub partner_types: Vec<(String, String)>,
}

async fn form_page(s: &AppState, rc: &RequestCtx, id: Option<i64>, version: i64, form: ItemForm, errors: FormErrors) -> Result<FormPage, AppError> {
    let taxonomy = s.app.taxonomy(&rc.ctx).await?;
    let groups = s.app.knowledge_groups(&rc.ctx).await?;
    let regions = s.app.list_regions(&rc.ctx).await?;
    let none = || (String::new(), "Geen".to_string());
    let title = if id.is_some() { "Kennisitem wijzigen" } else { "Nieuw kennisitem" };
    Ok(FormPage {
        page: page(s, rc, title, "/kennis", None),
        errors,
        form,
        id,
        version,
        kinds: KnowledgeKind::ALL.iter().map(|k| (k.code().into(), k.label().into())).collect(),
        product_types: super::options(ProductType::ALL, ProductType::code, ProductType::label, Some("Geen (geen product van een fenomeentafel)")),
        audiences: Audience::ALL.iter().map(|k| (k.code().into(), k.label().into())).collect(),
        groups: std::iter::once(none()).chain(groups.into_iter().map(|g| (g.code, g.name))).collect(),
        regions: std::iter::once(none()).chain(regions.into_iter().filter(|r| r.kind == "riec" && r.active).map(|r| (r.code, r.name))).collect(),
        phenomena: taxonomy.current_phenomena(),
        settings: taxonomy.settings.iter().filter(|p| p.current).map(|p| (p.code.clone(), p.name.clone())).collect(),
        partner_types: PartnerType::ALL.iter().map(|p| (p.code().into(), p.label().into())).collect(),
    })
}

pub async fn new_form(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    let form = ItemForm { soort: "handreiking".into(), publiek: "netwerk".into(), ..Default::default() };
    if !s.app.may_edit_knowledge(&rc.ctx) {
        return fail(&s, &rc, AppError::Forbidden("alleen de kennisredactie van het LIEC schrijft kennisitems"));
    }
    match form_page(&s, &rc, None, 0, form, FormErrors::default()).await {
        Ok(p) => render(&p),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn create(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let form = ItemForm::from_pairs(&p);
    match s.app.create_knowledge_item(&rc.ctx, &form.input(0)).await {
        Ok(id) => see_other(&format!("/kennis/{id}?melding=opgeslagen")),
        Err(e @ AppError::Invalid(_)) => match form_page(&s, &rc, None, 0, form, FormErrors::from_app(&e).unwrap_or_default()).await {
            Ok(p) => render_status(StatusCode::BAD_REQUEST, &p),
            Err(e) => fail(&s, &rc, e),
        },
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn edit_form(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>) -> Response {
    let id = match path_id(&raw, "kennisitem") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let i = match s.app.knowledge_item(&rc.ctx, id).await {
        Ok(i) if i.may_edit => i,
        Ok(_) => return fail(&s, &rc, AppError::Forbidden("alleen de kennisredactie van het LIEC wijzigt kennisitems, en niet als ze gearchiveerd zijn")),
        Err(e) => return fail(&s, &rc, e),
    };
    let r = &i.row;
    let form = ItemForm {
        soort: r.kind.clone(),
        titel: r.title.clone(),
        samenvatting: r.summary.clone(),
        tekst: r.body.clone(),
        ecli: r.ecli.clone().unwrap_or_default(),
        productsoort: r.product_type.clone(),
        publiek: r.audience.clone(),
        groep: r.group_code.clone().unwrap_or_default(),
        regio: r.region_code.clone().unwrap_or_default(),
        fenomenen: i.phenomena.iter().map(|p| p.0.clone()).collect(),
        omgevingen: i.settings.iter().map(|p| p.0.clone()).collect(),
        partnertypen: i.partner_types.iter().map(|p| p.code().to_string()).collect(),
        toelichting: String::new(),
    };
    match form_page(&s, &rc, Some(id), r.version, form, FormErrors::default()).await {
        Ok(p) => render(&p),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn update(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match path_id(&raw, "kennisitem") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let form = ItemForm::from_pairs(&p);
    let version = one(&p, "versie").trim().parse().unwrap_or(-1);
    match s.app.update_knowledge_item(&rc.ctx, id, &form.input(version)).await {
        Ok(()) => see_other(&format!("/kennis/{id}?melding=opgeslagen")),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let conflict = matches!(e, AppError::Conflict(_));
            let errors = match &e {
                AppError::Conflict(msg) => FormErrors::one("titel", msg),
                _ => FormErrors::from_app(&e).unwrap_or_default(),
            };
            match form_page(&s, &rc, Some(id), version, form, errors).await {
                Ok(p) => render_status(if conflict { StatusCode::CONFLICT } else { StatusCode::BAD_REQUEST }, &p),
                Err(e) => fail(&s, &rc, e),
            }
        }
        Err(e) => fail(&s, &rc, e),
    }
}

pub struct GroupLine {
    pub name: String,
    pub description: String,
    pub members: String,
}

#[derive(Template)]
#[template(path = "knowledge_groups.html")]
pub struct GroupsPage {
    pub page: Page,
    pub errors: FormErrors,
    pub groups: Vec<GroupLine>,
    pub may_edit: bool,
    pub name: String,
    pub description: String,
    pub organisations: Vec<(String, String)>,
    pub chosen: Vec<String>,
}

async fn groups_page(
    s: &AppState,
    rc: &RequestCtx,
    errors: FormErrors,
    name: String,
    description: String,
    chosen: Vec<String>,
    flash: Option<&str>,
) -> Result<GroupsPage, AppError> {
    let groups = s.app.knowledge_groups(&rc.ctx).await?;
    let may_edit = s.app.may_edit_knowledge(&rc.ctx);
    let organisations = if may_edit { s.app.list_organisations(&rc.ctx, None, None, None).await? } else { Vec::new() };
    Ok(GroupsPage {
        page: page(s, rc, "Kennisgroepen", "/kennis", flash),
        errors,
        groups: groups
            .into_iter()
            .map(|g| GroupLine { name: g.name, description: g.description, members: g.members.into_iter().map(|m| m.1).collect::<Vec<_>>().join(", ") })
            .collect(),
        may_edit,
        name,
        description,
        organisations: organisations.into_iter().map(|o| (o.id.to_string(), o.name)).collect(),
        chosen,
    })
}

#[derive(Deserialize, Default)]
pub struct GroupsQuery {
    #[serde(default)]
    melding: String,
}

pub async fn groups(State(s): State<AppState>, Signed { rc, .. }: Signed, q: Result<Query<GroupsQuery>, axum::extract::rejection::QueryRejection>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let flash = (q.melding == "opgeslagen").then_some("De kennisgroep is aangemaakt.");
    match groups_page(&s, &rc, FormErrors::default(), String::new(), String::new(), Vec::new(), flash).await {
        Ok(p) => render(&p),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn create_group(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let chosen = all(&p, "leden");
    let mut errors = FormErrors::default();
    let organisations: Vec<i64> = chosen.iter().filter_map(|c| c.trim().parse().ok()).collect();
    if organisations.len() != chosen.len() {
        errors = FormErrors::one("leden", "Kies de leden uit de lijst.");
    }
    let input = GroupInput { name: one(&p, "naam"), description: one(&p, "omschrijving"), organisations };
    let result = if errors.is_empty() {
        s.app.create_knowledge_group(&rc.ctx, &input).await.map(|_| ())
    } else {
        Err(AppError::Invalid(knooppunt_domain::Invalid::one("leden", "Kies de leden uit de lijst.")))
    };
    match result {
        Ok(()) => see_other("/kennis/groepen?melding=opgeslagen"),
        Err(e @ AppError::Invalid(_)) => match groups_page(&s, &rc, FormErrors::from_app(&e).unwrap_or_default(), input.name, input.description, chosen, None).await {
            Ok(p) => render_status(StatusCode::BAD_REQUEST, &p),
            Err(e) => fail(&s, &rc, e),
        },
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn upload(State(s): State<AppState>, Signed { rc, session }: Signed, Path(raw): Path<String>, multipart: axum::extract::Multipart) -> Response {
    let id = match path_id(&raw, "kennisitem") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let again = |errors: FormErrors| async {
        match s.app.knowledge_item(&rc.ctx, id).await {
            Ok(i) => render_status(StatusCode::BAD_REQUEST, &item_page(&s, &rc, i, errors, None)),
            Err(e) => fail(&s, &rc, e),
        }
    };
    let (csrf, name, data) = match super::signals::read_upload(multipart).await {
        Ok(x) => x,
        Err(msg) => return again(FormErrors::one("bestand", &msg)).await,
    };
    if let Some(refused) = super::signals::upload_csrf_refused(&s, &rc, &session, &csrf).await {
        return refused;
    }
    match s.app.add_knowledge_attachment(&rc.ctx, id, &name, &data).await {
        Ok(_) => see_other(&format!("/kennis/{id}?melding=bijlage")),
        Err(e @ AppError::Conflict(_)) => {
            let msg = e.to_string();
            again(FormErrors::one("bestand", &msg)).await
        }
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => again(errors).await,
            None => fail(&s, &rc, e),
        },
    }
}

pub async fn download(State(s): State<AppState>, AnyUser(rc): AnyUser, Path((raw, raw_aid)): Path<(String, String)>) -> Response {
    let rc = reader(&rc);
    let (Ok(id), Ok(aid)) = (path_id(&raw, "kennisitem"), raw_aid.parse::<i64>()) else {
        return fail(&s, &rc, AppError::NotFound("bijlage"));
    };
    match s.app.knowledge_attachment(&rc.ctx, id, aid).await {
        Ok((meta, data)) => super::file_download(&meta.content_type, &meta.file_name, data),
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Template)]
#[template(path = "knowledge_themes.html")]
pub struct ThemesPage {
    pub page: Page,
    pub errors: FormErrors,
    pub phenomena: Vec<(String, String)>,
    pub chosen: Vec<String>,
}

async fn themes_page(s: &AppState, rc: &RequestCtx, chosen: Option<Vec<String>>, errors: FormErrors) -> Result<ThemesPage, AppError> {
    let taxonomy = s.app.taxonomy(&rc.ctx).await?;
    let chosen = match chosen {
        Some(c) => c,
        None => s.app.followed_themes(&rc.ctx).await?.into_iter().map(|t| t.0).collect(),
    };
    Ok(ThemesPage {
        page: page(s, rc, "Mijn thema's", "/kennis", None),
        errors,
        phenomena: taxonomy.clusters.iter().flat_map(|c| c.phenomena.iter()).filter(|p| p.current || chosen.contains(&p.code)).map(|p| (p.code.clone(), p.name.clone())).collect(),
        chosen,
    })
}

pub async fn themes(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    match themes_page(&s, &rc, None, FormErrors::default()).await {
        Ok(p) => render(&p),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn follow(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let chosen = all(&p, "fenomenen");
    match s.app.follow_themes(&rc.ctx, &chosen).await {
        Ok(()) => see_other("/kennis?melding=themas"),
        Err(e @ AppError::Invalid(_)) => match themes_page(&s, &rc, Some(chosen), FormErrors::from_app(&e).unwrap_or_default()).await {
            Ok(p) => render_status(StatusCode::BAD_REQUEST, &p),
            Err(e) => fail(&s, &rc, e),
        },
        Err(e) => fail(&s, &rc, e),
    }
}

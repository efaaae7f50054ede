//! UI of Code Geel, the LIEC's digital magazine: the editions (public ones without signing in),
//! one edition as a web edition with its table of contents, the printable edition and its PDF,
//! and the editors' forms for editions and articles and the publish button. Works without
//! JavaScript.

use super::knowledge::reader;
use super::templates::Page;
use super::{all, fail, one, page, path_id, render_status, see_other, AnyUser, CsrfForm, FormErrors, Pairs, Signed, Submitted};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use knooppunt_app::magazine::{ArticleInput, ArticleRow, EditionInput, EditionRow, EditionView, Editions};
use knooppunt_app::AppError;
use knooppunt_pdf::Block;

fn flash(code: &str) -> Option<&'static str> {
    Some(match code {
        "gemaakt" => "De editie is aangemaakt als concept. Schrijf de artikelen en publiceer haar daarna.",
        "opgeslagen" => "De editie is opgeslagen.",
        "artikel" => "Het artikel is opgeslagen.",
        "gepubliceerd" => "De editie is gepubliceerd.",
        "teruggetrokken" => "De editie is teruggetrokken en weer een concept.",
        _ => return None,
    })
}

/// "Code Geel 3, 2026", with the theme of a theme issue.
pub fn edition_name(e: &EditionRow) -> String {
    if e.theme_issue && !e.theme.is_empty() {
        format!("Code Geel {}, {} — themanummer {}", e.number, e.year, e.theme)
    } else {
        format!("Code Geel {}, {}", e.number, e.year)
    }
}

pub fn status_name(code: &str) -> &'static str {
    knooppunt_domain::magazine::EditionStatus::parse(code).map(|s| s.label()).unwrap_or("Onbekend")
}

pub fn audience_name(code: &str) -> &'static str {
    match code {
        "openbaar" => "Openbaar",
        _ => "Alleen voor het netwerk",
    }
}

/// The paragraphs of a text (split on empty lines).
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
}

#[derive(Template)]
#[template(path = "magazine.html")]
pub struct ListPage {
    pub page: Page,
    pub l: Editions,
    pub errors: FormErrors,
    pub values: Pairs,
}

impl ListPage {
    pub fn value(&self, key: &str) -> String {
        one(&self.values, key)
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Notice {
    #[serde(default)]
    melding: String,
}

fn list_page(s: &AppState, rc: &RequestCtx, l: Editions, errors: FormErrors, values: Pairs, notice: Option<&str>, status: StatusCode) -> Response {
    render_status(status, &ListPage { page: page(s, rc, "Code Geel", "/code-geel", notice), l, errors, values })
}

pub async fn list(State(s): State<AppState>, AnyUser(rc): AnyUser, q: Result<Query<Notice>, axum::extract::rejection::QueryRejection>) -> Response {
    let rc = reader(&rc);
    let q = q.map(|Query(q)| q).unwrap_or_default();
    match s.app.editions(&rc.ctx).await {
        Ok(l) => list_page(&s, &rc, l, FormErrors::default(), Pairs::new(), flash(&q.melding), StatusCode::OK),
        Err(e) => fail(&s, &rc, e),
    }
}

fn edition_input(p: &Pairs) -> EditionInput {
    EditionInput { number: one(p, "nummer"), year: one(p, "jaargang"), theme: one(p, "thema"), theme_issue: one(p, "themanummer") == "ja", introduction: one(p, "inleiding") }
}

pub async fn create(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    match s.app.create_edition(&rc.ctx, &edition_input(&p)).await {
        Ok(id) => see_other(&format!("/code-geel/{id}?melding=gemaakt")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => match s.app.editions(&rc.ctx).await {
                Ok(l) => list_page(&s, &rc, l, errors, p, None, StatusCode::BAD_REQUEST),
                Err(e) => fail(&s, &rc, e),
            },
            None => fail(&s, &rc, e),
        },
    }
}

#[derive(Template)]
#[template(path = "magazine_edition.html")]
pub struct EditionPage {
    pub page: Page,
    pub v: EditionView,
    pub print: bool,
    pub themes: Vec<(String, String)>,
    pub audiences: Vec<(String, String)>,
    pub errors: FormErrors,
    /// `editie` or `artikel`: the form the errors belong to.
    pub form: String,
    pub values: Pairs,
}

impl EditionPage {
    pub fn value(&self, form: &str, key: &str) -> String {
        if self.form == form {
            one(&self.values, key)
        } else if form == "editie" {
            let r = &self.v.row;
            match key {
                "nummer" => r.number.to_string(),
                "jaargang" => r.year.to_string(),
                "thema" => r.theme.clone(),
                "inleiding" => r.introduction.clone(),
                "themanummer" if r.theme_issue => "ja".into(),
                _ => String::new(),
            }
        } else {
            String::new()
        }
    }
    pub fn chosen_themes(&self) -> Vec<String> {
        if self.form == "artikel" {
            all(&self.values, "themas")
        } else {
            Vec::new()
        }
    }
    pub fn errors_for(&self, form: &str) -> bool {
        self.form == form
    }
}

fn audiences() -> Vec<(String, String)> {
    vec![("netwerk".to_string(), "Alleen voor het netwerk (ingelogde partners)".to_string()), ("openbaar".to_string(), "Openbaar (iedereen)".to_string())]
}

async fn phenomenon_options(s: &AppState, rc: &RequestCtx) -> Result<Vec<(String, String)>, AppError> {
    let taxonomy = s.app.taxonomy(&rc.ctx).await?;
    Ok(taxonomy.current_phenomena())
}

async fn edition_page(s: &AppState, rc: &RequestCtx, id: i64, print: bool, notice: Option<&str>, submitted: Submitted, status: StatusCode) -> Response {
    let Submitted { errors, form, values } = submitted;
    let v = match s.app.edition(&rc.ctx, id).await {
        Ok(v) => v,
        Err(e) => return fail(s, rc, e),
    };
    let themes = if v.may_edit && !print {
        match phenomenon_options(s, rc).await {
            Ok(t) => t,
            Err(e) => return fail(s, rc, e),
        }
    } else {
        Vec::new()
    };
    let title = edition_name(&v.row);
    render_status(status, &EditionPage { page: page(s, rc, &title, "/code-geel", notice), v, print, themes, audiences: audiences(), errors, form, values })
}

pub async fn edition(State(s): State<AppState>, AnyUser(rc): AnyUser, Path(raw): Path<String>, q: Result<Query<Notice>, axum::extract::rejection::QueryRejection>) -> Response {
    let rc = reader(&rc);
    let q = q.map(|Query(q)| q).unwrap_or_default();
    match path_id(&raw, "editie") {
        Ok(id) => edition_page(&s, &rc, id, false, flash(&q.melding), Submitted::default(), StatusCode::OK).await,
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn print(State(s): State<AppState>, AnyUser(rc): AnyUser, Path(raw): Path<String>) -> Response {
    let rc = reader(&rc);
    match path_id(&raw, "editie") {
        Ok(id) => edition_page(&s, &rc, id, true, None, Submitted::default(), StatusCode::OK).await,
        Err(e) => fail(&s, &rc, e),
    }
}

/// The edition as a PDF document: the articles its reader reads.
pub(crate) fn edition_document(v: &EditionView) -> knooppunt_pdf::Document {
    let mut blocks = Vec::new();
    if v.row.theme_issue && !v.row.theme.is_empty() {
        blocks.push(Block::Paragraph(format!("Themanummer: {}", v.row.theme)));
    }
    for p in paragraphs(&v.row.introduction) {
        blocks.push(Block::Paragraph(p));
    }
    for a in &v.articles {
        blocks.push(Block::Heading(a.title.clone()));
        blocks.push(Block::Subheading(a.lead.clone()));
        for p in paragraphs(&a.body) {
            blocks.push(Block::Paragraph(p));
        }
        let mut facts = Vec::new();
        if !a.credits.is_empty() {
            facts.push(("Tekst en beeld".to_string(), a.credits.clone()));
        }
        let themes = v.theme_names(a);
        if !themes.is_empty() {
            facts.push(("Thema's".to_string(), themes.join(", ")));
        }
        if !facts.is_empty() {
            blocks.push(Block::Facts(facts));
        }
    }
    let footer =
        if v.row.published_on.is_empty() { "Concept — niet gepubliceerd".to_string() } else { format!("Gepubliceerd op {}", super::labels::iso_day(&v.row.published_on)) };
    knooppunt_pdf::Document { title: edition_name(&v.row), language: "nl".into(), blocks, footer }
}

pub async fn pdf(State(s): State<AppState>, AnyUser(rc): AnyUser, Path(raw): Path<String>) -> Response {
    let rc = reader(&rc);
    let id = match path_id(&raw, "editie") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.edition(&rc.ctx, id).await {
        Ok(v) => match knooppunt_pdf::render(&edition_document(&v)) {
            Ok(bytes) => {
                let name = format!("attachment; filename=\"code-geel-{}-{}.pdf\"", v.row.year, v.row.number);
                ([(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, name)], bytes).into_response()
            }
            Err(e) => fail(&s, &rc, AppError::Internal(e.to_string())),
        },
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn update(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match path_id(&raw, "editie") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let version = one(&p, "versie").parse().unwrap_or(-1);
    let result = match one(&p, "actie").as_str() {
        "publiceren" => s.app.publish_edition(&rc.ctx, id, version, true).await.map(|()| "gepubliceerd"),
        "terugtrekken" => s.app.publish_edition(&rc.ctx, id, version, false).await.map(|()| "teruggetrokken"),
        _ => s.app.update_edition(&rc.ctx, id, version, &edition_input(&p)).await.map(|()| "opgeslagen"),
    };
    match result {
        Ok(code) => see_other(&format!("/code-geel/{id}?melding={code}")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => edition_page(&s, &rc, id, false, None, Submitted::new("editie", errors, p), StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

fn article_input(p: &Pairs) -> ArticleInput {
    ArticleInput {
        title: one(p, "titel"),
        lead: one(p, "intro"),
        body: one(p, "tekst"),
        credits: one(p, "credits"),
        themes: all(p, "themas"),
        audience: one(p, "publiek"),
        position: one(p, "volgorde"),
    }
}

pub async fn add_article(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match path_id(&raw, "editie") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.add_article(&rc.ctx, id, &article_input(&p)).await {
        Ok(aid) => see_other(&format!("/code-geel/{id}?melding=artikel#artikel-{aid}")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => edition_page(&s, &rc, id, false, None, Submitted::new("artikel", errors, p), StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

#[derive(Template)]
#[template(path = "magazine_article.html")]
pub struct ArticlePage {
    pub page: Page,
    pub edition: EditionRow,
    pub article_id: i64,
    pub themes: Vec<(String, String)>,
    pub audiences: Vec<(String, String)>,
    pub errors: FormErrors,
    pub values: Pairs,
}

impl ArticlePage {
    pub fn value(&self, key: &str) -> String {
        one(&self.values, key)
    }
    pub fn chosen_themes(&self) -> Vec<String> {
        all(&self.values, "themas")
    }
}

fn article_pairs(a: &ArticleRow) -> Pairs {
    let mut p: Pairs = [("titel", &a.title), ("intro", &a.lead), ("tekst", &a.body), ("credits", &a.credits), ("publiek", &a.audience)]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    p.push(("volgorde".into(), a.position.to_string()));
    p.extend(a.themes.split_whitespace().map(|c| ("themas".to_string(), c.to_string())));
    p
}

async fn article_page(s: &AppState, rc: &RequestCtx, id: i64, aid: i64, submitted: Option<(FormErrors, Pairs)>) -> Response {
    let v = match s.app.edition(&rc.ctx, id).await {
        Ok(v) if v.may_edit => v,
        Ok(_) => return fail(s, rc, AppError::Forbidden("alleen de kennisredactie van het LIEC schrijft Code Geel")),
        Err(e) => return fail(s, rc, e),
    };
    let Some(article) = v.articles.iter().find(|a| a.id == aid) else { return fail(s, rc, AppError::NotFound("artikel")) };
    let themes = match phenomenon_options(s, rc).await {
        Ok(t) => t,
        Err(e) => return fail(s, rc, e),
    };
    let (errors, values, status) = match submitted {
        Some((errors, values)) => (errors, values, StatusCode::BAD_REQUEST),
        None => (FormErrors::default(), article_pairs(article), StatusCode::OK),
    };
    let title = format!("Artikel wijzigen: {}", article.title);
    render_status(status, &ArticlePage { page: page(s, rc, &title, "/code-geel", None), edition: v.row, article_id: aid, themes, audiences: audiences(), errors, values })
}

fn ids(raw: &str, raw_aid: &str) -> Result<(i64, i64), AppError> {
    Ok((path_id(raw, "editie")?, path_id(raw_aid, "artikel")?))
}

pub async fn article_form(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, raw_aid)): Path<(String, String)>) -> Response {
    match ids(&raw, &raw_aid) {
        Ok((id, aid)) => article_page(&s, &rc, id, aid, None).await,
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn update_article(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, raw_aid)): Path<(String, String)>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let (id, aid) = match ids(&raw, &raw_aid) {
        Ok(ids) => ids,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.update_article(&rc.ctx, id, aid, &article_input(&p)).await {
        Ok(()) => see_other(&format!("/code-geel/{id}?melding=artikel#artikel-{aid}")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => article_page(&s, &rc, id, aid, Some((errors, p))).await,
            None => fail(&s, &rc, e),
        },
    }
}

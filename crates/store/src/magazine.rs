//! Code Geel: the editions of the LIEC's magazine and their articles.
//!
//! Readers take what policy mints: a [`MagazineScope`] for the list and for opening one
//! edition, an [`EditionGrant`] for its articles (filtered in SQL by the same scope).

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};
use knooppunt_policy::magazine::{EditionGrant, MagazineScope};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionRow {
    pub id: i64,
    pub number: i64,
    pub year: i64,
    pub theme: String,
    pub theme_issue: bool,
    pub introduction: String,
    pub status: String,
    pub published_on: String,
    /// The articles the reader of the list may read.
    pub articles: i64,
    pub updated_at: i64,
    pub version: i64,
}

const EDITION_COLS: &str = "e.id, e.number, e.year, e.theme, e.theme_issue, e.introduction, e.status, e.published_on, e.updated_at, e.version, \
    (SELECT COUNT(*) FROM magazine_articles a WHERE a.edition_id = e.id AND ($1 OR a.audience = 'openbaar' OR ($2 AND a.audience = 'netwerk'))) AS articles";

fn edition_row(r: &Row) -> Result<EditionRow, StoreError> {
    Ok(EditionRow {
        id: col(r, "id")?,
        number: col(r, "number")?,
        year: col(r, "year")?,
        theme: col(r, "theme")?,
        theme_issue: col(r, "theme_issue")?,
        introduction: col(r, "introduction")?,
        status: col(r, "status")?,
        published_on: col(r, "published_on")?,
        articles: col(r, "articles")?,
        updated_at: time(r, "updated_at")?,
        version: col(r, "version")?,
    })
}

/// The editions `scope` sees, newest first. `$1` editor, `$2` network.
pub async fn editions(c: &mut Conn, scope: &MagazineScope) -> Result<Vec<EditionRow>, StoreError> {
    let rows = q(format!("SELECT {EDITION_COLS} FROM magazine_editions e WHERE ($1 OR e.status = 'gepubliceerd') ORDER BY e.year DESC, e.number DESC LIMIT 200"))
        .bind(scope.editor())
        .bind(scope.network())
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(edition_row).collect()
}

/// An edition by id if `scope` sees it: the facts for `policy::magazine::grant`.
pub async fn find_edition(c: &mut Conn, scope: &MagazineScope, id: i64) -> Result<Option<EditionRow>, StoreError> {
    let r = q(format!("SELECT {EDITION_COLS} FROM magazine_editions e WHERE e.id = $3 AND ($1 OR e.status = 'gepubliceerd')"))
        .bind(scope.editor())
        .bind(scope.network())
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
    r.as_ref().map(edition_row).transpose()
}

/// What an editor writes of an edition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditionFields {
    pub number: i64,
    pub year: i64,
    pub theme: String,
    pub theme_issue: bool,
    pub introduction: String,
}

/// Whether another edition than `except` has this number in this year.
pub async fn number_taken(c: &mut Conn, year: i64, number: i64, except: i64) -> Result<bool, StoreError> {
    let r = q("SELECT COUNT(*) AS n FROM magazine_editions WHERE year = $1 AND number = $2 AND id <> $3").bind(year).bind(number).bind(except).fetch_one(&mut *c).await?;
    Ok(col::<i64>(&r, "n")? > 0)
}

/// A new edition, in concept; its id.
pub async fn insert_edition(c: &mut Conn, f: &EditionFields, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO magazine_editions (number, year, theme, theme_issue, introduction, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id")
        .bind(f.number)
        .bind(f.year)
        .bind(&f.theme)
        .bind(f.theme_issue)
        .bind(&f.introduction)
        .bind_at(at)
        .fetch_one(&mut *c)
        .await?;
    col(&r, "id")
}

/// Changes edition `id` at `version`; `false` when it changed since.
pub async fn update_edition(c: &mut Conn, id: i64, version: i64, f: &EditionFields, at: i64) -> Result<bool, StoreError> {
    let n = q("UPDATE magazine_editions SET number = $1, year = $2, theme = $3, theme_issue = $4, introduction = $5, updated_at = $6, version = version + 1 \
         WHERE id = $7 AND version = $8")
    .bind(f.number)
    .bind(f.year)
    .bind(&f.theme)
    .bind(f.theme_issue)
    .bind(&f.introduction)
    .bind_at(at)
    .bind(id)
    .bind(version)
    .execute(&mut *c)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Sets the status of edition `id` at `version` (publishing sets the day, taking back clears
/// it); `false` when it changed since.
pub async fn set_status(c: &mut Conn, id: i64, version: i64, status: &str, published_on: &str, at: i64) -> Result<bool, StoreError> {
    let n = q("UPDATE magazine_editions SET status = $1, published_on = $2, updated_at = $3, version = version + 1 WHERE id = $4 AND version = $5")
        .bind(status)
        .bind(published_on)
        .bind_at(at)
        .bind(id)
        .bind(version)
        .execute(&mut *c)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Bumps an edition's version (an article added or changed).
pub async fn touch_edition(c: &mut Conn, id: i64, at: i64) -> Result<(), StoreError> {
    q("UPDATE magazine_editions SET updated_at = $1, version = version + 1 WHERE id = $2").bind_at(at).bind(id).execute(&mut *c).await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRow {
    pub id: i64,
    pub edition_id: i64,
    pub position: i64,
    pub title: String,
    pub lead: String,
    pub body: String,
    pub credits: String,
    /// Phenomenon codes of the taxonomy, space-separated.
    pub themes: String,
    pub audience: String,
    pub updated_at: i64,
}

fn article_row(r: &Row) -> Result<ArticleRow, StoreError> {
    Ok(ArticleRow {
        id: col(r, "id")?,
        edition_id: col(r, "edition_id")?,
        position: col(r, "ordinal")?,
        title: col(r, "title")?,
        lead: col(r, "lead")?,
        body: col(r, "body")?,
        credits: col(r, "credits")?,
        themes: col(r, "themes")?,
        audience: col(r, "audience")?,
        updated_at: time(r, "updated_at")?,
    })
}

/// The articles of the edition of `g` its holder reads, in order.
pub async fn articles(c: &mut Conn, g: &EditionGrant) -> Result<Vec<ArticleRow>, StoreError> {
    let s = g.scope();
    let rows = q("SELECT id, edition_id, ordinal, title, lead, body, credits, themes, audience, updated_at FROM magazine_articles \
         WHERE edition_id = $1 AND ($2 OR audience = 'openbaar' OR ($3 AND audience = 'netwerk')) ORDER BY ordinal, id")
    .bind(g.id())
    .bind(s.editor())
    .bind(s.network())
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(article_row).collect()
}

/// What an editor writes of an article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleFields {
    pub title: String,
    pub lead: String,
    pub body: String,
    pub credits: String,
    pub themes: String,
    pub audience: String,
    pub position: i64,
}

/// Adds an article to the edition of `g`; its id.
pub async fn insert_article(c: &mut Conn, g: &EditionGrant, f: &ArticleFields, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO magazine_articles (edition_id, ordinal, title, lead, body, credits, themes, audience, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id")
    .bind(g.id())
    .bind(f.position)
    .bind(&f.title)
    .bind(&f.lead)
    .bind(&f.body)
    .bind(&f.credits)
    .bind(&f.themes)
    .bind(&f.audience)
    .bind_at(at)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

/// Sets the place of article `article_id` of the edition of `g`.
pub async fn set_ordinal(c: &mut Conn, g: &EditionGrant, article_id: i64, ordinal: i64) -> Result<(), StoreError> {
    q("UPDATE magazine_articles SET ordinal = $1 WHERE id = $2 AND edition_id = $3").bind(ordinal).bind(article_id).bind(g.id()).execute(&mut *c).await?;
    Ok(())
}

/// Changes article `article_id` of the edition of `g`; `false` when it is not there.
pub async fn update_article(c: &mut Conn, g: &EditionGrant, article_id: i64, f: &ArticleFields, at: i64) -> Result<bool, StoreError> {
    let n = q("UPDATE magazine_articles SET ordinal = $1, title = $2, lead = $3, body = $4, credits = $5, themes = $6, audience = $7, updated_at = $8 \
         WHERE id = $9 AND edition_id = $10")
    .bind(f.position)
    .bind(&f.title)
    .bind(&f.lead)
    .bind(&f.body)
    .bind(&f.credits)
    .bind(&f.themes)
    .bind(&f.audience)
    .bind_at(at)
    .bind(article_id)
    .bind(g.id())
    .execute(&mut *c)
    .await?
    .rows_affected();
    Ok(n == 1)
}

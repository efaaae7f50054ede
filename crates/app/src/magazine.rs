//! Code Geel, the LIEC's digital magazine. The knowledge editors make an edition (number and
//! year, theme, theme issue, an introduction), write its articles (lead, body, credits, themes
//! from the phenomenon taxonomy, for the public or the network) and publish it; a published
//! edition is read as a web edition and a printable edition (and as PDF), each reader seeing
//! the articles policy gives them. Writing is audited; reading holds no personal data.

use crate::cases::{text, today};
use crate::taxonomy::{resolve_codes, Axis};
use crate::{commit, App, AppError, Ctx, Object, Outcome, Tx};
use knooppunt_domain::magazine::{ArticleAudience, EditionStatus, EDITION_NUMBERS, EDITION_YEARS};
use knooppunt_domain::Invalid;
use knooppunt_policy::magazine::{grant, may_edit, may_read_article, scope, EditionGrant};
use knooppunt_store::magazine::{self as store, ArticleFields, EditionFields};
pub use knooppunt_store::magazine::{ArticleRow, EditionRow};
use knooppunt_store::taxonomy as terms;

const OBJECT: &str = "code-geel-editie";

/// An edition as an editor types it.
#[derive(Debug, Clone, Default)]
pub struct EditionInput {
    pub number: String,
    pub year: String,
    pub theme: String,
    pub theme_issue: bool,
    pub introduction: String,
}

/// An article as an editor types it; `themes` are phenomenon codes.
#[derive(Debug, Clone, Default)]
pub struct ArticleInput {
    pub title: String,
    pub lead: String,
    pub body: String,
    pub credits: String,
    pub themes: Vec<String>,
    /// `openbaar` or `netwerk` (empty: netwerk).
    pub audience: String,
    /// The place in the edition, from 1 (empty: last).
    pub position: String,
}

/// The editions a reader sees.
#[derive(Debug, Clone)]
pub struct Editions {
    pub rows: Vec<EditionRow>,
    pub may_edit: bool,
}

/// One edition with the articles its reader reads; themes as (code, name).
#[derive(Debug, Clone)]
pub struct EditionView {
    pub row: EditionRow,
    pub articles: Vec<ArticleRow>,
    pub themes: Vec<(String, String)>,
    pub may_edit: bool,
    /// Articles for the network that the reader does not see (a visitor is told to sign in).
    pub hidden_for_network: bool,
}

impl EditionView {
    /// The names of an article's themes.
    pub fn theme_names(&self, a: &ArticleRow) -> Vec<String> {
        a.themes.split_whitespace().map(|c| self.themes.iter().find(|(code, _)| code == c).map(|(_, n)| n.clone()).unwrap_or_else(|| c.to_string())).collect()
    }
}

fn edition_fields(input: &EditionInput) -> Result<EditionFields, Invalid> {
    let mut invalid = Invalid::default();
    let number = match input.number.trim().parse::<i64>() {
        Ok(n) if EDITION_NUMBERS.contains(&n) => n,
        _ => {
            invalid.push("nummer", "Vul het nummer van de editie in, een getal van 1 tot en met 99.");
            0
        }
    };
    let year = match input.year.trim().parse::<i64>() {
        Ok(y) if EDITION_YEARS.contains(&y) => y,
        _ => {
            invalid.push("jaargang", "Vul het jaar in, bijvoorbeeld 2026.");
            0
        }
    };
    let theme = text(&mut invalid, "thema", &input.theme, if input.theme_issue { Some("Een themanummer heeft een thema.") } else { None }, 200);
    let introduction = text(&mut invalid, "inleiding", &input.introduction, None, 5_000);
    invalid.into_result()?;
    Ok(EditionFields { number, year, theme, theme_issue: input.theme_issue, introduction })
}

impl App {
    /// Opens edition `id` for the reader in `tx`: `NotFound` when they may not read it.
    async fn open_edition(&self, tx: &mut Tx, ctx: &Ctx, id: i64) -> Result<(EditionRow, EditionGrant), AppError> {
        let p = ctx.principal.as_ref();
        let row = store::find_edition(tx, &scope(p), id).await?.ok_or(AppError::NotFound("editie"))?;
        let status = EditionStatus::parse(&row.status).unwrap_or(EditionStatus::Concept);
        let g = grant(p, id, status).ok_or(AppError::NotFound("editie"))?;
        Ok((row, g))
    }

    /// Refuses a write to edition `id` when the reader may not edit (audited).
    async fn edition_for_editor(&self, ctx: &Ctx, id: i64) -> Result<(Tx, EditionRow, EditionGrant), AppError> {
        let mut tx = self.begin().await?;
        let found = self.open_edition(&mut tx, ctx, id).await;
        match found {
            Ok((row, g)) if g.may_edit() => Ok((tx, row, g)),
            Ok(_) => {
                let reason = "alleen de kennisredactie van het LIEC schrijft Code Geel";
                Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), reason, AppError::Forbidden(reason)).await)
            }
            Err(e) => Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), "editie niet zichtbaar", e).await),
        }
    }

    /// The editions the reader sees, newest first (the editors: concepts too).
    pub async fn editions(&self, ctx: &Ctx) -> Result<Editions, AppError> {
        let p = ctx.principal.as_ref();
        let mut tx = self.begin_read().await?;
        let rows = store::editions(&mut tx, &scope(p)).await?;
        commit(tx).await?;
        Ok(Editions { rows, may_edit: p.is_some_and(|p| may_edit(p).allowed) })
    }

    /// One edition with the articles the reader reads.
    pub async fn edition(&self, ctx: &Ctx, id: i64) -> Result<EditionView, AppError> {
        let mut tx = self.begin_read().await?;
        let (row, g) = self.open_edition(&mut tx, ctx, id).await?;
        let articles = store::articles(&mut tx, &g).await?;
        let themes = terms::terms(&mut tx, Axis::Phenomenon).await?.into_iter().map(|t| (t.code, t.name)).collect();
        commit(tx).await?;
        let hidden_for_network = !may_read_article(&g, ArticleAudience::Network);
        Ok(EditionView { may_edit: g.may_edit(), row, articles, themes, hidden_for_network })
    }

    /// An editor makes a new edition, in concept; its id.
    pub async fn create_edition(&self, ctx: &Ctx, input: &EditionInput) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let d = may_edit(&p);
        if !d.allowed {
            return Err(self.refuse(None, ctx, &Object::new(OBJECT, "nieuw"), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let f = edition_fields(input)?;
        let mut tx = self.begin().await?;
        if store::number_taken(&mut tx, f.year, f.number, 0).await? {
            return Err(Invalid::one("nummer", format!("Er is al een editie {} van {}.", f.number, f.year)).into());
        }
        let id = store::insert_edition(&mut tx, &f, self.now()).await?;
        self.audit(&mut tx, ctx, "code-geel-editie-gemaakt", &Object::new(OBJECT, id), Outcome::Ok, &format!("{}/{}", f.number, f.year)).await?;
        commit(tx).await?;
        Ok(id)
    }

    /// An editor changes edition `id` at `version`.
    pub async fn update_edition(&self, ctx: &Ctx, id: i64, version: i64, input: &EditionInput) -> Result<(), AppError> {
        let f = edition_fields(input)?;
        let (mut tx, _, _) = self.edition_for_editor(ctx, id).await?;
        if store::number_taken(&mut tx, f.year, f.number, id).await? {
            return Err(Invalid::one("nummer", format!("Er is al een editie {} van {}.", f.number, f.year)).into());
        }
        if !store::update_edition(&mut tx, id, version, &f, self.now()).await? {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        self.audit(&mut tx, ctx, "code-geel-editie-gewijzigd", &Object::new(OBJECT, id), Outcome::Ok, "").await?;
        commit(tx).await
    }

    /// An editor publishes edition `id` at `version` (`publish`), or takes it back to concept.
    /// An edition without articles is not published.
    pub async fn publish_edition(&self, ctx: &Ctx, id: i64, version: i64, publish: bool) -> Result<(), AppError> {
        let (mut tx, row, g) = self.edition_for_editor(ctx, id).await?;
        let (status, day) = if publish { (EditionStatus::Published, today(self.now())) } else { (EditionStatus::Concept, String::new()) };
        if row.status == status.code() {
            return Err(AppError::Conflict(if publish { "Deze editie is al gepubliceerd.".into() } else { "Deze editie is al een concept.".into() }));
        }
        if publish && store::articles(&mut tx, &g).await?.is_empty() {
            return Err(AppError::Conflict("Een editie zonder artikelen wordt niet gepubliceerd; schrijf eerst een artikel.".into()));
        }
        if !store::set_status(&mut tx, id, version, status.code(), &day, self.now()).await? {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        let action = if publish { "code-geel-editie-gepubliceerd" } else { "code-geel-editie-teruggetrokken" };
        self.audit(&mut tx, ctx, action, &Object::new(OBJECT, id), Outcome::Ok, &format!("{}/{}", row.number, row.year)).await?;
        commit(tx).await
    }

    /// Checks an article as typed, in `tx` (the themes against the taxonomy).
    async fn article_fields(&self, tx: &mut Tx, input: &ArticleInput, last: i64) -> Result<ArticleFields, AppError> {
        let mut invalid = Invalid::default();
        let title = text(&mut invalid, "titel", &input.title, Some("Geef het artikel een titel."), 200);
        let lead = text(&mut invalid, "intro", &input.lead, Some("Schrijf de intro: een of twee zinnen die de lezer naar het artikel trekken."), 1_000);
        let body = text(&mut invalid, "tekst", &input.body, Some("Schrijf de tekst van het artikel."), 60_000);
        let credits = text(&mut invalid, "credits", &input.credits, None, 500);
        let audience = match input.audience.trim() {
            "" => Some(ArticleAudience::Network),
            raw => invalid.check("publiek", ArticleAudience::parse(raw)),
        };
        let position = match input.position.trim() {
            "" => last + 1,
            raw => match raw.parse::<i64>() {
                Ok(n) if (1..=200).contains(&n) => n,
                _ => {
                    invalid.push("volgorde", "Vul de plaats in de editie in als getal van 1 tot en met 200.");
                    0
                }
            },
        };
        let resolved = resolve_codes(tx, Axis::Phenomenon, &today(self.now()), &input.themes, "themas", &mut invalid).await?;
        invalid.into_result()?;
        let themes: Vec<String> = resolved.into_iter().map(|(_, code)| code).collect();
        Ok(ArticleFields { title, lead, body, credits, themes: themes.join(" "), audience: audience.unwrap_or(ArticleAudience::Network).code().into(), position })
    }

    /// Numbers the articles of the edition of `g` 1, 2, 3 … in their order, `moved` before any
    /// other at its place (it was put there).
    async fn renumber(&self, tx: &mut Tx, g: &EditionGrant, moved: i64) -> Result<(), AppError> {
        let mut articles = store::articles(tx, g).await?;
        articles.sort_by_key(|a| (a.position, a.id != moved, a.id));
        for (i, a) in articles.iter().enumerate() {
            let n = i64::try_from(i).unwrap_or(i64::MAX - 1) + 1;
            if a.position != n {
                store::set_ordinal(tx, g, a.id, n).await?;
            }
        }
        Ok(())
    }

    /// An editor adds an article to edition `id`; its id.
    pub async fn add_article(&self, ctx: &Ctx, id: i64, input: &ArticleInput) -> Result<i64, AppError> {
        let (mut tx, _, g) = self.edition_for_editor(ctx, id).await?;
        let last = store::articles(&mut tx, &g).await?.iter().map(|a| a.position).max().unwrap_or(0);
        let f = self.article_fields(&mut tx, input, last).await?;
        let aid = store::insert_article(&mut tx, &g, &f, self.now()).await?;
        self.renumber(&mut tx, &g, aid).await?;
        store::touch_edition(&mut tx, id, self.now()).await?;
        self.audit(&mut tx, ctx, "code-geel-artikel-geschreven", &Object::new(OBJECT, id), Outcome::Ok, &format!("artikel {aid}")).await?;
        commit(tx).await?;
        Ok(aid)
    }

    /// An editor changes article `article_id` of edition `id`.
    pub async fn update_article(&self, ctx: &Ctx, id: i64, article_id: i64, input: &ArticleInput) -> Result<(), AppError> {
        let (mut tx, _, g) = self.edition_for_editor(ctx, id).await?;
        let articles = store::articles(&mut tx, &g).await?;
        let Some(current) = articles.iter().find(|a| a.id == article_id) else {
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), "artikel niet gevonden", AppError::NotFound("artikel")).await);
        };
        let f = self.article_fields(&mut tx, input, current.position - 1).await?;
        store::update_article(&mut tx, &g, article_id, &f, self.now()).await?;
        self.renumber(&mut tx, &g, article_id).await?;
        store::touch_edition(&mut tx, id, self.now()).await?;
        self.audit(&mut tx, ctx, "code-geel-artikel-gewijzigd", &Object::new(OBJECT, id), Outcome::Ok, &format!("artikel {article_id}")).await?;
        commit(tx).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edition_names_every_wrong_field() {
        let e = edition_fields(&EditionInput { number: "0".into(), year: "twintig".into(), theme_issue: true, ..EditionInput::default() }).err().unwrap_or_default();
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, ["nummer", "jaargang", "thema"]);
        let ok = edition_fields(&EditionInput { number: "3".into(), year: "2026".into(), theme: "Buitengebied".into(), theme_issue: true, ..EditionInput::default() });
        assert!(ok.is_ok_and(|f| f.number == 3 && f.year == 2026 && f.theme_issue));
    }
}

//! The knowledge items of the Kennisplatform Ondermijning: news, guides, case law, best
//! practices and the other content types, written by the LIEC's knowledge editors through an
//! editorial workflow (concept → ter beoordeling → gepubliceerd → gearchiveerd; somebody else
//! publishes what an editor offered for review), and read by their audience: everyone
//! (openbaar, also without signing in), the network, one knowledge group, or the editors.
//! Every list and count filters in SQL with the scope policy mints; one item opens with a grant.
//! Knowledge holds no personal data of data subjects; writes and steps are audited.

use crate::cases::today;
use crate::search::SearchPlan;
use crate::taxonomy::{resolve, Axis};
use crate::{commit, App, AppError, Ctx, Object, Outcome};
use knooppunt_domain::knowledge::{parse_ecli, Audience, KnowledgeKind, KnowledgeState, KnowledgeStep, ProductType};
use knooppunt_domain::text::{name_key, slug};
use knooppunt_domain::{Invalid, PartnerType};
use knooppunt_extract::Extracted;
use knooppunt_policy::knowledge::{self as policy, ItemFacts, KnowledgeGrant};
use knooppunt_policy::Principal;
use knooppunt_search::snippet::snippet_with;
pub use knooppunt_search::snippet::Piece;
use knooppunt_search::terms::Lexicon;
use knooppunt_store::knowledge::{self as store, AttachmentRow, Facet, GroupRow, ItemContent, ItemFilter, ItemRow, ItemTerms, StepRow, VersionRow};
use knooppunt_store::{network, taxonomy as terms, Tx};

/// How long the text of one upload may take to read.
pub const EXTRACTION_SECONDS: u64 = 20;

/// Items per page of a list.
pub const PAGE: i64 = 20;

/// Up to how many matches a list or search counts (beyond: "meer dan").
pub const COUNT_LIMIT: i64 = 1000;

/// The highest page number a list accepts (far beyond any real list; keeps the offset small).
pub const MAX_PAGE: i64 = 100_000;

/// What a reader asks of the list; codes as the UI and API use them.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeQuery {
    pub kind: Option<String>,
    pub state: Option<String>,
    pub phenomenon: Option<String>,
    pub partner_type: Option<String>,
    pub year: Option<i32>,
    /// Search words (none or blank: the newest items).
    pub text: Option<String>,
    /// 1-based.
    pub page: i64,
}

/// One line of a list.
#[derive(Debug, Clone)]
pub struct ItemLine {
    pub row: ItemRow,
    pub themes: Vec<String>,
    /// A search's snippet of the item's text, matched words marked (empty without a search).
    pub snippet: Vec<Piece>,
}

/// A facet value with its Dutch label and count.
pub type FacetLine = Facet;

/// A page of items with the facets over everything that matches.
#[derive(Debug, Clone)]
pub struct KnowledgeList {
    pub items: Vec<ItemLine>,
    /// How many items match, up to [`COUNT_LIMIT`].
    pub total: i64,
    /// More than [`COUNT_LIMIT`] match: `total` is the limit, and the facets (counts -1) list
    /// the values of the first [`COUNT_LIMIT`] matches found, uncounted.
    pub capped: bool,
    pub page: i64,
    pub kinds: Vec<FacetLine>,
    pub phenomena: Vec<FacetLine>,
    pub partner_types: Vec<FacetLine>,
    pub may_edit: bool,
    /// The words searched for instead of misspelt ones: (typed, searched).
    pub corrections: Vec<(String, String)>,
}

/// One item as its reader sees it.
#[derive(Debug, Clone)]
pub struct KnowledgeItem {
    pub row: ItemRow,
    /// (code, name)
    pub phenomena: Vec<(String, String)>,
    pub settings: Vec<(String, String)>,
    pub partner_types: Vec<PartnerType>,
    pub attachments: Vec<AttachmentRow>,
    /// The editors only: every version and every workflow step.
    pub versions: Vec<VersionRow>,
    pub steps: Vec<StepRow>,
    /// The steps the reader may take now (editors).
    pub next_steps: Vec<KnowledgeStep>,
    pub may_edit: bool,
    /// The reader is an editor: state, audience, versions and steps are shown.
    pub editor: bool,
}

/// What an editor writes; codes as the UI and API use them.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeInput {
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub ecli: String,
    pub audience: String,
    /// Code of the knowledge group (audience `groep`).
    pub group: String,
    /// Code of the region it is about (optional).
    pub region: String,
    pub phenomena: Vec<String>,
    pub settings: Vec<String>,
    pub partner_types: Vec<String>,
    /// A phenomenon table's product: `fenomeenbeeld`, `aanpak` or `rapportage`.
    pub product_type: String,
    pub change_note: String,
    /// The version the change is based on (not for a new item).
    pub version: i64,
}

/// A new knowledge group.
#[derive(Debug, Clone, Default)]
pub struct GroupInput {
    pub name: String,
    pub description: String,
    pub organisations: Vec<i64>,
}

pub(crate) fn facts(r: &ItemRow) -> ItemFacts {
    ItemFacts {
        state: KnowledgeState::parse(&r.state).unwrap_or(KnowledgeState::Concept),
        audience: Audience::parse(&r.audience).unwrap_or(Audience::Editors),
        member_of_group: r.member_of_group,
    }
}

fn label_facets(mut f: Vec<Facet>, label: impl Fn(&str) -> Option<&'static str>) -> Vec<Facet> {
    for x in &mut f {
        if let Some(l) = label(&x.code) {
            x.label = l.to_string();
        }
    }
    f
}

impl App {
    /// A page of the items the reader sees (`ctx` may be signed out: the public items), with
    /// facets over everything that matches.
    pub async fn knowledge_list(&self, ctx: &Ctx, query: &KnowledgeQuery) -> Result<KnowledgeList, AppError> {
        let p = ctx.principal.as_ref();
        let scope = policy::knowledge_scope(p);
        let mut invalid = Invalid::default();
        let kind = query.kind.as_deref().and_then(|k| invalid.check("soort", KnowledgeKind::parse(k)));
        let state = query.state.as_deref().and_then(|k| invalid.check("status", KnowledgeState::parse(k)));
        let partner = query.partner_type.as_deref().and_then(|k| invalid.check("partnertype", PartnerType::parse(k)));
        if !(1..=MAX_PAGE).contains(&query.page) {
            invalid.push("pagina", format!("De pagina is een getal van 1 tot en met {MAX_PAGE}."));
        }
        let text = query.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if let Some(t) = text {
            if t.chars().count() > crate::search::MAX_QUERY {
                invalid.push("zoek", format!("Zoek met ten hoogste {} tekens.", crate::search::MAX_QUERY));
            }
        }
        if query.year.is_some_and(|y| !(1900..=2200).contains(&y)) {
            invalid.push("jaar", "Het jaar ligt tussen 1900 en 2200.");
        }
        // A search is answered from the node's copy of the index (filters too), its statements
        // by key: those may reuse their plans.
        let from_copy = text.is_some();
        let mut tx = if from_copy { self.db.begin_read_planned().await? } else { self.begin_read().await? };
        let phenomenon_id = match query.phenomenon.as_deref() {
            Some(code) => match terms::terms(&mut tx, Axis::Phenomenon).await?.into_iter().find(|t| t.code == code) {
                Some(t) => Some(t.id),
                None => {
                    invalid.push("fenomeen", format!("Onbekend fenomeen '{code}'."));
                    None
                }
            },
            None => None,
        };
        invalid.into_result()?;
        let mut filter = ItemFilter {
            kind: kind.map(|k| k.code().into()),
            state: state.map(|s| s.code().into()),
            phenomenon_id,
            partner_type: partner.map(|p| p.code().into()),
            year: query.year,
            terms: Vec::new(),
        };
        let view = self.search_replica.view(&mut tx, &scope, from_copy).await?;
        let plan = match text {
            Some(t) => Some(self.search_plan(&mut tx, &view, t).await?),
            None => None,
        };
        filter.terms = plan.as_ref().map(SearchPlan::filter_terms).unwrap_or_default();
        let rows = match &plan {
            None => store::page(&mut tx, &scope, &filter, PAGE, (query.page - 1) * PAGE).await?,
            Some(plan) => view.search(&mut tx, &filter, &plan.weights, PAGE, (query.page - 1) * PAGE).await?.into_iter().map(|r| r.row).collect(),
        };
        // Counted and faceted up to a bound: beyond it "more than" (a common word would
        // otherwise cost a count over a large part of the collection on every search).
        let mut matched = view.matches(&mut tx, &filter, COUNT_LIMIT + 1).await?;
        let capped = matched.len() as i64 > COUNT_LIMIT;
        matched.truncate(usize::try_from(COUNT_LIMIT).unwrap_or(0));
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let themes = view.themes(&mut tx, &ids).await?;
        let [kinds, phenomena, partner_types] = view.facets(&mut tx, &matched).await?;
        commit(tx).await?;
        let total = matched.len() as i64;
        let uncounted = |mut f: Vec<Facet>| {
            if capped {
                f.iter_mut().for_each(|x| x.count = -1);
            }
            f
        };
        let marked = plan.as_ref().map(SearchPlan::marked);
        let items = rows
            .into_iter()
            .map(|row| ItemLine {
                themes: themes.iter().filter(|t| t.0 == row.id).map(|t| t.1.clone()).collect(),
                snippet: match &marked {
                    Some(m) => snippet_with(&format!("{}\n{}", row.summary, row.body), m, Lexicon::domain(), &self.snippet_words),
                    None => Vec::new(),
                },
                row,
            })
            .collect();
        Ok(KnowledgeList {
            items,
            total,
            capped,
            page: query.page,
            kinds: uncounted(label_facets(kinds, |c| KnowledgeKind::parse(c).ok().map(|k| k.label()))),
            phenomena: uncounted(phenomena),
            partner_types: uncounted(label_facets(partner_types, |c| PartnerType::parse(c).ok().map(|k| k.label()))),
            may_edit: p.is_some_and(|p| policy::may_edit(p).allowed),
            corrections: plan.map(|p| p.corrections).unwrap_or_default(),
        })
    }

    /// Whether the signed-in user writes knowledge items (the forms and links to show).
    pub fn may_edit_knowledge(&self, ctx: &Ctx) -> bool {
        ctx.principal.as_ref().is_some_and(|p| policy::may_edit(p).allowed)
    }

    /// One item, if the reader may see it; otherwise `NotFound`, the same as for an item that
    /// does not exist.
    pub async fn knowledge_item(&self, ctx: &Ctx, id: i64) -> Result<KnowledgeItem, AppError> {
        let mut tx = self.begin_read().await?;
        let found = self.item_in(&mut tx, ctx, id).await;
        commit(tx).await?;
        Ok(found?.0)
    }

    /// One item and its grant, read in `tx`, if the reader may see it (`NotFound` otherwise).
    pub(crate) async fn item_in(&self, tx: &mut Tx, ctx: &Ctx, id: i64) -> Result<(KnowledgeItem, KnowledgeGrant), AppError> {
        let p = ctx.principal.as_ref();
        let scope = policy::knowledge_scope(p);
        let row = store::find(tx, &scope, id).await?.ok_or(AppError::NotFound("kennisitem"))?;
        let g = policy::grant(p, id, &facts(&row)).ok_or(AppError::NotFound("kennisitem"))?;
        let t = store::terms(tx, &g).await?;
        let attachments = store::attachments(tx, &g).await?;
        let phenomena = terms::terms(tx, Axis::Phenomenon).await?;
        let settings = terms::terms(tx, Axis::Setting).await?;
        let (versions, steps) = if g.editor() { (store::versions(tx, &g).await?, store::steps(tx, &g).await?) } else { (Vec::new(), Vec::new()) };
        let named = |all: &[terms::TermRow], ids: &[i64]| all.iter().filter(|x| ids.contains(&x.id)).map(|x| (x.code.clone(), x.name.clone())).collect();
        let state = facts(&row).state;
        let next_steps = match p {
            Some(p) if g.editor() => KnowledgeStep::from(state).into_iter().filter(|s| policy::may_take_step(p, *s, row.submitted_by.as_deref()).allowed).collect(),
            _ => Vec::new(),
        };
        let item = KnowledgeItem {
            phenomena: named(&phenomena, &t.phenomena),
            settings: named(&settings, &t.settings),
            partner_types: t.partner_types.iter().filter_map(|c| PartnerType::parse(c).ok()).collect(),
            attachments,
            versions,
            steps,
            next_steps,
            may_edit: p.is_some_and(|p| policy::may_edit(p).allowed) && state != KnowledgeState::Archived,
            editor: g.editor(),
            row,
        };
        Ok((item, g))
    }

    async fn knowledge_editor(&self, ctx: &Ctx, object: &Object<'_>) -> Result<Principal, AppError> {
        let p = ctx.principal()?.clone();
        let d = policy::may_edit(&p);
        if d.allowed {
            Ok(p)
        } else {
            Err(self.refuse(None, ctx, object, d.reason, AppError::Forbidden(d.reason)).await)
        }
    }

    /// Checks what an editor wrote; the content and terms to store.
    async fn check_item(&self, tx: &mut Tx, input: &KnowledgeInput, id: i64) -> Result<(ItemContent, ItemTerms), AppError> {
        let mut invalid = Invalid::default();
        let kind = invalid.check("soort", KnowledgeKind::parse(&input.kind));
        let title = crate::cases::text(&mut invalid, "titel", &input.title, Some("Geef het kennisitem een titel."), 200);
        let summary = crate::cases::text(&mut invalid, "samenvatting", &input.summary, Some("Vat in een paar zinnen samen waar het over gaat."), 1000);
        let body = crate::cases::text(&mut invalid, "tekst", &input.body, None, 50_000);
        let ecli = match (input.ecli.trim(), kind) {
            ("", Some(KnowledgeKind::CaseLaw)) => {
                invalid.push("ecli", "Jurisprudentie heeft een ECLI-nummer, zoals ECLI:NL:RVS:2022:1389.");
                None
            }
            ("", _) => None,
            (raw, _) => invalid.check("ecli", parse_ecli(raw)),
        };
        if let Some(e) = &ecli {
            if store::ecli_taken(tx, e, id).await? {
                invalid.push("ecli", format!("Er is al een kennisitem over {e}."));
            }
        }
        let product_type = match (input.product_type.trim(), kind) {
            ("", Some(KnowledgeKind::TableProduct)) => {
                invalid.push("productsoort", "Zeg wat het product van de fenomeentafel is: een fenomeenbeeld, een aanpak of een rapportage.");
                String::new()
            }
            ("", _) => String::new(),
            (raw, Some(KnowledgeKind::TableProduct)) => invalid.check("productsoort", ProductType::parse(raw)).map(|t| t.code().to_string()).unwrap_or_default(),
            (_, _) => {
                invalid.push("productsoort", "Alleen een product van een fenomeentafel heeft een soort product.");
                String::new()
            }
        };
        let audience = invalid.check("publiek", Audience::parse(&input.audience));
        let groups = store::groups(tx).await?;
        let group_id = match (audience, input.group.trim()) {
            (Some(Audience::Group), "") => {
                invalid.push("groep", "Kies de kennisgroep die dit item leest.");
                None
            }
            (Some(Audience::Group), code) => match groups.iter().find(|g| g.code == code) {
                Some(g) => Some(g.id),
                None => {
                    invalid.push("groep", format!("Onbekende kennisgroep '{code}'."));
                    None
                }
            },
            (_, "") => None,
            (_, _) => {
                invalid.push("groep", "Een groep hoort alleen bij het publiek 'groep'.");
                None
            }
        };
        let region_id = match input.region.trim() {
            "" => None,
            code => match network::list_regions(tx).await?.into_iter().find(|r| r.code == code && r.kind == "riec") {
                Some(r) => Some(r.id),
                None => {
                    invalid.push("regio", format!("Onbekende regio '{code}'."));
                    None
                }
            },
        };
        let day = today(self.now());
        let phenomena = resolve(tx, Axis::Phenomenon, &day, &input.phenomena, "fenomenen", &mut invalid).await?;
        let settings = resolve(tx, Axis::Setting, &day, &input.settings, "omgevingen", &mut invalid).await?;
        let mut partner_types: Vec<String> = Vec::new();
        for raw in input.partner_types.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            if let Some(t) = invalid.check("partnertypen", PartnerType::parse(raw)) {
                if !partner_types.iter().any(|x| x == t.code()) {
                    partner_types.push(t.code().into());
                }
            }
        }
        invalid.into_result()?;
        let (Some(kind), Some(audience)) = (kind, audience) else { return Err(AppError::Internal("checked input without kind or audience".into())) };
        Ok((
            ItemContent { kind: kind.code().into(), title, summary, body, ecli, audience: audience.code().into(), group_id, region_id, product_type },
            ItemTerms { phenomena, settings, partner_types },
        ))
    }

    /// A new item (a concept); its id.
    pub async fn create_knowledge_item(&self, ctx: &Ctx, input: &KnowledgeInput) -> Result<i64, AppError> {
        let p = self.knowledge_editor(ctx, &Object::new("kennisitem", "nieuw")).await?;
        let mut tx = self.begin().await?;
        let (content, t) = self.check_item(&mut tx, input, 0).await?;
        let now = self.now();
        let id = store::insert(&mut tx, &content, &p.label, now).await?;
        store::set_terms(&mut tx, id, &t).await?;
        store::keep_version(&mut tx, id, 1, "eerste versie", &p.label, now).await?;
        self.index_items(&mut tx, &[id]).await?;
        self.audit(&mut tx, ctx, "kennisitem-aangemaakt", &Object::new("kennisitem", id), Outcome::Ok, content.kind.as_str()).await?;
        commit(tx).await?;
        Ok(id)
    }

    /// A new item written for the editors by another use case (an answer of the specialist
    /// support), offered for review in the caller's transaction: another editor publishes it.
    /// Its id. The caller has checked that `p` may edit.
    pub(crate) async fn offer_knowledge_item(&self, tx: &mut Tx, ctx: &Ctx, p: &Principal, input: &KnowledgeInput, note: &str) -> Result<i64, AppError> {
        let (content, t) = self.check_item(tx, input, 0).await?;
        let now = self.now();
        let id = store::insert(tx, &content, &p.label, now).await?;
        store::set_terms(tx, id, &t).await?;
        store::keep_version(tx, id, 1, note, &p.label, now).await?;
        let (from, to) = KnowledgeStep::Submit.transition();
        if !store::set_state(tx, id, 1, from.code(), to.code(), Some(&policy::author_key(p)), now).await? {
            return Err(AppError::Internal("a new item is not a concept at version 1".into()));
        }
        store::add_step(tx, id, KnowledgeStep::Submit.code(), note, &p.label, now).await?;
        self.index_items(tx, &[id]).await?;
        self.audit(tx, ctx, "kennisitem-aangemaakt", &Object::new("kennisitem", id), Outcome::Ok, content.kind.as_str()).await?;
        Ok(id)
    }

    /// A new version of item `id`, if nobody changed it since `input.version`.
    pub async fn update_knowledge_item(&self, ctx: &Ctx, id: i64, input: &KnowledgeInput) -> Result<(), AppError> {
        let p = self.knowledge_editor(ctx, &Object::new("kennisitem", id)).await?;
        let scope = policy::knowledge_scope(Some(&p));
        let mut tx = self.begin().await?;
        let row = store::find(&mut tx, &scope, id).await?.ok_or(AppError::NotFound("kennisitem"))?;
        if row.state == KnowledgeState::Archived.code() {
            return Err(AppError::Conflict("Een gearchiveerd kennisitem wordt niet meer gewijzigd; neem het eerst weer in bewerking.".into()));
        }
        let mut invalid = Invalid::default();
        let note = crate::cases::text(&mut invalid, "toelichting", &input.change_note, Some("Zeg kort wat u verandert."), 500);
        // A barrier model with steps stays one: its barriers may be named by interventions.
        if row.kind == KnowledgeKind::BarrierModel.code() && input.kind.trim() != row.kind {
            if let Some(g) = policy::grant(Some(&p), id, &facts(&row)) {
                if !knooppunt_store::barriers::model(&mut tx, &g).await?.0.is_empty() {
                    invalid.push("soort", "Dit barrièremodel heeft stappen en blijft een barrièremodel; maak voor iets anders een nieuw kennisitem.");
                }
            }
        }
        let checked = self.check_item(&mut tx, input, id).await;
        let (content, t) = match (checked, invalid.into_result()) {
            (Ok(c), Ok(())) => c,
            (Err(AppError::Invalid(mut a)), Err(b)) => {
                a.0.extend(b.0);
                return Err(AppError::Invalid(a));
            }
            (Err(e), _) => return Err(e),
            (Ok(_), Err(b)) => return Err(AppError::Invalid(b)),
        };
        let now = self.now();
        if !store::update(&mut tx, id, input.version, &content, &p.label, now).await? {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        store::set_terms(&mut tx, id, &t).await?;
        store::keep_version(&mut tx, id, input.version + 1, &note, &p.label, now).await?;
        self.index_items(&mut tx, &[id]).await?;
        self.audit(&mut tx, ctx, "kennisitem-gewijzigd", &Object::new("kennisitem", id), Outcome::Ok, &format!("versie {}", input.version + 1)).await?;
        commit(tx).await?;
        Ok(())
    }

    /// Takes a workflow step on item `id` at `version`.
    pub async fn knowledge_step(&self, ctx: &Ctx, id: i64, step: &str, version: i64, note: &str) -> Result<KnowledgeState, AppError> {
        let p = self.knowledge_editor(ctx, &Object::new("kennisitem", id)).await?;
        let step = KnowledgeStep::parse(step).map_err(|e| Invalid::one("stap", e))?;
        let mut invalid = Invalid::default();
        let note = crate::cases::text(&mut invalid, "toelichting", note, None, 1000);
        if step == KnowledgeStep::Return && note.is_empty() {
            invalid.push("toelichting", "Zeg wat er nog aan moet gebeuren.");
        }
        invalid.into_result()?;
        let scope = policy::knowledge_scope(Some(&p));
        let mut tx = self.begin().await?;
        let row = store::find(&mut tx, &scope, id).await?.ok_or(AppError::NotFound("kennisitem"))?;
        let (from, to) = step.transition();
        if row.version != version {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        if row.state != from.code() {
            let state = KnowledgeState::parse(&row.state).map(|s| s.label()).unwrap_or("onbekend");
            return Err(AppError::Conflict(format!("'{}' kan niet: het kennisitem is {}.", step.label(), state.to_lowercase())));
        }
        let d = policy::may_take_step(&p, step, row.submitted_by.as_deref());
        if !d.allowed {
            return Err(self.refuse(Some(tx), ctx, &Object::new("kennisitem", id), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let submitted_by = if step == KnowledgeStep::Submit { Some(policy::author_key(&p)) } else { row.submitted_by.clone() };
        let now = self.now();
        if !store::set_state(&mut tx, id, version, from.code(), to.code(), submitted_by.as_deref(), now).await? {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        store::add_step(&mut tx, id, step.code(), &note, &p.label, now).await?;
        // Who may find the item changes with its state.
        self.index_items(&mut tx, &[id]).await?;
        self.audit(&mut tx, ctx, "kennisitem-stap", &Object::new("kennisitem", id), Outcome::Ok, step.code()).await?;
        commit(tx).await?;
        Ok(to)
    }

    /// Adds a file to item `id` (editors; not to an archived item), with the text found in it
    /// for search; the attachment's id. The text is read off the async threads, for at most
    /// [`EXTRACTION_SECONDS`]; a file whose text cannot be read is kept with the reason.
    pub async fn add_knowledge_attachment(&self, ctx: &Ctx, id: i64, file_name: &str, data: &[u8]) -> Result<i64, AppError> {
        let p = self.knowledge_editor(ctx, &Object::new("kennisitem", id)).await?;
        let kind = knooppunt_domain::attachment::check_attachment(file_name, data).map_err(|m| Invalid::one("bestand", m))?;
        let owned = data.to_vec();
        let work = tokio::task::spawn_blocking(move || knooppunt_extract::text_of(kind, &owned));
        let (text, note) = match tokio::time::timeout(std::time::Duration::from_secs(EXTRACTION_SECONDS), work).await {
            Ok(Ok(Extracted::Text(t))) => (t, String::new()),
            Ok(Ok(Extracted::NoText)) => (String::new(), "Van dit soort bestand wordt geen tekst gelezen.".to_string()),
            Ok(Ok(Extracted::Unreadable(reason))) => (String::new(), reason),
            Ok(Err(_)) => (String::new(), "De tekst van dit bestand kon niet worden gelezen.".to_string()),
            Err(_) => (String::new(), "Het lezen van de tekst duurde te lang; het bestand is wel bewaard.".to_string()),
        };
        let scope = policy::knowledge_scope(Some(&p));
        let mut tx = self.begin().await?;
        let row = store::find(&mut tx, &scope, id).await?.ok_or(AppError::NotFound("kennisitem"))?;
        if row.state == KnowledgeState::Archived.code() {
            return Err(AppError::Conflict("Een gearchiveerd kennisitem krijgt geen bijlagen meer; neem het eerst weer in bewerking.".into()));
        }
        use sha2::Digest;
        let a = AttachmentRow {
            file_name: file_name.trim().to_string(),
            content_type: kind.content_type().to_string(),
            size: i64::try_from(data.len()).unwrap_or(i64::MAX),
            sha256: hex::encode(sha2::Sha256::digest(data)),
            text_note: note,
            uploaded_by: p.label.clone(),
            at: self.now(),
            ..Default::default()
        };
        let aid = store::add_attachment(&mut tx, id, &a, data, &text).await?;
        self.index_items(&mut tx, &[id]).await?;
        self.audit(&mut tx, ctx, "kennisitem-bijlage-toegevoegd", &Object::new("kennisitem", id), Outcome::Ok, &format!("bijlage {aid}, sha256 {}", a.sha256)).await?;
        commit(tx).await?;
        Ok(aid)
    }

    /// An attachment with its bytes, for whoever may read the item; otherwise `NotFound`.
    pub async fn knowledge_attachment(&self, ctx: &Ctx, id: i64, attachment_id: i64) -> Result<(AttachmentRow, Vec<u8>), AppError> {
        let p = ctx.principal.as_ref();
        let scope = policy::knowledge_scope(p);
        let mut tx = self.begin_read().await?;
        let found = match store::find(&mut tx, &scope, id).await? {
            Some(row) => match policy::grant(p, id, &facts(&row)) {
                Some(g) => store::attachment_data(&mut tx, &g, attachment_id).await?,
                None => None,
            },
            None => None,
        };
        commit(tx).await?;
        found.ok_or(AppError::NotFound("bijlage"))
    }

    /// The knowledge groups with their members (editors), and the groups the reader's
    /// organisation is a member of (everyone else).
    pub async fn knowledge_groups(&self, ctx: &Ctx) -> Result<Vec<GroupRow>, AppError> {
        let p = ctx.principal()?.clone();
        let mut tx = self.begin_read().await?;
        let all = store::groups(&mut tx).await?;
        commit(tx).await?;
        Ok(all.into_iter().filter(|g| policy::may_see_group(&p, &g.members.iter().map(|m| m.0).collect::<Vec<_>>())).collect())
    }

    /// A new knowledge group (editors); its code.
    pub async fn create_knowledge_group(&self, ctx: &Ctx, input: &GroupInput) -> Result<String, AppError> {
        self.knowledge_editor(ctx, &Object::new("kennisgroep", "nieuw")).await?;
        let mut invalid = Invalid::default();
        let name = crate::cases::text(&mut invalid, "naam", &input.name, Some("Geef de groep een naam."), 120);
        let description = crate::cases::text(&mut invalid, "omschrijving", &input.description, None, 1000);
        if input.organisations.is_empty() {
            invalid.push("leden", "Kies minstens één organisatie als lid.");
        }
        let mut tx = self.begin().await?;
        let groups = store::groups(&mut tx).await?;
        if !name.is_empty() && groups.iter().any(|g| name_key(&g.name) == name_key(&name)) {
            invalid.push("naam", "Er is al een kennisgroep met deze naam.");
        } else if !name.is_empty() && groups.iter().any(|g| g.code == slug(&name)) {
            invalid.push("naam", "Er is al een kennisgroep met een naam die hier te veel op lijkt.");
        }
        let orgs = network::list_organisations(&mut tx, &Default::default()).await?;
        for o in &input.organisations {
            if !orgs.iter().any(|x| x.id == *o) {
                invalid.push("leden", format!("Onbekende organisatie {o}."));
            }
        }
        invalid.into_result()?;
        let code = slug(&name);
        let id = store::insert_group(&mut tx, &code, &name, &description, self.now()).await?;
        let mut members = input.organisations.clone();
        members.sort_unstable();
        members.dedup();
        store::set_members(&mut tx, id, &members).await?;
        self.audit(&mut tx, ctx, "kennisgroep-aangemaakt", &Object::new("kennisgroep", id), Outcome::Ok, &format!("{} leden", members.len())).await?;
        commit(tx).await?;
        Ok(code)
    }
}

/// The most themes a user follows, and the items shown per theme on the start page.
pub const MAX_THEMES: usize = 12;
pub const PER_THEME: i64 = 3;

/// A followed theme on the start page: its newest items the reader may read, and how many.
#[derive(Debug, Clone)]
pub struct ThemeBlock {
    pub code: String,
    pub name: String,
    pub items: Vec<ItemLine>,
    pub total: i64,
}

impl App {
    /// The themes (phenomenon code and name) the signed-in user follows.
    pub async fn followed_themes(&self, ctx: &Ctx) -> Result<Vec<(String, String)>, AppError> {
        let user = ctx.principal()?.user_id().ok_or(AppError::Forbidden("alleen een gebruiker volgt thema's"))?;
        let mut tx = self.begin_read().await?;
        let ids = store::followed_themes(&mut tx, user).await?;
        let all = terms::terms(&mut tx, Axis::Phenomenon).await?;
        commit(tx).await?;
        Ok(all.into_iter().filter(|t| ids.contains(&t.id)).map(|t| (t.code, t.name)).collect())
    }

    /// Sets the themes the signed-in user follows (phenomenon codes; retired ones are allowed,
    /// as older knowledge keeps them).
    pub async fn follow_themes(&self, ctx: &Ctx, codes: &[String]) -> Result<(), AppError> {
        let user = ctx.principal()?.user_id().ok_or(AppError::Forbidden("alleen een gebruiker volgt thema's"))?;
        let mut tx = self.begin().await?;
        let all = terms::terms(&mut tx, Axis::Phenomenon).await?;
        let mut invalid = Invalid::default();
        let mut ids: Vec<i64> = Vec::new();
        for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
            match all.iter().find(|t| t.code == code) {
                Some(t) if !ids.contains(&t.id) => ids.push(t.id),
                Some(_) => {}
                None => invalid.push("fenomenen", format!("Onbekend fenomeen '{code}'.")),
            }
        }
        if ids.len() > MAX_THEMES {
            invalid.push("fenomenen", format!("Volg hoogstens {MAX_THEMES} thema's."));
        }
        invalid.into_result()?;
        store::set_followed_themes(&mut tx, user, &ids).await?;
        self.audit(&mut tx, ctx, "kennisthemas-gekozen", &Object::new("gebruiker", user), Outcome::Ok, &format!("{} thema's", ids.len())).await?;
        commit(tx).await
    }

    /// Per followed theme, its newest items the reader may read (the start page).
    pub async fn theme_blocks(&self, ctx: &Ctx) -> Result<Vec<ThemeBlock>, AppError> {
        let Some(user) = ctx.principal.as_ref().and_then(|p| p.user_id()) else { return Ok(Vec::new()) };
        let scope = policy::knowledge_scope(ctx.principal.as_ref());
        let mut tx = self.begin_read().await?;
        let ids = store::followed_themes(&mut tx, user).await?;
        let all = terms::terms(&mut tx, Axis::Phenomenon).await?;
        let mut blocks = Vec::new();
        for t in all.into_iter().filter(|t| ids.contains(&t.id)) {
            // Published items only, also for an editor: this is what the network reads.
            let filter = ItemFilter { phenomenon_id: Some(t.id), state: Some(KnowledgeState::Published.code().into()), ..ItemFilter::default() };
            let (rows, total) = store::list(&mut tx, &scope, &filter, PER_THEME, 0).await?;
            let item_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let themes = store::themes_of(&mut tx, &scope, &item_ids).await?;
            let items = rows.into_iter().map(|row| ItemLine { snippet: Vec::new(), themes: themes.iter().filter(|x| x.0 == row.id).map(|x| x.1.clone()).collect(), row }).collect();
            blocks.push(ThemeBlock { code: t.code, name: t.name, items, total });
        }
        commit(tx).await?;
        Ok(blocks)
    }
}

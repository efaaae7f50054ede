//! The Landelijk Loket Bestuurlijke Signalen: submitting, assessing, offering to ministers and
//! following up administrative signals. A signal is about a process, never about a person: the
//! text is scanned for personal data, and the desk redacts or confirms before acceptance.

use crate::{commit, App, AppError, Ctx, Object, Outcome};
use knooppunt_domain::policy_signal::{scan_personal_data, PersonalDataFinding, SignalState, SignalStep};
use knooppunt_domain::Invalid;
use knooppunt_policy::signals::{decide_signal, grant, signal_scope, view_of, SignalAction, SignalFacts, SignalGrant, SignalView};
use knooppunt_policy::Principal;
use knooppunt_search::Similarity;
use knooppunt_store::policy_signals::{self as store, AttachmentMeta, Event, Message, Named, SignalContent, SignalFilter, SignalRow, StepFields};
use knooppunt_store::Tx;

/// Days after which a minister's response is overdue, unless configured otherwise.
pub const DEFAULT_RESPONSE_DAYS: i64 = 56;

/// The Dutch ministries (reference data; the desk can add, rename and retire them).
pub const MINISTRIES: &[(&str, &str)] = &[
    ("az", "Ministerie van Algemene Zaken"),
    ("aenm", "Ministerie van Asiel en Migratie"),
    ("bzk", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"),
    ("bz", "Ministerie van Buitenlandse Zaken"),
    ("def", "Ministerie van Defensie"),
    ("ez", "Ministerie van Economische Zaken"),
    ("fin", "Ministerie van Financiën"),
    ("ienw", "Ministerie van Infrastructuur en Waterstaat"),
    ("jenv", "Ministerie van Justitie en Veiligheid"),
    ("kgg", "Ministerie van Klimaat en Groene Groei"),
    ("lvvn", "Ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur"),
    ("ocw", "Ministerie van Onderwijs, Cultuur en Wetenschap"),
    ("szw", "Ministerie van Sociale Zaken en Werkgelegenheid"),
    ("vws", "Ministerie van Volksgezondheid, Welzijn en Sport"),
    ("vro", "Ministerie van Volkshuisvesting en Ruimtelijke Ordening"),
];

/// What a submitter fills in. Lists hold codes.
#[derive(Debug, Clone, Default)]
pub struct SignalInput {
    pub content: SignalContent,
    pub phenomena: Vec<String>,
    pub ministries: Vec<String>,
}

/// A workflow step with what it needs.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub step: String,
    /// Reason or note (return, reject, follow-up, close, merge).
    pub note: String,
    /// The actor confirms that the personal data found is needed (or was checked).
    pub confirm_personal_data: bool,
    /// Merge: the reference of the signal this one joins.
    pub merge_into: String,
    /// Offer: the ministries it is offered to.
    pub ministries: Vec<String>,
    /// Offer: the covering letter; response: the response text.
    pub text: String,
    /// Offer or response: the date, `YYYY-MM-DD` (today when empty).
    pub date: String,
}

#[derive(Debug, Clone)]
pub struct SimilarSignal {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub score: f64,
}

#[derive(Debug, Clone)]
pub struct SignalDetail {
    pub signal: SignalRow,
    pub view: SignalView,
    pub phenomena: Vec<Named>,
    pub proposed: Vec<Named>,
    pub offered: Vec<Named>,
    pub messages: Vec<Message>,
    pub events: Vec<Event>,
    /// Attachments (full view only).
    pub attachments: Vec<AttachmentMeta>,
    pub personal_data: Vec<PersonalDataFinding>,
    pub similar: Vec<SimilarSignal>,
    /// The steps this principal may take now.
    pub steps: Vec<SignalStep>,
    pub can_edit: bool,
    pub can_message: bool,
    pub overdue: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Overview {
    pub total: usize,
    pub by_state: Vec<(String, usize)>,
    pub by_ministry: Vec<(String, usize)>,
    pub by_phenomenon: Vec<(String, usize)>,
    pub by_year: Vec<(i32, usize)>,
    /// Average days from offering to response, over the signals that have both.
    pub average_response_days: Option<f64>,
    pub answered: usize,
    /// Offered signals whose response is overdue (desk only).
    pub overdue: Vec<SignalRow>,
    /// Analysed terms that recur in the weaknesses of several signals.
    pub recurring_terms: Vec<(String, usize)>,
    pub rows: Vec<SignalRow>,
    pub full: bool,
}

fn state_of(row: &SignalRow) -> Result<SignalState, AppError> {
    SignalState::parse(&row.state).map_err(AppError::Internal)
}

fn facts(row: &SignalRow) -> Result<SignalFacts, AppError> {
    Ok(SignalFacts { organisation_id: row.organisation_id, state: state_of(row)? })
}

/// Blanks what the public view may not show.
fn redact(mut row: SignalRow, view: SignalView) -> SignalRow {
    if view == SignalView::Public {
        row.content.source_reference = String::new();
        row.content.contact = String::new();
    }
    row
}

fn all_text(c: &SignalContent) -> String {
    [&c.title, &c.legal_process, &c.weakness, &c.structural, &c.modus_operandi, &c.recommendations, &c.feasibility].iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
}

fn year_of(ms: i64) -> i32 {
    use chrono::Datelike;
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.year()).unwrap_or(1970)
}

fn day(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.format("%d-%m-%Y").to_string()).unwrap_or_default()
}

/// Parses `YYYY-MM-DD` (or `DD-MM-YYYY`) to milliseconds at noon UTC.
fn parse_date(raw: &str, field: &str) -> Result<Option<i64>, Invalid> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let iso = knooppunt_domain::case::parse_date(s).map_err(|m| Invalid::one(field, m))?;
    let d = chrono::NaiveDate::parse_from_str(&iso, "%Y-%m-%d").map_err(|_| Invalid::one(field, "Vul een datum in als dd-mm-jjjj, bijvoorbeeld 01-03-2026."))?;
    Ok(d.and_hms_opt(12, 0, 0).map(|t| t.and_utc().timestamp_millis()))
}

fn check_len(invalid: &mut Invalid, field: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        invalid.push(field, format!("Dit veld heeft hoogstens {max} tekens."));
    }
}

async fn codes_to_ids(invalid: &mut Invalid, field: &str, codes: &[String], known: &[Named], what: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        match known.iter().find(|k| k.code == code) {
            Some(k) if !ids.contains(&k.id) => ids.push(k.id),
            Some(_) => {}
            None => invalid.push(field, format!("Onbekend {what} '{code}'.")),
        }
    }
    ids
}

impl App {
    /// Seeds the ministries (idempotent; the desk's changes stay). The phenomena are the
    /// taxonomy's, seeded by its migration and maintained by the LIEC.
    pub(crate) async fn load_signal_reference(&self, tx: &mut Tx) -> Result<(), AppError> {
        let existing = store::ministries(tx).await?;
        if existing.is_empty() {
            for (code, name) in MINISTRIES {
                store::upsert_ministry(tx, code, name).await?;
            }
        }
        Ok(())
    }

    /// The reference lists for the forms: ministries and phenomena.
    pub async fn signal_reference(&self, ctx: &Ctx) -> Result<(Vec<Named>, Vec<Named>), AppError> {
        ctx.principal()?;
        let mut tx = self.begin().await?;
        let m = store::ministries(&mut tx).await?;
        let p = crate::taxonomy::current(&mut tx, crate::taxonomy::Axis::Phenomenon, &crate::cases::today(self.now())).await?;
        commit(tx).await?;
        Ok((m, p))
    }

    /// Audits a refusal by policy (giving back the open transaction) and returns `Forbidden`.
    async fn signal_refusal(&self, open: Option<Tx>, ctx: &Ctx, kind: &str, id: impl ToString, reason: &'static str) -> AppError {
        self.refuse(open, ctx, &Object::new(kind, id), reason, AppError::Forbidden(reason)).await
    }

    /// Opens the use case's transaction with the signal as `p` may see it; `NotFound` (and an
    /// audited refusal, written after the transaction is given back) when `p` may not know it
    /// exists.
    async fn open_signal(&self, ctx: &Ctx, p: &Principal, id: i64) -> Result<(Tx, SignalRow, SignalGrant), AppError> {
        let mut tx = self.begin().await?;
        if let Some(r) = store::find(&mut tx, &signal_scope(p), id).await? {
            if let Some(g) = grant(p, id, &facts(&r)?) {
                return Ok((tx, r, g));
            }
        }
        Err(self.refuse(Some(tx), ctx, &Object::new("bestuurlijk-signaal", id), "signaal niet zichtbaar", AppError::NotFound("signaal")).await)
    }

    async fn validate_input(&self, tx: &mut Tx, input: &SignalInput) -> Result<(Vec<i64>, Vec<i64>), AppError> {
        let mut invalid = Invalid::default();
        let c = &input.content;
        if c.title.trim().is_empty() {
            invalid.push("titel", "Geef het signaal een titel.");
        }
        check_len(&mut invalid, "titel", &c.title, 200);
        for (field, value) in [
            ("juridischProces", &c.legal_process),
            ("zwakkePlek", &c.weakness),
            ("structureel", &c.structural),
            ("modusOperandi", &c.modus_operandi),
            ("bron", &c.source_reference),
            ("aanbevelingen", &c.recommendations),
            ("haalbaarheid", &c.feasibility),
            ("contact", &c.contact),
        ] {
            check_len(&mut invalid, field, value, 10_000);
        }
        if !["", "normaal", "vertrouwelijk"].contains(&c.confidentiality.trim()) {
            invalid.push("vertrouwelijkheid", "Kies 'normaal' of 'vertrouwelijk'.");
        }
        let ministries = store::ministries(tx).await?;
        let m = codes_to_ids(&mut invalid, "ministeries", &input.ministries, &ministries, "ministerie").await;
        let today = crate::cases::today(self.now());
        let p = crate::taxonomy::resolve(tx, crate::taxonomy::Axis::Phenomenon, &today, &input.phenomena, "fenomenen", &mut invalid).await?;
        invalid.into_result()?;
        Ok((m, p))
    }

    /// Saves a new draft for the principal's organisation.
    pub async fn create_signal(&self, ctx: &Ctx, input: &SignalInput) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let d = decide_signal(&p, SignalAction::Create, None);
        if !d.allowed {
            return Err(self.signal_refusal(None, ctx, "bestuurlijk-signaal", "nieuw", d.reason).await);
        }
        let mut tx = self.begin().await?;
        let (id, _) = self.draft_signal(&mut tx, ctx, &p, input).await?;
        commit(tx).await?;
        Ok(id)
    }

    /// Saves a new draft for `p`'s organisation in `tx` (after `decide_signal` allowed it): its
    /// id and reference.
    pub(crate) async fn draft_signal(&self, tx: &mut Tx, ctx: &Ctx, p: &Principal, input: &SignalInput) -> Result<(i64, String), AppError> {
        let organisation_id = p.organisation_id.ok_or(AppError::Forbidden("alleen namens een organisatie"))?;
        let (m, ph) = self.validate_input(tx, input).await?;
        let now = self.now();
        let mut content = input.content.clone();
        if content.confidentiality.trim().is_empty() {
            content.confidentiality = "normaal".into();
        }
        let (id, reference) = store::insert(tx, &content, organisation_id, p.user_id(), &format!("BS-{}", year_of(now)), now).await?;
        store::set_signal_ministries(tx, id, "voorgesteld", &m).await?;
        store::set_signal_phenomena(tx, id, &ph).await?;
        self.audit(tx, ctx, "signaal-aangemaakt", &Object::new("bestuurlijk-signaal", id), Outcome::Ok, "concept").await?;
        Ok((id, reference))
    }

    /// Changes the content, if nobody saved in between (`version`).
    pub async fn update_signal(&self, ctx: &Ctx, id: i64, input: &SignalInput, version: i64) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, row, _) = self.open_signal(ctx, &p, id).await?;
        let d = decide_signal(&p, SignalAction::Edit, Some(&facts(&row)?));
        if !d.allowed {
            return Err(self.signal_refusal(Some(tx), ctx, "bestuurlijk-signaal", id, d.reason).await);
        }
        let (m, ph) = self.validate_input(&mut tx, input).await?;
        let mut content = input.content.clone();
        if content.confidentiality.trim().is_empty() {
            content.confidentiality = row.content.confidentiality.clone();
        }
        if !store::update_content(&mut tx, id, &content, version, self.now()).await? {
            return Err(AppError::Conflict("Iemand anders heeft dit signaal intussen gewijzigd. Laad de pagina opnieuw en breng uw wijziging opnieuw aan.".into()));
        }
        store::set_signal_ministries(&mut tx, id, "voorgesteld", &m).await?;
        store::set_signal_phenomena(&mut tx, id, &ph).await?;
        self.audit(&mut tx, ctx, "signaal-gewijzigd", &Object::new("bestuurlijk-signaal", id), Outcome::Ok, "").await?;
        commit(tx).await
    }

    /// The signals the principal may see, newest first; source and contact only where allowed.
    pub async fn list_signals(&self, ctx: &Ctx, state: Option<&str>) -> Result<Vec<SignalRow>, AppError> {
        let p = ctx.principal()?.clone();
        let state = match state.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(SignalState::parse(s).map_err(|m| Invalid::one("status", m))?.code().to_string()),
            None => None,
        };
        let mut tx = self.begin().await?;
        let rows = store::list(&mut tx, &signal_scope(&p), &SignalFilter { state }).await?;
        self.audit(&mut tx, ctx, "signalen-bekeken", &Object::new("bestuurlijk-signaal", "*"), Outcome::Ok, &format!("{} signalen", rows.len())).await?;
        commit(tx).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let view = view_of(&p, &facts(&r)?).ok_or_else(|| AppError::Internal("list filter and policy disagree".into()))?;
            out.push(redact(r, view));
        }
        Ok(out)
    }

    /// One signal with its thread, history, personal-data warnings and similar signals.
    pub async fn signal(&self, ctx: &Ctx, id: i64) -> Result<SignalDetail, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, row, g) = self.open_signal(ctx, &p, id).await?;
        let view = g.view();
        let f = facts(&row)?;
        let full = g.full();
        let phenomena = store::signal_phenomena(&mut tx, &g).await?;
        let proposed = store::signal_ministries(&mut tx, &g, "voorgesteld").await?;
        let offered = store::signal_ministries(&mut tx, &g, "aangeboden").await?;
        let messages = store::messages(&mut tx, &g).await?;
        let attachments = store::attachments(&mut tx, &g).await?;
        let events = store::events(&mut tx, &g).await?;
        let others = store::list(&mut tx, &signal_scope(&p), &SignalFilter::default()).await?;
        self.audit(&mut tx, ctx, "signaal-bekeken", &Object::new("bestuurlijk-signaal", id), Outcome::Ok, if full { "volledig" } else { "zonder bron en contact" }).await?;
        commit(tx).await?;
        let index = Similarity::new(others.iter().map(|o| (o.id, all_text(&o.content))));
        let similar = index
            .most_similar(&all_text(&row.content), Some(&id), 5, 0.12)
            .into_iter()
            .filter_map(|(oid, score)| {
                others.iter().find(|o| o.id == oid).map(|o| SimilarSignal { id: o.id, reference: o.reference.clone(), title: o.content.title.clone(), score })
            })
            .collect();
        let steps = SignalStep::available(f.state).into_iter().filter(|s| decide_signal(&p, SignalAction::Step(*s), Some(&f)).allowed).collect();
        let personal_data = if full { scan_personal_data(&all_text(&row.content)) } else { Vec::new() };
        let overdue = f.state == SignalState::Offered && row.response_due_at.is_some_and(|due| due < self.now());
        Ok(SignalDetail {
            can_edit: decide_signal(&p, SignalAction::Edit, Some(&f)).allowed,
            can_message: decide_signal(&p, SignalAction::Message, Some(&f)).allowed && f.state.allows_messages(),
            signal: redact(row, view),
            view,
            phenomena,
            proposed,
            offered,
            messages,
            events,
            attachments,
            personal_data,
            similar,
            steps,
            overdue,
        })
    }

    /// Signals similar to a text being written (the form shows them before submission).
    pub async fn similar_signals(&self, ctx: &Ctx, text: &str) -> Result<Vec<SimilarSignal>, AppError> {
        let p = ctx.principal()?.clone();
        let mut tx = self.begin().await?;
        let others = store::list(&mut tx, &signal_scope(&p), &SignalFilter::default()).await?;
        commit(tx).await?;
        let index = Similarity::new(others.iter().map(|o| (o.id, all_text(&o.content))));
        Ok(index
            .most_similar(text, None, 5, 0.12)
            .into_iter()
            .filter_map(|(oid, score)| {
                others.iter().find(|o| o.id == oid).map(|o| SimilarSignal { id: o.id, reference: o.reference.clone(), title: o.content.title.clone(), score })
            })
            .collect())
    }

    /// Writes in the thread between the desk and the submitting organisation.
    pub async fn post_signal_message(&self, ctx: &Ctx, id: i64, body: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, row, _) = self.open_signal(ctx, &p, id).await?;
        let f = facts(&row)?;
        let d = decide_signal(&p, SignalAction::Message, Some(&f));
        if !d.allowed {
            return Err(self.signal_refusal(Some(tx), ctx, "bestuurlijk-signaal", id, d.reason).await);
        }
        if !f.state.allows_messages() {
            return Err(AppError::Conflict(format!("Bij een signaal met status '{}' kunnen geen berichten meer worden geplaatst.", f.state.label().to_lowercase())));
        }
        let body = body.trim();
        if body.is_empty() {
            return Err(Invalid::one("bericht", "Schrijf een bericht.").into());
        }
        if body.chars().count() > 5000 {
            return Err(Invalid::one("bericht", "Een bericht heeft hoogstens 5000 tekens.").into());
        }
        let m = Message { author: p.label.clone(), from_desk: knooppunt_policy::signals::is_desk(&p), body: body.to_string(), at: self.now() };
        store::add_message(&mut tx, id, &m).await?;
        self.audit(&mut tx, ctx, "signaal-bericht", &Object::new("bestuurlijk-signaal", id), Outcome::Ok, if m.from_desk { "van het loket" } else { "van de indiener" }).await?;
        commit(tx).await
    }

    /// The covering letter for offering a signal to the given ministries, from the template.
    pub async fn signal_letter(&self, ctx: &Ctx, id: i64, ministries: &[String]) -> Result<String, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, row, g) = self.open_signal(ctx, &p, id).await?;
        if !g.full() {
            let reason = "alleen het loket stelt de aanbiedingsbrief op";
            return Err(self.signal_refusal(Some(tx), ctx, "bestuurlijk-signaal", id, reason).await);
        }
        let all = store::ministries(&mut tx).await?;
        let mut chosen: Vec<&Named> = all.iter().filter(|m| ministries.contains(&m.code)).collect();
        if chosen.is_empty() {
            let proposed = store::signal_ministries(&mut tx, &g, "voorgesteld").await?;
            chosen = all.iter().filter(|m| proposed.iter().any(|x| x.id == m.id)).collect();
        }
        commit(tx).await?;
        Ok(letter(&row, &chosen.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), self.now()))
    }

    /// Takes a workflow step.
    pub async fn signal_step(&self, ctx: &Ctx, id: i64, input: &StepInput) -> Result<SignalState, AppError> {
        let p = ctx.principal()?.clone();
        let step = SignalStep::parse(&input.step).map_err(|m| Invalid::one("stap", m))?;
        let (mut tx, row, g) = self.open_signal(ctx, &p, id).await?;
        let f = facts(&row)?;
        let d = decide_signal(&p, SignalAction::Step(step), Some(&f));
        if !d.allowed {
            return Err(self.signal_refusal(Some(tx), ctx, "bestuurlijk-signaal", id, d.reason).await);
        }
        let to = step.apply(f.state).map_err(AppError::Conflict)?;
        let now = self.now();
        let mut fields = StepFields::default();
        let mut invalid = Invalid::default();
        let note = input.note.trim().to_string();
        check_len(&mut invalid, "toelichting", &note, 10_000);
        let findings = scan_personal_data(&all_text(&row.content));
        let findings_text = findings.iter().map(|x| format!("{} {}", x.kind, x.masked)).collect::<Vec<_>>().join(", ");
        match step {
            SignalStep::Submit => {
                let c = &row.content;
                for (field, value, msg) in [
                    ("titel", &c.title, "Geef het signaal een titel."),
                    ("juridischProces", &c.legal_process, "Beschrijf het juridische proces dat wordt misbruikt (criterium 1)."),
                    ("zwakkePlek", &c.weakness, "Beschrijf de zwakke plek in dat proces."),
                    ("structureel", &c.structural, "Leg uit waarom het structureel is en geen incident (criterium 2)."),
                    ("aanbevelingen", &c.recommendations, "Doe een of meer aanbevelingen (criterium 4)."),
                    ("contact", &c.contact, "Vul een contactpersoon in voor vragen van het loket."),
                ] {
                    if value.trim().is_empty() {
                        invalid.push(field, msg);
                    }
                }
                if store::signal_phenomena(&mut tx, &g).await?.is_empty() {
                    invalid.push("fenomenen", "Kies ten minste één fenomeen.");
                }
                if store::signal_ministries(&mut tx, &g, "voorgesteld").await?.is_empty() {
                    invalid.push("ministeries", "Kies ten minste één ministerie dat het signaal zou moeten krijgen (criterium 3).");
                }
                if !findings.is_empty() && !input.confirm_personal_data {
                    invalid.push(
                        "persoonsgegevens",
                        format!("De tekst bevat mogelijk persoonsgegevens ({findings_text}). Een bestuurlijk signaal gaat over een proces, niet over personen: verwijder ze, of bevestig dat ze nodig zijn."),
                    );
                }
                fields.submitted_at = Some(now);
            }
            SignalStep::Return | SignalStep::Reject | SignalStep::FollowUp => {
                if note.is_empty() {
                    invalid.push("toelichting", "Geef een toelichting.");
                }
                if step == SignalStep::Reject {
                    fields.decided_at = Some(now);
                    fields.decision_reason = Some(note.clone());
                }
            }
            SignalStep::Merge => {
                let target = input.merge_into.trim();
                let found = match target.is_empty() {
                    true => None,
                    false => store::list(&mut tx, &signal_scope(&p), &SignalFilter::default()).await?.into_iter().find(|s| s.reference.eq_ignore_ascii_case(target)),
                };
                match found {
                    None => invalid.push("samenvoegenMet", "Vul het kenmerk in van een bestaand signaal, bijvoorbeeld BS-2026-0004."),
                    Some(t) if t.id == id => invalid.push("samenvoegenMet", "Een signaal kan niet met zichzelf worden samengevoegd."),
                    Some(t) if matches!(SignalState::parse(&t.state), Ok(SignalState::Draft | SignalState::Merged | SignalState::NotAccepted)) => {
                        invalid.push("samenvoegenMet", "Met dit signaal kan niet worden samengevoegd: het is een concept, al samengevoegd of niet aanvaard.")
                    }
                    Some(t) => fields.merged_into_id = Some(t.id),
                }
            }
            SignalStep::Accept => {
                if !findings.is_empty() && !input.confirm_personal_data {
                    invalid.push(
                        "persoonsgegevens",
                        format!("De tekst bevat mogelijk persoonsgegevens ({findings_text}). Redigeer het signaal, of bevestig uitdrukkelijk dat de gegevens mogen blijven."),
                    );
                }
                fields.decided_at = Some(now);
                fields.personal_data_confirmed = Some(!findings.is_empty());
                fields.decision_reason = Some(note.clone());
            }
            SignalStep::Offer => {
                let all = store::ministries(&mut tx).await?;
                let ids = codes_to_ids(&mut invalid, "ministeries", &input.ministries, &all, "ministerie").await;
                if ids.is_empty() && invalid.is_empty() {
                    invalid.push("ministeries", "Kies ten minste één ministerie.");
                }
                if input.text.trim().is_empty() {
                    invalid.push("brief", "De aanbiedingsbrief is leeg.");
                }
                check_len(&mut invalid, "brief", &input.text, 20_000);
                let at = match parse_date(&input.date, "datum") {
                    Ok(d) => d.unwrap_or(now),
                    Err(e) => {
                        invalid.0.extend(e.0);
                        now
                    }
                };
                if invalid.is_empty() {
                    store::set_signal_ministries(&mut tx, id, "aangeboden", &ids).await?;
                }
                fields.offered_at = Some(at);
                fields.letter = Some(input.text.trim().to_string());
                fields.response_due_at = Some(at + self.config.signal_response_days * 24 * 3600 * 1000);
            }
            SignalStep::RecordResponse => {
                if input.text.trim().is_empty() {
                    invalid.push("reactie", "Vul de inhoud van de reactie in.");
                }
                let at = match parse_date(&input.date, "datum") {
                    Ok(d) => d.unwrap_or(now),
                    Err(e) => {
                        invalid.0.extend(e.0);
                        now
                    }
                };
                if row.offered_at.is_some_and(|o| at + 24 * 3600 * 1000 < o) {
                    invalid.push("datum", "De reactie kan niet van vóór de aanbieding zijn.");
                }
                fields.response_at = Some(at);
                fields.response = Some(input.text.trim().to_string());
            }
            SignalStep::Close => fields.closed_at = Some(now),
            SignalStep::StartAssessment => {}
        }
        invalid.into_result()?;
        if !store::change_state(&mut tx, id, f.state, to, &fields, now).await? {
            return Err(AppError::Conflict("Het signaal is intussen door iemand anders gewijzigd. Laad de pagina opnieuw.".into()));
        }
        let event = Event { step: step.code().into(), from_state: f.state.code().into(), to_state: to.code().into(), actor: p.label.clone(), note, at: now };
        store::add_event(&mut tx, id, &event).await?;
        self.audit(
            &mut tx,
            ctx,
            &format!("signaal-{}", step.code()),
            &Object::new("bestuurlijk-signaal", id),
            Outcome::Ok,
            &format!("van {} naar {}", f.state.label(), to.label()),
        )
        .await?;
        commit(tx).await?;
        Ok(to)
    }

    /// Figures over the signals the principal may see: by state, ministry, phenomenon and year,
    /// response times and recurring themes; the desk also gets the overdue list.
    pub async fn signals_overview(&self, ctx: &Ctx, year: Option<i32>) -> Result<Overview, AppError> {
        let p = ctx.principal()?.clone();
        let full = decide_signal(&p, SignalAction::Overview, None).allowed;
        let mut tx = self.begin().await?;
        let mut rows = store::list(&mut tx, &signal_scope(&p), &SignalFilter::default()).await?;
        if !full {
            // The network's summary covers accepted signals only, also of its own organisation.
            rows.retain(|r| SignalState::parse(&r.state).is_ok_and(SignalState::is_accepted));
        }
        rows.retain(|r| year.is_none_or(|y| year_of(r.submitted_at.unwrap_or(r.created_at)) == y));
        let mut ministries = Vec::new();
        let mut phenomena = Vec::new();
        for r in &rows {
            let Some(g) = grant(&p, r.id, &facts(r)?) else { continue };
            for m in store::signal_ministries(&mut tx, &g, "aangeboden").await? {
                ministries.push(m.name);
            }
            for ph in store::signal_phenomena(&mut tx, &g).await? {
                phenomena.push(ph.name);
            }
        }
        self.audit(&mut tx, ctx, "signalenoverzicht-bekeken", &Object::new("bestuurlijk-signaal", "*"), Outcome::Ok, if full { "loket" } else { "netwerk" }).await?;
        commit(tx).await?;
        let count = |items: Vec<String>| {
            let mut v: Vec<(String, usize)> = Vec::new();
            for i in items {
                match v.iter_mut().find(|(k, _)| *k == i) {
                    Some(e) => e.1 += 1,
                    None => v.push((i, 1)),
                }
            }
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v
        };
        let by_state = count(rows.iter().map(|r| SignalState::parse(&r.state).map(|s| s.label().to_string()).unwrap_or_else(|_| r.state.clone())).collect());
        let mut by_year: Vec<(i32, usize)> = Vec::new();
        for r in &rows {
            let y = year_of(r.submitted_at.unwrap_or(r.created_at));
            match by_year.iter_mut().find(|(k, _)| *k == y) {
                Some(e) => e.1 += 1,
                None => by_year.push((y, 1)),
            }
        }
        by_year.sort();
        let durations: Vec<f64> = rows
            .iter()
            .filter_map(|r| match (r.offered_at, r.response_at) {
                (Some(o), Some(a)) => Some((a - o) as f64 / 86_400_000.0),
                _ => None,
            })
            .collect();
        let now = self.now();
        let overdue =
            if full { rows.iter().filter(|r| r.state == SignalState::Offered.code() && r.response_due_at.is_some_and(|d| d < now)).cloned().collect() } else { Vec::new() };
        let mut term_docs: Vec<(String, usize)> = Vec::new();
        for r in &rows {
            let mut terms = knooppunt_search::analyse(&r.content.weakness);
            terms.sort();
            terms.dedup();
            for t in terms.into_iter().filter(|t| t.chars().count() > 3) {
                match term_docs.iter_mut().find(|(k, _)| *k == t) {
                    Some(e) => e.1 += 1,
                    None => term_docs.push((t, 1)),
                }
            }
        }
        term_docs.retain(|(_, n)| *n >= 2);
        term_docs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        term_docs.truncate(15);
        Ok(Overview {
            total: rows.len(),
            by_state,
            by_ministry: count(ministries),
            by_phenomenon: count(phenomena),
            by_year,
            average_response_days: if durations.is_empty() { None } else { Some(durations.iter().sum::<f64>() / durations.len() as f64) },
            answered: durations.len(),
            overdue,
            recurring_terms: term_docs,
            rows: rows.into_iter().map(|r| redact(r, SignalView::Public)).collect(),
            full,
        })
    }
}

/// The covering letter template; the desk edits the result before sending.
pub fn letter(row: &SignalRow, ministries: &[&str], now: i64) -> String {
    let to = if ministries.is_empty() { "de minister".to_string() } else { ministries.join(", ") };
    format!(
        "Aan: {to}\nDatum: {date}\nBetreft: bestuurlijk signaal {reference} – {title}\n\n\
Geachte minister,\n\n\
Het Landelijk Informatie- en Expertisecentrum (LIEC) biedt u namens het RIEC-LIEC-netwerk het bestuurlijk signaal \"{title}\" aan. \
Een bestuurlijk signaal wijst op een structurele kwetsbaarheid in wet- of regelgeving, beleid of uitvoering die criminelen de gelegenheid geeft \
om ondermijnende activiteiten te ontplooien.\n\n\
Het juridische proces\n{process}\n\n\
De kwetsbaarheid\n{weakness}\n\n\
Waarom dit structureel is\n{structural}\n\n\
Aanbevelingen\n{recommendations}\n\n\
Wij verzoeken u binnen acht weken te reageren op dit signaal en aan te geven welke opvolging u eraan geeft.\n\n\
Met vriendelijke groet,\n\nLandelijk Loket Bestuurlijke Signalen\nLIEC\n",
        date = day(now),
        reference = row.reference,
        title = row.content.title,
        process = row.content.legal_process.trim(),
        weakness = row.content.weakness.trim(),
        structural = row.content.structural.trim(),
        recommendations = row.content.recommendations.trim(),
    )
}

impl App {
    /// Adds a ministry or renames one (by code); the desk keeps the list current after a
    /// cabinet change without a code change.
    pub async fn save_ministry(&self, ctx: &Ctx, code: &str, name: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let d = decide_signal(&p, SignalAction::ManageMinistries, None);
        if !d.allowed {
            return Err(self.signal_refusal(None, ctx, "ministerie", code, d.reason).await);
        }
        let mut invalid = Invalid::default();
        let code = code.trim().to_lowercase();
        if code.is_empty() || code.len() > 20 || !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            invalid.push("code", "Een code heeft 1 tot 20 kleine letters, cijfers of streepjes, bijvoorbeeld jenv.");
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            invalid.push("naam", "Vul de naam van het ministerie in (hoogstens 200 tekens).");
        }
        invalid.into_result()?;
        let mut tx = self.begin().await?;
        store::upsert_ministry(&mut tx, &code, name).await?;
        self.audit(&mut tx, ctx, "ministerie-opgeslagen", &Object::new("ministerie", &code), Outcome::Ok, name).await?;
        commit(tx).await
    }

    /// Retires a ministry: it is no longer offered in forms; signals keep their reference.
    pub async fn retire_ministry(&self, ctx: &Ctx, code: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let d = decide_signal(&p, SignalAction::ManageMinistries, None);
        if !d.allowed {
            return Err(self.signal_refusal(None, ctx, "ministerie", code, d.reason).await);
        }
        let mut tx = self.begin().await?;
        if !store::deactivate_ministry(&mut tx, code.trim()).await? {
            return Err(AppError::NotFound("ministerie"));
        }
        self.audit(&mut tx, ctx, "ministerie-opgeheven", &Object::new("ministerie", code.trim()), Outcome::Ok, "").await?;
        commit(tx).await
    }
}

impl App {
    /// Adds an attachment to a signal the principal may edit. The type is detected from the
    /// content; only documents and images up to the size limit are accepted.
    pub async fn add_signal_attachment(&self, ctx: &Ctx, id: i64, file_name: &str, data: &[u8]) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, row, _) = self.open_signal(ctx, &p, id).await?;
        let d = decide_signal(&p, SignalAction::Edit, Some(&facts(&row)?));
        if !d.allowed {
            return Err(self.signal_refusal(Some(tx), ctx, "bestuurlijk-signaal", id, d.reason).await);
        }
        let kind = knooppunt_domain::attachment::check_attachment(file_name, data).map_err(|m| Invalid::one("bestand", m))?;
        use sha2::Digest;
        let meta = AttachmentMeta {
            id: 0,
            file_name: file_name.trim().to_string(),
            content_type: kind.content_type().to_string(),
            size: i64::try_from(data.len()).unwrap_or(i64::MAX),
            sha256: hex::encode(sha2::Sha256::digest(data)),
            uploaded_by: p.label.clone(),
            at: self.now(),
        };
        let aid = store::add_attachment(&mut tx, id, &meta, data).await?;
        self.audit(&mut tx, ctx, "signaal-bijlage-toegevoegd", &Object::new("bestuurlijk-signaal", id), Outcome::Ok, &format!("bijlage {aid}, sha256 {}", meta.sha256)).await?;
        commit(tx).await?;
        Ok(aid)
    }

    /// An attachment with its bytes, for the desk and the submitting organisation only.
    pub async fn signal_attachment(&self, ctx: &Ctx, id: i64, attachment_id: i64) -> Result<(AttachmentMeta, Vec<u8>), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, g) = self.open_signal(ctx, &p, id).await?;
        if !g.full() {
            let reason = "bijlagen alleen voor het loket en de indienende organisatie";
            return Err(self.refuse(Some(tx), ctx, &Object::new("bestuurlijk-signaal", id), reason, AppError::NotFound("bijlage")).await);
        }
        let Some(found) = store::attachment_data(&mut tx, &g, attachment_id).await? else {
            return Err(self.refuse(Some(tx), ctx, &Object::new("bestuurlijk-signaal", id), "bijlage bestaat niet bij dit signaal", AppError::NotFound("bijlage")).await);
        };
        self.audit(&mut tx, ctx, "signaal-bijlage-gedownload", &Object::new("bestuurlijk-signaal", id), Outcome::Ok, &format!("bijlage {attachment_id}")).await?;
        commit(tx).await?;
        Ok(found)
    }
}

//! Information items: contributing, editing, releasing to other partners, attachments.

use super::*;

/// Why a withdrawn item cannot be changed or released.
const WITHDRAWN: &str = "De leverancier heeft deze bijdrage ingetrokken; zij kan niet meer worden gewijzigd of vrijgegeven.";

impl App {
    pub(super) async fn validate_item(&self, tx: &mut Tx, input: &ItemInput) -> Result<(i64, i64, NewItem), AppError> {
        let mut invalid = Invalid::default();
        let title = text(&mut invalid, "titel", &input.title, Some("Geef de bijdrage een titel."), 200);
        let body = text(&mut invalid, "inhoud", &input.body, Some("Vul de inhoud van de bijdrage in."), 50_000);
        let bases = store::legal_bases(tx).await?;
        let purposes = store::purposes(tx).await?;
        let basis = bases.iter().find(|b| b.code == input.legal_basis.trim()).map(|b| b.id);
        if basis.is_none() {
            invalid.push("grondslag", "Kies de grondslag waarop u deze informatie verstrekt.");
        }
        let purpose = purposes.iter().find(|b| b.code == input.purpose.trim()).map(|b| b.id);
        if purpose.is_none() {
            invalid.push("doel", "Kies het doel waarvoor de informatie wordt gedeeld.");
        }
        let info_date = if input.info_date.trim().is_empty() { iso_day(self.now()) } else { invalid.check("datum", parse_date(&input.info_date)).unwrap_or_default() };
        let reliability = invalid.check("betrouwbaarheid", Reliability::parse(&input.reliability)).map(|r| r.code().to_string()).unwrap_or_default();
        let classification = invalid.check("rubricering", Classification::parse(&input.classification)).map(|r| r.code().to_string()).unwrap_or_default();
        let sharing = text(&mut invalid, "voorwaarden", &input.sharing_conditions, None, 2000);
        invalid.into_result()?;
        let (Some(b), Some(pu)) = (basis, purpose) else {
            return Err(AppError::Internal("checked above".into()));
        };
        Ok((
            b,
            pu,
            NewItem {
                case_id: 0,
                supplier_organisation_id: 0,
                legal_basis_id: b,
                purpose_id: pu,
                title,
                body,
                info_date,
                reliability,
                classification,
                sharing_conditions: sharing,
                request_id: None,
                created_by: String::new(),
            },
        ))
    }

    /// Adds an information item supplied by the principal's organisation. Its audience is the
    /// case team and the supplier until the supplier releases it.
    pub async fn add_item(&self, ctx: &Ctx, id: i64, input: &ItemInput) -> Result<i64, AppError> {
        let (mut tx, p, _, _, _) = self.open_for(ctx, id, CaseAction::AddItem).await?;
        let org = p.organisation_id.ok_or(AppError::Forbidden("alleen namens een organisatie"))?;
        let (_, _, mut item) = self.validate_item(&mut tx, input).await?;
        item.case_id = id;
        item.supplier_organisation_id = org;
        item.created_by = p.label.clone();
        let now = self.now();
        let iid = store::insert_item(&mut tx, &item, now).await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "informatiebijdrage-toegevoegd", &Object::new("informatiebijdrage", iid), Outcome::Ok, &format!("casus {id}")).await?;
        commit(tx).await?;
        Ok(iid)
    }

    /// Opens an item the principal may see within a case it may see; `NotFound` otherwise.
    async fn open_item(&self, ctx: &Ctx, case_id: i64, item_id: i64) -> Result<OpenItem, AppError> {
        let p = ctx.principal()?.clone();
        let opened = self.open_case(ctx, &p, case_id).await?;
        self.open_item_in(opened, ctx, p, item_id).await
    }

    /// [`Self::open_item`] in a read-only transaction, for use cases that only read.
    async fn open_item_to_read(&self, ctx: &Ctx, case_id: i64, item_id: i64) -> Result<OpenItem, AppError> {
        let p = ctx.principal()?.clone();
        let opened = self.open_case_to_read(ctx, &p, case_id).await?;
        self.open_item_in(opened, ctx, p, item_id).await
    }

    async fn open_item_in(&self, opened: (Tx, CaseRow, CaseFacts, CaseGrant), ctx: &Ctx, p: Principal, item_id: i64) -> Result<OpenItem, AppError> {
        let (mut tx, row, facts, g) = opened;
        if let Some((item, released_to)) = store::find_item(&mut tx, &g, item_id).await? {
            let f = ItemFacts { supplier_id: item.supplier_organisation_id, released_to };
            if let Some(ig) = grant_item(&p, &g, item_id, &f) {
                return Ok(OpenItem { tx, p, row, facts, g, item, f, ig });
            }
        }
        Err(self.refuse(Some(tx), ctx, &Object::new("informatiebijdrage", item_id), "bijdrage niet vrijgegeven", AppError::NotFound("informatiebijdrage")).await)
    }

    /// One information item with its releases; the read is audited.
    pub async fn item(&self, ctx: &Ctx, case_id: i64, item_id: i64) -> Result<ItemDetail, AppError> {
        let OpenItem { mut tx, p, row, facts, g, item, f, ig } = self.open_item_to_read(ctx, case_id, item_id).await?;
        let finished = facts.phase.is_finished();
        let withdrawn = item.withdrawn_at.is_some();
        let can_release = decide_item(&p, g.access(), ItemAction::Release, &f).allowed && !finished && !withdrawn;
        let is_supplier = decide_item(&p, g.access(), ItemAction::Edit, &f).allowed;
        let can_edit = is_supplier && !finished && !withdrawn;
        let can_withdraw = decide_item(&p, g.access(), ItemAction::Withdraw, &f).allowed && !withdrawn;
        let releases = store::releases(&mut tx, &ig).await?;
        let candidates = if can_release {
            store::participants(&mut tx, &g).await?.into_iter().filter(|x| x.removed_at.is_none() && may_receive_release(x.organisation_id, &f)).collect()
        } else {
            Vec::new()
        };
        let attachments = store::item_attachments(&mut tx, &ig).await?;
        let subjects = store::subjects(&mut tx, &g).await?;
        commit(tx).await?;
        self.log_personal_read(ctx, "casusdossier-inzien", "informatiebijdrage-bekeken", &Object::new("informatiebijdrage", item_id), &subjects_of(&subjects)).await?;
        Ok(ItemDetail { case: row, item, releases, attachments, can_release, can_edit, can_withdraw, is_supplier, candidates })
    }

    /// Opens an item for a change by its supplier while the case runs.
    async fn open_item_for_edit(&self, ctx: &Ctx, case_id: i64, item_id: i64) -> Result<(Tx, Principal, ItemGrant), AppError> {
        let OpenItem { tx, p, facts, g, f, ig, item, .. } = self.open_item(ctx, case_id, item_id).await?;
        let d = decide_item(&p, g.access(), ItemAction::Edit, &f);
        if !d.allowed {
            return Err(self.case_refusal(Some(tx), ctx, case_id, d.reason).await);
        }
        if facts.phase.is_finished() {
            return Err(AppError::Conflict("De casus is afgesloten; bijdragen liggen vast.".into()));
        }
        if item.withdrawn_at.is_some() {
            return Err(AppError::Conflict(WITHDRAWN.into()));
        }
        Ok((tx, p, ig))
    }

    /// Changes an item (supplier only) if nobody changed it since `version`.
    pub async fn update_item(&self, ctx: &Ctx, case_id: i64, item_id: i64, input: &ItemInput, version: i64) -> Result<(), AppError> {
        let (mut tx, _, _) = self.open_item_for_edit(ctx, case_id, item_id).await?;
        let (_, _, new) = self.validate_item(&mut tx, input).await?;
        if !store::update_item(&mut tx, item_id, &new, version, self.now()).await? {
            return Err(AppError::Conflict(STALE.into()));
        }
        self.audit(&mut tx, ctx, "informatiebijdrage-gewijzigd", &Object::new("informatiebijdrage", item_id), Outcome::Ok, &format!("casus {case_id}")).await?;
        commit(tx).await
    }

    /// Releases an item to an admitted participant (the supplier, or the case team recording
    /// the supplier's consent), or withdraws that release.
    pub async fn set_release(&self, ctx: &Ctx, case_id: i64, item_id: i64, organisation_id: i64, released: bool) -> Result<(), AppError> {
        let OpenItem { mut tx, p, facts, g, item, f, .. } = self.open_item(ctx, case_id, item_id).await?;
        let d = decide_item(&p, g.access(), ItemAction::Release, &f);
        if !d.allowed {
            return Err(self.case_refusal(Some(tx), ctx, case_id, d.reason).await);
        }
        if facts.phase.is_finished() {
            return Err(AppError::Conflict("De casus is afgesloten; vrijgaven liggen vast.".into()));
        }
        if item.withdrawn_at.is_some() {
            return Err(AppError::Conflict(WITHDRAWN.into()));
        }
        let basis = if decide_item(&p, g.access(), ItemAction::Edit, &f).allowed { "leverancier" } else { "toestemming-leverancier" };
        let now = self.now();
        if released {
            if !facts.participants.contains(&organisation_id) || !may_receive_release(organisation_id, &f) {
                return Err(Invalid::one("organisatie", "Geef alleen vrij aan een andere organisatie die aan de casus deelneemt.").into());
            }
            if !store::release(&mut tx, item_id, organisation_id, &p.label, basis, now).await? {
                return Err(AppError::Conflict("De bijdrage is al aan deze organisatie vrijgegeven.".into()));
            }
        } else if !store::withdraw(&mut tx, item_id, organisation_id, &p.label, now).await? {
            return Err(AppError::Conflict("Er is geen vrijgave aan deze organisatie om in te trekken.".into()));
        }
        let recipient = network::find_organisation(&mut tx, organisation_id).await?.map(|o| o.name).unwrap_or_default();
        let by = if basis == "leverancier" { "door de leverancier" } else { "met toestemming van de leverancier" };
        // The line names no content: a recipient keeps seeing it after the release ends.
        let (action, kind, note) = if released {
            ("informatiebijdrage-vrijgegeven", "vrijgegeven", format!("bijdrage van {} vrijgegeven aan {recipient}, {by}", item.supplier_name))
        } else {
            ("informatiebijdrage-ingetrokken", "ingetrokken", format!("vrijgave van een bijdrage van {} aan {recipient} ingetrokken, {by}", item.supplier_name))
        };
        store::add_event(&mut tx, case_id, &CaseEvent::new(now, &p.label, kind, EventAbout::Item { item_id, recipient: organisation_id }, note)).await?;
        self.audit(&mut tx, ctx, action, &Object::new("informatiebijdrage", item_id), Outcome::Ok, &format!("organisatie {organisation_id}, {basis}")).await?;
        commit(tx).await
    }

    /// Withdraws an item as a whole (its supplier only, also after the case closed): every
    /// release ends, nobody changes or releases it again, and its retention rule starts to run
    /// (after it, the texts and attachments are destroyed). The reason is kept with the item,
    /// not in the case's history (which names the supplier only).
    pub async fn withdraw_item(&self, ctx: &Ctx, case_id: i64, item_id: i64, reason: &str) -> Result<(), AppError> {
        let OpenItem { mut tx, p, g, item, f, .. } = self.open_item(ctx, case_id, item_id).await?;
        let d = decide_item(&p, g.access(), ItemAction::Withdraw, &f);
        if !d.allowed {
            return Err(self.case_refusal(Some(tx), ctx, case_id, d.reason).await);
        }
        let mut invalid = Invalid::default();
        let reason = text(&mut invalid, "reden", reason, Some("Geef de reden waarom uw organisatie de bijdrage intrekt."), 2_000);
        invalid.into_result()?;
        let now = self.now();
        if !store::withdraw_item(&mut tx, item_id, &p.label, &reason, now).await? {
            return Err(AppError::Conflict(WITHDRAWN.into()));
        }
        let supplier = item.supplier_organisation_id;
        let note = format!("bijdrage van {} ingetrokken door de leverancier; alle vrijgaven zijn beëindigd", item.supplier_name);
        store::add_event(&mut tx, case_id, &CaseEvent::new(now, &p.label, "bijdrage-ingetrokken", EventAbout::Item { item_id, recipient: supplier }, note)).await?;
        store::touch(&mut tx, case_id, now).await?;
        self.audit(&mut tx, ctx, "informatiebijdrage-teruggetrokken", &Object::new("informatiebijdrage", item_id), Outcome::Ok, &format!("casus {case_id}")).await?;
        commit(tx).await
    }

    /// Adds an attachment to an item (supplier only): type from the content, size limit, SHA-256.
    pub async fn add_item_attachment(&self, ctx: &Ctx, case_id: i64, item_id: i64, file_name: &str, data: &[u8]) -> Result<i64, AppError> {
        let (mut tx, p, _) = self.open_item_for_edit(ctx, case_id, item_id).await?;
        let kind = knooppunt_domain::attachment::check_attachment(file_name, data).map_err(|m| Invalid::one("bestand", m))?;
        use sha2::Digest;
        let meta = ItemAttachment {
            id: 0,
            file_name: file_name.trim().to_string(),
            content_type: kind.content_type().to_string(),
            size: i64::try_from(data.len()).unwrap_or(i64::MAX),
            sha256: hex::encode(sha2::Sha256::digest(data)),
            uploaded_by: p.label.clone(),
            at: self.now(),
        };
        let aid = store::add_item_attachment(&mut tx, item_id, &meta, data).await?;
        self.audit(&mut tx, ctx, "bijlage-toegevoegd", &Object::new("informatiebijdrage", item_id), Outcome::Ok, &format!("bijlage {aid}, sha256 {}", meta.sha256)).await?;
        commit(tx).await?;
        Ok(aid)
    }

    /// An attachment of an item the principal may see; audited as a disclosure.
    pub async fn item_attachment(&self, ctx: &Ctx, case_id: i64, item_id: i64, attachment_id: i64) -> Result<(ItemAttachment, Vec<u8>), AppError> {
        let OpenItem { mut tx, g, ig, .. } = self.open_item_to_read(ctx, case_id, item_id).await?;
        let Some(found) = store::item_attachment_data(&mut tx, &ig, attachment_id).await? else {
            return Err(self.refuse(Some(tx), ctx, &Object::new("informatiebijdrage", item_id), "bijlage bestaat niet bij deze bijdrage", AppError::NotFound("bijlage")).await);
        };
        let subjects = store::subjects(&mut tx, &g).await?;
        commit(tx).await?;
        self.log_personal_read(ctx, "casusdossier-inzien", "bijlage-gedownload", &Object::new("informatiebijdrage", item_id), &subjects_of(&subjects)).await?;
        Ok(found)
    }
}

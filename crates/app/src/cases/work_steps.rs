//! The work in a case after its opening: information requests and their answers, intervention
//! advice and its approval, interventions and their outcome, case meetings.

use super::*;
use crate::notifications::NotificationKind;
use knooppunt_policy::notifications::About;

impl App {
    /// Sends an information request to admitted participants.
    pub async fn create_request(&self, ctx: &Ctx, id: i64, questions: &str, deadline: &str, recipients: &[i64]) -> Result<i64, AppError> {
        let (mut tx, p, _, facts, _) = self.open_for(ctx, id, CaseAction::Request).await?;
        let mut invalid = Invalid::default();
        let questions = text(&mut invalid, "vragen", questions, Some("Stel de vragen aan de partners."), 20_000);
        let deadline = if deadline.trim().is_empty() {
            invalid.push("termijn", "Geef de termijn waarbinnen u antwoord verwacht.");
            String::new()
        } else {
            invalid.check("termijn", parse_date(deadline)).unwrap_or_default()
        };
        if !deadline.is_empty() && deadline < iso_day(self.now()) {
            invalid.push("termijn", "De termijn ligt in het verleden.");
        }
        let mut orgs: Vec<i64> = recipients.to_vec();
        orgs.sort_unstable();
        orgs.dedup();
        if orgs.is_empty() {
            invalid.push("partners", "Kies ten minste één deelnemende partner.");
        }
        if orgs.iter().any(|o| !facts.participants.contains(o)) {
            invalid.push("partners", "Een uitvraag gaat alleen naar partners die aan de casus deelnemen.");
        }
        invalid.into_result()?;
        let now = self.now();
        let rid = store::insert_request(&mut tx, id, &questions, &deadline, &p.label, &orgs, now).await?;
        store::add_event(
            &mut tx,
            id,
            &CaseEvent::new(now, &p.label, "uitvraag", EventAbout::Request(rid), format!("uitvraag verstuurd, termijn {}", knooppunt_domain::case::dutch_day(&deadline))),
        )
        .await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "uitvraag-verstuurd", &case_obj(id), Outcome::Ok, &format!("uitvraag {rid}")).await?;
        for organisation in &orgs {
            self.notify(&mut tx, ctx, &About::RequestTo { case: &facts, organisation: *organisation }, NotificationKind::Request).await?;
        }
        commit(tx).await?;
        Ok(rid)
    }

    /// Answers (the answer becomes an information item of the answering partner) or declines
    /// (with a reason) a request addressed to the principal's organisation.
    pub async fn answer_request(&self, ctx: &Ctx, id: i64, request_id: i64, answer: Option<&ItemInput>, decline_reason: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, facts, g) = self.open_case(ctx, &p, id).await?;
        // The recipient line this principal answers for: policy decides whose line it is.
        let request = store::requests(&mut tx, &g).await?.into_iter().find(|r| r.id == request_id);
        let line = request.as_ref().and_then(|r| r.recipients.iter().find(|x| may_answer_request(&p, x.organisation_id).allowed).cloned());
        let Some(line) = line else {
            return Err(self.refuse(Some(tx), ctx, &Object::new("uitvraag", request_id), "uitvraag niet aan uw organisatie gericht", AppError::NotFound("uitvraag")).await);
        };
        let org = line.organisation_id;
        if facts.phase.is_finished() {
            return Err(AppError::Conflict("De casus is afgesloten.".into()));
        }
        if line.status != RecipientStatus::Open.code() {
            return Err(AppError::Conflict("Uw organisatie heeft deze uitvraag al afgehandeld.".into()));
        }
        let now = self.now();
        let (status, item_id, reason) = match answer {
            Some(input) => {
                let (_, _, mut item) = self.validate_item(&mut tx, input).await?;
                item.case_id = id;
                item.supplier_organisation_id = org;
                item.created_by = p.label.clone();
                item.request_id = Some(request_id);
                (RecipientStatus::Answered, Some(store::insert_item(&mut tx, &item, now).await?), String::new())
            }
            None => {
                let mut invalid = Invalid::default();
                let r = text(&mut invalid, "reden", decline_reason, Some("Geef de reden waarom uw organisatie niet antwoordt."), 2000);
                invalid.into_result()?;
                (RecipientStatus::Declined, None, r)
            }
        };
        if !store::settle_request(&mut tx, request_id, org, status.code(), item_id, &reason, now).await? {
            return Err(AppError::Conflict("Uw organisatie heeft deze uitvraag al afgehandeld.".into()));
        }
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "uitvraag-afgehandeld", &case_obj(id), Outcome::Ok, &format!("uitvraag {request_id}: {}", status.label())).await?;
        commit(tx).await
    }

    /// Saves a new version of the integrated intervention advice (a draft).
    pub async fn draft_advice(&self, ctx: &Ctx, id: i64, findings: &str, proposals: &str) -> Result<i64, AppError> {
        let (mut tx, p, _, facts, _) = self.open_for(ctx, id, CaseAction::DraftAdvice).await?;
        if facts.phase != CasePhase::Case {
            return Err(AppError::Conflict("Een interventieadvies hoort bij een lopende casus.".into()));
        }
        let mut invalid = Invalid::default();
        let findings = text(&mut invalid, "bevindingen", findings, Some("Vat de bevindingen samen."), 50_000);
        let proposals = text(&mut invalid, "voorstellen", proposals, Some("Stel de interventies per partner voor."), 50_000);
        invalid.into_result()?;
        let now = self.now();
        let n = store::insert_advice(&mut tx, id, &findings, &proposals, &p.label, now).await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "advies-opgesteld", &case_obj(id), Outcome::Ok, &format!("versie {n}")).await?;
        self.notify(&mut tx, ctx, &About::AdviceToApprove { case: &facts }, NotificationKind::Advice).await?;
        commit(tx).await?;
        Ok(n)
    }

    /// Approves the latest draft of the advice (RIEC manager of the region).
    pub async fn approve_advice(&self, ctx: &Ctx, id: i64, number: i64) -> Result<(), AppError> {
        let (mut tx, p, _, _, _) = self.open_for(ctx, id, CaseAction::ApproveAdvice).await?;
        let now = self.now();
        if !store::approve_advice(&mut tx, id, number, &p.label, now).await? {
            return Err(AppError::Conflict("Alleen de nieuwste conceptversie kan worden goedgekeurd.".into()));
        }
        store::add_event(&mut tx, id, &CaseEvent::new(now, &p.label, "advies-goedgekeurd", EventAbout::Case, format!("versie {number}"))).await?;
        self.audit(&mut tx, ctx, "advies-goedgekeurd", &case_obj(id), Outcome::Ok, &format!("versie {number}")).await?;
        commit(tx).await
    }

    /// Proposes an intervention from the catalogue for a participating partner, optionally
    /// naming the barrier of a published barrier model it raises.
    pub async fn propose_intervention(&self, ctx: &Ctx, id: i64, v: &InterventionProposal) -> Result<i64, AppError> {
        let (type_code, organisation_id) = (v.kind.as_str(), v.organisation_id);
        let (mut tx, p, _, facts, _) = self.open_for(ctx, id, CaseAction::Coordinate).await?;
        let mut invalid = Invalid::default();
        let types = store::intervention_types(&mut tx).await?;
        let t = types.iter().find(|t| t.code == type_code.trim());
        if t.is_none() {
            invalid.push("soort", "Kies een interventie uit de catalogus.");
        }
        if !facts.participants.contains(&organisation_id) {
            invalid.push("partner", "Kies een partner die aan de casus deelneemt.");
        }
        let legal_power = text(&mut invalid, "bevoegdheid", &v.legal_power, Some("Noem de wettelijke bevoegdheid van de partner."), 500);
        let note = text(&mut invalid, "toelichting", &v.note, None, 5000);
        if let Some(b) = v.barrier {
            let scope = knooppunt_policy::knowledge::knowledge_scope(Some(&p));
            if !knooppunt_store::barriers::choices(&mut tx, &scope).await?.iter().any(|c| c.id == b) {
                invalid.push("barriere", "Kies een barrière uit een gepubliceerd barrièremodel, of geen.");
            }
        }
        invalid.into_result()?;
        if facts.phase.is_finished() {
            return Err(AppError::Conflict("De casus is afgesloten.".into()));
        }
        let Some(t) = t else {
            return Err(AppError::Internal("checked above".into()));
        };
        let now = self.now();
        let vid =
            store::insert_intervention(&mut tx, id, &store::NewIntervention { type_id: t.id, organisation_id, legal_power: &legal_power, note: &note, barrier_id: v.barrier }, now)
                .await?;
        store::add_event(&mut tx, id, &CaseEvent::new(now, &p.label, "interventie", EventAbout::Case, format!("{} voorgesteld", t.name))).await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "interventie-voorgesteld", &case_obj(id), Outcome::Ok, &format!("interventie {vid}")).await?;
        self.notify(&mut tx, ctx, &About::InterventionFor { case: &facts, organisation: organisation_id }, NotificationKind::Intervention).await?;
        commit(tx).await?;
        Ok(vid)
    }

    /// Moves an intervention through its lifecycle and records the outcome (the responsible
    /// partner or the case team); an escalation to the stuurgroep needs a reason.
    pub async fn update_intervention(&self, ctx: &Ctx, id: i64, intervention_id: i64, u: &InterventionUpdate, version: i64) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, facts, g) = self.open_case(ctx, &p, id).await?;
        let Some(current) = store::interventions(&mut tx, &g).await?.into_iter().find(|v| v.id == intervention_id) else {
            drop(tx);
            return Err(AppError::NotFound("interventie"));
        };
        let d = decide_intervention_update(&p, g.access(), current.organisation_id);
        if !d.allowed {
            return Err(self.case_refusal(Some(tx), ctx, id, d.reason).await);
        }
        if facts.phase.is_finished() {
            return Err(AppError::Conflict("De casus is afgesloten.".into()));
        }
        let mut invalid = Invalid::default();
        let from = InterventionStatus::parse(&current.status).map_err(AppError::Internal)?;
        let to = if u.status.trim().is_empty() { Some(from) } else { invalid.check("status", InterventionStatus::parse(&u.status)) };
        let mut next = current.clone();
        if let Some(to) = to {
            if to != from && !from.can_move_to(to) {
                invalid.push("status", format!("Van '{}' kan niet naar '{}'.", from.label(), to.label()));
            }
            next.status = to.code().into();
            if to == InterventionStatus::Stopped && to != from {
                next.stop_reason = text(&mut invalid, "redenGestopt", &u.stop_reason, Some("Geef de reden waarom de interventie is gestopt."), 2000);
            }
        }
        next.decision = text(&mut invalid, "besluit", &u.decision, None, 2000);
        for (field, raw, slot) in
            [("geind", &u.collected, &mut next.collected_cents), ("verrekend", &u.offset, &mut next.offset_cents), ("beslagen", &u.seized, &mut next.seized_cents)]
        {
            match parse_euro(raw) {
                Ok(v) => *slot = v,
                Err(m) => invalid.push(field, m),
            }
        }
        for (field, raw, slot) in [("besluitdatum", &u.decision_date, &mut next.decision_date), ("einddatum", &u.completed_date, &mut next.completed_date)] {
            *slot = if raw.trim().is_empty() { String::new() } else { invalid.check(field, parse_date(raw)).unwrap_or_default() };
        }
        let escalation = text(&mut invalid, "escalatie", &u.escalation_reason, None, 2000);
        if !escalation.is_empty() && current.escalated_at.is_none() {
            next.escalated_at = Some(self.now());
            next.escalation_reason = escalation;
        }
        invalid.into_result()?;
        let now = self.now();
        if !store::update_intervention(&mut tx, intervention_id, &next, version, now).await? {
            return Err(AppError::Conflict(STALE.into()));
        }
        let mut note = format!("{}: van {} naar {}", current.type_name, current.status, next.status);
        if next.escalated_at != current.escalated_at {
            note.push_str(&format!("; geëscaleerd naar de stuurgroep: {}", next.escalation_reason));
        }
        store::add_event(&mut tx, id, &CaseEvent::new(now, &p.label, "interventie", EventAbout::Case, note)).await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "interventie-bijgewerkt", &case_obj(id), Outcome::Ok, &format!("interventie {intervention_id}: {}", next.status)).await?;
        if next.escalated_at != current.escalated_at {
            self.notify(&mut tx, ctx, &About::Escalation { region: facts.region_id }, NotificationKind::Escalation).await?;
        }
        commit(tx).await
    }

    /// Records a case meeting (integraal overleg) with its decisions, linked to interventions.
    pub async fn record_meeting(&self, ctx: &Ctx, id: i64, m: &MeetingInput) -> Result<i64, AppError> {
        let (mut tx, p, _, _, g) = self.open_for(ctx, id, CaseAction::Coordinate).await?;
        let mut invalid = Invalid::default();
        let held_on = if m.held_on.trim().is_empty() { iso_day(self.now()) } else { invalid.check("datum", parse_date(&m.held_on)).unwrap_or_default() };
        let attendees = text(&mut invalid, "aanwezigen", &m.attendees, Some("Noem de aanwezigen."), 5000);
        let agenda = text(&mut invalid, "agenda", &m.agenda, Some("Vul de agenda in."), 10_000);
        let decisions = text(&mut invalid, "besluiten", &m.decisions, Some("Leg de besluiten vast."), 20_000);
        let known: Vec<i64> = store::interventions(&mut tx, &g).await?.iter().map(|v| v.id).collect();
        if m.interventions.iter().any(|v| !known.contains(v)) {
            invalid.push("interventies", "Koppel alleen interventies van deze casus.");
        }
        invalid.into_result()?;
        let now = self.now();
        let mid =
            store::insert_meeting(&mut tx, id, &MeetingRow { id: 0, held_on, attendees, agenda, decisions, intervention_ids: m.interventions.clone() }, &p.label, now).await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "overleg-vastgelegd", &case_obj(id), Outcome::Ok, &format!("overleg {mid}")).await?;
        commit(tx).await?;
        Ok(mid)
    }
}

//! Requests of data subjects (art. 15-21 AVG) across joint controllers: the partner that
//! received the request registers it (with the identity check noted); one search finds every
//! partner that supplied data about the person and the request goes to each; each records its
//! own position (provide, restrict with a ground, nothing held); the deadline — one month from
//! receipt, once extendable by up to two months with a reason given within the first — is kept;
//! the answer is assembled per partner, in their names.

use crate::cases::text;
use crate::notifications::NotificationKind;
use crate::{commit, App, AppError, Ctx, DataSubject, Object, Outcome};
use chrono::{Months, NaiveDate};
use knooppunt_domain::case::parse_date;
use knooppunt_domain::subject_request::{IdentifierKind, Position, RequestKind, RestrictionGround};
use knooppunt_domain::{Bsn, Invalid, KvkNumber, PartnerType};
use knooppunt_policy::notifications::About;
use knooppunt_policy::subject_requests::{
    answer_grant, answers_for, may_manage, may_register, may_see_line, may_take_position, person_search, processing_disclosed, scope, SubjectRequestScope,
};
use knooppunt_store::network;
use knooppunt_store::subject_requests::{self as store, NewPosition, NewRequest};
pub use knooppunt_store::subject_requests::{PartnerRow, ProcessedBy, ProvidedItem, ProvidedSubject, RequestRow};

/// A new request as typed in the form or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct RequestInput {
    pub kind: String,
    /// The day the partner received it (`dd-mm-jjjj` or `YYYY-MM-DD`).
    pub received_on: String,
    pub identifier_kind: String,
    pub identifier: String,
    pub name: String,
    pub identity_checked: bool,
    pub identity_note: String,
    pub question: String,
}

#[derive(Debug, Clone, Default)]
pub struct PositionInput {
    pub position: String,
    pub ground: String,
    pub note: String,
}

/// One request as its viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestView {
    pub request: RequestRow,
    /// Every partner's line for those who manage the request; otherwise only the viewer's own.
    pub partners: Vec<PartnerRow>,
    /// Whether the viewer follows the whole request (extends, closes, assembles the answer).
    pub can_manage: bool,
    /// The organisation whose position the viewer may record, if it is asked.
    pub answers_for: Option<i64>,
    /// The deadline in force (`YYYY-MM-DD`): the extended one when extended.
    pub deadline: String,
    /// Whether the deadline has passed and the request is still open.
    pub overdue: bool,
    /// Whether it may still be extended (once, within the first month).
    pub extendable: bool,
}

/// One partner's part of the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerPart {
    pub partner: PartnerRow,
    pub subjects: Vec<ProvidedSubject>,
    pub items: Vec<ProvidedItem>,
    /// Who processed the records this partner supplied (organisation, activity, how often,
    /// when): the data subject's own lines of the processing log, for a partner that provides.
    pub processing: Vec<ProcessedBy>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub request: RequestRow,
    pub deadline: String,
    pub parts: Vec<AnswerPart>,
    /// When processing-log lines before this moment were moved to the log archive: the answer's
    /// "who processed" lists then cover only the time since (the answer says so).
    pub log_archived_until: Option<i64>,
}

fn day(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()
}

fn plus_months(raw: &str, months: u32) -> String {
    day(raw).and_then(|d| d.checked_add_months(Months::new(months))).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

fn deadline_of(r: &RequestRow) -> String {
    if r.extended_to.is_empty() {
        r.deadline.clone()
    } else {
        r.extended_to.clone()
    }
}

fn request_obj(id: i64) -> Object<'static> {
    Object::new("verzoek-betrokkene", id)
}

impl App {
    async fn request_scope(&self, ctx: &Ctx) -> Result<SubjectRequestScope, AppError> {
        match scope(ctx.principal()?) {
            Some(s) => Ok(s),
            None => {
                let reason = "alleen een convenantpartner of de privacyfunctionaris behandelt verzoeken van betrokkenen";
                Err(self.refuse(None, ctx, &Object::new("verzoek-betrokkene", "*"), reason, AppError::Forbidden(reason)).await)
            }
        }
    }

    /// Registers a request the principal's organisation received and sends it to every partner
    /// that supplied data about the person (and to the receiver itself). Returns its id.
    pub async fn register_subject_request(&self, ctx: &Ctx, input: &RequestInput) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let mut tx = self.begin().await?;
        let org = match p.organisation_id {
            Some(id) => network::find_organisation(&mut tx, id).await?,
            None => None,
        };
        let partner_type = org.as_ref().and_then(|o| PartnerType::parse(&o.partner_type).ok());
        let d = may_register(&p, partner_type);
        let (Some(org), Some(grant)) = (org.filter(|_| d.allowed), person_search(&p, partner_type)) else {
            return Err(self.refuse(Some(tx), ctx, &Object::new("verzoek-betrokkene", "*"), d.reason, AppError::Forbidden(d.reason)).await);
        };
        let mut invalid = Invalid::default();
        let kind = invalid.check("soort", RequestKind::parse(&input.kind));
        let today = crate::cases::today(self.now());
        let received_on = match parse_date(&input.received_on) {
            Ok(d) if d > today => {
                invalid.push("ontvangen", "De dag van ontvangst ligt in de toekomst.");
                None
            }
            Ok(d) => Some(d),
            Err(m) => {
                invalid.push("ontvangen", m);
                None
            }
        };
        let identifier_kind = invalid.check("nummersoort", IdentifierKind::parse(&input.identifier_kind));
        let identifier = match identifier_kind {
            Some(IdentifierKind::Bsn) => invalid.check("nummer", Bsn::parse(&input.identifier)).map(|b| b.as_str().to_string()),
            Some(IdentifierKind::Kvk) => invalid.check("nummer", KvkNumber::parse(&input.identifier)).map(|k| k.as_str().to_string()),
            None => None,
        };
        let name = text(&mut invalid, "naam", &input.name, Some("Vul de naam in zoals de betrokkene die opgaf."), 200);
        if !input.identity_checked {
            invalid.push("identiteit", "Stel eerst de identiteit van de verzoeker vast (art. 12 lid 6 AVG).");
        }
        let identity_note = text(&mut invalid, "identiteitstoelichting", &input.identity_note, Some("Noteer hoe de identiteit is vastgesteld, zonder het documentnummer."), 500);
        let question = text(&mut invalid, "vraag", &input.question, None, 5_000);
        invalid.into_result()?;
        let (Some(kind), Some(received_on), Some(identifier_kind), Some(identifier)) = (kind, received_on, identifier_kind, identifier) else {
            return Err(AppError::Internal("checked above".into()));
        };
        let now = self.now();
        let deadline = plus_months(&received_on, 1);
        let new = NewRequest {
            kind: kind.code(),
            received_by: org.id,
            received_on: &received_on,
            registered_by: &p.label,
            identifier_kind: identifier_kind.code(),
            identifier: &identifier,
            name: &name,
            identity_checked: true,
            identity_note: &identity_note,
            question: &question,
            deadline: &deadline,
        };
        let year = received_on.get(..4).and_then(|y| y.parse().ok()).unwrap_or(1970);
        let id = store::insert(&mut tx, &new, year, now).await?;
        // The RIEC bureaus and the LIEC work for the partners and have no legal personality:
        // what they recorded is answered for by the partners whose cases they are.
        let mut suppliers = Vec::new();
        for s in store::suppliers(&mut tx, &grant, identifier_kind.code(), &identifier).await? {
            let kind = network::find_organisation(&mut tx, s.organisation_id).await?.and_then(|o| PartnerType::parse(&o.partner_type).ok());
            if !matches!(kind, Some(PartnerType::RiecBureau | PartnerType::Liec) | None) {
                suppliers.push(s);
            }
        }
        // Every supplier with what it supplied, and the receiver (which answers too).
        let mut asked: std::collections::BTreeMap<i64, String> = suppliers
            .iter()
            .map(|s| {
                let supplied = format!(
                    "{} met deze persoon: {}, {}",
                    if s.cases == 1 { "1 casus".to_string() } else { format!("{} casussen", s.cases) },
                    if s.subjects == 1 { "1 registratie".to_string() } else { format!("{} registraties", s.subjects) },
                    if s.items == 1 { "1 informatiebijdrage".to_string() } else { format!("{} informatiebijdragen", s.items) }
                );
                (s.organisation_id, supplied)
            })
            .collect();
        asked.entry(org.id).or_insert_with(|| "ontving het verzoek".to_string());
        for (organisation, supplied) in &asked {
            store::insert_partner(&mut tx, id, *organisation, supplied).await?;
            self.notify(&mut tx, ctx, &About::SubjectRequest { organisation: *organisation }, NotificationKind::SubjectRequest).await?;
        }
        let asked = asked.len();
        self.audit(&mut tx, ctx, "verzoek-betrokkene-geregistreerd", &request_obj(id), Outcome::Ok, &format!("{}; {asked} partners gevraagd", kind.label())).await?;
        commit(tx).await?;
        Ok(id)
    }

    /// The requests the principal may see.
    pub async fn subject_requests(&self, ctx: &Ctx) -> Result<Vec<RequestRow>, AppError> {
        let s = self.request_scope(ctx).await?;
        let mut tx = self.begin_read().await?;
        let rows = store::list(&mut tx, &s, 500).await?;
        commit(tx).await?;
        let subjects: Vec<DataSubject> = rows.iter().map(|r| DataSubject { kind: "verzoeker", id: r.id.to_string() }).collect();
        self.log_personal_read(ctx, "verzoek-betrokkene", "verzoeken-betrokkenen-bekeken", &Object::new("verzoek-betrokkene", "*"), &subjects).await?;
        Ok(rows)
    }

    /// The request `id` in scope `s`. The scope is asked for before any transaction opens: a
    /// refusal writes its audit line in a transaction of its own, which on SQLite would wait
    /// for the open one.
    async fn find_request(&self, tx: &mut knooppunt_store::Tx, s: &SubjectRequestScope, id: i64) -> Result<RequestRow, AppError> {
        store::find(&mut *tx, s, id).await?.ok_or(AppError::NotFound("verzoek"))
    }

    fn view(&self, p: &knooppunt_policy::Principal, request: RequestRow, partners: Vec<PartnerRow>) -> RequestView {
        let can_manage = may_manage(p, request.received_by).allowed;
        let asked: Vec<i64> = partners.iter().map(|x| x.organisation_id).collect();
        let answers_for = answers_for(p, &asked);
        let partners = partners.into_iter().filter(|x| may_see_line(p, request.received_by, x.organisation_id)).collect();
        let today = crate::cases::today(self.now());
        let deadline = deadline_of(&request);
        let open = request.closed_at.is_none();
        RequestView {
            overdue: open && today > deadline,
            extendable: open && can_manage && request.extended_to.is_empty() && today <= request.deadline,
            deadline,
            can_manage,
            answers_for,
            partners,
            request,
        }
    }

    /// One request: the receiver and the privacy officer see every partner's line, a partner its
    /// own. Reading it is audited and logged (it holds the person's number and name).
    pub async fn subject_request(&self, ctx: &Ctx, id: i64) -> Result<RequestView, AppError> {
        let p = ctx.principal()?.clone();
        let scope = self.request_scope(ctx).await?;
        let mut tx = self.begin_read().await?;
        let request = self.find_request(&mut tx, &scope, id).await?;
        let partners = store::partners(&mut tx, &request).await?;
        commit(tx).await?;
        self.log_personal_read(ctx, "verzoek-betrokkene", "verzoek-betrokkene-bekeken", &request_obj(id), &[DataSubject { kind: "verzoeker", id: id.to_string() }]).await?;
        Ok(self.view(&p, request, partners))
    }

    /// Records the position of the principal's organisation.
    pub async fn record_position(&self, ctx: &Ctx, id: i64, input: &PositionInput) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let scope = self.request_scope(ctx).await?;
        let mut tx = self.begin().await?;
        let request = self.find_request(&mut tx, &scope, id).await?;
        let Some(org) = p.organisation_id else { return Err(AppError::NotFound("verzoek")) };
        let d = may_take_position(&p, org);
        if !d.allowed {
            return Err(self.refuse(Some(tx), ctx, &request_obj(id), d.reason, AppError::Forbidden(d.reason)).await);
        }
        if request.closed_at.is_some() {
            return Err(AppError::Conflict("Dit verzoek is afgerond; een standpunt kan niet meer worden gewijzigd.".into()));
        }
        let mut invalid = Invalid::default();
        let position = invalid.check("standpunt", Position::parse(&input.position));
        let ground = if position == Some(Position::Restrict) { invalid.check("grond", RestrictionGround::parse(&input.ground)).map(|g| g.code()) } else { Some("") };
        let note = text(
            &mut invalid,
            "toelichting",
            &input.note,
            (position == Some(Position::Restrict)).then_some("Licht de beperking toe; de betrokkene leest deze toelichting."),
            2_000,
        );
        invalid.into_result()?;
        let (Some(position), Some(ground)) = (position, ground) else { return Err(AppError::Internal("checked above".into())) };
        let new = NewPosition { position: position.code(), ground, note: &note, by: &p.label };
        if !store::set_position(&mut tx, &request, org, &new, self.now()).await? {
            let reason = "uw organisatie is bij dit verzoek niet gevraagd";
            return Err(self.refuse(Some(tx), ctx, &request_obj(id), reason, AppError::Forbidden(reason)).await);
        }
        self.audit(&mut tx, ctx, "verzoek-betrokkene-standpunt", &request_obj(id), Outcome::Ok, position.label()).await?;
        commit(tx).await
    }

    /// Extends the deadline once, by one or two months, with the reason the person is told;
    /// only within the first month.
    pub async fn extend_subject_request(&self, ctx: &Ctx, id: i64, months: &str, reason: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let scope = self.request_scope(ctx).await?;
        let mut tx = self.begin().await?;
        let request = self.find_request(&mut tx, &scope, id).await?;
        let d = may_manage(&p, request.received_by);
        if !d.allowed {
            return Err(self.refuse(Some(tx), ctx, &request_obj(id), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let mut invalid = Invalid::default();
        let months = match months.trim() {
            "1" => 1,
            "2" => 2,
            _ => {
                invalid.push("maanden", "Verleng met 1 of 2 maanden (art. 12 lid 3 AVG).");
                0
            }
        };
        let reason = text(&mut invalid, "reden", reason, Some("Geef de reden van de verlenging; de betrokkene krijgt die binnen de eerste maand te horen."), 2_000);
        invalid.into_result()?;
        let today = crate::cases::today(self.now());
        if request.closed_at.is_some() || !request.extended_to.is_empty() || today > request.deadline {
            return Err(AppError::Conflict("Verlengen kan één keer, binnen de eerste maand na ontvangst, zolang het verzoek loopt.".into()));
        }
        let to = plus_months(&request.deadline, months);
        if !store::extend(&mut tx, &request, &to, &reason).await? {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        self.audit(&mut tx, ctx, "verzoek-betrokkene-verlengd", &request_obj(id), Outcome::Ok, &format!("met {months} maand(en)")).await?;
        commit(tx).await
    }

    /// Closes a request once every partner recorded its position.
    pub async fn close_subject_request(&self, ctx: &Ctx, id: i64) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let scope = self.request_scope(ctx).await?;
        let mut tx = self.begin().await?;
        let request = self.find_request(&mut tx, &scope, id).await?;
        let d = may_manage(&p, request.received_by);
        if !d.allowed {
            return Err(self.refuse(Some(tx), ctx, &request_obj(id), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let pending: Vec<String> = store::partners(&mut tx, &request).await?.into_iter().filter(|x| x.position.is_empty()).map(|x| x.organisation_name).collect();
        if !pending.is_empty() {
            return Err(AppError::Conflict(format!("Nog geen standpunt van: {}.", pending.join(", "))));
        }
        if !store::close(&mut tx, &request, self.now()).await? {
            return Err(AppError::Conflict("Dit verzoek is al afgerond of intussen gewijzigd.".into()));
        }
        self.audit(&mut tx, ctx, "verzoek-betrokkene-afgerond", &request_obj(id), Outcome::Ok, "").await?;
        commit(tx).await
    }

    /// The answer, per partner in its name: its position and ground, and — for a partner that
    /// provides — what it holds about the person. Only for the receiver and the privacy officer;
    /// every record read is logged.
    pub async fn subject_request_answer(&self, ctx: &Ctx, id: i64) -> Result<Answer, AppError> {
        let p = ctx.principal()?.clone();
        let scope = self.request_scope(ctx).await?;
        let mut tx = self.begin_read().await?;
        let request = self.find_request(&mut tx, &scope, id).await?;
        let Some(grant) = answer_grant(&p, request.received_by) else {
            let reason = "alleen de partner die het verzoek ontving, of de privacyfunctionaris, stelt het antwoord samen";
            drop(tx);
            return Err(self.refuse(None, ctx, &request_obj(id), reason, AppError::Forbidden(reason)).await);
        };
        let mut parts = Vec::new();
        let partners = store::partners(&mut tx, &request).await?;
        let providing: Vec<i64> = partners.iter().filter(|p| p.position == Position::Provide.code()).map(|p| p.organisation_id).collect();
        for partner in partners {
            let (subjects, items) =
                if partner.position == Position::Provide.code() { store::provided(&mut tx, &grant, &request, partner.organisation_id).await? } else { (Vec::new(), Vec::new()) };
            let pseudonyms: Vec<String> = subjects.iter().map(|s| self.pseudonym(&DataSubject { kind: "betrokkene", id: s.id.to_string() })).collect();
            let refs: Vec<&str> = pseudonyms.iter().map(String::as_str).collect();
            let mut processing = store::processing_of(&mut tx, &grant, &refs).await?;
            processing.retain(|x| processing_disclosed(x.organisation_id.map(|o| (o, PartnerType::parse(&x.partner_type).ok())), &providing));
            parts.push(AnswerPart { partner, subjects, items, processing });
        }
        let log_archived_until = knooppunt_store::logarchive::processing_archived_until(&mut tx).await?;
        commit(tx).await?;
        let mut read: Vec<DataSubject> = parts.iter().flat_map(|a| a.subjects.iter().map(|s| DataSubject { kind: "betrokkene", id: s.id.to_string() })).collect();
        read.push(DataSubject { kind: "verzoeker", id: id.to_string() });
        self.log_personal_read(ctx, "verzoek-betrokkene", "verzoek-betrokkene-antwoord", &request_obj(id), &read).await?;
        Ok(Answer { deadline: deadline_of(&request), request, parts, log_archived_until })
    }

    /// The daily reminder, once across the nodes: every organisation that has not yet taken a
    /// position on an open request due within a week (or overdue) is told again. Returns how
    /// many reminders went out (`None` when another node or an earlier run did it today).
    pub async fn subject_request_reminders_if_due(&self) -> Result<Option<usize>, AppError> {
        let now = self.now();
        let mut tx = self.begin().await?;
        if !knooppunt_store::jobs::claim(&mut tx, "verzoeken-herinnering", now, 86_400_000).await? {
            commit(tx).await?;
            return Ok(None);
        }
        let within = crate::cases::today(now + 7 * 86_400_000);
        let ctx = self.operator_ctx("systeem:verzoeken");
        let mut told = 0;
        for (_, organisation) in store::pending_by(&mut tx, &within).await? {
            told += self.notify(&mut tx, &ctx, &About::SubjectRequest { organisation }, NotificationKind::SubjectRequest).await?;
        }
        self.audit(&mut tx, &ctx, "verzoeken-herinnerd", &Object::new("verzoek-betrokkene", "*"), Outcome::Ok, &format!("{told} herinneringen")).await?;
        commit(tx).await?;
        Ok(Some(told))
    }

    /// Open requests on which the principal's organisation has not yet taken a position.
    pub(crate) async fn count_requests_waiting(&self, tx: &mut knooppunt_store::Tx, p: &knooppunt_policy::Principal) -> Result<Option<i64>, AppError> {
        match (scope(p), p.organisation_id) {
            (Some(_), Some(org)) => Ok(Some(store::count_waiting(&mut *tx, org).await?)),
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_a_calendar_month() {
        assert_eq!(plus_months("2026-01-31", 1), "2026-02-28");
        assert_eq!(plus_months("2026-11-30", 2), "2027-01-30");
    }
}

//! Landelijke aanpak: the LIEC coordinator opens a national approach (for example an outlaw
//! motorcycle club chapter or a real-estate network), asks cases of several regions to join —
//! each joins only when its owner (the RIEC analyst or manager of its region) agrees —, adds the
//! organisations taking part, agrees actions and records progress. Figures are computed from
//! the approach itself. Every list, view and decision is audited. The approach shows case
//! references and regions, never case contents: each case stays behind its own need-to-know.

use crate::notifications::NotificationKind;
use crate::{commit, App, AppError, Ctx, Object, Outcome};
use knooppunt_domain::Invalid;
use knooppunt_policy::approaches::{grant, may_decide_case, may_finish_action, may_manage, request_view, scope, ApproachGrant, RequestView, ASKS_PER_WINDOW};
use knooppunt_policy::notifications::About;
use knooppunt_policy::Principal;
use knooppunt_store::approaches::{self as store, ActionRow, ApproachCaseRow, ApproachRow, ParticipantRow};
use knooppunt_store::network;
use knooppunt_store::Tx;

const OBJECT: &str = "landelijke-aanpak";

/// One approach in the list.
#[derive(Debug, Clone)]
pub struct ApproachSummary {
    pub approach: ApproachRow,
    pub joined: usize,
    pub regions: usize,
    pub actions_open: usize,
}

/// The figures of an approach.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// Cases that joined (owner agreed), and the regions they come from.
    pub joined: usize,
    pub regions: usize,
    /// Cases asked and not decided yet, and refused.
    pub asked: usize,
    pub refused: usize,
    pub participants: usize,
    pub actions_open: usize,
    pub actions_done: usize,
}

/// What a viewer sees of one approach.
#[derive(Debug, Clone)]
pub struct ApproachView {
    pub approach: ApproachRow,
    /// The joined cases, the requests of the viewer's own regions, and for the LIEC every
    /// decided request; the figures count exactly these.
    pub cases: Vec<ApproachCaseRow>,
    /// The LIEC's pending requests, by reference only (whether and where a case exists is the
    /// owner's to reveal by deciding).
    pub asked: Vec<store::AskRow>,
    pub participants: Vec<ParticipantRow>,
    pub actions: Vec<ActionRow>,
    pub figures: Figures,
    pub can_manage: bool,
    /// Cases whose joining this viewer decides.
    pub decidable: Vec<i64>,
    pub can_finish_actions: bool,
}

/// The figures of what the viewer sees: `cases` and `asked` as narrowed by policy.
fn figures(cases: &[ApproachCaseRow], asked: usize, participants: &[ParticipantRow], actions: &[ActionRow]) -> Figures {
    let joined: Vec<&ApproachCaseRow> = cases.iter().filter(|c| c.status == "akkoord").collect();
    let mut regions: Vec<i64> = joined.iter().map(|c| c.region_id).collect();
    regions.sort_unstable();
    regions.dedup();
    Figures {
        joined: joined.len(),
        regions: regions.len(),
        asked: cases.iter().filter(|c| c.status == "gevraagd").count() + asked,
        refused: cases.iter().filter(|c| c.status == "geweigerd").count(),
        participants: participants.len(),
        actions_open: actions.iter().filter(|a| a.status == "open").count(),
        actions_done: actions.iter().filter(|a| a.status == "gereed").count(),
    }
}

fn check_text(invalid: &mut Invalid, field: &str, value: &str, label: &str, required: bool, max: usize) {
    let n = value.trim().chars().count();
    if required && n == 0 {
        invalid.push(field, format!("Vul {label} in."));
    } else if n > max {
        invalid.push(field, format!("Houd {label} onder {max} tekens."));
    }
}

/// The case requests the holder of `g` sees: every request of its own regions and every joined
/// case in full, the LIEC's decided requests in full and its pending ones (matched to a case
/// or not) as references only.
fn narrow(g: &ApproachGrant, cases: Vec<ApproachCaseRow>, asks: Vec<store::AskRow>) -> (Vec<ApproachCaseRow>, Vec<store::AskRow>) {
    let (visible, _): (Vec<ApproachCaseRow>, Vec<ApproachCaseRow>) = cases.into_iter().partition(|c| request_view(g, c.region_id, &c.status) == RequestView::Full);
    let decided: Vec<&str> = visible.iter().map(|c| c.reference.as_str()).collect();
    // The asks are listed to whoever sees a pending request of a region it is not team in by
    // reference only (the LIEC), without those already shown in full.
    let asked = if request_view(g, -1, "gevraagd") == RequestView::Asked { asks.into_iter().filter(|a| !decided.contains(&a.reference.as_str())).collect() } else { Vec::new() };
    (visible, asked)
}

impl App {
    /// Opens the approach for `p`: `NotFound` (audited) when it does not exist for `p`.
    async fn open_approach_for(&self, ctx: &Ctx, p: &Principal, id: i64) -> Result<(Tx, ApproachRow, ApproachGrant, Vec<i64>), AppError> {
        let mut tx = self.begin().await?;
        if let Some((a, regions, orgs)) = store::find(&mut tx, &scope(p), id).await? {
            if let Some(g) = grant(p, id, &regions, &orgs) {
                return Ok((tx, a, g, orgs));
            }
        }
        Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), "landelijke aanpak niet zichtbaar", AppError::NotFound("landelijke aanpak")).await)
    }

    /// Refuses (audited) unless the LIEC coordinator acts; `Forbidden` only after the approach
    /// was found visible.
    async fn manage(&self, ctx: &Ctx, p: &Principal, id: i64) -> Result<(Tx, ApproachGrant), AppError> {
        let (tx, _, g, _) = self.open_approach_for(ctx, p, id).await?;
        let d = may_manage(p);
        if !d.allowed {
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), d.reason, AppError::Forbidden(d.reason)).await);
        }
        Ok((tx, g))
    }

    pub async fn list_approaches(&self, ctx: &Ctx) -> Result<Vec<ApproachSummary>, AppError> {
        let p = ctx.principal()?.clone();
        let mut tx = self.begin().await?;
        let mut out = Vec::new();
        for a in store::list(&mut tx, &scope(&p)).await? {
            let Some((_, regions, orgs)) = store::find(&mut tx, &scope(&p), a.id).await? else {
                continue;
            };
            let Some(g) = grant(&p, a.id, &regions, &orgs) else {
                continue;
            };
            let (cases, asked) = narrow(&g, store::cases(&mut tx, &g).await?, store::asks(&mut tx, &g).await?);
            let actions = store::actions(&mut tx, &g).await?;
            let f = figures(&cases, asked.len(), &[], &actions);
            out.push(ApproachSummary { approach: a, joined: f.joined, regions: f.regions, actions_open: f.actions_open });
        }
        self.audit(&mut tx, ctx, "landelijke-aanpakken-bekeken", &Object::new(OBJECT, "*"), Outcome::Ok, &format!("{} aanpakken", out.len())).await?;
        commit(tx).await?;
        Ok(out)
    }

    pub async fn approach(&self, ctx: &Ctx, id: i64) -> Result<ApproachView, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, approach, g, orgs) = self.open_approach_for(ctx, &p, id).await?;
        let participants = store::participants(&mut tx, &g).await?;
        let actions = store::actions(&mut tx, &g).await?;
        let (cases, asked) = narrow(&g, store::cases(&mut tx, &g).await?, store::asks(&mut tx, &g).await?);
        let figures = figures(&cases, asked.len(), &participants, &actions);
        let can_manage = may_manage(&p).allowed;
        let decidable: Vec<i64> = cases.iter().filter(|c| may_decide_case(&p, c.region_id).allowed).map(|c| c.case_id).collect();
        self.audit(&mut tx, ctx, "landelijke-aanpak-bekeken", &Object::new(OBJECT, id), Outcome::Ok, "").await?;
        commit(tx).await?;
        Ok(ApproachView { approach, cases, asked, participants, actions, figures, can_manage, decidable, can_finish_actions: may_finish_action(&p, &orgs).allowed })
    }

    /// The LIEC coordinator opens an approach; returns its id.
    pub async fn open_approach(&self, ctx: &Ctx, title: &str, description: &str) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let d = may_manage(&p);
        if !d.allowed {
            return Err(self.refuse(None, ctx, &Object::new(OBJECT, "nieuw"), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let mut invalid = Invalid::default();
        check_text(&mut invalid, "titel", title, "de titel", true, 200);
        check_text(&mut invalid, "omschrijving", description, "de omschrijving", true, 5000);
        invalid.into_result()?;
        let mut tx = self.begin().await?;
        let id = store::create(&mut tx, title.trim(), description.trim(), &p.label, self.now()).await?;
        // The title is free text that may name persons; the audit log cannot forget, so it keeps
        // only the approach's id (retention can then empty the title for real).
        self.audit(&mut tx, ctx, "landelijke-aanpak-geopend", &Object::new(OBJECT, id), Outcome::Ok, "").await?;
        commit(tx).await?;
        Ok(id)
    }

    /// The LIEC asks the owner of the case with `reference` to let it join. The answer is the
    /// same whether or not such a case exists (references are sequential: a different answer
    /// would let anyone who may ask enumerate every case and its region); the owner reveals the
    /// case by deciding. Asks are throttled per account.
    pub async fn ask_case(&self, ctx: &Ctx, id: i64, reference: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _) = self.manage(ctx, &p, id).await?;
        let reference = reference.trim().to_uppercase();
        if reference.is_empty() {
            return Err(Invalid::one("casusKenmerk", "Vul het kenmerk van de casus in (bijvoorbeeld CAS-2026-00012).").into());
        }
        if reference.chars().count() > 40 || !reference.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(Invalid::one("casusKenmerk", "Een kenmerk bestaat uit letters, cijfers en streepjes, bijvoorbeeld CAS-2026-00012.").into());
        }
        let now = self.now();
        if store::asks_since(&mut tx, &p.label, now - self.config().throttle_window_ms).await? >= ASKS_PER_WINDOW {
            let reason = "te veel casusverzoeken in korte tijd";
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), reason, AppError::Throttled).await);
        }
        if !store::record_ask(&mut tx, id, &reference, &p.label, now).await? {
            return Err(AppError::Conflict(format!("Kenmerk {reference} is al gevraagd voor deze aanpak.")));
        }
        if let Some((case_id, region_id)) = store::case_by_reference(&mut tx, &reference).await? {
            store::add_case(&mut tx, id, case_id, region_id, &p.label, now).await?;
            self.notify(&mut tx, ctx, &About::ApproachAsk { region: region_id }, NotificationKind::ApproachAsk).await?;
        }
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "landelijke-aanpak-casus-gevraagd", &Object::new(OBJECT, id), Outcome::Ok, &reference).await?;
        commit(tx).await
    }

    /// The owner of a case agrees to let it join, or refuses with a reason.
    pub async fn decide_approach_case(&self, ctx: &Ctx, id: i64, case_id: i64, agree: bool, reason: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, g, _) = self.open_approach_for(ctx, &p, id).await?;
        let cases = store::cases(&mut tx, &g).await?;
        let Some(case) = cases.iter().find(|c| c.case_id == case_id && request_view(&g, c.region_id, &c.status) == RequestView::Full) else {
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), "casus niet gevraagd", AppError::NotFound("casus in deze aanpak")).await);
        };
        let d = may_decide_case(&p, case.region_id);
        if !d.allowed {
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let reason = reason.trim();
        let mut invalid = Invalid::default();
        if !agree && reason.is_empty() {
            invalid.push("reden", "Geef een reden voor de weigering.");
        }
        check_text(&mut invalid, "reden", reason, "de reden", false, 2000);
        invalid.into_result()?;
        let status = if agree { "akkoord" } else { "geweigerd" };
        store::decide_case(&mut tx, id, case_id, status, &p.label, reason, self.now()).await?;
        store::touch(&mut tx, id, self.now()).await?;
        self.audit(&mut tx, ctx, "landelijke-aanpak-casus-besloten", &Object::new(OBJECT, id), Outcome::Ok, &format!("{}: {status}", case.reference)).await?;
        commit(tx).await
    }

    pub async fn add_approach_participant(&self, ctx: &Ctx, id: i64, organisation_id: Option<i64>, part: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _) = self.manage(ctx, &p, id).await?;
        let mut invalid = Invalid::default();
        let org = match organisation_id {
            Some(o) => network::find_organisation(&mut tx, o).await?,
            None => None,
        };
        if org.is_none() {
            invalid.push("organisatieId", "Kies een organisatie uit de lijst.");
        }
        check_text(&mut invalid, "rol", part, "de rol in de aanpak", true, 200);
        invalid.into_result()?;
        let Some(org) = org else {
            return Err(AppError::Internal("checked above".into()));
        };
        if !store::add_participant(&mut tx, id, org.id, part.trim(), &p.label, self.now()).await? {
            return Err(AppError::Conflict(format!("{} neemt al deel aan deze aanpak.", org.name)));
        }
        store::touch(&mut tx, id, self.now()).await?;
        self.audit(&mut tx, ctx, "landelijke-aanpak-deelnemer-toegevoegd", &Object::new(OBJECT, id), Outcome::Ok, &org.name).await?;
        commit(tx).await
    }

    pub async fn add_approach_action(&self, ctx: &Ctx, id: i64, title: &str, owner: &str, due: &str) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _) = self.manage(ctx, &p, id).await?;
        let mut invalid = Invalid::default();
        check_text(&mut invalid, "titel", title, "de actie", true, 300);
        check_text(&mut invalid, "eigenaar", owner, "de eigenaar", false, 200);
        let due = if due.trim().is_empty() { String::new() } else { invalid.check("deadline", knooppunt_domain::case::parse_date(due)).unwrap_or_default() };
        let due = due.as_str();
        invalid.into_result()?;
        let action = store::add_action(&mut tx, id, title.trim(), owner.trim(), due, &p.label, self.now()).await?;
        store::touch(&mut tx, id, self.now()).await?;
        self.audit(&mut tx, ctx, "landelijke-aanpak-actie-toegevoegd", &Object::new(OBJECT, id), Outcome::Ok, &format!("actie {action}")).await?;
        commit(tx).await?;
        Ok(action)
    }

    pub async fn finish_approach_action(&self, ctx: &Ctx, id: i64, action_id: i64) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, _, orgs) = self.open_approach_for(ctx, &p, id).await?;
        let d = may_finish_action(&p, &orgs);
        if !d.allowed {
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), d.reason, AppError::Forbidden(d.reason)).await);
        }
        if !store::finish_action(&mut tx, id, action_id, &p.label, self.now()).await? {
            return Err(AppError::Conflict("Deze actie is al gereed of hoort niet bij deze aanpak.".into()));
        }
        store::touch(&mut tx, id, self.now()).await?;
        self.audit(&mut tx, ctx, "landelijke-aanpak-actie-gereed", &Object::new(OBJECT, id), Outcome::Ok, &action_id.to_string()).await?;
        commit(tx).await
    }

    pub async fn record_approach_progress(&self, ctx: &Ctx, id: i64, progress: &str, status: &str, version: i64) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _) = self.manage(ctx, &p, id).await?;
        let mut invalid = Invalid::default();
        check_text(&mut invalid, "voortgang", progress, "de voortgang", true, 5000);
        if !["lopend", "afgerond"].contains(&status) {
            invalid.push("status", "Kies 'lopend' of 'afgerond'.");
        }
        invalid.into_result()?;
        if !store::set_progress(&mut tx, id, progress.trim(), status, version, self.now()).await? {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        self.audit(&mut tx, ctx, "landelijke-aanpak-voortgang", &Object::new(OBJECT, id), Outcome::Ok, status).await?;
        commit(tx).await
    }
}

//! Need-to-know on case files.
//!
//! A case is visible to the *case team* — the RIEC bureau staff of the owning region — and to
//! the partner organisations the case admitted (while admitted). Everyone else, the LIEC and
//! other regions included, learns nothing: for them the case does not exist. Within a case each
//! information item is visible to the team, to its supplier, and to the participants the supplier
//! released it to (while the release stands and the participant is still admitted).
//!
//! [`decide_case`] and [`decide_item`] answer single questions; [`case_scope`] gives the same
//! rules to the store as data for SQL predicates, and a property test proves that the two agree.

use crate::{Decision, Principal};
use knooppunt_domain::case::{CasePhase, CaseStep};
use knooppunt_domain::Role;

/// What policy needs to know about one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub region_id: i64,
    pub phase: CasePhase,
    /// Organisations currently admitted (the source organisation is admitted at registration).
    pub participants: Vec<i64>,
}

/// What policy needs to know about one information item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFacts {
    pub supplier_id: i64,
    /// Organisations the item is released to (withdrawn releases are not listed).
    pub released_to: Vec<i64>,
}

/// How a principal relates to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAccess {
    /// RIEC bureau staff of the owning region: the whole case.
    Team,
    /// An admitted partner: the case, and the items it supplied or that were released to it.
    Participant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAction {
    /// Register a new signal (becomes a case record in phase *signaal*).
    RegisterSignal,
    View,
    Step(CaseStep),
    /// Admit or remove participants, assign the case team.
    ManageParticipants,
    AddSubject,
    AddItem,
    /// Send an information request (uitvraag).
    Request,
    /// Draft a version of the intervention advice.
    DraftAdvice,
    ApproveAdvice,
    /// Propose interventions, record meetings, escalate.
    Coordinate,
    /// Print or export the whole case file.
    Export,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemAction {
    View,
    /// Release to a participant or withdraw a release.
    Release,
    /// See to whom the item is released (the release list).
    SeeReleases,
    /// Change the item's content or add an attachment.
    Edit,
    /// Withdraw the item as a whole: its information may no longer be processed in the case.
    Withdraw,
}

/// The RIEC bureau roles that form a case team in their region.
pub const TEAM_ROLES: [Role; 4] = [Role::RiecAccountManager, Role::RiecAnalyst, Role::RiecLegalAdviser, Role::RiecManager];

/// Roles whose holders may work in a case their organisation was admitted to.
const PARTICIPANT_ROLES: [Role; 6] = [Role::PartnerEmployee, Role::LiecCoordinator, Role::RiecAccountManager, Role::RiecAnalyst, Role::RiecLegalAdviser, Role::RiecManager];

/// The regions in which `p` is case team.
pub fn team_regions(p: &Principal) -> Vec<i64> {
    let mut r: Vec<i64> = p.roles.iter().filter(|g| TEAM_ROLES.contains(&g.role)).filter_map(|g| g.region_id).collect();
    r.sort_unstable();
    r.dedup();
    r
}

/// The regions in which `p` approves intervention advice (`decide_case` with
/// `ApproveAdvice`): the work list counts the advice waiting there.
pub fn approval_regions(p: &Principal) -> Vec<i64> {
    let mut r: Vec<i64> = p.roles.iter().filter(|g| g.role == Role::RiecManager).filter_map(|g| g.region_id).collect();
    r.sort_unstable();
    r.dedup();
    r
}

/// The regions in which `p` reviews draft advice as the RIEC's legal adviser before the manager
/// approves it: the work list counts the drafts waiting there.
pub fn legal_review_regions(p: &Principal) -> Vec<i64> {
    let mut r: Vec<i64> = p.roles.iter().filter(|g| g.role == Role::RiecLegalAdviser).filter_map(|g| g.region_id).collect();
    r.sort_unstable();
    r.dedup();
    r
}

fn may_participate(p: &Principal) -> bool {
    p.roles.iter().any(|g| PARTICIPANT_ROLES.contains(&g.role))
}

/// The regions in which `p` works for its organisation in cases: `None` when one of its
/// participant roles is national (then every region). A police officer of Limburg does not see
/// an Oost-Brabant case because the Nationale Politie was admitted there.
pub fn participant_regions(p: &Principal) -> Option<Vec<i64>> {
    let grants: Vec<_> = p.roles.iter().filter(|g| PARTICIPANT_ROLES.contains(&g.role)).collect();
    if grants.iter().any(|g| g.region_id.is_none()) {
        return None;
    }
    let mut r: Vec<i64> = grants.iter().filter_map(|g| g.region_id).collect();
    r.sort_unstable();
    r.dedup();
    Some(r)
}

/// The organisation through which `p` takes part in cases, if its roles allow that.
pub fn participant_org(p: &Principal) -> Option<i64> {
    if may_participate(p) {
        p.organisation_id
    } else {
        None
    }
}

/// How `p` relates to the case, or `None`: then the case does not exist for `p`.
pub fn access(p: &Principal, f: &CaseFacts) -> Option<CaseAccess> {
    if team_regions(p).contains(&f.region_id) {
        Some(CaseAccess::Team)
    } else if participant_org(p).is_some_and(|o| f.participants.contains(&o)) && participant_regions(p).is_none_or(|r| r.contains(&f.region_id)) {
        Some(CaseAccess::Participant)
    } else {
        None
    }
}

/// May an account with `roles` be put on the team of a case of `region`? RIEC bureau staff of
/// that region.
pub fn may_join_team(roles: &[crate::RoleGrant], region: i64) -> bool {
    roles.iter().any(|g| g.region_id == Some(region) && TEAM_ROLES.contains(&g.role))
}

/// May `p` register signals at all (for a municipality of any region)?
pub fn can_register(p: &Principal) -> bool {
    may_participate(p)
}

/// May `p` register a signal whose case the RIEC of `region` will hold? Only where `p` can follow
/// it up once it exists: as the case team of that region, or as a partner whose organisation is
/// admitted (the source is) and whose role covers that region. A partner brings a signal to its
/// own RIEC; for a municipality elsewhere it names its own region with a reason.
pub fn decide_registration_region(p: &Principal, region: i64) -> Decision {
    let as_team = team_regions(p).contains(&region);
    let as_partner = participant_org(p).is_some() && participant_regions(p).is_none_or(|r| r.contains(&region));
    if as_team || as_partner {
        Decision::allow("registreert bij een RIEC waar u de casus kunt volgen")
    } else {
        Decision::deny("u registreert signalen bij het RIEC van uw eigen regio; kies die regio en geef de reden")
    }
}

fn team_role_in(p: &Principal, region: i64, role: Role) -> bool {
    p.roles.iter().any(|g| g.role == role && g.region_id == Some(region))
}

pub fn decide_case(p: &Principal, action: CaseAction, f: Option<&CaseFacts>) -> Decision {
    use CaseAction as A;
    let Some(f) = f else {
        return match action {
            A::RegisterSignal if can_register(p) => Decision::allow("partner, RIEC of LIEC registreert signalen"),
            A::RegisterSignal => Decision::deny("uw rol kan geen signalen registreren"),
            _ => Decision::deny("onbekende casus"),
        };
    };
    let Some(acc) = access(p, f) else {
        return Decision::deny("geen casusteam en geen toegelaten deelnemer");
    };
    let team = acc == CaseAccess::Team;
    let open = f.phase.is_open_for_work();
    match action {
        A::RegisterSignal => Decision::deny("een signaal is geen onderdeel van een casus"),
        A::View => Decision::allow(if team { "casusteam van de regio" } else { "toegelaten deelnemer" }),
        A::Step(step) => {
            if !team {
                Decision::deny("alleen het RIEC-casusteam weegt en sluit casussen")
            } else if step.target(f.phase).is_none() {
                Decision::deny("deze stap kan niet vanuit de huidige fase")
            } else {
                Decision::allow("casusteam van de regio")
            }
        }
        A::ManageParticipants | A::Coordinate | A::DraftAdvice | A::Export => {
            if team {
                Decision::allow("casusteam van de regio")
            } else {
                Decision::deny("alleen het RIEC-casusteam")
            }
        }
        A::Request => {
            if !team {
                Decision::deny("alleen het RIEC-casusteam doet een uitvraag")
            } else if !open {
                Decision::deny("een uitvraag kan alleen in een pre-casus of casus")
            } else {
                Decision::allow("casusteam van de regio")
            }
        }
        A::ApproveAdvice => {
            if team_role_in(p, f.region_id, Role::RiecManager) {
                Decision::allow("RIEC-manager van de regio")
            } else {
                Decision::deny("alleen de RIEC-manager van de regio keurt het advies goed")
            }
        }
        A::AddSubject | A::AddItem => {
            if f.phase.is_finished() {
                Decision::deny("de casus is afgesloten")
            } else if team || open {
                Decision::allow(if team { "casusteam van de regio" } else { "toegelaten deelnemer" })
            } else {
                Decision::deny("deelnemers dragen bij zodra de pre-casus of casus loopt")
            }
        }
    }
}

/// Decides on one information item of a case `p` may see (`acc` from [`access`]).
pub fn decide_item(p: &Principal, acc: CaseAccess, action: ItemAction, item: &ItemFacts) -> Decision {
    let own = p.organisation_id == Some(item.supplier_id);
    match action {
        ItemAction::View => {
            if acc == CaseAccess::Team {
                Decision::allow("casusteam van de regio")
            } else if own {
                Decision::allow("leverancier van de bijdrage")
            } else if p.organisation_id.is_some_and(|o| item.released_to.contains(&o)) {
                Decision::allow("door de leverancier vrijgegeven")
            } else {
                Decision::deny("niet aan uw organisatie vrijgegeven")
            }
        }
        ItemAction::Release => {
            if own {
                Decision::allow("leverancier van de bijdrage")
            } else if acc == CaseAccess::Team {
                Decision::allow("casusteam legt toestemming van de leverancier vast")
            } else {
                Decision::deny("alleen de leverancier geeft een bijdrage vrij")
            }
        }
        ItemAction::SeeReleases => {
            if own || acc == CaseAccess::Team {
                Decision::allow("leverancier of casusteam")
            } else {
                Decision::deny("alleen de leverancier en het casusteam zien aan wie een bijdrage is vrijgegeven")
            }
        }
        ItemAction::Edit => {
            if own {
                Decision::allow("leverancier van de bijdrage")
            } else {
                Decision::deny("alleen de leverancier wijzigt een bijdrage of voegt bijlagen toe")
            }
        }
        ItemAction::Withdraw => {
            if own {
                Decision::allow("leverancier van de bijdrage")
            } else {
                Decision::deny("alleen de leverancier trekt een bijdrage in")
            }
        }
    }
}

/// May `p` (seeing the case as `acc`) record the outcome of an intervention carried out by
/// `responsible`? The responsible partner and the case team.
pub fn decide_intervention_update(p: &Principal, acc: CaseAccess, responsible: i64) -> Decision {
    if acc == CaseAccess::Team {
        Decision::allow("casusteam van de regio")
    } else if p.organisation_id == Some(responsible) {
        Decision::allow("uitvoerende partner")
    } else {
        Decision::deny("alleen de uitvoerende partner of het casusteam")
    }
}

/// Proof that a principal may see one case, and as what. Only [`grant`] mints one; every store
/// reader of one case's data takes it, so a read by a bare id cannot be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseGrant {
    case_id: i64,
    region_id: i64,
    access: CaseAccess,
    organisation_id: Option<i64>,
}

impl CaseGrant {
    pub fn case_id(&self) -> i64 {
        self.case_id
    }

    pub fn region_id(&self) -> i64 {
        self.region_id
    }

    pub fn access(&self) -> CaseAccess {
        self.access
    }

    /// The holder is the case team (sees every line of the case).
    pub fn is_team(&self) -> bool {
        self.access == CaseAccess::Team
    }

    /// `None` for the case team, which sees every line; for a participant its organisation, to
    /// which the lines of history, requests, releases and advice are narrowed.
    pub fn participant(&self) -> Option<i64> {
        match self.access {
            CaseAccess::Team => None,
            CaseAccess::Participant => Some(self.organisation_id.unwrap_or(-1)),
        }
    }
}

/// The proof for `p` on the case `case_id` with `facts`, or `None`: then it does not exist for `p`.
pub fn grant(p: &Principal, case_id: i64, facts: &CaseFacts) -> Option<CaseGrant> {
    access(p, facts).map(|access| CaseGrant { case_id, region_id: facts.region_id, access, organisation_id: p.organisation_id })
}

/// Proof that a principal may see one information item (within a [`CaseGrant`]), with what it
/// may see of it. Only [`grant_item`] mints one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemGrant {
    case_id: i64,
    item_id: i64,
    releases_visible: bool,
}

impl ItemGrant {
    pub fn case_id(&self) -> i64 {
        self.case_id
    }

    pub fn item_id(&self) -> i64 {
        self.item_id
    }

    /// May the holder see the release list (supplier and case team)?
    pub fn releases_visible(&self) -> bool {
        self.releases_visible
    }
}

/// The proof for `p` on item `item_id` of the case of `case`, or `None` when it may not see it.
pub fn grant_item(p: &Principal, case: &CaseGrant, item_id: i64, item: &ItemFacts) -> Option<ItemGrant> {
    decide_item(p, case.access, ItemAction::View, item).allowed.then(|| ItemGrant {
        case_id: case.case_id,
        item_id,
        releases_visible: decide_item(p, case.access, ItemAction::SeeReleases, item).allowed,
    })
}

/// What a line of case history is about; it decides who sees the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventAbout {
    /// A case-level step (registration, weighing, phase, team, interventions, approved advice):
    /// everyone who sees the case.
    Case,
    /// Only the case team (links to other regions' cases after a shared hit).
    Team,
    /// An organisation's admission or removal: the team and that organisation.
    Organisation(i64),
    /// An item's release or withdrawal: the team, the item's supplier and the recipient.
    Item { item_id: i64, recipient: i64 },
    /// An information request: the team and the request's recipients.
    Request(i64),
}

impl EventAbout {
    /// The stored form: `(about, about_id, organisation_id)`.
    pub fn parts(self) -> (&'static str, Option<i64>, Option<i64>) {
        match self {
            EventAbout::Case => ("casus", None, None),
            EventAbout::Team => ("team", None, None),
            EventAbout::Organisation(o) => ("organisatie", None, Some(o)),
            EventAbout::Item { item_id, recipient } => ("bijdrage", Some(item_id), Some(recipient)),
            EventAbout::Request(r) => ("uitvraag", Some(r), None),
        }
    }

    /// The stored form back; anything unknown is team-only.
    pub fn from_parts(about: &str, about_id: Option<i64>, organisation_id: Option<i64>) -> EventAbout {
        match (about, about_id, organisation_id) {
            ("casus", _, _) => EventAbout::Case,
            ("organisatie", _, Some(o)) => EventAbout::Organisation(o),
            ("bijdrage", Some(item_id), Some(recipient)) => EventAbout::Item { item_id, recipient },
            ("uitvraag", Some(r), _) => EventAbout::Request(r),
            _ => EventAbout::Team,
        }
    }
}

/// What policy needs to know about one history line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFacts {
    pub about: EventAbout,
    /// For an item event: the item's supplier.
    pub item_supplier: Option<i64>,
    /// For a request event: the request's recipients.
    pub request_recipients: Vec<i64>,
}

/// May the holder of `g` see this line of the case's history? The store's SQL predicate for
/// history is the same rule (the property test proves it).
pub fn may_see_event(g: &CaseGrant, e: &EventFacts) -> bool {
    let Some(org) = g.participant() else {
        return true;
    };
    match e.about {
        EventAbout::Case => true,
        EventAbout::Team => false,
        EventAbout::Organisation(o) => o == org,
        EventAbout::Item { recipient, .. } => recipient == org || e.item_supplier == Some(org),
        EventAbout::Request(_) => e.request_recipients.contains(&org),
    }
}

/// May the holder of `g` see a request sent to `recipients`, and which recipients' lines?
/// The team sees all; a participant the requests addressed to it, and only its own line.
pub fn may_see_request(g: &CaseGrant, recipients: &[i64]) -> bool {
    g.participant().is_none_or(|org| recipients.contains(&org))
}

pub fn may_see_recipient_line(g: &CaseGrant, recipient: i64) -> bool {
    g.participant().is_none_or(|org| org == recipient)
}

/// May `organisation` be removed from a case whose signal came from `source`? The source stays:
/// it is where the case came from.
pub fn may_be_removed(organisation: i64, source: i64) -> bool {
    organisation != source
}

/// May an item be released to `recipient`? To another organisation than its supplier (the
/// supplier sees it anyway); admission is checked by the caller against the case.
pub fn may_receive_release(recipient: i64, item: &ItemFacts) -> bool {
    recipient != item.supplier_id
}

/// May the holder of `g` answer or decline for `recipient`? Only that organisation itself.
pub fn may_answer_request(p: &Principal, recipient: i64) -> Decision {
    if p.organisation_id == Some(recipient) {
        Decision::allow("de uitvraag is aan uw organisatie gericht")
    } else {
        Decision::deny("alleen de organisatie waaraan de uitvraag is gericht, antwoordt")
    }
}

/// Advice: the team sees every version; participants only approved advice.
pub fn may_see_advice(g: &CaseGrant, approved: bool) -> bool {
    approved || g.participant().is_none()
}

/// May the holder of `g` see the release of an item supplied by `supplier` to `recipient`?
/// The team, and the supplier; a recipient learns of its own release only through the item.
pub fn may_see_release(g: &CaseGrant, supplier: i64) -> bool {
    g.participant().is_none_or(|org| org == supplier)
}

/// The visibility rules of [`access`] and [`decide_item`] as data, for SQL predicates. Only
/// [`case_scope`] builds one, so a repository read of case data cannot run without a principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseScope {
    team_regions: Vec<i64>,
    organisation_id: Option<i64>,
    participant_regions: Option<Vec<i64>>,
}

impl CaseScope {
    /// Every case of these regions (case team).
    pub fn team_regions(&self) -> &[i64] {
        &self.team_regions
    }

    /// Cases this organisation is admitted to; items it supplied or that were released to it.
    pub fn organisation_id(&self) -> Option<i64> {
        self.organisation_id
    }

    /// Participation counts only in these regions (`None`: every region).
    pub fn participant_regions(&self) -> Option<&[i64]> {
        self.participant_regions.as_deref()
    }

    /// True when the scope can see nothing at all (the query can be skipped).
    pub fn is_empty(&self) -> bool {
        self.team_regions.is_empty() && self.organisation_id.is_none()
    }
}

pub fn case_scope(p: &Principal) -> CaseScope {
    CaseScope { team_regions: team_regions(p), organisation_id: participant_org(p), participant_regions: participant_regions(p) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, RoleGrant};

    fn p(role: Role, region: Option<i64>, org: i64) -> Principal {
        Principal { actor: Actor::User(1), label: "t".into(), organisation_id: Some(org), roles: vec![RoleGrant { role, region_id: region }] }
    }

    #[test]
    fn other_regions_and_outsiders_see_nothing() {
        let f = CaseFacts { region_id: 1, phase: CasePhase::Case, participants: vec![10] };
        assert_eq!(access(&p(Role::RiecAnalyst, Some(1), 99), &f), Some(CaseAccess::Team));
        assert_eq!(access(&p(Role::RiecAnalyst, Some(2), 99), &f), None);
        assert_eq!(access(&p(Role::PartnerEmployee, None, 10), &f), Some(CaseAccess::Participant));
        assert_eq!(access(&p(Role::PartnerEmployee, None, 11), &f), None);
        assert_eq!(access(&p(Role::PartnerEmployee, Some(1), 10), &f), Some(CaseAccess::Participant));
        assert_eq!(access(&p(Role::PartnerEmployee, Some(2), 10), &f), None, "same organisation, other region");
        assert_eq!(access(&p(Role::LiecCoordinator, None, 12), &f), None);
        assert_eq!(access(&p(Role::Auditor, None, 10), &f), None);
        assert_eq!(access(&p(Role::Administrator, None, 10), &f), None);
    }

    #[test]
    fn items_follow_releases() {
        let item = ItemFacts { supplier_id: 10, released_to: vec![11] };
        let police = p(Role::PartnerEmployee, None, 10);
        let tax = p(Role::PartnerEmployee, None, 11);
        let customs = p(Role::PartnerEmployee, None, 12);
        assert!(decide_item(&police, CaseAccess::Participant, ItemAction::View, &item).allowed);
        assert!(decide_item(&tax, CaseAccess::Participant, ItemAction::View, &item).allowed);
        assert!(!decide_item(&customs, CaseAccess::Participant, ItemAction::View, &item).allowed);
        assert!(!decide_item(&tax, CaseAccess::Participant, ItemAction::Release, &item).allowed);
        assert!(decide_item(&police, CaseAccess::Participant, ItemAction::Release, &item).allowed);
        assert!(decide_item(&police, CaseAccess::Participant, ItemAction::Withdraw, &item).allowed);
        assert!(!decide_item(&tax, CaseAccess::Participant, ItemAction::Withdraw, &item).allowed);
    }

    #[test]
    fn approval_regions_are_where_advice_may_be_approved() {
        for role in Role::ALL {
            for region in [Some(1), Some(2), None] {
                let principal = p(role, region, 1);
                for r in [1, 2] {
                    let f = CaseFacts { region_id: r, phase: CasePhase::Case, participants: vec![] };
                    assert_eq!(approval_regions(&principal).contains(&r), decide_case(&principal, CaseAction::ApproveAdvice, Some(&f)).allowed, "{role:?} {region:?} {r}");
                }
            }
        }
    }

    #[test]
    fn only_the_manager_approves_and_steps_follow_phases() {
        let f = CaseFacts { region_id: 1, phase: CasePhase::Signal, participants: vec![] };
        assert!(!decide_case(&p(Role::RiecAnalyst, Some(1), 1), CaseAction::ApproveAdvice, Some(&f)).allowed);
        assert!(decide_case(&p(Role::RiecManager, Some(1), 1), CaseAction::ApproveAdvice, Some(&f)).allowed);
        assert!(decide_case(&p(Role::RiecAnalyst, Some(1), 1), CaseAction::Step(CaseStep::StartWeighing), Some(&f)).allowed);
        assert!(!decide_case(&p(Role::RiecAnalyst, Some(1), 1), CaseAction::Step(CaseStep::Close), Some(&f)).allowed);
    }
}

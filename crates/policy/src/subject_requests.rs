//! Requests of data subjects: who registers one, who sees it, who answers for a partner.
//!
//! A request is registered by the covenant partner that received it — a partner's employee or
//! the privacy officer, never a RIEC bureau or the LIEC, which have no legal personality, and
//! never a private partner. The receiving organisation follows its requests and assembles the
//! answer; every partner that supplied data about the person sees the request and records its
//! own position; the privacy officer sees every request.

use crate::{Decision, Principal};
use knooppunt_domain::{PartnerType, Role};

fn employee(p: &Principal) -> bool {
    p.has_role(Role::PartnerEmployee) || p.has_role(Role::PrivacyOfficer)
}

/// Whether `p`, of an organisation of `partner_type`, may register a request its organisation
/// received.
pub fn may_register(p: &Principal, partner_type: Option<PartnerType>) -> Decision {
    match partner_type {
        None => Decision::deny("alleen een convenantpartner registreert een verzoek van een betrokkene"),
        Some(PartnerType::RiecBureau | PartnerType::Liec) => {
            Decision::deny("een RIEC of het LIEC heeft geen rechtspersoonlijkheid: de partner die het verzoek ontving, registreert het")
        }
        Some(PartnerType::PrivatePartner) => Decision::deny("een private partner verwerkt geen casusgegevens"),
        Some(_) if employee(p) => Decision::allow("medewerker van de ontvangende partner"),
        Some(_) => Decision::deny("alleen een medewerker of privacyfunctionaris van de partner registreert een verzoek"),
    }
}

/// Proof that the principal may see requests: all (the privacy officer) or those its
/// organisation received or is asked about. Only [`scope`] mints one.
#[derive(Debug, Clone)]
pub struct SubjectRequestScope {
    all: bool,
    organisation: Option<i64>,
}

impl SubjectRequestScope {
    pub fn all(&self) -> bool {
        self.all
    }

    /// The organisation whose requests are visible (`None` with [`Self::all`]).
    pub fn organisation(&self) -> Option<i64> {
        self.organisation
    }
}

pub fn scope(p: &Principal) -> Option<SubjectRequestScope> {
    if p.has_role(Role::PrivacyOfficer) {
        return Some(SubjectRequestScope { all: true, organisation: p.organisation_id });
    }
    match p.organisation_id {
        Some(org) if p.has_role(Role::PartnerEmployee) => Some(SubjectRequestScope { all: false, organisation: Some(org) }),
        _ => None,
    }
}

/// Proof that a new request may search every case for the person it is about: the search
/// returns only which organisations supplied data and how much (counts), so that the request
/// reaches each of them. Only [`person_search`] mints one, for someone who may register.
#[derive(Debug)]
pub struct PersonSearchGrant(());

pub fn person_search(p: &Principal, partner_type: Option<PartnerType>) -> Option<PersonSearchGrant> {
    may_register(p, partner_type).allowed.then_some(PersonSearchGrant(()))
}

/// Whether `p` may record the position of `organisation` on a request.
pub fn may_take_position(p: &Principal, organisation: i64) -> Decision {
    if p.organisation_id == Some(organisation) && employee(p) {
        Decision::allow("medewerker van de partner")
    } else {
        Decision::deny("alleen de partner zelf bepaalt zijn standpunt")
    }
}

/// Whether `p` follows the whole request (every partner's line, the deadline, the answer): the
/// receiving organisation and the privacy officer.
pub fn may_manage(p: &Principal, received_by: i64) -> Decision {
    if p.has_role(Role::PrivacyOfficer) {
        Decision::allow("rol privacyfunctionaris")
    } else if p.organisation_id == Some(received_by) && employee(p) {
        Decision::allow("de partner die het verzoek ontving")
    } else {
        Decision::deny("alleen de partner die het verzoek ontving, of de privacyfunctionaris, behandelt het verzoek")
    }
}

/// The organisation among `asked` whose position `p` may record, if any.
pub fn answers_for(p: &Principal, asked: &[i64]) -> Option<i64> {
    p.organisation_id.filter(|org| asked.contains(org) && may_take_position(p, *org).allowed)
}

/// Whether `p` sees `organisation`'s line of a request received by `received_by`: those who
/// manage the request see every line, a partner its own.
pub fn may_see_line(p: &Principal, received_by: i64, organisation: i64) -> bool {
    may_manage(p, received_by).allowed || p.organisation_id == Some(organisation)
}

/// Whether processing by `processor` (its organisation and partner type; `None` for knooppunt's
/// own automatic processing) appears in an access answer: a partner's processing only when that
/// partner chose to provide (`providing`) — a partner that restricts (an ongoing
/// investigation), has not decided or was not asked has not allowed it —, the RIEC bureaus' and
/// the LIEC's (who process on behalf of the joint controllers) and knooppunt's own always.
pub fn processing_disclosed(processor: Option<(i64, Option<PartnerType>)>, providing: &[i64]) -> bool {
    match processor {
        None => true,
        Some((_, Some(PartnerType::RiecBureau | PartnerType::Liec))) => true,
        Some((org, _)) => providing.contains(&org),
    }
}

/// Proof that the principal assembles the answer to a request (the receiving organisation or the
/// privacy officer): it opens the data that partners who chose to provide supplied about the
/// person — nothing of a partner that restricts or has not decided. Only [`answer_grant`] mints
/// one.
#[derive(Debug)]
pub struct AnswerGrant(());

pub fn answer_grant(p: &Principal, received_by: i64) -> Option<AnswerGrant> {
    may_manage(p, received_by).allowed.then_some(AnswerGrant(()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, RoleGrant};

    fn with(role: Role, org: i64) -> Principal {
        Principal { actor: Actor::User(1), label: "t".into(), organisation_id: Some(org), roles: vec![RoleGrant { role, region_id: Some(3) }] }
    }

    #[test]
    fn processing_shows_only_where_its_partner_allows() {
        assert!(processing_disclosed(None, &[]));
        assert!(processing_disclosed(Some((5, Some(PartnerType::RiecBureau))), &[]));
        assert!(processing_disclosed(Some((6, Some(PartnerType::Liec))), &[]));
        assert!(processing_disclosed(Some((7, Some(PartnerType::Gemeente))), &[7]));
        assert!(!processing_disclosed(Some((8, Some(PartnerType::Politie))), &[7]));
        assert!(!processing_disclosed(Some((8, None)), &[7]));
    }

    #[test]
    fn the_partner_that_received_it_registers_never_the_riec() {
        let p = with(Role::PartnerEmployee, 7);
        assert!(may_register(&p, Some(PartnerType::Gemeente)).allowed);
        assert!(!may_register(&p, Some(PartnerType::RiecBureau)).allowed);
        assert!(!may_register(&p, Some(PartnerType::Liec)).allowed);
        assert!(!may_register(&p, Some(PartnerType::PrivatePartner)).allowed);
        assert!(!may_register(&with(Role::RiecAnalyst, 7), Some(PartnerType::Gemeente)).allowed);
        assert!(person_search(&with(Role::RiecManager, 7), Some(PartnerType::Politie)).is_none());
    }

    #[test]
    fn a_partner_answers_for_itself_and_the_receiver_manages() {
        let p = with(Role::PartnerEmployee, 7);
        assert!(may_take_position(&p, 7).allowed && !may_take_position(&p, 8).allowed);
        assert!(may_manage(&p, 7).allowed && !may_manage(&p, 8).allowed);
        let privacy = with(Role::PrivacyOfficer, 1);
        assert!(may_manage(&privacy, 8).allowed);
        assert!(scope(&privacy).is_some_and(|s| s.all()));
        assert!(scope(&with(Role::RiecAnalyst, 7)).is_none());
    }
}

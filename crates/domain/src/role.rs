//! The roles of DESIGN.md. Roles grant capabilities (see the policy crate); need-to-know on a
//! case is a separate, per-case membership.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Role {
    PartnerEmployee,
    RiecAccountManager,
    RiecAnalyst,
    RiecLegalAdviser,
    RiecManager,
    SteeringGroupMember,
    LiecCoordinator,
    SignalDeskOfficer,
    KnowledgeEditor,
    PrivacyOfficer,
    Auditor,
    Administrator,
}

impl Role {
    pub const ALL: [Role; 12] = [
        Self::PartnerEmployee,
        Self::RiecAccountManager,
        Self::RiecAnalyst,
        Self::RiecLegalAdviser,
        Self::RiecManager,
        Self::SteeringGroupMember,
        Self::LiecCoordinator,
        Self::SignalDeskOfficer,
        Self::KnowledgeEditor,
        Self::PrivacyOfficer,
        Self::Auditor,
        Self::Administrator,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::PartnerEmployee => "partner-medewerker",
            Self::RiecAccountManager => "riec-accountmanager",
            Self::RiecAnalyst => "riec-analist",
            Self::RiecLegalAdviser => "riec-jurist",
            Self::RiecManager => "riec-manager",
            Self::SteeringGroupMember => "stuurgroeplid",
            Self::LiecCoordinator => "liec-coordinator",
            Self::SignalDeskOfficer => "loketmedewerker",
            Self::KnowledgeEditor => "kennisredacteur",
            Self::PrivacyOfficer => "privacyfunctionaris",
            Self::Auditor => "auditor",
            Self::Administrator => "beheerder",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::PartnerEmployee => "Medewerker convenantpartner",
            Self::RiecAccountManager => "RIEC-accountmanager",
            Self::RiecAnalyst => "RIEC-analist",
            Self::RiecLegalAdviser => "RIEC-jurist",
            Self::RiecManager => "RIEC-manager",
            Self::SteeringGroupMember => "Lid stuurgroep",
            Self::LiecCoordinator => "LIEC-coördinator",
            Self::SignalDeskOfficer => "Medewerker Loket Bestuurlijke Signalen",
            Self::KnowledgeEditor => "Kennisredacteur",
            Self::PrivacyOfficer => "Privacyfunctionaris",
            Self::Auditor => "Auditor",
            Self::Administrator => "Beheerder",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|r| r.code() == raw.trim()).ok_or_else(|| format!("Onbekende rol '{}'.", raw.trim()))
    }

    /// Regional roles are granted for one region; the others are national.
    pub fn is_regional(self) -> bool {
        matches!(self, Self::PartnerEmployee | Self::RiecAccountManager | Self::RiecAnalyst | Self::RiecLegalAdviser | Self::RiecManager | Self::SteeringGroupMember)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Ok(r));
        }
        assert!(Role::parse("koning").is_err());
    }
}

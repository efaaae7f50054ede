//! The network: regions, municipalities and partner types.
//!
//! Regions are data, not an enum (they have merged before); only their codes are checked here.

use serde::Serialize;

/// A region's stable code, e.g. `oost-brabant`: 2 to 40 lowercase letters, digits and dashes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        let ok = (2..=40).contains(&s.len()) && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') && !s.starts_with('-') && !s.ends_with('-');
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err("Een regiocode heeft 2 tot 40 kleine letters, cijfers of streepjes, bijvoorbeeld 'oost-brabant'.".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What kind of centre a region is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionKind {
    Riec,
    Liec,
    Euriec,
}

impl RegionKind {
    pub const ALL: [RegionKind; 3] = [Self::Riec, Self::Liec, Self::Euriec];

    pub fn code(self) -> &'static str {
        match self {
            Self::Riec => "riec",
            Self::Liec => "liec",
            Self::Euriec => "euriec",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Riec => "RIEC",
            Self::Liec => "LIEC",
            Self::Euriec => "EURIEC",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|k| k.code() == raw.trim()).ok_or_else(|| "Kies als soort 'riec', 'liec' of 'euriec'.".to_string())
    }
}

/// A municipality's CBS code: `GM` followed by four digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct CbsCode(String);

impl CbsCode {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim().to_uppercase();
        let ok = s.len() == 6 && s.starts_with("GM") && s[2..].chars().all(|c| c.is_ascii_digit());
        if ok {
            Ok(Self(s))
        } else {
            Err("Een CBS-gemeentecode is 'GM' met vier cijfers, bijvoorbeeld GM0363.".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The kinds of organisation in the network: the covenant partners, the centres and private
/// partners (who never see case data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PartnerType {
    Gemeente,
    Provincie,
    OpenbaarMinisterie,
    Politie,
    Belastingdienst,
    Toeslagen,
    Douane,
    Fiod,
    Arbeidsinspectie,
    Marechaussee,
    Ind,
    Uwv,
    Nvwa,
    RiecBureau,
    Liec,
    PrivatePartner,
}

impl PartnerType {
    pub const ALL: [PartnerType; 16] = [
        Self::Gemeente,
        Self::Provincie,
        Self::OpenbaarMinisterie,
        Self::Politie,
        Self::Belastingdienst,
        Self::Toeslagen,
        Self::Douane,
        Self::Fiod,
        Self::Arbeidsinspectie,
        Self::Marechaussee,
        Self::Ind,
        Self::Uwv,
        Self::Nvwa,
        Self::RiecBureau,
        Self::Liec,
        Self::PrivatePartner,
    ];

    /// The stable code used in the database and the API.
    pub fn code(self) -> &'static str {
        match self {
            Self::Gemeente => "gemeente",
            Self::Provincie => "provincie",
            Self::OpenbaarMinisterie => "openbaar-ministerie",
            Self::Politie => "politie",
            Self::Belastingdienst => "belastingdienst",
            Self::Toeslagen => "toeslagen",
            Self::Douane => "douane",
            Self::Fiod => "fiod",
            Self::Arbeidsinspectie => "arbeidsinspectie",
            Self::Marechaussee => "marechaussee",
            Self::Ind => "ind",
            Self::Uwv => "uwv",
            Self::Nvwa => "nvwa",
            Self::RiecBureau => "riec-bureau",
            Self::Liec => "liec",
            Self::PrivatePartner => "private-partner",
        }
    }

    /// The Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Gemeente => "Gemeente",
            Self::Provincie => "Provincie",
            Self::OpenbaarMinisterie => "Openbaar Ministerie",
            Self::Politie => "Nationale Politie",
            Self::Belastingdienst => "Belastingdienst",
            Self::Toeslagen => "Belastingdienst/Toeslagen",
            Self::Douane => "Douane",
            Self::Fiod => "FIOD",
            Self::Arbeidsinspectie => "Nederlandse Arbeidsinspectie",
            Self::Marechaussee => "Koninklijke Marechaussee",
            Self::Ind => "IND",
            Self::Uwv => "UWV",
            Self::Nvwa => "NVWA",
            Self::RiecBureau => "RIEC-bureau",
            Self::Liec => "LIEC",
            Self::PrivatePartner => "Private partner",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|p| p.code() == raw.trim()).ok_or_else(|| format!("Onbekend partnertype '{}'.", raw.trim()))
    }

    /// A covenant partner shares information under the RIEC-LIEC covenant.
    pub fn is_covenant_partner(self) -> bool {
        !matches!(self, Self::RiecBureau | Self::Liec | Self::PrivatePartner)
    }

    /// National partners are active in every region.
    pub fn is_national(self) -> bool {
        !matches!(self, Self::Gemeente | Self::Provincie | Self::RiecBureau | Self::PrivatePartner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cbs_codes() {
        for (input, ok) in [("GM0363", true), ("gm0014", true), ("GM363", false), ("XX0363", false), ("GM03a3", false)] {
            assert_eq!(CbsCode::parse(input).is_ok(), ok, "{input}");
        }
    }

    #[test]
    fn region_codes() {
        for (input, ok) in [("oost-brabant", true), ("a", false), ("Oost", false), ("-x", false), ("brabant-zeeland", true)] {
            assert_eq!(RegionCode::parse(input).is_ok(), ok, "{input}");
        }
    }

    #[test]
    fn partner_types_round_trip() {
        assert_eq!(PartnerType::ALL.iter().filter(|p| p.is_covenant_partner()).count(), 13);
        for p in PartnerType::ALL {
            assert_eq!(PartnerType::parse(p.code()), Ok(p));
        }
    }
}

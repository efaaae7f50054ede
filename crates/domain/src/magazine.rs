//! Code Geel, the LIEC's digital magazine: editions (number and year, theme, theme issue) that
//! the knowledge editors publish, and their articles, each for the public or for the network.

coded! {
    /// Where an edition stands.
    EditionStatus {
        Concept = "concept" / "Concept",
        Published = "gepubliceerd" / "Gepubliceerd",
    }
}

coded! {
    /// Who reads an article of a published edition.
    ArticleAudience {
        Public = "openbaar" / "Openbaar",
        Network = "netwerk" / "Netwerk",
    }
}

/// The numbers an edition may have in its year.
pub const EDITION_NUMBERS: std::ops::RangeInclusive<i64> = 1..=99;

/// The years an edition may have.
pub const EDITION_YEARS: std::ops::RangeInclusive<i64> = 2000..=2100;

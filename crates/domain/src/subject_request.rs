//! Requests of data subjects (*verzoeken van betrokkenen*, art. 15-21 AVG): what is asked, the
//! positions a partner can take, and the grounds on which a partner may restrict the right.

coded!(
    /// What the data subject asks.
    RequestKind {
        Access = "inzage" / "Inzage (art. 15 AVG)",
        Rectification = "rectificatie" / "Rectificatie (art. 16 AVG)",
        Erasure = "wissing" / "Wissing (art. 17 AVG)",
        Restriction = "beperking" / "Beperking van de verwerking (art. 18 AVG)",
        Objection = "bezwaar" / "Bezwaar (art. 21 AVG)",
    }
);

coded!(
    /// A partner's answer for its own part.
    Position {
        Provide = "verstrekken" / "Verstrekken of uitvoeren",
        Restrict = "beperken" / "Beperken met een grond",
        Nothing = "geen-gegevens" / "Geen gegevens over deze persoon",
    }
);

coded!(
    /// Why a partner restricts the right.
    RestrictionGround {
        Gdpr23 = "art-23-avg" / "Art. 23 AVG en art. 41 UAVG",
        Wpg = "wpg" / "Wet politiegegevens",
        Wjsg = "wjsg" / "Wet justitiële en strafvorderlijke gegevens",
        Investigation = "lopend-onderzoek" / "Lopend onderzoek",
    }
);

coded!(
    /// The number the data subject gave.
    IdentifierKind {
        Bsn = "bsn" / "BSN",
        Kvk = "kvk" / "KvK-nummer",
    }
);

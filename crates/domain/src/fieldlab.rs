//! The LIEC Field Lab Hub: field labs try out an intervention against a local problem,
//! phase by phase (the phases are the LIEC's and configurable), with experiments that are
//! evaluated against indicators and end in a decision whether to scale up.

coded! {
    /// What a lab records in a phase.
    RecordKind {
        Decision = "besluit" / "Besluit",
        Document = "document" / "Document",
    }
}

coded! {
    /// How an experiment is evaluated.
    EvaluationDesign {
        BeforeAfter = "voor-en-nameting" / "Voor- en nameting",
        ComparisonArea = "vergelijkingsgebied" / "Vergelijkingsgebied",
        Both = "beide" / "Voor- en nameting met een vergelijkingsgebied",
    }
}

coded! {
    /// What an experiment's evaluation led to.
    ScalingDecision {
        ScaleUp = "opschalen" / "Opschalen en delen",
        Adjust = "aanpassen" / "Aanpassen en opnieuw proberen",
        Stop = "stoppen" / "Stoppen",
    }
}

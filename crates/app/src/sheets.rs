//! The interventions catalogue as knowledge: every intervention type has a sheet
//! (interventieblad) with what it is, its legal basis, who carries it out, the conditions and
//! the case law, versioned (every change kept as history), maintained by the LIEC (the same
//! decision as the catalogue, `Action::ManageInterventionCatalogue`), read by every signed-in
//! user. Beside it, the outcomes so far: how many interventions of the type were completed or
//! stopped and the amounts collected, offset and seized — counted over all cases, protected
//! as one table over all types (counts below k hidden, and what would reveal them), never a
//! case.

use crate::{commit, App, AppError, Ctx, Object, Outcome as AuditOutcome};
use knooppunt_domain::Invalid;
use knooppunt_figures::disclosure::{self, Shown, Table};
use knooppunt_policy::{decide, Action};
use knooppunt_search::index::{doc_terms, DocTerms};
use knooppunt_search::query::Concept;
use knooppunt_search::terms::Lexicon;
use knooppunt_store::cases as case_store;
use knooppunt_store::search as search_store;
use knooppunt_store::sheets::{self as store, SheetRow};
use knooppunt_store::Tx;

/// The sheets the network starts with: code, what, legal basis, carried out by, conditions,
/// case law (fictitious ECLI numbers in the style of real ones).
const SEED: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("bibob", "Het bestuursorgaan weigert of trekt een vergunning of subsidie in als er ernstig gevaar is dat die mede wordt gebruikt om strafbare feiten te plegen of om uit strafbare feiten verkregen voordeel te benutten.", "Wet Bibob, art. 3; Algemene wet bestuursrecht", "gemeente of provincie, zo nodig na advies van het Landelijk Bureau Bibob", "Eigen onderzoek met vragenformulier; evenredigheid; de betrokkene wordt gehoord bij een voorgenomen negatief besluit.", "ECLI:NL:RVS:2021:1201 (evenredigheid bij weigering); ECLI:NL:RVS:2023:417 (zakelijk samenwerkingsverband)"),
    ("13b-opiumwet", "De burgemeester sluit een woning of lokaal waar drugs worden verkocht, afgeleverd of verstrekt, of daartoe aanwezig zijn (Damocles).", "Opiumwet, art. 13b; gemeentelijk Damoclesbeleid", "burgemeester, op een bestuurlijke rapportage van de politie", "Handelshoeveelheid of verkoop; noodzaak en evenredigheid van de sluiting; bij woningen extra terughoudendheid.", "ECLI:NL:RVS:2022:1389 (evenredigheidstoets bij woningsluiting)"),
    ("174a-gemeentewet", "De burgemeester sluit een woning of lokaal bij verstoring van de openbare orde door gedragingen in of rond het pand; of het college legt een last onder dwangsom, bestuursdwang of een bestuurlijke boete op.", "Gemeentewet, art. 174a en 125; Algemene wet bestuursrecht, titel 5.3 en 5.4", "burgemeester of college van burgemeester en wethouders", "Ernstige vrees voor verstoring van de openbare orde; eerst een waarschuwing tenzij spoed.", "ECLI:NL:RVS:2020:2530 (sluiting na schietincident)"),
    ("stopgesprek", "De burgemeester maakt in een gesprek duidelijk dat activiteiten van een criminele groep niet worden gefaciliteerd, en weigert medewerking aan evenementen en clubhuizen.", "Gemeentewet (openbare orde); Algemene Plaatselijke Verordening", "burgemeester, met politie en RIEC", "Informatie over de groep uit de RIEC-analyse; vastleggen wat is gezegd.", ""),
    ("integrale-controle", "Gemeente, politie en inspecties controleren samen een pand of branche, ieder met de eigen bevoegdheid, en delen wat ze vinden binnen het convenant.", "De eigen bevoegdheid van elke partner; RIEC-convenant voor het delen", "gemeente met inspecties", "Een vooraf gedeeld doel en een verdeling van de bevoegdheden; informatie alleen binnen doelbinding.", ""),
    ("civiel-verbod", "Het Openbaar Ministerie vraagt de rechter een rechtspersoon (zoals een motorclub) te verbieden en te ontbinden omdat haar werkzaamheid in strijd is met de openbare orde.", "Burgerlijk Wetboek, boek 2, art. 20", "Openbaar Ministerie", "Een werkzaamheid die de openbare orde structureel aantast; bewijs uit meerdere bronnen.", "ECLI:NL:HR:2020:2034 (verbod en ontbinding van een motorclub)"),
    ("strafrecht", "Opsporing en vervolging van strafbare feiten, met beslag en ontneming van wederrechtelijk verkregen voordeel (afpakken).", "Wetboek van Strafrecht; Wetboek van Strafvordering, art. 94 en 36e Sr", "politie, Openbaar Ministerie, FIOD, Koninklijke Marechaussee", "Een redelijk vermoeden van een strafbaar feit; de keuze voor het strafrecht in de casusaanpak.", ""),
    ("fiscaal", "De Belastingdienst doet boekenonderzoek, legt navorderingsaanslagen op en vordert in, ook bij onverklaard vermogen.", "Algemene wet inzake rijksbelastingen; Invorderingswet 1990", "Belastingdienst", "Een fiscale aanleiding; informatie alleen binnen de fiscale geheimhoudingsplicht of met een wettelijke grondslag gedeeld.", ""),
    ("terugvordering", "Toeslagen, uitkeringen of bijstand die ten onrechte zijn verstrekt, worden teruggevorderd.", "Algemene wet inkomensafhankelijke regelingen; Participatiewet; Werkloosheidswet", "Belastingdienst/Toeslagen, UWV, gemeente", "Vastgestelde onjuiste of onvolledige gegevens; een individuele afweging.", ""),
    ("vreemdelingenrecht", "Verblijfsrechtelijke maatregelen zoals het intrekken van een verblijfsvergunning of een inreisverbod.", "Vreemdelingenwet 2000", "Immigratie- en Naturalisatiedienst", "Een gevaar voor de openbare orde of onjuiste gegevens bij de aanvraag.", ""),
    ("arbeidsinspectie", "Inspectie van arbeidsomstandigheden, arbeidsmarktfraude en uitbuiting, met boetes en stillegging.", "Arbeidsomstandighedenwet; Wet arbeid vreemdelingen; Wet minimumloon en minimumvakantiebijslag", "Nederlandse Arbeidsinspectie", "Signalen van onderbetaling, illegale tewerkstelling of gevaarlijke omstandigheden.", ""),
    ("douane-nvwa", "Douanecontrole op goederen en geld; inspectie van voedsel- en productveiligheid.", "Algemene douanewet; Warenwet", "Douane; Nederlandse Voedsel- en Warenautoriteit", "Een risicosignaal; controle binnen de eigen bevoegdheid.", ""),
    ("bestuurlijk-signaal", "Een partner wijst via het Landelijk Loket Bestuurlijke Signalen op een zwakte in wet, beleid of uitvoering die criminelen gebruiken, met aanbevelingen voor het ministerie.", "RIEC-LIEC-convenant; werkwijze van het Landelijk Loket", "elke partner, via het LIEC-loket", "Misbruik van een legaal proces; structureel; van landelijk belang.", ""),
];

/// A sheet as the UI and API show it.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub code: String,
    pub name: String,
    pub category: String,
    /// The version shown (`None`: the type has no sheet yet).
    pub shown: Option<SheetRow>,
    /// The newest version number (0: none).
    pub newest: i64,
    /// Every version, newest first.
    pub history: Vec<SheetRow>,
    pub outcomes: Outcomes,
    pub may_edit: bool,
}

/// The outcomes so far of one type, protected. Amounts in cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcomes {
    pub completed: Shown,
    pub stopped: Shown,
    pub finished: Shown,
    pub collected: Shown,
    pub offset: Shown,
    pub seized: Shown,
}

/// A line of the catalogue: (code, name, category, carried out by, has a sheet).
pub type CatalogueLine = (String, String, String, String, bool);

/// What the LIEC writes on a sheet.
#[derive(Debug, Clone, Default)]
pub struct SheetInput {
    pub what: String,
    pub legal_basis: String,
    pub carried_by: String,
    pub conditions: String,
    pub case_law: String,
    pub change_note: String,
    /// The newest version the change is based on (0 for the first).
    pub version: i64,
}

/// A sheet a search found: the type's code and name, and what the intervention is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetHit {
    pub code: String,
    pub name: String,
    pub what: String,
}

/// At most this many sheets beside a search's results.
pub const SHEET_HITS: usize = 3;

/// How many of the query's concepts document `doc` holds, and their score: per concept held the
/// best of its terms' share × weighted frequency, summed.
fn held(wanted: &[Concept], doc: &DocTerms) -> (usize, i64) {
    wanted
        .iter()
        .filter_map(|c| c.terms.iter().filter_map(|(t, share)| doc.frequencies.get(t).map(|tf| i64::from(*share) * i64::from(*tf))).max())
        .fold((0, 0), |(n, s), b| (n + 1, s + b))
}

fn u(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

impl App {
    /// Gives every intervention type the sheet it starts with (once; the LIEC's versions stay).
    pub(crate) async fn load_sheets(&self, tx: &mut Tx) -> Result<(), AppError> {
        let types = case_store::intervention_types(tx).await?;
        let have = store::with_sheet(tx).await?;
        for (code, what, legal_basis, carried_by, conditions, case_law) in SEED {
            if let Some(t) = types.iter().find(|t| t.code == *code && !have.contains(&t.id)) {
                let row = SheetRow {
                    type_id: t.id,
                    version: 1,
                    what: what.to_string(),
                    legal_basis: legal_basis.to_string(),
                    carried_by: carried_by.to_string(),
                    conditions: conditions.to_string(),
                    case_law: case_law.to_string(),
                    change_note: "eerste versie".into(),
                    changed_by: "LIEC".into(),
                    changed_at: self.now(),
                };
                store::add_version(tx, &row).await?;
            }
        }
        Ok(())
    }

    /// The catalogue with which types have a sheet.
    pub async fn intervention_catalogue(&self, ctx: &Ctx) -> Result<(Vec<CatalogueLine>, bool), AppError> {
        let p = ctx.principal()?.clone();
        let mut tx = self.begin_read().await?;
        let types = case_store::intervention_types(&mut tx).await?;
        let have = store::with_sheet(&mut tx).await?;
        commit(tx).await?;
        let lines = types.into_iter().map(|t| (t.code, t.name, t.extra, t.extra2, have.contains(&t.id))).collect();
        Ok((lines, decide(&p, Action::ManageInterventionCatalogue).allowed))
    }

    /// The sheets that hold the words of `text`, analysed as the knowledge search analyses
    /// them (stems, compounds' parts, the editors' synonyms; `corrections` the terms the
    /// knowledge search put in for misspelt words): at most [`SHEET_HITS`], those holding at
    /// least half of the query's words, most words first, then the words' weight (the type's
    /// name counts most), then the name. For every signed-in user, as the catalogue.
    pub async fn matching_sheets(&self, ctx: &Ctx, text: &str, corrections: &[(String, String)]) -> Result<Vec<SheetHit>, AppError> {
        ctx.principal()?;
        let text = text.trim();
        if text.chars().count() > crate::search::MAX_QUERY {
            return Err(Invalid::one("zoek", format!("Zoek met ten hoogste {} tekens.", crate::search::MAX_QUERY)).into());
        }
        let mut tx = self.begin_read().await?;
        let groups: Vec<String> = search_store::synonyms(&mut tx).await?.into_iter().map(|g| g.words).collect();
        let types = case_store::intervention_types(&mut tx).await?;
        let sheets = store::newest(&mut tx).await?;
        commit(tx).await?;
        let lexicon = Lexicon::domain();
        let mut wanted = crate::search::query_concepts(text, &groups);
        for (word, term) in corrections {
            if let Some(c) = wanted.iter_mut().find(|c| c.word == *word) {
                c.add_correction(term, lexicon);
            }
        }
        let mut hits: Vec<(usize, i64, SheetHit)> = Vec::new();
        for s in &sheets {
            let Some(t) = types.iter().find(|t| t.id == s.type_id) else { continue };
            let fields =
                [(t.name.as_str(), 3), (s.what.as_str(), 2), (s.legal_basis.as_str(), 2), (s.carried_by.as_str(), 1), (s.conditions.as_str(), 1), (s.case_law.as_str(), 1)];
            let (n, score) = held(&wanted, &doc_terms(&fields, lexicon));
            if n > 0 && 2 * n >= wanted.len() {
                hits.push((n, score, SheetHit { code: t.code.clone(), name: t.name.clone(), what: s.what.clone() }));
            }
        }
        hits.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then_with(|| a.2.name.cmp(&b.2.name)));
        Ok(hits.into_iter().take(SHEET_HITS).map(|h| h.2).collect())
    }

    /// The sheet of intervention type `code` (version `version`, or the newest), with its
    /// history and outcomes; `NotFound` for an unknown type or version.
    pub async fn intervention_sheet(&self, ctx: &Ctx, code: &str, version: Option<i64>) -> Result<Sheet, AppError> {
        let p = ctx.principal()?.clone();
        let mut tx = self.begin_read().await?;
        let types = case_store::intervention_types(&mut tx).await?;
        let Some(t) = types.iter().find(|t| t.code == code) else {
            commit(tx).await?;
            return Err(AppError::NotFound("interventietype"));
        };
        let history = store::versions(&mut tx, t.id).await?;
        let all = store::outcomes(&mut tx).await?;
        commit(tx).await?;
        let shown = match version {
            None => history.first().cloned(),
            Some(v) => Some(history.iter().find(|h| h.version == v).cloned().ok_or(AppError::NotFound("versie van het interventieblad"))?),
        };
        // One table over every type, protected as a whole: each sheet shows its own row.
        let row_of = types.iter().position(|x| x.id == t.id).unwrap_or(0);
        let outcome = |id: i64| all.iter().find(|o| o.type_id == id).copied().unwrap_or_default();
        let counts = Table { cells: types.iter().map(|x| outcome(x.id)).map(|o| vec![u(o.completed), u(o.stopped)]).collect() };
        let amounts = Table { cells: types.iter().map(|x| outcome(x.id)).map(|o| vec![u(o.collected_cents), u(o.offset_cents), u(o.seized_cents)]).collect() };
        let contributors = Table { cells: types.iter().map(|x| outcome(x.id)).map(|o| vec![u(o.collected_n), u(o.offset_n), u(o.seized_n)]).collect() };
        let policy = self.figures_policy();
        let c = disclosure::protect(&counts, &policy);
        let a = disclosure::protect_amounts(&amounts, &contributors, &policy);
        let cell = |p: &disclosure::Published, j: usize| p.cells.get(row_of).and_then(|r| r.get(j)).copied().unwrap_or(Shown::Value(0));
        let outcomes = Outcomes {
            completed: cell(&c, 0),
            stopped: cell(&c, 1),
            finished: c.row_totals.get(row_of).copied().unwrap_or(Shown::Value(0)),
            collected: cell(&a, 0),
            offset: cell(&a, 1),
            seized: cell(&a, 2),
        };
        Ok(Sheet {
            code: t.code.clone(),
            name: t.name.clone(),
            category: t.extra.clone(),
            newest: history.first().map(|h| h.version).unwrap_or(0),
            shown,
            history,
            outcomes,
            may_edit: decide(&p, Action::ManageInterventionCatalogue).allowed,
        })
    }

    /// Writes a new version of the sheet of type `code` (the LIEC), if nobody wrote one since
    /// `input.version`; the new version number.
    pub async fn save_intervention_sheet(&self, ctx: &Ctx, code: &str, input: &SheetInput) -> Result<i64, AppError> {
        let p = self.authorize(ctx, Action::ManageInterventionCatalogue, &Object::new("interventietype", code)).await?;
        let mut invalid = Invalid::default();
        let what = crate::cases::text(&mut invalid, "wat", &input.what, Some("Beschrijf wat de interventie is."), 4000);
        let legal_basis = crate::cases::text(&mut invalid, "grondslag", &input.legal_basis, Some("Noem de wettelijke grondslag."), 1000);
        let carried_by = crate::cases::text(&mut invalid, "uitvoerder", &input.carried_by, Some("Noem wie de interventie uitvoert."), 500);
        let conditions = crate::cases::text(&mut invalid, "voorwaarden", &input.conditions, None, 4000);
        let case_law = crate::cases::text(&mut invalid, "jurisprudentie", &input.case_law, None, 4000);
        let change_note = crate::cases::text(&mut invalid, "toelichting", &input.change_note, Some("Zeg kort wat u verandert."), 500);
        invalid.into_result()?;
        let mut tx = self.begin().await?;
        let types = case_store::intervention_types(&mut tx).await?;
        let t = types.iter().find(|t| t.code == code).ok_or(AppError::NotFound("interventietype"))?;
        let stale = || AppError::Conflict("Iemand anders heeft dit interventieblad intussen gewijzigd. Laad de pagina opnieuw en breng uw wijziging opnieuw aan.".into());
        let version = input.version.checked_add(1).ok_or_else(stale)?;
        let row = SheetRow { type_id: t.id, version, what, legal_basis, carried_by, conditions, case_law, change_note, changed_by: p.label.clone(), changed_at: self.now() };
        if !store::add_version(&mut tx, &row).await? {
            return Err(stale());
        }
        self.audit(&mut tx, ctx, "interventieblad-gewijzigd", &Object::new("interventietype", t.id), AuditOutcome::Ok, &format!("versie {version}: {}", row.change_note)).await?;
        commit(tx).await?;
        Ok(version)
    }
}

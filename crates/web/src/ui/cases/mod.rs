//! UI of the case files: the list, registering a signal, the case page, every action as its own
//! form page (one generic template), the item page with releases, analysis, print and export.

use super::templates::{Options, Page};
use super::{fail, page, render, render_status, see_other, when, CsrfForm, FormErrors, Signed};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use knooppunt_app::cases::{CaseQuery, InterventionProposal, InterventionUpdate, ItemInput, MeetingInput, RelationInput, SignalRegistration, SubjectAdded};
use knooppunt_app::views::{CaseDetail, CasePermissions, CaseReference, CaseRow, ItemRow, SubjectRow};
use knooppunt_app::AppError;
use knooppunt_domain::case::{
    format_euro, AdviceStatus, CasePhase, CaseStep, Classification, InterventionStatus, RecipientStatus, RelationKind, Reliability, SubjectInput, SubjectKind, TeamRole,
};
use serde::Deserialize;

use super::{all, one, Pairs};

mod analysis;
mod item;
mod layout;
mod list;
mod page;
mod register;
pub use analysis::*;
pub use item::*;
pub use list::*;
pub use page::*;
pub use register::*;

fn num(raw: &str) -> i64 {
    raw.trim().parse().unwrap_or(-1)
}

fn parse_id(raw: &str, what: &'static str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::NotFound(what))
}

fn label<T: Copy>(parse: impl Fn(&str) -> Result<T, String>, label: impl Fn(T) -> &'static str, code: &str) -> String {
    parse(code).map(|x| label(x).to_string()).unwrap_or_else(|_| code.to_string())
}

fn phase_label(code: &str) -> String {
    label(CasePhase::parse, CasePhase::label, code)
}

fn day(ms: i64) -> String {
    crate::ui::labels::day(ms)
}

fn flash(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "geregistreerd" => "Het signaal is geregistreerd. Het RIEC weegt het.",
        "stap" => "De stap is vastgelegd.",
        "toegelaten" => "De partner is toegelaten.",
        "verwijderd" => "De partner neemt niet meer deel.",
        "team" => "De teamrol is toegewezen.",
        "betrokkene" => "De betrokkene is toegevoegd.",
        "relatie" => "De relatie is toegevoegd.",
        "gewijzigd" => "De wijziging is opgeslagen.",
        "bijdrage" => "De informatiebijdrage is opgeslagen. Alleen het casusteam en uw organisatie zien haar tot u vrijgeeft.",
        "vrijgegeven" => "De bijdrage is vrijgegeven.",
        "ingetrokken" => "De vrijgave is ingetrokken.",
        "bijdrage-ingetrokken" => "De bijdrage is ingetrokken. Alle vrijgaven zijn beëindigd.",
        "bijlage" => "De bijlage is toegevoegd.",
        "uitvraag" => "De uitvraag is verstuurd.",
        "afgehandeld" => "Uw antwoord op de uitvraag is vastgelegd.",
        "advies" => "De nieuwe versie van het advies is opgeslagen.",
        "goedgekeurd" => "Het advies is goedgekeurd.",
        "interventie" => "De interventie is opgeslagen.",
        "overleg" => "Het overleg is vastgelegd.",
        _ => return None,
    })
}

#[derive(Deserialize, Default)]
pub struct Notice {
    melding: Option<String>,
    /// Pages of the case page's long lists (from 1).
    betrokkenen: Option<String>,
    bijdragen: Option<String>,
    geschiedenis: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// The generic form page

/// One field of a form page. `kind`: text, date, search, textarea, select, checkboxes,
/// checkbox, heading.
pub struct Field {
    pub kind: &'static str,
    pub name: String,
    pub label: String,
    pub hint: String,
    pub value: String,
    pub options: Options,
    pub selected: Vec<String>,
}

impl Field {
    fn new(kind: &'static str, name: &str, label: &str) -> Self {
        Self { kind, name: name.into(), label: label.into(), hint: String::new(), value: String::new(), options: Vec::new(), selected: Vec::new() }
    }
    fn hint(mut self, h: &str) -> Self {
        self.hint = h.into();
        self
    }
    fn options(mut self, o: Options) -> Self {
        self.options = o;
        self
    }
}

#[derive(Template)]
#[template(path = "case_form.html")]
pub struct FormPage {
    pub page: Page,
    pub errors: FormErrors,
    pub heading: String,
    pub context: String,
    pub intro: Vec<String>,
    pub warning: Option<String>,
    pub existing: Vec<String>,
    pub action: String,
    pub hidden: Vec<(String, String)>,
    pub fields: Vec<Field>,
    pub submit: String,
    pub back: String,
}

/// What a form page is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Step(CaseStep),
    Admit,
    Remove(i64),
    Team,
    Subject,
    Relation,
    Item,
    EditItem(i64),
    Request,
    Answer(i64),
    Decline(i64),
    Advice,
    Intervention,
    UpdateIntervention(i64),
    Meeting,
}

/// The names of a case's (current and former) participants by organisation id.
fn participant_names(d: &CaseDetail) -> std::collections::HashMap<i64, String> {
    d.participants.iter().map(|x| (x.organisation_id, x.organisation_name.clone())).collect()
}

fn coded<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str, label: impl Fn(T) -> &'static str, empty: Option<&str>) -> Options {
    let mut v: Options = empty.map(|e| vec![(String::new(), e.to_string())]).unwrap_or_default();
    v.extend(all.iter().map(|x| (code(*x).to_string(), label(*x).to_string())));
    v
}

fn item_fields(r: &CaseReference) -> Vec<Field> {
    vec![
        Field::new("text", "titel", "Titel"),
        Field::new("textarea", "inhoud", "Inhoud").hint("Wat uw organisatie weet, zo feitelijk mogelijk."),
        Field::new("select", "grondslag", "Grondslag")
            .options(std::iter::once((String::new(), "Kies de grondslag".to_string())).chain(r.legal_bases.iter().map(|b| (b.code.clone(), b.name.clone()))).collect()),
        Field::new("select", "doel", "Doel (doelbinding)")
            .options(std::iter::once((String::new(), "Kies het doel".to_string())).chain(r.purposes.iter().map(|b| (b.code.clone(), b.name.clone()))).collect()),
        Field::new("date", "datum", "Datum van de informatie").hint("Standaard vandaag."),
        Field::new("select", "betrouwbaarheid", "Betrouwbaarheid").options(coded(Reliability::ALL, Reliability::code, Reliability::label, Some("Kies de betrouwbaarheid"))),
        Field::new("select", "rubricering", "Rubricering").options(coded(Classification::ALL, Classification::code, Classification::label, Some("Kies de rubricering"))),
        Field::new("textarea", "voorwaarden", "Voorwaarden voor verder delen").hint("Bijvoorbeeld: niet gebruiken als bewijs zonder overleg met de politie."),
    ]
}

fn item_input(p: &Pairs) -> ItemInput {
    ItemInput {
        title: one(p, "titel"),
        body: one(p, "inhoud"),
        legal_basis: one(p, "grondslag"),
        purpose: one(p, "doel"),
        info_date: one(p, "datum"),
        reliability: one(p, "betrouwbaarheid"),
        classification: one(p, "rubricering"),
        sharing_conditions: one(p, "voorwaarden"),
    }
}

fn subject_input(p: &Pairs) -> SubjectInput {
    SubjectInput {
        kind: one(p, "soort"),
        first_names: one(p, "voornamen"),
        prefix: one(p, "voorvoegsel"),
        surname: one(p, "geslachtsnaam"),
        birth_date: one(p, "geboortedatum"),
        bsn: one(p, "bsn"),
        company_name: one(p, "naam"),
        legal_form: one(p, "rechtsvorm"),
        kvk: one(p, "kvk"),
        rsin: one(p, "rsin"),
        street: one(p, "straat"),
        postcode: one(p, "postcode"),
        house_number: one(p, "huisnummer"),
        city: one(p, "plaats"),
        bag_id: one(p, "bagId"),
        licence_plate: one(p, "kenteken"),
        iban: one(p, "iban"),
        note: one(p, "toelichting"),
    }
}

fn participants_options(d: &CaseDetail, empty: &str) -> Options {
    let mut v = vec![(String::new(), empty.to_string())];
    v.extend(d.participants.iter().filter(|p| p.removed_at.is_none()).map(|p| (p.organisation_id.to_string(), p.organisation_name.clone())));
    v
}

/// Title, intro, fields and submit label of an action's form.
fn form_spec(act: Act, d: &CaseDetail, r: &CaseReference) -> Result<(String, Vec<String>, Vec<Field>, String), AppError> {
    let c = &d.case;
    Ok(match act {
        Act::Step(step) => {
            let (label, hint) = match step {
                CaseStep::Close => ("Evaluatie", "Resultaten (besluiten, bedragen, gesloten panden) en lessen. Lessen kunnen een bestuurlijk signaal of kennis worden."),
                CaseStep::Reject => ("Reden van de afwijzing", "Bijvoorbeeld: valt buiten de convenantsdoelen of de regionale prioriteiten."),
                CaseStep::StartWeighing => ("Toelichting (niet verplicht)", ""),
                _ => ("Reden van het besluit", "Waarom past dit signaal in het convenant en de regionale prioriteiten?"),
            };
            (step.label().to_string(), vec![format!("Van fase {} naar {}.", phase_label(&c.phase).to_lowercase(), step.target(CasePhase::parse(&c.phase).map_err(AppError::Internal)?).map(|p| p.label().to_lowercase()).unwrap_or_default())], vec![Field::new("textarea", "toelichting", label).hint(hint)], step.label().to_string())
        }
        Act::Admit => {
            let admitted: Vec<i64> = d.participants.iter().filter(|p| p.removed_at.is_none()).map(|p| p.organisation_id).collect();
            let mut orgs: Options = vec![(String::new(), "Kies een organisatie".into())];
            orgs.extend(r.organisations.iter().filter(|o| !admitted.contains(&o.id)).map(|o| (o.id.to_string(), o.name.clone())));
            (
                "Partner toelaten".into(),
                vec!["Een toegelaten partner ziet de casus, de betrokkenen en wat andere partners aan hem vrijgeven. Leg vast waarom hij dit moet weten.".into()],
                vec![Field::new("select", "organisatie", "Organisatie").options(orgs), Field::new("textarea", "reden", "Reden (need-to-know)")],
                "Toelaten".into(),
            )
        }
        Act::Remove(org) => {
            let name = participant_names(d).remove(&org).ok_or(AppError::NotFound("deelnemer"))?;
            (format!("{name} verwijderen"), vec!["De organisatie ziet de casus direct niet meer.".into()], vec![Field::new("textarea", "reden", "Reden")], "Verwijderen".into())
        }
        Act::Team => (
            "Teamrol toewijzen".into(),
            vec![],
            vec![Field::new("text", "gebruiker", "Gebruikersnaam").hint("Een medewerker van het RIEC-bureau van deze regio."), Field::new("select", "rol", "Rol").options(coded(TeamRole::ALL, TeamRole::code, TeamRole::label, Some("Kies een rol")))],
            "Toewijzen".into(),
        ),
        Act::Subject => (
            "Betrokkene toevoegen".into(),
            vec!["Kies de soort en vul de velden van die soort in; andere velden worden genegeerd. Bij een persoon of onderneming mag u ook het (woon- of vestigings)adres invullen: dat helpt bij het vinden van treffers in andere regio's.".into()],
            vec![
                Field::new("select", "soort", "Soort").options(coded(SubjectKind::ALL, SubjectKind::code, SubjectKind::label, Some("Kies de soort"))),
                Field::new("heading", "", "Natuurlijk persoon"),
                Field::new("text", "voornamen", "Voornamen"),
                Field::new("text", "voorvoegsel", "Voorvoegsel").hint("Bijvoorbeeld: van der, de, in 't."),
                Field::new("text", "geslachtsnaam", "Geslachtsnaam"),
                Field::new("date", "geboortedatum", "Geboortedatum"),
                Field::new("text", "bsn", "BSN").hint("Negen cijfers; wordt gecontroleerd met de elfproef."),
                Field::new("heading", "", "Rechtspersoon of onderneming"),
                Field::new("text", "naam", "Naam"),
                Field::new("text", "rechtsvorm", "Rechtsvorm").hint("Bijvoorbeeld: B.V., V.O.F., stichting."),
                Field::new("text", "kvk", "KvK-nummer"),
                Field::new("text", "rsin", "RSIN"),
                Field::new("heading", "", "Adres of pand (ook woon- of vestigingsadres)"),
                Field::new("text", "straat", "Straat"),
                Field::new("text", "postcode", "Postcode").hint("Bijvoorbeeld: 5611 AB."),
                Field::new("text", "huisnummer", "Huisnummer met toevoeging"),
                Field::new("text", "plaats", "Plaats"),
                Field::new("text", "bagId", "BAG-id").hint("16 cijfers."),
                Field::new("heading", "", "Voertuig en bankrekening"),
                Field::new("text", "kenteken", "Kenteken"),
                Field::new("text", "iban", "IBAN"),
                Field::new("textarea", "toelichting", "Toelichting"),
            ],
            "Toevoegen".into(),
        ),
        Act::Relation => {
            let mut subjects: Options = vec![(String::new(), "Kies een betrokkene".into())];
            subjects.extend(d.subjects.iter().map(|s| (s.id.to_string(), s.display_name.clone())));
            (
                "Relatie toevoegen".into(),
                vec![],
                vec![
                    Field::new("select", "van", "Van").options(subjects.clone()),
                    Field::new("select", "soort", "Relatie").options(coded(RelationKind::ALL, RelationKind::code, RelationKind::label, Some("Kies de relatie"))),
                    Field::new("select", "naar", "Naar").options(subjects),
                    Field::new("date", "vanaf", "Vanaf"),
                    Field::new("date", "tot", "Tot"),
                ],
                "Toevoegen".into(),
            )
        }
        Act::Item => ("Informatie bijdragen".into(), vec!["Uw organisatie blijft leverancier: alleen het RIEC-casusteam en uw organisatie zien de bijdrage, tot u haar vrijgeeft aan andere deelnemers.".into()], item_fields(r), "Opslaan".into()),
        Act::EditItem(iid) => {
            let it = &d.items.iter().find(|x| x.item.id == iid).ok_or(AppError::NotFound("informatiebijdrage"))?.item;
            let mut f = item_fields(r);
            for x in &mut f {
                x.value = match x.name.as_str() {
                    "titel" => it.title.clone(),
                    "inhoud" => it.body.clone(),
                    "grondslag" => it.legal_basis.clone(),
                    "doel" => it.purpose.clone(),
                    "datum" => it.info_date.clone(),
                    "betrouwbaarheid" => it.reliability.clone(),
                    "rubricering" => it.classification.clone(),
                    "voorwaarden" => it.sharing_conditions.clone(),
                    _ => String::new(),
                };
            }
            (format!("Bewerken: {}", it.title), vec!["Als iemand anders de bijdrage intussen wijzigde, gaat uw wijziging niet verloren maar krijgt u een melding.".into()], f, "Wijzigingen opslaan".into())
        }
        Act::Request => {
            let mut recipients = participants_options(d, "");
            recipients.remove(0);
            (
                "Uitvraag versturen".into(),
                vec!["De partners zien alleen hun eigen deel van de uitvraag; hun antwoord wordt een informatiebijdrage van henzelf.".into()],
                vec![Field::new("textarea", "vragen", "Vragen"), Field::new("date", "termijn", "Termijn"), Field::new("checkboxes", "partners", "Aan").options(recipients)],
                "Versturen".into(),
            )
        }
        Act::Answer(rid) => {
            let q = d.requests.iter().find(|x| x.id == rid).ok_or(AppError::NotFound("uitvraag"))?;
            (format!("Uitvraag {rid} beantwoorden"), vec![format!("Vragen: {}", q.questions), format!("Termijn: {}.", crate::ui::labels::iso_day(&q.deadline))], item_fields(r), "Antwoord opslaan".into())
        }
        Act::Decline(rid) => {
            let q = d.requests.iter().find(|x| x.id == rid).ok_or(AppError::NotFound("uitvraag"))?;
            (format!("Uitvraag {rid} weigeren"), vec![format!("Vragen: {}", q.questions)], vec![Field::new("textarea", "reden", "Reden")], "Weigeren".into())
        }
        Act::Advice => {
            let last = d.advice.first();
            let mut f = vec![Field::new("textarea", "bevindingen", "Bevindingen"), Field::new("textarea", "voorstellen", "Voorgestelde interventies per partner")];
            if let Some(a) = last {
                f[0].value = a.findings.clone();
                f[1].value = a.proposals.clone();
            }
            ("Integraal interventieadvies".into(), vec!["Elke keer opslaan maakt een nieuwe versie; de RIEC-manager keurt de nieuwste versie goed.".into()], f, "Versie opslaan".into())
        }
        Act::Intervention => {
            let mut types: Options = vec![(String::new(), "Kies uit de catalogus".into())];
            types.extend(r.intervention_types.iter().map(|t| (t.code.clone(), format!("{} ({}; {})", t.name, t.extra, t.extra2))));
            (
                "Interventie voorstellen".into(),
                vec!["Het platform legt besluiten vast; de partner voert de interventie uit met zijn eigen bevoegdheden.".into()],
                vec![
                    Field::new("select", "soort", "Interventie").options(types),
                    Field::new("select", "partner", "Uitvoerende partner").options(participants_options(d, "Kies de partner")),
                    Field::new("text", "bevoegdheid", "Wettelijke bevoegdheid").hint("Bijvoorbeeld: art. 13b Opiumwet."),
                    Field::new("select", "barriere", "Barrière die de interventie opwerpt (optioneel)").options(barrier_options(d)).hint(
                        "Uit de gepubliceerde barrièremodellen van het Kennisplatform; zo wordt zichtbaar welke barrières in de praktijk worden opgeworpen.",
                    ),
                    Field::new("textarea", "toelichting", "Toelichting"),
                ],
                "Voorstellen".into(),
            )
        }
        Act::UpdateIntervention(vid) => {
            let v = d.interventions.iter().find(|x| x.id == vid).ok_or(AppError::NotFound("interventie"))?;
            let from = InterventionStatus::parse(&v.status).map_err(AppError::Internal)?;
            let mut statuses: Options = vec![(v.status.clone(), format!("{} (ongewijzigd)", from.label()))];
            statuses.extend(InterventionStatus::ALL.iter().filter(|s| from.can_move_to(**s)).map(|s| (s.code().to_string(), s.label().to_string())));
            let euro = |c: Option<i64>| c.map(|c| format_euro(c).trim_start_matches("€ ").to_string()).unwrap_or_default();
            let mut f = vec![
                Field::new("select", "status", "Status").options(statuses),
                Field::new("text", "besluit", "Besluit").hint("Bijvoorbeeld: vergunning geweigerd, pand gesloten."),
                Field::new("date", "besluitdatum", "Datum van het besluit"),
                Field::new("text", "geind", "Geïnd (euro)").hint("Bijvoorbeeld: 12.500,00."),
                Field::new("text", "verrekend", "Verrekend (euro)"),
                Field::new("text", "beslagen", "In beslag genomen (euro)"),
                Field::new("date", "einddatum", "Datum afgerond of gestopt"),
                Field::new("textarea", "redenGestopt", "Reden (alleen bij stoppen)"),
                Field::new("textarea", "escalatie", "Escaleren naar de stuurgroep: reden").hint("Alleen invullen als de interventie vastloopt."),
            ];
            f[0].value = v.status.clone();
            f[1].value = v.decision.clone();
            f[2].value = v.decision_date.clone();
            f[3].value = euro(v.collected_cents);
            f[4].value = euro(v.offset_cents);
            f[5].value = euro(v.seized_cents);
            f[6].value = v.completed_date.clone();
            (format!("{}: {}", v.type_name, v.organisation_name), vec![format!("Huidige status: {}.", from.label())], f, "Opslaan".into())
        }
        Act::Meeting => {
            let options: Options = d.interventions.iter().map(|v| (v.id.to_string(), format!("{} ({})", v.type_name, v.organisation_name))).collect();
            let mut f = vec![Field::new("date", "datum", "Datum"), Field::new("textarea", "aanwezigen", "Aanwezigen"), Field::new("textarea", "agenda", "Agenda"), Field::new("textarea", "besluiten", "Besluiten")];
            if !options.is_empty() {
                f.push(Field::new("checkboxes", "interventies", "Besluiten over interventies").options(options));
            }
            ("Integraal overleg vastleggen".into(), vec![], f, "Vastleggen".into())
        }
    })
}

/// The barriers an intervention may name, as "model — step n title: barrier (type)".
fn barrier_options(d: &CaseDetail) -> Options {
    let mut o: Options = vec![(String::new(), "Geen barrière".into())];
    o.extend(d.barriers.iter().map(|b| (b.id.to_string(), format!("{} — stap {} {}: {} ({})", b.model_title, b.step_position, b.step_title, b.description, b.intervention_type))));
    o
}

fn action_url(id: i64, act: Act) -> String {
    match act {
        Act::Step(s) => format!("/casussen/{id}/stap/{}", s.code()),
        Act::Admit => format!("/casussen/{id}/deelnemers/toelaten"),
        Act::Remove(org) => format!("/casussen/{id}/deelnemers/{org}/verwijderen"),
        Act::Team => format!("/casussen/{id}/team/toevoegen"),
        Act::Subject => format!("/casussen/{id}/betrokkenen/nieuw"),
        Act::Relation => format!("/casussen/{id}/relaties/nieuw"),
        Act::Item => format!("/casussen/{id}/informatie/nieuw"),
        Act::EditItem(i) => format!("/casussen/{id}/informatie/{i}/bewerken"),
        Act::Request => format!("/casussen/{id}/uitvragen/nieuw"),
        Act::Answer(r) => format!("/casussen/{id}/uitvragen/{r}/beantwoorden"),
        Act::Decline(r) => format!("/casussen/{id}/uitvragen/{r}/weigeren"),
        Act::Advice => format!("/casussen/{id}/advies/nieuw"),
        Act::Intervention => format!("/casussen/{id}/interventies/nieuw"),
        Act::UpdateIntervention(v) => format!("/casussen/{id}/interventies/{v}"),
        Act::Meeting => format!("/casussen/{id}/overleggen/nieuw"),
    }
}

struct FormState<'a> {
    errors: FormErrors,
    values: Option<&'a Pairs>,
    warning: Option<(String, Vec<String>)>,
    status: StatusCode,
}

async fn form_page(s: &AppState, rc: &RequestCtx, id: i64, act: Act, st: FormState<'_>) -> Response {
    let d = match s.app.case(&rc.ctx, id).await {
        Ok(d) => d,
        Err(e) => return fail(s, rc, e),
    };
    if let Err(e) = allowed_here(&d, act) {
        return fail(s, rc, e);
    }
    let r = match s.app.case_reference(&rc.ctx).await {
        Ok(r) => r,
        Err(e) => return fail(s, rc, e),
    };
    let (heading, intro, mut fields, submit) = match form_spec(act, &d, &r) {
        Ok(x) => x,
        Err(e) => return fail(s, rc, e),
    };
    if let Some(values) = st.values {
        for f in &mut fields {
            if f.kind == "checkboxes" {
                f.selected = all(values, &f.name);
            } else if f.kind != "heading" {
                f.value = one(values, &f.name);
            }
        }
    }
    let mut hidden = vec![("versie".to_string(), d.case.version.to_string())];
    if let Act::UpdateIntervention(v) = act {
        hidden[0].1 = d.interventions.iter().find(|x| x.id == v).map(|x| x.version).unwrap_or(0).to_string();
    }
    if let Act::EditItem(i) = act {
        hidden[0].1 = d.items.iter().find(|x| x.item.id == i).map(|x| x.item.version).unwrap_or(0).to_string();
    }
    let (warning, existing) = match st.warning {
        Some((w, list)) => {
            fields.push(Field::new("checkbox", "ookAlsDubbel", "Toch toevoegen als nieuwe betrokkene"));
            (Some(w), list)
        }
        None => (None, Vec::new()),
    };
    render_status(
        st.status,
        &FormPage {
            page: page(s, rc, &heading, "/casussen", None),
            errors: st.errors,
            context: format!("Casus {}: {}", d.case.reference, d.case.title),
            heading,
            intro,
            warning,
            existing,
            action: action_url(id, act),
            hidden,
            fields,
            submit,
            back: format!("/casussen/{id}"),
        },
    )
}

/// Shows a form only to those who may use it (the use case checks again on submit).
fn allowed_here(d: &CaseDetail, act: Act) -> Result<(), AppError> {
    if let Act::EditItem(i) = act {
        // An item the principal cannot see does not exist for it.
        if !d.items.iter().any(|x| x.item.id == i) {
            return Err(AppError::NotFound("informatiebijdrage"));
        }
    }
    let can = &d.can;
    let ok = match act {
        Act::Step(s) => d.steps.contains(&s),
        Act::Admit | Act::Remove(_) | Act::Team => can.manage,
        Act::Subject | Act::Relation => can.add_subject,
        Act::Item => can.add_item,
        Act::EditItem(i) => d.items.iter().any(|x| x.item.id == i && x.can_edit),
        Act::Request => can.request,
        Act::Answer(r) | Act::Decline(r) => d.answerable.contains(&r),
        Act::Advice => can.draft_advice,
        Act::Intervention | Act::Meeting => can.coordinate,
        Act::UpdateIntervention(v) => d.updatable.contains(&v),
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::Forbidden("deze actie is nu niet voor u beschikbaar"))
    }
}

async fn submit(s: &AppState, rc: &RequestCtx, id: i64, act: Act, p: &Pairs) -> Result<String, AppError> {
    let app = &s.app;
    let ctx = &rc.ctx;
    let back = |m: &str| format!("/casussen/{id}?melding={m}");
    Ok(match act {
        Act::Step(step) => {
            app.case_step(ctx, id, step.code(), &one(p, "toelichting"), num(&one(p, "versie"))).await?;
            back("stap")
        }
        Act::Admit => {
            app.admit_participant(ctx, id, num(&one(p, "organisatie")), &one(p, "reden")).await?;
            back("toegelaten")
        }
        Act::Remove(org) => {
            app.remove_participant(ctx, id, org, &one(p, "reden")).await?;
            back("verwijderd")
        }
        Act::Team => {
            app.assign_team_member(ctx, id, &one(p, "gebruiker"), &one(p, "rol")).await?;
            back("team")
        }
        Act::Subject => match app.add_subject(ctx, id, &subject_input(p), one(p, "ookAlsDubbel") == "ja").await? {
            SubjectAdded::Added(_) => back("betrokkene"),
            SubjectAdded::PossibleDuplicate(list) => return Err(AppError::Conflict(duplicate_marker(&list))),
        },
        Act::Relation => {
            let r = RelationInput { from: num(&one(p, "van")), to: num(&one(p, "naar")), kind: one(p, "soort"), valid_from: one(p, "vanaf"), valid_to: one(p, "tot") };
            app.add_relation(ctx, id, &r).await?;
            back("relatie")
        }
        Act::Item => {
            let iid = app.add_item(ctx, id, &item_input(p)).await?;
            format!("/casussen/{id}/informatie/{iid}?melding=bijdrage")
        }
        Act::EditItem(iid) => {
            app.update_item(ctx, id, iid, &item_input(p), num(&one(p, "versie"))).await?;
            format!("/casussen/{id}/informatie/{iid}?melding=gewijzigd")
        }
        Act::Request => {
            let orgs: Vec<i64> = all(p, "partners").iter().map(|x| num(x)).collect();
            app.create_request(ctx, id, &one(p, "vragen"), &one(p, "termijn"), &orgs).await?;
            back("uitvraag")
        }
        Act::Answer(rid) => {
            app.answer_request(ctx, id, rid, Some(&item_input(p)), "").await?;
            back("afgehandeld")
        }
        Act::Decline(rid) => {
            app.answer_request(ctx, id, rid, None, &one(p, "reden")).await?;
            back("afgehandeld")
        }
        Act::Advice => {
            app.draft_advice(ctx, id, &one(p, "bevindingen"), &one(p, "voorstellen")).await?;
            back("advies")
        }
        Act::Intervention => {
            let barrier = match one(p, "barriere").trim() {
                "" => None,
                raw => Some(raw.parse().unwrap_or(-1)),
            };
            let v =
                InterventionProposal { kind: one(p, "soort"), organisation_id: num(&one(p, "partner")), legal_power: one(p, "bevoegdheid"), note: one(p, "toelichting"), barrier };
            app.propose_intervention(ctx, id, &v).await?;
            back("interventie")
        }
        Act::UpdateIntervention(vid) => {
            let u = InterventionUpdate {
                status: one(p, "status"),
                decision: one(p, "besluit"),
                collected: one(p, "geind"),
                offset: one(p, "verrekend"),
                seized: one(p, "beslagen"),
                decision_date: one(p, "besluitdatum"),
                completed_date: one(p, "einddatum"),
                stop_reason: one(p, "redenGestopt"),
                escalation_reason: one(p, "escalatie"),
            };
            app.update_intervention(ctx, id, vid, &u, num(&one(p, "versie"))).await?;
            back("interventie")
        }
        Act::Meeting => {
            let m = MeetingInput {
                held_on: one(p, "datum"),
                attendees: one(p, "aanwezigen"),
                agenda: one(p, "agenda"),
                decisions: one(p, "besluiten"),
                interventions: all(p, "interventies").iter().map(|x| num(x)).collect(),
            };
            app.record_meeting(ctx, id, &m).await?;
            back("overleg")
        }
    })
}

const DUPLICATE: &str = "\u{1}dubbel\u{1}";

/// A possible duplicate travels as a marked conflict from `submit` to the form page.
fn duplicate_marker(list: &[SubjectRow]) -> String {
    let mut s = DUPLICATE.to_string();
    s.push_str(&list.iter().map(|x| format!("{} ({})", x.display_name, kind_label(&x.kind))).collect::<Vec<_>>().join("\u{1}"));
    s
}

async fn act_get(s: AppState, rc: RequestCtx, raw: &str, act: Act) -> Response {
    match parse_id(raw, "casus") {
        Ok(id) => form_page(&s, &rc, id, act, FormState { errors: FormErrors::default(), values: None, warning: None, status: StatusCode::OK }).await,
        Err(e) => fail(&s, &rc, e),
    }
}

async fn act_post(s: AppState, rc: RequestCtx, raw: &str, act: Act, p: Pairs) -> Response {
    let id = match parse_id(raw, "casus") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match submit(&s, &rc, id, act, &p).await {
        Ok(to) => see_other(&to),
        Err(AppError::Conflict(m)) if m.starts_with(DUPLICATE) => {
            let list = m.trim_start_matches(DUPLICATE).split('\u{1}').map(String::from).collect();
            let w = Some(("Deze casus heeft al een betrokkene met dezelfde identificatie of naam. Gebruik de bestaande, of voeg toch een nieuwe toe.".to_string(), list));
            form_page(&s, &rc, id, act, FormState { errors: FormErrors::default(), values: Some(&p), warning: w, status: StatusCode::CONFLICT }).await
        }
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => form_page(&s, &rc, id, act, FormState { errors, values: Some(&p), warning: None, status: StatusCode::BAD_REQUEST }).await,
            None => fail(&s, &rc, e),
        },
    }
}

macro_rules! action_routes {
    ($($get:ident, $post:ident, $path:ty, |$raw:ident| $id:expr, $act:expr;)+) => {$(
        pub async fn $get(State(s): State<AppState>, Signed { rc, .. }: Signed, Path($raw): Path<$path>) -> Response {
            let (raw_id, act): (String, Result<Act, AppError>) = ($id, $act);
            match act {
                Ok(act) => act_get(s, rc, &raw_id, act).await,
                Err(e) => fail(&s, &rc, e),
            }
        }
        pub async fn $post(State(s): State<AppState>, Signed { rc, .. }: Signed, Path($raw): Path<$path>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
            let (raw_id, act): (String, Result<Act, AppError>) = ($id, $act);
            match act {
                Ok(act) => act_post(s, rc, &raw_id, act, p).await,
                Err(e) => fail(&s, &rc, e),
            }
        }
    )+};
}

fn step_of(code: &str) -> Result<Act, AppError> {
    CaseStep::parse(code).map(Act::Step).map_err(|_| AppError::NotFound("stap"))
}

action_routes! {
    step_form, step_post, (String, String), |raw| raw.0.clone(), step_of(&raw.1);
    admit_form, admit_post, String, |raw| raw.clone(), Ok(Act::Admit);
    remove_form, remove_post, (String, String), |raw| raw.0.clone(), parse_id(&raw.1, "deelnemer").map(Act::Remove);
    team_form, team_post, String, |raw| raw.clone(), Ok(Act::Team);
    subject_form, subject_post, String, |raw| raw.clone(), Ok(Act::Subject);
    relation_form, relation_post, String, |raw| raw.clone(), Ok(Act::Relation);
    item_form, item_post, String, |raw| raw.clone(), Ok(Act::Item);
    item_edit_form, item_edit_post, (String, String), |raw| raw.0.clone(), parse_id(&raw.1, "informatiebijdrage").map(Act::EditItem);
    request_form, request_post, String, |raw| raw.clone(), Ok(Act::Request);
    answer_form, answer_post, (String, String), |raw| raw.0.clone(), parse_id(&raw.1, "uitvraag").map(Act::Answer);
    decline_form, decline_post, (String, String), |raw| raw.0.clone(), parse_id(&raw.1, "uitvraag").map(Act::Decline);
    advice_form, advice_post, String, |raw| raw.clone(), Ok(Act::Advice);
    intervention_form, intervention_post, String, |raw| raw.clone(), Ok(Act::Intervention);
    update_intervention_form, update_intervention_post, (String, String), |raw| raw.0.clone(), parse_id(&raw.1, "interventie").map(Act::UpdateIntervention);
    meeting_form, meeting_post, String, |raw| raw.clone(), Ok(Act::Meeting);
}

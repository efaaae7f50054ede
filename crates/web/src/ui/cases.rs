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
use knooppunt_app::cases::{CaseQuery, InterventionUpdate, ItemInput, MeetingInput, RelationInput, SignalRegistration, SubjectAdded};
use knooppunt_app::views::{CaseDetail, CasePermissions, CaseReference, CaseRow, ItemRow, SubjectRow};
use knooppunt_app::AppError;
use knooppunt_domain::case::{
    format_euro, AdviceStatus, CasePhase, CaseStep, Classification, InterventionStatus, RecipientStatus, RelationKind, Reliability, SubjectInput, SubjectKind, TeamRole,
};
use serde::Deserialize;

type Pairs = Vec<(String, String)>;

fn one(p: &Pairs, key: &str) -> String {
    p.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default()
}

fn all(p: &Pairs, key: &str) -> Vec<String> {
    p.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect()
}

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
    super::labels::day(ms)
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
            let name = d.participants.iter().find(|x| x.organisation_id == org).map(|x| x.organisation_name.clone()).ok_or(AppError::NotFound("deelnemer"))?;
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
            (format!("Uitvraag {rid} beantwoorden"), vec![format!("Vragen: {}", q.questions), format!("Termijn: {}.", q.deadline)], item_fields(r), "Antwoord opslaan".into())
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
            app.propose_intervention(ctx, id, &one(p, "soort"), num(&one(p, "partner")), &one(p, "bevoegdheid"), &one(p, "toelichting")).await?;
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

// ---------------------------------------------------------------------------------------------
// Registering a signal

fn register_fields(r: &CaseReference, municipalities: Options, regions: Options, values: Option<&Pairs>) -> Vec<Field> {
    let mut phenomena = Field::new("checkboxes", "fenomenen", "Fenomenen").options(r.phenomena.iter().map(|x| (x.code.clone(), x.name.clone())).collect());
    let mut f = vec![
        Field::new("text", "titel", "Titel").hint("Kort en zonder namen, bijvoorbeeld: nagelstudio met veel contante omzet."),
        Field::new("textarea", "omschrijving", "Omschrijving").hint("Wat is er waargenomen, door wie, wanneer?"),
        Field::new("select", "gemeente", "Gemeente").options(municipalities).hint("De regio volgt uit de gemeente."),
    ];
    let mut region = Field::new("select", "regio", "Andere regio voert de casus (niet verplicht)").options(regions);
    let mut reason = Field::new("textarea", "regioReden", "Reden voor de andere regio").hint("Alleen invullen als u een andere regio kiest.");
    if let Some(v) = values {
        for x in &mut f {
            x.value = one(v, &x.name);
        }
        phenomena.selected = all(v, "fenomenen");
        region.value = one(v, "regio");
        reason.value = one(v, "regioReden");
    }
    f.push(phenomena);
    f.push(region);
    f.push(reason);
    f
}

/// The registration form; a fresh one (`values` is `None`) has the municipality of the user's
/// own organisation chosen, when that organisation is a municipality.
async fn register_page(s: &AppState, rc: &RequestCtx, errors: FormErrors, values: Option<&Pairs>, status: StatusCode) -> Response {
    let r = match s.app.case_reference(&rc.ctx).await {
        Ok(r) => r,
        Err(e) => return fail(s, rc, e),
    };
    let munis = match s.app.list_municipalities(&rc.ctx, None, None).await {
        Ok(m) => m,
        Err(e) => return fail(s, rc, e),
    };
    let mut options: Options = vec![(String::new(), "Kies de gemeente".into())];
    options.extend(munis.iter().map(|m| (m.cbs_code.clone(), format!("{} ({})", m.name, m.region_name))));
    let own_municipality = match (values, rc.ctx.principal.as_ref().and_then(|p| p.organisation_id)) {
        (None, Some(org)) => s.app.organisation(&rc.ctx, org).await.ok().and_then(|o| o.municipality_id).and_then(|id| munis.iter().find(|m| m.id == id)),
        _ => None,
    };
    let preset: Pairs = own_municipality.map(|m| vec![("gemeente".to_string(), m.cbs_code.clone())]).unwrap_or_default();
    let values = values.or(Some(&preset));
    let mut regions: Options = vec![(String::new(), "De regio van de gemeente".into())];
    regions.extend(s.app.list_regions(&rc.ctx).await.unwrap_or_default().into_iter().filter(|r| r.kind == "riec" && r.merged_into_id.is_none()).map(|r| (r.code, r.name)));
    render_status(
        status,
        &FormPage {
            page: page(s, rc, "Signaal registreren", "/casussen", None),
            errors,
            heading: "Signaal registreren".into(),
            context: String::new(),
            intro: vec!["Het RIEC van de regio weegt uw signaal: past het in het convenant en vraagt het om een integrale aanpak? Uw organisatie blijft betrokken als bron.".into()],
            warning: None,
            existing: Vec::new(),
            action: "/casussen/nieuw".into(),
            hidden: Vec::new(),
            fields: register_fields(&r, options, regions, values),
            submit: "Registreren".into(),
            back: "/casussen".into(),
        },
    )
}

pub async fn register_form(State(s): State<AppState>, Signed { rc, session }: Signed) -> Response {
    if !knooppunt_policy::cases::can_register(&session.principal) {
        return fail(&s, &rc, AppError::Forbidden("uw rol kan geen signalen registreren"));
    }
    register_page(&s, &rc, FormErrors::default(), None, StatusCode::OK).await
}

pub async fn register(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let input = SignalRegistration {
        title: one(&p, "titel"),
        description: one(&p, "omschrijving"),
        municipality: one(&p, "gemeente"),
        phenomena: all(&p, "fenomenen"),
        region: one(&p, "regio"),
        region_reason: one(&p, "regioReden"),
    };
    match s.app.register_case_signal(&rc.ctx, &input).await {
        Ok(id) => see_other(&format!("/casussen/{id}?melding=geregistreerd")),
        // The form was allowed, so a refusal here is about the region the case would go to:
        // shown at the region field, with the form kept, not as a dead-end page.
        Err(AppError::Forbidden(reason)) => {
            let message = format!("Dit signaal kunt u hier niet registreren: {reason}.");
            register_page(&s, &rc, FormErrors::one("regio", &message), Some(&p), StatusCode::FORBIDDEN).await
        }
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => register_page(&s, &rc, errors, Some(&p), StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// The list and the search

#[derive(Deserialize, Default)]
pub struct ListQuery {
    regio: Option<String>,
    fase: Option<String>,
    fenomeen: Option<String>,
    gemeente: Option<String>,
    #[serde(rename = "teLaat")]
    te_laat: Option<String>,
    mijn: Option<String>,
    pagina: Option<String>,
}

pub struct ListFilter {
    pub region: String,
    pub phase: String,
    pub phenomenon: String,
    pub municipality: String,
    pub overdue: bool,
    pub mine: bool,
}

#[derive(Template)]
#[template(path = "cases.html")]
pub struct CasesPage {
    pub page: Page,
    pub errors: FormErrors,
    pub can_register: bool,
    pub filter: ListFilter,
    pub regions: Options,
    pub phases: Options,
    pub phenomena: Options,
    pub municipalities: Options,
    /// (reference, id, title, phase, municipality, region, changed)
    pub rows: Vec<(String, i64, String, String, String, String, String)>,
    pub total: i64,
    pub page_no: i64,
    pub pages: i64,
    /// The filter as a query string prefix ending in `&` (for the page links).
    pub query: String,
}

pub async fn list(State(s): State<AppState>, Signed { rc, session }: Signed, q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>) -> Response {
    let Query(q) = q.unwrap_or_default();
    let filter = ListFilter {
        region: q.regio.unwrap_or_default(),
        phase: q.fase.unwrap_or_default(),
        phenomenon: q.fenomeen.unwrap_or_default(),
        municipality: q.gemeente.unwrap_or_default(),
        overdue: q.te_laat.as_deref() == Some("ja"),
        mine: q.mijn.as_deref() == Some("ja"),
    };
    let page_no = q.pagina.as_deref().map(|p| p.parse::<i64>().unwrap_or(-1)).unwrap_or(0);
    let query = CaseQuery {
        region: filter.region.clone(),
        phase: filter.phase.clone(),
        phenomenon: filter.phenomenon.clone(),
        municipality: filter.municipality.clone(),
        overdue: filter.overdue,
        mine: filter.mine,
        page: page_no,
    };
    let (errors, list) = match s.app.list_cases(&rc.ctx, &query).await {
        Ok(l) => (FormErrors::default(), Some(l)),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => (errors, None),
            None => return fail(&s, &rc, e),
        },
    };
    let reference = match s.app.case_reference(&rc.ctx).await {
        Ok(r) => r,
        Err(e) => return fail(&s, &rc, e),
    };
    let regions = s.app.list_regions(&rc.ctx).await.unwrap_or_default();
    let munis = s.app.list_municipalities(&rc.ctx, None, None).await.unwrap_or_default();
    let mut region_options: Options = vec![(String::new(), "Alle regio's".into())];
    region_options.extend(regions.iter().filter(|r| r.kind == "riec" && r.merged_into_id.is_none()).map(|r| (r.code.clone(), r.name.clone())));
    let mut phenomena: Options = vec![(String::new(), "Alle fenomenen".into())];
    phenomena.extend(reference.phenomena.iter().map(|p| (p.code.clone(), p.name.clone())));
    let mut municipalities: Options = vec![(String::new(), "Alle gemeenten".into())];
    municipalities.extend(munis.iter().map(|m| (m.cbs_code.clone(), m.name.clone())));
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let (rows, total, size) = match list {
        Some(l) => (l.rows, l.total, l.page_size),
        None => (Vec::new(), 0, knooppunt_app::cases::PAGE_SIZE),
    };
    let enc = |k: &str, v: &str| {
        if v.is_empty() {
            String::new()
        } else {
            format!("{k}={}&", urlencode(v))
        }
    };
    let query = format!(
        "{}{}{}{}{}{}",
        enc("regio", &filter.region),
        enc("fase", &filter.phase),
        enc("fenomeen", &filter.phenomenon),
        enc("gemeente", &filter.municipality),
        if filter.overdue { "teLaat=ja&" } else { "" },
        if filter.mine { "mijn=ja&" } else { "" }
    );
    render_status(
        status,
        &CasesPage {
            page: page(&s, &rc, "Casussen", "/casussen", None),
            errors,
            can_register: knooppunt_policy::cases::can_register(&session.principal),
            filter,
            regions: region_options,
            phases: coded(CasePhase::ALL, CasePhase::code, CasePhase::label, Some("Alle fasen")),
            phenomena,
            municipalities,
            rows: rows.into_iter().map(|r| (r.reference, r.id, r.title, phase_label(&r.phase), r.municipality_name, r.region_name, when(r.updated_at))).collect(),
            total,
            page_no: page_no.max(0),
            pages: (total + size - 1) / size,
            query,
        },
    )
}

fn urlencode(v: &str) -> String {
    v.bytes().map(|b| if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[derive(Template)]
#[template(path = "case_search.html")]
pub struct SearchPage {
    pub page: Page,
    pub errors: FormErrors,
    pub query: String,
    pub searched: bool,
    pub more: bool,
    /// (name, kind, case id, case reference and title, region)
    pub hits: Vec<(String, String, i64, String, String)>,
}

pub async fn search_form(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    render(&SearchPage {
        page: page(&s, &rc, "Betrokkenen zoeken", "/casussen", None),
        errors: FormErrors::default(),
        query: String::new(),
        searched: false,
        more: false,
        hits: Vec::new(),
    })
}

pub async fn search(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let q = one(&p, "zoekterm");
    match s.app.search_subjects(&rc.ctx, &q).await {
        Ok(r) => render(&SearchPage {
            page: page(&s, &rc, "Betrokkenen zoeken", "/casussen", None),
            errors: FormErrors::default(),
            query: q,
            searched: true,
            more: r.more,
            hits: r
                .hits
                .iter()
                .map(|h| (h.subject.display_name.clone(), kind_label(&h.subject.kind), h.subject.case_id, format!("{}: {}", h.case_reference, h.case_title), h.region_name.clone()))
                .collect(),
        }),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => render_status(
                StatusCode::BAD_REQUEST,
                &SearchPage { page: page(&s, &rc, "Betrokkenen zoeken", "/casussen", None), errors, query: q, searched: false, more: false, hits: Vec::new() },
            ),
            None => fail(&s, &rc, e),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// The case page, the dossier and the CSV

fn kind_label(code: &str) -> String {
    label(SubjectKind::parse, SubjectKind::label, code)
}

fn subject_details(s: &SubjectRow) -> String {
    let mut parts = Vec::new();
    for (label, v) in [
        ("geboren", &s.fields.birth_date),
        ("BSN", &s.fields.bsn),
        ("KvK", &s.fields.kvk),
        ("RSIN", &s.fields.rsin),
        ("BAG", &s.fields.bag_id),
        ("kenteken", &s.fields.licence_plate),
        ("IBAN", &s.fields.iban),
    ] {
        if !v.is_empty() {
            parts.push(format!("{label} {v}"));
        }
    }
    if !s.fields.note.is_empty() {
        parts.push(s.fields.note.clone());
    }
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join("; ")
    }
}

fn relation_text(d: &CaseDetail, r: &knooppunt_app::views::RelationRow) -> (String, String, String, String) {
    let name = |id: i64| d.subjects.iter().find(|s| s.id == id).map(|s| s.display_name.clone()).unwrap_or_default();
    let period = match (r.valid_from.is_empty(), r.valid_to.is_empty()) {
        (true, true) => String::new(),
        (false, true) => format!("vanaf {}", r.valid_from),
        (true, false) => format!("tot {}", r.valid_to),
        (false, false) => format!("{} tot {}", r.valid_from, r.valid_to),
    };
    (name(r.from_subject_id), label(RelationKind::parse, RelationKind::label, &r.kind), name(r.to_subject_id), period)
}

fn amounts(v: &knooppunt_app::views::InterventionRow) -> String {
    let mut parts = Vec::new();
    if !v.decision.is_empty() {
        parts.push(v.decision.clone());
    }
    for (label, c) in [("geïnd", v.collected_cents), ("verrekend", v.offset_cents), ("beslag", v.seized_cents)] {
        if let Some(c) = c {
            parts.push(format!("{label} {}", format_euro(c)));
        }
    }
    if !v.completed_date.is_empty() {
        parts.push(format!("op {}", v.completed_date));
    }
    if !v.stop_reason.is_empty() {
        parts.push(format!("gestopt: {}", v.stop_reason));
    }
    if v.escalated_at.is_some() {
        parts.push(format!("geëscaleerd naar de stuurgroep: {}", v.escalation_reason));
    }
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join("; ")
    }
}

/// An information item as a line of the case page and the dossier.
pub struct ItemLine {
    pub id: i64,
    pub title: String,
    pub supplier: String,
    pub basis: String,
    pub date: String,
    pub reliability: String,
    pub released: String,
    pub body: String,
}

pub struct RequestView {
    pub id: i64,
    pub questions: String,
    pub deadline: String,
    pub lines: Vec<(String, String)>,
    pub can_answer: bool,
}

#[derive(Template)]
#[template(path = "case.html")]
pub struct CasePage {
    pub page: Page,
    pub c: CaseRow,
    pub phase_label: String,
    pub access_label: String,
    pub phenomena: String,
    pub team: bool,
    pub can: CasePermissions,
    pub steps: Vec<(String, String)>,
    /// (org id, name, admitted, reason, status, active)
    pub participants: Vec<(i64, String, String, String, String, bool)>,
    pub team_members: Vec<(String, String)>,
    /// (name, kind, details)
    pub subjects: Vec<(String, String, String)>,
    pub relations: Vec<String>,
    pub items: Vec<ItemLine>,
    pub requests: Vec<RequestView>,
    /// (number, status, author, approved by, findings, proposals)
    pub advice: Vec<(i64, String, String, String, String, String)>,
    pub approvable: Option<i64>,
    /// (id, name, partner, status, outcome, may update)
    pub interventions: Vec<(i64, String, String, String, String, bool)>,
    /// (date, attendees, agenda, decisions, linked interventions)
    pub meetings: Vec<(String, String, String, String, String)>,
    /// (when, kind, actor, note)
    pub events: Vec<(String, String, String, String)>,
    /// Linked cases of other regions: (reference, region, linked on).
    pub linked: Vec<(String, String, String)>,
    pub summary: CaseSummary,
}

/// The header of the case page: what someone opening it wants to know first.
pub struct CaseSummary {
    /// Requests with at least one partner yet to answer.
    pub open_requests: usize,
    /// The earliest deadline among them (dd-mm-jjjj) and whether it has passed.
    pub next_deadline: Option<(String, bool)>,
    /// Interventions proposed, promised or under way.
    pub running_interventions: usize,
    pub participants: usize,
}

fn summary_of(d: &CaseDetail) -> CaseSummary {
    let open: Vec<&str> = d.requests.iter().filter(|r| r.recipients.iter().any(|x| x.status == RecipientStatus::Open.code())).map(|r| r.deadline.as_str()).collect();
    let next = open.iter().filter(|x| !x.is_empty()).min().map(|deadline| (super::labels::iso_day(deadline), *deadline < d.today.as_str()));
    CaseSummary {
        open_requests: open.len(),
        next_deadline: next,
        running_interventions: d.interventions.iter().filter(|v| !matches!(v.status.as_str(), "afgerond" | "gestopt")).count(),
        participants: d.participants.iter().filter(|p| p.removed_at.is_none()).count(),
    }
}

fn case_page(s: &AppState, rc: &RequestCtx, d: CaseDetail, notice: Option<&str>) -> CasePage {
    let team = d.can.team;
    let linked = d.linked.iter().map(|l| (l.reference.clone(), l.region_name.clone(), day(l.linked_at))).collect();
    let org_name = |id: i64| d.participants.iter().find(|x| x.organisation_id == id).map(|x| x.organisation_name.clone()).unwrap_or_else(|| format!("organisatie {id}"));
    let latest_concept = d.advice.first().filter(|a| a.status == AdviceStatus::Draft.code()).map(|a| a.number);
    CasePage {
        summary: summary_of(&d),
        page: page(s, rc, &d.case.title, "/casussen", notice),
        phase_label: phase_label(&d.case.phase),
        access_label: if team { "RIEC-casusteam van de regio".into() } else { "toegelaten deelnemer".into() },
        phenomena: if d.phenomena.is_empty() { "—".into() } else { d.phenomena.iter().map(|p| p.1.clone()).collect::<Vec<_>>().join(", ") },
        team,
        can: d.can,
        steps: d.steps.iter().map(|st| (st.code().to_string(), st.label().to_string())).collect(),
        participants: d
            .participants
            .iter()
            .map(|p| {
                let status = match (&p.removed_at, &p.removed_reason) {
                    (Some(at), reason) => format!("verwijderd op {} ({})", day(*at), reason.clone().unwrap_or_default()),
                    (None, _) => "neemt deel".into(),
                };
                (p.organisation_id, p.organisation_name.clone(), day(p.admitted_at), p.reason.clone(), status, d.removable.contains(&p.organisation_id))
            })
            .collect(),
        team_members: d.team.iter().map(|t| (label(TeamRole::parse, TeamRole::label, &t.team_role), t.display_name.clone())).collect(),
        subjects: d.subjects.iter().map(|x| (x.display_name.clone(), kind_label(&x.kind), subject_details(x))).collect(),
        relations: d
            .relations
            .iter()
            .map(|r| relation_text(&d, r))
            .map(|(a, k, b, p)| format!("{a} {k} {b}{}", if p.is_empty() { String::new() } else { format!(" ({p})") }))
            .collect(),
        items: d
            .items
            .iter()
            .map(|i| {
                let released = if i.released_to.is_empty() { "—".to_string() } else { i.released_to.iter().map(|o| org_name(*o)).collect::<Vec<_>>().join(", ") };
                let it = &i.item;
                ItemLine {
                    id: it.id,
                    title: it.title.clone(),
                    supplier: it.supplier_name.clone(),
                    basis: it.legal_basis_name.clone(),
                    date: super::labels::iso_day(&it.info_date),
                    reliability: label(Reliability::parse, Reliability::label, &it.reliability),
                    released,
                    body: it.body.clone(),
                }
            })
            .collect(),
        requests: d
            .requests
            .iter()
            .map(|r| RequestView {
                id: r.id,
                questions: r.questions.clone(),
                deadline: r.deadline.clone(),
                can_answer: d.answerable.contains(&r.id),
                lines: r
                    .recipients
                    .iter()
                    .map(|x| {
                        let mut st = label(RecipientStatus::parse, RecipientStatus::label, &x.status);
                        if x.status == RecipientStatus::Open.code() && r.deadline < d.today {
                            st = "Open, termijn verstreken".into();
                        }
                        if !x.decline_reason.is_empty() {
                            st = format!("{st}: {}", x.decline_reason);
                        }
                        (x.organisation_name.clone(), st)
                    })
                    .collect(),
            })
            .collect(),
        advice: d
            .advice
            .iter()
            .map(|a| {
                (
                    a.number,
                    label(AdviceStatus::parse, AdviceStatus::label, &a.status),
                    a.author.clone(),
                    a.approved_by.clone().unwrap_or_default(),
                    a.findings.clone(),
                    a.proposals.clone(),
                )
            })
            .collect(),
        approvable: if d.can.approve_advice { latest_concept } else { None },
        interventions: d
            .interventions
            .iter()
            .map(|v| {
                (
                    v.id,
                    v.type_name.clone(),
                    v.organisation_name.clone(),
                    label(InterventionStatus::parse, InterventionStatus::label, &v.status),
                    amounts(v),
                    d.updatable.contains(&v.id),
                )
            })
            .collect(),
        meetings: d
            .meetings
            .iter()
            .map(|m| {
                let linked = m
                    .intervention_ids
                    .iter()
                    .filter_map(|id| d.interventions.iter().find(|v| v.id == *id))
                    .map(|v| format!("{} ({})", v.type_name, v.organisation_name))
                    .collect::<Vec<_>>()
                    .join(", ");
                (m.held_on.clone(), m.attendees.clone(), m.agenda.clone(), m.decisions.clone(), linked)
            })
            .collect(),
        events: d
            .events
            .iter()
            .map(|e| {
                (
                    when(e.at),
                    if e.to_phase.is_empty() || e.kind == "geregistreerd" {
                        super::labels::case_event(&e.kind)
                    } else {
                        format!("{} → {}", super::labels::case_event(&e.kind), phase_label(&e.to_phase))
                    },
                    e.actor.clone(),
                    e.note.clone(),
                )
            })
            .collect(),
        linked,
        c: d.case,
    }
}

pub async fn detail(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, Query(n): Query<Notice>) -> Response {
    let id = match parse_id(&raw, "casus") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.case(&rc.ctx, id).await {
        Ok(d) => render(&case_page(&s, &rc, d, flash(n.melding.as_deref()))),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn approve_advice(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, n)): Path<(String, String)>, CsrfForm(_): CsrfForm<Pairs>) -> Response {
    let (id, n) = match (parse_id(&raw, "casus"), parse_id(&n, "advies")) {
        (Ok(id), Ok(n)) => (id, n),
        (Err(e), _) | (_, Err(e)) => return fail(&s, &rc, e),
    };
    match s.app.approve_advice(&rc.ctx, id, n).await {
        Ok(()) => see_other(&format!("/casussen/{id}?melding=goedgekeurd#advies")),
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Template)]
#[template(path = "case_dossier.html")]
pub struct DossierPage {
    pub page: Page,
    pub c: CaseRow,
    pub phase_label: String,
    pub phenomena: String,
    pub printed_by: String,
    pub printed_at: String,
    pub participants: Vec<(i64, String, String, String, String, bool)>,
    pub subjects: Vec<(String, String, String)>,
    pub relations: Vec<String>,
    pub items: Vec<ItemLine>,
    pub advice: Vec<(i64, String, String, String, String, String)>,
    pub interventions: Vec<(i64, String, String, String, String, bool)>,
    pub events: Vec<(String, String, String, String)>,
}

pub async fn dossier(State(s): State<AppState>, Signed { rc, session }: Signed, Path(raw): Path<String>) -> Response {
    let id = match parse_id(&raw, "casus") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.case_export(&rc.ctx, id).await {
        Ok(d) => {
            let p = case_page(&s, &rc, d, None);
            render(&DossierPage {
                page: page(&s, &rc, &format!("Casusdossier {}", p.c.reference), "/casussen", None),
                phase_label: p.phase_label,
                phenomena: p.phenomena,
                printed_by: session.display_name.clone(),
                printed_at: when(s.app.now()),
                participants: p.participants,
                subjects: p.subjects,
                relations: p.relations,
                items: p.items,
                advice: p.advice,
                interventions: p.interventions,
                events: p.events,
                c: p.c,
            })
        }
        Err(e) => fail(&s, &rc, e),
    }
}

use super::csv_field;

pub async fn subjects_csv(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>) -> Response {
    let id = match parse_id(raw.trim_end_matches(".csv"), "casus") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.case_export(&rc.ctx, id).await {
        Ok(d) => {
            let mut out = String::from("soort;naam;voornamen;voorvoegsel;geslachtsnaam;geboortedatum;bsn;kvk;rsin;straat;postcode;huisnummer;plaats;bag_id;kenteken;iban\r\n");
            for x in &d.subjects {
                let row = [
                    &x.kind,
                    &x.display_name,
                    &x.fields.first_names,
                    &x.fields.prefix,
                    &x.fields.surname,
                    &x.fields.birth_date,
                    &x.fields.bsn,
                    &x.fields.kvk,
                    &x.fields.rsin,
                    &x.fields.street,
                    &x.fields.postcode,
                    &x.fields.house_number,
                    &x.fields.city,
                    &x.fields.bag_id,
                    &x.fields.licence_plate,
                    &x.fields.iban,
                ];
                out.push_str(&row.iter().map(|v| csv_field(v)).collect::<Vec<_>>().join(";"));
                out.push_str("\r\n");
            }
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"betrokkenen-{}.csv\"", d.case.reference)),
                ],
                out,
            )
                .into_response()
        }
        Err(e) => fail(&s, &rc, e),
    }
}

// ---------------------------------------------------------------------------------------------
// Analysis: the network picture (server-side SVG) with its table, and the timeline

#[derive(Template)]
#[template(path = "case_analysis.html")]
pub struct AnalysisPage {
    pub page: Page,
    pub case_id: i64,
    pub reference: String,
    pub title: String,
    pub size: i64,
    /// (x, y, label, colour, letter)
    pub nodes: Vec<(i64, i64, String, &'static str, &'static str)>,
    /// (x1, y1, x2, y2, label x, label y, label)
    pub edges: Vec<(i64, i64, i64, i64, i64, i64, String)>,
    pub relations: Vec<(String, String, String, String)>,
    pub timeline: Vec<(String, String)>,
}

/// Places the subjects on a circle (deterministic, readable up to a few dozen nodes).
fn layout(n: usize, size: f64) -> Vec<(i64, i64)> {
    let c = size / 2.0;
    let r = if n <= 1 { 0.0 } else { size / 2.0 - 70.0 };
    (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n.max(1) as f64 - std::f64::consts::FRAC_PI_2;
            ((c + r * a.cos()).round() as i64, (c + r * a.sin()).round() as i64)
        })
        .collect()
}

fn short(name: &str) -> String {
    let n: String = name.chars().take(22).collect();
    if name.chars().count() > 22 {
        format!("{n}…")
    } else {
        n
    }
}

pub async fn analysis(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>) -> Response {
    let id = match parse_id(&raw, "casus") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let d = match s.app.case(&rc.ctx, id).await {
        Ok(d) => d,
        Err(e) => return fail(&s, &rc, e),
    };
    let size = 640.0;
    let pos = layout(d.subjects.len(), size);
    let nodes = d
        .subjects
        .iter()
        .zip(&pos)
        .map(|(x, (px, py))| {
            let (colour, letter) = match SubjectKind::parse(&x.kind) {
                Ok(SubjectKind::Person) => ("#1f3a5f", "P"),
                Ok(SubjectKind::Company) => ("#7a2e00", "R"),
                Ok(SubjectKind::Address) => ("#2d5a27", "A"),
                Ok(SubjectKind::Vehicle) => ("#5b2a6e", "V"),
                _ => ("#4a4a4a", "B"),
            };
            (*px, *py, short(&x.display_name), colour, letter)
        })
        .collect();
    let at = |sid: i64| d.subjects.iter().position(|x| x.id == sid).and_then(|i| pos.get(i).copied());
    let edges = d
        .relations
        .iter()
        .filter_map(|r| {
            let (a, b) = (at(r.from_subject_id)?, at(r.to_subject_id)?);
            Some((a.0, a.1, b.0, b.1, (a.0 + b.0) / 2, (a.1 + b.1) / 2 - 6, label(RelationKind::parse, RelationKind::label, &r.kind)))
        })
        .collect();
    let mut timeline: Vec<(String, String)> = Vec::new();
    for r in &d.relations {
        let (a, k, b, _) = relation_text(&d, r);
        if !r.valid_from.is_empty() {
            timeline.push((r.valid_from.clone(), format!("Begin: {a} {k} {b}")));
        }
        if !r.valid_to.is_empty() {
            timeline.push((r.valid_to.clone(), format!("Einde: {a} {k} {b}")));
        }
    }
    for i in &d.items {
        timeline.push((i.item.info_date.clone(), format!("Informatie van {}: {}", i.item.supplier_name, i.item.title)));
    }
    for v in &d.interventions {
        if !v.decision_date.is_empty() {
            timeline.push((v.decision_date.clone(), format!("Besluit {}: {}", v.type_name, v.decision)));
        }
        if !v.completed_date.is_empty() {
            timeline.push((v.completed_date.clone(), format!("{} {}", v.type_name, label(InterventionStatus::parse, InterventionStatus::label, &v.status).to_lowercase())));
        }
    }
    for m in &d.meetings {
        timeline.push((m.held_on.clone(), "Integraal overleg".into()));
    }
    for e in &d.events {
        if !e.to_phase.is_empty() {
            timeline.push((day(e.at), format!("Fase {}", phase_label(&e.to_phase).to_lowercase())));
        }
    }
    timeline.sort();
    render(&AnalysisPage {
        page: page(&s, &rc, &format!("Analyse {}", d.case.reference), "/casussen", None),
        case_id: id,
        reference: d.case.reference.clone(),
        title: d.case.title.clone(),
        size: size as i64,
        nodes,
        edges,
        relations: d.relations.iter().map(|r| relation_text(&d, r)).collect(),
        timeline,
    })
}

// ---------------------------------------------------------------------------------------------
// The item page: provenance, releases, attachments

#[derive(Template)]
#[template(path = "case_item.html")]
pub struct ItemPage {
    pub page: Page,
    pub errors: FormErrors,
    pub case_id: i64,
    pub case_reference: String,
    pub i: ItemRow,
    pub reliability: String,
    pub classification: String,
    pub created: String,
    pub own: bool,
    pub can_edit: bool,
    pub show_releases: bool,
    pub can_release: bool,
    /// (org id, name, released, basis, status, active)
    pub releases: Vec<(i64, String, String, String, String, bool)>,
    pub candidates: Options,
    /// (id, file name, size, start of the SHA-256)
    pub attachments: Vec<(i64, String, String, String)>,
}

/// Which item.
#[derive(Clone, Copy)]
struct ItemRef {
    case_id: i64,
    item_id: i64,
}

async fn item_page(s: &AppState, rc: &RequestCtx, r: ItemRef, errors: FormErrors, notice: Option<&str>, status: StatusCode) -> Response {
    let ItemRef { case_id, item_id } = r;
    let d = match s.app.item(&rc.ctx, case_id, item_id).await {
        Ok(d) => d,
        Err(e) => return fail(s, rc, e),
    };
    let released: Vec<i64> = d.releases.iter().filter(|r| r.withdrawn_at.is_none()).map(|r| r.organisation_id).collect();
    let mut candidates: Options = vec![(String::new(), "Kies een deelnemer".into())];
    candidates.extend(d.candidates.iter().filter(|c| !released.contains(&c.organisation_id)).map(|c| (c.organisation_id.to_string(), c.organisation_name.clone())));
    let candidates = if candidates.len() > 1 { candidates } else { Vec::new() };
    render_status(
        status,
        &ItemPage {
            page: page(s, rc, &d.item.title, "/casussen", notice),
            errors,
            case_id,
            case_reference: d.case.reference.clone(),
            reliability: label(Reliability::parse, Reliability::label, &d.item.reliability),
            classification: label(Classification::parse, Classification::label, &d.item.classification),
            created: when(d.item.created_at),
            own: d.is_supplier,
            can_edit: d.can_edit,
            show_releases: d.can_release || !d.releases.is_empty(),
            can_release: d.can_release,
            releases: d
                .releases
                .iter()
                .map(|r| {
                    let basis = if r.basis == "leverancier" { "door de leverancier".to_string() } else { "toestemming van de leverancier, vastgelegd door het RIEC".to_string() };
                    let status = match r.withdrawn_at {
                        Some(at) if !r.withdrawn_reason.is_empty() => {
                            format!("ingetrokken op {} door {} ({})", day(at), r.withdrawn_by.clone().unwrap_or_default(), r.withdrawn_reason)
                        }
                        Some(at) => format!("ingetrokken op {} door {}", day(at), r.withdrawn_by.clone().unwrap_or_default()),
                        None => "vrijgegeven".into(),
                    };
                    (r.organisation_id, r.organisation_name.clone(), format!("{} door {}", day(r.released_at), r.released_by), basis, status, r.withdrawn_at.is_none())
                })
                .collect(),
            candidates,
            attachments: d.attachments.iter().map(|a| (a.id, a.file_name.clone(), format!("{} kB", (a.size + 1023) / 1024), a.sha256.chars().take(12).collect())).collect(),
            i: d.item,
        },
    )
}

fn ids(raw: &(String, String)) -> Result<(i64, i64), AppError> {
    Ok((parse_id(&raw.0, "casus")?, parse_id(&raw.1, "informatiebijdrage")?))
}

pub async fn item(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<(String, String)>, Query(n): Query<Notice>) -> Response {
    match ids(&raw) {
        Ok((c, i)) => item_page(&s, &rc, ItemRef { case_id: c, item_id: i }, FormErrors::default(), flash(n.melding.as_deref()), StatusCode::OK).await,
        Err(e) => fail(&s, &rc, e),
    }
}

async fn release_or_withdraw(s: AppState, rc: RequestCtx, raw: (String, String), p: Pairs, release: bool) -> Response {
    let (c, i) = match ids(&raw) {
        Ok(x) => x,
        Err(e) => return fail(&s, &rc, e),
    };
    let org = one(&p, "organisatie");
    let r = if org.trim().is_empty() {
        Err(knooppunt_domain::Invalid::one("organisatie", "Kies de deelnemer waaraan u vrijgeeft.").into())
    } else {
        s.app.set_release(&rc.ctx, c, i, num(&org), release).await
    };
    match r {
        Ok(()) => see_other(&format!("/casussen/{c}/informatie/{i}?melding={}", if release { "vrijgegeven" } else { "ingetrokken" })),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => item_page(&s, &rc, ItemRef { case_id: c, item_id: i }, errors, None, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

pub async fn release(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<(String, String)>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    release_or_withdraw(s, rc, raw, p, true).await
}

pub async fn withdraw(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<(String, String)>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    release_or_withdraw(s, rc, raw, p, false).await
}

pub async fn upload(State(s): State<AppState>, Signed { rc, session }: Signed, Path(raw): Path<(String, String)>, multipart: axum::extract::Multipart) -> Response {
    let (c, i) = match ids(&raw) {
        Ok(x) => x,
        Err(e) => return fail(&s, &rc, e),
    };
    let (csrf, name, data) = match super::read_upload(multipart).await {
        Ok(x) => x,
        Err(msg) => return item_page(&s, &rc, ItemRef { case_id: c, item_id: i }, FormErrors::one("bestand", &msg), None, StatusCode::BAD_REQUEST).await,
    };
    if csrf.is_empty() || csrf != session.csrf_token {
        let _ = s.app.record_refusal(&rc.ctx, "csrf-controle", "upload zonder geldig CSRF-token").await;
        return super::error_response(
            &s,
            &rc,
            StatusCode::FORBIDDEN,
            Some("Dit formulier is verlopen of niet door knooppunt verstuurd. Laad de pagina opnieuw en probeer het nog eens."),
        );
    }
    let r = s.app.add_item_attachment(&rc.ctx, c, i, &name, &data).await.map(|_| ());
    match r {
        Ok(()) => see_other(&format!("/casussen/{c}/informatie/{i}?melding=bijlage")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => item_page(&s, &rc, ItemRef { case_id: c, item_id: i }, errors, None, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

pub async fn download(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((c, i, a)): Path<(String, String, String)>) -> Response {
    let ids = ids(&(c, i)).and_then(|(c, i)| Ok((c, i, parse_id(&a, "bijlage")?)));
    match ids {
        Ok((c, i, a)) => match s.app.item_attachment(&rc.ctx, c, i, a).await {
            Ok((meta, data)) => (
                [
                    (header::CONTENT_TYPE, meta.content_type.clone()),
                    (header::CONTENT_DISPOSITION, super::content_disposition(&meta.file_name)),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                ],
                data,
            )
                .into_response(),
            Err(e) => fail(&s, &rc, e),
        },
        Err(e) => fail(&s, &rc, e),
    }
}

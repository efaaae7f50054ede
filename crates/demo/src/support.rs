//! The specialist support's demo content, written at the moments it happened: a 13b question of
//! Oost-Brabant answered, closed and published as a question-and-answer item; a Bibob question
//! of Amsterdam-Amstelland with a calculated deadline, in progress and past its due date; an
//! AVG question of Oost-Brabant waiting for more information; a new communication question of
//! Limburg. Idempotent: nothing is added when the LIEC already sees requests.

use crate::signals::act_as;
use knooppunt_app::cases::CaseQuery;
use knooppunt_app::support::{BibobInput, FaqInput, SupportInput, SupportQuery};
use knooppunt_app::{App, AppError, Ctx, ShiftedClock};

const DAY: i64 = 86_400_000;

async fn step(app: &App, clock: &ShiftedClock, ctx: &Ctx, id: i64, days_ago: i64, step: &str, text: &str) -> Result<(), AppError> {
    clock.set_back(days_ago * DAY);
    let version = app.support_request(ctx, id).await?.row.version;
    app.support_step(ctx, id, step, version, text).await
}

/// Fills the support desk (once). Returns how many requests were made.
pub async fn populate_support(app: &App, clock: &ShiftedClock) -> Result<usize, AppError> {
    let liec = act_as(app, "demo.liec").await?;
    if !app.support_requests(&liec, &SupportQuery::default()).await?.rows.is_empty() {
        return Ok(0);
    }
    let editor = act_as(app, "demo.kennis").await?;
    let oost = act_as(app, "demo.oost.jurist").await?;
    let case = app.list_cases(&oost, &CaseQuery { region: "oost-brabant".into(), ..Default::default() }).await?.rows.first().map(|r| r.reference.clone()).unwrap_or_default();
    let real = app.now();
    let day = |days: i64| knooppunt_app::cases::today(real - days * DAY);

    clock.set_back(40 * DAY);
    let q13b = app
        .ask_support(
            &oost,
            &SupportInput {
                domain: "13b-opiumwet".into(),
                question: format!(
                    "In een bedrijfspand is een hennepkwekerij van ruim 300 planten aangetroffen; de huurder zegt van niets te weten. \
                     Mag de burgemeester het pand op grond van artikel 13b Opiumwet sluiten als de eigenaar verwijtbaarheid betwist, en hoe lang? \
                     Het gaat om dossier {case}."
                ),
                case_reference: case.clone(),
                desired_on: day(26),
                ..Default::default()
            },
        )
        .await?;
    step(app, clock, &liec, q13b, 38, "oppakken", "").await?;
    step(app, clock, &liec, q13b, 36, "informatie-vragen", "Is het pand eerder gewaarschuwd of gesloten, en heeft de gemeente een beleidsregel voor 13b met een stappenplan?")
        .await?;
    step(
        app,
        clock,
        &oost,
        q13b,
        33,
        "informatie-geven",
        "Geen eerdere waarschuwing. De beleidsregel noemt bij een eerste overtreding in een bedrijfspand een sluiting van zes maanden.",
    )
    .await?;
    step(
        app,
        clock,
        &liec,
        q13b,
        30,
        "beantwoorden",
        "Ja. Artikel 13b Opiumwet vraagt geen verwijtbaarheid van de eigenaar om te mogen sluiten; die speelt pas een rol bij de evenredigheid. \
         De Afdeling toetst of de burgemeester in redelijkheid tot sluiting kon komen, met de beleidsregel als uitgangspunt (zie ECLI:NL:RVS:2021:953). \
         Een sluiting van zes maanden bij een eerste overtreding is in de rechtspraak aanvaard; leg in het besluit vast waarom de eigenaar \
         zich niet met succes op onwetendheid kan beroepen, bijvoorbeeld omdat er geen huurderscontrole was.",
    )
    .await?;
    step(app, clock, &oost, q13b, 28, "sluiten", "").await?;
    clock.set_back(27 * DAY);
    let draft = app.support_faq_draft(&liec, q13b).await?;
    let item = app
        .offer_support_faq(
            &liec,
            q13b,
            &FaqInput { title: "Artikel 13b Opiumwet: sluiten als de eigenaar van niets weet?".into(), question: draft.question, answer: draft.answer, audience: "netwerk".into() },
        )
        .await?;
    clock.set_back(25 * DAY);
    app.knowledge_step(&editor, item, "publiceren", 1, "").await?;

    let amsterdam = act_as(app, "demo.amsterdam.jurist").await?;
    clock.set_back(20 * DAY);
    let bibob = app
        .ask_support(
            &amsterdam,
            &SupportInput {
                domain: "bibob".into(),
                question: "Het Landelijk Bureau Bibob heeft de adviestermijn verlengd en de betrokkene om aanvullende stukken gevraagd. \
                           Kunnen wij de beslistermijn op de vergunningaanvraag voor een horecazaak daarop laten aansluiten, en wat schrijven we de aanvrager?"
                    .into(),
                bibob: BibobInput { received: day(45), extension_weeks: "2".into(), suspensions: vec![(day(30), day(22))] },
                ..Default::default()
            },
        )
        .await?;
    step(app, clock, &liec, bibob, 18, "oppakken", "").await?;

    let manager = act_as(app, "demo.oost.manager").await?;
    clock.set_back(6 * DAY);
    let avg = app
        .ask_support(
            &manager,
            &SupportInput {
                domain: "avg-wgs".into(),
                question: "Mag een woningcorporatie die geen convenantpartner is informatie over een huurder aan het RIEC leveren, en op welke grondslag?".into(),
                ..Default::default()
            },
        )
        .await?;
    step(app, clock, &liec, avg, 5, "oppakken", "").await?;
    step(
        app,
        clock,
        &liec,
        avg,
        2,
        "informatie-vragen",
        "Gaat het om een casus in de signaalfase of is er al een casus? En is de corporatie aangesloten bij het regionale convenant als derde?",
    )
    .await?;

    let limburg = act_as(app, "demo.limburg.analist").await?;
    clock.set_back(DAY);
    app.ask_support(
        &limburg,
        &SupportInput {
            domain: "communicatie".into(),
            question: "Wij willen na een sluiting van een drugspand een bewonersbrief versturen. Heeft het LIEC een voorbeeldbrief die in andere regio's goed werkte?".into(),
            ..Default::default()
        },
    )
    .await?;
    clock.set_back(0);
    Ok(4)
}

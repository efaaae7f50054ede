//! The Field Lab Hub's demo content: a field lab on holiday parks in Oost-Brabant, hosted by the
//! municipality of Eindhoven with the police and a university, now in its experiment phase with
//! decisions per phase (the problem analysis as a PDF) and an experiment with indicators; and a new lab in Limburg at intake.
//! Idempotent: nothing is added when the network already sees labs.

use crate::signals::act_as;
use knooppunt_app::fieldlabs::{ExperimentInput, LabInput, RecordInput};
use knooppunt_app::{App, AppError, Ctx, ShiftedClock};

const DAY: i64 = 86_400_000;

fn record(kind: &str, title: &str, body: &str) -> RecordInput {
    RecordInput { kind: kind.into(), title: title.into(), body: body.into() }
}

async fn organisation(app: &App, ctx: &Ctx, name: &str) -> Result<i64, AppError> {
    app.list_organisations(ctx, None, None, Some(name))
        .await?
        .into_iter()
        .find(|o| o.name == name)
        .map(|o| o.id)
        .ok_or_else(|| AppError::Internal(format!("no organisation {name}")))
}

/// Opens the demo's field labs (once). Returns how many were opened.
pub async fn populate_field_labs(app: &App, clock: &ShiftedClock) -> Result<usize, AppError> {
    let liec = act_as(app, "demo.liec").await?;
    if !app.field_labs(&liec).await?.rows.is_empty() {
        return Ok(0);
    }
    let eindhoven = organisation(app, &liec, "Gemeente Eindhoven").await?;
    let police = organisation(app, &liec, "Nationale Politie").await?;
    let maastricht = organisation(app, &liec, "Gemeente Maastricht").await?;
    let day = |days_ago: i64| knooppunt_app::cases::today(app.now() - days_ago * DAY);

    clock.set_back(200 * DAY);
    let parks = app
        .open_field_lab(
            &liec,
            &LabInput {
                title: "Vakantieparken zonder ondermijning".into(),
                problem: "Op verouderde vakantieparken wonen mensen permanent, worden chalets verhuurd aan arbeidsmigranten zonder inschrijving en vinden \
                          politie en gemeente drugsafval en hennepkwekerijen. Niemand heeft zicht op wie er woont en wie er verhuurt."
                    .into(),
                host_region: "oost-brabant".into(),
                host_organisation_id: Some(eindhoven),
                researchers: "dr. A. de Vries, Tilburg University\nM. Jansen MSc, Avans Hogeschool".into(),
            },
        )
        .await?;
    app.add_field_lab_partner(&liec, parks, police, "uitvoerder").await?;
    app.add_field_lab_record(&liec, parks, &record("besluit", "Field lab gestart", "De gemeente Eindhoven ontvangt het lab; drie parken doen mee."), None).await?;
    let mut version = app.field_lab(&liec, parks).await?.row.version;
    clock.set_back(160 * DAY);
    app.set_field_lab_phase(&liec, parks, version, "probleemanalyse").await?;
    let analysis = record(
        "document",
        "Probleemanalyse vakantieparken",
        "Analyse van de inschrijvingen, het eigendom en de meldingen op de drie parken, met de knelpunten die het lab aanpakt.",
    );
    let pdf = knooppunt_pdf::render(&knooppunt_pdf::Document {
        title: analysis.title.clone(),
        language: "nl".into(),
        blocks: vec![
            knooppunt_pdf::Block::Heading(analysis.title.clone()),
            knooppunt_pdf::Block::Paragraph(analysis.body.clone()),
            knooppunt_pdf::Block::Paragraph(
                "Op de drie parken staan 412 kavels; 38 procent wordt permanent bewoond, vaak door arbeidsmigranten die niet zijn ingeschreven. Eigenaren wisselen snel, meldingen blijven uit uit angst voor de beheerder.".into(),
            ),
        ],
        footer: "Field lab vakantieparken Oost-Brabant (demo)".into(),
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    app.add_field_lab_record(&liec, parks, &analysis, Some(("probleemanalyse-vakantieparken.pdf", &pdf))).await?;
    for phase in ["interventieontwerp", "experiment"] {
        version = app.field_lab(&liec, parks).await?.row.version;
        clock.set_back(if phase == "experiment" { 90 * DAY } else { 120 * DAY });
        app.set_field_lab_phase(&liec, parks, version, phase).await?;
    }
    app.add_field_lab_record(
        &liec,
        parks,
        &record("besluit", "Parkregisseur aangesteld", "Een parkregisseur van de gemeente bezoekt elke twee weken de parken samen met de wijkagent."),
        None,
    )
    .await?;
    let experiment = app
        .add_experiment(
            &liec,
            parks,
            &ExperimentInput {
                hypothesis: "Een vaste parkregisseur met integrale controles vermindert de niet-ingeschreven bewoning en vergroot de meldingsbereidheid van bewoners.".into(),
                intervention_type: "integrale-controle".into(),
                place: "Drie vakantieparken in de gemeente Eindhoven".into(),
                starts_on: day(90),
                ends_on: day(-90),
                design: "beide".into(),
                dpia: true,
                ..ExperimentInput::default()
            },
        )
        .await?;
    app.add_indicator(&liec, parks, experiment, "Niet-ingeschreven bewoners", "112", "").await?;
    app.add_indicator(&liec, parks, experiment, "Meldingen van bewoners per maand", "2", "7").await?;

    clock.set_back(10 * DAY);
    app.open_field_lab(
        &liec,
        &LabInput {
            title: "Leegstaande bedrijfspanden in het grensgebied".into(),
            problem: "Leegstaande bedrijfspanden langs de grens worden gebruikt voor opslag van drugsprecursoren. Hoe krijgen eigenaren en gemeente zicht op huurders?".into(),
            host_region: "limburg".into(),
            host_organisation_id: Some(maastricht),
            researchers: String::new(),
        },
    )
    .await?;
    clock.set_back(0);
    Ok(2)
}

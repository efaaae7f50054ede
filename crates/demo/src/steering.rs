//! The steering groups' demo content: the Oost-Brabant stuurgroep's objectives for this year,
//! its decisions and bottlenecks (one passed on to the Stuurgroep LIEC, one solved), and a
//! decision of the Stuurgroep LIEC — so the dashboards read as in use. Idempotent: nothing is
//! added when the board already has decisions.

use crate::signals::act_as;
use knooppunt_app::steering::{BottleneckChange, BottleneckInput, DecisionInput, ObjectiveInput};
use knooppunt_app::{App, AppError};

const DAY: i64 = 86_400_000;

/// Fills the boards (once). Returns how many items were recorded.
pub async fn populate_steering(app: &App) -> Result<usize, AppError> {
    let board = act_as(app, "demo.oost.stuurgroep").await?;
    let liec = act_as(app, "demo.liec").await?;
    let year = knooppunt_app::cases::today(app.now()).get(..4).and_then(|y| y.parse::<i32>().ok()).unwrap_or(2026);
    if !app.dashboard(&board, "oost-brabant", year).await?.decisions.is_empty() {
        return Ok(0);
    }
    let day = |days: i64| knooppunt_app::cases::today(app.now() - days * DAY);
    let mut made = 0;
    for (measure, target, description) in [
        ("signalen-bron", "80", "Meer signalen uit de gemeenten, vooral uit het buitengebied."),
        ("casussen:casus", "30", "Signalen die in het convenant passen, worden een casus."),
        ("interventies-soort", "60", "Elke casus krijgt een integrale interventie."),
    ] {
        app.add_objective(&board, "oost-brabant", year, &ObjectiveInput { measure: measure.into(), target: target.into(), description: description.into() }).await?;
        made += 1;
    }
    for (days, decision, owner) in [
        (150, "De gemeenten in de regio passen de Bibob-toets toe bij elke nieuwe horecavergunning in het buitengebied.", "Burgemeesters van de regio"),
        (40, "Het RIEC agendeert vastgelopen interventies elke vergadering; de partner licht toe wat nodig is.", "RIEC-bureau Oost-Brabant"),
    ] {
        app.record_decision(&board, "oost-brabant", &DecisionInput { date: day(days), decision: decision.into(), owner: owner.into() }).await?;
        made += 1;
    }
    let bottleneck =
        |kind: &str, description: &str, owner: &str, days: i64| BottleneckInput { kind: kind.into(), description: description.into(), owner: owner.into(), raised_on: day(days) };
    app.add_bottleneck(
        &board,
        "oost-brabant",
        &bottleneck("capaciteit", "Te weinig capaciteit voor boekenonderzoeken; fiscale interventies wachten maanden.", "Belastingdienst", 90),
    )
    .await?;
    let passed_on = app
        .add_bottleneck(
            &board,
            "oost-brabant",
            &bottleneck(
                "informatiedeling",
                "Zorgverzekeraars mogen declaratiegegevens niet delen met de gemeente bij een vermoeden van zorgfraude.",
                "RIEC-bureau Oost-Brabant",
                60,
            ),
        )
        .await?;
    app.change_bottleneck(&board, "oost-brabant", passed_on, &BottleneckChange { status: "open".into(), resolution: String::new(), forward: true, version: 1 }).await?;
    let solved = app
        .add_bottleneck(
            &board,
            "oost-brabant",
            &bottleneck("samenwerking", "De politie en de gemeenten plannen controles in het buitengebied los van elkaar.", "Politie Oost-Brabant", 120),
        )
        .await?;
    let how = "Eén gezamenlijke controlekalender per kwartaal, beheerd door het RIEC.";
    app.change_bottleneck(&board, "oost-brabant", solved, &BottleneckChange { status: "opgelost".into(), resolution: how.into(), forward: false, version: 1 }).await?;
    made += 3;
    app.record_decision(
        &liec,
        "landelijk",
        &DecisionInput { date: day(20), decision: "Het LIEC brengt het knelpunt over declaratiegegevens in bij het ministerie van VWS.".into(), owner: "LIEC".into() },
    )
    .await?;
    Ok(made + 1)
}

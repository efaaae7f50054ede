//! The events' demo content: a full masterclass on Bibob with a place for three (the e2e journey
//! registers a fourth, who waits and moves up when someone cancels), a public theme afternoon on
//! the rural area with registrations of a municipality and a private table member, and the
//! kick-off of the real-estate table two months ago whose registrants' personal data are erased
//! by the purge task. Idempotent: nothing is added when the LIEC already sees events.

use crate::signals::act_as;
use knooppunt_app::events::EventInput;
use knooppunt_app::{App, AppError, ShiftedClock};

const DAY: i64 = 86_400_000;

/// The title of the full masterclass (the e2e journey looks it up).
pub const FULL_MASTERCLASS: &str = "Masterclass Bibob voor gemeenten";

/// Plans the LIEC's events (once). Returns how many were made.
pub async fn populate_events(app: &App, clock: &ShiftedClock) -> Result<usize, AppError> {
    let liec = act_as(app, "demo.liec").await?;
    if !app.events(&liec, false).await?.rows.is_empty() || !app.events(&liec, true).await?.rows.is_empty() {
        return Ok(0);
    }
    let editor = act_as(app, "demo.kennis").await?;
    let day = |days: i64| knooppunt_app::cases::today(app.now() + days * DAY);

    clock.set_back(62 * DAY);
    let kick_off = app
        .create_event(
            &liec,
            &EventInput {
                kind: "aftrap-fenomeentafel".into(),
                title: "Aftrap fenomeentafel ondermijning in de vastgoedketen".into(),
                theme: "Vastgoed".into(),
                description: "De eerste bijeenkomst van de tafel: het fenomeenbeeld, de opdracht van het Landelijk Strategisch Overleg en de eerste acties.".into(),
                held_on: day(7),
                starts_at: "13:00".into(),
                ends_at: "16:30".into(),
                place: "Utrecht, Catharijnesingel".into(),
                capacity: "40".into(),
                audience: "netwerk".into(),
                erase_after_weeks: "4".into(),
                ..EventInput::default()
            },
        )
        .await?;
    for who in ["demo.oost.analist", "demo.amsterdam.jurist", "demo.limburg.analist"] {
        let ctx = act_as(app, who).await?;
        app.register_for_event(&ctx, kick_off, "").await?;
    }

    clock.set_back(10 * DAY);
    let masterclass = app
        .create_event(
            &editor,
            &EventInput {
                kind: "masterclass".into(),
                title: FULL_MASTERCLASS.into(),
                theme: "Bibob".into(),
                description: "Een middag voor juristen en vergunningverleners: de adviesaanvraag, de termijnen en de belangenafweging, met casussen uit de praktijk. \
                              Bewust in een kleine groep."
                    .into(),
                held_on: day(30),
                starts_at: "13:30".into(),
                ends_at: "17:00".into(),
                place: "Den Haag, Turfmarkt".into(),
                online: false,
                capacity: "3".into(),
                audience: "netwerk".into(),
                erase_after_weeks: "4".into(),
                ..EventInput::default()
            },
        )
        .await?;
    for (who, remark) in [("demo.oost.jurist", ""), ("demo.amsterdam.jurist", "Ik kom met de rolstoel."), ("demo.limburg.analist", "")] {
        let ctx = act_as(app, who).await?;
        app.register_for_event(&ctx, masterclass, remark).await?;
    }

    clock.set_back(5 * DAY);
    let theme = app
        .create_event(
            &liec,
            &EventInput {
                kind: "themabijeenkomst".into(),
                title: "Themamiddag ondermijning in het buitengebied".into(),
                theme: "Buitengebied".into(),
                description: "Hoe herkennen boeren, gemeenten en handhavers misbruik van leegstaande schuren en erven? Met de barrièremodellen van de fenomeentafels.".into(),
                held_on: day(50),
                starts_at: "14:00".into(),
                ends_at: "17:00".into(),
                place: "Zwolle, Provinciehuis".into(),
                online: true,
                capacity: "120".into(),
                audience: "openbaar".into(),
                ..EventInput::default()
            },
        )
        .await?;
    for who in ["demo.oost.gemeente", crate::NOTARY] {
        let ctx = act_as(app, who).await?;
        app.register_for_event(&ctx, theme, "").await?;
    }
    clock.set_back(0);
    // The kick-off is more than four weeks ago: its registrants' personal data go now.
    app.purge().await?;
    Ok(3)
}

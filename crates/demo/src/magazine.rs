//! Code Geel's demo content: last year's theme issue on the rural area, published, with two
//! public articles and one for the network; and this year's first edition in concept, with one
//! article. Idempotent: nothing is added when the editors already see an edition.

use crate::signals::act_as;
use knooppunt_app::magazine::{ArticleInput, EditionInput};
use knooppunt_app::{App, AppError, ShiftedClock};

const DAY: i64 = 86_400_000;

/// The theme of the published theme issue (the e2e journey looks it up).
pub const THEME_ISSUE: &str = "Ondermijning in het buitengebied";

fn article(title: &str, lead: &str, body: &str, credits: &str, themes: &[&str], audience: &str) -> ArticleInput {
    ArticleInput {
        title: title.into(),
        lead: lead.into(),
        body: body.into(),
        credits: credits.into(),
        themes: themes.iter().map(|t| t.to_string()).collect(),
        audience: audience.into(),
        position: String::new(),
    }
}

/// Writes Code Geel's editions (once). Returns how many were made.
pub async fn populate_magazine(app: &App, clock: &ShiftedClock) -> Result<usize, AppError> {
    let editor = act_as(app, "demo.kennis").await?;
    if !app.editions(&editor).await?.rows.is_empty() {
        return Ok(0);
    }
    let year = |days_ago: i64| knooppunt_app::cases::today(app.now() - days_ago * DAY).get(..4).and_then(|y| y.parse::<i64>().ok()).unwrap_or(2026);

    clock.set_back(90 * DAY);
    let issue = app
        .create_edition(
            &editor,
            &EditionInput {
                number: "4".into(),
                year: year(90).to_string(),
                theme: THEME_ISSUE.into(),
                theme_issue: true,
                introduction: "Leegstaande schuren, afgelegen erven, boeren die onder druk worden gezet: het buitengebied is een werkplaats voor criminelen. \
                               In dit themanummer vertellen boeren, gemeenten en handhavers hoe zij dat samen tegengaan."
                    .into(),
            },
        )
        .await?;
    for a in [
        article(
            "Een schuur vol vaten",
            "Een melkveehouder in Brabant kreeg een aanbod dat te mooi was om waar te zijn. Hoe hij het herkende, en wat de gemeente daarna deed.",
            "Het begon met een man in een dure auto die vroeg of hij de lege schuur mocht huren, contant, voor een jaar vooruit.\n\n\
             De boer belde de wijkagent. Samen met de gemeente en het RIEC werd het adres in de gaten gehouden; een half jaar later werd in de buurt een drugslab opgerold.\n\n\
             ‘Praat erover,’ zegt de boer nu tegen collega's. ‘Je bent niet de enige die zo'n aanbod krijgt.’",
            "Redactie Code Geel",
            &["synthetische-drugs"],
            "openbaar",
        ),
        article(
            "Vijf signalen op het erf",
            "Waar let u op als boer, buurman of toezichthouder? Een overzicht uit het barrièremodel van de fenomeentafel.",
            "Ongebruikelijke huurders die contant betalen. Afgeplakte ramen en nieuwe sloten. Veel verkeer op vreemde tijden. Een sterke chemische geur. \
             Stroomverbruik dat niet bij het bedrijf past.\n\nZiet u zo'n signaal, meld het dan bij de gemeente of bij Meld Misdaad Anoniem.",
            "LIEC, met de fenomeentafel",
            &["synthetische-drugs", "hennepteelt"],
            "openbaar",
        ),
        article(
            "Zo pakte Oost-Brabant het aan",
            "Een integrale aanpak van vijftig erven in één jaar: wat werkte, wat niet, en wat andere regio's kunnen overnemen.",
            "Het RIEC Oost-Brabant bracht met gemeenten, politie, Belastingdienst en de provincie in kaart welke erven kwetsbaar zijn. \
             Per erf werd een interventie gekozen: een bestuurlijk gesprek, een controle, soms een Bibob-toets bij een vergunning.\n\n\
             De les: begin klein, met een gemeente die wil, en leg de afspraken met de partners vooraf vast.",
            "RIEC Oost-Brabant",
            &[],
            "netwerk",
        ),
    ] {
        app.add_article(&editor, issue, &a).await?;
    }
    let version = app.edition(&editor, issue).await?.row.version;
    clock.set_back(85 * DAY);
    app.publish_edition(&editor, issue, version, true).await?;

    clock.set_back(3 * DAY);
    let next = app
        .create_edition(
            &editor,
            &EditionInput { number: "1".into(), year: year(0).to_string(), introduction: "Het eerste nummer van het nieuwe jaar.".into(), ..EditionInput::default() },
        )
        .await?;
    app.add_article(
        &editor,
        next,
        &article(
            "Een jaar Landelijke Fenomeentafels",
            "Wat leverden de tafels op, en welke knelpunten gingen naar de ministeries?",
            "De tafels kwamen dit jaar elk vier keer bijeen. In concept: de redactie vult de cijfers aan zodra het jaarverslag is vastgesteld.",
            "Redactie Code Geel",
            &["witwassen"],
            "netwerk",
        ),
    )
    .await?;
    clock.set_back(0);
    Ok(2)
}

//! The demo's two barrier models, written by the demo knowledge editor and published by the
//! LIEC coordinator before the demo cases exist, so that some of the cases' interventions name
//! the barrier they raise: georganiseerde hennepteelt in seven steps and arbeidsuitbuiting in
//! six. Fictitious but in the form the network uses. Idempotent through the knowledge base.

use knooppunt_app::barriers::{ModelChange, PartInput, StepInput};
use knooppunt_app::knowledge::{KnowledgeInput, KnowledgeQuery};
use knooppunt_app::{App, AppError, ShiftedClock};

/// A part: kind, description, and what goes with it — facilitator `actor|bewust`, signal the
/// observing partner types (`gemeente,politie`), barrier `type|responsible partner|legal basis`.
type Part = (&'static str, &'static str, &'static str);

/// A model: title, phenomenon, summary, steps (title, description, parts).
type Model = (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str, &'static [Part])]);

const MODELS: &[Model] = &[
    (
        "Barrièremodel georganiseerde hennepteelt",
        "hennepteelt",
        "Het bedrijfsproces van een hennepkwekerij in zeven stappen, van financiering tot de besteding van de winst, met per stap wie het mogelijk maakt, welke signalen er zijn en welke barrière de overheid kan opwerpen.",
        &[
            ("Financiering", "Geld voor de eerste kweek en de inrichting.", &[
                ("facilitator", "Een geldschieter of een 'investeerder' uit het criminele netwerk.", "geldschieter|bewust"),
                ("signaal", "Contante aankopen en leningen zonder zichtbare herkomst.", "belastingdienst,politie"),
                ("barriere", "Onderzoek naar onverklaard vermogen en navordering.", "fiscaal|belastingdienst|Algemene wet inzake rijksbelastingen"),
            ]),
            ("Huisvesting", "Een pand of woning waar de kwekerij komt.", &[
                ("facilitator", "Een verhuurder die niet controleert wie huurt.", "verhuurder|onbewust"),
                ("gelegenheid", "Leegstaande schuren in het buitengebied en woningen met wisselende huurders.", ""),
                ("signaal", "Afgeplakte ramen, een warm dak zonder sneeuw, de geur van hennep.", "gemeente,politie"),
                ("barriere", "Sluiting van het pand waar de kwekerij zat.", "13b-opiumwet|gemeente|Opiumwet, art. 13b"),
            ]),
            ("Inkoop van materiaal", "Lampen, filters, ventilatoren en voedingsstoffen.", &[
                ("facilitator", "Een growshop die de hele inrichting levert.", "growshop|bewust"),
                ("signaal", "Grote aankopen van kweekmateriaal tegen contante betaling.", "politie,gemeente"),
                ("barriere", "Sluiting van een growshop die voorbereidingshandelingen faciliteert.", "13b-opiumwet|gemeente|Opiumwet, art. 11a en 13b"),
            ]),
            ("Stroomvoorziening", "Veel stroom, vaak afgetapt vóór de meter.", &[
                ("facilitator", "Een elektricien die de aftap aanlegt.", "elektricien|bewust"),
                ("signaal", "Netverlies en afwijkend verbruik bij de netbeheerder.", "politie"),
                ("barriere", "Gezamenlijke controle met netbeheerder en politie.", "integrale-controle|gemeente|Gemeentewet en Elektriciteitswet"),
            ]),
            ("Kweek en oogst", "Drie tot vier oogsten per jaar.", &[
                ("facilitator", "Knippers en verzorgers die per oogst worden betaald.", "knipper|bewust"),
                ("gelegenheid", "Weinig toezicht op bedrijfspanden op industrieterreinen.", ""),
                ("signaal", "Veel korte bezoeken aan het pand, busjes die 's nachts laden.", "politie,gemeente"),
                ("barriere", "Opsporing en ruiming met beslag op de opbrengst.", "strafrecht|openbaar-ministerie|Opiumwet, art. 3 en 11"),
            ]),
            ("Afzet en transport", "De oogst gaat naar coffeeshops of over de grens.", &[
                ("facilitator", "Een transporteur die lading niet controleert.", "transporteur|onbewust"),
                ("signaal", "Voertuigen met verborgen ruimtes en geurmaskering.", "douane,politie,marechaussee"),
                ("barriere", "Controle van goederen en geld aan de grens.", "douane-nvwa|douane|Algemene douanewet"),
            ]),
            ("Besteding van de winst", "Contant geld wordt witgewassen en geïnvesteerd.", &[
                ("facilitator", "Een vastgoedmakelaar die contante aankopen begeleidt.", "vastgoedmakelaar|onbewust"),
                ("gelegenheid", "Horeca en vastgoed waarin contant geld onopvallend verdwijnt.", ""),
                ("signaal", "Aankopen die niet passen bij het inkomen.", "belastingdienst,gemeente"),
                ("barriere", "Weigering of intrekking van de vergunning van een horecazaak.", "bibob|gemeente|Wet Bibob, art. 3"),
            ]),
        ],
    ),
    (
        "Barrièremodel arbeidsuitbuiting",
        "arbeidsuitbuiting",
        "Het bedrijfsproces van arbeidsuitbuiting in zes stappen — werving, entree en identiteit, verblijfsstatus, huisvesting, werk en financiën — met per stap de facilitatoren, signalen en barrières.",
        &[
            ("Werving", "Arbeidsmigranten worden in het land van herkomst geworven met beloftes.", &[
                ("facilitator", "Een wervingsbureau in het land van herkomst.", "wervingsbureau|bewust"),
                ("signaal", "Advertenties met onrealistisch hoge lonen en kosten vooraf.", "arbeidsinspectie"),
                ("barriere", "Inspectie van het uitzendbureau dat de werving organiseert.", "arbeidsinspectie|arbeidsinspectie|Wet allocatie arbeidskrachten door intermediairs"),
            ]),
            ("Entree en identiteit", "Reizen en papieren, soms vervalst of geleend.", &[
                ("facilitator", "Een reisbureau of vervoerder die groepen overbrengt.", "vervoerder|onbewust"),
                ("signaal", "Groepen zonder eigen paspoort; één persoon houdt de documenten.", "marechaussee,ind"),
                ("barriere", "Controle bij binnenkomst en op identiteitsfraude.", "vreemdelingenrecht|marechaussee|Vreemdelingenwet 2000"),
            ]),
            ("Verblijfsstatus", "Een verblijfsstatus die van de werkgever afhangt.", &[
                ("gelegenheid", "Afhankelijkheid van de werkgever voor de vergunning.", ""),
                ("signaal", "Aanvragen met dezelfde referent voor veel personen.", "ind"),
                ("barriere", "Intrekking van de erkenning als referent.", "vreemdelingenrecht|ind|Vreemdelingenwet 2000, art. 2d"),
            ]),
            ("Huisvesting", "Overbewoning in woningen van de werkgever of een huisjesmelker.", &[
                ("facilitator", "Een huisjesmelker die per bed verhuurt.", "verhuurder|bewust"),
                ("signaal", "Veel inschrijvingen op één adres, klachten van buren.", "gemeente"),
                ("barriere", "Handhaving op overbewoning en brandveiligheid.", "174a-gemeentewet|gemeente|Gemeentewet, art. 125; Huisvestingswet"),
            ]),
            ("Werk", "Lange dagen onder het minimumloon, zonder veiligheid.", &[
                ("facilitator", "Een inlener die niet vraagt hoe het uitzendbureau zo goedkoop kan zijn.", "inlener|onbewust"),
                ("signaal", "Onderbetaling, geen rust, geen beschermingsmiddelen.", "arbeidsinspectie,uwv"),
                ("barriere", "Inspectie met stillegging en boete.", "arbeidsinspectie|arbeidsinspectie|Wet minimumloon en minimumvakantiebijslag"),
            ]),
            ("Financiën", "Inhoudingen voor huur, vervoer en schulden; het loon verdwijnt.", &[
                ("facilitator", "Een boekhouder die loonstroken opmaakt die niet kloppen.", "boekhouder|bewust"),
                ("signaal", "Loon dat op één rekening voor velen binnenkomt.", "belastingdienst,politie"),
                ("barriere", "Strafrechtelijk onderzoek naar uitbuiting met ontneming.", "strafrecht|openbaar-ministerie|Wetboek van Strafrecht, art. 273f"),
            ]),
        ],
    ),
];

/// Writes and publishes the two models (once); how many it published.
pub async fn populate_barrier_models(app: &App, clock: &ShiftedClock) -> Result<usize, AppError> {
    let editor = crate::signals::act_as(app, "demo.kennis").await?;
    let liec = crate::signals::act_as(app, "demo.liec").await?;
    let existing = app.knowledge_list(&editor, &KnowledgeQuery { kind: Some("barrieremodel".into()), page: 1, ..Default::default() }).await?;
    if existing.total > 0 {
        return Ok(0);
    }
    // Written before the two years of demo cases begin.
    clock.set_back(800 * 86_400_000);
    let mut published = 0;
    for (title, phenomenon, summary, steps) in MODELS {
        let input = KnowledgeInput {
            kind: "barrieremodel".into(),
            title: title.to_string(),
            summary: summary.to_string(),
            body: "Een barrièremodel laat zien welke stappen criminelen moeten zetten en waar de overheid en haar partners een barrière kunnen opwerpen. Het is een hulpmiddel bij de casusaanpak: interventies in een casus kunnen de barrière noemen die ze opwerpen.".into(),
            audience: "netwerk".into(),
            phenomena: vec![phenomenon.to_string()],
            partner_types: vec!["gemeente".into(), "politie".into()],
            ..Default::default()
        };
        let id = app.create_knowledge_item(&editor, &input).await?;
        let mut version = 1;
        for (step_title, description, parts) in steps.iter() {
            version =
                app.change_barrier_model(&editor, id, &ModelChange::AddStep(StepInput { title: step_title.to_string(), description: description.to_string(), version })).await?;
            let model = app.barrier_model(&editor, id).await?;
            let step = model.steps.last().map(|s| s.step.id).ok_or(AppError::NotFound("stap"))?;
            for (part, text, extra) in parts.iter() {
                let mut p = PartInput { part: part.to_string(), description: text.to_string(), version, ..Default::default() };
                let fields: Vec<&str> = extra.split('|').collect();
                match *part {
                    "facilitator" => {
                        p.actor = fields.first().unwrap_or(&"").to_string();
                        p.knowing = fields.get(1).unwrap_or(&"").to_string();
                    }
                    "signaal" => p.observed_by = extra.split(',').map(str::to_string).collect(),
                    "barriere" => {
                        p.intervention_type = fields.first().unwrap_or(&"").to_string();
                        p.partner_type = fields.get(1).unwrap_or(&"").to_string();
                        p.legal_basis = fields.get(2).unwrap_or(&"").to_string();
                    }
                    _ => {}
                }
                version = app.change_barrier_model(&editor, id, &ModelChange::AddPart(step, p)).await?;
            }
        }
        app.knowledge_step(&editor, id, "indienen", version, "").await?;
        app.knowledge_step(&liec, id, "publiceren", version, "").await?;
        published += 1;
    }
    clock.set_back(0);
    Ok(published)
}

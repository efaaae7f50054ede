//! Writes a sample document to the file named as the first argument (to look at the layout).

use knooppunt_pdf::{render, Block, Document};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args().nth(1).ok_or("geef een bestandsnaam")?;
    let rows: Vec<Vec<String>> = (0..60).map(|i| vec![format!("OB-2026-{i:04}"), "Gemeente Eindhoven".into(), "Casusdossier inzien".into(), format!("{i}")]).collect();
    let doc = Document {
        title: "Antwoord op uw verzoek VB-2026-1".into(),
        language: "nl".into(),
        blocks: vec![
            Block::Facts(vec![("Aan".into(), "D. Verzoeker".into()), ("Uw verzoek".into(), "Inzage, ontvangen door Gemeente Eindhoven op 28-11-2026".into())]),
            Block::Paragraph("Uw gegevens zijn gedeeld binnen het samenwerkingsverband van het RIEC-LIEC. De partners hieronder zijn elk zelf verantwoordelijk voor wat zij leverden en geven elk in hun eigen naam antwoord. Één, twee, € 5,00.".into()),
            Block::Heading("Gemeente Eindhoven".into()),
            Block::Subheading("Verstrekken".into()),
            Block::Table { caption: "Wie uw gegevens heeft verwerkt".into(), header: vec!["Dossier".into(), "Organisatie".into(), "Verwerking".into(), "Aantal keer".into()], rows, widths: vec![1.2, 2.0, 2.0, 0.8] },
        ],
        footer: "knooppunt · opgesteld 30-11-2026".into(),
    };
    std::fs::write(out, render(&doc)?)?;
    Ok(())
}

//! Each region's focus list (speerpunten) in the demo, set by the LIEC, so the taxonomy page and
//! the regions read as in use. Idempotent: nothing changes once any region has a focus list.

use crate::signals::act_as;
use knooppunt_app::{App, AppError};

/// Region code and its phenomena of priority (fictitious, after the themes each region is known for).
const FOCUS: &[(&str, &[&str])] = &[
    ("noord-nederland", &["hennepteelt", "buitengebied", "arbeidsuitbuiting"]),
    ("oost-nederland", &["synthetische-drugs", "buitengebied", "omg"]),
    ("midden-nederland", &["witwassen", "vastgoed", "zorgfraude"]),
    ("noord-holland", &["drugshandel", "vastgoed", "witwassen"]),
    ("amsterdam-amstelland", &["witwassen", "vastgoed", "mensenhandel"]),
    ("den-haag", &["vastgoed", "zorgfraude", "arbeidsuitbuiting"]),
    ("rotterdam", &["drugshandel", "witwassen", "mensenhandel"]),
    ("zeeland-west-brabant", &["drugshandel", "synthetische-drugs", "buitengebied"]),
    ("oost-brabant", &["synthetische-drugs", "hennepteelt", "buitengebied"]),
    ("limburg", &["synthetische-drugs", "hennepteelt", "omg"]),
];

/// Sets the focus lists (once). Returns how many regions got one.
pub async fn populate_focus(app: &App) -> Result<usize, AppError> {
    let liec = act_as(app, "demo.liec").await?;
    if app.taxonomy(&liec).await?.focus.iter().any(|f| !f.phenomena.is_empty()) {
        return Ok(0);
    }
    for (region, phenomena) in FOCUS {
        app.set_region_focus(&liec, region, &phenomena.iter().map(|p| p.to_string()).collect::<Vec<_>>()).await?;
    }
    Ok(FOCUS.len())
}

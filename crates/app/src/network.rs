//! The network as data: administrators add, rename and merge regions, move municipalities and
//! add organisations, without code changes; every change keeps its history.

use crate::{commit, App, AppError, Ctx, Object, Outcome};
use knooppunt_domain::{CbsCode, Invalid, PartnerType, RegionCode, RegionKind};
use knooppunt_policy::Action;
use knooppunt_store::network::{
    self, MunicipalityFilter, MunicipalityHistory, MunicipalityRow, NewOrganisation, NewRegion, OrganisationFilter, OrganisationRow, RegionEvent, RegionRow,
};
use knooppunt_store::Tx;

pub use knooppunt_store::network::{MunicipalityFilter as MunicipalityQuery, OrganisationFilter as OrganisationQuery};

#[derive(Debug, Clone)]
pub struct RegionDetail {
    pub region: RegionRow,
    pub parent: Option<RegionRow>,
    pub merged_into: Option<RegionRow>,
    pub municipalities: Vec<MunicipalityRow>,
    pub organisations: Vec<OrganisationRow>,
    pub events: Vec<RegionEvent>,
}

#[derive(Debug, Clone)]
pub struct MunicipalityDetail {
    pub municipality: MunicipalityRow,
    pub history: Vec<MunicipalityHistory>,
}

#[derive(Debug, Clone, Default)]
pub struct NewRegionInput {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_code: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct NewOrganisationInput {
    pub name: String,
    pub partner_type: String,
    /// The region it works in; required unless the partner type is national.
    pub region_code: Option<String>,
}

fn validate_name(invalid: &mut Invalid, field: &str, name: &str) -> Option<String> {
    let n = name.trim();
    if n.is_empty() {
        invalid.push(field, "Vul een naam in.");
        None
    } else if n.chars().count() > 200 {
        invalid.push(field, "Een naam heeft hoogstens 200 tekens.");
        None
    } else if let Some(m) = knooppunt_domain::text::unsafe_char_message(n) {
        invalid.push(field, m);
        None
    } else {
        Some(n.to_string())
    }
}

async fn region_by_code(tx: &mut Tx, code: &str) -> Result<RegionRow, AppError> {
    network::find_region_by_code(tx, code).await?.ok_or(AppError::NotFound("regio"))
}

impl App {
    pub async fn list_regions(&self, ctx: &Ctx) -> Result<Vec<RegionRow>, AppError> {
        self.authorize(ctx, Action::ViewNetwork, &Object::new("regio", "*")).await?;
        let mut tx = self.begin().await?;
        let rows = network::list_regions(&mut tx).await?;
        commit(tx).await?;
        Ok(rows)
    }

    pub async fn region(&self, ctx: &Ctx, code: &str) -> Result<RegionDetail, AppError> {
        self.authorize(ctx, Action::ViewNetwork, &Object::new("regio", code)).await?;
        let mut tx = self.begin().await?;
        let region = region_by_code(&mut tx, code).await?;
        let parent = match region.parent_id {
            Some(id) => network::find_region(&mut tx, id).await?,
            None => None,
        };
        let merged_into = match region.merged_into_id {
            Some(id) => network::find_region(&mut tx, id).await?,
            None => None,
        };
        let municipalities = network::list_municipalities(&mut tx, &MunicipalityFilter { region_id: Some(region.id), text: None }).await?;
        let organisations =
            network::list_organisations(&mut tx, &OrganisationFilter { region_id: Some(region.id), ..Default::default() }).await?.into_iter().filter(|o| !o.national).collect();
        let events = network::region_events(&mut tx, region.id).await?;
        commit(tx).await?;
        Ok(RegionDetail { region, parent, merged_into, municipalities, organisations, events })
    }

    pub async fn create_region(&self, ctx: &Ctx, input: &NewRegionInput) -> Result<RegionRow, AppError> {
        let p = self.authorize(ctx, Action::ManageNetwork, &Object::new("regio", &input.code)).await?;
        let mut invalid = Invalid::default();
        let code = invalid.check("code", RegionCode::parse(&input.code));
        let name = validate_name(&mut invalid, "naam", &input.name);
        let kind = invalid.check("soort", RegionKind::parse(&input.kind));
        let mut tx = self.begin().await?;
        if let Some(code) = &code {
            if network::find_region_by_code(&mut tx, code.as_str()).await?.is_some() {
                invalid.push("code", "Er bestaat al een regio met deze code.");
            }
        }
        if let Some(n) = &name {
            look_alike_region(&mut tx, &mut invalid, n, None).await?;
        }
        let mut parent_id = None;
        if let Some(pc) = input.parent_code.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            match network::find_region_by_code(&mut tx, pc).await? {
                Some(parent) if parent.active => parent_id = Some(parent.id),
                _ => invalid.push("bovenliggendeRegio", "Deze bovenliggende regio bestaat niet of is opgeheven."),
            }
        }
        invalid.clone().into_result()?;
        let (Some(code), Some(name), Some(kind)) = (code, name, kind) else { return Err(invalid.into()) };
        let now = self.now();
        let id = network::insert_region(&mut tx, NewRegion { code: code.as_str(), name: &name, kind: kind.code(), parent_id }, now).await?;
        network::add_region_event(&mut tx, id, &RegionEvent { event: "aangemaakt".into(), detail: name.clone(), actor: p.label.clone(), at: now }).await?;
        self.audit(&mut tx, ctx, "regio-aangemaakt", &Object::new("regio", code.as_str()), Outcome::Ok, &name).await?;
        let row = network::find_region(&mut tx, id).await?.ok_or(AppError::NotFound("regio"))?;
        commit(tx).await?;
        Ok(row)
    }

    pub async fn rename_region(&self, ctx: &Ctx, code: &str, new_name: &str) -> Result<RegionRow, AppError> {
        let p = self.authorize(ctx, Action::ManageNetwork, &Object::new("regio", code)).await?;
        let mut invalid = Invalid::default();
        let name = validate_name(&mut invalid, "naam", new_name);
        let mut tx = self.begin().await?;
        let region = region_by_code(&mut tx, code).await?;
        if let Some(n) = &name {
            look_alike_region(&mut tx, &mut invalid, n, Some(region.id)).await?;
        }
        invalid.clone().into_result()?;
        let Some(name) = name else { return Err(invalid.into()) };
        let now = self.now();
        network::rename_region(&mut tx, region.id, &name, now).await?;
        let detail = format!("{} → {}", region.name, name);
        network::add_region_event(&mut tx, region.id, &RegionEvent { event: "hernoemd".into(), detail: detail.clone(), actor: p.label.clone(), at: now }).await?;
        self.audit(&mut tx, ctx, "regio-hernoemd", &Object::new("regio", code), Outcome::Ok, &detail).await?;
        let row = network::find_region(&mut tx, region.id).await?.ok_or(AppError::NotFound("regio"))?;
        commit(tx).await?;
        Ok(row)
    }

    /// Merges region `from` into `into`: its municipalities, organisations, sub-regions and
    /// role grants move; `from` stays as an inactive region pointing at its successor, and both
    /// keep the event in their history.
    pub async fn merge_region(&self, ctx: &Ctx, from: &str, into: &str) -> Result<RegionRow, AppError> {
        let p = self.authorize(ctx, Action::ManageNetwork, &Object::new("regio", from)).await?;
        let mut tx = self.begin().await?;
        let source = region_by_code(&mut tx, from).await?;
        let mut invalid = Invalid::default();
        let target = network::find_region_by_code(&mut tx, into).await?;
        match &target {
            None => invalid.push("doelRegio", "Deze doelregio bestaat niet."),
            Some(t) if !t.active => invalid.push("doelRegio", "De doelregio is zelf opgeheven; kies de regio waarin die is opgegaan."),
            Some(t) if t.id == source.id => invalid.push("doelRegio", "Een regio kan niet met zichzelf worden samengevoegd."),
            Some(t) if t.kind != source.kind => invalid.push("doelRegio", "Alleen regio's van dezelfde soort kunnen worden samengevoegd."),
            Some(_) => {}
        }
        if !source.active {
            return Err(AppError::Conflict("Deze regio is al samengevoegd met een andere regio.".into()));
        }
        invalid.clone().into_result()?;
        let Some(target) = target else { return Err(invalid.into()) };
        let now = self.now();
        let moved = network::merge_region(&mut tx, source.id, target.id, now).await?;
        let detail = format!("{} opgegaan in {} ({} gemeenten verplaatst)", source.name, target.name, moved.len());
        for id in [source.id, target.id] {
            network::add_region_event(&mut tx, id, &RegionEvent { event: "samengevoegd".into(), detail: detail.clone(), actor: p.label.clone(), at: now }).await?;
        }
        self.audit(&mut tx, ctx, "regio-samengevoegd", &Object::new("regio", from), Outcome::Ok, &detail).await?;
        let row = network::find_region(&mut tx, target.id).await?.ok_or(AppError::NotFound("regio"))?;
        commit(tx).await?;
        Ok(row)
    }

    pub async fn list_municipalities(&self, ctx: &Ctx, region_code: Option<&str>, text: Option<&str>) -> Result<Vec<MunicipalityRow>, AppError> {
        self.authorize(ctx, Action::ViewNetwork, &Object::new("gemeente", "*")).await?;
        let mut tx = self.begin().await?;
        let region_id = match region_code.filter(|s| !s.is_empty()) {
            Some(code) => Some(region_by_code(&mut tx, code).await?.id),
            None => None,
        };
        let text = text.map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        let rows = network::list_municipalities(&mut tx, &MunicipalityFilter { region_id, text }).await?;
        commit(tx).await?;
        Ok(rows)
    }

    pub async fn municipality(&self, ctx: &Ctx, cbs: &str) -> Result<MunicipalityDetail, AppError> {
        self.authorize(ctx, Action::ViewNetwork, &Object::new("gemeente", cbs)).await?;
        let code = CbsCode::parse(cbs).map_err(|m| Invalid::one("cbsCode", m))?;
        let mut tx = self.begin().await?;
        let municipality = network::find_municipality_by_cbs(&mut tx, code.as_str()).await?.ok_or(AppError::NotFound("gemeente"))?;
        let history = network::municipality_history(&mut tx, municipality.id).await?;
        commit(tx).await?;
        Ok(MunicipalityDetail { municipality, history })
    }

    /// Moves a municipality (and so its municipal organisation) to another RIEC region.
    pub async fn move_municipality(&self, ctx: &Ctx, cbs: &str, region_code: &str) -> Result<MunicipalityDetail, AppError> {
        let p = self.authorize(ctx, Action::ManageNetwork, &Object::new("gemeente", cbs)).await?;
        let code = CbsCode::parse(cbs).map_err(|m| Invalid::one("cbsCode", m))?;
        let mut tx = self.begin().await?;
        let m = network::find_municipality_by_cbs(&mut tx, code.as_str()).await?.ok_or(AppError::NotFound("gemeente"))?;
        let target = network::find_region_by_code(&mut tx, region_code.trim()).await?;
        let target = match target {
            Some(t) if t.active && t.kind == RegionKind::Riec.code() => t,
            Some(_) => return Err(Invalid::one("regio", "Een gemeente hoort bij een actieve RIEC-regio.").into()),
            None => return Err(Invalid::one("regio", "Deze regio bestaat niet.").into()),
        };
        if target.id == m.region_id {
            return Err(Invalid::one("regio", "De gemeente hoort al bij deze regio.").into());
        }
        let now = self.now();
        network::move_municipality(&mut tx, m.id, target.id, now).await?;
        let detail = format!("{} van {} naar {}", m.name, m.region_name, target.name);
        for id in [m.region_id, target.id] {
            network::add_region_event(&mut tx, id, &RegionEvent { event: "gemeente-verplaatst".into(), detail: detail.clone(), actor: p.label.clone(), at: now }).await?;
        }
        self.audit(&mut tx, ctx, "gemeente-verplaatst", &Object::new("gemeente", code.as_str()), Outcome::Ok, &detail).await?;
        let municipality = network::find_municipality_by_cbs(&mut tx, code.as_str()).await?.ok_or(AppError::NotFound("gemeente"))?;
        let history = network::municipality_history(&mut tx, m.id).await?;
        commit(tx).await?;
        Ok(MunicipalityDetail { municipality, history })
    }

    pub async fn list_organisations(&self, ctx: &Ctx, region_code: Option<&str>, partner_type: Option<&str>, text: Option<&str>) -> Result<Vec<OrganisationRow>, AppError> {
        self.authorize(ctx, Action::ViewNetwork, &Object::new("organisatie", "*")).await?;
        let mut invalid = Invalid::default();
        let partner_type = partner_type.filter(|s| !s.is_empty()).and_then(|t| invalid.check("partnertype", PartnerType::parse(t)));
        invalid.into_result()?;
        let mut tx = self.begin().await?;
        let region_id = match region_code.filter(|s| !s.is_empty()) {
            Some(code) => Some(region_by_code(&mut tx, code).await?.id),
            None => None,
        };
        let text = text.map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        let rows = network::list_organisations(&mut tx, &OrganisationFilter { region_id, partner_type: partner_type.map(|p| p.code().to_string()), text }).await?;
        commit(tx).await?;
        Ok(rows)
    }

    pub async fn organisation(&self, ctx: &Ctx, id: i64) -> Result<OrganisationRow, AppError> {
        self.authorize(ctx, Action::ViewNetwork, &Object::new("organisatie", id)).await?;
        let mut tx = self.begin().await?;
        let row = network::find_organisation(&mut tx, id).await?.ok_or(AppError::NotFound("organisatie"))?;
        commit(tx).await?;
        Ok(row)
    }

    pub async fn create_organisation(&self, ctx: &Ctx, input: &NewOrganisationInput) -> Result<OrganisationRow, AppError> {
        self.authorize(ctx, Action::ManageNetwork, &Object::new("organisatie", &input.name)).await?;
        let mut invalid = Invalid::default();
        let name = validate_name(&mut invalid, "naam", &input.name);
        let kind = invalid.check("partnertype", PartnerType::parse(&input.partner_type));
        if kind == Some(PartnerType::Gemeente) {
            invalid.push("partnertype", "Gemeentelijke organisaties komen uit de gemeentelijst; voeg die niet met de hand toe.");
        }
        let mut tx = self.begin().await?;
        if let Some(n) = &name {
            // Unique by the look-alike key: case, width, spacing, invisible characters and
            // confusable letters do not make a second "Nationale Politie".
            let key = knooppunt_domain::text::name_key(n);
            let existing = network::list_organisations(&mut tx, &OrganisationFilter::default()).await?;
            if let Some(same) = existing.iter().find(|o| knooppunt_domain::text::name_key(&o.name) == key) {
                invalid.push("naam", format!("Er bestaat al een organisatie met deze naam: {}.", same.name));
            }
        }
        let national = kind.is_some_and(PartnerType::is_national);
        let mut home_region_id = None;
        match input.region_code.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(code) => match network::find_region_by_code(&mut tx, code).await? {
                Some(r) if r.active => home_region_id = Some(r.id),
                _ => invalid.push("regio", "Deze regio bestaat niet of is opgeheven."),
            },
            None if !national && kind.is_some() => invalid.push("regio", "Kies de regio waarin deze organisatie werkt."),
            None => {}
        }
        invalid.clone().into_result()?;
        let (Some(name), Some(kind)) = (name, kind) else { return Err(invalid.into()) };
        let id = network::insert_organisation(
            &mut tx,
            NewOrganisation { name: &name, partner_type: kind.code(), municipality_id: None, home_region_id: if national { None } else { home_region_id }, national },
            self.now(),
        )
        .await?;
        self.audit(&mut tx, ctx, "organisatie-aangemaakt", &Object::new("organisatie", id), Outcome::Ok, &name).await?;
        let row = network::find_organisation(&mut tx, id).await?.ok_or(AppError::NotFound("organisatie"))?;
        commit(tx).await?;
        Ok(row)
    }
}

/// Refuses a region name that looks like the name of another active region (case, width,
/// spacing, invisible characters, confusable letters), as organisation names are.
async fn look_alike_region(tx: &mut Tx, invalid: &mut Invalid, name: &str, except: Option<i64>) -> Result<(), AppError> {
    let key = knooppunt_domain::text::name_key(name);
    let regions = network::list_regions(tx).await?;
    if let Some(same) = regions.iter().find(|r| r.active && Some(r.id) != except && knooppunt_domain::text::name_key(&r.name) == key) {
        invalid.push("naam", format!("Er bestaat al een regio met deze naam: {}.", same.name));
    }
    Ok(())
}

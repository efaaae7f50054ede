//! The configurable reference lists of the case files: legal bases, purposes and the
//! intervention catalogue.

use super::*;

impl App {
    /// Adds or changes a legal basis (with the partner type it belongs to, or none) or a purpose
    /// of the configurable reference lists (LIEC coordinator or administrator).
    pub async fn save_case_reference(&self, ctx: &Ctx, legal_basis: bool, code: &str, name: &str, partner_type: &str) -> Result<(), AppError> {
        self.authorize(ctx, Action::ManageCaseReference, &Object::new("referentielijst", code.trim())).await?;
        let mut invalid = Invalid::default();
        let code = code.trim().to_lowercase();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') || code.len() > 50 {
            invalid.push("code", "Gebruik kleine letters, cijfers en streepjes (hoogstens 50).");
        }
        let name = text(&mut invalid, "naam", name, Some("Geef de naam."), 300);
        let partner_type = partner_type.trim();
        if legal_basis && !partner_type.is_empty() && knooppunt_domain::PartnerType::parse(partner_type).is_err() {
            invalid.push("partnertype", format!("Onbekend partnertype '{partner_type}'."));
        }
        invalid.into_result()?;
        let table = if legal_basis { store::RefTable::LegalBases } else { store::RefTable::Purposes };
        let mut tx = self.begin().await?;
        store::save_reference(&mut tx, table, &code, &name, partner_type).await?;
        self.audit(&mut tx, ctx, "referentielijst-gewijzigd", &Object::new(if legal_basis { "grondslag" } else { "doel" }, &code), Outcome::Ok, &name).await?;
        commit(tx).await
    }

    /// Adds or changes an intervention type in the catalogue (LIEC).
    pub async fn save_intervention_type(&self, ctx: &Ctx, code: &str, name: &str, category: &str, carried_by: &str) -> Result<(), AppError> {
        self.authorize(ctx, Action::ManageInterventionCatalogue, &Object::new("interventietype", code.trim())).await?;
        let mut invalid = Invalid::default();
        let code = code.trim().to_lowercase();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') || code.len() > 50 {
            invalid.push("code", "Gebruik kleine letters, cijfers en streepjes (hoogstens 50).");
        }
        let name = text(&mut invalid, "naam", name, Some("Geef de naam van de interventie."), 300);
        let category = text(&mut invalid, "categorie", category, Some("Geef de categorie, bijvoorbeeld bestuurlijk."), 100);
        let by = text(&mut invalid, "uitvoerder", carried_by, Some("Noem wie de interventie uitvoert."), 200);
        invalid.into_result()?;
        let mut tx = self.begin().await?;
        store::save_intervention_type(&mut tx, &code, &name, &category, &by, true).await?;
        self.audit(&mut tx, ctx, "interventiecatalogus-gewijzigd", &Object::new("interventietype", &code), Outcome::Ok, &name).await?;
        commit(tx).await
    }
}

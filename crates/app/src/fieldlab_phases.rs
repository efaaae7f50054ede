//! The phases of the LIEC Field Lab Hub, kept by the LIEC: rename a phase, put it elsewhere in
//! the order, add one, remove one that no lab is in and nothing was recorded in. The network
//! reads them (the hub shows every lab's phase).

use crate::cases::text;
use crate::fieldlabs::PhaseRow;
use crate::{commit, App, AppError, Ctx, Object, Outcome, Tx};
use knooppunt_domain::text::slug;
use knooppunt_domain::Invalid;
use knooppunt_policy::fieldlabs::{may_manage, scope};
use knooppunt_store::fieldlabs as store;

/// The phases with their use, and whether the reader keeps them.
#[derive(Debug, Clone)]
pub struct PhaseList {
    pub rows: Vec<PhaseRow>,
    pub may_manage: bool,
}

/// A phase as the LIEC types it: its name and its place in the order (1 is first; empty puts
/// a new phase last and leaves a renamed one where it is).
#[derive(Debug, Clone, Default)]
pub struct PhaseInput {
    pub name: String,
    pub position: String,
}

const OBJECT: &str = "field-lab-fase";

/// `rows`' codes in their order with `code` moved to `position` (1-based, clamped).
fn placed(rows: &[PhaseRow], code: &str, position: usize) -> Vec<String> {
    let mut order: Vec<String> = rows.iter().map(|r| r.code.clone()).filter(|c| c != code).collect();
    let at = position.saturating_sub(1).min(order.len());
    order.insert(at, code.to_string());
    order
}

/// The position typed, checked against `max`; `None` (and an error) when it is not a number in
/// 1..=max, `Some(None)` when empty.
fn position_of(invalid: &mut Invalid, raw: &str, max: usize) -> Option<Option<usize>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some(None);
    }
    match raw.parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Some(Some(n)),
        _ => {
            invalid.push("positie", format!("Vul de plaats in de volgorde in als getal van 1 tot en met {max}."));
            None
        }
    }
}

impl App {
    /// The hub's phases in order, for the network.
    pub async fn field_lab_phases(&self, ctx: &Ctx) -> Result<PhaseList, AppError> {
        let p = ctx.principal()?.clone();
        if !scope(&p).network() {
            return Err(self.refuse(None, ctx, &Object::new(OBJECT, "*"), "de Field Lab Hub is voor het netwerk", AppError::NotFound("fasen")).await);
        }
        let mut tx = self.begin_read().await?;
        let rows = store::phase_rows(&mut tx).await?;
        commit(tx).await?;
        Ok(PhaseList { rows, may_manage: may_manage(&p).allowed })
    }

    async fn phases_to_change(&self, ctx: &Ctx, object: &str) -> Result<(Tx, Vec<PhaseRow>), AppError> {
        let p = ctx.principal()?.clone();
        let d = may_manage(&p);
        if !d.allowed {
            return Err(self.refuse(None, ctx, &Object::new(OBJECT, object), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let mut tx = self.begin().await?;
        let rows = store::phase_rows(&mut tx).await?;
        Ok((tx, rows))
    }

    /// Gives the phases the order of `order`, renaming `code` to `name`.
    async fn reorder(&self, tx: &mut Tx, rows: &[PhaseRow], order: &[String], code: &str, name: &str) -> Result<(), AppError> {
        for (i, c) in order.iter().enumerate() {
            let n = i64::try_from(i).unwrap_or(i64::MAX - 1) + 1;
            if let Some(r) = rows.iter().find(|r| &r.code == c) {
                let new_name = if c == code { name } else { r.name.as_str() };
                if r.ordinal != n || r.name != new_name {
                    store::update_phase(tx, c, new_name, n).await?;
                }
            }
        }
        Ok(())
    }

    /// The LIEC adds a phase; its code (made of the name).
    pub async fn add_field_lab_phase(&self, ctx: &Ctx, input: &PhaseInput) -> Result<String, AppError> {
        let (mut tx, rows) = self.phases_to_change(ctx, "nieuw").await?;
        let mut invalid = Invalid::default();
        let name = text(&mut invalid, "naam", &input.name, Some("Geef de fase een naam."), 100);
        let position = position_of(&mut invalid, &input.position, rows.len() + 1);
        let base = slug(&name);
        if !name.is_empty() && base.is_empty() {
            invalid.push("naam", "Gebruik in de naam ten minste een letter of cijfer.");
        }
        if rows.iter().any(|r| r.name.to_lowercase() == name.to_lowercase()) {
            invalid.push("naam", "Er is al een fase met deze naam.");
        }
        invalid.into_result()?;
        let mut code = base.clone();
        let mut n = 2;
        while rows.iter().any(|r| r.code == code) {
            code = format!("{base}-{n}");
            n += 1;
        }
        let at = position.flatten().unwrap_or(rows.len() + 1);
        if !store::insert_phase(&mut tx, &code, &name, i64::try_from(at).unwrap_or(i64::MAX)).await? {
            return Err(AppError::Conflict("Deze fase is net door een ander toegevoegd.".into()));
        }
        let mut all = store::phase_rows(&mut tx).await?;
        all.retain(|r| r.code != code);
        let order = placed(&all, &code, at);
        all.push(PhaseRow { code: code.clone(), name: name.clone(), ordinal: -1, labs: 0, records: 0 });
        self.reorder(&mut tx, &all, &order, &code, &name).await?;
        self.audit(&mut tx, ctx, "field-lab-fasen", &Object::new(OBJECT, code.as_str()), Outcome::Ok, &format!("toegevoegd als {at}: {name}")).await?;
        commit(tx).await?;
        Ok(code)
    }

    /// The LIEC renames phase `code` or moves it in the order.
    pub async fn update_field_lab_phase(&self, ctx: &Ctx, code: &str, input: &PhaseInput) -> Result<(), AppError> {
        let (mut tx, rows) = self.phases_to_change(ctx, code).await?;
        let Some(current) = rows.iter().find(|r| r.code == code) else {
            return Err(AppError::NotFound("fase"));
        };
        let mut invalid = Invalid::default();
        let name = text(&mut invalid, "naam", &input.name, Some("Geef de fase een naam."), 100);
        let position = position_of(&mut invalid, &input.position, rows.len());
        if rows.iter().any(|r| r.code != code && r.name.to_lowercase() == name.to_lowercase()) {
            invalid.push("naam", "Er is al een fase met deze naam.");
        }
        invalid.into_result()?;
        let now_at = rows.iter().position(|r| r.code == code).map_or(1, |i| i + 1);
        let at = position.flatten().unwrap_or(now_at);
        let order = placed(&rows, code, at);
        self.reorder(&mut tx, &rows, &order, code, &name).await?;
        self.audit(&mut tx, ctx, "field-lab-fasen", &Object::new(OBJECT, code), Outcome::Ok, &format!("{} → {name}, plaats {at}", current.name)).await?;
        commit(tx).await
    }

    /// The LIEC removes phase `code`: not while a lab is in it or something was recorded in it,
    /// and never the last one.
    pub async fn remove_field_lab_phase(&self, ctx: &Ctx, code: &str) -> Result<(), AppError> {
        let (mut tx, rows) = self.phases_to_change(ctx, code).await?;
        let Some(current) = rows.iter().find(|r| r.code == code).cloned() else {
            return Err(AppError::NotFound("fase"));
        };
        if rows.len() == 1 {
            return Err(AppError::Conflict("De hub houdt ten minste één fase.".into()));
        }
        if current.labs > 0 || current.records > 0 || !store::delete_phase(&mut tx, code).await? {
            return Err(AppError::Conflict(format!("De fase {} is in gebruik door een field lab en blijft daarom bestaan.", current.name)));
        }
        let rest: Vec<PhaseRow> = rows.into_iter().filter(|r| r.code != code).collect();
        let order: Vec<String> = rest.iter().map(|r| r.code.clone()).collect();
        self.reorder(&mut tx, &rest, &order, "", "").await?;
        self.audit(&mut tx, ctx, "field-lab-fasen", &Object::new(OBJECT, code), Outcome::Ok, &format!("verwijderd: {}", current.name)).await?;
        commit(tx).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str) -> PhaseRow {
        PhaseRow { code: code.into(), name: code.into(), ordinal: 0, labs: 0, records: 0 }
    }

    #[test]
    fn a_phase_is_placed_where_asked_and_the_rest_keep_their_order() {
        let rows = [row("a"), row("b"), row("c")];
        assert_eq!(placed(&rows, "c", 1), ["c", "a", "b"]);
        assert_eq!(placed(&rows, "a", 3), ["b", "c", "a"]);
        assert_eq!(placed(&rows, "n", 2), ["a", "n", "b", "c"]);
        assert_eq!(placed(&rows, "n", 99), ["a", "b", "c", "n"]);
    }

    #[test]
    fn a_position_is_a_number_in_range() {
        let mut invalid = Invalid::default();
        assert_eq!(position_of(&mut invalid, "", 3), Some(None));
        assert_eq!(position_of(&mut invalid, "2", 3), Some(Some(2)));
        assert_eq!(position_of(&mut invalid, "4", 3), None);
        assert_eq!(position_of(&mut invalid, "x", 3), None);
        assert_eq!(invalid.0.len(), 2);
    }
}

//! Who takes part in a case: admitting and removing partner organisations, the case team.

use super::*;

impl App {
    /// Admits a partner organisation to a pre-case or case, with a reason.
    pub async fn admit_participant(&self, ctx: &Ctx, id: i64, organisation_id: i64, reason: &str) -> Result<(), AppError> {
        let (mut tx, p, _, facts, _) = self.open_for(ctx, id, CaseAction::ManageParticipants).await?;
        let mut invalid = Invalid::default();
        let reason = text(&mut invalid, "reden", reason, Some("Geef de reden van de toelating (need-to-know)."), 2000);
        let org = network::find_organisation(&mut tx, organisation_id).await?;
        match &org {
            None => invalid.push("organisatie", "Onbekende organisatie."),
            Some(o) if !o.active || o.partner_type == "private-partner" => invalid.push("organisatie", "Alleen actieve convenantpartners kunnen deelnemen aan een casus."),
            Some(_) => {}
        }
        invalid.into_result()?;
        if !facts.phase.is_open_for_work() {
            return Err(AppError::Conflict("Partners worden toegelaten tot een pre-casus of casus; neem eerst het wegingsbesluit.".into()));
        }
        let now = self.now();
        if !store::admit(&mut tx, id, organisation_id, &p.label, &reason, now).await? {
            return Err(AppError::Conflict("Deze organisatie neemt al deel aan de casus.".into()));
        }
        let name = org.map(|o| o.name).unwrap_or_default();
        store::add_event(&mut tx, id, &CaseEvent::new(now, &p.label, "toegelaten", EventAbout::Organisation(organisation_id), format!("{name}: {reason}"))).await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "casus-deelnemer-toegelaten", &case_obj(id), Outcome::Ok, &format!("organisatie {organisation_id}")).await?;
        commit(tx).await
    }

    /// Removes a participant, with a reason; its access ends at once.
    pub async fn remove_participant(&self, ctx: &Ctx, id: i64, organisation_id: i64, reason: &str) -> Result<(), AppError> {
        let (mut tx, p, _, _, _) = self.open_for(ctx, id, CaseAction::ManageParticipants).await?;
        let mut invalid = Invalid::default();
        let reason = text(&mut invalid, "reden", reason, Some("Geef de reden waarom de partner niet meer deelneemt."), 2000);
        invalid.into_result()?;
        let now = self.now();
        if !store::remove_participant(&mut tx, id, organisation_id, &reason, now).await? {
            return Err(AppError::Conflict("Deze organisatie neemt niet (meer) deel aan de casus.".into()));
        }
        // Releases follow admission: they end with it, and a re-admission starts without them.
        let withdrawal = format!("deelname beëindigd: {reason}");
        let withdrawn = store::withdraw_all_to(&mut tx, id, organisation_id, &p.label, &withdrawal, now).await?;
        for item_id in &withdrawn {
            store::add_event(
                &mut tx,
                id,
                &CaseEvent::new(
                    now,
                    &p.label,
                    "ingetrokken",
                    EventAbout::Item { item_id: *item_id, recipient: organisation_id },
                    "vrijgave ingetrokken omdat de organisatie niet meer deelneemt",
                ),
            )
            .await?;
        }
        store::add_event(&mut tx, id, &CaseEvent::new(now, &p.label, "verwijderd", EventAbout::Organisation(organisation_id), reason)).await?;
        let detail = format!("organisatie {organisation_id}, {} vrijgave(n) ingetrokken", withdrawn.len());
        self.audit(&mut tx, ctx, "casus-deelnemer-verwijderd", &case_obj(id), Outcome::Ok, &detail).await?;
        commit(tx).await
    }

    /// Puts a RIEC staff member of the case's region on its team in a team role.
    pub async fn assign_team_member(&self, ctx: &Ctx, id: i64, username: &str, role: &str) -> Result<(), AppError> {
        let (mut tx, p, row, _, _) = self.open_for(ctx, id, CaseAction::ManageParticipants).await?;
        let mut invalid = Invalid::default();
        let role = invalid.check("teamrol", TeamRole::parse(role));
        let user = knooppunt_store::accounts::find_user_by_username(&mut tx, username.trim()).await?;
        let eligible = match &user {
            Some(u) => {
                let grants: Vec<knooppunt_policy::RoleGrant> = knooppunt_store::accounts::roles_of(&mut tx, u.id)
                    .await?
                    .iter()
                    .filter_map(|g| Role::parse(&g.role).ok().map(|role| knooppunt_policy::RoleGrant { role, region_id: g.region_id }))
                    .collect();
                knooppunt_policy::cases::may_join_team(&grants, row.region_id)
            }
            None => false,
        };
        if !eligible {
            invalid.push("gebruiker", "Kies een medewerker van het RIEC-bureau van deze regio.");
        }
        invalid.into_result()?;
        let (Some(u), Some(role)) = (user, role) else {
            return Err(AppError::Internal("checked above".into()));
        };
        if !store::add_team_member(&mut tx, id, u.id, role.code()).await? {
            return Err(AppError::Conflict("Deze medewerker heeft deze rol al in het casusteam.".into()));
        }
        store::add_event(&mut tx, id, &CaseEvent::new(self.now(), &p.label, "team", EventAbout::Case, format!("{} als {}", u.display_name, role.label().to_lowercase()))).await?;
        self.audit(&mut tx, ctx, "casusteam-gewijzigd", &case_obj(id), Outcome::Ok, &format!("gebruiker {}: {}", u.id, role.label())).await?;
        commit(tx).await
    }
}

//! User administration. Accounts hold personal data of staff: every read is recorded in the
//! processing log (activity `accountbeheer`).

use crate::auth::grants;
use crate::{commit, App, AppError, Ctx, DataSubject, Object, Outcome};
use knooppunt_domain::{DisplayName, EmailAddress, Invalid, Password, Role, Username};
use knooppunt_policy::{Action, RoleGrant};
use knooppunt_store::accounts::{self, NewUser, RoleRow, UserFilter, UserRow};
use knooppunt_store::{network, sessions, Tx};

const ACTIVITY: &str = "accountbeheer";

/// An account without its secrets.
#[derive(Debug, Clone)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub active: bool,
    pub has_totp: bool,
    pub must_change_password: bool,
    pub demo: bool,
    pub created_at: i64,
    pub roles: Vec<RoleRow>,
}

fn view(u: UserRow, roles: Vec<RoleRow>) -> UserView {
    UserView {
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        email: u.email,
        organisation_id: u.organisation_id,
        organisation_name: u.organisation_name,
        active: u.active,
        has_totp: u.totp_secret.is_some(),
        must_change_password: u.must_change_password,
        demo: u.demo,
        created_at: u.created_at,
        roles,
    }
}

fn subject(id: i64) -> DataSubject {
    DataSubject { kind: "medewerker", id: id.to_string() }
}

#[derive(Debug, Clone, Default)]
pub struct NewUserInput {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub organisation_id: Option<i64>,
    pub password: String,
    /// Role codes with an optional region code each.
    pub roles: Vec<(String, Option<String>)>,
    pub demo: bool,
    /// The password was chosen by someone else (an administrator, the CLI): the user must
    /// replace it at the first sign-in. Only fixtures (demo data, tests) set their own.
    pub temporary_password: bool,
}

/// Parses a role code with its region: regional roles need an active region, national roles
/// take none.
async fn parse_grant(tx: &mut Tx, invalid: &mut Invalid, field: &str, role: &str, region: Option<&str>) -> Result<Option<(Role, Option<i64>)>, AppError> {
    let Some(role) = invalid.check(field, Role::parse(role)) else { return Ok(None) };
    let region = region.map(str::trim).filter(|s| !s.is_empty());
    match (role.is_regional(), region) {
        (true, None) => {
            invalid.push(field, format!("De rol '{}' geldt in één regio; kies de regio.", role.label()));
            Ok(None)
        }
        (false, Some(_)) => {
            invalid.push(field, format!("De rol '{}' is landelijk en hoort niet bij een regio.", role.label()));
            Ok(None)
        }
        (false, None) => Ok(Some((role, None))),
        (true, Some(code)) => match network::find_region_by_code(tx, code).await? {
            Some(r) if r.active => Ok(Some((role, Some(r.id)))),
            _ => {
                invalid.push(field, "Deze regio bestaat niet of is opgeheven.");
                Ok(None)
            }
        },
    }
}

impl App {
    pub async fn list_users(&self, ctx: &Ctx, text: Option<&str>) -> Result<Vec<UserView>, AppError> {
        self.authorize(ctx, Action::ViewUsers, &Object::new("gebruiker", "*")).await?;
        let mut tx = self.begin_read().await?;
        let filter = UserFilter { text: text.map(str::trim).filter(|s| !s.is_empty()).map(String::from), organisation_id: None };
        let rows = accounts::list_users(&mut tx, &filter).await?;
        let mut out = Vec::with_capacity(rows.len());
        for u in rows {
            let roles = accounts::roles_of(&mut tx, u.id).await?;
            out.push(view(u, roles));
        }
        let subjects: Vec<DataSubject> = out.iter().map(|u| subject(u.id)).collect();
        commit(tx).await?;
        self.log_personal_read(ctx, ACTIVITY, "gebruikers-bekeken", &Object::new("gebruiker", "*"), &subjects).await?;
        Ok(out)
    }

    pub async fn user(&self, ctx: &Ctx, id: i64) -> Result<UserView, AppError> {
        self.authorize(ctx, Action::ViewUsers, &Object::new("gebruiker", id)).await?;
        let mut tx = self.begin_read().await?;
        let u = accounts::find_user(&mut tx, id).await?.ok_or(AppError::NotFound("gebruiker"))?;
        let roles = accounts::roles_of(&mut tx, id).await?;
        commit(tx).await?;
        self.log_personal_read(ctx, ACTIVITY, "gebruiker-bekeken", &Object::new("gebruiker", id), &[subject(id)]).await?;
        Ok(view(u, roles))
    }

    /// The signed-in user's own account (no administrator right needed).
    pub async fn own_account(&self, ctx: &Ctx) -> Result<UserView, AppError> {
        let p = ctx.principal()?;
        let id = p.user_id().ok_or(AppError::NotFound("gebruiker"))?;
        let mut tx = self.begin_read().await?;
        let u = accounts::find_user(&mut tx, id).await?.ok_or(AppError::NotFound("gebruiker"))?;
        let roles = accounts::roles_of(&mut tx, id).await?;
        commit(tx).await?;
        self.log_personal_read(ctx, ACTIVITY, "eigen-account-bekeken", &Object::new("gebruiker", id), &[subject(id)]).await?;
        Ok(view(u, roles))
    }

    pub async fn create_user(&self, ctx: &Ctx, input: &NewUserInput) -> Result<UserView, AppError> {
        self.authorize(ctx, Action::ManageUsers, &Object::new("gebruiker", &input.username)).await?;
        let mut invalid = Invalid::default();
        let username = invalid.check("gebruikersnaam", Username::parse(&input.username));
        let display_name = invalid.check("naam", DisplayName::parse(&input.display_name));
        let email = invalid.check("email", EmailAddress::parse(&input.email));
        let password = invalid.check("wachtwoord", Password::parse(&input.password, username.as_ref().map(Username::as_str)));
        let mut tx = self.begin().await?;
        if let Some(u) = &username {
            if accounts::find_user_by_username(&mut tx, u.as_str()).await?.is_some() {
                invalid.push("gebruikersnaam", "Deze gebruikersnaam is al in gebruik.");
            }
        }
        match input.organisation_id {
            None => invalid.push("organisatie", "Kies de organisatie van deze gebruiker."),
            Some(id) => {
                if network::find_organisation(&mut tx, id).await?.is_none() {
                    invalid.push("organisatie", "Deze organisatie bestaat niet.");
                }
            }
        }
        let mut roles: Vec<(Role, Option<i64>)> = Vec::new();
        for (i, (role, region)) in input.roles.iter().enumerate() {
            if let Some(g) = parse_grant(&mut tx, &mut invalid, &format!("rollen[{i}]"), role, region.as_deref()).await? {
                if !roles.contains(&g) {
                    roles.push(g);
                }
            }
        }
        invalid.clone().into_result()?;
        let (Some(username), Some(display_name), Some(email), Some(password), Some(organisation_id)) = (username, display_name, email, password, input.organisation_id) else {
            return Err(invalid.into());
        };
        let hash = self.hash_password(&password)?;
        let now = self.now();
        let id = accounts::insert_user(
            &mut tx,
            NewUser {
                username: username.as_str(),
                display_name: display_name.as_str(),
                email: email.as_str(),
                organisation_id,
                password_hash: &hash,
                must_change_password: input.temporary_password,
                demo: input.demo,
            },
            now,
        )
        .await?;
        for (role, region) in &roles {
            accounts::grant_role(&mut tx, id, role.code(), *region, now).await?;
        }
        self.audit(&mut tx, ctx, "gebruiker-aangemaakt", &Object::new("gebruiker", id), Outcome::Ok, username.as_str()).await?;
        let u = accounts::find_user(&mut tx, id).await?.ok_or(AppError::NotFound("gebruiker"))?;
        let role_rows = accounts::roles_of(&mut tx, id).await?;
        commit(tx).await?;
        Ok(view(u, role_rows))
    }

    /// Enables or disables an account; disabling ends its sessions at once. `None` is the
    /// caller forgetting to say which.
    pub async fn set_user_active(&self, ctx: &Ctx, id: i64, active: Option<bool>) -> Result<UserView, AppError> {
        let p = self.authorize(ctx, Action::ManageUsers, &Object::new("gebruiker", id)).await?;
        let active = active.ok_or_else(|| Invalid::one("actief", "Geef aan of het account actief is (true of false)."))?;
        let mut tx = self.begin().await?;
        let u = accounts::find_user(&mut tx, id).await?.ok_or(AppError::NotFound("gebruiker"))?;
        if !active && p.user_id() == Some(id) {
            return Err(AppError::Conflict("U kunt uw eigen account niet uitschakelen.".into()));
        }
        accounts::set_active(&mut tx, id, active, self.now()).await?;
        if !active {
            sessions::delete_for_user(&mut tx, id).await?;
        }
        let action = if active { "gebruiker-ingeschakeld" } else { "gebruiker-uitgeschakeld" };
        self.audit(&mut tx, ctx, action, &Object::new("gebruiker", id), Outcome::Ok, &u.username).await?;
        let u = accounts::find_user(&mut tx, id).await?.ok_or(AppError::NotFound("gebruiker"))?;
        let roles = accounts::roles_of(&mut tx, id).await?;
        commit(tx).await?;
        Ok(view(u, roles))
    }

    /// Sets a temporary password that the user must change at the next sign-in; ends sessions.
    pub async fn reset_password(&self, ctx: &Ctx, id: i64, new_password: &str) -> Result<(), AppError> {
        self.authorize(ctx, Action::ManageUsers, &Object::new("gebruiker", id)).await?;
        let mut tx = self.begin().await?;
        let u = accounts::find_user(&mut tx, id).await?.ok_or(AppError::NotFound("gebruiker"))?;
        let password = Password::parse(new_password, Some(&u.username)).map_err(|m| Invalid::one("wachtwoord", m))?;
        let hash = self.hash_password(&password)?;
        accounts::set_password(&mut tx, id, &hash, true, self.now()).await?;
        sessions::delete_for_user(&mut tx, id).await?;
        self.audit(&mut tx, ctx, "wachtwoord-hersteld", &Object::new("gebruiker", id), Outcome::Ok, "").await?;
        commit(tx).await
    }

    /// Removes the second factor, e.g. after a lost phone; the user sets up a new one.
    pub async fn reset_second_factor(&self, ctx: &Ctx, id: i64) -> Result<(), AppError> {
        self.authorize(ctx, Action::ManageUsers, &Object::new("gebruiker", id)).await?;
        let mut tx = self.begin().await?;
        accounts::find_user(&mut tx, id).await?.ok_or(AppError::NotFound("gebruiker"))?;
        accounts::set_totp(&mut tx, id, None, None, self.now()).await?;
        sessions::delete_for_user(&mut tx, id).await?;
        self.audit(&mut tx, ctx, "tweede-factor-verwijderd", &Object::new("gebruiker", id), Outcome::Ok, "").await?;
        commit(tx).await
    }

    pub async fn grant_role(&self, ctx: &Ctx, id: i64, role: &str, region: Option<&str>) -> Result<UserView, AppError> {
        self.authorize(ctx, Action::ManageUsers, &Object::new("gebruiker", id)).await?;
        let mut tx = self.begin().await?;
        accounts::find_user(&mut tx, id).await?.ok_or(AppError::NotFound("gebruiker"))?;
        let mut invalid = Invalid::default();
        let grant = parse_grant(&mut tx, &mut invalid, "rol", role, region).await?;
        invalid.clone().into_result()?;
        let Some((role, region_id)) = grant else { return Err(invalid.into()) };
        let existing = grants(accounts::roles_of(&mut tx, id).await?);
        if existing.contains(&RoleGrant { role, region_id }) {
            return Err(Invalid::one("rol", "De gebruiker heeft deze rol al.").into());
        }
        accounts::grant_role(&mut tx, id, role.code(), region_id, self.now()).await?;
        self.audit(&mut tx, ctx, "rol-toegekend", &Object::new("gebruiker", id), Outcome::Ok, &grant_detail(role, region)).await?;
        let u = accounts::find_user(&mut tx, id).await?.ok_or(AppError::NotFound("gebruiker"))?;
        let roles = accounts::roles_of(&mut tx, id).await?;
        commit(tx).await?;
        Ok(view(u, roles))
    }

    pub async fn revoke_role(&self, ctx: &Ctx, id: i64, role: &str, region: Option<&str>) -> Result<UserView, AppError> {
        let p = self.authorize(ctx, Action::ManageUsers, &Object::new("gebruiker", id)).await?;
        let mut tx = self.begin().await?;
        accounts::find_user(&mut tx, id).await?.ok_or(AppError::NotFound("gebruiker"))?;
        let mut invalid = Invalid::default();
        let grant = parse_grant(&mut tx, &mut invalid, "rol", role, region).await?;
        invalid.clone().into_result()?;
        let Some((role, region_id)) = grant else { return Err(invalid.into()) };
        let d = knooppunt_policy::may_revoke_role(&p, id, role);
        if !d.allowed {
            return Err(AppError::Conflict(d.reason.into()));
        }
        if !accounts::revoke_role(&mut tx, id, role.code(), region_id).await? {
            return Err(Invalid::one("rol", "De gebruiker heeft deze rol niet.").into());
        }
        self.audit(&mut tx, ctx, "rol-ingetrokken", &Object::new("gebruiker", id), Outcome::Ok, &grant_detail(role, region)).await?;
        let u = accounts::find_user(&mut tx, id).await?.ok_or(AppError::NotFound("gebruiker"))?;
        let roles = accounts::roles_of(&mut tx, id).await?;
        commit(tx).await?;
        Ok(view(u, roles))
    }

    /// Finds a user id by user name (for the CLI).
    pub async fn user_id_by_username(&self, ctx: &Ctx, username: &str) -> Result<i64, AppError> {
        self.authorize(ctx, Action::ViewUsers, &Object::new("gebruiker", username)).await?;
        let mut tx = self.begin().await?;
        let u = accounts::find_user_by_username(&mut tx, &username.trim().to_lowercase()).await?.ok_or(AppError::NotFound("gebruiker"))?;
        commit(tx).await?;
        Ok(u.id)
    }

    /// Sets a TOTP secret directly (demo accounts with a published secret; CLI).
    pub async fn set_second_factor_secret(&self, ctx: &Ctx, id: i64, secret_base32: &str) -> Result<(), AppError> {
        self.authorize(ctx, Action::ManageUsers, &Object::new("gebruiker", id)).await?;
        let mut tx = self.begin().await?;
        accounts::set_totp(&mut tx, id, Some(secret_base32), None, self.now()).await?;
        self.audit(&mut tx, ctx, "tweede-factor-ingesteld", &Object::new("gebruiker", id), Outcome::Ok, "door beheer").await?;
        commit(tx).await
    }
}

fn grant_detail(role: Role, region: Option<&str>) -> String {
    match region {
        Some(r) => format!("{} in {}", role.label(), r),
        None => role.label().to_string(),
    }
}

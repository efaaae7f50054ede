//! API tokens for system clients. The token itself is shown once; only its hash is stored.

use crate::auth::sha256_hex;
use crate::{commit, App, AppError, Ctx, Object, Outcome};
use knooppunt_domain::{Invalid, Role};
use knooppunt_policy::Action;
use knooppunt_store::accounts::RoleRow;
use knooppunt_store::network;
use knooppunt_store::tokens::{self, NewToken, TokenRow};

#[derive(Debug, Clone, Default)]
pub struct NewTokenInput {
    pub name: String,
    pub organisation_id: Option<i64>,
    pub roles: Vec<(String, Option<String>)>,
    /// Days until it expires; `None` for no expiry.
    pub valid_days: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct TokenView {
    pub token: TokenRow,
    pub roles: Vec<RoleRow>,
}

impl App {
    /// Creates a token and returns it with its secret (`kp_...`), which is not stored.
    pub async fn create_token(&self, ctx: &Ctx, input: &NewTokenInput) -> Result<(TokenView, String), AppError> {
        self.authorize(ctx, Action::ManageApiTokens, &Object::new("api-token", &input.name)).await?;
        let mut invalid = Invalid::default();
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            invalid.push("naam", "Geef het token een naam van 1 tot 100 tekens.");
        }
        if input.valid_days.is_some_and(|d| !(1..=3650).contains(&d)) {
            invalid.push("geldigDagen", "Een token is 1 tot 3650 dagen geldig.");
        }
        let mut tx = self.begin().await?;
        match input.organisation_id {
            None => invalid.push("organisatie", "Kies de organisatie waarvoor het token werkt."),
            Some(id) => {
                if network::find_organisation(&mut tx, id).await?.is_none() {
                    invalid.push("organisatie", "Deze organisatie bestaat niet.");
                }
            }
        }
        let mut roles: Vec<(String, Option<i64>)> = Vec::new();
        for (i, (role, region)) in input.roles.iter().enumerate() {
            let field = format!("rollen[{i}]");
            let Some(role) = invalid.check(&field, Role::parse(role)) else { continue };
            let region_id = match region.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(code) => match network::find_region_by_code(&mut tx, code).await? {
                    Some(r) if r.active => Some(r.id),
                    _ => {
                        invalid.push(&field, "Deze regio bestaat niet of is opgeheven.");
                        continue;
                    }
                },
                None if role.is_regional() => {
                    invalid.push(&field, format!("De rol '{}' geldt in één regio; kies de regio.", role.label()));
                    continue;
                }
                None => None,
            };
            roles.push((role.code().to_string(), region_id));
        }
        invalid.clone().into_result()?;
        let Some(organisation_id) = input.organisation_id else { return Err(invalid.into()) };
        let secret = format!("kp_{}", self.new_secret());
        let now = self.now();
        let created_by = ctx.principal()?.label.clone();
        let id = tokens::insert(
            &mut tx,
            NewToken {
                name,
                token_hash: &sha256_hex(&secret),
                organisation_id,
                created_by: &created_by,
                expires_at: input.valid_days.map(|d| now + d * 24 * 60 * 60 * 1000),
                roles: &roles,
            },
            now,
        )
        .await?;
        self.audit(&mut tx, ctx, "api-token-aangemaakt", &Object::new("api-token", id), Outcome::Ok, name).await?;
        let token = tokens::find(&mut tx, id).await?.ok_or(AppError::NotFound("API-token"))?;
        let role_rows = tokens::roles_of(&mut tx, id).await?;
        commit(tx).await?;
        Ok((TokenView { token, roles: role_rows }, secret))
    }

    pub async fn list_tokens(&self, ctx: &Ctx) -> Result<Vec<TokenView>, AppError> {
        self.authorize(ctx, Action::ManageApiTokens, &Object::new("api-token", "*")).await?;
        let mut tx = self.begin().await?;
        let mut out = Vec::new();
        for t in tokens::list(&mut tx).await? {
            let roles = tokens::roles_of(&mut tx, t.id).await?;
            out.push(TokenView { token: t, roles });
        }
        commit(tx).await?;
        Ok(out)
    }

    /// Renews a token: a successor with the same name, organisation, roles and period of
    /// validity, whose secret is returned once. The old token keeps working until its own expiry,
    /// so the partner can install the new secret first, but is no longer work to renew.
    pub async fn renew_token(&self, ctx: &Ctx, id: i64) -> Result<(TokenView, String), AppError> {
        self.authorize(ctx, Action::ManageApiTokens, &Object::new("api-token", id)).await?;
        let mut tx = self.begin().await?;
        let old = tokens::find(&mut tx, id).await?.ok_or(AppError::NotFound("API-token"))?;
        if old.revoked_at.is_some() {
            return Err(AppError::Conflict("Dit token is ingetrokken; maak zo nodig een nieuw token aan.".into()));
        }
        if old.replaced_by.is_some() {
            return Err(AppError::Conflict("Dit token is al vernieuwd.".into()));
        }
        const DAY: i64 = 24 * 60 * 60 * 1000;
        let now = self.now();
        // The same period as the old one had, counted from now.
        let expires_at = old.expires_at.map(|exp| now + ((exp - old.created_at + DAY - 1) / DAY).clamp(1, 3650) * DAY);
        let roles: Vec<(String, Option<i64>)> = tokens::roles_of(&mut tx, id).await?.into_iter().map(|r| (r.role, r.region_id)).collect();
        let secret = format!("kp_{}", self.new_secret());
        let created_by = ctx.principal()?.label.clone();
        let new_id = tokens::insert(
            &mut tx,
            NewToken { name: &old.name, token_hash: &sha256_hex(&secret), organisation_id: old.organisation_id, created_by: &created_by, expires_at, roles: &roles },
            now,
        )
        .await?;
        if !tokens::mark_replaced(&mut tx, id, new_id).await? {
            return Err(AppError::Conflict("Dit token is al vernieuwd.".into()));
        }
        self.audit(&mut tx, ctx, "api-token-vernieuwd", &Object::new("api-token", id), Outcome::Ok, &format!("{}, opgevolgd door een nieuw token", old.name)).await?;
        self.audit(&mut tx, ctx, "api-token-aangemaakt", &Object::new("api-token", new_id), Outcome::Ok, &old.name).await?;
        let token = tokens::find(&mut tx, new_id).await?.ok_or(AppError::NotFound("API-token"))?;
        let role_rows = tokens::roles_of(&mut tx, new_id).await?;
        commit(tx).await?;
        Ok((TokenView { token, roles: role_rows }, secret))
    }

    pub async fn revoke_token(&self, ctx: &Ctx, id: i64) -> Result<(), AppError> {
        self.authorize(ctx, Action::ManageApiTokens, &Object::new("api-token", id)).await?;
        let mut tx = self.begin().await?;
        tokens::find(&mut tx, id).await?.ok_or(AppError::NotFound("API-token"))?;
        if !tokens::revoke(&mut tx, id, self.now()).await? {
            return Err(AppError::Conflict("Dit token is al ingetrokken.".into()));
        }
        self.audit(&mut tx, ctx, "api-token-ingetrokken", &Object::new("api-token", id), Outcome::Ok, "").await?;
        commit(tx).await
    }
}

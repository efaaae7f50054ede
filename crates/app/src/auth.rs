//! Sign-in: passwords (argon2id), throttling, sessions in the database, the TOTP second factor
//! and API tokens.
//!
//! The session layer hands the web layer a [`SessionInfo`] with a [`Principal`]; how the user
//! proved who they are (password + TOTP now, OIDC later) stays behind `login`/`verify_second_factor`,
//! so a new login method adds a use case here and a route, without touching other handlers.

use crate::{commit, App, AppError, Ctx, Object, Outcome, PasswordCost};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use knooppunt_domain::{Invalid, Password, Role};
use knooppunt_policy::{Actor, Principal, RoleGrant};
use knooppunt_store::accounts::AttemptKind;
use knooppunt_store::{accounts, sessions, tokens};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use totp_rs::{Algorithm as TotpAlgorithm, TOTP};

/// Second-factor state of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor {
    /// Signed in completely.
    Done,
    /// Password accepted; a TOTP code is still needed.
    Pending,
    /// Password accepted; this account must first set up a second factor.
    Enrol,
}

impl SecondFactor {
    fn code(self) -> &'static str {
        match self {
            SecondFactor::Done => "done",
            SecondFactor::Pending => "pending",
            SecondFactor::Enrol => "enrol",
        }
    }
    /// What the sign-in's audit line says about the second factor.
    fn audit_note(self) -> &'static str {
        match self {
            SecondFactor::Done => "zonder tweede factor",
            SecondFactor::Pending => "tweede factor gevraagd",
            SecondFactor::Enrol => "tweede factor moet nog worden ingesteld",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "done" => SecondFactor::Done,
            "enrol" => SecondFactor::Enrol,
            _ => SecondFactor::Pending,
        }
    }
}

/// A signed-in session as the web layer sees it.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub principal: Principal,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub organisation_name: String,
    pub csrf_token: String,
    pub second_factor: SecondFactor,
    pub must_change_password: bool,
    pub has_totp: bool,
    /// How many of the user's notifications are unread (the header's count).
    pub unread_notifications: i64,
    /// The user's roles for display: role code and region name (the start page lists them).
    pub role_names: Vec<(String, Option<String>)>,
}

pub enum SessionLookup {
    Valid(Box<SessionInfo>),
    /// The session existed but timed out (idle or absolute): "sign in again".
    Expired,
    Missing,
}

/// The outcome of a password sign-in: the new session's secret id and what is still needed.
pub struct LoginSuccess {
    pub session_token: String,
    pub second_factor: SecondFactor,
}

const TOTP_STEP: u64 = 30;

pub(crate) fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

impl App {
    fn argon2(&self) -> Argon2<'static> {
        let params = match self.config.password_cost {
            // OWASP: argon2id, m = 19 MiB, t = 2, p = 1.
            PasswordCost::Standard => Params::new(19 * 1024, 2, 1, None),
            PasswordCost::Fast => Params::new(8, 1, 1, None),
        };
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params.unwrap_or_default())
    }

    pub(crate) fn hash_password(&self, password: &Password) -> Result<String, AppError> {
        let salt = SaltString::encode_b64(&self.random_bytes::<16>()).map_err(|e| AppError::Internal(e.to_string()))?;
        self.argon2().hash_password(password.expose().as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| AppError::Internal(e.to_string()))
    }

    fn password_matches(&self, hash: &str, password: &str) -> bool {
        match PasswordHash::new(hash) {
            // Verification uses the parameters stored in the hash itself.
            Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
            Err(_) => false,
        }
    }

    pub(crate) fn new_secret(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(self.random_bytes::<32>())
    }

    fn requires_second_factor(&self, user: &accounts::UserRow, roles: &[RoleGrant]) -> bool {
        knooppunt_policy::requires_second_factor(roles) && !(self.config.demo_mode && user.demo)
    }

    /// May another attempt of `kind` for `username` from `source` be made now? Throttling slows
    /// an attacker down without locking the owner out: after the free failures of this account
    /// from this address each next attempt from the pair waits twice as long; the account has a
    /// ceiling over all addresses and the address one over all accounts. Refused attempts count
    /// for nothing, so they cannot extend a wait.
    async fn may_attempt(&self, tx: &mut knooppunt_store::Tx, username: &str, source: &str, kind: AttemptKind, now: i64) -> Result<bool, AppError> {
        let window = self.config.throttle_window_ms;
        let since = now - window;
        let (pair, last) = accounts::failures_for_pair(tx, username, source, kind, since).await?;
        if pair >= self.config.free_failures_per_pair {
            let doublings = u32::try_from((pair - self.config.free_failures_per_pair).min(30)).unwrap_or(30);
            let wait = 1000i64.saturating_mul(1i64 << doublings).min(window);
            if last.is_some_and(|at| now < at + wait) {
                return Ok(false);
            }
        }
        let ceiling = if kind == AttemptKind::SecondFactor { self.config.max_second_factor_failures_per_account } else { self.config.max_failures_per_account };
        Ok(accounts::failures_for_username(tx, username, kind, since).await? < ceiling
            && accounts::failures_for_source(tx, source, kind, since).await? < self.config.max_failures_per_source)
    }

    /// Signs in with user name and password from `ctx.source`. Failures are throttled (see
    /// `may_attempt`), recorded and audited; the message never says whether the account exists.
    pub async fn login(&self, ctx: &Ctx, username: &str, password: &str) -> Result<LoginSuccess, AppError> {
        let username = username.trim().to_lowercase();
        let now = self.now();
        let object = Object::new("gebruiker", &username);
        let mut tx = self.begin().await?;
        if !self.may_attempt(&mut tx, &username, &ctx.source, AttemptKind::Password, now).await? {
            accounts::record_login_attempt(&mut tx, &username, &ctx.source, AttemptKind::Refused, false, now).await?;
            self.audit(&mut tx, ctx, "inloggen", &object, Outcome::Denied, "te veel mislukte pogingen").await?;
            commit(tx).await?;
            return Err(AppError::Throttled);
        }
        let user = accounts::find_user_by_username(&mut tx, &username).await?;
        let ok = match &user {
            Some(u) => self.password_matches(&u.password_hash, password) && u.active,
            None => {
                // Spend the same time as for a real account, so timing does not reveal it.
                let _ = self.password_matches(DUMMY_HASH, password);
                false
            }
        };
        let Some(user) = user.filter(|_| ok) else {
            accounts::record_login_attempt(&mut tx, &username, &ctx.source, AttemptKind::Password, false, now).await?;
            self.audit(&mut tx, ctx, "inloggen", &object, Outcome::Failed, "onjuiste gegevens of account uitgeschakeld").await?;
            commit(tx).await?;
            return Err(AppError::LoginFailed);
        };
        accounts::record_login_attempt(&mut tx, &username, &ctx.source, AttemptKind::Password, true, now).await?;
        let roles = grants(accounts::roles_of(&mut tx, user.id).await?);
        let second_factor = if user.totp_secret.is_some() {
            SecondFactor::Pending
        } else if self.requires_second_factor(&user, &roles) {
            SecondFactor::Enrol
        } else {
            SecondFactor::Done
        };
        let token = self.new_secret();
        let row = sessions::SessionRow {
            id_hash: sha256_hex(&token),
            user_id: user.id,
            csrf_token: self.new_secret(),
            second_factor: second_factor.code().into(),
            created_at: now,
            last_seen_at: now,
            expires_at: now + self.config.session_absolute_ms,
            source: ctx.source.clone(),
        };
        sessions::insert(&mut tx, &row).await?;
        let signed_in = Ctx { principal: Some(principal_of(&user, roles)), ..ctx.clone() };
        self.audit(&mut tx, &signed_in, "inloggen", &Object::new("gebruiker", user.id), Outcome::Ok, second_factor.audit_note()).await?;
        commit(tx).await?;
        Ok(LoginSuccess { session_token: token, second_factor })
    }

    /// Looks a session up by its secret id; enforces idle and absolute expiry.
    pub async fn session(&self, token: &str) -> Result<SessionLookup, AppError> {
        let now = self.now();
        let id_hash = sha256_hex(token);
        // Read on a reader; write (end or touch the session) only when needed.
        let mut tx = self.begin_read().await?;
        let Some(s) = sessions::find(&mut tx, &id_hash).await? else {
            return Ok(SessionLookup::Missing);
        };
        let expired = s.expires_at <= now || s.last_seen_at + self.config.session_idle_ms <= now;
        let user = if expired { None } else { accounts::find_user(&mut tx, s.user_id).await?.filter(|u| u.active) };
        let Some(user) = user else {
            commit(tx).await?;
            let mut w = self.begin().await?;
            sessions::delete(&mut w, &id_hash).await?;
            commit(w).await?;
            return Ok(SessionLookup::Expired);
        };
        let held = accounts::roles_of(&mut tx, user.id).await?;
        let role_names = held.iter().map(|r| (r.role.clone(), r.region_name.clone())).collect::<Vec<_>>();
        let roles = grants(held);
        let unread_notifications = knooppunt_store::notifications::count_unread(&mut tx, user.id).await?;
        commit(tx).await?;
        // Touch at most once a minute, by one request of this node: enough for idle expiry,
        // without the other requests in flight each queueing a write behind it.
        if now - s.last_seen_at > TOUCH_MS && claim(&self.session_touches, id_hash.clone(), now) {
            let mut w = self.begin().await?;
            sessions::touch(&mut w, &id_hash, now).await?;
            commit(w).await?;
        }
        Ok(SessionLookup::Valid(Box::new(SessionInfo {
            principal: principal_of(&user, roles),
            user_id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            organisation_name: user.organisation_name.clone(),
            csrf_token: s.csrf_token,
            second_factor: SecondFactor::parse(&s.second_factor),
            must_change_password: user.must_change_password,
            has_totp: user.totp_secret.is_some(),
            unread_notifications,
            role_names,
        })))
    }

    /// Completes a pending sign-in with a TOTP code. A code is accepted once: a replay of the
    /// same (or an older) code is refused.
    pub async fn verify_second_factor(&self, ctx: &Ctx, token: &str, code: &str) -> Result<(), AppError> {
        let now = self.now();
        let id_hash = sha256_hex(token);
        let mut tx = self.begin().await?;
        let s = sessions::find(&mut tx, &id_hash).await?.ok_or(AppError::Unauthenticated)?;
        let user = accounts::find_user(&mut tx, s.user_id).await?.ok_or(AppError::Unauthenticated)?;
        let object = Object::new("gebruiker", user.id);
        // Second-factor attempts are throttled on their own: a correct password resets nothing.
        if !self.may_attempt(&mut tx, &user.username, &ctx.source, AttemptKind::SecondFactor, now).await? {
            accounts::record_login_attempt(&mut tx, &user.username, &ctx.source, AttemptKind::Refused, false, now).await?;
            self.audit(&mut tx, ctx, "tweede-factor", &object, Outcome::Denied, "te veel mislukte pogingen").await?;
            commit(tx).await?;
            return Err(AppError::Throttled);
        }
        let step = user.totp_secret.as_deref().and_then(|secret| matching_step(secret, code, now));
        let accepted = match step {
            Some(step) => accounts::advance_totp_step(&mut tx, user.id, step).await?,
            None => false,
        };
        if !accepted || SecondFactor::parse(&s.second_factor) != SecondFactor::Pending {
            accounts::record_login_attempt(&mut tx, &user.username, &ctx.source, AttemptKind::SecondFactor, false, now).await?;
            let why = if step.is_some() { "code al gebruikt" } else { "onjuiste code" };
            self.audit(&mut tx, ctx, "tweede-factor", &object, Outcome::Failed, why).await?;
            commit(tx).await?;
            return Err(AppError::SecondFactorFailed);
        }
        accounts::record_login_attempt(&mut tx, &user.username, &ctx.source, AttemptKind::SecondFactor, true, now).await?;
        sessions::set_second_factor(&mut tx, &id_hash, SecondFactor::Done.code()).await?;
        self.audit(&mut tx, ctx, "tweede-factor", &object, Outcome::Ok, "").await?;
        commit(tx).await?;
        Ok(())
    }

    /// A new TOTP secret (base32) and its `otpauth://` URI for an authenticator app.
    pub fn new_totp_secret(&self, username: &str) -> Result<(String, String), AppError> {
        let secret = self.random_bytes::<20>().to_vec();
        let base32 = totp(secret, username)?.get_secret_base32();
        // User names hold only [a-z0-9._-], which need no escaping in the URI.
        let uri = format!("otpauth://totp/knooppunt:{username}?secret={base32}&issuer=knooppunt&algorithm=SHA1&digits=6&period={TOTP_STEP}");
        Ok((base32, uri))
    }

    /// Sets up the second factor for the signed-in user after checking a code made with it.
    pub async fn enrol_second_factor(&self, ctx: &Ctx, token: &str, secret_base32: &str, code: &str) -> Result<(), AppError> {
        let now = self.now();
        let p = ctx.principal()?;
        let user_id = p.user_id().ok_or(AppError::Forbidden("alleen voor gebruikers"))?;
        let Some(step) = matching_step(secret_base32, code, now) else {
            return Err(Invalid::one("code", "De code klopt niet. Controleer de tijd op uw telefoon en voer de nieuwste code in.").into());
        };
        let mut tx = self.begin().await?;
        accounts::set_totp(&mut tx, user_id, Some(secret_base32), Some(step), now).await?;
        sessions::set_second_factor(&mut tx, &sha256_hex(token), SecondFactor::Done.code()).await?;
        self.audit(&mut tx, ctx, "tweede-factor-ingesteld", &Object::new("gebruiker", user_id), Outcome::Ok, "").await?;
        commit(tx).await?;
        Ok(())
    }

    pub async fn logout(&self, ctx: &Ctx, token: &str) -> Result<(), AppError> {
        let mut tx = self.begin().await?;
        sessions::delete(&mut tx, &sha256_hex(token)).await?;
        let id = ctx.principal.as_ref().and_then(|p| p.user_id()).unwrap_or_default();
        self.audit(&mut tx, ctx, "uitloggen", &Object::new("gebruiker", id), Outcome::Ok, "").await?;
        commit(tx).await
    }

    /// Changes the signed-in user's own password after checking the current one, and ends the
    /// user's other sessions (`session_token` is the one that stays).
    pub async fn change_own_password(&self, ctx: &Ctx, session_token: &str, current: &str, new: &str, repeat: &str) -> Result<(), AppError> {
        let p = ctx.principal()?;
        let user_id = p.user_id().ok_or(AppError::Forbidden("alleen voor gebruikers"))?;
        let mut tx = self.begin().await?;
        let user = accounts::find_user(&mut tx, user_id).await?.ok_or(AppError::Unauthenticated)?;
        let mut invalid = Invalid::default();
        if !self.password_matches(&user.password_hash, current) {
            invalid.push("huidigWachtwoord", "Het huidige wachtwoord is onjuist.");
        }
        let password = invalid.check("nieuwWachtwoord", Password::parse(new, Some(&user.username)));
        if new != repeat {
            invalid.push("herhaalWachtwoord", "De twee nieuwe wachtwoorden zijn niet gelijk.");
        }
        invalid.clone().into_result()?;
        let Some(password) = password else { return Err(invalid.into()) };
        let hash = self.hash_password(&password)?;
        accounts::set_password(&mut tx, user_id, &hash, false, self.now()).await?;
        let ended = sessions::delete_others(&mut tx, user_id, &sha256_hex(session_token)).await?;
        self.audit(
            &mut tx,
            ctx,
            "wachtwoord-gewijzigd",
            &Object::new("gebruiker", user_id),
            Outcome::Ok,
            &if ended == 1 { "1 andere sessie beëindigd".to_string() } else { format!("{ended} andere sessies beëindigd") },
        )
        .await?;
        commit(tx).await
    }

    /// Removes what is no longer needed: sessions past their idle or absolute expiry and sign-in
    /// attempts older than [`ATTEMPT_RETENTION_MS`] (the audit log keeps the record). Run by the
    /// background task of `serve`; idempotent, so several nodes may run it.
    /// [`App::purge`], when no node of the deployment ran it in the last `interval_ms`; `None`
    /// when another node's run is recent enough.
    pub async fn purge_if_due(&self, interval_ms: i64) -> Result<Option<Purged>, AppError> {
        let mut tx = self.begin().await?;
        let mine = knooppunt_store::jobs::claim(&mut tx, "opschonen-sessies-en-pogingen", self.now(), interval_ms).await?;
        commit(tx).await?;
        if mine {
            self.purge().await.map(Some)
        } else {
            Ok(None)
        }
    }

    pub async fn purge(&self) -> Result<Purged, AppError> {
        let now = self.now();
        let mut tx = self.begin().await?;
        let sessions = sessions::delete_expired(&mut tx, now, now - self.config.session_idle_ms).await?;
        let attempts = accounts::purge_login_attempts(&mut tx, now - ATTEMPT_RETENTION_MS).await?;
        let notifications = knooppunt_store::notifications::purge_before(&mut tx, now - crate::notifications::NOTIFICATION_RETENTION_MS).await?;
        let (events, registrations) = self.erase_event_registrations(&mut tx).await?;
        if events > 0 {
            let ctx = Ctx { principal: None, source: "opschoontaak".into(), trace: self.new_trace() };
            let detail = format!("persoonsgegevens van {registrations} aanmeldingen bij {events} bijeenkomsten gewist");
            self.audit(&mut tx, &ctx, "bijeenkomst-aanmeldingen-gewist", &crate::Object::new("bijeenkomst", "*"), crate::Outcome::Ok, &detail).await?;
        }
        commit(tx).await?;
        Ok(Purged { sessions, attempts, notifications, registrations })
    }

    /// Resolves a bearer token to the principal of its system client.
    pub async fn api_token(&self, bearer: &str) -> Result<Option<Principal>, AppError> {
        let now = self.now();
        // A look-up by key on every API request: its plan may be kept.
        let mut tx = self.db.begin_read_planned().await?;
        let Some((t, roles)) = tokens::find_active(&mut tx, &sha256_hex(bearer), now).await? else {
            return Ok(None);
        };
        let roles = grants(roles);
        commit(tx).await?;
        // Record use at most once a minute, on the writer, and by one request of this node:
        // the others in flight would otherwise each queue a write behind it.
        if t.last_used_at.is_none_or(|at| now - at > TOUCH_MS) && claim(&self.token_touches, t.id, now) {
            let mut w = self.begin().await?;
            tokens::touch(&mut w, t.id, now).await?;
            commit(w).await?;
        }
        Ok(Some(Principal { actor: Actor::Token(t.id), label: format!("token:{}", t.name), organisation_id: Some(t.organisation_id), roles }))
    }
}

/// How often a token's last use and a session's last request are recorded.
const TOUCH_MS: i64 = 60_000;

/// Whether this request records `key` (a token's id, a session's hash) as used: true for the
/// first of this node within [`TOUCH_MS`].
fn claim<K: std::hash::Hash + Eq>(touches: &std::sync::Mutex<HashMap<K, i64>>, key: K, now: i64) -> bool {
    match touches.lock() {
        Ok(mut touched) => claim_touch(&mut touched, key, now),
        Err(_) => true,
    }
}

/// Notes in `touched` that `key` is recorded at `now`, unless it was within [`TOUCH_MS`];
/// whether it was noted. Entries older than that go when the map grows.
fn claim_touch<K: std::hash::Hash + Eq>(touched: &mut HashMap<K, i64>, key: K, now: i64) -> bool {
    if touched.get(&key).is_some_and(|at| now - at <= TOUCH_MS) {
        return false;
    }
    if touched.len() >= 10_000 {
        touched.retain(|_, at| now - *at <= TOUCH_MS);
    }
    touched.insert(key, now);
    true
}

/// How long sign-in attempts are kept for throttling and investigation (30 days).
pub const ATTEMPT_RETENTION_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// What a purge removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Purged {
    pub sessions: u64,
    pub attempts: u64,
    /// Notifications older than their retention, read or not (the work lists still show the
    /// work; a notification only pointed at it).
    pub notifications: u64,
    /// Event registrations whose personal data were erased (their event's erasure day came).
    pub registrations: u64,
}

/// An argon2id hash of a random string, verified against when the account does not exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";

fn totp(secret: Vec<u8>, _account: &str) -> Result<TOTP, AppError> {
    TOTP::new(TotpAlgorithm::SHA1, 6, 1, TOTP_STEP, secret).map_err(|e| AppError::Internal(e.to_string()))
}

/// The time step (of now, one before or one after) whose code equals `code`.
fn matching_step(secret_base32: &str, code: &str, now_ms: i64) -> Option<i64> {
    let code = code.trim().replace(' ', "");
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let secret = totp_rs::Secret::Encoded(secret_base32.to_string()).to_bytes().ok()?;
    if secret.len() < 16 {
        return None;
    }
    let t = totp(secret, "check").ok()?;
    let now = u64::try_from(now_ms / 1000).ok()?;
    let step = now / TOTP_STEP;
    [step.saturating_sub(1), step, step + 1].into_iter().find(|s| t.generate(s * TOTP_STEP) == code).and_then(|s| i64::try_from(s).ok())
}

/// The current TOTP code for a base32 secret (for the CLI's and the tests' convenience).
pub fn totp_code(secret_base32: &str, now_ms: i64) -> Option<String> {
    let secret = totp_rs::Secret::Encoded(secret_base32.to_string()).to_bytes().ok()?;
    let t = totp(secret, "code").ok()?;
    Some(t.generate(u64::try_from(now_ms / 1000).ok()?))
}

pub(crate) fn grants(rows: Vec<accounts::RoleRow>) -> Vec<RoleGrant> {
    rows.into_iter().filter_map(|r| Role::parse(&r.role).ok().map(|role| RoleGrant { role, region_id: r.region_id })).collect()
}

pub(crate) fn principal_of(user: &accounts::UserRow, roles: Vec<RoleGrant>) -> Principal {
    Principal { actor: Actor::User(user.id), label: user.username.clone(), organisation_id: Some(user.organisation_id), roles }
}

#[cfg(test)]
mod tests {
    use super::{claim_touch, TOUCH_MS};
    use std::collections::HashMap;

    #[test]
    fn one_request_a_minute_records_a_tokens_use() {
        let mut touched = HashMap::new();
        assert!(claim_touch(&mut touched, 7, 1_000));
        assert!(!claim_touch(&mut touched, 7, 1_000), "the other requests in flight leave it");
        assert!(claim_touch(&mut touched, 8, 1_000), "another token is its own");
        assert!(!claim_touch(&mut touched, 7, 1_000 + TOUCH_MS));
        assert!(claim_touch(&mut touched, 7, 1_001 + TOUCH_MS));
        // A full map drops what is old, not what is fresh.
        let mut full: HashMap<i64, i64> = (0..10_000).map(|i| (i, 0)).collect();
        full.insert(-1, 2 * TOUCH_MS);
        assert!(claim_touch(&mut full, 20_000, 2 * TOUCH_MS + 1));
        assert_eq!(full.len(), 2);
    }
}

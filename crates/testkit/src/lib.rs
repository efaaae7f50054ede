//! Test harness: a [`TestApp`] per test with its own database, on SQLite always and on
//! PostgreSQL when `KNOOPPUNT_TEST_POSTGRES_URL` is set (a database per test, cloned from a
//! migrated template). The clock is a [`ManualClock`] the test can move.
//!
//! `KNOOPPUNT_TEST_POSTGRES_CONNECTIONS=1` gives every test's app a PostgreSQL pool of one
//! connection: a use case (or test) that holds one connection while it waits for another then
//! fails with the pool's time-out, so the whole suite on a pool of one shows that a small pool
//! cannot deadlock (docs/benchmarks.md, eighth round of the knowledge search).
//!
//! ```ignore
//! async fn regions_are_listed(t: TestApp) -> anyhow::Result<()> { ... }
//! knooppunt_testkit::db_test!(regions_are_listed);
//! ```

use anyhow::{anyhow, Context, Result};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use knooppunt_app::{App, AppConfig, Clock, Ctx, PasswordCost};
use knooppunt_domain::Role;
use knooppunt_store::{Backend, Db};
use rand::{RngCore, SeedableRng};
use sha2::{Digest, Sha256};
use sqlx::Connection;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use tower::ServiceExt;

pub use knooppunt_store::Backend as DbBackend;

/// The bearer token that opens `/metrics` in tests.
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789";

/// Runs a test function `async fn name(t: TestApp) -> anyhow::Result<()>` on each backend.
#[macro_export]
macro_rules! db_test {
    ($name:ident) => {
        $crate::paste_free_db_test!($name);
    };
}

/// Internal: generates `mod <name>_on { sqlite, postgres }`.
#[macro_export]
macro_rules! paste_free_db_test {
    ($name:ident) => {
        #[allow(non_snake_case)]
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() -> anyhow::Result<()> {
                super::$name($crate::TestApp::new($crate::DbBackend::Sqlite).await?).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() -> anyhow::Result<()> {
                if !$crate::postgres_enabled()? {
                    eprintln!("KNOOPPUNT_TEST_POSTGRES_URL is not set: PostgreSQL variant not run");
                    return Ok(());
                }
                super::$name($crate::TestApp::new($crate::DbBackend::Postgres).await?).await
            }
        }
    };
}

/// True when the PostgreSQL variants should run. With `KNOOPPUNT_TEST_REQUIRE_POSTGRES=1`
/// (set by scripts/test) a missing URL is an error instead of a quiet skip.
pub fn postgres_enabled() -> Result<bool> {
    let set = std::env::var("KNOOPPUNT_TEST_POSTGRES_URL").is_ok_and(|v| !v.is_empty());
    if !set && std::env::var("KNOOPPUNT_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        return Err(anyhow!("KNOOPPUNT_TEST_REQUIRE_POSTGRES=1 but KNOOPPUNT_TEST_POSTGRES_URL is not set"));
    }
    Ok(set)
}

/// The second-factor secret of the test accounts that need one.
const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// A clock the test moves by hand. Starts at 2026-11-28 09:00 UTC.
#[derive(Debug)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub const START: i64 = 1_795_856_400_000;
    pub fn advance_minutes(&self, minutes: i64) {
        self.0.fetch_add(minutes * 60_000, Ordering::SeqCst);
    }

    pub fn advance_ms(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// The password of every account the harness creates.
pub const PASSWORD: &str = "Test-Wachtwoord-2026";
/// The region of the harness's regional role holders.
pub const REGION: &str = "oost-brabant";

/// An account created for a role, with its UI session and API token.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    /// Value for the `Cookie` header.
    pub cookie: String,
    pub csrf: String,
    /// Bearer token with the same organisation and role.
    pub token: String,
}

pub struct TestApp {
    pub app: App,
    pub router: Router,
    pub clock: Arc<ManualClock>,
    pub backend: Backend,
    pub db_url: String,
    actors: HashMap<Role, Actor>,
}

fn random_suffix() -> String {
    let mut b = [0u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// A hash of everything the template database depends on, so schema changes get a new one.
fn template_name() -> String {
    let mut h = Sha256::new();
    for m in knooppunt_store::migrations::migrations() {
        h.update(m.postgres.as_bytes());
    }
    h.update(knooppunt_app::reference::processing_activities().len().to_le_bytes());
    if let Ok(r) = knooppunt_app::reference::municipalities() {
        h.update(r.len().to_le_bytes());
    }
    format!("knooppunt_tpl_{}", &hex::encode(h.finalize())[..16])
}

fn with_database(url: &str, db: &str) -> String {
    // postgres://user@host:port/dbname?params -> same with another dbname
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let prefix = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{prefix}/{db}?{q}"),
        None => format!("{prefix}/{db}"),
    }
}

/// The whole router as tests drive it: plain HTTP, `/metrics` behind the test token.
fn test_router(app: &App, trusted_proxies: Vec<ipnet::IpNet>) -> Router {
    knooppunt_web::router(app.clone(), knooppunt_web::WebConfig { tls: false, version: "test", metrics_token: Some(METRICS_TOKEN.into()), trusted_proxies })
}

fn new_app(db: Db, clock: Arc<ManualClock>) -> App {
    new_app_with(db, clock, None)
}

fn new_app_with(db: Db, clock: Arc<ManualClock>, encoding_secret: Option<knooppunt_matching::clk::Secret>) -> App {
    let mut config = AppConfig::new(b"test-pseudonym-key-0123456789abcdef".to_vec(), b"test-audit-key-0123456789abcdef0123".to_vec());
    config.password_cost = PasswordCost::Fast;
    config.encoding_secret = encoding_secret;
    App::new(db, clock, Box::new(rand_chacha::ChaCha20Rng::from_entropy()), config)
}

async fn postgres_database(clock: Arc<ManualClock>) -> Result<String> {
    let admin_url = std::env::var("KNOOPPUNT_TEST_POSTGRES_URL")?;
    let template = template_name();
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.context("connect to KNOOPPUNT_TEST_POSTGRES_URL")?;
    sqlx::query("SELECT pg_advisory_lock(727274)").execute(&mut admin).await?;
    let exists = sqlx::query("SELECT 1 AS one FROM pg_database WHERE datname = $1").bind(&template).fetch_optional(&mut admin).await?.is_some();
    if !exists {
        // Built under another name and renamed when complete, so that a failure half-way does
        // not leave a broken template for the next run.
        let building = format!("{template}_building");
        sqlx::query(&format!("DROP DATABASE IF EXISTS {building}")).execute(&mut admin).await?;
        sqlx::query(&format!("CREATE DATABASE {building}")).execute(&mut admin).await?;
        let built = async {
            let db = Db::connect(&with_database(&admin_url, &building)).await?;
            db.migrate().await?;
            let app = new_app(db.clone(), clock);
            app.load_reference(&app.operator_ctx("test")).await.map_err(|e| anyhow!(e.to_string()))?;
            db.close().await;
            Ok::<(), anyhow::Error>(())
        }
        .await;
        if let Err(e) = built {
            sqlx::query("SELECT pg_advisory_unlock(727274)").execute(&mut admin).await?;
            return Err(e);
        }
        sqlx::query(&format!("ALTER DATABASE {building} RENAME TO {template}")).execute(&mut admin).await?;
    }
    let name = format!("knooppunt_test_{}", random_suffix());
    let created = sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}")).execute(&mut admin).await;
    sqlx::query("SELECT pg_advisory_unlock(727274)").execute(&mut admin).await?;
    created?;
    admin.close().await?;
    Ok(with_database(&admin_url, &name))
}

/// A new, empty PostgreSQL database (nothing migrated), or `None` when the PostgreSQL tests are
/// not configured; for tests of the migration itself.
pub async fn empty_postgres_database() -> Result<Option<String>> {
    if !postgres_enabled()? {
        return Ok(None);
    }
    let admin_url = std::env::var("KNOOPPUNT_TEST_POSTGRES_URL")?;
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.context("connect to KNOOPPUNT_TEST_POSTGRES_URL")?;
    let name = format!("knooppunt_empty_{}", random_suffix());
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await?;
    admin.close().await?;
    Ok(Some(with_database(&admin_url, &name)))
}

impl TestApp {
    /// A fresh, migrated database with the reference network loaded.
    pub async fn new(backend: Backend) -> Result<TestApp> {
        let clock = Arc::new(ManualClock(AtomicI64::new(ManualClock::START)));
        let db_url = match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join("knooppunt-tests");
                std::fs::create_dir_all(&dir)?;
                format!("sqlite://{}?mode=rwc", dir.join(format!("{}.db", random_suffix())).display())
            }
            Backend::Postgres => postgres_database(clock.clone()).await?,
        };
        let pool = std::env::var("KNOOPPUNT_TEST_POSTGRES_CONNECTIONS").ok().and_then(|v| v.parse().ok());
        let db = Db::connect_sized(&db_url, pool.unwrap_or_else(knooppunt_store::db::postgres_connections)).await?;
        let app = new_app(db.clone(), clock.clone());
        if backend == Backend::Sqlite {
            db.migrate().await?;
            app.load_reference(&app.operator_ctx("test")).await.map_err(|e| anyhow!(e.to_string()))?;
        }
        let router = test_router(&app, vec![]);
        Ok(TestApp { app, router, clock, backend, db_url, actors: HashMap::new() })
    }

    pub fn operator(&self) -> Ctx {
        self.app.operator_ctx("test")
    }

    /// An organisation id by name.
    pub async fn organisation(&self, name: &str) -> Result<i64> {
        let orgs = self.app.list_organisations(&self.operator(), None, None, None).await.map_err(|e| anyhow!(e.to_string()))?;
        orgs.iter().find(|o| o.name == name).map(|o| o.id).ok_or_else(|| anyhow!("no organisation {name}"))
    }

    /// Creates (once) an account holding `role` (in [`REGION`] when regional), signs it in
    /// with a UI session, and gives it an API token with the same role.
    pub async fn actor(&mut self, role: Role) -> Result<Actor> {
        if let Some(a) = self.actors.get(&role) {
            return Ok(a.clone());
        }
        let org = match role {
            Role::PartnerEmployee | Role::SteeringGroupMember => "Gemeente Eindhoven",
            r if r.is_regional() => "RIEC-bureau Oost-Brabant",
            _ => "LIEC",
        };
        let a = self.actor_in(&format!("t.{}", role.code()), org, role).await?;
        self.actors.insert(role, a.clone());
        Ok(a)
    }

    /// Creates an account `username` in organisation `org` holding `role` (in [`REGION`] when
    /// regional), signs it in (with a second factor for administrators) and gives it a token.
    pub async fn actor_in(&mut self, username: &str, org: &str, role: Role) -> Result<Actor> {
        self.actor_in_region(username, org, role, REGION).await
    }

    /// As [`TestApp::actor_in`], with regional roles granted in `region` (a region code).
    pub async fn actor_in_region(&mut self, username: &str, org: &str, role: Role, region: &str) -> Result<Actor> {
        let op = self.operator();
        let organisation_id = self.organisation(org).await?;
        let username = username.to_string();
        let region = role.is_regional().then(|| region.to_string());
        let input = knooppunt_app::users::NewUserInput {
            username: username.clone(),
            display_name: format!("Test {}", role.label()),
            email: format!("{username}@test.example"),
            organisation_id: Some(organisation_id),
            password: PASSWORD.into(),
            roles: vec![(role.code().to_string(), region.clone())],
            demo: false,
            temporary_password: false,
        };
        let user = self.app.create_user(&op, &input).await.map_err(|e| anyhow!(e.to_string()))?;
        let needs_second_factor = knooppunt_policy::requires_second_factor(&[knooppunt_policy::RoleGrant { role, region_id: None }]);
        if needs_second_factor {
            // Accounts that read personal data need a second factor outside demo mode: enrol
            // one and use it.
            self.app.set_second_factor_secret(&op, user.id, TOTP_SECRET).await.map_err(|e| anyhow!(e.to_string()))?;
        }
        let (cookie, csrf) = self.sign_in(&username, needs_second_factor).await?;
        let token_input = knooppunt_app::tokens::NewTokenInput {
            name: format!("token {username}"),
            organisation_id: Some(organisation_id),
            roles: vec![(role.code().to_string(), region)],
            valid_days: None,
        };
        let (_, token) = self.app.create_token(&op, &token_input).await.map_err(|e| anyhow!(e.to_string()))?;
        Ok(Actor { user_id: user.id, username, role, cookie, csrf, token })
    }

    /// An account without any role in a new private partner `org` (a member of a phenomenon
    /// table, say), signed in with a UI session. It has no API token (`token` is empty) and
    /// `role` means nothing.
    pub async fn private_member(&mut self, username: &str, org: &str) -> Result<Actor> {
        let op = self.operator();
        let input = knooppunt_app::network::NewOrganisationInput { name: org.into(), partner_type: "private-partner".into(), region_code: Some(REGION.into()) };
        let organisation = self.app.create_organisation(&op, &input).await.map_err(|e| anyhow!(e.to_string()))?;
        let input = knooppunt_app::users::NewUserInput {
            username: username.into(),
            display_name: "Test lid fenomeentafel".into(),
            email: format!("{username}@test.example"),
            organisation_id: Some(organisation.id),
            password: PASSWORD.into(),
            roles: Vec::new(),
            demo: false,
            temporary_password: false,
        };
        let user = self.app.create_user(&op, &input).await.map_err(|e| anyhow!(e.to_string()))?;
        let (cookie, csrf) = self.sign_in(username, false).await?;
        Ok(Actor { user_id: user.id, username: username.into(), role: Role::PartnerEmployee, cookie, csrf, token: String::new() })
    }

    /// A UI session for `username` (with the second factor when the account has one).
    async fn sign_in(&self, username: &str, second_factor: bool) -> Result<(String, String)> {
        let ctx = self.anonymous();
        let login = self.app.login(&ctx, username, PASSWORD).await.map_err(|e| anyhow!(e.to_string()))?;
        if second_factor {
            let code = knooppunt_app::auth::totp_code(TOTP_SECRET, self.app.now()).ok_or_else(|| anyhow!("totp"))?;
            self.app.verify_second_factor(&ctx, &login.session_token, &code).await.map_err(|e| anyhow!(e.to_string()))?;
        }
        self.session_of(&login.session_token).await
    }

    /// The actor with a new UI session: after the test clock moved past the old one's end.
    pub async fn signed_in_again(&self, a: &Actor) -> Result<Actor> {
        let second_factor = knooppunt_policy::requires_second_factor(&[knooppunt_policy::RoleGrant { role: a.role, region_id: None }]);
        let (cookie, csrf) = self.sign_in(&a.username, second_factor).await?;
        Ok(Actor { cookie, csrf, ..a.clone() })
    }

    async fn session_of(&self, token: &str) -> Result<(String, String)> {
        match self.app.session(token).await.map_err(|e| anyhow!(e.to_string()))? {
            knooppunt_app::auth::SessionLookup::Valid(info) => Ok((format!("kp_sessie={token}"), info.csrf_token.clone())),
            _ => Err(anyhow!("session not valid")),
        }
    }

    pub fn anonymous(&self) -> Ctx {
        let mut c = self.app.operator_ctx("x");
        c.principal = None;
        c.source = "192.0.2.10".into();
        c
    }

    /// Sends a request through the whole router (middleware included).
    ///
    /// Every API error seen in any test must be problem+json, and no client request in a test
    /// may get a 5xx: both are checked here, for every call.
    pub async fn send(&self, req: Request<Body>) -> Result<TestResponse> {
        let path = req.uri().path().to_string();
        let r = self.send_unchecked(req).await?;
        let status = r.status;
        if status.is_server_error() {
            return Err(anyhow!("{path}: server error {status}: {}", r.body));
        }
        if path.starts_with("/api/") && status.is_client_error() && r.content_type() != "application/problem+json" {
            return Err(anyhow!("{path}: error {status} is not problem+json but {:?}", r.content_type()));
        }
        Ok(r)
    }

    /// Sends a request without the checks of [`TestApp::send`]: only for tests of what the
    /// server answers when it is itself in trouble (a database that is away).
    pub async fn send_unchecked(&self, req: Request<Body>) -> Result<TestResponse> {
        let res = self.router.clone().oneshot(req).await?;
        let status = res.status();
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), 16 * 1024 * 1024).await?;
        Ok(TestResponse { status, headers, body: String::from_utf8_lossy(&body).into_owned(), bytes: body.to_vec() })
    }

    /// API call with a bearer token (or none) and an optional JSON body.
    pub async fn api(&self, method: Method, path: &str, token: Option<&str>, body: Option<serde_json::Value>) -> Result<TestResponse> {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(v) => b.header(header::CONTENT_TYPE, "application/json").body(Body::from(v.to_string()))?,
            None => b.body(Body::empty())?,
        };
        self.send(req).await
    }

    /// A UI GET as `actor` (or anonymous).
    pub async fn page(&self, path: &str, actor: Option<&Actor>) -> Result<TestResponse> {
        let mut b = Request::builder().method(Method::GET).uri(path);
        if let Some(a) = actor {
            b = b.header(header::COOKIE, &a.cookie);
        }
        self.send(b.body(Body::empty())?).await
    }

    /// A UI form POST as `actor`, with its CSRF token added unless `csrf` is given.
    pub async fn form(&self, path: &str, actor: Option<&Actor>, fields: &[(&str, &str)], csrf: Option<&str>) -> Result<TestResponse> {
        let mut pairs: Vec<(String, String)> = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let token = csrf.map(String::from).or_else(|| actor.map(|a| a.csrf.clone())).unwrap_or_default();
        pairs.push(("_csrf".into(), token));
        let body = pairs.iter().map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v))).collect::<Vec<_>>().join("&");
        let mut b = Request::builder().method(Method::POST).uri(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(a) = actor {
            b = b.header(header::COOKIE, &a.cookie);
        }
        self.send(b.body(Body::from(body))?).await
    }

    /// The same database, with the cross-region index in encoded (privacy-preserving) mode,
    /// keyed with `secret`.
    pub fn encoded(mut self, secret: &[u8]) -> Result<TestApp> {
        let secret = knooppunt_matching::clk::Secret::new(secret).map_err(|e| anyhow!(e.to_string()))?;
        self.app = new_app_with(self.app.db().clone(), self.clock.clone(), Some(secret));
        self.router = test_router(&self.app, vec![]);
        Ok(self)
    }

    /// The same app behind the given trusted proxies (addresses or networks).
    pub fn trusting(mut self, proxies: &[&str]) -> Result<TestApp> {
        let trusted_proxies = proxies.iter().map(|p| p.parse::<ipnet::IpNet>()).collect::<Result<Vec<_>, _>>()?;
        self.router = test_router(&self.app, trusted_proxies);
        Ok(self)
    }

    /// The first column of every row, as text.
    pub async fn strings(&self, sql: &str) -> Result<Vec<String>> {
        let mut tx = self.app.db().begin_read().await?;
        let rows = knooppunt_store::query::q(sql).fetch_all(&mut tx).await?;
        tx.commit().await?;
        rows.iter().map(|r| Ok(knooppunt_store::query::col_at::<String>(r, 0)?)).collect()
    }

    /// Runs raw SQL against the test database (for tampering tests).
    pub async fn sql(&self, sql: &str) -> Result<u64> {
        Ok(knooppunt_store::audit::execute_raw(self.app.db(), sql).await?)
    }

    /// A single integer from a query.
    pub async fn count(&self, sql: &str) -> Result<i64> {
        let mut tx = self.app.db().begin_read().await?;
        let row = knooppunt_store::query::q(sql).fetch_one(&mut tx).await?;
        tx.commit().await?;
        Ok(knooppunt_store::query::col_at::<i64>(&row, 0)?)
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    /// The body as text (lossy for binary bodies; see `bytes`).
    pub body: String,
    pub bytes: Vec<u8>,
}

/// The text of a PDF as `pdftotext -layout` (poppler, a reader independent of the one that wrote
/// it) extracts it. The test command installs poppler-utils.
pub fn pdf_text(bytes: &[u8]) -> Result<String> {
    let file = std::env::temp_dir().join(format!("knooppunt-pdf-{}-{}.pdf", std::process::id(), random_suffix()));
    std::fs::write(&file, bytes)?;
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(&file).arg("-").output();
    let _ = std::fs::remove_file(&file);
    let out = out.context("pdftotext not found: install poppler-utils (scripts/test does)")?;
    if !out.status.success() {
        return Err(anyhow!("pdftotext could not read the PDF: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

impl TestResponse {
    pub fn json(&self) -> Result<serde_json::Value> {
        serde_json::from_str(&self.body).with_context(|| format!("not JSON ({}): {}", self.status, self.body))
    }
    pub fn content_type(&self) -> &str {
        self.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
    /// Asserts an API error is problem+json with the given status.
    pub fn assert_problem(&self, status: u16) -> Result<serde_json::Value> {
        if self.status.as_u16() != status || self.content_type() != "application/problem+json" {
            return Err(anyhow!("expected problem+json {status}, got {} {}: {}", self.status, self.content_type(), self.body));
        }
        self.json()
    }
}

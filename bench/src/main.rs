//! `knooppunt-bench cases`: need-to-know at scale.
//!
//! Builds (once, then reuses) a database with `--cases` cases and ten subjects per case over the
//! ten RIEC regions, admits one partner organisation (Douane) to `--partner-cases` cases of the
//! benchmark region, and then drives the real HTTP stack (router, token authentication, policy,
//! SQL filter, audit line and processing log per request) with `--clients` concurrent clients:
//! the region's case list and a subject search, each for the restricted partner user and for
//! the unrestricted RIEC manager of the region, side by side in one run. Reports p50/p99,
//! throughput and peak memory as Markdown.

use anyhow::{anyhow, bail, Context, Result};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use clap::Parser;
use knooppunt_app::tokens::NewTokenInput;
use knooppunt_app::{App, AppConfig, Clock};
use knooppunt_demo::synthetic;
use knooppunt_domain::case::{Subject, SubjectInput};
use knooppunt_store::query::{col_at, q};
use knooppunt_store::Db;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

mod figures;
mod logs;
mod retention;

#[derive(Parser, Debug)]
#[command(name = "knooppunt-bench", about = "Benchmarks van knooppunt")]
pub(crate) struct Args {
    /// `sqlite` or `postgres`.
    #[arg(long, default_value = "sqlite")]
    backend: String,
    /// PostgreSQL server URL (a database `knooppunt_bench_<cases>` is created on it).
    #[arg(long, env = "KNOOPPUNT_BENCH_POSTGRES_URL")]
    postgres_url: Option<String>,
    /// Where the SQLite database is kept between runs.
    #[arg(long, default_value = "target/bench-data")]
    data_dir: String,
    #[arg(long, default_value_t = 100_000)]
    cases: usize,
    #[arg(long, default_value_t = 10)]
    subjects_per_case: usize,
    /// Seed of the generated data (another seed gives other names, identifiers, admissions).
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Cases of the benchmark region the restricted partner is admitted to.
    #[arg(long, default_value_t = 300)]
    partner_cases: usize,
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Requests per scenario.
    #[arg(long, default_value_t = 4000)]
    requests: usize,
    /// `need-to-know` (case list and search, the default), `match-one` (the background
    /// matcher taking one new subject against all the others), `retention` (the due list and
    /// the daily check over finished cases; on a database of its own), `figures` (the annual
    /// report's counting and a steering group's dashboard; on a database of its own) or `logs`
    /// (export, archive and verify a month of the logs; on a database of its own).
    #[arg(long, default_value = "need-to-know")]
    scenario: String,
    /// Node counts to compare in one run, e.g. `1,2`: each node is an app with its own
    /// connection pool and router on the same database, and the clients are spread over the
    /// nodes round-robin. More than one node only on PostgreSQL (SQLite is one node's file).
    #[arg(long, default_value = "1", value_delimiter = ',')]
    nodes: Vec<usize>,
    /// New subjects timed one by one in `match-one`.
    #[arg(long, default_value_t = 200)]
    new_subjects: usize,
    /// Repetitions of each measurement in `retention`.
    #[arg(long, default_value_t = 5)]
    repeat: usize,
    /// Processing-log lines of the month the `logs` scenario exports and archives (and a tenth
    /// as many audit rows).
    #[arg(long, default_value_t = 1_000_000)]
    lines: usize,
}

struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // a benchmark binary reads the real clock
    fn now_ms(&self) -> i64 {
        chrono::Utc::now().timestamp_millis()
    }
}

pub(crate) const REGION: &str = "oost-brabant";
const PARTNER: &str = "Douane";

fn vm(field: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets the peak-RSS counter so the measured phase reports its own peak.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

async fn open(args: &Args) -> Result<(Db, String)> {
    match args.backend.as_str() {
        "sqlite" => {
            std::fs::create_dir_all(&args.data_dir)?;
            let path = format!("{}/cases-{}x{}{}.db", args.data_dir, args.cases, args.subjects_per_case, seed_suffix(args));
            Ok((Db::connect(&format!("sqlite://{path}?mode=rwc")).await?, path))
        }
        "postgres" => {
            let url = args.postgres_url.clone().ok_or_else(|| anyhow!("--postgres-url (of KNOOPPUNT_BENCH_POSTGRES_URL) ontbreekt"))?;
            let name = format!("knooppunt_bench_{}x{}{}", args.cases, args.subjects_per_case, seed_suffix(args).replace('-', "_"));
            let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&url).await?;
            let exists = sqlx::query("SELECT 1 AS one FROM pg_database WHERE datname = $1").bind(&name).fetch_optional(&mut admin).await?.is_some();
            if !exists {
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await?;
            }
            let base = url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(url.clone());
            let db_url = format!("{base}/{name}");
            Ok((Db::connect(&db_url).await?, db_url))
        }
        other => bail!("onbekende backend '{other}'"),
    }
}

/// Databases of the default seed keep their old names; others are named after their seed. The
/// retention scenario closes cases, so it has a database of its own.
fn seed_suffix(args: &Args) -> String {
    let seed = if args.seed == 2026 { String::new() } else { format!("-seed{}", args.seed) };
    match args.scenario.as_str() {
        "retention" => format!("{seed}-retention"),
        "figures" => format!("{seed}-figures"),
        "logs" => format!("-logs{}", args.lines),
        _ => seed,
    }
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Fresh planner statistics after a scenario changed its database.
pub(crate) async fn analyze(db: &Db) -> Result<()> {
    let mut tx = db.begin().await?;
    q("ANALYZE").execute(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn scalar(db: &Db, sql: &str) -> Result<i64> {
    let mut tx = db.begin().await?;
    let v: i64 = col_at(&q(sql).fetch_one(&mut tx).await?, 0)?;
    tx.commit().await?;
    Ok(v)
}

async fn ids(db: &Db, sql: &str) -> Result<Vec<(i64, String, i64)>> {
    let mut tx = db.begin().await?;
    let rows = q(sql).fetch_all(&mut tx).await?;
    tx.commit().await?;
    rows.iter().map(|r| Ok((col_at::<i64>(r, 0)?, col_at::<String>(r, 1)?, col_at::<i64>(r, 2)?))).collect()
}

/// Runs one multi-row INSERT per chunk of `rows` (each row a list of values).
async fn insert_rows(tx: &mut knooppunt_store::Tx, head: &str, width: usize, rows: &[Vec<Val>]) -> Result<()> {
    // sqlx binds in quadratic time per statement: many small statements beat one huge one.
    for chunk in rows.chunks((500 / width).max(1)) {
        let mut sql = String::from(head);
        sql.push_str(" VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for j in 0..width {
                if j > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("${}", i * width + j + 1));
            }
            sql.push(')');
        }
        let mut statement = q(sql);
        for row in chunk {
            for v in row {
                statement = match v {
                    Val::I(x) => statement.bind(*x),
                    Val::T(x) => statement.bind_at(*x),
                    Val::S(x) => statement.bind(x.clone()),
                    Val::N => statement.bind(None::<i64>),
                };
            }
        }
        statement.execute(tx).await?;
    }
    Ok(())
}

#[derive(Clone)]
enum Val {
    I(i64),
    /// A point in time (milliseconds), bound as one (TIMESTAMPTZ on PostgreSQL).
    T(i64),
    S(String),
    N,
}

fn s(v: &str) -> Val {
    Val::S(v.to_string())
}

/// Fills the database: cases over the ten regions, participants, subjects.
async fn populate(app: &App, db: &Db, args: &Args) -> Result<()> {
    let started = Instant::now();
    let regions = ids(db, "SELECT id, code, CAST(0 AS BIGINT) FROM regions WHERE kind = 'riec' ORDER BY id").await?;
    let munis = ids(db, "SELECT m.id, m.name, m.region_id FROM municipalities m ORDER BY m.id").await?;
    let orgs = ids(db, "SELECT id, name, CAST(0 AS BIGINT) FROM organisations ORDER BY id").await?;
    let org = |name: &str| orgs.iter().find(|o| o.1 == name).map(|o| o.0).ok_or_else(|| anyhow!("geen organisatie {name}"));
    let (police, tax, partner) = (org("Nationale Politie")?, org("Belastingdienst")?, org(PARTNER)?);
    let bench_region = regions.iter().find(|r| r.1 == REGION).map(|r| r.0).ok_or_else(|| anyhow!("geen regio {REGION}"))?;
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let phases = ["signaal", "weging", "pre-casus", "casus", "casus", "casus", "afgesloten"];
    let now = app.now();
    let batch = 5_000;
    let mut partner_left = args.partner_cases;
    let mut next_case = 1i64;
    let mut made_subjects = 0usize;
    while (next_case as usize) <= args.cases {
        let mut tx = db.begin().await?;
        let mut cases = Vec::new();
        let mut participants = Vec::new();
        let mut subjects = Vec::new();
        let end = (next_case as usize + batch - 1).min(args.cases) as i64;
        for id in next_case..=end {
            let region = regions[(id as usize) % regions.len()].0;
            let in_region: Vec<&(i64, String, i64)> = munis.iter().filter(|m| m.2 == region).collect();
            let m = in_region.choose(&mut rng).copied().ok_or_else(|| anyhow!("regio zonder gemeenten"))?;
            let source = org(&format!("Gemeente {}", m.1)).unwrap_or(police);
            let at = now - (args.cases as i64 - id) * 60_000;
            cases.push(vec![
                Val::I(id),
                Val::S(format!("BENCH-{id:06}")),
                s(phases.choose(&mut rng).copied().unwrap_or("casus")),
                Val::S(format!("Casus {id} in {}", m.1)),
                s("Synthetische casus voor de benchmark."),
                Val::I(m.0),
                Val::I(region),
                Val::I(source),
                Val::T(at),
                Val::T(at),
            ]);
            let mut admitted = vec![source];
            if rng.gen_bool(0.8) && source != police {
                admitted.push(police);
            }
            if rng.gen_bool(0.6) {
                admitted.push(tax);
            }
            // The restricted partner: a few hundred cases of the benchmark region (and as many
            // elsewhere, which its regional role does not reach).
            if (region == bench_region && partner_left > 0 && rng.gen_bool(0.05)) || (region != bench_region && rng.gen_bool(0.0035)) {
                if region == bench_region {
                    partner_left -= 1;
                }
                admitted.push(partner);
            }
            for o in admitted {
                participants.push(vec![Val::I(id), Val::I(o), Val::I(region), Val::T(at), Val::T(at), s("bench"), s("need-to-know")]);
            }
            let city = &m.1;
            for k in 0..args.subjects_per_case {
                let input: SubjectInput = match k % 10 {
                    0..=5 => synthetic::person(&mut rng),
                    6 | 7 => synthetic::company(&mut rng, city),
                    8 => synthetic::address(&mut rng, city, "GM0772"),
                    _ => {
                        if rng.gen_bool(0.5) {
                            synthetic::vehicle(&mut rng)
                        } else {
                            synthetic::account(&mut rng)
                        }
                    }
                };
                let Ok(sub) = Subject::parse(&input) else {
                    continue;
                };
                let f = &sub.fields;
                subjects.push(vec![
                    Val::I(id),
                    Val::I(region),
                    s(sub.kind.code()),
                    Val::S(sub.display_name.clone()),
                    Val::S(sub.sort_key.clone()),
                    Val::S(sub.name_key()),
                    Val::S(sub.identifier().unwrap_or_default()),
                    Val::S(f.first_names.clone()),
                    Val::S(f.prefix.clone()),
                    Val::S(f.surname.clone()),
                    Val::S(f.birth_date.clone()),
                    Val::S(f.bsn.clone()),
                    Val::S(f.company_name.clone()),
                    Val::S(f.legal_form.clone()),
                    Val::S(f.kvk.clone()),
                    Val::S(f.postcode.clone()),
                    Val::S(f.house_number.clone()),
                    Val::S(f.city.clone()),
                    Val::S(f.licence_plate.clone()),
                    Val::S(f.iban.clone()),
                    Val::T(at),
                    Val::T(at),
                ]);
            }
        }
        insert_rows(
            &mut tx,
            "INSERT INTO cases (id, reference, phase, title, description, municipality_id, region_id, source_organisation_id, created_at, updated_at)",
            10,
            &cases,
        )
        .await?;
        insert_rows(&mut tx, "INSERT INTO case_participants (case_id, organisation_id, region_id, case_updated_at, admitted_at, admitted_by, reason)", 7, &participants).await?;
        insert_rows(
            &mut tx,
            "INSERT INTO subjects (case_id, region_id, kind, display_name, sort_key, search_key, identifier, first_names, prefix, surname, birth_date, bsn, company_name, legal_form, kvk, postcode, house_number, city, licence_plate, iban, created_at, updated_at)",
            22,
            &subjects,
        )
        .await?;
        tx.commit().await?;
        made_subjects += subjects.len();
        eprintln!("  {end} casussen, {made_subjects} betrokkenen ({:.0} s)", started.elapsed().as_secs_f64());
        next_case = end + 1;
    }
    let _ = Val::N;
    if db.backend() == knooppunt_store::Backend::Postgres {
        // Identity columns do not advance on explicit ids.
        let mut tx = db.begin().await?;
        q("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT MAX(id) FROM cases))").execute(&mut tx).await?;
        tx.commit().await?;
    }
    eprintln!("gevuld in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

struct Outcome {
    latencies: Vec<Duration>,
    wall: Duration,
    errors: usize,
    hits: usize,
}

async fn run(routers: &[axum::Router], token: &str, kind: &str, clients: usize, requests: usize) -> Result<Outcome> {
    let names: Vec<String> = synthetic::SURNAMES.iter().map(|s| s.to_string()).collect();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let router = routers[c % routers.len()].clone();
        let token = token.to_string();
        let kind = kind.to_string();
        let names = names.clone();
        let per = requests / clients + usize::from(c < requests % clients);
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(per);
            let mut errors = 0;
            let mut hits = 0;
            for i in 0..per {
                let req = if kind == "lijst" {
                    Request::builder().method(Method::GET).uri(format!("/api/v1/casussen?regio={REGION}")).header("authorization", format!("Bearer {token}")).body(Body::empty())
                } else {
                    let name = &names[(c * 7 + i) % names.len()];
                    Request::builder()
                        .method(Method::POST)
                        .uri("/api/v1/betrokkenen/_zoek")
                        .header("authorization", format!("Bearer {token}"))
                        .header("content-type", "application/json")
                        .body(Body::from(serde_json::json!({ "zoekterm": name }).to_string()))
                };
                let Ok(req) = req else {
                    errors += 1;
                    continue;
                };
                let t = Instant::now();
                match router.clone().oneshot(req).await {
                    Ok(res) if res.status() == StatusCode::OK => {
                        let body = axum::body::to_bytes(res.into_body(), 64 * 1024 * 1024).await.unwrap_or_default();
                        lat.push(t.elapsed());
                        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&body) {
                            hits += v["resultaten"].as_array().or_else(|| v["casussen"].as_array()).map(Vec::len).unwrap_or(0);
                        }
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors, hits)
        }));
    }
    let mut out = Outcome { latencies: Vec::new(), wall: Duration::ZERO, errors: 0, hits: 0 };
    for t in tasks {
        let (lat, errors, hits) = t.await?;
        out.latencies.extend(lat);
        out.errors += errors;
        out.hits += hits;
    }
    out.wall = started.elapsed();
    out.latencies.sort();
    Ok(out)
}

fn pct(v: &[Duration], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)].as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<()> {
    let args = Args::parse();
    let (db, location) = open(&args).await?;
    db.migrate().await.context("migraties")?;
    let mut config = AppConfig::new(b"bench-pseudonym-key-0123456789abcdef".to_vec(), b"bench-audit-key-0123456789abcdef0123".to_vec());
    config.password_cost = knooppunt_app::PasswordCost::Fast;
    let app = App::new(db.clone(), Arc::new(SystemClock), Box::new(rand_chacha::ChaCha20Rng::from_entropy()), config);
    let op = app.operator_ctx("bench");
    app.load_reference(&op).await.map_err(|e| anyhow!(e.to_string()))?;
    if args.scenario == "logs" {
        logs::run(&app, &db, &args).await?;
        db.close().await;
        return Ok(());
    }
    let have = scalar(&db, "SELECT COUNT(*) FROM cases").await?;
    if have != args.cases as i64 {
        if have != 0 {
            bail!("{location} bevat {have} casussen; verwijder de database of kies een andere --data-dir");
        }
        eprintln!("database vullen: {} casussen × {} betrokkenen ({})", args.cases, args.subjects_per_case, args.backend);
        populate(&app, &db, &args).await?;
    }
    {
        let mut tx = db.begin().await?;
        q("ANALYZE").execute(&mut tx).await?;
        tx.commit().await?;
    }
    if args.scenario == "match-one" {
        return match_one(&app, &db, &args).await;
    }
    if args.scenario == "retention" {
        retention::run(&app, &db, &args).await?;
        db.close().await;
        return Ok(());
    }
    if args.scenario == "figures" {
        figures::run(&app, &db, &args).await?;
        db.close().await;
        return Ok(());
    }
    let subjects = scalar(&db, "SELECT COUNT(*) FROM subjects").await?;
    let partner_visible = scalar(&db, &format!(
        "SELECT COUNT(*) FROM case_participants p JOIN cases c ON c.id = p.case_id JOIN organisations o ON o.id = p.organisation_id JOIN regions r ON r.id = c.region_id WHERE o.name = '{PARTNER}' AND r.code = '{REGION}'"
    ))
    .await?;
    let tokens = {
        let orgs = ids(&db, "SELECT id, name, CAST(0 AS BIGINT) FROM organisations").await?;
        let org_of = |name: &str| orgs.iter().find(|o| o.1 == name).map(|o| o.0);
        let partner = org_of(PARTNER);
        let bureau = org_of("RIEC-bureau Oost-Brabant");
        let mk = |name: &str, org: Option<i64>, role: &str| NewTokenInput {
            name: name.into(),
            organisation_id: org,
            roles: vec![(role.into(), Some(REGION.into()))],
            valid_days: Some(1),
        };
        let (_, restricted) = app.create_token(&op, &mk("bench partner", partner, "partner-medewerker")).await.map_err(|e| anyhow!(e.to_string()))?;
        let (_, manager) = app.create_token(&op, &mk("bench riec-manager", bureau, "riec-manager")).await.map_err(|e| anyhow!(e.to_string()))?;
        (restricted, manager)
    };
    let config = app.config().clone();
    for &nodes in &args.nodes {
        if nodes == 0 || (nodes > 1 && args.backend != "postgres") {
            bail!("--nodes {nodes}: meer dan één knooppunt alleen op PostgreSQL");
        }
        // Node 1 is the app that filled the database; every further node connects anew.
        let mut routers = vec![knooppunt_web::router(app.clone(), bench_web())];
        let mut extra = Vec::new();
        for _ in 1..nodes {
            let db = Db::connect(&location).await?;
            let node = App::new(db.clone(), Arc::new(SystemClock), Box::new(rand_chacha::ChaCha20Rng::from_entropy()), config.clone());
            routers.push(knooppunt_web::router(node, bench_web()));
            extra.push(db);
        }
        // Warm up caches and the connection pools.
        for (t, k) in [(&tokens.0, "lijst"), (&tokens.1, "lijst"), (&tokens.0, "zoeken"), (&tokens.1, "zoeken")] {
            let o = run(&routers, t, k, args.clients, args.clients * 4).await?;
            if o.errors > 0 {
                bail!("opwarmen: {} fouten bij {k}", o.errors);
            }
        }
        reset_peak();
        let rss_before = vm("VmRSS:").unwrap_or(0);
        let mut rows = Vec::new();
        for kind in ["lijst", "zoeken"] {
            for (who, token) in [("RIEC-manager (onbeperkt)", &tokens.1), ("partner (beperkt)", &tokens.0)] {
                let o = run(&routers, token, kind, args.clients, args.requests).await?;
                rows.push((kind, who, o));
            }
        }
        let peak = vm("VmHWM:").unwrap_or(0);
        report(&args, subjects, partner_visible, nodes, &rows);
        println!("\nGeheugen: RSS bij de start van de meting {} MB, piek (VmHWM) tijdens de meting {} MB.\n", rss_before / 1024, peak / 1024);
        for db in extra {
            db.close().await;
        }
    }
    db.close().await;
    Ok(())
}

fn bench_web() -> knooppunt_web::WebConfig {
    knooppunt_web::WebConfig { tls: false, version: "bench", metrics_token: None, trusted_proxies: vec![] }
}

fn report(args: &Args, subjects: i64, partner_visible: i64, nodes: usize, rows: &[(&str, &str, Outcome)]) {
    println!("### {} — {} casussen, {} betrokkenen, {} gelijktijdige clients, {nodes} knooppunt(en)\n", args.backend, args.cases, subjects, args.clients);
    println!("Beperkte gebruiker: {PARTNER} (partner-medewerker in {REGION}), toegelaten tot {partner_visible} casussen van de regio. Onbeperkt: RIEC-manager van {REGION} ({} casussen in de regio).\n", args.cases / 10);
    println!("| verzoek | gebruiker | verzoeken | fouten | p50 (ms) | p99 (ms) | max (ms) | doorvoer (verz./s) | resultaten per verzoek |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (kind, who, o) in rows {
        let n = o.latencies.len();
        println!(
            "| {} | {who} | {n} | {} | {:.1} | {:.1} | {:.1} | {:.0} | {:.1} |",
            if *kind == "lijst" { "caselijst regio (GET /casussen?regio=…)" } else { "betrokkene zoeken (POST /betrokkenen/_zoek)" },
            o.errors,
            pct(&o.latencies, 0.5),
            pct(&o.latencies, 0.99),
            o.latencies.last().map(|d| d.as_secs_f64() * 1000.0).unwrap_or(f64::NAN),
            n as f64 / o.wall.as_secs_f64(),
            o.hits as f64 / n.max(1) as f64
        );
    }
    for kind in ["lijst", "zoeken"] {
        let m: Vec<&Outcome> = rows.iter().filter(|r| r.0 == kind).map(|r| &r.2).collect();
        if let [manager, restricted] = m.as_slice() {
            println!(
                "\n{kind}: beperkt / onbeperkt = {:.2}× (p50), {:.2}× (p99)",
                pct(&restricted.latencies, 0.5) / pct(&manager.latencies, 0.5),
                pct(&restricted.latencies, 0.99) / pct(&manager.latencies, 0.99)
            );
        }
    }
}

/// `match-one`: the blocking keys of every subject are indexed (once), then `--new-subjects`
/// subjects are added one at a time to cases of another region — half copies of existing
/// subjects with a changed spelling (which must hit), half copies with another name and birth
/// date (which usually do not) — and the background matcher (`process_match_queue`: keys,
/// candidates under each key, scoring, hit recording, audit, in one transaction) is timed for
/// each.
async fn match_one(app: &App, db: &Db, args: &Args) -> Result<()> {
    use knooppunt_matching::{blocking, Record};
    use knooppunt_store::treffers as store;
    let started = Instant::now();
    if scalar(db, "SELECT COUNT(*) FROM subject_match_keys").await? == 0 {
        eprintln!("blokkeersleutels van alle betrokkenen indexeren");
        let mut after = 0;
        let mut done = 0usize;
        loop {
            let mut tx = db.begin().await?;
            let ids = store::subject_ids(&mut tx, after, 5_000).await?;
            let Some(last) = ids.last().copied() else {
                break;
            };
            for s in store::subjects_for_matching(&mut tx, &knooppunt_policy::background_matcher(), &ids).await? {
                let r = Record::from_input(&knooppunt_app::treffers::record_input(&s.subject)).0;
                let keys = if r.is_matchable() { blocking::keys(&r) } else { Vec::new() };
                store::set_keys(&mut tx, s.subject.id, s.region_id, &keys).await?;
            }
            tx.commit().await?;
            done += ids.len();
            after = last;
            if done % 100_000 < 5_000 {
                eprintln!("  {done} betrokkenen ({:.0} s)", started.elapsed().as_secs_f64());
            }
        }
        let mut tx = db.begin().await?;
        q("ANALYZE").execute(&mut tx).await?;
        tx.commit().await?;
    }
    let subjects = scalar(db, "SELECT COUNT(*) FROM subjects").await?;
    let keys = scalar(db, "SELECT COUNT(*) FROM subject_match_keys").await?;
    let max_id = scalar(db, "SELECT MAX(id) FROM subjects WHERE kind IN ('persoon', 'rechtspersoon')").await?;
    let cases = ids(db, "SELECT MIN(c.id), '', c.region_id FROM cases c GROUP BY c.region_id").await?;
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut timings = Vec::new();
    let (mut hits, mut candidates) = (0u64, 0u64);
    let cols = "kind, display_name, sort_key, search_key, identifier, first_names, prefix, surname, birth_date, bsn, company_name, legal_form, kvk, postcode, house_number, city, licence_plate, iban, created_at, updated_at";
    for n in 0..args.new_subjects {
        // A random person or company, copied into a case of another region.
        let source = loop {
            let id = rng.gen_range(1..=max_id);
            if let Some(r) = ids(db, &format!("SELECT id, kind, region_id FROM subjects WHERE id = {id} AND kind IN ('persoon', 'rechtspersoon')")).await?.first() {
                break r.clone();
            }
        };
        let Some(target) = cases.iter().find(|c| c.2 != source.2) else { bail!("geen tweede regio") };
        let variant = if n % 2 == 0 {
            // The same entity, spelt differently: upper case and, for persons, without BSN.
            "UPPER(display_name), sort_key, search_key, '', UPPER(first_names), prefix, UPPER(surname), birth_date, '', UPPER(company_name), legal_form, kvk".to_string()
        } else {
            // Someone else at the same address: another name and birth date for every one.
            const NAMES: [&str; 8] = ["Zwartveld", "Oosterhuis", "Brinkman", "Kuipers", "Lammers", "Verbeek", "Hoogland", "Prins"];
            let surname = NAMES[n % NAMES.len()];
            let born = format!("19{:02}-{:02}-{:02}", 30 + n % 60, 1 + n % 12, 1 + n % 28);
            format!("'Anders', sort_key, search_key, '', 'Xander', '', '{surname}', '{born}', '', '{surname} Handel {n}', legal_form, ''")
        };
        let mut tx = db.begin().await?;
        let row = q(format!(
            "INSERT INTO subjects (case_id, region_id, {cols}) SELECT {}, {}, kind, {variant}, postcode, house_number, city, licence_plate, iban, created_at, updated_at FROM subjects WHERE id = {} RETURNING id",
            target.0, target.2, source.0
        ))
        .fetch_one(&mut tx)
        .await?;
        let new_id: i64 = col_at(&row, 0)?;
        store::enqueue(&mut tx, new_id, app.now()).await?;
        tx.commit().await?;
        let t = Instant::now();
        let report = app.process_match_queue().await.map_err(|e| anyhow!(e.to_string()))?;
        timings.push(t.elapsed());
        hits += report.new_hits;
        candidates += report.candidate_pairs;
    }
    timings.sort();
    let n = timings.len().max(1);
    println!("### match-one — {} ({subjects} betrokkenen, {keys} blokkeersleutels)\n", args.backend);
    println!("| nieuwe betrokkenen | p50 (ms) | p99 (ms) | max (ms) | kandidaten per betrokkene | nieuwe treffers |");
    println!("|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {} | {:.1} | {:.1} | {:.1} | {:.1} | {hits} |",
        timings.len(),
        pct(&timings, 0.5),
        pct(&timings, 0.99),
        timings.last().map(|d| d.as_secs_f64() * 1000.0).unwrap_or(f64::NAN),
        candidates as f64 / n as f64
    );
    db.close().await;
    Ok(())
}

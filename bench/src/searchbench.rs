//! `knooppunt-searchbench`: the knowledge search measured (issue #15).
//!
//! `--scenario quality` generates `--items` knowledge items and the judged queries
//! ([`searchgen`]), loads them into a fresh SQLite and a fresh PostgreSQL database, and reports
//! nDCG@10 and recall@10 of knooppunt's search on both (and whether their top-10 lists are
//! identical), side by side with PostgreSQL's built-in `dutch` configuration
//! (`to_tsvector('dutch', …) @@ websearch_to_tsquery('dutch', …)`, ranked by `ts_rank_cd`, over a
//! GIN index) on the same items. The queries and judgments are written to `bench/search/`.
//!
//! `--scenario load` loads `--items` items (most for the network, a fifth for five knowledge
//! groups, a tenth public) and drives the real HTTP stack with `--clients` concurrent clients
//! searching the judged queries' words: as the knowledge editor (everything) and as a partner
//! whose organisation is a member of one group (network plus that group). Reports p50/p99.

use anyhow::{anyhow, bail, Context, Result};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use clap::Parser;
use knooppunt_app::knowledge::KnowledgeQuery;
use knooppunt_app::tokens::NewTokenInput;
use knooppunt_app::{App, AppConfig, Clock};
use knooppunt_store::knowledge::{self as items, ItemContent};
use knooppunt_store::query::{col, q};
use knooppunt_store::Db;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tower::ServiceExt;

mod searchgen;
use searchgen::{Item, Judged};

/// The server's allocator and its settings (the same file as `knooppunt serve`'s), so the
/// load is measured as it runs.
#[path = "../../crates/knooppunt/src/allocator.rs"]
mod allocator;

#[derive(Parser, Debug)]
#[command(name = "knooppunt-searchbench", about = "De zoekfunctie van de kennisbank gemeten")]
struct Args {
    /// `quality` or `load`.
    #[arg(long, default_value = "quality")]
    scenario: String,
    #[arg(long, default_value_t = 2400)]
    items: usize,
    /// Seed of the generated items and queries.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// PostgreSQL server URL (databases `knooppunt_search_…` are made on it).
    #[arg(long, env = "KNOOPPUNT_BENCH_POSTGRES_URL")]
    postgres_url: Option<String>,
    /// `sqlite`, `postgres` or both (`sqlite,postgres`) for `load`.
    #[arg(long, default_value = "sqlite,postgres", value_delimiter = ',')]
    backends: Vec<String>,
    #[arg(long, default_value = "target/bench-data")]
    data_dir: String,
    #[arg(long, default_value_t = 16)]
    clients: usize,
    #[arg(long, default_value_t = 4000)]
    requests: usize,
    /// How texts choose among a topic's words: `uniform` or `skewed` (see `searchgen`).
    #[arg(long, default_value = "skewed")]
    words: String,
    /// `load`: use the database an earlier run with the same `--items` and `--seed` left, if
    /// there is one (loading 100,000 items takes minutes).
    #[arg(long)]
    reuse: bool,
    /// `load`: filters added to every search, as in the API's query (`soort=handreiking`,
    /// `jaar=2024&partnertype=gemeente`); none by default.
    #[arg(long, default_value = "")]
    filter: String,
    /// The PostgreSQL pool's connections (`knooppunt serve`'s default unless given).
    #[arg(long)]
    postgres_connections: Option<u32>,
}

fn choice(args: &Args) -> Result<searchgen::WordChoice> {
    match args.words.as_str() {
        "uniform" => Ok(searchgen::WordChoice::Uniform),
        "skewed" => Ok(searchgen::WordChoice::Skewed),
        other => bail!("--words {other}: uniform of skewed"),
    }
}

struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // a benchmark binary reads the real clock
    fn now_ms(&self) -> i64 {
        chrono::Utc::now().timestamp_millis()
    }
}

/// A fresh, migrated database of `backend` for this run.
async fn fresh(args: &Args, backend: &str, tag: &str) -> Result<Db> {
    Ok(database(args, backend, tag, false).await?.0)
}

/// The database of `backend` for this run: an earlier run's when `reuse` and one is there
/// (then `true`), else a fresh one.
/// The name of the database of scenario `tag` at this size and seed.
fn database_name(args: &Args, tag: &str) -> String {
    format!("knooppunt_search_{tag}_{}_{}", args.items, args.seed)
}

async fn database(args: &Args, backend: &str, tag: &str, reuse: bool) -> Result<(Db, bool)> {
    let name = database_name(args, tag);
    match backend {
        "sqlite" => {
            std::fs::create_dir_all(&args.data_dir)?;
            let path = format!("{}/{name}.db", args.data_dir);
            if reuse && std::path::Path::new(&path).exists() {
                return Ok((Db::connect(&format!("sqlite://{path}?mode=rw")).await?, true));
            }
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
            Ok((Db::connect(&format!("sqlite://{path}?mode=rwc")).await?, false))
        }
        "postgres" => {
            let pool = args.postgres_connections.unwrap_or_else(knooppunt_store::db::postgres_connections);
            let url = args.postgres_url.clone().ok_or_else(|| anyhow!("--postgres-url (of KNOOPPUNT_BENCH_POSTGRES_URL) ontbreekt"))?;
            let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&url).await?;
            let there = sqlx::query("SELECT 1 FROM pg_database WHERE datname = $1").bind(&name).fetch_optional(&mut admin).await?.is_some();
            if reuse && there {
                return Ok((Db::connect_sized(&postgres_database(&url, &name), pool).await?, true));
            }
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&mut admin).await?;
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await?;
            Ok((Db::connect_sized(&postgres_database(&url, &name), pool).await?, false))
        }
        other => bail!("onbekende backend '{other}'"),
    }
}

/// The URL of database `name` on the server of `url`.
fn postgres_database(url: &str, name: &str) -> String {
    format!("{}/{name}", url.rsplit_once('/').map_or(url, |(base, _)| base))
}

/// After loading on PostgreSQL: `VACUUM (ANALYZE)` of the new database (outside a transaction),
/// so a measurement does not share the machine with autovacuum's first pass over the tables.
async fn settle(args: &Args, backend: &str, tag: &str) -> Result<()> {
    if backend != "postgres" {
        return Ok(());
    }
    let url = args.postgres_url.clone().ok_or_else(|| anyhow!("--postgres-url (of KNOOPPUNT_BENCH_POSTGRES_URL) ontbreekt"))?;
    let name = database_name(args, tag);
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&postgres_database(&url, &name)).await?;
    sqlx::query("VACUUM (ANALYZE)").execute(&mut conn).await?;
    Ok(())
}

async fn app_on(db: &Db) -> Result<App> {
    db.migrate().await.context("migraties")?;
    let mut config = AppConfig::new(b"bench-pseudonym-key-0123456789abcdef".to_vec(), b"bench-audit-key-0123456789abcdef0123".to_vec());
    config.password_cost = knooppunt_app::PasswordCost::Fast;
    let app = App::new(db.clone(), Arc::new(SystemClock), Box::new(rand_chacha::ChaCha20Rng::from_entropy()), config);
    app.load_reference(&app.operator_ctx("bench")).await.map_err(|e| anyhow!(e.to_string()))?;
    Ok(app)
}

/// Loads `items` published, with `audience(key)` (and group), then builds the index; item id per key.
async fn load(app: &App, db: &Db, gen: &[Item], audience: impl Fn(usize) -> (&'static str, Option<i64>)) -> Result<Vec<i64>> {
    let started = Instant::now();
    let phenomena: BTreeMap<String, i64> = {
        let mut tx = db.begin().await?;
        let rows = q("SELECT id, code FROM phenomena").fetch_all(&mut tx).await?;
        tx.commit().await?;
        rows.iter().map(|r| Ok((col::<String>(r, "code")?, col::<i64>(r, "id")?))).collect::<Result<_, knooppunt_store::StoreError>>()?
    };
    let mut ids = Vec::with_capacity(gen.len());
    let at = app.now();
    for chunk in gen.chunks(1000) {
        let mut tx = db.begin().await?;
        for i in chunk {
            let (aud, group_id) = audience(i.key);
            let content = ItemContent {
                kind: i.kind.into(),
                title: i.title.clone(),
                summary: i.summary.clone(),
                body: i.body.clone(),
                ecli: i.ecli.clone(),
                audience: aud.into(),
                group_id,
                region_id: None,
                product_type: if i.kind == "tafelproduct" { "rapportage".into() } else { String::new() },
            };
            let id = items::insert(&mut tx, &content, "bench", at).await?;
            let phenomenon = phenomena.get(searchgen::TOPICS[i.topic].phenomenon).copied();
            items::set_terms(&mut tx, id, &items::ItemTerms { phenomena: phenomenon.into_iter().collect(), settings: vec![], partner_types: vec![] }).await?;
            items::set_state(&mut tx, id, 1, "concept", "gepubliceerd", Some("bench"), at).await?;
            ids.push(id);
        }
        tx.commit().await?;
    }
    {
        let mut tx = db.begin().await?;
        q("UPDATE search_index_state SET analyser = ''").execute(&mut tx).await?;
        tx.commit().await?;
    }
    let loaded = started.elapsed();
    let indexed = Instant::now();
    let n = app.prepare_search().await.map_err(|e| anyhow!(e.to_string()))?;
    eprintln!("{} items geladen in {:.1} s, {n} geïndexeerd in {:.1} s", gen.len(), loaded.as_secs_f64(), indexed.elapsed().as_secs_f64());
    let mut tx = db.begin().await?;
    q("ANALYZE").execute(&mut tx).await?;
    tx.commit().await?;
    Ok(ids)
}

fn ndcg(ranked: &[usize], relevant: &BTreeMap<usize, u32>) -> f64 {
    let gain = |g: u32| f64::from((1u32 << g) - 1);
    let dcg: f64 = ranked.iter().take(10).enumerate().map(|(i, k)| gain(relevant.get(k).copied().unwrap_or(0)) / ((i + 2) as f64).log2()).sum();
    let mut ideal: Vec<u32> = relevant.values().copied().collect();
    ideal.sort_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal.iter().take(10).enumerate().map(|(i, g)| gain(*g) / ((i + 2) as f64).log2()).sum();
    if idcg == 0.0 {
        0.0
    } else {
        dcg / idcg
    }
}

/// Relevant items among the first ten, of at most ten findable.
fn recall(ranked: &[usize], relevant: &BTreeMap<usize, u32>) -> f64 {
    let found = ranked.iter().take(10).filter(|k| relevant.contains_key(k)).count();
    found as f64 / relevant.len().clamp(1, 10) as f64
}

async fn ours(app: &App, query: &str, key_of: &BTreeMap<i64, usize>) -> Result<Vec<usize>> {
    let mut ctx = app.operator_ctx("bench");
    ctx.principal = None;
    let l = app.knowledge_list(&ctx, &KnowledgeQuery { text: Some(query.into()), page: 1, ..Default::default() }).await.map_err(|e| anyhow!(e.to_string()))?;
    Ok(l.items.iter().filter_map(|i| key_of.get(&i.row.id).copied()).collect())
}

const ANCHOR_DOC: &str = "to_tsvector('dutch', title || ' ' || summary || ' ' || body || ' ' || COALESCE(ecli, ''))";

async fn anchor(db: &Db, query: &str, key_of: &BTreeMap<i64, usize>) -> Result<Vec<usize>> {
    let mut tx = db.begin().await?;
    let rows = q(format!(
        "SELECT id FROM knowledge_items WHERE {ANCHOR_DOC} @@ websearch_to_tsquery('dutch', $1) ORDER BY ts_rank_cd({ANCHOR_DOC}, websearch_to_tsquery('dutch', $1)) DESC, id DESC LIMIT 10"
    ))
    .bind(query)
    .fetch_all(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(rows.iter().filter_map(|r| col::<i64>(r, "id").ok().and_then(|id| key_of.get(&id).copied())).collect())
}

fn write_judgments(args: &Args, queries: &[Judged]) -> Result<String> {
    std::fs::create_dir_all("bench/search")?;
    let path = format!("bench/search/queries-{}-seed{}-{}.tsv", args.items, args.seed, args.words);
    let mut f = std::fs::File::create(&path)?;
    writeln!(f, "# soort\tzoekvraag\trelevante items (sleutel:graad)")?;
    for qy in queries {
        let rel: Vec<String> = qy.relevant.iter().map(|(k, g)| format!("{k}:{g}")).collect();
        writeln!(f, "{}\t{}\t{}", qy.kind, qy.text, rel.join(" "))?;
    }
    Ok(path)
}

async fn quality(args: &Args) -> Result<()> {
    let mut r = ChaCha8Rng::seed_from_u64(args.seed);
    let gen = searchgen::items(args.items, &mut r, choice(args)?);
    let queries = searchgen::queries(&gen, &mut r);
    let path = write_judgments(args, &queries)?;
    let mut results: BTreeMap<&str, Vec<Vec<usize>>> = BTreeMap::new();
    for backend in ["sqlite", "postgres"] {
        let db = fresh(args, backend, "q").await?;
        let app = app_on(&db).await?;
        let ids = load(&app, &db, &gen, |_| ("openbaar", None)).await?;
        let key_of: BTreeMap<i64, usize> = ids.iter().enumerate().map(|(k, id)| (*id, k)).collect();
        let mut mine = Vec::new();
        for qy in &queries {
            mine.push(ours(&app, &qy.text, &key_of).await?);
        }
        results.insert(if backend == "sqlite" { "knooppunt (SQLite)" } else { "knooppunt (PostgreSQL)" }, mine);
        if backend == "postgres" {
            let mut tx = db.begin().await?;
            q(format!("CREATE INDEX knowledge_items_dutch ON knowledge_items USING GIN ({ANCHOR_DOC})")).execute(&mut tx).await?;
            tx.commit().await?;
            let mut base = Vec::new();
            for qy in &queries {
                base.push(anchor(&db, &qy.text, &key_of).await?);
            }
            results.insert("PostgreSQL 'dutch' (anker)", base);
        }
        db.close().await;
    }
    println!("### Zoekkwaliteit — {} items, {} beoordeelde zoekvragen, seed {}, woordkeus {} ({path})\n", args.items, queries.len(), args.seed, args.words);
    let kinds: Vec<&str> = {
        let mut k: Vec<&str> = queries.iter().map(|qy| qy.kind).collect();
        k.sort();
        k.dedup();
        k
    };
    print!("| systeem | nDCG@10 | recall@10 |");
    for k in &kinds {
        print!(" nDCG@10 {k} |");
    }
    println!();
    println!("|---|---:|---:|{}", "---:|".repeat(kinds.len()));
    for (system, ranked) in &results {
        let judged: Vec<BTreeMap<usize, u32>> = queries.iter().map(|qy| qy.relevant.iter().copied().collect()).collect();
        let n = |f: &dyn Fn(usize) -> bool| {
            let v: Vec<f64> = (0..queries.len()).filter(|i| f(*i)).map(|i| ndcg(&ranked[i], &judged[i])).collect();
            v.iter().sum::<f64>() / v.len().max(1) as f64
        };
        let rec: f64 = (0..queries.len()).map(|i| recall(&ranked[i], &judged[i])).sum::<f64>() / queries.len() as f64;
        print!("| {system} | {:.3} | {:.3} |", n(&|_| true), rec);
        for k in &kinds {
            print!(" {:.3} |", n(&|i| queries[i].kind == *k));
        }
        println!();
    }
    let (a, b) = (&results["knooppunt (SQLite)"], &results["knooppunt (PostgreSQL)"]);
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    println!("\nIdentieke top-10 op SQLite en PostgreSQL: {same} van {} zoekvragen.", queries.len());
    Ok(())
}

/// Five knowledge groups (the partner's organisation a member of the first), and the items
/// loaded: a tenth public, a fifth for a group, the rest for the network.
async fn load_groups(app: &App, db: &Db, gen: &[Item], partner_org: i64, seed: u64) -> Result<()> {
    let groups = {
        let mut tx = db.begin().await?;
        let mut groups = Vec::new();
        for g in 0..5 {
            let id = items::insert_group(&mut tx, &format!("tafel-{g}"), &format!("Tafel {g}"), "", app.now()).await?;
            if g == 0 {
                items::set_members(&mut tx, id, &[partner_org]).await?;
            }
            groups.push(id);
        }
        tx.commit().await?;
        groups
    };
    let mut pick = ChaCha8Rng::seed_from_u64(seed + 1);
    let audiences: Vec<(&'static str, Option<i64>)> = (0..gen.len())
        .map(|_| match pick.gen_range(0..10) {
            0 => ("openbaar", None),
            1 | 2 => ("groep", Some(groups[pick.gen_range(0..groups.len())])),
            _ => ("netwerk", None),
        })
        .collect();
    load(app, db, gen, |k| audiences[k]).await?;
    Ok(())
}

async fn load_scenario(args: &Args) -> Result<()> {
    let mut r = ChaCha8Rng::seed_from_u64(args.seed);
    let gen = searchgen::items(args.items, &mut r, choice(args)?);
    let queries = searchgen::queries(&gen, &mut r);
    for backend in &args.backends {
        let (db, reused) = database(args, backend, "load", args.reuse).await?;
        let app = app_on(&db).await?;
        let op = app.operator_ctx("bench");
        let partner_org = {
            let mut tx = db.begin().await?;
            let org = q("SELECT id FROM organisations WHERE name = 'Douane'").fetch_one(&mut tx).await?;
            tx.commit().await?;
            col::<i64>(&org, "id")?
        };
        if reused {
            let mut tx = db.begin().await?;
            let n: i64 = col(&q("SELECT COUNT(*) AS n FROM knowledge_items").fetch_one(&mut tx).await?, "n")?;
            tx.commit().await?;
            if n != gen.len() as i64 {
                bail!("de database van een eerdere meting houdt {n} items, niet {}: meet zonder --reuse", gen.len());
            }
            eprintln!("de database van een eerdere meting wordt gebruikt");
        } else {
            load_groups(&app, &db, &gen, partner_org, args.seed).await?;
            settle(args, backend, "load").await?;
        }

        let liec_org = {
            let mut tx = db.begin().await?;
            let r = q("SELECT id FROM organisations WHERE name = 'RIEC-bureau Oost-Brabant'").fetch_one(&mut tx).await?;
            tx.commit().await?;
            col::<i64>(&r, "id")?
        };
        let mk = |name: &str, org: i64, role: &str, region: Option<&str>| NewTokenInput {
            name: name.into(),
            organisation_id: Some(org),
            roles: vec![(role.into(), region.map(str::to_string))],
            valid_days: Some(1),
        };
        let (_, editor) = app.create_token(&op, &mk("bench redactie", liec_org, "kennisredacteur", None)).await.map_err(|e| anyhow!("{e:?}"))?;
        let (_, partner) = app.create_token(&op, &mk("bench partner", partner_org, "partner-medewerker", Some("oost-brabant"))).await.map_err(|e| anyhow!("{e:?}"))?;
        let router = knooppunt_web::router(app.clone(), knooppunt_web::WebConfig { tls: false, version: "bench", metrics_token: None, trusted_proxies: vec![] });
        let words: Vec<String> = queries.iter().map(|qy| qy.text.clone()).collect();
        for token in [&editor, &partner] {
            run(&router, token, &words, &args.filter, args.clients, args.clients * 8).await?;
        }
        let filtered = if args.filter.is_empty() { String::new() } else { format!(", filter {}", args.filter) };
        println!("### {backend} — {} items, {} gelijktijdige clients, {} zoekvragen per gebruiker{filtered}\n", args.items, args.clients, args.requests);
        println!("| gebruiker | verzoeken | fouten | p50 (ms) | p99 (ms) | max (ms) | doorvoer (verz./s) | totaal gevonden (gem.) |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|");
        let mut p99 = Vec::new();
        for (who, token) in [("kennisredacteur (alles)", &editor), ("partner, lid van één groep (netwerk + groep)", &partner)] {
            let o = run(&router, token, &words, &args.filter, args.clients, args.requests).await?;
            let n = o.latencies.len();
            println!(
                "| {who} | {n} | {} | {:.1} | {:.1} | {:.1} | {:.0} | {:.0} |",
                o.errors,
                pct(&o.latencies, 0.5),
                pct(&o.latencies, 0.99),
                o.latencies.last().map(|d| d.as_secs_f64() * 1000.0).unwrap_or(f64::NAN),
                n as f64 / o.wall.as_secs_f64(),
                o.total as f64 / n.max(1) as f64
            );
            p99.push(pct(&o.latencies, 0.99));
        }
        println!("\nbeperkt / redactie (p99): {:.2}×\n", p99[1] / p99[0]);
        db.close().await;
    }
    Ok(())
}

struct Outcome {
    latencies: Vec<Duration>,
    wall: Duration,
    errors: usize,
    total: i64,
}

async fn run(router: &axum::Router, token: &str, words: &[String], filter: &str, clients: usize, requests: usize) -> Result<Outcome> {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (router, token, words) = (router.clone(), token.to_string(), words.to_vec());
        let filter = if filter.is_empty() { String::new() } else { format!("&{filter}") };
        let per = requests / clients + usize::from(c < requests % clients);
        tasks.push(tokio::spawn(async move {
            let (mut lat, mut errors, mut total) = (Vec::with_capacity(per), 0, 0i64);
            for i in 0..per {
                let w = &words[(c * 13 + i) % words.len()];
                let uri = format!(
                    "/api/v1/kennisitems?zoek={}{filter}",
                    w.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect::<String>()
                );
                let Ok(req) = Request::builder().method(Method::GET).uri(uri).header("authorization", format!("Bearer {token}")).body(Body::empty()) else {
                    errors += 1;
                    continue;
                };
                let t = Instant::now();
                match router.clone().oneshot(req).await {
                    Ok(res) if res.status() == StatusCode::OK => {
                        let body = axum::body::to_bytes(res.into_body(), 16 * 1024 * 1024).await.unwrap_or_default();
                        lat.push(t.elapsed());
                        total += serde_json::from_slice::<serde_json::Value>(&body).ok().and_then(|v| v["totaal"].as_i64()).unwrap_or(0);
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors, total)
        }));
    }
    let mut out = Outcome { latencies: Vec::new(), wall: Duration::ZERO, errors: 0, total: 0 };
    for t in tasks {
        let (lat, errors, total) = t.await?;
        out.latencies.extend(lat);
        out.errors += errors;
        out.total += total;
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

fn main() -> Result<()> {
    allocator::give_memory_back_lazily();
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(scenario())
}

async fn scenario() -> Result<()> {
    let args = Args::parse();
    match args.scenario.as_str() {
        "quality" => quality(&args).await,
        "load" => load_scenario(&args).await,
        other => bail!("onbekend scenario '{other}'"),
    }
}

//! `knooppunt-bench --scenario figures`: the national annual report and a steering group's
//! dashboard over a large database.
//!
//! On the benchmark database (`--cases` × `--subjects-per-case` subjects; its own file or
//! PostgreSQL database) every case gets the history a real one has: the start of weighing, the
//! weighing decision (rejected, pre-case or case), a close for the finished ones, a phenomenon,
//! and one to three interventions for cases, most of them finished with amounts. Then it times,
//! `--repeat` times, the figures of the year as the annual report counts them (every indicator,
//! every region, disclosure control included) and the dashboard of one region's steering group
//! (`--requests` times, for the p99).

use anyhow::{anyhow, Result};
use knooppunt_app::figures::Period;
use knooppunt_app::{App, Ctx};
use knooppunt_domain::Role;
use knooppunt_policy::{Actor, Principal, RoleGrant};
use knooppunt_store::query::q;
use knooppunt_store::{Backend, Db};
use std::time::{Duration, Instant};

async fn prepare(db: &Db) -> Result<()> {
    if super::scalar(db, "SELECT COUNT(*) FROM interventions").await? > 0 {
        return Ok(());
    }
    let started = Instant::now();
    let later = |days: i64| match db.backend() {
        Backend::Sqlite => format!("k.created_at + {days} * 86400000"),
        Backend::Postgres => format!("k.created_at + INTERVAL '{days} days'"),
    };
    let mut tx = db.begin().await?;
    q(format!(
        "INSERT INTO case_events (case_id, at, actor, kind, from_phase, to_phase) SELECT k.id, {}, 'bench', 'wegen', 'signaal', 'weging' FROM cases k WHERE k.phase <> 'signaal'",
        later(1)
    ))
    .execute(&mut tx)
    .await?;
    // One in ten weighed signals is rejected; the others become a pre-case or a case.
    q("UPDATE cases SET phase = 'afgewezen' WHERE phase = 'weging' AND id % 3 = 0").execute(&mut tx).await?;
    q(format!(
        "INSERT INTO case_events (case_id, at, actor, kind, from_phase, to_phase) SELECT k.id, {}, 'bench', 'stap', 'weging', \
         CASE WHEN k.phase = 'afgewezen' THEN 'afgewezen' WHEN k.phase = 'pre-casus' THEN 'pre-casus' ELSE 'casus' END FROM cases k WHERE k.phase IN ('afgewezen', 'pre-casus', 'casus', 'afgesloten')",
        later(2)
    ))
    .execute(&mut tx)
    .await?;
    q(format!("INSERT INTO case_events (case_id, at, actor, kind, from_phase, to_phase) SELECT k.id, {}, 'bench', 'afsluiten', 'casus', 'afgesloten' FROM cases k WHERE k.phase = 'afgesloten'", later(30)))
        .execute(&mut tx)
        .await?;
    q("INSERT INTO case_phenomena (case_id, phenomenon_id) SELECT k.id, (SELECT MIN(id) FROM phenomena) + k.id % 8 FROM cases k").execute(&mut tx).await?;
    for n in 0..3 {
        q(format!(
            "INSERT INTO interventions (case_id, type_id, organisation_id, legal_power, status, created_at, updated_at, finished_at, collected_cents, seized_cents) \
             SELECT k.id, (SELECT MIN(id) FROM intervention_types) + (k.id + {n}) % 12, CASE WHEN k.id % 2 = 0 THEN (SELECT id FROM organisations WHERE name = 'Belastingdienst') ELSE k.source_organisation_id END, \
             'bench', CASE WHEN k.id % 7 = 0 THEN 'gestopt' WHEN k.id % 5 = 0 THEN 'in-uitvoering' ELSE 'afgerond' END, {c}, {c}, \
             CASE WHEN k.id % 5 = 0 AND k.id % 7 <> 0 THEN NULL ELSE {f} END, CASE WHEN k.id % 4 = 0 THEN 100000 * (k.id % 50) END, CASE WHEN k.id % 9 = 0 THEN 250000 END \
             FROM cases k WHERE k.phase IN ('casus', 'afgesloten') AND k.id % 3 >= {n}",
            c = later(3),
            f = later(20),
        ))
        .execute(&mut tx)
        .await?;
    }
    tx.commit().await?;
    super::analyze(db).await?;
    eprintln!("geschiedenis en interventies gemaakt in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

use super::ms;

fn line(what: &str, times: &mut [Duration], result: &str) {
    times.sort();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let p99 = times.get((times.len() * 99).div_ceil(100).saturating_sub(1)).copied().unwrap_or_default();
    let max = times.last().copied().unwrap_or_default();
    println!("| {what} | {} | {:.0} | {:.0} | {:.0} | {result} |", times.len(), ms(median), ms(p99), ms(max));
}

fn who(op: &Ctx, role: Role, region_id: Option<i64>) -> Ctx {
    Ctx { principal: Some(Principal { actor: Actor::User(0), label: "bench".into(), organisation_id: None, roles: vec![RoleGrant { role, region_id }] }), ..op.clone() }
}

pub async fn run(app: &App, db: &Db, args: &super::Args) -> Result<()> {
    prepare(db).await?;
    let subjects = super::scalar(db, "SELECT COUNT(*) FROM subjects").await?;
    let interventions = super::scalar(db, "SELECT COUNT(*) FROM interventions").await?;
    let events = super::scalar(db, "SELECT COUNT(*) FROM case_events").await?;
    let region = super::scalar(db, &format!("SELECT id FROM regions WHERE code = '{}'", super::REGION)).await?;
    let op = app.operator_ctx("bench");
    let liec = who(&op, Role::LiecCoordinator, None);
    let board = who(&op, Role::SteeringGroupMember, Some(region));
    let year = chrono::DateTime::from_timestamp_millis(app.now()).map_or(2026, |d| chrono::Datelike::year(&d));
    let period = Period { year, quarter: None };
    // Each counting query on its own first, so a slow one is named.
    {
        use knooppunt_store::figures as f;
        let grant = knooppunt_policy::figures::figures_grant(&Principal::operator("bench")).ok_or_else(|| anyhow!("geen toegang"))?;
        let (from, to) = period.bounds();
        let mut tx = db.begin_read().await?;
        let step = |name: &str, t: Instant| eprintln!("  {name}: {:.0} ms", ms(t.elapsed()));
        let t = Instant::now();
        f::signals_by_source(&mut tx, &grant, from, to).await?;
        step("signalen naar aanbrenger", t);
        let t = Instant::now();
        f::signals_by_phenomenon(&mut tx, &grant, from, to).await?;
        step("signalen naar fenomeen", t);
        let t = Instant::now();
        f::weighing_outcomes(&mut tx, &grant, from, to).await?;
        step("weging", t);
        let t = Instant::now();
        f::case_flow(&mut tx, &grant, from, to).await?;
        step("instroom en uitstroom", t);
        let t = Instant::now();
        f::running_cases(&mut tx, &grant, to).await?;
        step("lopend", t);
        let t = Instant::now();
        f::finished_interventions(&mut tx, &grant, from, to).await?;
        step("interventies", t);
        let t = Instant::now();
        f::desk_signals_by_state(&mut tx, &grant, from, to).await?;
        f::desk_offers(&mut tx, &grant, from, to).await?;
        step("loket", t);
        let t = Instant::now();
        f::national_work(&mut tx, &grant, from, to).await?;
        step("treffers en aanpakken", t);
        let t = Instant::now();
        f::trend(&mut tx, &grant, period.part_bounds()).await?;
        step("verloop per kwartaal", t);
        tx.commit().await?;
    }
    let (mut report, mut dashboard) = (Vec::new(), Vec::new());
    let mut signals = String::new();
    for _ in 0..args.repeat {
        let t = Instant::now();
        let f = app.figures(&liec, period).await.map_err(|e| anyhow!(e.to_string()))?;
        report.push(t.elapsed());
        signals = f
            .table(knooppunt_figures::indicators::SIGNALS_BY_SOURCE)
            .map(|t| format!("{:?} signalen landelijk, {} tabellen", t.published.total, f.tables.len()))
            .unwrap_or_default();
    }
    let requests = args.requests.clamp(1, 1000);
    for _ in 0..requests {
        let t = Instant::now();
        app.dashboard(&board, "", year).await.map_err(|e| anyhow!(e.to_string()))?;
        dashboard.push(t.elapsed());
    }
    println!("### {} — {} casussen, {subjects} betrokkenen, {events} stappen, {interventions} interventies (seed {})\n", args.backend, args.cases, args.seed);
    println!("| meting | keren | mediaan (ms) | p99 (ms) | max (ms) | resultaat |");
    println!("|---|---:|---:|---:|---:|---|");
    line(&format!("cijfers van {year} zoals het jaarverslag ze telt (alle indicatoren, alle regio's, afscherming)"), &mut report, &signals);
    line(&format!("overzicht van de stuurgroep {}", super::REGION), &mut dashboard, "kerncijfers, doelen, escalaties, besluiten");
    println!();
    Ok(())
}

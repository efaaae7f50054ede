//! `knooppunt-bench --scenario retention`: the retention due list over a large database.
//!
//! On the benchmark database (`--cases` × `--subjects-per-case` subjects; its own file or
//! PostgreSQL database, so the need-to-know figures are not disturbed) two in five cases are
//! made finished — rejected or closed, half of the closed ones after having been a case — with
//! closing dates spread over eight years, and one in a hundred of those gets a legal hold or an
//! extension. Then, each `--repeat` times, it times the daily check (every rule's count,
//! nationally: the job that runs once across the nodes) and the due list as the privacy officer
//! (all regions) and a RIEC manager (one region) open it: counts per rule, the 200 oldest per
//! rule, the active holds.

use anyhow::{anyhow, Result};
use knooppunt_app::{App, Ctx};
use knooppunt_domain::Role;
use knooppunt_policy::{Actor, Principal, RoleGrant};
use knooppunt_store::query::q;
use knooppunt_store::{Backend, Db};
use std::time::{Duration, Instant};

async fn prepare(db: &Db) -> Result<()> {
    if super::scalar(db, "SELECT COUNT(*) FROM cases WHERE closed_at IS NOT NULL").await? > 0 {
        return Ok(());
    }
    let started = Instant::now();
    let day = "86400000";
    let closed = match db.backend() {
        Backend::Sqlite => format!("created_at - (id % 2900) * {day}"),
        Backend::Postgres => "created_at - make_interval(days => CAST(id % 2900 AS INTEGER))".to_string(),
    };
    let later = match db.backend() {
        Backend::Sqlite => format!("created_at + 365 * {day} * 20"),
        Backend::Postgres => "created_at + INTERVAL '20 years'".to_string(),
    };
    let mut tx = db.begin().await?;
    q("UPDATE cases SET phase = CASE WHEN id % 5 = 0 THEN 'afgewezen' ELSE 'afgesloten' END WHERE id % 5 IN (0, 1) OR phase IN ('afgewezen', 'afgesloten')")
        .execute(&mut tx)
        .await?;
    q(format!("UPDATE cases SET closed_at = {closed} WHERE phase IN ('afgewezen', 'afgesloten')")).execute(&mut tx).await?;
    q("INSERT INTO case_events (case_id, at, actor, kind, from_phase, to_phase) SELECT id, created_at, 'bench', 'casus-openen', 'pre-casus', 'casus' FROM cases WHERE phase = 'afgesloten' AND id % 2 = 0")
        .execute(&mut tx)
        .await?;
    q("INSERT INTO legal_holds (object_kind, object_id, ground, reason, placed_by, placed_at) SELECT 'casus', id, 'onderzoek', 'bench', 'bench', created_at FROM cases WHERE closed_at IS NOT NULL AND id % 101 = 0")
        .execute(&mut tx)
        .await?;
    q(format!(
        "INSERT INTO retention_extensions (object_kind, object_id, ends_at, reason, decided_by, decided_at) SELECT 'casus', id, {later}, 'bench', 'bench', created_at FROM cases WHERE closed_at IS NOT NULL AND id % 103 = 0"
    ))
    .execute(&mut tx)
    .await?;
    tx.commit().await?;
    super::analyze(db).await?;
    eprintln!("afgesloten dossiers gemaakt in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

use super::ms;

fn line(what: &str, times: &mut [Duration], result: &str) {
    times.sort();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let max = times.last().copied().unwrap_or_default();
    println!("| {what} | {} | {:.0} | {:.0} | {result} |", times.len(), ms(median), ms(max));
}

pub async fn run(app: &App, db: &Db, args: &super::Args) -> Result<()> {
    prepare(db).await?;
    let subjects = super::scalar(db, "SELECT COUNT(*) FROM subjects").await?;
    let finished = super::scalar(db, "SELECT COUNT(*) FROM cases WHERE closed_at IS NOT NULL").await?;
    let region = super::scalar(db, &format!("SELECT id FROM regions WHERE code = '{}'", super::REGION)).await?;
    let op = app.operator_ctx("bench");
    let privacy = Ctx {
        principal: Some(Principal {
            actor: Actor::User(0),
            label: "bench privacy".into(),
            organisation_id: None,
            roles: vec![RoleGrant { role: Role::PrivacyOfficer, region_id: None }],
        }),
        ..op.clone()
    };
    let manager = Ctx {
        principal: Some(Principal {
            actor: Actor::User(0),
            label: "bench manager".into(),
            organisation_id: None,
            roles: vec![RoleGrant { role: Role::RiecManager, region_id: Some(region) }],
        }),
        ..op.clone()
    };
    let (mut daily, mut national, mut regional) = (Vec::new(), Vec::new(), Vec::new());
    let (mut due_all, mut due_region, mut held) = (0, 0, 0);
    for _ in 0..args.repeat {
        let mut tx = db.begin().await?;
        q("DELETE FROM scheduled_jobs WHERE name = 'bewaartermijnen'").execute(&mut tx).await?;
        tx.commit().await?;
        let t = Instant::now();
        let counts = app.retention_check_if_due().await.map_err(|e| anyhow!(e.to_string()))?.ok_or_else(|| anyhow!("de dagelijkse controle liep niet"))?;
        daily.push(t.elapsed());
        due_all = counts.iter().map(|(_, n)| n).sum::<i64>();
        let t = Instant::now();
        let o = app.retention_due(&privacy).await.map_err(|e| anyhow!(e.to_string()))?;
        national.push(t.elapsed());
        held = o.holds.len();
        let t = Instant::now();
        let r = app.retention_due(&manager).await.map_err(|e| anyhow!(e.to_string()))?;
        regional.push(t.elapsed());
        due_region = r.groups.iter().map(|g| g.total).sum::<i64>();
    }
    println!("### {} — {} casussen, {subjects} betrokkenen, {finished} afgesloten dossiers (seed {})\n", args.backend, args.cases, args.seed);
    println!("| meting | keren | mediaan (ms) | max (ms) | resultaat |");
    println!("|---|---:|---:|---:|---|");
    line("dagelijkse controle (aantallen per regel, landelijk)", &mut daily, &format!("{due_all} dossiers te beoordelen"));
    line("te beoordelen dossiers, privacyfunctionaris (alle regio's)", &mut national, &format!("{due_all} dossiers, {held} bewaarplichten"));
    line(&format!("te beoordelen dossiers, RIEC-manager ({})", super::REGION), &mut regional, &format!("{due_region} dossiers"));
    println!();
    Ok(())
}

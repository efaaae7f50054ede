//! Bewaartermijnen: the privacy officer's rules (each confirmed or changed on its own page) and
//! the finished cases whose period has passed, decided in batches (extend with a reason, place a
//! legal hold); active holds are lifted with a reason. Works without JavaScript.

use super::labels;
use super::templates::Page;
use super::{fail, page, render, render_status, see_other, CsrfForm, FormErrors, Signed};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use knooppunt_app::retention::{DestroyInput, DueOverview, ExtendInput, HoldInput, Rule, RuleInput};
use knooppunt_app::AppError;
use knooppunt_domain::retention::{self, HoldGround, RetentionAction};
use serde::Deserialize;

type Pairs = Vec<(String, String)>;

fn value<'a>(p: &'a Pairs, key: &str) -> &'a str {
    p.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or("")
}

#[derive(Deserialize)]
pub struct FlashQuery {
    pub melding: Option<String>,
}

fn flash(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "vastgesteld" => "De bewaartermijn is vastgesteld.",
        "verlengd" => "De bewaartermijn van de gekozen dossiers is verlengd.",
        "bewaarplicht" => "De bewaarplicht is vastgelegd; deze dossiers worden niet vernietigd zolang die geldt.",
        "opgeheven" => "De bewaarplicht is opgeheven; de bewaartermijn geldt weer.",
        "vernietigd" => "De gekozen dossiers zijn vernietigd. De vernietigingsverklaring staat onderaan deze pagina.",
        _ => return None,
    })
}

/// One rule as a row: what, from when, how long, what then, source, status.
pub struct RuleLine {
    pub code: String,
    pub trigger: String,
    pub period: String,
    pub action: String,
    pub source: String,
    pub status: String,
}

fn line(r: &Rule) -> RuleLine {
    RuleLine {
        code: r.row.code.clone(),
        trigger: r.trigger.map(|t| t.label().to_string()).unwrap_or_else(|| labels::humanise(&r.row.trigger_event)),
        period: labels::count(r.row.period_months, "maand", "maanden"),
        action: r.action.map(|a| a.label().to_string()).unwrap_or_else(|| labels::humanise(&r.row.action)),
        source: r.row.source.clone(),
        status: match r.row.changed_at {
            _ if r.row.is_default => "Standaardtermijn, nog niet bevestigd".to_string(),
            Some(at) => format!("Vastgesteld door {} op {}", r.row.changed_by, labels::day(at)),
            None => "Vastgesteld".to_string(),
        },
    }
}

#[derive(Template)]
#[template(path = "retention_rules.html")]
pub struct RulesPage {
    pub page: Page,
    pub rules: Vec<RuleLine>,
    pub can_change: bool,
}

pub async fn rules(State(s): State<AppState>, Signed { rc, .. }: Signed, Query(q): Query<FlashQuery>) -> Response {
    match s.app.retention_rules(&rc.ctx).await {
        Ok(r) => render(&RulesPage {
            page: page(&s, &rc, "Bewaartermijnen", "/bewaartermijnen", flash(q.melding.as_deref())),
            rules: r.rules.iter().map(line).collect(),
            can_change: r.can_change,
        }),
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Template)]
#[template(path = "retention_rule.html")]
pub struct RulePage {
    pub page: Page,
    pub rule: RuleLine,
    pub errors: FormErrors,
    pub period: String,
    pub action: String,
    pub source: String,
    pub version: i64,
    pub actions: Vec<(String, String)>,
}

fn actions() -> Vec<(String, String)> {
    RetentionAction::ALL.iter().map(|a| (a.code().to_string(), a.label().to_string())).collect()
}

async fn rule_page(s: &AppState, rc: &crate::context::RequestCtx, code: &str, form: Option<(&Pairs, FormErrors)>) -> Response {
    let rules = match s.app.retention_rules(&rc.ctx).await {
        Ok(r) if r.can_change => r,
        Ok(_) => return fail(s, rc, AppError::Forbidden("alleen de privacyfunctionaris stelt de bewaartermijnen vast")),
        Err(e) => return fail(s, rc, e),
    };
    let Some(rule) = rules.rules.iter().find(|r| r.row.code == code) else {
        return fail(s, rc, AppError::NotFound("bewaartermijn"));
    };
    let (status, errors, period, action, source) = match form {
        Some((p, errors)) => (StatusCode::BAD_REQUEST, errors, value(p, "termijn").to_string(), value(p, "actie").to_string(), value(p, "bron").to_string()),
        None => (StatusCode::OK, FormErrors::default(), rule.row.period_months.to_string(), rule.row.action.clone(), rule.row.source.clone()),
    };
    render_status(
        status,
        &RulePage {
            page: page(s, rc, "Bewaartermijn vaststellen", "/bewaartermijnen", None),
            rule: line(rule),
            errors,
            period,
            action,
            source,
            version: rule.row.version,
            actions: actions(),
        },
    )
}

pub async fn rule_form(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(code): Path<String>) -> Response {
    rule_page(&s, &rc, &code, None).await
}

pub async fn rule_post(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(code): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let input = RuleInput {
        period_months: value(&p, "termijn").to_string(),
        action: value(&p, "actie").to_string(),
        source: value(&p, "bron").to_string(),
        version: value(&p, "versie").trim().parse().unwrap_or(0),
    };
    match s.app.change_retention_rule(&rc.ctx, &code, &input).await {
        Ok(_) => see_other("/bewaartermijnen?melding=vastgesteld"),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => rule_page(&s, &rc, &code, Some((&p, errors))).await,
            None => fail(&s, &rc, e),
        },
    }
}

pub struct DueLine {
    pub id: i64,
    pub reference: String,
    pub region: String,
    pub closed: String,
    pub checked: bool,
}

pub struct Group {
    /// The form field of the chosen objects (`casussen`, `signalen`, `aanpakken`, `bijdragen`), the prefix of their
    /// element ids, and the noun in one and many.
    pub field: &'static str,
    pub prefix: &'static str,
    pub noun: (&'static str, &'static str),
    pub trigger: String,
    pub period: String,
    pub action: String,
    pub total: i64,
    pub lines: Vec<DueLine>,
}

pub struct DestructionLine {
    pub when: String,
    pub rule: String,
    pub what: String,
    pub by: String,
}

pub struct HoldLine {
    pub id: i64,
    pub reference: String,
    pub region: String,
    pub ground: String,
    pub reason: String,
    pub placed: String,
}

#[derive(Template)]
#[template(path = "retention_due.html")]
pub struct DuePage {
    pub page: Page,
    pub groups: Vec<Group>,
    pub holds: Vec<HoldLine>,
    pub can_decide: bool,
    pub scope: String,
    pub errors: FormErrors,
    pub decision: String,
    pub until: String,
    pub ground: String,
    pub reason: String,
    pub grounds: Vec<(String, String)>,
    pub lift_errors: Option<(i64, String)>,
    pub destructions: Vec<DestructionLine>,
}

impl DuePage {
    pub fn total(&self) -> i64 {
        self.groups.iter().map(|g| g.total).sum()
    }
}

/// How a due or held object is named: a case or signal by its reference, an item by its
/// number in its case.
fn object_label(kind: &str, id: i64, reference: &str) -> String {
    if kind == retention::ITEM {
        format!("bijdrage {id} in {reference}")
    } else {
        reference.to_string()
    }
}
fn due_page(
    s: &AppState,
    rc: &crate::context::RequestCtx,
    o: DueOverview,
    form: Option<(&Pairs, FormErrors)>,
    lift_errors: Option<(i64, String)>,
    flash_code: Option<&str>,
) -> Response {
    let chosen = |field: &str| -> Vec<i64> { form.as_ref().map(|(p, _)| p.iter().filter(|(k, _)| k == field).filter_map(|(_, v)| v.parse().ok()).collect()).unwrap_or_default() };
    let (chosen_cases, chosen_signals, chosen_approaches, chosen_items, chosen_support) =
        (chosen("casussen"), chosen("signalen"), chosen("aanpakken"), chosen("bijdragen"), chosen("ondersteuningsvragen"));
    let groups = o
        .groups
        .iter()
        .map(|g| {
            let kind = g.rule.trigger.map(|t| t.object_kind()).unwrap_or(retention::CASE);
            let (chosen, field, prefix, noun) = match kind {
                retention::DESK_SIGNAL => (&chosen_signals, "signalen", "signaal", ("signaal", "signalen")),
                retention::APPROACH => (&chosen_approaches, "aanpakken", "aanpak", ("aanpak", "aanpakken")),
                retention::ITEM => (&chosen_items, "bijdragen", "bijdrage", ("ingetrokken bijdrage", "ingetrokken bijdragen")),
                retention::SUPPORT => (&chosen_support, "ondersteuningsvragen", "ondersteuningsvraag", ("ondersteuningsvraag", "ondersteuningsvragen")),
                _ => (&chosen_cases, "casussen", "casus", ("dossier", "dossiers")),
            };
            Group {
                field,
                prefix,
                noun,
                trigger: g.rule.trigger.map(|t| t.label().to_string()).unwrap_or_default(),
                period: labels::count(g.rule.row.period_months, "maand", "maanden"),
                action: g.rule.action.map(|a| a.label().to_lowercase()).unwrap_or_default(),
                total: g.total,
                lines: g
                    .cases
                    .iter()
                    .map(|c| DueLine {
                        id: c.id,
                        reference: object_label(kind, c.id, &c.reference),
                        region: c.region_name.clone(),
                        closed: c.closed_at.map(labels::day).unwrap_or_default(),
                        checked: chosen.contains(&c.id),
                    })
                    .collect(),
            }
        })
        .collect();
    let holds = o
        .holds
        .iter()
        .map(|h| HoldLine {
            id: h.id,
            reference: object_label(&h.object_kind, h.case_id, &h.reference),
            region: h.region_name.clone(),
            ground: HoldGround::parse(&h.ground).map(|g| g.label().to_string()).unwrap_or_else(|_| labels::humanise(&h.ground)),
            reason: h.reason.clone(),
            placed: format!("{} door {}", labels::day(h.placed_at), h.placed_by),
        })
        .collect();
    let destructions = o
        .destructions
        .iter()
        .map(|d| DestructionLine {
            when: labels::when(d.at),
            rule: knooppunt_domain::retention::RetentionTrigger::parse(&d.rule_code).map(|t| t.label().to_string()).unwrap_or_else(|_| labels::humanise(&d.rule_code)),
            what: if d.object_kind == retention::DESK_SIGNAL {
                format!(
                    "{}: {}, {}",
                    labels::count(d.objects, "bestuurlijk signaal", "bestuurlijke signalen"),
                    labels::count(d.items, "bericht", "berichten"),
                    labels::count(d.attachments, "bijlage", "bijlagen")
                )
            } else if d.object_kind == retention::ITEM {
                format!("{}: {}", labels::count(d.objects, "ingetrokken bijdrage", "ingetrokken bijdragen"), labels::count(d.attachments, "bijlage", "bijlagen"))
            } else if d.object_kind == retention::SUPPORT {
                format!(
                    "{}: {}, {}",
                    labels::count(d.objects, "ondersteuningsvraag", "ondersteuningsvragen"),
                    labels::count(d.items, "bericht", "berichten"),
                    labels::count(d.attachments, "bijlage", "bijlagen")
                )
            } else if d.object_kind == retention::APPROACH {
                format!("{}: {}", labels::count(d.objects, "landelijke aanpak", "landelijke aanpakken"), labels::count(d.items, "actie", "acties"))
            } else {
                format!(
                    "{}: {}, {}, {}",
                    labels::count(d.objects, "dossier", "dossiers"),
                    labels::count(d.subjects, "betrokkene", "betrokkenen"),
                    labels::count(d.items, "informatiebijdrage", "informatiebijdragen"),
                    labels::count(d.attachments, "bijlage", "bijlagen")
                )
            },
            by: d.decided_by.clone(),
        })
        .collect();
    let (status, errors, decision, until, ground, reason) = match form {
        Some((p, errors)) => {
            (StatusCode::BAD_REQUEST, errors, value(p, "besluit").to_string(), value(p, "tot").to_string(), value(p, "grond").to_string(), value(p, "reden").to_string())
        }
        None => (if lift_errors.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK }, FormErrors::default(), String::new(), String::new(), String::new(), String::new()),
    };
    let scope = match o.regions {
        None => "alle regio's".to_string(),
        Some(n) => format!("{} van uw RIEC", labels::count(n, "regio", "regio's")),
    };
    render_status(
        status,
        &DuePage {
            page: page(s, rc, "Te beoordelen dossiers", "/bewaartermijnen/te-beoordelen", flash(flash_code)),
            groups,
            holds,
            can_decide: o.can_decide,
            scope,
            errors,
            decision,
            until,
            ground,
            reason,
            grounds: HoldGround::ALL.iter().map(|g| (g.code().to_string(), g.label().to_string())).collect(),
            lift_errors,
            destructions,
        },
    )
}

pub async fn due(State(s): State<AppState>, Signed { rc, .. }: Signed, Query(q): Query<FlashQuery>) -> Response {
    match s.app.retention_due(&rc.ctx).await {
        Ok(o) => due_page(&s, &rc, o, None, None, q.melding.as_deref()),
        Err(e) => fail(&s, &rc, e),
    }
}

/// One decision for the chosen cases: extend until a day, or place a legal hold.
pub async fn decide(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let ids = |field: &str| -> Vec<i64> { p.iter().filter(|(k, _)| k == field).map(|(_, v)| v.trim().parse().unwrap_or(-1)).collect() };
    let (cases, signals, approaches, items, support) = (ids("casussen"), ids("signalen"), ids("aanpakken"), ids("bijdragen"), ids("ondersteuningsvragen"));
    let result = match value(&p, "besluit") {
        "verlengen" => s
            .app
            .extend_retention(&rc.ctx, &ExtendInput { cases, signals, approaches, items, support, until: value(&p, "tot").into(), reason: value(&p, "reden").into() })
            .await
            .map(|_| "verlengd"),
        "vernietigen" => {
            s.app.destroy_cases(&rc.ctx, &DestroyInput { cases, signals, approaches, items, support, confirmed: value(&p, "bevestigd") == "ja" }).await.map(|_| "vernietigd")
        }
        "bewaarplicht" => s
            .app
            .place_legal_hold(&rc.ctx, &HoldInput { cases, signals, approaches, items, support, ground: value(&p, "grond").into(), reason: value(&p, "reden").into() })
            .await
            .map(|_| "bewaarplicht"),
        _ => Err(AppError::Invalid(knooppunt_domain::Invalid::one("besluit", "Kies wat u besluit: vernietigen, verlengen of een bewaarplicht opleggen."))),
    };
    match result {
        Ok(code) => see_other(&format!("/bewaartermijnen/te-beoordelen?melding={code}")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => match s.app.retention_due(&rc.ctx).await {
                Ok(o) => due_page(&s, &rc, o, Some((&p, errors)), None, None),
                Err(e) => fail(&s, &rc, e),
            },
            None => fail(&s, &rc, e),
        },
    }
}

pub async fn lift(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return fail(&s, &rc, AppError::NotFound("bewaarplicht"));
    };
    match s.app.lift_legal_hold(&rc.ctx, id, value(&p, "reden")).await {
        Ok(()) => see_other("/bewaartermijnen/te-beoordelen?melding=opgeheven"),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => {
                let message = errors.all().first().map(|e| e.message.to_string()).unwrap_or_default();
                match s.app.retention_due(&rc.ctx).await {
                    Ok(o) => due_page(&s, &rc, o, None, Some((id, message)), None),
                    Err(e) => fail(&s, &rc, e),
                }
            }
            None => fail(&s, &rc, e),
        },
    }
}

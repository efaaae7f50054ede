//! The steering groups' dashboards, without personal data: a region's stuurgroep sees the
//! region's key figures of a year next to the national ones, its objectives with their progress,
//! the escalations from its region's cases and its decision log; the Stuurgroep LIEC sees the
//! national figures, the signal desk's state and the national work. Every figure comes from the
//! protected tables of `figures` (the same publication), so a dashboard shows nothing the
//! disclosure control hid.

use crate::figures::{FigureTable, Figures, Period};
use crate::{commit, App, AppError, Ctx, Object, Outcome};
use knooppunt_domain::case::parse_date;
use knooppunt_domain::Invalid;
use knooppunt_figures::disclosure::Shown;
use knooppunt_figures::indicators as ind;
use knooppunt_policy::figures::{steering_boards, steering_grant, Board, SteeringGrant};
use knooppunt_store::cases::EscalationRow;
use knooppunt_store::steering::{self as store, ApproachOverview, BottleneckRow, DecisionRow, ObjectiveRow};
use knooppunt_store::{cases as case_store, network};

/// One key figure: the board's value and the national one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFigure {
    pub label: String,
    pub board: Shown,
    pub national: Shown,
    pub euro: bool,
}

/// An objective with its measured value so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objective {
    pub row: ObjectiveRow,
    pub measure_label: String,
    pub value: Shown,
}

/// A steering group the user may open: its code (`landelijk` or a region code) and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardChoice {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub board: BoardChoice,
    pub boards: Vec<BoardChoice>,
    pub year: i32,
    pub key_figures: Vec<KeyFigure>,
    pub objectives: Vec<Objective>,
    /// Measures an objective can be set on: code and label.
    pub measures: Vec<(String, String)>,
    pub escalations: Vec<EscalationRow>,
    pub decisions: Vec<DecisionRow>,
    /// The board's bottlenecks (for the Stuurgroep LIEC also those the regions passed on).
    pub bottlenecks: Vec<BottleneckRow>,
    /// National board: the national approaches, without titles or cases.
    pub approaches: Vec<ApproachOverview>,
    /// National board: the signal desk by state, and hits and national approaches.
    pub national_tables: Vec<FigureTable>,
    pub can_decide: bool,
    /// When the figures were counted.
    pub figures_at: i64,
}

pub const NATIONAL: &str = "landelijk";

/// How old a dashboard's figures may be: counting every indicator of a year over all regions
/// takes about a second at 100,000 cases, a dashboard is opened far more often than the
/// figures change by much, and it says when its figures were counted.
pub const DASHBOARD_FIGURES_MAX_AGE_MS: i64 = 5 * 60 * 1000;

/// An objective to set.
#[derive(Debug, Clone, Default)]
pub struct ObjectiveInput {
    pub measure: String,
    pub target: String,
    pub description: String,
}

/// A decision to record.
#[derive(Debug, Clone, Default)]
pub struct DecisionInput {
    pub date: String,
    pub decision: String,
    pub owner: String,
}

/// What a bottleneck is about: code and label.
pub const BOTTLENECK_KINDS: &[(&str, &str)] = &[
    ("wetgeving", "Wet- en regelgeving"),
    ("informatiedeling", "Informatiedeling"),
    ("capaciteit", "Capaciteit en middelen"),
    ("samenwerking", "Samenwerking tussen partners"),
    ("overig", "Overig"),
];

/// The label of a bottleneck kind.
pub fn bottleneck_kind(code: &str) -> &'static str {
    BOTTLENECK_KINDS.iter().find(|(c, _)| *c == code).map_or("Overig", |(_, l)| l)
}

/// A bottleneck to raise.
#[derive(Debug, Clone, Default)]
pub struct BottleneckInput {
    pub kind: String,
    pub description: String,
    pub owner: String,
    pub raised_on: String,
}

/// A bottleneck's new state: `open` or `opgelost`, how it was solved, and whether the region
/// passes it on to the Stuurgroep LIEC.
#[derive(Debug, Clone, Default)]
pub struct BottleneckChange {
    pub status: String,
    pub resolution: String,
    pub forward: bool,
    pub version: i64,
}

/// The audit object of a board: the region's id, or `landelijk` (a code is not for reading).
fn board_object(g: &SteeringGrant) -> Object<'static> {
    match g.region_id() {
        Some(id) => Object::new("stuurgroep", id),
        None => Object::new("stuurgroep", "landelijk"),
    }
}

/// The row of `table` that is the board: its region's name, or the national totals.
fn row_of(table: &FigureTable, region: Option<&str>) -> (Vec<Shown>, Option<Shown>) {
    let p = &table.published;
    match region.and_then(|name| table.rows.iter().position(|r| r == name)) {
        Some(i) => (p.cells.get(i).cloned().unwrap_or_default(), p.row_totals.get(i).copied()),
        None if region.is_some() => (Vec::new(), None),
        None if table.rows.len() == 1 => (p.cells.first().cloned().unwrap_or_default(), p.row_totals.first().copied()),
        None => (p.column_totals.clone(), table.has_row_totals().then_some(p.total)),
    }
}

/// The value of a measure (`indicator` for the row total, `indicator:column` for a column).
fn measured(f: &Figures, measure: &str, region: Option<&str>) -> Option<Shown> {
    let (code, column) = measure.split_once(':').unwrap_or((measure, ""));
    let table = f.table(code)?;
    let (cells, total) = row_of(table, region);
    if column.is_empty() {
        return total;
    }
    match table.columns.iter().position(|c| c.code == column) {
        Some(j) => cells.get(j).copied(),
        None => Some(Shown::Value(0)),
    }
}

/// The measures an objective can be set on, from the year's tables.
fn measures(f: &Figures) -> Vec<(String, String)> {
    let mut out = vec![
        (ind::SIGNALS_BY_SOURCE.to_string(), "Signalen geregistreerd".to_string()),
        (format!("{}:casus", ind::CASE_FLOW), "Casussen geopend".to_string()),
        (format!("{}:pre-casus", ind::CASE_FLOW), "Pre-casussen geopend".to_string()),
        (format!("{}:afgesloten", ind::CASE_FLOW), "Pre-casussen en casussen afgesloten".to_string()),
        (ind::INTERVENTIONS_BY_CATEGORY.to_string(), "Interventies afgerond of gestopt".to_string()),
    ];
    if let Some(t) = f.table(ind::SIGNALS_BY_PHENOMENON) {
        out.extend(
            t.columns.iter().filter(|c| !c.code.is_empty()).map(|c| (format!("{}:{}", ind::SIGNALS_BY_PHENOMENON, c.code), format!("Signalen over {}", c.label.to_lowercase()))),
        );
    }
    if let Some(t) = f.table(ind::INTERVENTIONS_BY_CATEGORY) {
        out.extend(t.columns.iter().map(|c| (format!("{}:{}", ind::INTERVENTIONS_BY_CATEGORY, c.code), format!("Interventies: {}", c.label.to_lowercase()))));
    }
    out
}

impl App {
    /// The boards `ctx` may open, with their names.
    async fn boards(&self, tx: &mut knooppunt_store::Tx, ctx: &Ctx) -> Result<Vec<(Board, BoardChoice)>, AppError> {
        let p = ctx.principal()?;
        let regions = network::list_regions(tx).await?;
        Ok(steering_boards(p)
            .into_iter()
            .filter_map(|b| match b {
                Board::National => Some((b, BoardChoice { code: NATIONAL.into(), name: "Stuurgroep LIEC".into() })),
                Board::Region(id) => regions.iter().find(|r| r.id == id).map(|r| (b, BoardChoice { code: r.code.clone(), name: format!("Stuurgroep {}", r.name) })),
            })
            .collect())
    }

    /// The grant of the board `code` (empty: the first the user has), or a refusal that names
    /// nothing of other boards.
    async fn board_grant(&self, tx: &mut knooppunt_store::Tx, ctx: &Ctx, code: &str) -> Result<(SteeringGrant, BoardChoice, Vec<BoardChoice>), AppError> {
        let boards = self.boards(tx, ctx).await?;
        let chosen = if code.trim().is_empty() { boards.first().cloned() } else { boards.iter().find(|(_, c)| c.code == code.trim()).cloned() };
        let p = ctx.principal()?;
        match chosen.and_then(|(b, c)| steering_grant(p, b).map(|g| (g, c))) {
            Some((g, c)) => Ok((g, c, boards.into_iter().map(|(_, c)| c).collect())),
            None => Err(AppError::Forbidden("alleen leden van deze stuurgroep en het RIEC dat haar ondersteunt zien dit overzicht")),
        }
    }

    /// [`Self::board_grant`] in `tx`, or the refusal audited (the transaction given back).
    async fn open_board(&self, mut tx: knooppunt_store::Tx, ctx: &Ctx, code: &str) -> Result<(knooppunt_store::Tx, SteeringGrant, BoardChoice, Vec<BoardChoice>), AppError> {
        match self.board_grant(&mut tx, ctx, code).await {
            Ok((grant, board, boards)) => Ok((tx, grant, board, boards)),
            Err(AppError::Forbidden(reason)) => Err(self.refuse(Some(tx), ctx, &Object::new("stuurgroep", "*"), reason, AppError::Forbidden(reason)).await),
            Err(e) => Err(e),
        }
    }

    /// The dashboard of board `code` for `year`. Audited as a read (no personal data).
    pub async fn dashboard(&self, ctx: &Ctx, code: &str, year: i32) -> Result<Dashboard, AppError> {
        let period = Period::parse(&year.to_string(), "")?;
        let tx = self.begin_read().await?;
        let (mut tx, grant, board, boards) = self.open_board(tx, ctx, code).await?;
        let (figures_at, figures) = self.recent_count(&mut tx, grant.figures(), period, DASHBOARD_FIGURES_MAX_AGE_MS).await?;
        let region_name = match grant.region_id() {
            Some(id) => network::list_regions(&mut tx).await?.into_iter().find(|r| r.id == id).map(|r| r.name),
            None => None,
        };
        let region = region_name.as_deref();
        let key = |label: &str, measure: &str, euro: bool| KeyFigure {
            label: label.into(),
            board: measured(&figures, measure, region).unwrap_or(Shown::Value(0)),
            national: measured(&figures, measure, None).unwrap_or(Shown::Value(0)),
            euro,
        };
        let key_figures = vec![
            key("Signalen geregistreerd", ind::SIGNALS_BY_SOURCE, false),
            key("Signalen afgewezen na weging", &format!("{}:afgewezen", ind::WEIGHING), false),
            key("Casussen geopend", &format!("{}:casus", ind::CASE_FLOW), false),
            key("Pre-casussen en casussen lopend aan het eind", &format!("{}:lopend", ind::CASE_FLOW), false),
            key("Interventies afgerond of gestopt", ind::INTERVENTIONS_BY_CATEGORY, false),
            key("Geïnd", &format!("{}:geind", ind::AMOUNTS), true),
            key("In beslag genomen", &format!("{}:beslag", ind::AMOUNTS), true),
        ];
        let all_measures = measures(&figures);
        let objectives = store::objectives(&mut tx, &grant, i64::from(year))
            .await?
            .into_iter()
            .map(|row| Objective {
                measure_label: all_measures.iter().find(|(c, _)| *c == row.measure).map(|(_, l)| l.clone()).unwrap_or_else(|| row.measure.clone()),
                value: measured(&figures, &row.measure, region).unwrap_or(Shown::Value(0)),
                row,
            })
            .collect();
        let escalations = match grant.escalations() {
            Some(scope) => case_store::escalations(&mut tx, scope).await?,
            None => Vec::new(),
        };
        let decisions = store::decisions(&mut tx, &grant, 200).await?;
        let bottlenecks = store::bottlenecks(&mut tx, &grant, 200).await?;
        let approaches = store::approaches(&mut tx, &grant, 200).await?;
        let national_tables = if grant.region_id().is_none() {
            figures.tables.iter().filter(|t| [ind::DESK_SIGNALS, ind::NATIONAL, ind::MINISTRIES].contains(&t.indicator.code)).cloned().collect()
        } else {
            Vec::new()
        };
        commit(tx).await?;
        self.log_plain_read(ctx, "stuurgroep-overzicht-bekeken", &board_object(&grant), &format!("jaar {year}")).await?;
        Ok(Dashboard {
            board,
            boards,
            year,
            key_figures,
            objectives,
            measures: all_measures,
            escalations,
            decisions,
            bottlenecks,
            approaches,
            national_tables,
            can_decide: grant.decides(),
            figures_at,
        })
    }

    /// Sets an objective of board `code` for `year`.
    pub async fn add_objective(&self, ctx: &Ctx, code: &str, year: i32, input: &ObjectiveInput) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let tx = self.begin().await?;
        let (mut tx, grant, _, _) = self.open_board(tx, ctx, code).await?;
        let mut invalid = Invalid::default();
        let period = match Period::parse(&year.to_string(), "") {
            Ok(p) => Some(p),
            Err(e) => {
                invalid.0.extend(e.0);
                None
            }
        };
        let known = match period {
            Some(period) => measures(&self.recent_count(&mut tx, grant.figures(), period, DASHBOARD_FIGURES_MAX_AGE_MS).await?.1),
            None => Vec::new(),
        };
        if !known.iter().any(|(c, _)| *c == input.measure.trim()) {
            invalid.push("maatstaf", "Kies wat u wilt meten.");
        }
        let target = match input.target.trim().parse::<i64>() {
            Ok(t) if (1..=1_000_000_000).contains(&t) => t,
            _ => {
                invalid.push("streefwaarde", "Geef de streefwaarde als een heel getal groter dan 0.");
                0
            }
        };
        let description = crate::cases::text(&mut invalid, "omschrijving", &input.description, Some("Beschrijf het doel in een zin."), 500);
        invalid.into_result()?;
        let row = ObjectiveRow { id: 0, year: i64::from(year), measure: input.measure.trim().into(), target, description, created_by: p.label.clone(), created_at: self.now() };
        let id = store::insert_objective(&mut tx, &grant, &row).await?;
        self.audit(&mut tx, ctx, "stuurgroep-doel-vastgesteld", &board_object(&grant), Outcome::Ok, &format!("doel {id}, jaar {year}")).await?;
        commit(tx).await?;
        Ok(id)
    }

    /// Records a decision of board `code`.
    pub async fn record_decision(&self, ctx: &Ctx, code: &str, input: &DecisionInput) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let tx = self.begin().await?;
        let (mut tx, grant, _, _) = self.open_board(tx, ctx, code).await?;
        let mut invalid = Invalid::default();
        let date = if input.date.trim().is_empty() {
            invalid.push("datum", "Geef de datum van het besluit.");
            String::new()
        } else {
            invalid.check("datum", parse_date(&input.date)).unwrap_or_default()
        };
        let decision = crate::cases::text(&mut invalid, "besluit", &input.decision, Some("Schrijf het besluit op."), 2000);
        let owner = crate::cases::text(&mut invalid, "eigenaar", &input.owner, None, 200);
        invalid.into_result()?;
        let row = DecisionRow { id: 0, decided_on: date, decision, owner, created_by: p.label.clone(), created_at: self.now() };
        let id = store::insert_decision(&mut tx, &grant, &row).await?;
        self.audit(&mut tx, ctx, "stuurgroep-besluit-vastgelegd", &board_object(&grant), Outcome::Ok, &format!("besluit {id}")).await?;
        commit(tx).await?;
        Ok(id)
    }
}

impl App {
    /// Raises a bottleneck on board `code`.
    pub async fn add_bottleneck(&self, ctx: &Ctx, code: &str, input: &BottleneckInput) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let tx = self.begin().await?;
        let (mut tx, grant, _, _) = self.open_board(tx, ctx, code).await?;
        let mut invalid = Invalid::default();
        if !BOTTLENECK_KINDS.iter().any(|(c, _)| *c == input.kind.trim()) {
            invalid.push("soort", "Kies waar het knelpunt over gaat.");
        }
        let description = crate::cases::text(&mut invalid, "omschrijving", &input.description, Some("Beschrijf het knelpunt."), 2000);
        let owner = crate::cases::text(&mut invalid, "eigenaar", &input.owner, None, 200);
        let raised_on = if input.raised_on.trim().is_empty() { crate::cases::today(self.now()) } else { invalid.check("datum", parse_date(&input.raised_on)).unwrap_or_default() };
        invalid.into_result()?;
        let now = self.now();
        let row = BottleneckRow {
            id: 0,
            region_id: grant.region_id(),
            region_name: String::new(),
            kind: input.kind.trim().into(),
            description,
            owner,
            raised_on,
            status: "open".into(),
            forwarded_at: None,
            resolution: String::new(),
            created_by: p.label.clone(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let id = store::insert_bottleneck(&mut tx, &grant, &row).await?;
        self.audit(&mut tx, ctx, "stuurgroep-knelpunt-gemeld", &board_object(&grant), Outcome::Ok, &format!("knelpunt {id}")).await?;
        commit(tx).await?;
        Ok(id)
    }

    /// One bottleneck board `code` sees, with the board and whether the user may change it;
    /// 404 for one it does not see. Not audited: a bottleneck holds no personal data.
    pub async fn board_bottleneck(&self, ctx: &Ctx, code: &str, id: i64) -> Result<(BoardChoice, BottleneckRow, bool), AppError> {
        let tx = self.begin_read().await?;
        let (mut tx, grant, board, _) = self.open_board(tx, ctx, code).await?;
        let row = store::bottleneck(&mut tx, &grant, id).await?;
        commit(tx).await?;
        Ok((board, row.ok_or(AppError::NotFound("knelpunt"))?, grant.decides()))
    }

    /// Changes a bottleneck the board sees: solved or open again, how it was solved, passed on
    /// to the Stuurgroep LIEC (a region's board only). 404 for one the board does not see.
    pub async fn change_bottleneck(&self, ctx: &Ctx, code: &str, id: i64, change: &BottleneckChange) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let tx = self.begin().await?;
        let (mut tx, grant, _, _) = self.open_board(tx, ctx, code).await?;
        let Some(current) = store::bottleneck(&mut tx, &grant, id).await? else {
            return Err(self.refuse(Some(tx), ctx, &board_object(&grant), "knelpunt onbekend bij deze stuurgroep", AppError::NotFound("knelpunt")).await);
        };
        let mut invalid = Invalid::default();
        let status = change.status.trim();
        if !["open", "opgelost"].contains(&status) {
            invalid.push("stand", "Kies of het knelpunt open is of opgelost.");
        }
        let resolution = crate::cases::text(&mut invalid, "toelichting", &change.resolution, None, 2000);
        if status == "opgelost" && resolution.is_empty() {
            invalid.push("toelichting", "Schrijf op hoe het knelpunt is opgelost.");
        }
        if change.forward && grant.region_id().is_none() {
            invalid.push("doorzetten", "Alleen een regionale stuurgroep zet een knelpunt door naar de Stuurgroep LIEC.");
        }
        invalid.into_result()?;
        if !store::update_bottleneck(&mut tx, &grant, id, status, &resolution, change.forward, &p.label, self.now(), change.version).await? {
            return Err(AppError::Conflict("Iemand anders heeft dit knelpunt intussen gewijzigd. Laad de pagina opnieuw en breng uw wijziging opnieuw aan.".into()));
        }
        let passed_on = change.forward && current.forwarded_at.is_none();
        if passed_on {
            self.notify(&mut tx, ctx, &knooppunt_policy::notifications::About::BottleneckPassedOn, crate::notifications::NotificationKind::BottleneckPassedOn).await?;
        }
        let what = if passed_on { "doorgezet naar de Stuurgroep LIEC" } else { status };
        self.audit(&mut tx, ctx, "stuurgroep-knelpunt-gewijzigd", &board_object(&grant), Outcome::Ok, &format!("knelpunt {id}, {what}")).await?;
        commit(tx).await?;
        Ok(())
    }
}

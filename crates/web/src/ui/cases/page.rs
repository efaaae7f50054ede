//! The case page (summary, in-page navigation, sections), the printable dossier and the
//! subjects as CSV.

use super::*;

pub(super) fn kind_label(code: &str) -> String {
    label(SubjectKind::parse, SubjectKind::label, code)
}

fn subject_details(s: &SubjectRow) -> String {
    let mut parts = Vec::new();
    let born = crate::ui::labels::iso_day(&s.fields.birth_date);
    for (label, v) in [
        ("geboren", &born),
        ("BSN", &s.fields.bsn),
        ("KvK", &s.fields.kvk),
        ("RSIN", &s.fields.rsin),
        ("BAG", &s.fields.bag_id),
        ("kenteken", &s.fields.licence_plate),
        ("IBAN", &s.fields.iban),
    ] {
        if !v.is_empty() {
            parts.push(format!("{label} {v}"));
        }
    }
    if !s.fields.note.is_empty() {
        parts.push(s.fields.note.clone());
    }
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join("; ")
    }
}

pub(super) fn relation_text(d: &CaseDetail, r: &knooppunt_app::views::RelationRow) -> (String, String, String, String) {
    let name = |id: i64| d.subjects.iter().find(|s| s.id == id).map(|s| s.display_name.clone()).unwrap_or_default();
    let (from, to) = (crate::ui::labels::iso_day(&r.valid_from), crate::ui::labels::iso_day(&r.valid_to));
    let period = match (from.is_empty(), to.is_empty()) {
        (true, true) => String::new(),
        (false, true) => format!("vanaf {from}"),
        (true, false) => format!("tot {to}"),
        (false, false) => format!("{from} tot {to}"),
    };
    (name(r.from_subject_id), label(RelationKind::parse, RelationKind::label, &r.kind), name(r.to_subject_id), period)
}

fn amounts(v: &knooppunt_app::views::InterventionRow) -> String {
    let mut parts = Vec::new();
    if !v.decision.is_empty() {
        parts.push(v.decision.clone());
    }
    for (label, c) in [("geïnd", v.collected_cents), ("verrekend", v.offset_cents), ("beslag", v.seized_cents)] {
        if let Some(c) = c {
            parts.push(format!("{label} {}", format_euro(c)));
        }
    }
    if !v.completed_date.is_empty() {
        parts.push(format!("op {}", crate::ui::labels::iso_day(&v.completed_date)));
    }
    if !v.stop_reason.is_empty() {
        parts.push(format!("gestopt: {}", v.stop_reason));
    }
    if v.escalated_at.is_some() {
        parts.push(format!("geëscaleerd naar de stuurgroep: {}", v.escalation_reason));
    }
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join("; ")
    }
}

/// An information item as a line of the case page and the dossier.
pub struct ItemLine {
    pub id: i64,
    pub title: String,
    pub supplier: String,
    pub basis: String,
    pub date: String,
    pub reliability: String,
    pub released: String,
    pub body: String,
}

pub struct RequestView {
    pub id: i64,
    pub questions: String,
    pub deadline: String,
    pub lines: Vec<(String, String)>,
    pub can_answer: bool,
}

#[derive(Template)]
#[template(path = "case.html")]
pub struct CasePage {
    pub page: Page,
    pub c: CaseRow,
    pub phase_label: String,
    pub access_label: String,
    pub phenomena: String,
    pub settings: String,
    pub team: bool,
    pub can: CasePermissions,
    pub steps: Vec<(String, String)>,
    /// (org id, name, admitted, reason, status, active)
    pub participants: Vec<(i64, String, String, String, String, bool)>,
    pub team_members: Vec<(String, String)>,
    /// (name, kind, details)
    pub subjects: Vec<(String, String, String)>,
    pub relations: Vec<String>,
    pub items: Vec<ItemLine>,
    pub requests: Vec<RequestView>,
    /// (number, status, author, approved by, findings, proposals)
    pub advice: Vec<(i64, String, String, String, String, String)>,
    pub approvable: Option<i64>,
    /// (id, name, partner, status, outcome, may update)
    pub interventions: Vec<(i64, String, String, String, String, bool)>,
    /// (date, attendees, agenda, decisions, linked interventions)
    pub meetings: Vec<(String, String, String, String, String)>,
    /// (when, kind, actor, note)
    pub events: Vec<(String, String, String, String)>,
    /// Linked cases of other regions: (reference, region, linked on).
    pub linked: Vec<(String, String, String)>,
    pub summary: CaseSummary,
    /// The pages of the long lists (everything on one page in the dossier).
    pub pagers: CasePagers,
}

/// Rows per page of a long list on the case page.
pub const CASE_LIST_PAGE: usize = 25;

/// One page of a long list: the query key that turns it, the section it belongs to.
pub struct Pager {
    pub key: &'static str,
    pub anchor: &'static str,
    /// What the list holds, in the plural ("betrokkenen").
    pub what: &'static str,
    /// From 1.
    pub page: usize,
    pub pages: usize,
    pub total: usize,
}

impl Pager {
    fn whole(key: &'static str, anchor: &'static str, what: &'static str, total: usize) -> Self {
        Self { key, anchor, what, page: 1, pages: 1, total }
    }

    /// Keeps page `raw` (from 1; anything else is the first page, beyond the end the last) of
    /// `rows`.
    fn cut<T>(mut self, rows: &mut Vec<T>, raw: Option<&str>) -> Self {
        self.total = rows.len();
        self.pages = rows.len().div_ceil(CASE_LIST_PAGE).max(1);
        self.page = raw.and_then(|r| r.trim().parse::<usize>().ok()).unwrap_or(1).clamp(1, self.pages);
        let start = (self.page - 1) * CASE_LIST_PAGE;
        rows.truncate(start + CASE_LIST_PAGE);
        rows.drain(..start.min(rows.len()));
        self
    }
}

pub struct CasePagers {
    pub subjects: Pager,
    pub items: Pager,
    pub events: Pager,
}

/// The header of the case page: what someone opening it wants to know first.
pub struct CaseSummary {
    /// Requests with at least one partner yet to answer.
    pub open_requests: usize,
    /// The earliest deadline among them (dd-mm-jjjj) and whether it has passed.
    pub next_deadline: Option<(String, bool)>,
    /// Interventions proposed, promised or under way.
    pub running_interventions: usize,
    pub participants: usize,
}

fn summary_of(d: &CaseDetail) -> CaseSummary {
    let open: Vec<&str> = d.requests.iter().filter(|r| r.recipients.iter().any(|x| x.status == RecipientStatus::Open.code())).map(|r| r.deadline.as_str()).collect();
    let next = open.iter().filter(|x| !x.is_empty()).min().map(|deadline| (crate::ui::labels::iso_day(deadline), *deadline < d.today.as_str()));
    CaseSummary {
        open_requests: open.len(),
        next_deadline: next,
        running_interventions: d.interventions.iter().filter(|v| !matches!(v.status.as_str(), "afgerond" | "gestopt")).count(),
        participants: d.participants.iter().filter(|p| p.removed_at.is_none()).count(),
    }
}

fn case_page(s: &AppState, rc: &RequestCtx, d: CaseDetail, notice: Option<&str>) -> CasePage {
    let team = d.can.team;
    let linked = d.linked.iter().map(|l| (l.reference.clone(), l.region_name.clone(), day(l.linked_at))).collect();
    let names = participant_names(&d);
    let org_name = |id: i64| names.get(&id).cloned().unwrap_or_else(|| format!("organisatie {id}"));
    let latest_concept = d.advice.first().filter(|a| a.status == AdviceStatus::Draft.code()).map(|a| a.number);
    let pagers = CasePagers {
        subjects: Pager::whole("betrokkenen", "betrokkenen", "betrokkenen", d.subjects.len()),
        items: Pager::whole("bijdragen", "informatie", "bijdragen", d.items.len()),
        events: Pager::whole("geschiedenis", "geschiedenis", "gebeurtenissen", d.events.len()),
    };
    CasePage {
        pagers,
        summary: summary_of(&d),
        page: page(s, rc, &d.case.title, "/casussen", notice),
        phase_label: phase_label(&d.case.phase),
        access_label: if team { "RIEC-casusteam van de regio".into() } else { "toegelaten deelnemer".into() },
        phenomena: if d.phenomena.is_empty() { "—".into() } else { d.phenomena.iter().map(|p| p.1.clone()).collect::<Vec<_>>().join(", ") },
        settings: d.settings.iter().map(|p| p.1.clone()).collect::<Vec<_>>().join(", "),
        team,
        can: d.can,
        steps: d.steps.iter().map(|st| (st.code().to_string(), st.label().to_string())).collect(),
        participants: d
            .participants
            .iter()
            .map(|p| {
                let status = match (&p.removed_at, &p.removed_reason) {
                    (Some(at), reason) => format!("verwijderd op {} ({})", day(*at), reason.clone().unwrap_or_default()),
                    (None, _) => "neemt deel".into(),
                };
                (p.organisation_id, p.organisation_name.clone(), day(p.admitted_at), p.reason.clone(), status, d.removable.contains(&p.organisation_id))
            })
            .collect(),
        team_members: d.team.iter().map(|t| (label(TeamRole::parse, TeamRole::label, &t.team_role), t.display_name.clone())).collect(),
        subjects: d.subjects.iter().map(|x| (x.display_name.clone(), kind_label(&x.kind), subject_details(x))).collect(),
        relations: d
            .relations
            .iter()
            .map(|r| relation_text(&d, r))
            .map(|(a, k, b, p)| format!("{a} {k} {b}{}", if p.is_empty() { String::new() } else { format!(" ({p})") }))
            .collect(),
        items: d
            .items
            .iter()
            .map(|i| {
                let it = &i.item;
                let released = match it.withdrawn_at {
                    Some(at) => format!("ingetrokken op {}", crate::ui::labels::day(at)),
                    None if i.released_to.is_empty() => "—".to_string(),
                    None => i.released_to.iter().map(|o| org_name(*o)).collect::<Vec<_>>().join(", "),
                };
                ItemLine {
                    id: it.id,
                    title: it.title.clone(),
                    supplier: it.supplier_name.clone(),
                    basis: it.legal_basis_name.clone(),
                    date: crate::ui::labels::iso_day(&it.info_date),
                    reliability: label(Reliability::parse, Reliability::label, &it.reliability),
                    released,
                    body: it.body.clone(),
                }
            })
            .collect(),
        requests: d
            .requests
            .iter()
            .map(|r| RequestView {
                id: r.id,
                questions: r.questions.clone(),
                deadline: r.deadline.clone(),
                can_answer: d.answerable.contains(&r.id),
                lines: r
                    .recipients
                    .iter()
                    .map(|x| {
                        let mut st = label(RecipientStatus::parse, RecipientStatus::label, &x.status);
                        if x.status == RecipientStatus::Open.code() && r.deadline < d.today {
                            st = "Open, termijn verstreken".into();
                        }
                        if !x.decline_reason.is_empty() {
                            st = format!("{st}: {}", x.decline_reason);
                        }
                        (x.organisation_name.clone(), st)
                    })
                    .collect(),
            })
            .collect(),
        advice: d
            .advice
            .iter()
            .map(|a| {
                (
                    a.number,
                    label(AdviceStatus::parse, AdviceStatus::label, &a.status),
                    a.author.clone(),
                    a.approved_by.clone().unwrap_or_default(),
                    a.findings.clone(),
                    a.proposals.clone(),
                )
            })
            .collect(),
        approvable: if d.can.approve_advice { latest_concept } else { None },
        interventions: d
            .interventions
            .iter()
            .map(|v| {
                (
                    v.id,
                    match v.barrier_id.and_then(|b| d.barriers.iter().find(|x| x.id == b)) {
                        Some(b) => format!("{} (barrière: stap {} {}: {})", v.type_name, b.step_position, b.step_title, b.description),
                        None => v.type_name.clone(),
                    },
                    v.organisation_name.clone(),
                    label(InterventionStatus::parse, InterventionStatus::label, &v.status),
                    amounts(v),
                    d.updatable.contains(&v.id),
                )
            })
            .collect(),
        meetings: d
            .meetings
            .iter()
            .map(|m| {
                let linked = m
                    .intervention_ids
                    .iter()
                    .filter_map(|id| d.interventions.iter().find(|v| v.id == *id))
                    .map(|v| format!("{} ({})", v.type_name, v.organisation_name))
                    .collect::<Vec<_>>()
                    .join(", ");
                (crate::ui::labels::iso_day(&m.held_on), m.attendees.clone(), m.agenda.clone(), m.decisions.clone(), linked)
            })
            .collect(),
        events: d
            .events
            .iter()
            .map(|e| {
                (
                    when(e.at),
                    if e.to_phase.is_empty() || e.kind == "geregistreerd" {
                        crate::ui::labels::case_event(&e.kind)
                    } else {
                        format!("{} → {}", crate::ui::labels::case_event(&e.kind), phase_label(&e.to_phase))
                    },
                    e.actor.clone(),
                    e.note.clone(),
                )
            })
            .collect(),
        linked,
        c: d.case,
    }
}

pub async fn detail(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, Query(n): Query<Notice>) -> Response {
    let id = match parse_id(&raw, "casus") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.case(&rc.ctx, id).await {
        Ok(d) => {
            // Long lists a page at a time; the printable dossier keeps them whole.
            let mut p = case_page(&s, &rc, d, flash(n.melding.as_deref()));
            let CasePagers { subjects, items, events } = p.pagers;
            p.pagers = CasePagers {
                subjects: subjects.cut(&mut p.subjects, n.betrokkenen.as_deref()),
                items: items.cut(&mut p.items, n.bijdragen.as_deref()),
                events: events.cut(&mut p.events, n.geschiedenis.as_deref()),
            };
            render(&p)
        }
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn approve_advice(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, n)): Path<(String, String)>, CsrfForm(_): CsrfForm<Pairs>) -> Response {
    let (id, n) = match (parse_id(&raw, "casus"), parse_id(&n, "advies")) {
        (Ok(id), Ok(n)) => (id, n),
        (Err(e), _) | (_, Err(e)) => return fail(&s, &rc, e),
    };
    match s.app.approve_advice(&rc.ctx, id, n).await {
        Ok(()) => see_other(&format!("/casussen/{id}?melding=goedgekeurd#advies")),
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Template)]
#[template(path = "case_dossier.html")]
pub struct DossierPage {
    pub page: Page,
    pub c: CaseRow,
    pub phase_label: String,
    pub phenomena: String,
    pub printed_by: String,
    pub printed_at: String,
    pub participants: Vec<(i64, String, String, String, String, bool)>,
    pub subjects: Vec<(String, String, String)>,
    pub relations: Vec<String>,
    pub items: Vec<ItemLine>,
    pub advice: Vec<(i64, String, String, String, String, String)>,
    pub interventions: Vec<(i64, String, String, String, String, bool)>,
    pub events: Vec<(String, String, String, String)>,
}

pub async fn dossier(State(s): State<AppState>, Signed { rc, session }: Signed, Path(raw): Path<String>) -> Response {
    let id = match parse_id(&raw, "casus") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.case_export(&rc.ctx, id).await {
        Ok(d) => {
            let p = case_page(&s, &rc, d, None);
            render(&DossierPage {
                page: page(&s, &rc, &format!("Casusdossier {}", p.c.reference), "/casussen", None),
                phase_label: p.phase_label,
                phenomena: p.phenomena,
                printed_by: session.display_name.clone(),
                printed_at: when(s.app.now()),
                participants: p.participants,
                subjects: p.subjects,
                relations: p.relations,
                items: p.items,
                advice: p.advice,
                interventions: p.interventions,
                events: p.events,
                c: p.c,
            })
        }
        Err(e) => fail(&s, &rc, e),
    }
}

use crate::ui::csv_field;

pub async fn subjects_csv(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>) -> Response {
    let id = match parse_id(raw.trim_end_matches(".csv"), "casus") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.case_export(&rc.ctx, id).await {
        Ok(d) => {
            let mut out = String::from("soort;naam;voornamen;voorvoegsel;geslachtsnaam;geboortedatum;bsn;kvk;rsin;straat;postcode;huisnummer;plaats;bag_id;kenteken;iban\r\n");
            for x in &d.subjects {
                let row = [
                    &x.kind,
                    &x.display_name,
                    &x.fields.first_names,
                    &x.fields.prefix,
                    &x.fields.surname,
                    &x.fields.birth_date,
                    &x.fields.bsn,
                    &x.fields.kvk,
                    &x.fields.rsin,
                    &x.fields.street,
                    &x.fields.postcode,
                    &x.fields.house_number,
                    &x.fields.city,
                    &x.fields.bag_id,
                    &x.fields.licence_plate,
                    &x.fields.iban,
                ];
                out.push_str(&row.iter().map(|v| csv_field(v)).collect::<Vec<_>>().join(";"));
                out.push_str("\r\n");
            }
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"betrokkenen-{}.csv\"", d.case.reference)),
                ],
                out,
            )
                .into_response()
        }
        Err(e) => fail(&s, &rc, e),
    }
}

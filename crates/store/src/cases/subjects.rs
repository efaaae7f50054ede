//! Subjects and relations of a case, and subject search over the cases a scope may see.

use super::{CaseGrant, CaseScope, Sql};
use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};
use knooppunt_domain::case::SubjectInput;

// ---------------------------------------------------------------------------------------------
// Subjects and relations

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectRow {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub display_name: String,
    pub sort_key: String,
    pub identifier: String,
    /// The validated fields as entered (normalised identifiers).
    pub fields: SubjectInput,
    pub created_at: i64,
    pub version: i64,
}

pub(crate) const SUBJECT_COLS: &str = "s.id, s.case_id, s.kind, s.display_name, s.sort_key, s.identifier, s.first_names, s.prefix, s.surname, s.birth_date, s.bsn, \
    s.company_name, s.legal_form, s.kvk, s.rsin, s.street, s.postcode, s.house_number, s.city, s.bag_id, s.licence_plate, s.iban, s.note, s.created_at, s.version";

pub(crate) fn subject_row(r: &Row) -> Result<SubjectRow, StoreError> {
    let kind: String = col(r, "kind")?;
    Ok(SubjectRow {
        id: col(r, "id")?,
        case_id: col(r, "case_id")?,
        display_name: col(r, "display_name")?,
        sort_key: col(r, "sort_key")?,
        identifier: col(r, "identifier")?,
        fields: SubjectInput {
            kind: kind.clone(),
            first_names: col(r, "first_names")?,
            prefix: col(r, "prefix")?,
            surname: col(r, "surname")?,
            birth_date: col(r, "birth_date")?,
            bsn: col(r, "bsn")?,
            company_name: col(r, "company_name")?,
            legal_form: col(r, "legal_form")?,
            kvk: col(r, "kvk")?,
            rsin: col(r, "rsin")?,
            street: col(r, "street")?,
            postcode: col(r, "postcode")?,
            house_number: col(r, "house_number")?,
            city: col(r, "city")?,
            bag_id: col(r, "bag_id")?,
            licence_plate: col(r, "licence_plate")?,
            iban: col(r, "iban")?,
            note: col(r, "note")?,
        },
        kind,
        created_at: time(r, "created_at")?,
        version: col(r, "version")?,
    })
}

/// Inserts a validated subject; `s.id`, `created_at` and `version` are ignored.
/// `address_key` is what an address search compares (`Subject::address_key`).
pub async fn insert_subject(c: &mut Conn, s: &SubjectRow, search_key: &str, address_key: &str, created_by_org: Option<i64>, at: i64) -> Result<i64, StoreError> {
    let r = q(
        "INSERT INTO subjects (case_id, region_id, kind, display_name, sort_key, search_key, identifier, first_names, prefix, surname, birth_date, bsn, company_name, \
         legal_form, kvk, rsin, street, postcode, house_number, city, bag_id, licence_plate, iban, note, created_by_org, created_at, updated_at, address_key) \
         VALUES ($1, (SELECT region_id FROM cases WHERE id = $1), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $25, $26) RETURNING id",
    )
    .bind(s.case_id)
    .bind(&s.kind)
    .bind(&s.display_name)
    .bind(&s.sort_key)
    .bind(search_key)
    .bind(&s.identifier)
    .bind(&s.fields.first_names)
    .bind(&s.fields.prefix)
    .bind(&s.fields.surname)
    .bind(&s.fields.birth_date)
    .bind(&s.fields.bsn)
    .bind(&s.fields.company_name)
    .bind(&s.fields.legal_form)
    .bind(&s.fields.kvk)
    .bind(&s.fields.rsin)
    .bind(&s.fields.street)
    .bind(&s.fields.postcode)
    .bind(&s.fields.house_number)
    .bind(&s.fields.city)
    .bind(&s.fields.bag_id)
    .bind(&s.fields.licence_plate)
    .bind(&s.fields.iban)
    .bind(&s.fields.note)
    .bind(created_by_org)
    .bind_at(at)
    .bind(address_key)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

pub async fn subjects(c: &mut Conn, g: &CaseGrant) -> Result<Vec<SubjectRow>, StoreError> {
    let case_id = g.case_id();
    let rows = q(format!("SELECT {SUBJECT_COLS} FROM subjects s WHERE s.case_id = $1 ORDER BY s.kind, s.sort_key")).bind(case_id).fetch_all(&mut *c).await?;
    rows.iter().map(subject_row).collect()
}

/// Subjects of the case with the same identifier or the same name key (duplicate warning).
pub async fn similar_in_case(c: &mut Conn, g: &CaseGrant, identifier: &str, search_key: &str, kind: &str) -> Result<Vec<SubjectRow>, StoreError> {
    let rows = q(format!("SELECT {SUBJECT_COLS} FROM subjects s WHERE s.case_id = $1 AND ((s.identifier = $2 AND $2 <> '') OR (s.search_key = $3 AND s.kind = $4)) ORDER BY s.id"))
        .bind(g.case_id())
        .bind(identifier)
        .bind(search_key)
        .bind(kind)
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(subject_row).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectHit {
    pub subject: SubjectRow,
    pub case_reference: String,
    pub case_title: String,
    pub region_name: String,
}

/// What a subject search looks for: names by the start of their key (empty ones are ignored),
/// an exact identifier, and addresses by the start of street and house number.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchTerms<'a> {
    pub name_prefixes: &'a [&'a str],
    pub identifier: &'a str,
    pub address_prefix: &'a str,
}

/// Subjects within `scope` that match `search`, at most `limit`, in search-key order.
///
/// Written as one branch per way of seeing a case and per condition (each name prefix, the
/// identifier, the address), each one index range read in key order and cut at `limit`: the case team's
/// branch walks the name index and stops early; a participant's branch starts from the few
/// cases its organisation was admitted to. So a restricted user does not pay for subjects it
/// cannot see, a common name does not make a branch unbounded, and no branch sorts more than it
/// returns (an OR of two ranges in one branch would make the database collect and sort both).
pub async fn search_subjects(c: &mut Conn, scope: &CaseScope, search: &SearchTerms<'_>, limit: i64) -> Result<Vec<SubjectHit>, StoreError> {
    enum Condition<'a> {
        Prefix(&'a str),
        Identifier(&'a str),
        Address(&'a str),
    }
    enum Way {
        Team,
        Participant(i64),
    }
    let mut conditions: Vec<Condition> = search.name_prefixes.iter().copied().filter(|p| !p.is_empty()).map(Condition::Prefix).collect();
    if !search.identifier.is_empty() {
        conditions.push(Condition::Identifier(search.identifier));
    }
    if !search.address_prefix.is_empty() {
        conditions.push(Condition::Address(search.address_prefix));
    }
    if scope.is_empty() || conditions.is_empty() {
        return Ok(Vec::new());
    }
    let limit = limit.clamp(1, 500);
    let regions = scope.team_regions();
    let mut ways = Vec::new();
    if !regions.is_empty() {
        ways.push(Way::Team);
    }
    if let Some(org) = scope.organisation_id().filter(|_| scope.participant_regions().is_none_or(|r| !r.is_empty())) {
        ways.push(Way::Participant(org));
    }
    let mut sq = Sql::new(&format!("SELECT {SUBJECT_COLS}, c.reference AS case_reference, c.title AS case_title, g.name AS region_name FROM ("));
    for (n, (condition, way)) in conditions.iter().flat_map(|c| ways.iter().map(move |w| (c, w))).enumerate() {
        if n > 0 {
            sq.push(" UNION ");
        }
        sq.push(&format!("SELECT b{n}.id, b{n}.search_key FROM (SELECT s.id, s.search_key FROM subjects s WHERE "));
        match way {
            Way::Team => sq.push("s.region_id").any_of(regions),
            Way::Participant(org) => sq.push("s.case_id IN (").participating(scope, *org, None).push(")"),
        };
        sq.push(" AND ");
        match condition {
            // A range on the index instead of LIKE: the same on both databases, and index-backed.
            Condition::Prefix(p) => sq.push("s.search_key >= ").str(p).push(" AND s.search_key < ").str(&format!("{p}\u{10FFFF}")),
            Condition::Identifier(i) => sq.push("s.identifier = ").str(i),
            // The literal `<> ''` lets both databases use the partial address indexes.
            Condition::Address(a) => sq.push("s.address_key <> '' AND s.address_key >= ").str(a).push(" AND s.address_key < ").str(&format!("{a}\u{10FFFF}")),
        };
        let order = if matches!(condition, Condition::Address(_)) { "s.address_key" } else { "s.search_key" };
        sq.push(&format!(" ORDER BY {order}, s.id LIMIT ")).int(limit).push(&format!(") b{n}"));
    }
    sq.push(") v JOIN subjects s ON s.id = v.id JOIN cases c ON c.id = s.case_id JOIN regions g ON g.id = c.region_id ORDER BY v.search_key, v.id LIMIT ").int(limit);
    let rows = sq.query().fetch_all(&mut *c).await?;
    rows.iter()
        .map(|r| Ok(SubjectHit { subject: subject_row(r)?, case_reference: col(r, "case_reference")?, case_title: col(r, "case_title")?, region_name: col(r, "region_name")? }))
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationRow {
    pub id: i64,
    pub from_subject_id: i64,
    pub to_subject_id: i64,
    pub kind: String,
    pub valid_from: String,
    pub valid_to: String,
}

pub async fn insert_relation(c: &mut Conn, case_id: i64, r: &RelationRow, at: i64) -> Result<i64, StoreError> {
    let row = q("INSERT INTO relations (case_id, from_subject_id, to_subject_id, kind, valid_from, valid_to, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(case_id)
        .bind(r.from_subject_id)
        .bind(r.to_subject_id)
        .bind(&r.kind)
        .bind(&r.valid_from)
        .bind(&r.valid_to)
        .bind_at(at)
        .fetch_one(&mut *c)
        .await?;
    col(&row, "id")
}

pub async fn relations(c: &mut Conn, g: &CaseGrant) -> Result<Vec<RelationRow>, StoreError> {
    let case_id = g.case_id();
    let rows = q("SELECT id, from_subject_id, to_subject_id, kind, valid_from, valid_to FROM relations WHERE case_id = $1 ORDER BY id").bind(case_id).fetch_all(&mut *c).await?;
    rows.iter()
        .map(|r| {
            Ok(RelationRow {
                id: col(r, "id")?,
                from_subject_id: col(r, "from_subject_id")?,
                to_subject_id: col(r, "to_subject_id")?,
                kind: col(r, "kind")?,
                valid_from: col(r, "valid_from")?,
                valid_to: col(r, "valid_to")?,
            })
        })
        .collect()
}

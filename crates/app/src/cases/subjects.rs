//! Subjects of a case and the relations between them.

use super::*;

impl App {
    /// Adds a subject. When the case already holds one with the same identifier or name, the
    /// caller gets the existing ones back unless `even_if_duplicate`.
    pub async fn add_subject(&self, ctx: &Ctx, id: i64, input: &SubjectInput, even_if_duplicate: bool) -> Result<SubjectAdded, AppError> {
        let (mut tx, p, _, _, g) = self.open_for(ctx, id, CaseAction::AddSubject).await?;
        let subject = Subject::parse(input)?;
        let identifier = subject.identifier().unwrap_or_default();
        let key = subject.name_key();
        let existing = store::similar_in_case(&mut tx, &g, &identifier, &key, subject.kind.code()).await?;
        if !existing.is_empty() && !even_if_duplicate {
            self.record_personal_read(&mut tx, ctx, "casusdossier-inzien", "betrokkene-dubbel-getoond", &case_obj(id), &subjects_of(&existing)).await?;
            commit(tx).await?;
            return Ok(SubjectAdded::PossibleDuplicate(existing));
        }
        let row = SubjectRow {
            case_id: id,
            kind: subject.kind.code().into(),
            display_name: subject.display_name.clone(),
            sort_key: subject.sort_key.clone(),
            identifier,
            fields: subject.fields.clone(),
            ..SubjectRow::default()
        };
        let now = self.now();
        let sid = store::insert_subject(&mut tx, &row, &key, &subject.address_key(), p.organisation_id, now).await?;
        // Cross-region detection picks it up within seconds (background matcher).
        knooppunt_store::treffers::enqueue(&mut tx, sid, now).await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "betrokkene-toegevoegd", &Object::new("betrokkene", sid), Outcome::Ok, &format!("casus {id}, {}", subject.kind.label())).await?;
        commit(tx).await?;
        Ok(SubjectAdded::Added(sid))
    }

    /// Adds a typed, dated relation between two subjects of the case.
    pub async fn add_relation(&self, ctx: &Ctx, id: i64, r: &RelationInput) -> Result<i64, AppError> {
        let (from, to, kind, valid_from, valid_to) = (r.from, r.to, r.kind.as_str(), r.valid_from.as_str(), r.valid_to.as_str());
        let (mut tx, _, _, _, g) = self.open_for(ctx, id, CaseAction::AddSubject).await?;
        let mut invalid = Invalid::default();
        let kind = invalid.check("soort", RelationKind::parse(kind));
        let subjects = store::subjects(&mut tx, &g).await?;
        for (field, sid) in [("van", from), ("naar", to)] {
            if !subjects.iter().any(|s| s.id == sid) {
                invalid.push(field, "Kies een betrokkene van deze casus.");
            }
        }
        if from == to {
            invalid.push("naar", "Een relatie verbindt twee verschillende betrokkenen.");
        }
        let vf = if valid_from.trim().is_empty() { String::new() } else { invalid.check("vanaf", parse_date(valid_from)).unwrap_or_default() };
        let vt = if valid_to.trim().is_empty() { String::new() } else { invalid.check("tot", parse_date(valid_to)).unwrap_or_default() };
        if !vf.is_empty() && !vt.is_empty() && vt < vf {
            invalid.push("tot", "De einddatum ligt voor de begindatum.");
        }
        invalid.into_result()?;
        let Some(kind) = kind else {
            return Err(AppError::Internal("checked above".into()));
        };
        let now = self.now();
        let rid =
            store::insert_relation(&mut tx, id, &RelationRow { id: 0, from_subject_id: from, to_subject_id: to, kind: kind.code().into(), valid_from: vf, valid_to: vt }, now)
                .await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "relatie-toegevoegd", &case_obj(id), Outcome::Ok, &format!("relatie {rid}")).await?;
        commit(tx).await?;
        Ok(rid)
    }
}

//! Registering a signal: the form with the user's own municipality preselected.

use super::*;

fn register_fields(r: &CaseReference, municipalities: Options, regions: Options, values: Option<&Pairs>) -> Vec<Field> {
    let mut phenomena = Field::new("checkboxes", "fenomenen", "Fenomenen").options(r.phenomena.iter().map(|x| (x.code.clone(), x.name.clone())).collect());
    let mut settings = Field::new("checkboxes", "omgevingen", "Omgeving (niet verplicht)").options(r.settings.iter().map(|x| (x.code.clone(), x.name.clone())).collect());
    let mut f = vec![
        Field::new("text", "titel", "Titel").hint("Kort en zonder namen, bijvoorbeeld: nagelstudio met veel contante omzet."),
        Field::new("textarea", "omschrijving", "Omschrijving").hint("Wat is er waargenomen, door wie, wanneer?"),
        Field::new("select", "gemeente", "Gemeente").options(municipalities).hint("De regio volgt uit de gemeente."),
    ];
    let mut region = Field::new("select", "regio", "Andere regio voert de casus (niet verplicht)").options(regions);
    let mut reason = Field::new("textarea", "regioReden", "Reden voor de andere regio").hint("Alleen invullen als u een andere regio kiest.");
    if let Some(v) = values {
        for x in &mut f {
            x.value = one(v, &x.name);
        }
        phenomena.selected = all(v, "fenomenen");
        settings.selected = all(v, "omgevingen");
        region.value = one(v, "regio");
        reason.value = one(v, "regioReden");
    }
    f.push(phenomena);
    f.push(settings);
    f.push(region);
    f.push(reason);
    f
}

/// The registration form; a fresh one (`values` is `None`) has the municipality of the user's
/// own organisation chosen, when that organisation is a municipality.
async fn register_page(s: &AppState, rc: &RequestCtx, errors: FormErrors, values: Option<&Pairs>, status: StatusCode) -> Response {
    let r = match s.app.case_reference(&rc.ctx).await {
        Ok(r) => r,
        Err(e) => return fail(s, rc, e),
    };
    let munis = match s.app.list_municipalities(&rc.ctx, None, None).await {
        Ok(m) => m,
        Err(e) => return fail(s, rc, e),
    };
    let mut options: Options = vec![(String::new(), "Kies de gemeente".into())];
    options.extend(munis.iter().map(|m| (m.cbs_code.clone(), format!("{} ({})", m.name, m.region_name))));
    let own_municipality = match (values, rc.ctx.principal.as_ref().and_then(|p| p.organisation_id)) {
        (None, Some(org)) => s.app.organisation(&rc.ctx, org).await.ok().and_then(|o| o.municipality_id).and_then(|id| munis.iter().find(|m| m.id == id)),
        _ => None,
    };
    let preset: Pairs = own_municipality.map(|m| vec![("gemeente".to_string(), m.cbs_code.clone())]).unwrap_or_default();
    let values = values.or(Some(&preset));
    let mut regions: Options = vec![(String::new(), "De regio van de gemeente".into())];
    regions.extend(s.app.list_regions(&rc.ctx).await.unwrap_or_default().into_iter().filter(|r| r.kind == "riec" && r.merged_into_id.is_none()).map(|r| (r.code, r.name)));
    render_status(
        status,
        &FormPage {
            page: page(s, rc, "Signaal registreren", "/casussen", None),
            errors,
            heading: "Signaal registreren".into(),
            context: String::new(),
            intro: vec!["Het RIEC van de regio weegt uw signaal: past het in het convenant en vraagt het om een integrale aanpak? Uw organisatie blijft betrokken als bron.".into()],
            warning: None,
            existing: Vec::new(),
            action: "/casussen/nieuw".into(),
            hidden: Vec::new(),
            fields: register_fields(&r, options, regions, values),
            submit: "Registreren".into(),
            back: "/casussen".into(),
        },
    )
}

pub async fn register_form(State(s): State<AppState>, Signed { rc, session }: Signed) -> Response {
    if !knooppunt_policy::cases::can_register(&session.principal) {
        return fail(&s, &rc, AppError::Forbidden("uw rol kan geen signalen registreren"));
    }
    register_page(&s, &rc, FormErrors::default(), None, StatusCode::OK).await
}

pub async fn register(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let input = SignalRegistration {
        title: one(&p, "titel"),
        description: one(&p, "omschrijving"),
        municipality: one(&p, "gemeente"),
        phenomena: all(&p, "fenomenen"),
        settings: all(&p, "omgevingen"),
        region: one(&p, "regio"),
        region_reason: one(&p, "regioReden"),
    };
    match s.app.register_case_signal(&rc.ctx, &input).await {
        Ok(id) => see_other(&format!("/casussen/{id}?melding=geregistreerd")),
        // The form was allowed, so a refusal here is about the region the case would go to:
        // shown at the region field, with the form kept, not as a dead-end page.
        Err(AppError::Forbidden(reason)) => {
            let message = format!("Dit signaal kunt u hier niet registreren: {reason}.");
            register_page(&s, &rc, FormErrors::one("regio", &message), Some(&p), StatusCode::FORBIDDEN).await
        }
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => register_page(&s, &rc, errors, Some(&p), StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

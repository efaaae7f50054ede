//! Notifications: "there is something for you". Written in the transaction of the event, to
//! exactly the users policy names (`policy::notifications::notifies`, the same rules as the work
//! lists the notification links to); a notification holds its kind and time, nothing of the case.
//! The user reads them on "Meldingen" (the header shows the unread count with every page), and
//! may get an e-mail digest: a count and a link, never case contents or personal data.

use crate::auth::grants;
use crate::{commit, App, AppError, Ctx, Object, Outcome, Tx};
use knooppunt_policy::notifications::{audience, notifies, About};
use knooppunt_policy::{Actor, Principal};
use knooppunt_store::notifications as store;

/// What a notification is about; its code is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    /// An information request to the user's organisation.
    Request,
    /// Intervention advice waiting for the user's approval.
    Advice,
    /// An intervention the user's organisation is to carry out.
    Intervention,
    /// A new hit between a case of the user's region and one of another region.
    Hit,
    /// The LIEC asks a case of the user's region to join a national approach.
    ApproachAsk,
    /// An intervention escalated to the user's steering group.
    Escalation,
    /// A data subject's request waits for the position of the user's organisation (new, or its
    /// deadline is near).
    SubjectRequest,
    /// A region's stuurgroep passed a bottleneck on to the Stuurgroep LIEC.
    BottleneckPassedOn,
    /// A specialist support request waits for the user: a new one or new information for the
    /// LIEC, a question or an answer for the asking region.
    Support,
    /// The user moved up from an event's waiting list to a place.
    EventPlace,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 10] = [
        Self::Request,
        Self::Advice,
        Self::Intervention,
        Self::Hit,
        Self::ApproachAsk,
        Self::Escalation,
        Self::SubjectRequest,
        Self::BottleneckPassedOn,
        Self::Support,
        Self::EventPlace,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Request => "uitvraag",
            Self::Advice => "advies",
            Self::Intervention => "interventie",
            Self::Hit => "treffer",
            Self::ApproachAsk => "aanpak-verzoek",
            Self::Escalation => "escalatie",
            Self::SubjectRequest => "verzoek-betrokkene",
            Self::BottleneckPassedOn => "knelpunt-doorgezet",
            Self::Support => "ondersteuning",
            Self::EventPlace => "bijeenkomst-plaats",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One notification as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub kind: NotificationKind,
    pub created_at: i64,
    pub read: bool,
}

/// A page of the user's notifications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub total: i64,
    pub unread: i64,
    /// Whether the user gets e-mail digests.
    pub email_digest: bool,
}

pub const NOTIFICATIONS_PER_PAGE: i64 = 25;

/// How long a notification is kept, read or not: it only points at work that the work lists
/// keep showing until it is done (data minimisation; the purge task removes older ones).
pub const NOTIFICATION_RETENTION_MS: i64 = 30 * 24 * 3_600_000;

/// An e-mail digest to send: to whom, and what it says (a count and a link only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub user_id: i64,
    pub username: String,
    pub email: String,
    pub count: i64,
    upto: i64,
}

impl Digest {
    pub fn subject(&self) -> String {
        if self.count == 1 {
            "knooppunt: er staat een nieuwe melding voor u klaar".into()
        } else {
            format!("knooppunt: er staan {} nieuwe meldingen voor u klaar", self.count)
        }
    }

    /// The text of the e-mail: that there is something, and where to read it after signing in.
    pub fn body(&self, base_url: &str) -> String {
        let what = if self.count == 1 { "staat een nieuwe melding".to_string() } else { format!("staan {} nieuwe meldingen", self.count) };
        format!(
            "Beste collega,\n\nIn knooppunt {what} voor u klaar. Meld u aan om te zien wat er voor u ligt:\n\n{}/meldingen\n\n\
             Dit bericht bevat bewust geen inhoud. U ontvangt het omdat u het overzicht per e-mail hebt aangezet; \
             uitzetten kan op de pagina Meldingen.\n\n-- \nknooppunt, informatie- en expertiseplatform van het RIEC-LIEC-netwerk\n",
            base_url.trim_end_matches('/')
        )
    }
}

impl App {
    /// Tells the users policy names about `about`, leaving out the actor: one notification each,
    /// in the event's transaction. Returns how many were told.
    pub(crate) async fn notify(&self, tx: &mut Tx, ctx: &Ctx, about: &About<'_>, kind: NotificationKind) -> Result<usize, AppError> {
        let actor = ctx.principal.as_ref().and_then(Principal::user_id);
        let (organisation, regions, national) = audience(about);
        let now = self.now();
        let mut told = 0;
        for c in store::candidates(&mut *tx, organisation, &regions, national).await? {
            if Some(c.user_id) == actor {
                continue;
            }
            let p = Principal { actor: Actor::User(c.user_id), label: c.username, organisation_id: Some(c.organisation_id), roles: grants(c.roles) };
            if notifies(&p, about) {
                store::insert(&mut *tx, c.user_id, kind.code(), now).await?;
                told += 1;
            }
        }
        Ok(told)
    }

    /// Tells one user about their own affair (a place on an event that came free), in the
    /// event's transaction.
    pub(crate) async fn tell(&self, tx: &mut Tx, user_id: i64, kind: NotificationKind) -> Result<(), AppError> {
        store::insert(&mut *tx, user_id, kind.code(), self.now()).await?;
        Ok(())
    }

    /// The signed-in user's notifications, a page at a time (`page` from 1), newest first.
    pub async fn notifications(&self, ctx: &Ctx, page: i64) -> Result<NotificationPage, AppError> {
        let user = ctx.principal()?.user_id().ok_or(AppError::NotFound("meldingen"))?;
        let offset = (page.max(1) - 1).saturating_mul(NOTIFICATIONS_PER_PAGE);
        let mut tx = self.begin_read().await?;
        let (rows, total) = store::list(&mut tx, user, NOTIFICATIONS_PER_PAGE, offset).await?;
        let unread = store::count_unread(&mut tx, user).await?;
        let email_digest = store::email_digest(&mut tx, user).await?;
        commit(tx).await?;
        let items = rows
            .into_iter()
            .filter_map(|r| NotificationKind::parse(&r.kind).map(|kind| Notification { id: r.id, kind, created_at: r.created_at, read: r.read_at.is_some() }))
            .collect();
        Ok(NotificationPage { items, total, unread, email_digest })
    }

    /// Marks one of the user's notifications read and gives its kind (where it leads). Another
    /// user's notification does not exist for the caller.
    pub async fn open_notification(&self, ctx: &Ctx, id: i64) -> Result<NotificationKind, AppError> {
        let user = ctx.principal()?.user_id().ok_or(AppError::NotFound("melding"))?;
        let mut tx = self.begin().await?;
        let kind = store::mark_read(&mut tx, user, id, self.now()).await?;
        commit(tx).await?;
        kind.as_deref().and_then(NotificationKind::parse).ok_or(AppError::NotFound("melding"))
    }

    /// Marks all of the user's notifications read; how many were unread.
    pub async fn read_all_notifications(&self, ctx: &Ctx) -> Result<u64, AppError> {
        let user = ctx.principal()?.user_id().ok_or(AppError::NotFound("meldingen"))?;
        let mut tx = self.begin().await?;
        let n = store::mark_all_read(&mut tx, user, self.now()).await?;
        commit(tx).await?;
        Ok(n)
    }

    /// Turns the user's e-mail digest on or off (audited).
    pub async fn set_email_digest(&self, ctx: &Ctx, on: bool) -> Result<(), AppError> {
        let user = ctx.principal()?.user_id().ok_or(AppError::NotFound("meldingen"))?;
        let mut tx = self.begin().await?;
        store::set_email_digest(&mut tx, user, on).await?;
        self.audit(&mut tx, ctx, "meldingen-instelling", &Object::new("gebruiker", user), Outcome::Ok, if on { "overzicht per e-mail aan" } else { "overzicht per e-mail uit" })
            .await?;
        commit(tx).await
    }

    /// The digests to send now, when no node of the deployment ran the digest in the last
    /// `interval_ms` (then this node claims the run); empty otherwise.
    pub async fn digests_due(&self, interval_ms: i64) -> Result<Vec<Digest>, AppError> {
        let mut tx = self.begin().await?;
        let mine = knooppunt_store::jobs::claim(&mut tx, "meldingen-per-e-mail", self.now(), interval_ms).await?;
        let due = if mine { store::due_digests(&mut tx).await? } else { Vec::new() };
        commit(tx).await?;
        Ok(due.into_iter().map(|d| Digest { user_id: d.user_id, username: d.username, email: d.email, count: d.count, upto: d.upto }).collect())
    }

    /// Records that `digest` was sent: its notifications are not counted in a later digest, and
    /// the audit trail says that an e-mail went to the user (not what it said: nothing of a case).
    pub async fn digest_sent(&self, digest: &Digest) -> Result<(), AppError> {
        let ctx = self.operator_ctx("systeem:meldingen");
        let mut tx = self.begin().await?;
        store::mark_mailed(&mut tx, digest.user_id, digest.upto, self.now()).await?;
        self.audit(&mut tx, &ctx, "meldingen-gemaild", &Object::new("gebruiker", digest.user_id), Outcome::Ok, &format!("{} meldingen", digest.count)).await?;
        commit(tx).await
    }
}

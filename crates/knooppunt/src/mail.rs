//! The e-mail digest of notifications over SMTP (lettre): every interval, once across all nodes,
//! each user who wants it and has unread notifications not mailed yet gets one e-mail with
//! their number and a link. The text is made by `knooppunt_app::notifications::Digest`.

use anyhow::{Context, Result};
use knooppunt_app::App;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    base_url: String,
}

impl Mailer {
    /// `url` as lettre reads it: `smtp://host:port` (plain, or STARTTLS with `?tls=required`),
    /// `smtps://host:port` (TLS).
    pub fn new(url: &str, from: &str, base_url: &str) -> Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url).context("smtp_url is geen bruikbaar SMTP-adres")?.build();
        let from = from.parse::<Mailbox>().context("mail_from is geen geldig e-mailadres")?;
        Ok(Mailer { transport, from, base_url: base_url.trim_end_matches('/').to_string() })
    }

    /// Sends the digests that are due (if this node claims the run); how many were sent. A
    /// digest that cannot be sent stays due and goes with the next run.
    pub async fn send_due(&self, app: &App, interval_ms: i64) -> Result<usize> {
        let mut sent = 0;
        for d in app.digests_due(interval_ms).await.map_err(|e| anyhow::anyhow!("{e}"))? {
            let to = match d.email.parse::<Mailbox>() {
                Ok(to) => to,
                Err(e) => {
                    tracing::warn!(user = %d.username, error = %e, "no valid e-mail address; digest skipped");
                    continue;
                }
            };
            let message = Message::builder().message_id(None).from(self.from.clone()).to(to).subject(d.subject()).header(ContentType::TEXT_PLAIN).body(d.body(&self.base_url))?;
            match self.transport.send(message).await {
                Ok(_) => {
                    app.digest_sent(&d).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                    sent += 1;
                }
                Err(e) => tracing::warn!(user = %d.username, error = %e, "digest not sent; it goes with the next run"),
            }
        }
        Ok(sent)
    }
}

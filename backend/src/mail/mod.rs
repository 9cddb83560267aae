//! E-mail through an outbox. A feature writes its message with [`enqueue`] in the
//! transaction of the change it tells of: committed together, never one without the other,
//! so a crash after the commit loses nothing. Each node's [`Sender`] claims due messages for
//! a lease, sends them by SMTP (`lettre`), and marks each sent; a failed send is retried with
//! back-off, for ever (at most once an hour). A message is sent twice only if a node dies
//! between the SMTP server's acceptance and the mark — a window of one database write; its
//! `Message-ID` is its outbox id, so receiving systems can tell the duplicate.
//! Without SMTP configured, nothing is sent: organisers read the outbox in the UI.

use std::time::Duration;

use chrono::Utc;
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use crate::error::AppResult;

/// Where a message's links start: the sender puts the deployment's public address in its
/// place when it sends (so that messages written by a node's clock, which knows no address,
/// link right too).
pub const SITE: &str = "{site}";

/// One e-mail, written in its recipient's language; its links start with [`SITE`].
#[derive(Debug, Clone)]
pub struct Email {
    pub conference_id: Option<Uuid>,
    pub to_email: String,
    pub to_name: String,
    pub language: String,
    /// What it tells, e.g. `registration.approved`.
    pub template: &'static str,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Writes `email` to the outbox, in the caller's transaction.
pub async fn enqueue(db: impl PgExecutor<'_>, email: &Email) -> AppResult<()> {
    enqueue_all(db, std::slice::from_ref(email)).await
}

/// Writes every one of `emails` to the outbox with one statement (an import's thousands).
pub async fn enqueue_all(db: impl PgExecutor<'_>, emails: &[Email]) -> AppResult<()> {
    let column = |take: fn(&Email) -> String| emails.iter().map(take).collect::<Vec<_>>();
    sqlx::query!(
        "insert into outbox (id, conference_id, to_email, to_name, language, template, subject, text_body, html_body)
         select gen_random_uuid(), * from unnest ($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
                                                  $6::text[], $7::text[], $8::text[])",
        &emails.iter().map(|email| email.conference_id).collect::<Vec<_>>() as &[Option<Uuid>],
        &column(|email| email.to_email.clone()),
        &column(|email| email.to_name.clone()),
        &column(|email| email.language.clone()),
        &column(|email| email.template.to_owned()),
        &column(|email| email.subject.clone()),
        &column(|email| email.text.clone()),
        &column(|email| email.html.clone())
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Where and as whom to send.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    /// e.g. `smtp://localhost:2525`, `smtps://user:pass@mail.example.eu`,
    /// `smtp://mail.example.eu:587?tls=required` (lettre's URL form).
    pub url: String,
    /// The `From` address, e.g. `Viaduc <no-reply@viaduc.example.eu>`.
    pub from: String,
}

/// How long a sender holds a message it is sending before another may take it over.
const LEASE: Duration = Duration::from_secs(60);
/// How often each node looks for messages to send.
const POLL: Duration = Duration::from_secs(2);
/// Messages claimed at once.
const BATCH: i64 = 20;
/// The longest wait between two attempts.
const MAX_BACKOFF_SECS: i64 = 3600;

/// Each node's sender of the outbox.
pub struct Sender {
    db: PgPool,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The deployment's public address, for the links.
    site: String,
}

impl Sender {
    pub fn new(db: PgPool, settings: &SmtpSettings, site: &str) -> anyhow::Result<Sender> {
        Ok(Sender {
            db,
            transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.url)?.build(),
            from: settings.from.parse()?,
            site: site.trim_end_matches('/').to_owned(),
        })
    }

    /// Sends what is due, every `POLL`, for the life of the process.
    pub async fn run(self) {
        let mut tick = tokio::time::interval(POLL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(error) = self.send_due().await {
                tracing::warn!(%error, "the outbox could not be read, retrying");
            }
        }
    }

    /// Claims the due messages and sends each; the number sent.
    pub async fn send_due(&self) -> anyhow::Result<usize> {
        let lease = Utc::now() + LEASE;
        let claimed = sqlx::query!(
            "update outbox set claimed_until = $1, attempts = attempts + 1
             where id in (select id from outbox
                          where sent_at is null and next_attempt_at <= now()
                            and (claimed_until is null or claimed_until < now())
                          order by next_attempt_at limit $2 for update skip locked)
             returning id, to_email, to_name, subject, text_body, html_body, attempts",
            lease,
            BATCH
        )
        .fetch_all(&self.db)
        .await?;
        let mut sent = 0;
        for message in claimed {
            let outcome = self
                .send(
                    message.id,
                    &message.to_email,
                    &message.to_name,
                    &message.subject,
                    message.text_body,
                    message.html_body,
                )
                .await;
            match outcome {
                Ok(()) => {
                    sqlx::query!(
                        "update outbox set sent_at = now(), claimed_until = null, last_error = null where id = $1",
                        message.id
                    )
                    .execute(&self.db)
                    .await?;
                    sent += 1;
                }
                Err(error) => {
                    tracing::warn!(%error, id = %message.id, "an e-mail was not sent, retrying later");
                    sqlx::query!(
                        "update outbox set claimed_until = null, last_error = $2,
                                next_attempt_at = now() + make_interval(secs => $3)
                         where id = $1",
                        message.id,
                        error.to_string(),
                        backoff_secs(message.attempts) as f64
                    )
                    .execute(&self.db)
                    .await?;
                }
            }
        }
        Ok(sent)
    }

    async fn send(
        &self,
        id: Uuid,
        to_email: &str,
        to_name: &str,
        subject: &str,
        text: String,
        html: String,
    ) -> anyhow::Result<()> {
        let to = Mailbox::new(Some(to_name.to_owned()), to_email.parse()?);
        let message = Message::builder()
            .message_id(Some(format!("<{id}@viaduc>")))
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(text.replace(SITE, &self.site)),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(html.replace(SITE, &self.site)),
                    ),
            )?;
        self.transport.send(message).await?;
        Ok(())
    }
}

/// Seconds before attempt `attempts + 1`: 30 s, doubling, at most an hour.
fn backoff_secs(attempts: i32) -> i64 {
    let doublings = attempts.clamp(1, 20) - 1;
    (30_i64 << doublings).min(MAX_BACKOFF_SECS)
}

/// `text` safe inside HTML.
pub fn html(text: &str) -> String {
    html_escape::encode_safe(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_an_hour() {
        assert_eq!(backoff_secs(1), 30);
        assert_eq!(backoff_secs(2), 60);
        assert_eq!(backoff_secs(3), 120);
        assert_eq!(backoff_secs(8), 3600);
        assert_eq!(backoff_secs(1000), 3600);
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html("<b>\"R&D\"</b>"),
            "&lt;b&gt;&quot;R&amp;D&quot;&lt;&#x2F;b&gt;"
        );
    }
}

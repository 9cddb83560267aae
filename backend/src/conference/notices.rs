//! What a member is told when an organiser changes their place in a conference: a
//! notification in their `user:` room, written in the change's own transaction and
//! delivered after it commits. Titles travel in every language they have, so each reader's
//! bell words them in their own.

use serde_json::json;
use uuid::Uuid;

use super::access::ConferenceRole;
use super::conferences::load_conference;
use super::sessions::{SessionPerson, SessionRole};
use crate::error::{AppError, AppResult};
use crate::notifications::notify;
use crate::realtime::log::EventTx;
use crate::text::LocalizedText;

/// Tells `user_id` their role in the conference is now `role`.
pub async fn role_changed(
    etx: &mut EventTx,
    conference_id: Uuid,
    user_id: Uuid,
    role: ConferenceRole,
) -> AppResult<()> {
    let conference = load_conference(etx.conn(), conference_id, None)
        .await?
        .summary;
    let data = json!({
        "conference_slug": conference.slug,
        "conference_title": conference.title,
        "role": role,
    });
    notify(etx, user_id, "member.role_changed", data).await?;
    Ok(())
}

/// Tells each person in `now` who was not in `before` with the same role that they are on
/// session `session_id` (a new role on the session counts as a new assignment).
pub async fn session_assigned(
    etx: &mut EventTx,
    session_id: Uuid,
    before: &[SessionPerson],
    now: &[(Uuid, SessionRole)],
) -> AppResult<()> {
    let added: Vec<&(Uuid, SessionRole)> = now
        .iter()
        .filter(|(user_id, role)| {
            !before
                .iter()
                .any(|person| person.user_id == *user_id && person.role == *role)
        })
        .collect();
    if added.is_empty() {
        return Ok(());
    }
    let heading = sqlx::query!(
        r#"select c.slug, s.title as "title: LocalizedText"
           from sessions s join conferences c on c.id = s.conference_id
           where s.id = $1"#,
        session_id
    )
    .fetch_optional(etx.conn())
    .await?
    .ok_or(AppError::NotFound("session"))?;
    for (user_id, role) in added {
        let data = json!({
            "conference_slug": heading.slug,
            "session_id": session_id,
            "session_title": heading.title,
            "role": role,
        });
        notify(etx, *user_id, "session.assigned", data).await?;
    }
    Ok(())
}

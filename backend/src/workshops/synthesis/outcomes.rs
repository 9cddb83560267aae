//! The Outcomes page's REST routes: a conference's published syntheses (the latest version
//! of each working group), every version of one group, a version as a Markdown download,
//! and the organisers' choice to show them without login. Members read them; when the
//! organisers choose, anyone does. They stay after the conference ends. An invite-only
//! group's stay as secret as its session: only moderators and organisers see them.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use sqlx::PgPool;
use uuid::Uuid;

use super::versions;
use super::wire::Version;
use super::wire::{GroupOutcome, GroupVersions, Outcomes, OutcomesVisibility, PublishedVersion};
use crate::audit;
use crate::auth::AuthUser;
use crate::conference::sessions::sees_every_session;
use crate::conference::{role_in, ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::{AppJson, AppPath};
use crate::text::LocalizedText;

/// Working groups one Outcomes page lists at most.
const MAX_GROUPS: i64 = 500;

/// A conference whose outcomes the caller may read, and which of its groups: those of
/// invite-only sessions only for the people who see every session (moderators and
/// organisers), as the agenda keeps them.
pub(super) struct Readable {
    pub conference_id: Uuid,
    pub public: bool,
    sees_every_session: bool,
}

/// Conference `slug`'s outcomes, if `user` may read them: anyone when they are public, else
/// its members (`Unauthorized` without a login, `Forbidden` for a non-member).
pub(super) async fn readable(
    db: &PgPool,
    slug: &str,
    user: Option<&AuthUser>,
) -> AppResult<Readable> {
    // No slug holds U+0000, and PostgreSQL would refuse it as a parameter.
    if slug.contains('\0') {
        return Err(AppError::NotFound("conference"));
    }
    let conference = sqlx::query!(
        "select id, outcomes_public from conferences where slug = $1",
        slug
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound("conference"))?;
    let role = match user {
        Some(user) => role_in(db, conference.id, user.id).await?,
        None => None,
    };
    if !conference.outcomes_public {
        if user.is_none() {
            return Err(AppError::Unauthorized);
        }
        if role.is_none() {
            return Err(AppError::Forbidden("join this conference first"));
        }
    }
    Ok(Readable {
        conference_id: conference.id,
        public: conference.outcomes_public,
        sees_every_session: sees_every_session(role),
    })
}

impl Readable {
    /// One of its working groups, by its title; `NotFound` for another session.
    pub(super) async fn group_title(
        &self,
        db: &PgPool,
        session_id: Uuid,
    ) -> AppResult<LocalizedText> {
        sqlx::query_scalar!(
            r#"select title as "title: LocalizedText" from sessions
               where id = $1 and conference_id = $2 and kind = 'working_group'
                 and (visibility = 'public' or $3)"#,
            session_id,
            self.conference_id,
            self.sees_every_session
        )
        .fetch_optional(db)
        .await?
        .ok_or(AppError::NotFound("session"))
    }

    /// The latest published version of each working group, in programme order.
    pub(super) async fn latest_of_each(&self, db: &PgPool) -> AppResult<Vec<GroupOutcome>> {
        let rows = sqlx::query!(
            r#"select s.id, s.title as "title: LocalizedText", s.starts_at,
                      v.number, v.published_at, v.published_by_name, v.markdown,
                      (select count(*) from synthesis_versions c where c.session_id = s.id)::int as "versions!"
               from sessions s
               join lateral (select * from synthesis_versions v where v.session_id = s.id
                             order by v.number desc limit 1) v on true
               where s.conference_id = $1 and s.kind = 'working_group'
                 and (s.visibility = 'public' or $3)
               order by s.starts_at, s.id
               limit $2"#,
            self.conference_id,
            MAX_GROUPS,
            self.sees_every_session
        )
        .fetch_all(db)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| GroupOutcome {
                session_id: row.id,
                title: row.title,
                starts_at: row.starts_at,
                versions: row.versions,
                latest: PublishedVersion {
                    version: Version {
                        number: row.number,
                        published_at: row.published_at,
                        published_by: row.published_by_name,
                    },
                    markdown: row.markdown,
                },
            })
            .collect())
    }
}

#[utoipa::path(get, path = "/api/conferences/{slug}/outcomes", tag = "outcomes",
    operation_id = "list_outcomes",
    security((), ("access_cookie" = []), ("bearer_token" = [])),
    params(ConferenceSlug),
    responses((status = 200, description = "The working groups' published syntheses, latest version each", body = Outcomes),
              (status = 401, description = "Not logged in, and the outcomes are not public", body = ErrorBody),
              (status = 403, description = "Not a member, and the outcomes are not public", body = ErrorBody),
              (status = 404, description = "No such conference", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(db): State<PgPool>,
    user: Option<AuthUser>,
    AppPath(slug): AppPath<String>,
) -> AppResult<Json<Outcomes>> {
    let readable = readable(&db, &slug, user.as_ref()).await?;
    Ok(Json(Outcomes {
        public: readable.public,
        groups: readable.latest_of_each(&db).await?,
    }))
}

#[utoipa::path(put, path = "/api/conferences/{slug}/outcomes/visibility", tag = "outcomes",
    operation_id = "set_outcomes_visibility",
    params(ConferenceSlug),
    request_body = OutcomesVisibility,
    responses((status = 200, description = "Whether the outcomes are public now", body = OutcomesVisibility),
              (status = 403, description = "Not an organiser of the conference", body = ErrorBody),
              (status = 404, description = "No such conference", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn set_visibility(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppJson(visibility): AppJson<OutcomesVisibility>,
) -> AppResult<Json<OutcomesVisibility>> {
    access.require(ConferenceRole::Organiser)?;
    let mut tx = db.begin().await?;
    sqlx::query!(
        "update conferences set outcomes_public = $2, updated_at = now() where id = $1",
        access.conference_id,
        visibility.public
    )
    .execute(&mut *tx)
    .await?;
    let details = serde_json::json!({ "public": visibility.public });
    audit::record(
        &mut *tx,
        access.conference_id,
        access.user.id,
        "outcomes.visibility",
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(visibility))
}

#[utoipa::path(get, path = "/api/conferences/{slug}/outcomes/{id}", tag = "outcomes",
    operation_id = "synthesis_versions",
    security((), ("access_cookie" = []), ("bearer_token" = [])),
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The working group's session id")),
    responses((status = 200, description = "Every published version, newest first", body = GroupVersions),
              (status = 401, description = "Not logged in, and the outcomes are not public", body = ErrorBody),
              (status = 403, description = "Not a member, and the outcomes are not public", body = ErrorBody),
              (status = 404, description = "No such conference or working group", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn group(
    State(db): State<PgPool>,
    user: Option<AuthUser>,
    AppPath((slug, id)): AppPath<(String, Uuid)>,
) -> AppResult<Json<GroupVersions>> {
    let readable = readable(&db, &slug, user.as_ref()).await?;
    let title = readable.group_title(&db, id).await?;
    let mut conn = db.acquire().await?;
    Ok(Json(GroupVersions {
        session_id: id,
        title,
        versions: versions::texts(&mut conn, id).await?,
    }))
}

#[utoipa::path(get, path = "/api/conferences/{slug}/outcomes/{id}/versions/{number}/synthesis.md", tag = "outcomes",
    operation_id = "synthesis_markdown",
    security((), ("access_cookie" = []), ("bearer_token" = [])),
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The working group's session id"),
           ("number" = i32, Path, description = "The version, from 1")),
    responses((status = 200, description = "The version's Markdown (attachment)",
               content_type = "text/markdown", body = String),
              (status = 401, description = "Not logged in, and the outcomes are not public", body = ErrorBody),
              (status = 403, description = "Not a member, and the outcomes are not public", body = ErrorBody),
              (status = 404, description = "No such conference, working group or version", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn markdown(
    State(db): State<PgPool>,
    user: Option<AuthUser>,
    AppPath((slug, id, number)): AppPath<(String, Uuid, i32)>,
) -> AppResult<Response> {
    let readable = readable(&db, &slug, user.as_ref()).await?;
    readable.group_title(&db, id).await?;
    let markdown = sqlx::query_scalar!(
        "select markdown from synthesis_versions where session_id = $1 and number = $2",
        id,
        number
    )
    .fetch_optional(&db)
    .await?
    .ok_or(AppError::NotFound("version"))?;
    Ok(markdown_attachment(
        format!("synthesis-{id}-v{number}.md"),
        markdown,
    ))
}

/// `markdown` as the download `file_name`.
pub(super) fn markdown_attachment(file_name: String, mut markdown: String) -> Response {
    if !markdown.ends_with('\n') {
        markdown.push('\n');
    }
    let disposition = format!("attachment; filename=\"{file_name}\"");
    (
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        markdown,
    )
        .into_response()
}

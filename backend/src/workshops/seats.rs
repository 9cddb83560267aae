//! Seats in a working group: members sign up ahead (or on the day while seats are free);
//! when it is full they join a waitlist, promoted in order when someone withdraws — the
//! promoted person is notified and enters the board at once (seats an organiser adds by
//! raising the capacity go to them at the next sign-up or withdrawal). Every change of a session's
//! seats locks the session row, so concurrent withdrawals promote each waiting person once
//! and never seat more than the capacity.

use axum::extract::State;
use axum::Json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::wire::{MySeat, SeatCounts, SeatHolder, SeatStatus, Seats, SeatsEvent};
use crate::access_changes;
use crate::conference::live::session_rights;
use crate::conference::live::session_room;
use crate::conference::{ConferenceAccess, ConferenceSlug};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::AppPath;
use crate::notifications::notify;
use crate::realtime::log::EventTx;
use crate::realtime::room::{Rights, MODERATOR};
use crate::realtime::Realtime;

pub async fn is_working_group(db: &PgPool, session_id: Uuid) -> AppResult<bool> {
    Ok(sqlx::query_scalar!(
        r#"select kind = 'working_group' as "yes!" from sessions where id = $1"#,
        session_id
    )
    .fetch_optional(db)
    .await?
    .unwrap_or(false))
}

pub async fn is_seated(db: &PgPool, session_id: Uuid, user_id: Uuid) -> AppResult<bool> {
    Ok(sqlx::query_scalar!(
        r#"select exists (select 1 from workshop_seats
                          where session_id = $1 and user_id = $2 and status = 'seated') as "yes!""#,
        session_id,
        user_id
    )
    .fetch_one(db)
    .await?)
}

/// The caller's rights in working group `session_id` of their conference; `NotFound` for a
/// session they may not see, of another conference, or of another kind.
async fn rights(db: &PgPool, access: &ConferenceAccess, session_id: Uuid) -> AppResult<Rights> {
    let rights = session_rights(db, access.user.id, session_id).await?;
    if rights.conference_id != Some(access.conference_id)
        || !is_working_group(db, session_id).await?
    {
        return Err(AppError::NotFound("session"));
    }
    Ok(rights)
}

/// The session's seats as `user_id` sees them (the people's list only for who runs it).
async fn seats(
    db: &mut PgConnection,
    session_id: Uuid,
    user_id: Uuid,
    runs_it: bool,
) -> AppResult<Seats> {
    let people = sqlx::query_as!(
        SeatHolder,
        r#"select w.user_id, u.display_name as name, nullif(p.organisation, '') as organisation,
                  p.country, w.status as "status: SeatStatus", w.queued_at
           from workshop_seats w
           join users u on u.id = w.user_id
           left join profiles p on p.user_id = w.user_id
           where w.session_id = $1
           order by w.status, w.queued_at, w.user_id"#,
        session_id
    )
    .fetch_all(&mut *db)
    .await?;
    let row = sqlx::query!(
        r#"select s.capacity, coalesce(b.observers, false) as "observers!"
           from sessions s left join boards b on b.session_id = s.id where s.id = $1"#,
        session_id
    )
    .fetch_one(&mut *db)
    .await?;
    let waiting: Vec<&SeatHolder> = people
        .iter()
        .filter(|person| person.status == SeatStatus::Waitlisted)
        .collect();
    let mine = people
        .iter()
        .find(|person| person.user_id == user_id)
        .map(|person| MySeat {
            status: person.status,
            position: waiting
                .iter()
                .position(|waiting| waiting.user_id == user_id)
                .map(|at| at as i64 + 1),
        });
    let waitlisted = waiting.len() as i64;
    Ok(Seats {
        capacity: row.capacity,
        seated: people.len() as i64 - waitlisted,
        waitlisted,
        mine,
        runs_it,
        observers: row.observers,
        people: runs_it.then_some(people),
    })
}

/// Locks session `session_id`: its seats change one at a time.
async fn lock_seats(db: &mut PgConnection, session_id: Uuid) -> AppResult<Option<i32>> {
    Ok(sqlx::query_scalar!(
        "select capacity from sessions where id = $1 for update",
        session_id
    )
    .fetch_one(db)
    .await?)
}

async fn seated_count(db: &mut PgConnection, session_id: Uuid) -> AppResult<i64> {
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "n!" from workshop_seats where session_id = $1 and status = 'seated'"#,
        session_id
    )
    .fetch_one(db)
    .await?)
}

/// A working group's seats and waitlist, and one's own place.
#[utoipa::path(get, path = "/api/conferences/{slug}/sessions/{id}/seats", tag = "workshops",
    operation_id = "seats",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The working group's session id")),
    responses((status = 200, description = "Its seats", body = Seats),
              (status = 404, description = "No such working group", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn show(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
) -> AppResult<Json<Seats>> {
    let rights = rights(&db, &access, id).await?;
    let mut conn = db.acquire().await?;
    Ok(Json(
        seats(&mut conn, id, access.user.id, rights.has(MODERATOR)).await?,
    ))
}

/// Takes a seat in a working group, or a place on its waitlist when it is full. Signing up
/// again changes nothing.
#[utoipa::path(post, path = "/api/conferences/{slug}/sessions/{id}/seats", tag = "workshops",
    operation_id = "sign_up_seat",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The working group's session id")),
    responses((status = 200, description = "Its seats, with one's own", body = Seats),
              (status = 404, description = "No such working group", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn sign_up(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
) -> AppResult<Json<Seats>> {
    let rights = rights(&db, &access, id).await?;
    let user_id = access.user.id;
    let mut etx = EventTx::begin(&db).await?;
    let capacity = lock_seats(etx.conn(), id).await?;
    // Seats freed by a larger capacity go to the people waiting first, not to a newcomer.
    promote(&mut etx, id, capacity, access.conference_id).await?;
    let seated = seated_count(etx.conn(), id).await?;
    let status = match capacity {
        Some(capacity) if seated >= i64::from(capacity) => SeatStatus::Waitlisted,
        _ => SeatStatus::Seated,
    };
    let added = sqlx::query!(
        "insert into workshop_seats (session_id, user_id, status) values ($1, $2, $3)
         on conflict do nothing",
        id,
        user_id,
        status as SeatStatus
    )
    .execute(etx.conn())
    .await?;
    if added.rows_affected() == 1 && status == SeatStatus::Seated {
        access_changes::person(etx.conn(), user_id, Some(access.conference_id)).await?;
    }
    let answer = seats(etx.conn(), id, user_id, rights.has(MODERATOR)).await?;
    if added.rows_affected() == 1 {
        announce(&mut etx, id, &answer).await?;
    }
    etx.commit(&realtime.hub).await?;
    Ok(Json(answer))
}

/// Gives one's seat (or place on the waitlist) back; the first person waiting takes a
/// freed seat and is notified.
#[utoipa::path(delete, path = "/api/conferences/{slug}/sessions/{id}/seats", tag = "workshops",
    operation_id = "withdraw_seat",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The working group's session id")),
    responses((status = 200, description = "Its seats, without one's own", body = Seats),
              (status = 404, description = "No such working group, or no seat to give back", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn withdraw(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
) -> AppResult<Json<Seats>> {
    let rights = rights(&db, &access, id).await?;
    let user_id = access.user.id;
    let mut etx = EventTx::begin(&db).await?;
    let capacity = lock_seats(etx.conn(), id).await?;
    let left = sqlx::query_scalar!(
        r#"delete from workshop_seats where session_id = $1 and user_id = $2
           returning status as "status: SeatStatus""#,
        id,
        user_id
    )
    .fetch_optional(etx.conn())
    .await?
    .ok_or(AppError::NotFound("seat"))?;
    if left == SeatStatus::Seated {
        access_changes::person(etx.conn(), user_id, Some(access.conference_id)).await?;
        promote(&mut etx, id, capacity, access.conference_id).await?;
    }
    let answer = seats(etx.conn(), id, user_id, rights.has(MODERATOR)).await?;
    announce(&mut etx, id, &answer).await?;
    etx.commit(&realtime.hub).await?;
    Ok(Json(answer))
}

/// Tells the session's room its seats changed.
async fn announce(etx: &mut EventTx, session_id: Uuid, seats: &Seats) -> AppResult<()> {
    let counts = SeatCounts {
        seated: seats.seated,
        waitlisted: seats.waitlisted,
    };
    etx.emit(session_room(session_id), &SeatsEvent::Changed(counts))
        .await?;
    Ok(())
}

/// Seats the people waiting longest while seats are free (the session locked).
async fn promote(
    etx: &mut EventTx,
    session_id: Uuid,
    capacity: Option<i32>,
    conference_id: Uuid,
) -> AppResult<()> {
    let free = match capacity {
        Some(capacity) => i64::from(capacity) - seated_count(etx.conn(), session_id).await?,
        None => i64::MAX,
    };
    let promoted = sqlx::query_scalar!(
        "update workshop_seats set status = 'seated'
         where session_id = $1 and user_id in (
             select user_id from workshop_seats where session_id = $1 and status = 'waitlisted'
             order by queued_at, user_id limit $2)
         returning user_id",
        session_id,
        free.max(0)
    )
    .fetch_all(etx.conn())
    .await?;
    let data = notice(etx.conn(), session_id).await?;
    for user_id in promoted {
        access_changes::person(etx.conn(), user_id, Some(conference_id)).await?;
        notify(etx, user_id, "workshop.seat", data.clone()).await?;
    }
    Ok(())
}

/// What a notification about working group `session_id` names, so it can link to it: the
/// session, its title and its conference's slug.
pub async fn notice(db: &mut PgConnection, session_id: Uuid) -> AppResult<serde_json::Value> {
    let row = sqlx::query!(
        "select s.title, c.slug from sessions s join conferences c on c.id = s.conference_id
         where s.id = $1",
        session_id
    )
    .fetch_one(db)
    .await?;
    Ok(
        serde_json::json!({"session_id": session_id, "title": row.title, "conference_slug": row.slug}),
    )
}

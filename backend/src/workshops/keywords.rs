//! The keyword cloud: each participant proposes up to the board's allowance of keywords; a
//! word weighs as many people as proposed it, case and accents folded ("Décloisonnement"
//! and "decloisonnement" are one word), shown in its most common spelling (on a tie, the
//! first one proposed).

use sqlx::PgConnection;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

use super::wire::{BoardEvent, CloudWord, Keyword, KeywordCloud, MyKeywords};
use super::{require_unlocked, require_writer, workshop_room};
use crate::error::{AppError, AppResult, ConflictReason, Problem};
use crate::realtime::feature::{bounded_text, CommandCtx};
use crate::realtime::log::{lock_room, EventTx};

const MAX_KEYWORD_CHARS: usize = 40;

/// A keyword as the cloud groups it: lower case, without accents, single spaces.
pub fn fold(word: &str) -> String {
    let bare: String = word
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    bare.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The cloud, most proposed first.
pub async fn cloud(db: &mut PgConnection, session_id: Uuid) -> AppResult<KeywordCloud> {
    let words = sqlx::query_as!(
        CloudWord,
        r#"select k.folded, count(*) as "people!",
                  (select word from board_keywords s where s.session_id = $1 and s.folded = k.folded
                   group by word order by count(*) desc, min(created_at) limit 1) as "word!"
           from board_keywords k where k.session_id = $1
           group by k.folded order by 2 desc, k.folded"#,
        session_id
    )
    .fetch_all(db)
    .await?;
    Ok(KeywordCloud { words })
}

/// `user_id`'s keywords, folded.
pub async fn mine(
    db: &mut PgConnection,
    session_id: Uuid,
    user_id: Uuid,
) -> AppResult<Vec<String>> {
    Ok(sqlx::query_scalar!(
        "select folded from board_keywords where session_id = $1 and user_id = $2 order by created_at",
        session_id,
        user_id
    )
    .fetch_all(db)
    .await?)
}

/// The keyword as written and folded, within bounds.
fn checked(keyword: &Keyword) -> AppResult<(String, String)> {
    let word = bounded_text("word", &keyword.word, MAX_KEYWORD_CHARS)?;
    let folded = fold(&word);
    if folded.is_empty() {
        return Err(AppError::field("word", Problem::Required));
    }
    Ok((word, folded))
}

/// Tells the room the cloud as it now stands; the command's result is one's own words.
async fn announce(ctx: &CommandCtx<'_>, etx: &mut EventTx) -> AppResult<MyKeywords> {
    let session_id = ctx.room.id;
    // Read under the room's lock, which every event of the board takes until its commit:
    // each cloud includes the proposals whose events came before it.
    lock_room(etx.conn(), ctx.room).await?;
    let cloud = cloud(etx.conn(), session_id).await?;
    etx.emit(workshop_room(session_id), &BoardEvent::Keywords(cloud))
        .await?;
    Ok(MyKeywords {
        folded: mine(etx.conn(), session_id, ctx.user_id).await?,
    })
}

/// Counts one keyword more (or, with `-1`, less) to `user_id`, within the board's allowance
/// (which may have been lowered since: taking a word back always counts).
async fn count_keyword(
    db: &mut PgConnection,
    session_id: Uuid,
    user_id: Uuid,
    change: i16,
) -> AppResult<()> {
    let allowance = sqlx::query_scalar!(
        "select keywords_per_person from boards where session_id = $1",
        session_id
    )
    .fetch_one(&mut *db)
    .await?;
    let counted = sqlx::query_scalar!(
        "insert into board_authors (session_id, user_id, keywords) values ($1, $2, greatest($3::smallint, 0::smallint))
         on conflict (session_id, user_id) do update set keywords = board_authors.keywords + $3
         where board_authors.keywords + $3 >= 0 and ($3 < 0 or board_authors.keywords + $3 <= $4)
         returning keywords",
        session_id,
        user_id,
        change,
        allowance
    )
    .fetch_optional(db)
    .await?;
    if counted.is_none() && change > 0 {
        return Err(AppError::over_limit(
            ConflictReason::TooManyKeywords,
            allowance,
        ));
    }
    Ok(())
}

/// Records `user_id`'s keyword `word` (already checked), within the board's allowance
/// (the demo's too).
pub async fn insert(
    db: &mut PgConnection,
    session_id: Uuid,
    user_id: Uuid,
    word: &str,
) -> AppResult<()> {
    let folded = fold(word);
    let added = sqlx::query!(
        "insert into board_keywords (session_id, user_id, folded, word) values ($1, $2, $3, $4)
         on conflict do nothing",
        session_id,
        user_id,
        folded,
        word
    )
    .execute(&mut *db)
    .await?;
    if added.rows_affected() == 0 {
        return Err(AppError::conflict(ConflictReason::KeywordAlreadyProposed));
    }
    count_keyword(db, session_id, user_id, 1).await
}

pub async fn propose(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    keyword: Keyword,
) -> AppResult<MyKeywords> {
    require_writer(ctx)?;
    let (word, _) = checked(&keyword)?;
    require_unlocked(ctx, etx.conn()).await?;
    insert(etx.conn(), ctx.room.id, ctx.user_id, &word).await?;
    announce(ctx, etx).await
}

pub async fn withdraw(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    keyword: Keyword,
) -> AppResult<MyKeywords> {
    require_writer(ctx)?;
    let (_, folded) = checked(&keyword)?;
    require_unlocked(ctx, etx.conn()).await?;
    sqlx::query!(
        "delete from board_keywords where session_id = $1 and user_id = $2 and folded = $3
         returning folded",
        ctx.room.id,
        ctx.user_id,
        folded
    )
    .fetch_optional(etx.conn())
    .await?
    .ok_or(AppError::NotFound("keyword"))?;
    count_keyword(etx.conn(), ctx.room.id, ctx.user_id, -1).await?;
    announce(ctx, etx).await
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_accents_and_spaces() {
        assert_eq!(fold("Décloisonnement"), "decloisonnement");
        assert_eq!(fold("  DÉCLOISONNEMENT "), "decloisonnement");
        assert_eq!(fold("Économie  circulaire"), "economie circulaire");
        assert_eq!(fold("Straße"), "straße");
        assert_eq!(fold("grensoverschrijdend"), "grensoverschrijdend");
        assert_eq!(fold("\u{301}"), "");
    }
}

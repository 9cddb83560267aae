//! The election's audit log: append-only (a trigger refuses updates and deletes while the
//! election exists) and hash-chained, so that a rewritten entry breaks every later hash.
//! Each entry's `body` is kept as the exact JSON text that was hashed:
//! `hash = sha256(prev_hash || body)`, the first `prev_hash` being 64 zeros.

use chrono::Utc;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use uuid::Uuid;

use super::count::hex;
use super::wire::AuditEntry;
use crate::error::AppResult;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub fn link(prev_hash: &str, body: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(body.as_bytes());
    hex(&hasher.finalize())
}

/// Appends `action` with `detail`, done by user `actor` (none for the schedule), whom the
/// entry names by account and display name. The caller holds the election's row lock, so
/// entries never race for a seq.
pub async fn append(
    db: &mut PgConnection,
    election: Uuid,
    actor: Option<Uuid>,
    action: &str,
    detail: Value,
) -> AppResult<()> {
    let actor = match actor {
        Some(id) => {
            let name = sqlx::query_scalar!("select display_name from users where id = $1", id)
                .fetch_one(&mut *db)
                .await?;
            json!({"id": id, "name": name})
        }
        None => Value::Null,
    };
    let last = sqlx::query!(
        "select seq, hash from election_audit where election_id = $1 order by seq desc limit 1",
        election
    )
    .fetch_optional(&mut *db)
    .await?;
    let (seq, prev_hash) = last.map_or((1, GENESIS.to_owned()), |last| (last.seq + 1, last.hash));
    let body = json!({
        "seq": seq,
        "election": election,
        "at": Utc::now().to_rfc3339(),
        "actor": actor,
        "action": action,
        "detail": detail,
    })
    .to_string();
    let hash = link(&prev_hash, &body);
    sqlx::query!(
        "insert into election_audit (election_id, seq, body, prev_hash, hash) values ($1, $2, $3, $4, $5)",
        election,
        seq,
        body,
        prev_hash,
        hash
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The hash of `election`'s last entry (every election has one: its creation).
pub async fn head(db: &mut PgConnection, election: Uuid) -> AppResult<String> {
    Ok(sqlx::query_scalar!(
        "select hash from election_audit where election_id = $1 order by seq desc limit 1",
        election
    )
    .fetch_optional(db)
    .await?
    .unwrap_or_else(|| GENESIS.to_owned()))
}

/// The whole chain of `election`, in order.
pub async fn entries(db: &mut PgConnection, election: Uuid) -> AppResult<Vec<AuditEntry>> {
    Ok(sqlx::query_as!(
        AuditEntry,
        "select seq, body, prev_hash, hash from election_audit where election_id = $1 order by seq",
        election
    )
    .fetch_all(db)
    .await?)
}

/// Checks that `entries` form one unbroken chain of `election`: seqs 1, 2, …, each linked
/// to the one before, each hash right, each body naming its seq and the election.
/// Returns what is wrong, entry by entry.
pub fn check(election: Uuid, entries: &[AuditEntry]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut prev_hash = GENESIS.to_owned();
    for (expected_seq, entry) in (1..).zip(entries) {
        if entry.seq != expected_seq {
            problems.push(format!("entry {expected_seq}: has seq {}", entry.seq));
        }
        if entry.prev_hash != prev_hash {
            problems.push(format!(
                "entry {}: does not follow the entry before it",
                entry.seq
            ));
        }
        if link(&entry.prev_hash, &entry.body) != entry.hash {
            problems.push(format!(
                "entry {}: its hash does not match its content",
                entry.seq
            ));
        }
        match serde_json::from_str::<Value>(&entry.body) {
            Ok(body) => {
                if body["seq"] != json!(entry.seq) || body["election"] != json!(election) {
                    problems.push(format!(
                        "entry {}: names another seq or election",
                        entry.seq
                    ));
                }
            }
            Err(_) => problems.push(format!("entry {}: its body is not JSON", entry.seq)),
        }
        prev_hash = entry.hash.clone();
    }
    problems
}

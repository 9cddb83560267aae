//! An election written without the routes but as they write it, each row with its audit
//! entry: the demo conference's (`viaduc demo`) arrives with its nominations in and its
//! shortlist drawn, so an organiser can open voting at once.

use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::wire::{CandidateInput, ElectionInput, NominationInput, Phase};
use super::{candidates, elections, nominations, phases};
use crate::error::AppResult;

/// A nomination and, if shortlisted, the candidate as presented on the ballot.
pub struct Nominee {
    pub nominated_by: Uuid,
    pub nomination: NominationInput,
    pub candidate: Option<CandidateInput>,
}

/// Creates election `input` in `conference`, done by `organiser`, takes `nominees`'
/// nominations, and moves it to the shortlist with the shortlisted ones as candidates
/// (each linked to its nomination). Returns the election's id.
pub async fn shortlisted(
    db: &mut PgConnection,
    conference: Uuid,
    organiser: Uuid,
    input: &ElectionInput,
    nominees: Vec<Nominee>,
) -> AppResult<Uuid> {
    let election = elections::insert(db, conference, organiser, input).await?;
    let mut shortlist = Vec::new();
    for nominee in nominees {
        let nomination =
            nominations::insert(db, election, nominee.nominated_by, &nominee.nomination).await?;
        if let Some(candidate) = nominee.candidate {
            shortlist.push(CandidateInput {
                nomination_id: Some(nomination),
                ..candidate
            });
        }
    }
    phases::enter(db, election, Phase::Shortlist, Some(organiser), json!({})).await?;
    for candidate in &shortlist {
        candidates::insert(db, election, organiser, candidate).await?;
    }
    Ok(election)
}

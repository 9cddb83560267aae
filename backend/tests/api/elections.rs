//! The election: phases and who may move them, the frozen roll, one ballot per voter (also
//! under concurrency), the idempotent retry, secrecy of the ballot table, the reveal, the
//! public board and its verification — including a tampered board and a broken chain.

use axum::http::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use viaduc::awards::wire::Board;

use crate::helpers::{conference_with_organiser, state, Client};

fn receipt(code: &str) -> String {
    Sha256::digest(code.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

async fn attendee(state: &viaduc::state::AppState, email: &str, name: &str) -> Client {
    let mut client = Client::new(state);
    client.signup(email, name).await;
    let joined = client
        .post("/api/conferences/ecc/registration", json!({}))
        .await;
    assert_eq!(joined.status, StatusCode::CREATED, "{}", joined.text);
    client
}

/// An election with two shortlisted candidates, its path and the candidates' ids.
async fn shortlisted(organiser: &mut Client, method: &str) -> (String, Vec<String>) {
    let created = organiser
        .post(
            "/api/conferences/ecc/elections",
            json!({"title": {"en": "European Cluster Manager of the Year"}, "method": method}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let path = format!(
        "/api/conferences/ecc/elections/{}",
        created.body["id"].as_str().unwrap()
    );
    let moved = organiser
        .post(&format!("{path}/phase"), json!({"phase": "shortlist"}))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    let mut ids = Vec::new();
    for name in ["Ana Peeters", "Luc Moreau", "Eva Schmidt"] {
        let added = organiser
            .post(
                &format!("{path}/candidates"),
                json!({"name": name, "cluster": "Photonics", "country": "BE",
                       "statement": {"en": "Opened the cluster to three regions."}}),
            )
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
        ids.push(added.body["id"].as_str().unwrap().to_owned());
    }
    (path, ids)
}

#[sqlx::test(migrations = "../migrations")]
async fn an_election_from_nomination_to_a_verified_board(db: PgPool) {
    let state = state(db.clone());
    let mut organiser = conference_with_organiser(&state).await;
    let mut anna = attendee(&state, "anna@cluster.eu", "Anna").await;
    let mut bert = attendee(&state, "bert@cluster.eu", "Bert").await;
    let mut cleo = attendee(&state, "cleo@cluster.eu", "Cleo").await;

    let created = organiser
        .post(
            "/api/conferences/ecc/elections",
            json!({"title": {"en": "Cluster Manager of the Year"}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let path = format!(
        "/api/conferences/ecc/elections/{}",
        created.body["id"].as_str().unwrap()
    );

    // Attendees nominate; the organiser merges a duplicate.
    let nominate =
        |name: &str| json!({"name": name, "cluster": "Photonics", "statement": "Built bridges."});
    let first = anna
        .post(&format!("{path}/nominations"), nominate("Ana Peeters"))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let duplicate = bert
        .post(&format!("{path}/nominations"), nominate("Ana Peters"))
        .await;
    let too_long = bert
        .post(
            &format!("{path}/nominations"),
            json!({"name": "X", "statement": "a".repeat(1501)}),
        )
        .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    let merged = organiser
        .post(
            &format!(
                "{path}/nominations/{}/merge",
                duplicate.body["id"].as_str().unwrap()
            ),
            json!({"into": first.body["id"]}),
        )
        .await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.text);
    assert_eq!(merged.body["supporters"], 2);
    let seen_by_bert = bert.get(&format!("{path}/nominations")).await;
    assert_eq!(seen_by_bert.body.as_array().unwrap().len(), 1);
    assert_eq!(seen_by_bert.body[0]["mine"], true);
    assert_eq!(seen_by_bert.body[0]["nominated_by"], Value::Null);

    // Only organisers end the nominations; nobody skips a phase.
    let early = anna
        .post(&format!("{path}/phase"), json!({"phase": "shortlist"}))
        .await;
    assert_eq!(early.status, StatusCode::FORBIDDEN);
    let skip = organiser
        .post(&format!("{path}/phase"), json!({"phase": "voting"}))
        .await;
    assert_eq!(skip.status, StatusCode::CONFLICT);
    organiser
        .post(&format!("{path}/phase"), json!({"phase": "shortlist"}))
        .await;
    let mut candidates = Vec::new();
    for name in ["Ana Peeters", "Luc Moreau"] {
        let added = organiser
            .post(
                &format!("{path}/candidates"),
                json!({"name": name, "photo_url": "https://x.eu/a.jpg"}),
            )
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
        candidates.push(added.body["id"].as_str().unwrap().to_owned());
    }
    let opened = organiser
        .post(&format!("{path}/phase"), json!({"phase": "voting"}))
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.text);
    assert_eq!(opened.body["roll_size"], 3);

    // Someone who joins after the opening is not on the frozen roll.
    let mut late = attendee(&state, "late@cluster.eu", "Late").await;
    let refused = late
        .post(
            &format!("{path}/ballot"),
            json!({"ranking": [candidates[0]], "receipt_hash": receipt("late")}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);

    // Anna votes; a retry with her receipt counts once; another ballot is refused.
    let ballot = json!({"ranking": [candidates[0]], "receipt_hash": receipt("anna")});
    for _ in 0..2 {
        let cast = anna.post(&format!("{path}/ballot"), ballot.clone()).await;
        assert_eq!(cast.status, StatusCode::OK, "{}", cast.text);
    }
    let again = anna
        .post(
            &format!("{path}/ballot"),
            json!({"ranking": [candidates[1]], "receipt_hash": receipt("anna2")}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["error"]["fields"][0]["field"], "ballot");
    let two_choices = bert
        .post(
            &format!("{path}/ballot"),
            json!({"ranking": candidates, "receipt_hash": receipt("bert")}),
        )
        .await;
    assert_eq!(two_choices.status, StatusCode::UNPROCESSABLE_ENTITY);
    bert.post(
        &format!("{path}/ballot"),
        json!({"ranking": [candidates[0]], "receipt_hash": receipt("bert")}),
    )
    .await;
    cleo.post(
        &format!("{path}/ballot"),
        json!({"ranking": [candidates[1]], "receipt_hash": receipt("cleo")}),
    )
    .await;
    // While voting, the turnout is the one last published by the clock (which this test
    // does not run), never the live count.
    let during = anna.get(&path).await;
    assert_eq!(during.body["turnout"], 0);
    assert_eq!(during.body["voted"], true);
    assert_eq!(during.body["result"], Value::Null);

    // Closed: the result is hidden from everyone, organisers included, and the board too.
    let closed = organiser
        .post(&format!("{path}/phase"), json!({"phase": "closed"}))
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text);
    assert_eq!(closed.body["result"], Value::Null);
    assert_eq!(closed.body["turnout"], 3, "the final turnout, exact");
    let mut anonymous = Client::new(&state);
    assert_eq!(
        anonymous.get(&format!("{path}/board")).await.status,
        StatusCode::CONFLICT
    );
    let late_ballot = bert.post(&format!("{path}/ballot"), ballot.clone()).await;
    assert_eq!(late_ballot.status, StatusCode::CONFLICT);

    let revealed = organiser
        .post(&format!("{path}/phase"), json!({"phase": "revealed"}))
        .await;
    assert_eq!(revealed.body["result"]["winner"], json!(candidates[0]));
    assert_eq!(revealed.body["result"]["ballots"], 3);

    // The board is public, lists each receipt once, and verifies.
    let board = anonymous.get(&format!("{path}/board")).await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.text);
    let hashes: Vec<&str> = board.body["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|ballot| ballot["receipt_hash"].as_str().unwrap())
        .collect();
    let mut sorted = vec![receipt("anna"), receipt("bert"), receipt("cleo")];
    sorted.sort();
    assert_eq!(hashes, sorted);
    let parsed: Board = serde_json::from_value(board.body.clone()).unwrap();
    assert_eq!(viaduc::awards::verify(&parsed), Vec::<String>::new());

    // A changed ballot fails the recount and the digest of the close.
    let mut tampered: Board = serde_json::from_value(board.body.clone()).unwrap();
    let anna_ballot = tampered
        .ballots
        .iter_mut()
        .find(|ballot| ballot.receipt_hash == receipt("anna"))
        .unwrap();
    anna_ballot.ranking = vec![candidates[1].parse().unwrap()];
    let problems = viaduc::awards::verify(&tampered);
    assert!(
        problems.iter().any(|p| p.contains("recount")),
        "{problems:?}"
    );
    assert!(problems.iter().any(|p| p.contains("close")), "{problems:?}");

    // A ballot for someone who is not a candidate is flagged, whatever the count says.
    let mut stuffed: Board = serde_json::from_value(board.body.clone()).unwrap();
    stuffed.ballots[0].ranking = vec![uuid::Uuid::new_v4()];
    let problems = viaduc::awards::verify(&stuffed);
    assert!(
        problems.iter().any(|p| p.contains("not a candidate")),
        "{problems:?}"
    );

    // Every screen got the chain's head with the reveal; the chain names who acted by id.
    let last = parsed.audit.last().unwrap();
    assert_eq!(revealed.body["audit_head"], json!(last.hash));
    let opened = parsed
        .audit
        .iter()
        .map(|entry| serde_json::from_str::<serde_json::Value>(&entry.body).unwrap())
        .find(|body| body["action"] == "election.opened")
        .unwrap();
    assert!(opened["actor"]["id"].is_string(), "{opened}");
    assert!(opened["actor"]["name"].is_string(), "{opened}");

    // A rewritten audit entry breaks the chain.
    let mut rewritten: Board = serde_json::from_value(board.body).unwrap();
    rewritten.audit[1].body = rewritten.audit[1].body.replace("Odile", "Mallory");
    let problems = viaduc::awards::verify(&rewritten);
    assert!(problems.iter().any(|p| p.contains("hash")), "{problems:?}");

    // The database refuses to rewrite the log.
    let update = sqlx::query("update election_audit set body = 'x'")
        .execute(&db)
        .await;
    assert!(update.is_err());
    let delete = sqlx::query("delete from election_audit").execute(&db).await;
    assert!(delete.is_err());
}

/// No column of the ballot table names a voter or a time.
#[sqlx::test(migrations = "../migrations")]
async fn ballots_hold_no_voter_and_no_time(db: PgPool) {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "select column_name::text, data_type::text from information_schema.columns
         where table_name = 'election_ballots' order by ordinal_position",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["election_id", "receipt_hash", "ranking"]);
    assert!(columns.iter().all(|(_, kind)| !kind.contains("time")));
}

/// Many attempts at once by one voter with different receipts: one ballot.
#[sqlx::test(migrations = "../migrations")]
async fn concurrent_double_votes_count_once(db: PgPool) {
    let state = state(db.clone());
    let mut organiser = conference_with_organiser(&state).await;
    let voter = attendee(&state, "anna@cluster.eu", "Anna").await;
    let (path, candidates) = shortlisted(&mut organiser, "ranked").await;
    organiser
        .post(&format!("{path}/phase"), json!({"phase": "voting"}))
        .await;
    let attempts = (0..8).map(|attempt| {
        let mut client = voter.clone();
        let path = path.clone();
        let ranking = json!([candidates[attempt % 3], candidates[(attempt + 1) % 3]]);
        async move {
            client
                .post(
                    &format!("{path}/ballot"),
                    json!({"ranking": ranking, "receipt_hash": receipt(&attempt.to_string())}),
                )
                .await
                .status
        }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert!(statuses
        .iter()
        .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT));
    let ballots: i64 = sqlx::query_scalar("select count(*) from election_ballots")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(ballots, 1);
}

/// Who may run the election: attendees nothing, moderators open, close and reveal but do
/// not set it up.
#[sqlx::test(migrations = "../migrations")]
async fn only_organisers_set_up_and_moderators_run(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    let mut anna = attendee(&state, "anna@cluster.eu", "Anna").await;
    let mut mod_client = Client::new(&state);
    let mod_id = mod_client.signup("mo@cluster.eu", "Mo").await;
    mod_client
        .post("/api/conferences/ecc/registration", json!({}))
        .await;
    organiser
        .put(
            &format!("/api/conferences/ecc/members/{mod_id}"),
            json!({"role": "moderator"}),
        )
        .await;
    let (path, candidates) = shortlisted(&mut organiser, "plurality").await;
    let body = json!({"title": {"en": "Mine"}});
    assert_eq!(
        anna.post("/api/conferences/ecc/elections", body.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        mod_client
            .post("/api/conferences/ecc/elections", body)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let add = json!({"name": "Someone"});
    assert_eq!(
        mod_client
            .post(&format!("{path}/candidates"), add)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        anna.post(&format!("{path}/phase"), json!({"phase": "voting"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        anna.get(&format!("{path}/roll")).await.status,
        StatusCode::FORBIDDEN
    );
    let opened = mod_client
        .post(&format!("{path}/phase"), json!({"phase": "voting"}))
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.text);
    // Moderators are not on the roll: attendees and speakers are.
    assert_eq!(opened.body["on_roll"], false);
    let roll = organiser.get(&format!("{path}/roll")).await;
    assert_eq!(roll.body["size"], 1);
    let cast = anna
        .post(
            &format!("{path}/ballot"),
            json!({"ranking": [candidates[2]], "receipt_hash": receipt("a")}),
        )
        .await;
    assert_eq!(cast.status, StatusCode::OK);
    let closed = mod_client
        .post(&format!("{path}/phase"), json!({"phase": "closed"}))
        .await;
    assert_eq!(closed.status, StatusCode::OK);
    // The shortlist is fixed by then.
    let late = organiser
        .post(&format!("{path}/candidates"), json!({"name": "Late"}))
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
}

//! Registrations: the public page, the state machine (approval, capacity, waitlist and
//! offers, also under concurrent cancellations), delegations' seats under concurrent
//! registrations, the organisers' list and decisions, and who may do what.

use axum::http::StatusCode;
use futures_util::future::join_all;
use serde_json::{json, Value};
use sqlx::PgPool;
use viaduc::AppState;

use crate::helpers::{conference_with_organiser, session_body, state, Client};

/// Sets the `ecc` conference's registration settings.
async fn settings(organiser: &mut Client, published: bool, capacity: Value, approval: &str) {
    let reply = organiser
        .put(
            "/api/conferences/ecc/registration-settings",
            json!({"published": published, "capacity": capacity, "approval": approval, "offer_hours": 24}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

/// `count` fresh accounts, signed up and logged in, not registered.
async fn people(state: &AppState, prefix: &str, count: usize) -> Vec<Client> {
    let mut clients = Vec::new();
    for n in 0..count {
        let mut client = Client::new(state);
        client
            .signup(&format!("{prefix}{n}@cluster.eu"), &format!("{prefix} {n}"))
            .await;
        clients.push(client);
    }
    clients
}

async fn register(client: &mut Client, body: Value) -> Value {
    let reply = client.post("/api/conferences/ecc/registration", body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.body
}

async fn status_of(client: &mut Client) -> String {
    let reply = client.get("/api/conferences/ecc/registration").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body["status"].as_str().unwrap().to_owned()
}

async fn my_role(client: &mut Client) -> Value {
    client.get("/api/conferences/ecc").await.body["my_role"].clone()
}

#[sqlx::test(migrations = "../migrations")]
async fn automatic_approval_makes_a_member_and_cancelling_ends_it(db: PgPool) {
    let state = state(db);
    let _organiser = conference_with_organiser(&state).await;
    let mut anna = people(&state, "anna", 1).await.pop().unwrap();

    let refused = anna.get("/api/conferences/ecc/sessions").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "not a member yet");
    let missing = anna.get("/api/conferences/ecc/registration").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let registered = register(&mut anna, json!({})).await;
    assert_eq!(registered["status"], "approved");
    assert_eq!(my_role(&mut anna).await, "attendee");
    assert_eq!(
        anna.get("/api/conferences/ecc/sessions").await.status,
        StatusCode::OK
    );

    let again = anna
        .post("/api/conferences/ecc/registration", json!({}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        again.body["error"]["conflict"]["reason"],
        "already_registered"
    );

    let cancelled = anna.delete("/api/conferences/ecc/registration").await;
    assert_eq!(
        cancelled.status,
        StatusCode::NO_CONTENT,
        "{}",
        cancelled.text
    );
    assert_eq!(status_of(&mut anna).await, "cancelled");
    assert_eq!(my_role(&mut anna).await, Value::Null);
    // Someone who cancelled may register again.
    assert_eq!(register(&mut anna, json!({})).await["status"], "approved");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_draft_conference_is_seen_by_its_organisers_only(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    let mut session = session_body();
    session["stream_url"] = json!("https://peertube.example.eu/w/secret");
    let created = organiser
        .post("/api/conferences/ecc/sessions", session)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let mut anonymous = Client::new(&state);

    let page = anonymous.get("/api/public/conferences/ecc").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_eq!(
        page.body["title"]["fr"],
        "Conférence européenne des clusters"
    );
    assert_eq!(
        page.body["programme"][0]["title"]["en"],
        "Cross-border cooperation"
    );
    assert!(
        !page.text.contains("secret"),
        "no stream on the public page"
    );
    assert_eq!(
        anonymous.get("/api/public/conferences").await.body[0]["slug"],
        "ecc"
    );

    settings(&mut organiser, false, Value::Null, "automatic").await;
    assert_eq!(
        anonymous.get("/api/public/conferences/ecc").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        anonymous.get("/api/public/conferences").await.body,
        json!([])
    );
    let draft = organiser.get("/api/public/conferences/ecc").await;
    assert_eq!(draft.status, StatusCode::OK);
    assert_eq!(draft.body["published"], false);
    let mut anna = people(&state, "anna", 1).await.pop().unwrap();
    assert_eq!(anna.get("/api/conferences").await.body, json!([]));
    let closed = anna
        .post("/api/conferences/ecc/registration", json!({}))
        .await;
    assert_eq!(closed.status, StatusCode::NOT_FOUND, "{}", closed.text);
}

#[sqlx::test(migrations = "../migrations")]
async fn beyond_capacity_people_wait_and_a_freed_seat_is_offered_in_turn(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    // The organiser is a member without a registration: the capacity counts registrations.
    settings(&mut organiser, true, json!(2), "automatic").await;
    let mut crowd = people(&state, "p", 4).await;
    for client in crowd.iter_mut() {
        register(client, json!({})).await;
    }
    let statuses = [
        status_of(&mut crowd[0]).await,
        status_of(&mut crowd[1]).await,
        status_of(&mut crowd[2]).await,
        status_of(&mut crowd[3]).await,
    ];
    assert_eq!(
        statuses,
        ["approved", "approved", "waitlisted", "waitlisted"]
    );
    let third = crowd[2].get("/api/conferences/ecc/registration").await.body;
    assert_eq!(third["waitlist_position"], 1);
    assert_eq!(
        crowd[3].get("/api/conferences/ecc/registration").await.body["waitlist_position"],
        2
    );

    // A seat frees up: the first waiting is offered it, not everyone.
    crowd[0].delete("/api/conferences/ecc/registration").await;
    assert_eq!(status_of(&mut crowd[2]).await, "offered");
    assert_eq!(status_of(&mut crowd[3]).await, "waitlisted");
    assert_eq!(
        my_role(&mut crowd[2]).await,
        Value::Null,
        "an offer is not membership yet"
    );
    let early = crowd[3]
        .post(
            "/api/conferences/ecc/registration/offer",
            json!({"accept": true}),
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(early.body["error"]["conflict"]["reason"], "no_offer");

    // Declined: it passes to the next.
    let declined = crowd[2]
        .post(
            "/api/conferences/ecc/registration/offer",
            json!({"accept": false}),
        )
        .await;
    assert_eq!(declined.body["status"], "cancelled", "{}", declined.text);
    assert_eq!(status_of(&mut crowd[3]).await, "offered");
    let accepted = crowd[3]
        .post(
            "/api/conferences/ecc/registration/offer",
            json!({"accept": true}),
        )
        .await;
    assert_eq!(accepted.body["status"], "approved", "{}", accepted.text);
    assert_eq!(my_role(&mut crowd[3]).await, "attendee");

    let seats = organiser
        .get("/api/conferences/ecc/registration-settings")
        .await
        .body;
    assert_eq!(seats["seats"]["taken"], 2);
    assert_eq!(seats["seats"]["open"], 0);
    assert_eq!(seats["seats"]["waitlisted"], 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_offer_that_runs_out_passes_to_the_next(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    settings(&mut organiser, true, json!(1), "automatic").await;
    let mut crowd = people(&state, "p", 3).await;
    for client in crowd.iter_mut() {
        register(client, json!({})).await;
    }
    crowd[0].delete("/api/conferences/ecc/registration").await;
    assert_eq!(status_of(&mut crowd[1]).await, "offered");
    sqlx::query("update registrations set offer_expires_at = now() - interval '1 minute' where status = 'offered'")
        .execute(&state.db)
        .await
        .unwrap();
    let late = crowd[1]
        .post(
            "/api/conferences/ecc/registration/offer",
            json!({"accept": true}),
        )
        .await;
    assert_eq!(
        late.status,
        StatusCode::CONFLICT,
        "an offer past its time is gone"
    );

    viaduc::registrations::expire_offers(&state.realtime.hub)
        .await
        .unwrap();
    assert_eq!(status_of(&mut crowd[1]).await, "cancelled");
    assert_eq!(status_of(&mut crowd[2]).await, "offered");
    // Run again (another node's clock): nothing more moves.
    viaduc::registrations::expire_offers(&state.realtime.hub)
        .await
        .unwrap();
    assert_eq!(status_of(&mut crowd[2]).await, "offered");
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_cancellations_offer_each_seat_once_in_waitlist_order(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    settings(&mut organiser, true, json!(5), "automatic").await;
    let mut seated = people(&state, "seated", 5).await;
    let mut waiting = people(&state, "waiting", 8).await;
    for client in seated.iter_mut().chain(waiting.iter_mut()) {
        register(client, json!({})).await;
    }
    let cancellations = seated
        .iter_mut()
        .map(|client| client.delete("/api/conferences/ecc/registration"));
    for reply in join_all(cancellations).await {
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);
    }
    let mut statuses = Vec::new();
    for client in waiting.iter_mut() {
        statuses.push(status_of(client).await);
    }
    assert_eq!(
        statuses,
        [
            "offered",
            "offered",
            "offered",
            "offered",
            "offered",
            "waitlisted",
            "waitlisted",
            "waitlisted"
        ]
    );
    let seats = organiser
        .get("/api/conferences/ecc/registration-settings")
        .await
        .body;
    assert_eq!(
        seats["seats"]["taken"], 5,
        "offers hold the freed seats, no more"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_delegation_approves_its_members_up_to_its_seats_under_concurrent_registrations(
    db: PgPool,
) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    settings(&mut organiser, true, json!(10), "manual").await;
    let mut lead = people(&state, "lead", 1).await.pop().unwrap();
    let created = organiser
        .post(
            "/api/conferences/ecc/delegations",
            json!({"name": "Flemish industry federations", "seats": 3, "lead_email": "lead0@cluster.eu"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let code = created.body["code"].as_str().unwrap().to_owned();
    let id = created.body["id"].as_str().unwrap().to_owned();
    let too_many = organiser
        .post(
            "/api/conferences/ecc/delegations",
            json!({"name": "Bourgogne-Franche-Comté", "seats": 8}),
        )
        .await;
    assert_eq!(
        too_many.status,
        StatusCode::CONFLICT,
        "3 + 8 seats do not fit in 10"
    );
    assert_eq!(
        too_many.body["error"]["conflict"]["reason"],
        "delegation_seats_beyond_capacity"
    );

    let invite = lead
        .get(&format!(
            "/api/conferences/ecc/delegations/by-code/{}",
            code.to_lowercase()
        ))
        .await;
    assert_eq!(
        invite.body,
        json!({"name": "Flemish industry federations", "seats_left": 3})
    );

    let mut members = people(&state, "member", 6).await;
    let body = json!({"delegation_code": code});
    let registrations = members
        .iter_mut()
        .map(|client| client.post("/api/conferences/ecc/registration", body.clone()));
    let mut counts = std::collections::BTreeMap::new();
    for reply in join_all(registrations).await {
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        *counts
            .entry(reply.body["status"].as_str().unwrap().to_owned())
            .or_insert(0) += 1;
    }
    // Three on the delegation's seats; beyond, manual approval as for everyone.
    assert_eq!(
        counts,
        [("approved".to_owned(), 3), ("pending".to_owned(), 3)].into()
    );

    let portal = lead
        .get(&format!("/api/conferences/ecc/delegations/{id}/portal"))
        .await;
    assert_eq!(portal.status, StatusCode::OK, "{}", portal.text);
    assert_eq!(portal.body["seats_left"], 0);
    assert_eq!(portal.body["members"].as_array().unwrap().len(), 6);
    let seated = portal.body["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|member| member["on_delegation_seat"] == true)
        .unwrap()["registration_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let outsider = members[0]
        .get(&format!("/api/conferences/ecc/delegations/{id}/portal"))
        .await;
    assert_eq!(
        outsider.status,
        StatusCode::NOT_FOUND,
        "only the lead and organisers"
    );

    // The lead releases a seat for a substitute, who takes it with the code.
    let released = lead
        .post(
            &format!("/api/conferences/ecc/delegations/{id}/members/{seated}/release"),
            json!({}),
        )
        .await;
    assert_eq!(released.status, StatusCode::OK, "{}", released.text);
    assert_eq!(released.body["seats_left"], 1);
    let mut substitute = people(&state, "substitute", 1).await.pop().unwrap();
    assert_eq!(
        register(&mut substitute, json!({"delegation_code": code})).await["status"],
        "approved"
    );

    let fewer = organiser
        .put(
            &format!("/api/conferences/ecc/delegations/{id}"),
            json!({"name": "Flemish industry federations", "seats": 2}),
        )
        .await;
    assert_eq!(fewer.status, StatusCode::CONFLICT);
    assert_eq!(
        fewer.body["error"]["conflict"]["reason"],
        "delegation_seats_in_use"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn organisers_decide_on_many_at_once_all_or_nothing(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    settings(&mut organiser, true, json!(2), "manual").await;
    let mut crowd = people(&state, "p", 3).await;
    for client in crowd.iter_mut() {
        assert_eq!(register(client, json!({})).await["status"], "pending");
    }
    assert_eq!(
        my_role(&mut crowd[0]).await,
        Value::Null,
        "pending is not membership"
    );
    let page = organiser
        .get("/api/conferences/ecc/registrations?status=pending&per_page=2")
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_eq!(page.body["total"], 3);
    assert_eq!(page.body["registrations"].as_array().unwrap().len(), 2);
    let second = organiser
        .get("/api/conferences/ecc/registrations?status=pending&per_page=2&page=2")
        .await;
    assert_eq!(second.body["registrations"].as_array().unwrap().len(), 1);
    let all = organiser
        .get("/api/conferences/ecc/registrations")
        .await
        .body;
    let ids: Vec<Value> = all["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();

    // Three approvals for two seats: nothing changes.
    let full = organiser
        .post(
            "/api/conferences/ecc/registrations/decisions",
            json!({"registration_ids": ids, "decision": "approve"}),
        )
        .await;
    assert_eq!(full.status, StatusCode::CONFLICT, "{}", full.text);
    assert_eq!(full.body["error"]["conflict"]["reason"], "conference_full");
    for client in crowd.iter_mut() {
        assert_eq!(status_of(client).await, "pending");
    }

    let approved = organiser
        .post(
            "/api/conferences/ecc/registrations/decisions",
            json!({"registration_ids": ids[..2], "decision": "approve"}),
        )
        .await;
    assert_eq!(approved.body, json!({"changed": 2}), "{}", approved.text);
    assert_eq!(my_role(&mut crowd[0]).await, "attendee");
    // Told in their own room (the status page and the bell follow it) and by e-mail.
    let told: Vec<String> = sqlx::query_scalar(
        "select n.data ->> 'status' from notifications n join users u on u.id = n.user_id
         where u.email = 'p0@cluster.eu' and n.kind = 'registration.status' order by n.created_at, n.id",
    )
    .fetch_all(&state.db)
    .await
    .unwrap();
    assert_eq!(told, ["pending", "approved"]);
    let mailed: Vec<String> = sqlx::query_scalar(
        "select template from outbox where to_email = 'p0@cluster.eu' order by created_at, id",
    )
    .fetch_all(&state.db)
    .await
    .unwrap();
    assert_eq!(mailed, ["registration.pending", "registration.approved"]);
    let waitlisted = organiser
        .post(
            "/api/conferences/ecc/registrations/decisions",
            json!({"registration_ids": [ids[2]], "decision": "waitlist"}),
        )
        .await;
    assert_eq!(waitlisted.status, StatusCode::OK);
    // Rejecting an approved registrant frees their seat for the waitlist.
    organiser
        .post(
            "/api/conferences/ecc/registrations/decisions",
            json!({"registration_ids": [ids[0]], "decision": "reject"}),
        )
        .await;
    assert_eq!(status_of(&mut crowd[0]).await, "rejected");
    assert_eq!(my_role(&mut crowd[0]).await, Value::Null);
    assert_eq!(status_of(&mut crowd[2]).await, "offered");
    let rejected_again = crowd[0]
        .post("/api/conferences/ecc/registration", json!({}))
        .await;
    assert_eq!(
        rejected_again.body["error"]["conflict"]["reason"],
        "registration_rejected"
    );

    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'registration.decide'")
            .fetch_one(&state.db)
            .await
            .unwrap();
    assert_eq!(
        audited, 3,
        "one entry per batch that changed something, none for the refused one"
    );

    // Attendees neither list nor decide.
    let mut member = crowd.remove(1);
    assert_eq!(
        member
            .get("/api/conferences/ecc/registrations")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let forbidden = member
        .post(
            "/api/conferences/ecc/registrations/decisions",
            json!({"registration_ids": ids, "decision": "approve"}),
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let bad_page = organiser
        .get("/api/conferences/ecc/registrations?per_page=500")
        .await;
    assert_eq!(bad_page.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_form_asks_the_organisers_questions_and_the_list_filters_by_answer(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    let questions = organiser
        .put(
            "/api/conferences/ecc/registration-questions",
            json!([
                {"kind": "consent", "label": {"en": "List me in the directory"}, "required": false},
                {"kind": "single_choice", "label": {"en": "Track", "fr": "Parcours"},
                 "options": [{"en": "Industry"}, {"en": "Regions"}], "required": true},
                {"kind": "multiple_choice", "label": {"en": "Sessions"},
                 "options": [{"en": "Panels"}, {"en": "Working groups"}, {"en": "B2B"}]}
            ]),
        )
        .await;
    assert_eq!(questions.status, StatusCode::OK, "{}", questions.text);
    let id = |n: usize| questions.body[n]["id"].as_str().unwrap().to_owned();
    let mut crowd = people(&state, "p", 2).await;

    let missing = crowd[0]
        .post("/api/conferences/ecc/registration", json!({"answers": {}}))
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        missing.body["error"]["fields"][0]["field"],
        format!("answers.{}", id(1))
    );
    let out_of_range = crowd[0]
        .post(
            "/api/conferences/ecc/registration",
            json!({"answers": {id(1): 5}}),
        )
        .await;
    assert_eq!(out_of_range.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        my_role(&mut crowd[0]).await,
        Value::Null,
        "a refused form registers nobody"
    );

    register(
        &mut crowd[0],
        json!({"answers": {id(0): true, id(1): 1, id(2): [2, 0]}}),
    )
    .await;
    register(&mut crowd[1], json!({"answers": {id(1): 0, id(2): [1]}})).await;
    let regions = organiser
        .get(&format!(
            "/api/conferences/ecc/registrations?question_id={}&answer=1",
            id(1)
        ))
        .await;
    assert_eq!(regions.body["total"], 1, "{}", regions.text);
    assert_eq!(regions.body["registrations"][0]["email"], "p0@cluster.eu");
    let b2b = organiser
        .get(&format!(
            "/api/conferences/ecc/registrations?question_id={}&answer=2",
            id(2)
        ))
        .await;
    assert_eq!(b2b.body["total"], 1);
    let directory = organiser
        .get(&format!(
            "/api/conferences/ecc/registrations?question_id={}&answer=true",
            id(0)
        ))
        .await;
    assert_eq!(directory.body["total"], 1);
    let by_name = organiser
        .get("/api/conferences/ecc/registrations?q=P%201")
        .await;
    assert_eq!(
        by_name.body["registrations"][0]["email"], "p1@cluster.eu",
        "{}",
        by_name.text
    );

    // The export: every registration, the answers worded in the reader's language, and no
    // cell a spreadsheet would run.
    let mut formula = Client::new(&state);
    formula
        .signup("formula@cluster.eu", "=HYPERLINK(\"http://evil.example\")")
        .await;
    register(&mut formula, json!({"answers": {id(1): 0}})).await;
    let csv = organiser
        .get("/api/conferences/ecc/registrations.csv?lang=fr")
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.text);
    assert!(csv.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(
        lines.len(),
        4,
        "a heading and three registrations: {}",
        csv.text
    );
    assert!(lines[0].starts_with(
        "Nom,E-mail,Organisation,Cluster,Pays,Statut,Délégation,Rôle,Inscrit le (UTC),"
    ));
    assert!(
        lines[0].ends_with("List me in the directory,Parcours,Sessions"),
        "{}",
        lines[0]
    );
    assert!(lines[1].contains("validée,,participant,"), "{}", lines[1]);
    assert!(
        lines[1].ends_with(",oui,Regions,Panels; B2B"),
        "{}",
        lines[1]
    );
    assert!(
        lines[3].starts_with("\"'=HYPERLINK("),
        "neutralised: {}",
        lines[3]
    );
    let only_pending = organiser
        .get("/api/conferences/ecc/registrations.csv?status=pending")
        .await;
    assert_eq!(
        only_pending.text.lines().count(),
        1,
        "the filter applies: nobody is pending"
    );

    let mut attendee = crowd.remove(0);
    let refused = attendee
        .put("/api/conferences/ecc/registration-questions", json!([]))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        attendee
            .get("/api/conferences/ecc/registrations.csv")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

/// Posts a CSV file to the import, `query` after the `?`.
async fn import(organiser: &mut Client, query: &str, csv: &str) -> crate::helpers::Reply {
    let cookies: Vec<String> = organiser
        .cookies
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    let request = axum::http::Request::builder()
        .method("POST")
        .uri(format!("/api/conferences/ecc/registrations/import?{query}"))
        .header("content-type", "text/csv")
        .header("cookie", cookies.join("; "))
        .body(axum::body::Body::from(csv.to_owned()))
        .unwrap();
    organiser.send(request).await
}

#[sqlx::test(migrations = "../migrations")]
async fn a_csv_import_reports_bad_rows_by_line_and_imports_all_or_only_the_good_ones(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    settings(&mut organiser, true, json!(3), "automatic").await;
    organiser
        .post(
            "/api/conferences/ecc/delegations",
            json!({"name": "Bourgogne-Franche-Comté", "seats": 1}),
        )
        .await;
    let mut anna = people(&state, "anna", 1).await.pop().unwrap();
    let csv = "email,name,organisation,country,delegation,language\n\
               Anna0@cluster.eu,Anna Peeters,Flanders' FOOD,BE,,nl\n\
               not-an-address,Nobody,,,,\n\
               marc@pole.fr,Marc Durand,Pôle Véhicule du Futur,FR,bourgogne-franche-comté,fr\n\
               lea@cluster.eu,,,XX,Nowhere,\n\
               ines@cluster.pt,Inês Carvalho,,PT,,pt\n\
               jan@cluster.de,Jan Weber,,DE,,de\n\
               sara@cluster.it,Sara Conti,,IT,,\n";
    let registrations = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from registrations")
            .fetch_one(&state.db)
            .await
            .unwrap()
    };

    // A file with bad rows imports nothing, and says which lines and why.
    let refused = import(&mut organiser, "", csv).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    let fields: Vec<&str> = refused.body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|field| field["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "rows.3.email",
            "rows.5.name",
            "rows.5.country",
            "rows.5.delegation"
        ]
    );
    assert_eq!(registrations().await, 0, "nothing imported");
    let unknown = import(&mut organiser, "", "email,name,phone\na@b.eu,A,1\n").await;
    assert_eq!(
        unknown.body["error"]["fields"][0]["field"], "rows.1",
        "{}",
        unknown.text
    );

    // Asked to, it imports the good rows: the delegation's seat, then the open seats (3 in
    // all, 1 held for the delegation), then the waitlist, in the file's order.
    let imported = import(&mut organiser, "skip_bad_rows=true", csv).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.text);
    assert_eq!(imported.body["registered"], 5);
    assert_eq!(imported.body["accounts_created"], 4, "anna0 had an account");
    assert_eq!(imported.body["approved"], 3);
    assert_eq!(imported.body["waitlisted"], 2);
    assert_eq!(imported.body["skipped"].as_array().unwrap().len(), 4);
    assert_eq!(my_role(&mut anna).await, "attendee");
    let statuses: Vec<(String, String)> = sqlx::query_as(
        "select u.email, r.status::text from registrations r join users u on u.id = r.user_id
         order by r.status, r.waitlisted_at, u.email",
    )
    .fetch_all(&state.db)
    .await
    .unwrap();
    let expected = [
        ("anna0@cluster.eu", "approved"),
        ("ines@cluster.pt", "approved"),
        ("marc@pole.fr", "approved"),
        ("jan@cluster.de", "waitlisted"),
        ("sara@cluster.it", "waitlisted"),
    ];
    assert_eq!(
        statuses,
        expected.map(|(e, s)| (e.to_owned(), s.to_owned()))
    );
    let mailed: Vec<(String, String, String)> =
        sqlx::query_as("select to_email, template, language from outbox order by to_email")
            .fetch_all(&state.db)
            .await
            .unwrap();
    assert_eq!(mailed.len(), 5);
    assert!(mailed.contains(&(
        "anna0@cluster.eu".into(),
        "registration.approved".into(),
        "nl".into()
    )));
    assert!(mailed.contains(&(
        "marc@pole.fr".into(),
        "registration.invitation".into(),
        "fr".into()
    )));
    assert!(mailed.contains(&(
        "ines@cluster.pt".into(),
        "registration.invitation".into(),
        "en".into()
    )));

    // The invitation's link sets the new account's password, once.
    let text: String =
        sqlx::query_scalar("select text_body from outbox where to_email = 'marc@pole.fr'")
            .fetch_one(&state.db)
            .await
            .unwrap();
    let token: String = text[text.find("token=").unwrap() + 6..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let mut marc = Client::new(&state);
    let before = marc
        .post(
            "/api/auth/login",
            json!({"email": "marc@pole.fr", "password": "flax-and-hemp-2027"}),
        )
        .await;
    assert_eq!(
        before.status,
        StatusCode::UNAUTHORIZED,
        "no password until it is set"
    );
    let set = marc
        .post(
            "/api/auth/set-password",
            json!({"token": token, "password": "flax-and-hemp-2027"}),
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.text);
    let login = marc
        .post(
            "/api/auth/login",
            json!({"email": "marc@pole.fr", "password": "flax-and-hemp-2027"}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.text);
    assert_eq!(my_role(&mut marc).await, "attendee");

    // The same file again changes nobody.
    let again = import(&mut organiser, "skip_bad_rows=true", csv).await;
    assert_eq!(again.body["registered"], 0, "{}", again.text);
    assert_eq!(again.body["already_registered"], 5);
    let mut attendee = anna;
    assert_eq!(
        import(&mut attendee, "", csv).await.status,
        StatusCode::FORBIDDEN
    );
}

//! What the people who run a session see of it: who came (`presence.attendance`, first and
//! last seen, here now) and its downloads — questions with votes as CSV and Markdown, the
//! polls' results and the attendance as CSV — in the reader's language, for moderators only.

use std::time::Duration;

use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::*;

/// `presence.attendance` once it shows `came` people of whom `here` are here now.
async fn attendance_when(client: &mut Client, room: &str, came: u64, here: u64) -> Value {
    for _ in 0..50 {
        let answer = client.command(room, "presence.attendance", json!({})).await;
        let data = &answer["data"];
        if data["came"] == came && data["here_now"] == here {
            return data.clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the attendance never showed {came} people, {here} here");
}

#[sqlx::test(migrations = "../migrations")]
async fn moderators_see_who_came_first_and_last_seen(db: PgPool) {
    let app = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (_, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    let (_, bo_token) = member_user(&app, conference, "Bo", "attendee").await;
    let (_, mo_token) = member_user(&app, conference, "Mo", "moderator").await;
    // One after the other, so that each is first seen after the one before.
    let mut mo = Client::connect(&app, &mo_token).await;
    mo.subscribe(&room, None).await;
    attendance_when(&mut mo, &room, 1, 1).await;
    let mut ana = Client::connect(&app, &ana_token).await;
    ana.subscribe(&room, None).await;
    attendance_when(&mut mo, &room, 2, 2).await;
    let mut bo = Client::connect(&app, &bo_token).await;
    bo.subscribe(&room, None).await;
    attendance_when(&mut mo, &room, 3, 3).await;

    // Bo leaves: still among those who came, no longer here.
    bo.close().await;
    let came = attendance_when(&mut mo, &room, 3, 2).await;
    let people = came["people"].as_array().unwrap();
    let names: Vec<&str> = people
        .iter()
        .map(|person| person["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Mo", "Ana", "Bo"], "in order of arrival");
    let bo_row = &people[2];
    assert_eq!(bo_row["here"], false);
    assert!(bo_row["last_seen"].as_str() >= bo_row["first_seen"].as_str());

    // Attendees do not see who came.
    let refused = ana.command(&room, "presence.attendance", json!({})).await;
    assert_eq!(error_code(&refused), ("error", "forbidden"));

    // Back again: here now, and still first seen when they first came.
    let mut bo = Client::connect(&app, &bo_token).await;
    bo.subscribe(&room, None).await;
    let again = attendance_when(&mut mo, &room, 3, 3).await;
    assert_eq!(again["people"][2]["first_seen"], bo_row["first_seen"]);
}

/// The body of an HTTP response, and its status.
async fn download(app: &TestApp, path: &str, token: &str) -> (u16, String, String) {
    let response = raw_http(app, "GET", path, Some(token), None).await;
    let status = response[9..12].parse().unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    (status, head.to_lowercase(), body.to_owned())
}

#[sqlx::test(migrations = "../migrations")]
async fn moderators_download_questions_polls_and_attendance_in_their_language(db: PgPool) {
    let app = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let session: Uuid = room.trim_start_matches("session:").parse().unwrap();
    let (_, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    let (_, bo_token) = member_user(&app, conference, "=Bo", "attendee").await;
    let (mo_id, mo_token) = member_user(&app, conference, "Mo", "moderator").await;
    let mut ana = Client::connect(&app, &ana_token).await;
    ana.subscribe(&room, None).await;
    let mut bo = Client::connect(&app, &bo_token).await;
    bo.subscribe(&room, None).await;
    let mut mo = Client::connect(&app, &mo_token).await;
    mo.subscribe(&room, None).await;

    let ask = |body: &str, anonymous: bool| json!({"body": body, "language": "fr", "anonymous": anonymous});
    let first = ana
        .command(
            &room,
            "qa.ask",
            ask("Quel *avenir* pour les clusters ?", false),
        )
        .await;
    let formula = bo
        .command(&room, "qa.ask", ask("=HYPERLINK(\"x\")", true))
        .await;
    let first_id = first["data"]["id"].clone();
    assert_eq!(formula["type"], "ack", "{formula}");
    for client in [&mut bo, &mut mo] {
        let voted = client
            .command(&room, "qa.upvote", json!({"id": first_id}))
            .await;
        assert_eq!(voted["type"], "ack", "{voted}");
    }
    mo.subscribe(&backstage_of(&room), None).await;
    let poll = mo
        .command(
            &backstage_of(&room),
            "poll.create",
            json!({"question": "Cross-border?", "options": ["Yes", "No", "-1"]}),
        )
        .await;
    let poll_id = poll["data"]["id"].clone();
    mo.command(&room, "poll.open", json!({"id": poll_id})).await;
    for (client, choice) in [(&mut ana, 0), (&mut bo, 0), (&mut mo, 1)] {
        let answered = client
            .command(
                &room,
                "poll.answer",
                json!({"id": poll_id, "choices": [choice]}),
            )
            .await;
        assert_eq!(answered["type"], "ack", "{answered}");
    }

    let base = format!("/api/conferences/{conference}/sessions/{session}");
    let (status, head, csv) =
        download(&app, &format!("{base}/questions.csv?lang=fr"), &mo_token).await;
    assert_eq!(status, 200, "{csv}");
    assert!(head.contains("content-type: text/csv"), "{head}");
    assert!(head.contains("attachment; filename="), "{head}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "Question,Votes,Statut,Langue,Posée par,Anonyme,Modifiée,Posée le (UTC)"
    );
    assert!(
        lines[1].starts_with("Quel *avenir* pour les clusters ?,2,approuvée,fr,Ana,non,non,"),
        "{csv}"
    );
    // A spreadsheet would run these as formulas: neutralised. Moderators see who asked.
    assert!(
        lines[2].starts_with("\"'=HYPERLINK(\"\"x\"\")\",0,approuvée,fr,'=Bo,oui,non,"),
        "{csv}"
    );

    let (status, _, markdown) =
        download(&app, &format!("{base}/questions.md?lang=en"), &mo_token).await;
    assert_eq!(status, 200);
    assert!(markdown.starts_with("# Questions — "), "{markdown}");
    assert!(
        markdown.contains(
            "1. **Quel \\*avenir\\* pour les clusters ?** · 2 votes · approved · Ana · `fr`"
        ),
        "{markdown}"
    );
    assert!(markdown.contains("· =Bo (anonymous) ·"), "{markdown}");

    let (status, _, polls) = download(&app, &format!("{base}/polls.csv?lang=de"), &mo_token).await;
    assert_eq!(status, 200);
    let rows: Vec<&str> = polls.lines().collect();
    assert_eq!(
        rows,
        [
            "Umfrage,Status,Option,Antworten,Prozent der Teilnehmenden,Teilnehmende",
            "Cross-border?,offen,Yes,2,66.7,3",
            "Cross-border?,offen,No,1,33.3,3",
            "Cross-border?,offen,'-1,0,0.0,3",
        ]
    );

    let (status, _, attendance) =
        download(&app, &format!("{base}/attendance.csv"), &mo_token).await;
    assert_eq!(status, 200);
    assert!(
        attendance.starts_with("Name,First seen (UTC),Last seen (UTC),Here now"),
        "{attendance}"
    );

    // Attendees may not download; a bad language is refused; another conference's slug
    // does not reach the session.
    for file in [
        "questions.csv",
        "questions.md",
        "polls.csv",
        "attendance.csv",
    ] {
        let (status, _, _) = download(&app, &format!("{base}/{file}"), &ana_token).await;
        assert_eq!(status, 403, "{file}");
    }
    let (status, _, body) = download(
        &app,
        &format!("{base}/questions.csv?lang=french"),
        &mo_token,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let other = crate::helpers::conference(&db).await;
    member(&db, other, mo_id, "organiser").await;
    let (status, _, _) = download(
        &app,
        &format!("/api/conferences/{other}/sessions/{session}/questions.csv"),
        &mo_token,
    )
    .await;
    assert_eq!(status, 404);
}

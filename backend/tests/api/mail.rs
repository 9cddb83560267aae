//! E-mail through the outbox, delivered to a real SMTP listener started by the test: written
//! with the change, kept through a crash before sending, sent once, retried after a failure.

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use serde_json::json;
use sqlx::PgPool;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use viaduc::mail::{Sender, SmtpSettings};

use crate::helpers::{conference_with_organiser, state, Client};

/// A local SMTP server that accepts every message and keeps it.
struct SmtpSink {
    url: String,
    messages: Arc<Mutex<Vec<String>>>,
}

async fn smtp_sink() -> SmtpSink {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let messages = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&messages);
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let kept = Arc::clone(&kept);
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ready\r\n").await.unwrap();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.split(' ').next().unwrap_or_default().to_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "DATA" => {
                            write.write_all(b"354 go ahead\r\n").await.unwrap();
                            let mut message = Vec::new();
                            while let Ok(Some(line)) = lines.next_line().await {
                                if line == "." {
                                    break;
                                }
                                message.push(line);
                            }
                            kept.lock().unwrap().push(message.join("\n"));
                            b"250 kept\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(answer).await.unwrap();
                }
            });
        }
    });
    SmtpSink { url, messages }
}

fn sender(db: &PgPool, url: &str) -> Sender {
    let settings = SmtpSettings {
        url: url.to_owned(),
        from: "Viaduc <no-reply@viaduc.test>".to_owned(),
    };
    Sender::new(db.clone(), &settings, "http://viaduc.test").unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_registration_is_mailed_once_even_across_a_crash_before_sending(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    let mut anna = Client::new(&state);
    anna.signup("anna@cluster.eu", "Anna Peeters").await;
    let mut marie = Client::new(&state);
    marie.signup("marie@cluster.eu", "Marie Durand").await;
    for (client, language) in [(&mut anna, "en"), (&mut marie, "fr")] {
        let reply = client
            .post(
                "/api/conferences/ecc/registration",
                json!({"language": language}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    }

    // Committed with the registrations, and nothing sent yet: as if the node died right
    // after the commit. The organisers see the messages waiting, in each one's language.
    let outbox = organiser.get("/api/conferences/ecc/outbox").await;
    assert_eq!(outbox.status, StatusCode::OK, "{}", outbox.text);
    assert_eq!(outbox.body["waiting"], 2);
    let subjects: Vec<&str> = outbox.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|message| message["subject"].as_str().unwrap())
        .collect();
    assert!(
        subjects.contains(&"You are registered: European Cluster Conference"),
        "{subjects:?}"
    );
    assert!(
        subjects.contains(&"Vous êtes inscrit·e : Conférence européenne des clusters"),
        "{subjects:?}"
    );
    assert!(outbox.body["messages"][0]["text"]
        .as_str()
        .unwrap()
        .contains("http://viaduc.test/c/ecc"));

    // Another node starts (or this one again) and sends them, once.
    let sink = smtp_sink().await;
    let node = sender(&state.db, &sink.url);
    assert_eq!(node.send_due().await.unwrap(), 2);
    assert_eq!(node.send_due().await.unwrap(), 0, "nothing is sent twice");
    let messages = sink.messages.lock().unwrap().clone();
    assert_eq!(messages.len(), 2);
    let to_anna = messages
        .iter()
        .find(|m| m.contains("anna@cluster.eu"))
        .unwrap();
    assert!(
        to_anna.contains("Subject: You are registered: European Cluster Conference"),
        "{to_anna}"
    );
    assert!(
        to_anna.contains("http://viaduc.test/c/ecc"),
        "the link carries the public address"
    );
    assert!(to_anna.contains("text/html"), "a text and an HTML version");
    let waiting = organiser.get("/api/conferences/ecc/outbox").await.body["waiting"].clone();
    assert_eq!(waiting, 0);
    // Attendees do not read the outbox.
    assert_eq!(
        anna.get("/api/conferences/ecc/outbox").await.status,
        StatusCode::FORBIDDEN
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_failed_send_is_retried_later_and_a_dead_senders_claim_runs_out(db: PgPool) {
    let state = state(db);
    let _organiser = conference_with_organiser(&state).await;
    let mut anna = Client::new(&state);
    anna.signup("anna@cluster.eu", "Anna Peeters").await;
    anna.post("/api/conferences/ecc/registration", json!({}))
        .await;

    // Nobody listens on this port: the attempt fails and is put off.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let nowhere = format!("smtp://{}", closed.local_addr().unwrap());
    drop(closed);
    assert_eq!(sender(&state.db, &nowhere).send_due().await.unwrap(), 0);
    let row: (i32, bool, bool) = sqlx::query_as(
        "select attempts, last_error is not null, next_attempt_at > now() from outbox",
    )
    .fetch_one(&state.db)
    .await
    .unwrap();
    assert_eq!(row, (1, true, true));

    // Its time comes; meanwhile a sender claimed it and died mid-send (its lease ran out).
    sqlx::query(
        "update outbox set next_attempt_at = now(), claimed_until = now() - interval '1 second'",
    )
    .execute(&state.db)
    .await
    .unwrap();
    let sink = smtp_sink().await;
    assert_eq!(sender(&state.db, &sink.url).send_due().await.unwrap(), 1);
    assert_eq!(sink.messages.lock().unwrap().len(), 1);
    let sent: (i32, bool) = sqlx::query_as("select attempts, sent_at is not null from outbox")
        .fetch_one(&state.db)
        .await
        .unwrap();
    assert_eq!(sent, (2, true));

    // A claim still running is left alone.
    sqlx::query("update outbox set sent_at = null, claimed_until = now() + interval '1 minute'")
        .execute(&state.db)
        .await
        .unwrap();
    assert_eq!(sender(&state.db, &sink.url).send_due().await.unwrap(), 0);
}

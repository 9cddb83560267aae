//! Registrations imported from a spreadsheet: one row per person (`email`, `name`, and
//! optionally `organisation`, `cluster`, `country`, `delegation`, `language`). People without
//! an account get one, with an invitation e-mailed to set its password; everyone imported is
//! registered — approved while seats last (their delegation's, or open ones), waitlisted in
//! the file's order after. Every bad row is reported with its line number and why; a file
//! with a bad row imports nothing, unless the organiser asks to skip the bad rows. The whole
//! import is one transaction, written with a handful of set-wise statements (5,000 rows in
//! seconds, `BENCHMARKS.md`).

use std::collections::{HashMap, HashSet};

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::ValidateEmail;

use super::mail::{mail_language, InvitationMail, StatusMail};
use super::seats::{self, lock_rules, RegistrationStatus};
use crate::auth::normalise_email;
use crate::auth::password::DUMMY_HASH;
use crate::auth::reset::{self, Purpose};
use crate::conference::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ErrorBody, FieldError, Problem};
use crate::http::{AfterRoleCheck, AppQuery};
use crate::mail::{self, Email};
use crate::profiles::is_country_code;
use crate::text::{is_language_code, LocalizedText};

/// Most rows in one file.
const MAX_ROWS: usize = 10_000;
/// Most bad rows reported.
const MAX_REPORTED: usize = 500;
const COLUMNS: [&str; 7] = [
    "email",
    "name",
    "organisation",
    "cluster",
    "country",
    "delegation",
    "language",
];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportOptions {
    /// Import the good rows of a file with bad ones (reported), instead of nothing.
    #[serde(default)]
    pub skip_bad_rows: bool,
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    /// Rows registered by this import.
    pub registered: usize,
    /// Of them, people who had no account: each was sent an invitation.
    pub accounts_created: usize,
    pub approved: usize,
    pub waitlisted: usize,
    /// Rows of people already registered, left as they were.
    pub already_registered: usize,
    /// The bad rows skipped, each named `rows.<line>.<column>`.
    pub skipped: Vec<FieldError>,
}

/// One good row.
struct Row {
    line: usize,
    email: String,
    name: String,
    organisation: String,
    cluster: String,
    country: Option<String>,
    delegation: Option<Uuid>,
    language: &'static str,
}

/// Imports registrations from CSV (the first line names the columns). Organisers only.
#[utoipa::path(post, path = "/api/conferences/{slug}/registrations/import", tag = "registrations",
    operation_id = "import_registrations",
    params(ConferenceSlug, ImportOptions),
    request_body(content = String, content_type = "text/csv",
        description = "Columns `email`, `name` (required), `organisation`, `cluster`, `country`, `delegation` (a delegation's name), `language`; at most 10,000 rows"),
    responses((status = 200, description = "Imported", body = ImportReport),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 422, description = "Bad rows, by line (nothing imported), or no usable header", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn import(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    options: AfterRoleCheck<AppQuery<ImportOptions>>,
    body: axum::body::Bytes,
) -> AppResult<Json<ImportReport>> {
    access.require(ConferenceRole::Organiser)?;
    let AppQuery(options) = options?;
    // Read as bytes, so that only organisers learn what is wrong with a file, in our error body.
    let body = std::str::from_utf8(&body)
        .map_err(|_| AppError::BadRequest("the file is not UTF-8 text".to_owned()))?;
    let delegations: HashMap<String, Uuid> = sqlx::query!(
        "select id, name from delegations where conference_id = $1",
        access.conference_id
    )
    .fetch_all(&db)
    .await?
    .into_iter()
    .map(|row| (row.name.to_lowercase(), row.id))
    .collect();
    let (rows, mut bad) = parse(body, &delegations)?;
    if !bad.is_empty() && !options.skip_bad_rows {
        bad.truncate(MAX_REPORTED);
        return Err(AppError::invalid(bad));
    }
    let mut report = write(&db, &access, rows).await?;
    bad.truncate(MAX_REPORTED);
    report.skipped = bad;
    Ok(Json(report))
}

/// The file's good rows and the problems of its bad ones.
fn parse(
    body: &str,
    delegations: &HashMap<String, Uuid>,
) -> AppResult<(Vec<Row>, Vec<FieldError>)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|error| {
            AppError::field(
                "rows.1",
                Problem::Invalid {
                    detail: error.to_string(),
                },
            )
        })?
        .iter()
        .map(str::to_lowercase)
        .collect();
    if let Some(unknown) = header.iter().find(|name| !COLUMNS.contains(&name.as_str())) {
        let detail = format!(
            "unknown column `{unknown}`: the columns are {}",
            COLUMNS.join(", ")
        );
        return Err(AppError::field("rows.1", Problem::Invalid { detail }));
    }
    for required in ["email", "name"] {
        if !header.iter().any(|name| name == required) {
            return Err(AppError::field(
                &format!("rows.1.{required}"),
                Problem::Required,
            ));
        }
    }
    let column = |record: &csv::StringRecord, name: &str| {
        header
            .iter()
            .position(|column| column == name)
            .and_then(|index| record.get(index))
            .unwrap_or_default()
            .to_owned()
    };
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    let mut seen = HashSet::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        if index >= MAX_ROWS {
            bad.push(Problem::TooMany { max: MAX_ROWS }.on("rows"));
            break;
        }
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                bad.push(
                    Problem::Invalid {
                        detail: error.to_string(),
                    }
                    .on(format!("rows.{line}")),
                );
                continue;
            }
        };
        let field = |name: &str| format!("rows.{line}.{name}");
        let mut problems = Vec::new();
        let email = normalise_email(&column(&record, "email"));
        if email.is_empty() {
            problems.push(Problem::Required.on(field("email")));
        } else if email.len() > 254 || !email.validate_email() {
            problems.push(Problem::Email.on(field("email")));
        } else if !seen.insert(email.clone()) {
            problems.push(Problem::Duplicate.on(field("email")));
        }
        let name = column(&record, "name");
        if name.is_empty() {
            problems.push(Problem::Required.on(field("name")));
        }
        for (column_name, max) in [("name", 100), ("organisation", 200), ("cluster", 200)] {
            if column(&record, column_name).chars().count() > max {
                problems.push(Problem::TooLong { max }.on(field(column_name)));
            }
        }
        let country = column(&record, "country").to_uppercase();
        if !country.is_empty() && !is_country_code(&country) {
            problems.push(Problem::CountryCode.on(field("country")));
        }
        let delegation_name = column(&record, "delegation");
        let delegation = delegations.get(&delegation_name.to_lowercase()).copied();
        if !delegation_name.is_empty() && delegation.is_none() {
            let detail = "no delegation of this conference has this name".to_owned();
            problems.push(Problem::Invalid { detail }.on(field("delegation")));
        }
        let language = column(&record, "language").to_lowercase();
        if !language.is_empty() && !is_language_code(&language) {
            problems.push(
                Problem::LanguageCode {
                    value: language.clone(),
                }
                .on(field("language")),
            );
        }
        if !problems.is_empty() {
            bad.extend(problems);
            continue;
        }
        rows.push(Row {
            line,
            email,
            name,
            organisation: column(&record, "organisation"),
            cluster: column(&record, "cluster"),
            country: (!country.is_empty()).then_some(country),
            delegation,
            language: mail_language(&language),
        });
    }
    Ok((rows, bad))
}

/// Registers the rows, in one transaction under the conference's lock.
async fn write(db: &PgPool, access: &ConferenceAccess, rows: Vec<Row>) -> AppResult<ImportReport> {
    let mut tx = db.begin().await?;
    let rules = lock_rules(&mut tx, access.conference_id).await?;
    let conference = sqlx::query!(
        r#"select slug, title as "title: LocalizedText", time_zone from conferences where id = $1"#,
        access.conference_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let emails: Vec<String> = rows.iter().map(|row| row.email.clone()).collect();
    let known: HashMap<String, Uuid> = sqlx::query!(
        "select id, email from users where email = any ($1)",
        &emails
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|user| (user.email, user.id))
    .collect();
    let registered: HashSet<Uuid> = sqlx::query_scalar!(
        "select user_id from registrations
         where conference_id = $1 and user_id = any ($2) and status not in ('cancelled', 'rejected')",
        access.conference_id,
        &known.values().copied().collect::<Vec<_>>()
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();

    // New accounts, their profiles, and an invitation each.
    let fresh: Vec<(&Row, Uuid)> = rows
        .iter()
        .filter(|row| !known.contains_key(&row.email))
        .map(|row| (row, Uuid::new_v4()))
        .collect();
    let column =
        |take: fn(&Row) -> String| fresh.iter().map(|(row, _)| take(row)).collect::<Vec<_>>();
    let fresh_ids: Vec<Uuid> = fresh.iter().map(|(_, id)| *id).collect();
    sqlx::query!(
        "insert into users (id, email, display_name, password_hash)
         select id, email, name, $4 from unnest ($1::uuid[], $2::text[], $3::text[]) as new (id, email, name)",
        &fresh_ids,
        &column(|row| row.email.clone()),
        &column(|row| row.name.trim().to_owned()),
        DUMMY_HASH
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into profiles (user_id, organisation, cluster, country)
         select * from unnest ($1::uuid[], $2::text[], $3::text[], $4::text[])",
        &fresh_ids,
        &column(|row| row.organisation.clone()),
        &column(|row| row.cluster.clone()),
        &fresh
            .iter()
            .map(|(row, _)| row.country.clone())
            .collect::<Vec<_>>() as &[Option<String>]
    )
    .execute(&mut *tx)
    .await?;
    let title_in = |language: &str| conference.title.best(&[language, "en"]).to_owned();
    let mut emails_out: Vec<Email> = Vec::with_capacity(rows.len());
    for (row, user_id) in &fresh {
        let token = reset::issue(&mut tx, *user_id, Purpose::Invitation).await?;
        emails_out.push(
            InvitationMail {
                conference_id: access.conference_id,
                conference_title: &title_in(row.language),
                to_email: &row.email,
                to_name: row.name.trim(),
                language: row.language,
                link: &reset::link(&token),
            }
            .email(),
        );
    }

    // Their registrations: on their delegation's seats while it has some, then on open
    // seats while they last, then on the waitlist, in the file's order.
    let seats_now = seats::count(&mut tx, &rules).await?;
    let mut open = seats_now.open;
    let mut delegation_left: HashMap<Uuid, i64> = sqlx::query!(
        r#"select d.id, d.seats - (select count(*) from registrations r
                                    where r.delegation_id = d.id and r.delegation_seat
                                      and r.status in ('approved', 'offered')) as "left!"
           from delegations d where d.conference_id = $1"#,
        access.conference_id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|row| (row.id, row.left))
    .collect();
    let waiting_before = seats_now.waitlisted > 0;
    let mut report = ImportReport {
        registered: 0,
        accounts_created: fresh.len(),
        approved: 0,
        waitlisted: 0,
        already_registered: 0,
        skipped: Vec::new(),
    };
    let ids_of: HashMap<&str, Uuid> = fresh
        .iter()
        .map(|(row, id)| (row.email.as_str(), *id))
        .collect();
    let (
        mut user_ids,
        mut statuses,
        mut delegation_ids,
        mut on_delegation_seat,
        mut languages,
        mut lines,
    ) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for row in &rows {
        let user_id = known
            .get(&row.email)
            .or_else(|| ids_of.get(row.email.as_str()))
            .copied();
        let Some(user_id) = user_id else { continue };
        if registered.contains(&user_id) {
            report.already_registered += 1;
            continue;
        }
        let delegation_seat = row
            .delegation
            .and_then(|id| delegation_left.get_mut(&id))
            .is_some_and(|left| {
                let free = *left > 0;
                *left -= i64::from(free);
                free
            });
        let open_seat = !delegation_seat && !waiting_before && open.is_none_or(|left| left > 0);
        if open_seat {
            open = open.map(|left| left - 1);
        }
        let status = if delegation_seat || open_seat {
            report.approved += 1;
            RegistrationStatus::Approved
        } else {
            report.waitlisted += 1;
            RegistrationStatus::Waitlisted
        };
        user_ids.push(user_id);
        statuses.push(status);
        delegation_ids.push(row.delegation);
        on_delegation_seat.push(delegation_seat);
        languages.push(row.language.to_owned());
        lines.push(i64::try_from(row.line).unwrap_or(i64::MAX));
        if known.contains_key(&row.email) {
            let time_zone = conference.time_zone.parse().unwrap_or(chrono_tz::UTC);
            emails_out.push(
                StatusMail {
                    conference_id: access.conference_id,
                    slug: &conference.slug,
                    conference_title: &title_in(row.language),
                    time_zone,
                    to_email: &row.email,
                    to_name: row.name.trim(),
                    language: row.language,
                    status,
                    offer_expires_at: None,
                }
                .email(),
            );
        }
    }
    report.registered = user_ids.len();
    // A person who cancelled or was declined before is registered again by the import.
    sqlx::query!(
        r#"insert into registrations (id, conference_id, user_id, status, delegation_id, delegation_seat, language, waitlisted_at)
           select gen_random_uuid(), $1, new.user_id, new.status, new.delegation_id, new.seat, new.language,
                  case when new.status = 'waitlisted' then now() + new.line * interval '1 microsecond' end
           from unnest ($2::uuid[], $3::registration_status[], $4::uuid[], $5::bool[], $6::text[], $7::bigint[])
                as new (user_id, status, delegation_id, seat, language, line)
           on conflict (conference_id, user_id) do update
             set status = excluded.status, delegation_id = excluded.delegation_id,
                 delegation_seat = excluded.delegation_seat, language = excluded.language,
                 waitlisted_at = excluded.waitlisted_at, offer_expires_at = null,
                 answers = '{}', created_at = now(), updated_at = now()"#,
        access.conference_id,
        &user_ids,
        &statuses as &[RegistrationStatus],
        &delegation_ids as &[Option<Uuid>],
        &on_delegation_seat,
        &languages,
        &lines
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into conference_members (conference_id, user_id, role)
         select $1, user_id, 'attendee' from unnest ($2::uuid[], $3::registration_status[]) as new (user_id, status)
         where status = 'approved'
         on conflict (conference_id, user_id) do nothing",
        access.conference_id,
        &user_ids,
        &statuses as &[RegistrationStatus]
    )
    .execute(&mut *tx)
    .await?;
    mail::enqueue_all(&mut *tx, &emails_out).await?;
    crate::audit::record(
        &mut *tx,
        access.conference_id,
        access.user.id,
        "registration.import",
        serde_json::json!({
            "registered": report.registered,
            "accounts_created": report.accounts_created,
            "approved": report.approved,
            "waitlisted": report.waitlisted,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

//! The OpenAPI 3.1 document, assembled from the `#[utoipa::path]` annotations of every route.

use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Viaduc API",
        description = "REST API of Viaduc, the platform for online European cluster conferences. \
                       Errors are `{\"error\": {\"code\", \"message\", \"fields\"}}`.",
        license(name = "AGPL-3.0-or-later")
    ),
    tags(
        (name = "auth", description = "Accounts and logins"),
        (name = "profiles", description = "Attendee profiles and the sector taxonomy"),
        (name = "conferences", description = "Conferences and their members"),
        (name = "sessions", description = "The agenda and personal schedules"),
        (name = "ops", description = "Health and readiness")
    )
)]
pub struct ApiDoc;

//! The root of the OpenAPI 3.1 document: its description, the tags of every feature, and
//! the two ways to present the access token of a login.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{Modify, OpenApi};

use crate::auth::ACCESS_COOKIE;
use crate::error::ErrorBody;

/// Name of the security scheme for the access-token cookie set by login.
const COOKIE_SCHEME: &str = "access_cookie";
/// Name of the security scheme for `Authorization: Bearer <access token>`.
const BEARER_SCHEME: &str = "bearer_token";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Viaduc API",
        description = "REST API of Viaduc, the platform for online European cluster conferences. \
                       Errors are `{\"error\": {\"code\", \"message\", \"fields\"}}`. \
                       Every route needs the access token (the cookie set by login, or a bearer \
                       token) unless it says `security: [{}]`.",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&SecuritySchemes),
    // COOKIE_SCHEME and BEARER_SCHEME (the macro takes only literals).
    security(("access_cookie" = []), ("bearer_token" = [])),
    components(schemas(ErrorBody)),
    tags(
        (name = "auth", description = "Accounts and logins"),
        (name = "profiles", description = "Attendee profiles and the sector taxonomy"),
        (name = "conferences", description = "Conferences and their members"),
        (name = "sessions", description = "The agenda and personal schedules"),
        (name = "realtime", description = "Tickets for the WebSocket at /ws"),
        (name = "ops", description = "Health and readiness")
    )
)]
pub struct ApiDoc;

/// Declares the two ways to present the access token.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            COOKIE_SCHEME,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                ACCESS_COOKIE,
                "The access token, set HttpOnly by login, signup and refresh.",
            ))),
        );
        components.add_security_scheme(
            BEARER_SCHEME,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "The same access token as the cookie, for clients that are not browsers.",
                    ))
                    .build(),
            ),
        );
    }
}

//! The root of the OpenAPI 3.1 document: its description, the tags of every feature, and
//! the two ways to present the access token of a login; and the finished document as the
//! frontend's REST types are generated from it.

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
        (name = "panels", description = "What the people who run a session download from it"),
        (name = "awards", description = "Elections: nominations, the shortlist, secret ballots, the result and its public board"),
        (name = "registrations", description = "The public conference page, registrations with approval, the waitlist and delegations"),
        (name = "workshops", description = "Working groups: seats and their waitlist"),
        (name = "outcomes", description = "The working groups' published syntheses, for members or, when the organisers choose, everyone"),
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

/// The finished document as committed in `frontend/src/lib/api/openapi.json`: pretty-printed
/// with every object's keys sorted, so a change to a route shows as a small diff.
pub fn committed_json() -> String {
    let (_, doc) = crate::api_routes_and_doc();
    let mut value = serde_json::to_value(doc).expect("the OpenAPI document is JSON");
    value.sort_all_objects();
    let mut text = serde_json::to_string_pretty(&value).expect("a JSON value prints");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    /// The frontend's REST types are generated from this file (`npm run gen:api`).
    #[test]
    fn openapi_json_is_up_to_date() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../frontend/src/lib/api/openapi.json"
        );
        let generated = super::committed_json();
        if std::env::var_os("UPDATE_OPENAPI").is_some() {
            std::fs::write(path, &generated).expect("frontend/src/lib/api/ is writable");
        }
        let on_disk = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            on_disk == generated,
            "{path} is stale; run: UPDATE_OPENAPI=1 cargo test -p viaduc openapi_json \
             && (cd frontend && npm run gen:api)"
        );
    }
}

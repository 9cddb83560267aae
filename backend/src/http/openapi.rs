//! The OpenAPI 3.1 document, assembled from the `#[utoipa::path]` annotations of every route,
//! with the security schemes and the error answers that follow from a route's shape.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    ContentBuilder, OpenApi as OpenApiDoc, Ref, RefOr, Response, ResponseBuilder,
};
use utoipa::{Modify, OpenApi};

use crate::auth::ACCESS_COOKIE;
use crate::error::ErrorBody;

/// Name of the security scheme for the access-token cookie set by login.
pub const COOKIE_SCHEME: &str = "session_cookie";
/// Name of the security scheme for `Authorization: Bearer <access token>`.
pub const BEARER_SCHEME: &str = "bearer_token";

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
    security(("session_cookie" = []), ("bearer_token" = [])),
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

/// Adds to every operation the error answers its shape implies, so no annotation can forget
/// them: the extractors give them before the handler runs.
/// - needs the access token (the document-wide `security`, not overridden): 401;
/// - has a path parameter: 404 (an unknown conference, a malformed id: see `AppPath`);
/// - has query parameters: 400 (a value that does not parse) and 422 (U+0000), see `AppQuery`;
/// - has a JSON body: 400 (missing, not JSON, or not `application/json`), 413 (over 1 MiB)
///   and 422 (JSON of the wrong shape, or U+0000 in a text), see `AppJson`.
pub fn add_implied_responses(openapi: &mut OpenApiDoc) {
    for item in openapi.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            add_to_operation(operation);
        }
    }
}

fn add_to_operation(operation: &mut Operation) {
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let has_path_parameter = parameters
        .iter()
        .any(|p| p.parameter_in == ParameterIn::Path);
    let has_query_parameter = parameters
        .iter()
        .any(|p| p.parameter_in == ParameterIn::Query);
    let has_json_body = operation
        .request_body
        .as_ref()
        .is_some_and(|body| body.content.contains_key("application/json"));
    let public = operation
        .security
        .as_ref()
        .is_some_and(|requirements| requirements.contains(&SecurityRequirement::default()));

    let mut implied = Vec::new();
    if !public {
        implied.push((
            "401",
            "Not logged in, or the access token is invalid or expired",
        ));
    }
    if has_path_parameter {
        implied.push((
            "404",
            "Nothing at this address (or not visible to the caller)",
        ));
    }
    if has_query_parameter || has_json_body {
        implied.push(("400", "The body or the query could not be read"));
    }
    if has_json_body {
        implied.push(("413", "The body is larger than 1 MiB"));
    }
    if has_query_parameter || has_json_body {
        implied.push(("422", "The input breaks a rule; `fields` says which"));
    }
    for (status, description) in implied {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| error_response(description));
    }
}

fn error_response(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
        .into()
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

//! The error answers that follow from a route's shape, added to the OpenAPI document
//! (which `api_doc` assembles from the `#[utoipa::path]` annotations of every route).

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{
    ContentBuilder, OpenApi as OpenApiDoc, Ref, RefOr, Response, ResponseBuilder,
};

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

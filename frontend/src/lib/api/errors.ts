// Generated from backend/src/error.rs by ts-rs. Do not edit.
// Regenerate: UPDATE_ERRORS_TS=1 cargo test -p viaduc errors_ts

export type ErrorBody = { error: ErrorDetail, };

export type ErrorDetail = { code: ErrorCode, 
/**
 * What went wrong, in English.
 */
message: string, 
/**
 * For `validation` (and `conflict` on one field): what is wrong with each field.
 */
fields?: Array<FieldError>, };

export type ErrorCode = "unauthorized" | "invalid_credentials" | "forbidden" | "not_found" | "conflict" | "validation" | "bad_request" | "payload_too_large" | "rate_limited" | "unavailable" | "internal";

export type FieldError = { 
/**
 * The field's name in the request body, e.g. `password` or `venue.city`.
 */
field: string, code: FieldCode, params?: FieldParams, 
/**
 * The problem in English, e.g. `must be at most 200 characters`.
 */
message: string, };

export type FieldCode = "required" | "required_in_a_language" | "too_short" | "too_long" | "out_of_range" | "too_many" | "duplicate" | "email" | "too_common" | "same_as_email" | "language_code" | "country_code" | "unknown_sector" | "time_zone" | "slug" | "web_address" | "ends_before_start" | "max_hours" | "max_days" | "outside_conference" | "not_member" | "taken" | "session_room" | "invalid";

export type FieldParams = { min?: number, max?: number, 
/**
 * The offending value, e.g. a language code.
 */
value?: string, 
/**
 * The conference's first day, `YYYY-MM-DD`.
 */
starts_on?: string, 
/**
 * The conference's last day, `YYYY-MM-DD`.
 */
ends_on?: string, };

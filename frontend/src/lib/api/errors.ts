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
fields?: Array<FieldError>, 
/**
 * For `conflict`: the clash's reason (absent when it concerns a field: see `fields`).
 */
conflict?: Conflict, };

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

export type Conflict = { reason: ConflictReason, 
/**
 * The limit reached, for the reasons that name one (`too_many_…`).
 */
max?: number, };

export type ConflictReason = "last_organiser" | "command_id_reused" | "too_many_questions" | "already_upvoted" | "not_upvoted" | "question_answered" | "only_pending_approved" | "question_hidden" | "only_listed_answering" | "only_listed_answered" | "merged_question_fixed" | "merge_into_itself" | "merge_target" | "too_many_polls" | "only_draft_edited" | "only_draft_opened" | "only_open_closed" | "poll_closed" | "poll_answered" | "hand_already_raised" | "hand_not_raised" | "not_invited" | "only_raised_invited" | "too_many_elections" | "election_closed" | "only_closing_time_while_voting" | "not_the_next_phase" | "too_few_candidates" | "empty_roll" | "nominations_closed" | "too_many_nominations" | "nominations_fixed" | "voting_not_open" | "roll_not_frozen" | "shortlist_fixed" | "shortlist_not_open" | "too_many_candidates" | "board_not_published" | "board_locked" | "too_many_sections" | "too_many_notes" | "keywords_section_takes_no_notes" | "merged_note_too_long" | "no_voting_round" | "voting_round_open" | "no_dots_left" | "no_dot_on_note" | "too_many_keywords" | "keyword_already_proposed" | "moderator_called_recently" | "synthesis_too_large" | "synthesis_not_empty" | "synthesis_empty" | "synthesis_unchanged" | "too_many_versions" | "rapporteur_not_in_group" | "conference_full" | "already_registered" | "already_member" | "registration_rejected" | "no_offer" | "decision_not_allowed" | "capacity_below_taken" | "delegation_seats_beyond_capacity" | "delegation_seats_in_use" | "link_expired";

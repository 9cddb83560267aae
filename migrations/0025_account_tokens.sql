-- Single-use links to set a password (`backend/src/auth/reset.rs`): a forgotten password's
-- reset, or an invitation to an account an organiser created. Only the token's SHA-256 is
-- kept; a link works once, until it expires.

create type account_token_purpose as enum ('password_reset', 'invitation');

create table account_tokens (
    token_hash bytea primary key,
    user_id uuid not null references users (id) on delete cascade,
    purpose account_token_purpose not null,
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null default now()
);
create index account_tokens_user_idx on account_tokens (user_id);

-- Panels: a session's moderated Q&A (`backend/src/panels/`).

-- What a session's moderators set for its Q&A.
create table qa_settings (
    session_id uuid primary key references sessions (id) on delete cascade,
    -- New questions wait for a moderator's approval before anyone else sees them.
    premoderation boolean not null default false
);

create type question_status as enum ('pending', 'approved', 'answering', 'answered', 'hidden', 'merged');

create table questions (
    id uuid primary key,
    session_id uuid not null references sessions (id) on delete cascade,
    author_id uuid not null references users (id) on delete cascade,
    body text not null check (char_length(body) between 1 and 500),
    -- The language it is asked in (ISO 639-1, such as `fr`).
    language text not null check (language ~ '^[a-z]{2}$'),
    -- Other attendees do not see who asked; moderators do.
    anonymous boolean not null,
    status question_status not null,
    -- A moderator corrected it (the author sees that it was edited).
    edited boolean not null default false,
    -- The question it was merged into, for a `merged` one.
    merged_into uuid references questions (id) on delete set null,
    created_at timestamptz not null default now(),
    constraint questions_merged_into check ((status = 'merged') = (merged_into is not null))
);
create index questions_session_idx on questions (session_id, created_at);
-- One question at a time is being answered.
create unique index questions_one_answering on questions (session_id) where status = 'answering';

-- One upvote per person per question: the primary key, not only a check.
create table question_votes (
    question_id uuid not null references questions (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    primary key (question_id, user_id)
);

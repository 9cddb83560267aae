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

-- Polls: drafted ahead by the session's moderators, opened and closed live.
create type poll_status as enum ('draft', 'open', 'closed');

create table polls (
    id uuid primary key,
    session_id uuid not null references sessions (id) on delete cascade,
    question text not null check (char_length(question) between 1 and 300),
    -- Several options may be chosen.
    multiple boolean not null,
    -- An answer may be changed until the poll closes.
    changeable boolean not null,
    status poll_status not null default 'draft',
    -- Everyone sees the results (moderators always do).
    results_shown boolean not null default false,
    created_at timestamptz not null default now()
);
create index polls_session_idx on polls (session_id, created_at);

create table poll_options (
    poll_id uuid not null references polls (id) on delete cascade,
    position smallint not null check (position between 0 and 9),
    label text not null check (char_length(label) between 1 and 200),
    primary key (poll_id, position)
);

-- One answer per person per poll: the primary key, not only a check.
create table poll_answers (
    poll_id uuid not null references polls (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    primary key (poll_id, user_id)
);

-- The options of an answer, each once (one for a single-choice poll).
create table poll_choices (
    poll_id uuid not null,
    user_id uuid not null,
    position smallint not null,
    primary key (poll_id, user_id, position),
    foreign key (poll_id, user_id) references poll_answers (poll_id, user_id) on delete cascade,
    foreign key (poll_id, position) references poll_options (poll_id, position) on delete cascade
);

-- A session's stage, as its moderators set it for every screen.
create type stage_state as enum ('upcoming', 'live', 'break', 'ended');

create table stages (
    session_id uuid primary key references sessions (id) on delete cascade,
    state stage_state not null default 'upcoming',
    -- Shown during a break ("back at 11:00").
    break_message text check (char_length(break_message) between 1 and 300),
    -- Pinned above the chat and the questions, for everyone.
    pinned text check (char_length(pinned) between 1 and 500),
    -- Where invited speakers join (a Jitsi or BigBlueButton room): only they see it.
    speakers_url text check (char_length(speakers_url) <= 2000 and speakers_url ~ '^https?://')
);

-- Raised hands, in the order they were raised.
create type hand_status as enum ('raised', 'invited', 'accepted');

create table hands (
    session_id uuid not null references sessions (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    status hand_status not null default 'raised',
    raised_at timestamptz not null default now(),
    primary key (session_id, user_id)
);
create index hands_queue_idx on hands (session_id, raised_at);

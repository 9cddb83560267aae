-- Working groups (`backend/src/workshops/`): seats and their waitlist, and the board the
-- group fills live: sections, sticky notes, dot-voting rounds and keywords.

-- A seat in a working-group session, or a place on its waitlist.
create type seat_status as enum ('seated', 'waitlisted');

create table workshop_seats (
    session_id uuid not null references sessions (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    status seat_status not null,
    -- First come, first promoted: the waitlist's order.
    queued_at timestamptz not null default clock_timestamp(),
    primary key (session_id, user_id)
);
create index workshop_seats_queue_idx on workshop_seats (session_id, status, queued_at);

-- One board per working-group session, made with its default sections when first entered.
create table boards (
    session_id uuid primary key references sessions (id) on delete cascade,
    -- Participants can no longer add, change or remove anything (facilitators still can).
    locked boolean not null default false,
    -- Members without a seat may read the board (not write on it).
    observers boolean not null default false,
    -- Keywords each participant may propose.
    keywords_per_person smallint not null default 3
        constraint boards_keywords_per_person check (keywords_per_person between 1 and 20),
    -- A visible countdown for a timed exercise.
    timer_ends_at timestamptz,
    timer_label text constraint boards_timer_label check (char_length(timer_label) <= 100),
    created_at timestamptz not null default now()
);

create type board_section_kind as enum ('notes', 'keywords');

create table board_sections (
    id uuid primary key,
    session_id uuid not null references boards (session_id) on delete cascade,
    position integer not null,
    kind board_section_kind not null,
    -- Per language: {"en": "Findings", "fr": "Constats"}.
    title jsonb not null,
    -- Prompt questions the facilitator seeds it with: a list of texts per language.
    prompts jsonb not null default '[]',
    constraint board_sections_position unique (session_id, position) deferrable initially deferred
);

create type note_colour as enum ('yellow', 'pink', 'blue', 'green', 'orange', 'purple');

create table board_notes (
    id uuid primary key,
    session_id uuid not null references boards (session_id) on delete cascade,
    section_id uuid not null references board_sections (id) on delete cascade,
    author_id uuid references users (id) on delete set null,
    body text not null constraint board_notes_body check (char_length(body) between 1 and 1000),
    -- The language it is written in (ISO 639-1).
    language text not null constraint board_notes_language check (language ~ '^[a-z]{2}$'),
    colour note_colour not null default 'yellow',
    pinned boolean not null default false,
    -- A facilitator's grouping of related notes ("Funding", "People").
    group_label text constraint board_notes_group_label check (char_length(group_label) between 1 and 60),
    -- Bumped by every change of its text: an edit based on an older version is told it
    -- replaced someone else's.
    version integer not null default 1,
    edited_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now()
);
create index board_notes_section_idx on board_notes (section_id, created_at);

-- What each person has written on a board: the bounds on notes and keywords, kept exact
-- under concurrency by this one row per person (each change locks it).
create table board_authors (
    session_id uuid not null references boards (session_id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    notes smallint not null default 0 constraint board_authors_notes check (notes between 0 and 200),
    keywords smallint not null default 0 constraint board_authors_keywords check (keywords between 0 and 20),
    primary key (session_id, user_id)
);

-- A dot-voting round: N dots per person, open until the facilitator closes it.
create table board_rounds (
    id uuid primary key,
    session_id uuid not null references boards (session_id) on delete cascade,
    dots smallint not null constraint board_rounds_dots check (dots between 1 and 20),
    opened_at timestamptz not null default now(),
    closed_at timestamptz
);
create unique index board_rounds_one_open on board_rounds (session_id) where closed_at is null;

-- Dots a person has spent in a round: the allowance, exact under concurrency (the row lock
-- serialises one person's dots; the update refuses past the round's `dots`).
create table board_voters (
    round_id uuid not null references board_rounds (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    spent smallint not null default 0 constraint board_voters_spent check (spent between 0 and 20),
    primary key (round_id, user_id)
);

-- Dots on a note, per person and round (several on one note allowed).
create table board_dots (
    round_id uuid not null references board_rounds (id) on delete cascade,
    note_id uuid not null references board_notes (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    dots smallint not null constraint board_dots_positive check (dots > 0),
    primary key (round_id, note_id, user_id)
);
create index board_dots_note_idx on board_dots (note_id);

-- Keywords proposed for the cloud, folded ("Décloisonnement" = "decloisonnement").
create table board_keywords (
    session_id uuid not null references boards (session_id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    folded text not null constraint board_keywords_folded check (char_length(folded) between 1 and 40),
    -- As the person wrote it; the cloud shows the most common spelling.
    word text not null constraint board_keywords_word check (char_length(word) between 1 and 40),
    created_at timestamptz not null default now(),
    primary key (session_id, user_id, folded)
);

-- The last time each person called a moderator to a board (once a minute at most).
create table board_calls (
    session_id uuid not null references boards (session_id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    called_at timestamptz not null default now(),
    primary key (session_id, user_id)
);

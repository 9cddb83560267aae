-- A working group's synthesis (`backend/src/workshops/synthesis/`): one collaborative
-- document per working-group session (a Yjs CRDT), who may write it, the versions
-- published from it, and whether a conference shows its outcomes publicly.

create table syntheses (
    session_id uuid primary key references sessions (id) on delete cascade,
    -- The whole document as one encoded Yjs update (lib0 v1), rewritten by every edit in
    -- the edit's own transaction; each edit also goes out as a durable room event.
    state bytea not null,
    -- Bounded by the server (`MAX_DOCUMENT_BYTES`); the constraint is the last word.
    constraint syntheses_state_size check (octet_length(state) <= 262144),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

-- The people the facilitators named to write the synthesis with them.
create table synthesis_rapporteurs (
    session_id uuid not null references sessions (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    named_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    primary key (session_id, user_id)
);

-- A published version: frozen Markdown, kept for good (later versions add rows).
create table synthesis_versions (
    session_id uuid not null references sessions (id) on delete cascade,
    number integer not null constraint synthesis_versions_number check (number > 0),
    markdown text not null
        constraint synthesis_versions_markdown check (char_length(markdown) between 1 and 262144),
    published_at timestamptz not null default now(),
    published_by uuid references users (id) on delete set null,
    -- Kept beside the id: the name stays on the version if the account goes.
    published_by_name text not null,
    primary key (session_id, number)
);

-- The organisers' choice: the Outcomes page is readable without logging in.
alter table conferences add column outcomes_public boolean not null default false;

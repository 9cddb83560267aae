-- The real-time core: the durable per-room event log, idempotent commands, private rooms,
-- presence across nodes, chat, announcements and notifications.

-- One row per room that ever had an event. `last_seq` is the head of the room's log; bumping
-- it takes the row lock, so seqs are handed out gaplessly and in commit order. `epoch`
-- changes when a room's log is reset, telling clients their positions are void.
create table rooms (
    id text primary key,
    epoch uuid not null default gen_random_uuid(),
    last_seq bigint not null default 0,
    created_at timestamptz not null default now(),
    constraint rooms_id_format check (id ~ '^(session|private|user|conference):[0-9a-f-]{36}$')
);

create table room_events (
    room_id text not null references rooms (id) on delete cascade,
    seq bigint not null,
    name text not null,
    data jsonb not null,
    created_at timestamptz not null default now(),
    constraint room_events_pkey primary key (room_id, seq),
    constraint room_events_seq_positive check (seq > 0)
);

-- A command is recorded with the id the client chose; a retry finds the stored result.
create table commands (
    user_id uuid not null references users (id) on delete cascade,
    id uuid not null,
    room_id text not null,
    name text not null,
    result jsonb not null default 'null',
    created_at timestamptz not null default now(),
    constraint commands_pkey primary key (user_id, id)
);
create index commands_created_idx on commands (created_at);

-- Rooms for a few people (a networking pair, a B2B meeting): only members may enter.
create table private_rooms (
    id uuid primary key,
    conference_id uuid not null references conferences (id) on delete cascade,
    purpose text not null,
    created_at timestamptz not null default now()
);

create table private_room_members (
    room_id uuid not null references private_rooms (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    created_at timestamptz not null default now(),
    constraint private_room_members_pkey primary key (room_id, user_id)
);
create index private_room_members_user_idx on private_room_members (user_id);

-- Presence is ephemeral: each node keeps its own rows and a heartbeat; rows of a node whose
-- heartbeat stopped are ignored, then swept.
create unlogged table realtime_nodes (
    id uuid primary key,
    seen_at timestamptz not null default now(),
    created_at timestamptz not null default now()
);

create unlogged table presence (
    node_id uuid not null,
    room_id text not null,
    user_id uuid not null,
    created_at timestamptz not null default now(),
    constraint presence_pkey primary key (room_id, user_id, node_id)
);
create index presence_node_idx on presence (node_id);

create table chat_messages (
    id uuid primary key,
    room_id text not null,
    author_id uuid not null references users (id) on delete cascade,
    body text not null,
    hidden_by uuid references users (id) on delete set null,
    hidden_at timestamptz,
    deleted_at timestamptz,
    created_at timestamptz not null default now(),
    constraint chat_messages_body_length check (char_length(body) between 1 and 2000)
);
create index chat_messages_room_idx on chat_messages (room_id, created_at desc, id desc);
create index chat_messages_author_idx on chat_messages (room_id, author_id, created_at desc);

create table chat_settings (
    room_id text primary key,
    slow_mode_secs integer not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint chat_settings_slow_mode_range check (slow_mode_secs between 0 and 3600)
);

create table chat_mutes (
    room_id text not null,
    user_id uuid not null references users (id) on delete cascade,
    muted_by uuid references users (id) on delete set null,
    until timestamptz not null,
    created_at timestamptz not null default now(),
    constraint chat_mutes_pkey primary key (room_id, user_id)
);

-- `room_id` null: to everyone connected to the conference.
create table announcements (
    id uuid primary key,
    conference_id uuid not null references conferences (id) on delete cascade,
    room_id text,
    author_id uuid references users (id) on delete set null,
    body text not null,
    withdrawn_at timestamptz,
    created_at timestamptz not null default now(),
    constraint announcements_body_length check (char_length(body) between 1 and 2000)
);
create index announcements_conference_idx on announcements (conference_id, created_at desc);

create table notifications (
    id uuid primary key,
    user_id uuid not null references users (id) on delete cascade,
    kind text not null,
    data jsonb not null default '{}',
    read_at timestamptz,
    created_at timestamptz not null default now()
);
create index notifications_user_idx on notifications (user_id, created_at desc);

-- Single-use tickets for non-browser WebSocket clients, valid for seconds.
create table ws_tickets (
    token_hash bytea primary key,
    user_id uuid not null references users (id) on delete cascade,
    session_id uuid not null,
    expires_at timestamptz not null,
    created_at timestamptz not null default now()
);

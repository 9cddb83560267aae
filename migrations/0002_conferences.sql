-- Conferences, their members and roles, the agenda, bookmarks and the audit log.

create table conferences (
    id uuid primary key,
    slug text not null,
    title jsonb not null,
    description jsonb not null default '{}',
    starts_on date not null,
    ends_on date not null,
    time_zone text not null,
    languages text[] not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint conferences_slug_key unique (slug),
    constraint conferences_dates_order check (ends_on >= starts_on)
);

create type conference_role as enum ('attendee', 'speaker', 'moderator', 'organiser');

create table conference_members (
    conference_id uuid not null references conferences (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    role conference_role not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (conference_id, user_id)
);
create index conference_members_user_idx on conference_members (user_id);

create type session_kind as enum ('plenary', 'panel', 'working_group', 'networking', 'award', 'social');
create type session_visibility as enum ('public', 'invite_only');

create table sessions (
    id uuid primary key,
    conference_id uuid not null references conferences (id) on delete cascade,
    kind session_kind not null,
    title jsonb not null,
    description jsonb not null default '{}',
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    capacity integer,
    languages text[] not null default '{}',
    stream_url text,
    visibility session_visibility not null default 'public',
    venue_city text,
    venue_address text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint sessions_time_order check (ends_at > starts_at),
    constraint sessions_capacity_positive check (capacity > 0)
);
create index sessions_conference_start_idx on sessions (conference_id, starts_at);

create type session_role as enum ('moderator', 'speaker', 'facilitator', 'guest');

create table session_people (
    session_id uuid not null references sessions (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    role session_role not null,
    created_at timestamptz not null default now(),
    primary key (session_id, user_id)
);

create table bookmarks (
    user_id uuid not null references users (id) on delete cascade,
    session_id uuid not null references sessions (id) on delete cascade,
    created_at timestamptz not null default now(),
    primary key (user_id, session_id)
);

-- Organiser and moderator actions, kept for accountability.
create table audit_log (
    id bigint generated always as identity primary key,
    conference_id uuid references conferences (id) on delete cascade,
    actor_id uuid references users (id) on delete set null,
    action text not null,
    details jsonb not null default '{}',
    created_at timestamptz not null default now()
);
create index audit_log_conference_idx on audit_log (conference_id, created_at);

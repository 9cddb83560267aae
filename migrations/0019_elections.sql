-- Elections (`backend/src/awards/`): the conference's awards, voted by its attendees with a
-- secret ballot and a receipt each voter can find on the public board. `docs/election.md`
-- explains the threat model behind the shape of these tables.

create type election_phase as enum ('nominations', 'shortlist', 'voting', 'closed', 'revealed');
create type election_method as enum ('plurality', 'ranked');

create table elections (
    id uuid primary key,
    conference_id uuid not null references conferences (id) on delete cascade,
    title jsonb not null,
    description jsonb not null default '{}',
    method election_method not null default 'plurality',
    phase election_phase not null default 'nominations',
    -- When the server opens and closes voting by itself, if set.
    opens_at timestamptz,
    closes_at timestamptz,
    -- The count, computed at close and shown to nobody until the reveal.
    result jsonb,
    -- The turnout last sent to screens, and when: at most one update a second.
    turnout_published integer not null default 0,
    turnout_published_at timestamptz not null default '-infinity',
    created_at timestamptz not null default now(),
    constraint elections_result_after_close check ((result is not null) = (phase in ('closed', 'revealed'))),
    constraint elections_schedule check (opens_at is null or closes_at is null or opens_at < closes_at)
);
create index elections_conference_idx on elections (conference_id, created_at);
-- The scheduler looks for elections whose time has come.
create index elections_scheduled_idx on elections (phase) where phase in ('shortlist', 'voting');

-- Attendees propose cluster managers; organisers merge duplicates.
create table election_nominations (
    id uuid primary key,
    election_id uuid not null references elections (id) on delete cascade,
    nominated_by uuid not null references users (id) on delete cascade,
    name text not null check (char_length(name) between 1 and 200),
    cluster text not null check (char_length(cluster) <= 200),
    organisation text not null check (char_length(organisation) <= 200),
    country text not null check (char_length(country) <= 100),
    statement text not null check (char_length(statement) <= 1500),
    -- The nomination it was merged into: it then counts as a supporter of that one.
    merged_into uuid references election_nominations (id) on delete cascade,
    created_at timestamptz not null default now()
);
create index election_nominations_idx on election_nominations (election_id, created_at);

-- The shortlist, as the ballot shows it.
create table election_candidates (
    id uuid primary key,
    election_id uuid not null references elections (id) on delete cascade,
    nomination_id uuid references election_nominations (id) on delete set null,
    name text not null check (char_length(name) between 1 and 200),
    cluster text not null check (char_length(cluster) <= 200),
    organisation text not null check (char_length(organisation) <= 200),
    country text not null check (char_length(country) <= 100),
    photo_url text check (char_length(photo_url) <= 2000),
    statement jsonb not null default '{}',
    created_at timestamptz not null default now()
);
create index election_candidates_idx on election_candidates (election_id, created_at);

-- The electoral roll, frozen when voting opens.
create table election_roll (
    election_id uuid not null references elections (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    primary key (election_id, user_id)
);

-- Who has voted: its primary key makes a second vote impossible. No time, no choice.
create table election_participation (
    election_id uuid not null references elections (id) on delete cascade,
    user_id uuid not null references users (id),
    primary key (election_id, user_id),
    foreign key (election_id, user_id) references election_roll (election_id, user_id)
);

-- The ballots: no voter, no time; only the choice and the hash of the voter's receipt.
-- `ranking` is the candidates in order of preference (one for plurality).
create table election_ballots (
    election_id uuid not null references elections (id) on delete cascade,
    receipt_hash text not null check (receipt_hash ~ '^[0-9a-f]{64}$'),
    ranking uuid[] not null check (cardinality(ranking) between 1 and 50),
    primary key (election_id, receipt_hash)
);

-- The election's audit log: append-only and hash-chained (`hash = sha256(prev_hash || body)`,
-- `body` the entry as JSON text, kept verbatim so anyone can recompute the chain).
create table election_audit (
    election_id uuid not null references elections (id) on delete cascade,
    seq integer not null check (seq >= 1),
    body text not null,
    prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
    hash text not null check (hash ~ '^[0-9a-f]{64}$'),
    primary key (election_id, seq)
);

-- Nobody rewrites the log of an election that exists; deleting the conference (and with it
-- the election) still removes it.
create function election_audit_append_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' or exists (select 1 from elections where id = old.election_id) then
        raise exception 'the election audit log is append-only' using errcode = 'check_violation';
    end if;
    return old;
end;
$$;
create trigger election_audit_append_only before update or delete on election_audit
    for each row execute function election_audit_append_only();

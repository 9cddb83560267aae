-- Who came to a room at all: when each person was first and last seen there. Presence
-- itself is ephemeral (an unlogged table, per node); this is the record the people who run
-- a session read during it and after it. A person still present shows as "here now"
-- (from presence); `last_seen` is written when they leave, or when their node died.
create table room_attendance (
    room_id text not null,
    user_id uuid not null references users (id) on delete cascade,
    first_seen timestamptz not null default now(),
    last_seen timestamptz not null default now(),
    constraint room_attendance_pkey primary key (room_id, user_id)
);

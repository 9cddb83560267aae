-- The one stage queue: approved questions and raised hands in one list the person running
-- the stage works through. Its optional fairness rule puts people who have not had the floor
-- yet first; `stage_speakers` is who has had it in each session (their question answered,
-- or invited to speak).
alter table stages add column fair_queue boolean not null default false;

create table stage_speakers (
    session_id uuid not null references sessions (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    first_heard_at timestamptz not null default now(),
    constraint stage_speakers_pkey primary key (session_id, user_id)
);

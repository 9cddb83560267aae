-- Tables shaped like the ones an upvote writes (`commands`, `questions`, `question_votes`),
-- in a scratch database: `vote.sql` replays an upvote's transaction on them with pgbench,
-- so the database's share of a vote storm can be measured without Viaduc (bench.sh dbload).
create table commands (
    user_id bigint not null,
    id bigint not null,
    room_id text not null,
    name text not null,
    data_hash bytea not null,
    result jsonb,
    created_at timestamptz not null default now(),
    primary key (user_id, id)
);
create table questions (id integer primary key, status text not null);
insert into questions select n, 'approved' from generate_series(1, 10) as n;
create table question_votes (
    question_id integer not null references questions (id),
    user_id bigint not null,
    primary key (question_id, user_id)
);

-- Live features bring their own kinds of room: a room id is any kind (a-z and _) and a uuid,
-- one generic rule, so a new kind needs no change here.
alter table rooms drop constraint rooms_id_format;
alter table rooms add constraint rooms_id_format
    check (id ~ '^[a-z][a-z_]{0,14}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$');

-- A change of someone's rights (a role changed, removed from a conference, a login ended, a
-- session's people or visibility changed), written in the change's own transaction. Its
-- NOTIFY is delivered at commit; every node re-checks the live subscriptions concerned, and a
-- node whose listener was away reads the rows it missed.
create table access_changes (
    id bigint generated always as identity primary key,
    -- Whose rights changed; null with `room_id`: everyone in that room.
    user_id uuid,
    -- A login that ended: its sockets close.
    login_id uuid,
    -- Only this conference's rooms are concerned (null: all of the person's rooms).
    conference_id uuid,
    room_id text,
    created_at timestamptz not null default now(),
    constraint access_changes_subject
        check (user_id is not null or login_id is not null or room_id is not null)
);
create index access_changes_created_idx on access_changes (created_at);

-- The one way to record a change: the row and its announcement on `viaduc_access`.
create function record_access_change(
    p_user_id uuid, p_login_id uuid, p_conference_id uuid, p_room_id text
) returns bigint language plpgsql as $$
declare
    change access_changes;
begin
    insert into access_changes (user_id, login_id, conference_id, room_id)
    values (p_user_id, p_login_id, p_conference_id, p_room_id)
    returning * into change;
    perform pg_notify('viaduc_access', row_to_json(change)::text);
    return change.id;
end
$$;

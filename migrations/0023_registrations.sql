-- Registrations (`backend/src/registrations/`): who asked to attend a conference, how the
-- organisers' rules answered, the seats that holds, and the delegations that register together.
-- Only an approved registration makes someone a conference member (`conference_members`); the
-- registration is the record of how they got there.

create type approval_mode as enum ('automatic', 'manual');

-- A conference is a draft, seen by its organisers only, until they publish it. Conferences
-- made before registrations existed were open to anyone logged in: they stay published.
alter table conferences
    add column published boolean not null default false,
    -- Seats for attendees; null for no limit.
    add column capacity integer,
    add column approval approval_mode not null default 'automatic',
    -- How long a waitlisted person has to take a seat offered to them.
    add column offer_hours integer not null default 48,
    add constraint conferences_capacity_positive check (capacity > 0),
    add constraint conferences_offer_hours_range check (offer_hours between 1 and 336);
update conferences set published = true;

-- The organisers' own questions on the registration form, in the conference's languages.
create type registration_question_kind as enum ('text', 'single_choice', 'multiple_choice', 'consent');

create table registration_questions (
    id uuid primary key,
    conference_id uuid not null references conferences (id) on delete cascade,
    position integer not null,
    kind registration_question_kind not null,
    label jsonb not null,
    -- The choices of a single or multiple choice question, each a localized text.
    options jsonb not null default '[]',
    required boolean not null default false,
    constraint registration_questions_position_key unique (conference_id, position) deferrable initially deferred
);

-- A delegation registers together: its members come through its code and are approved at
-- once, up to its seats, which are held for it out of the conference's capacity.
create table delegations (
    id uuid primary key,
    conference_id uuid not null references conferences (id) on delete cascade,
    name text not null check (char_length(name) between 1 and 200),
    seats integer not null check (seats between 1 and 1000),
    code text not null,
    lead_id uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    constraint delegations_code_key unique (code),
    constraint delegations_name_key unique (conference_id, name)
);

create type registration_status as enum ('pending', 'approved', 'waitlisted', 'offered', 'rejected', 'cancelled');

create table registrations (
    id uuid primary key,
    conference_id uuid not null references conferences (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    status registration_status not null,
    delegation_id uuid references delegations (id) on delete set null,
    -- On one of its delegation's seats (not on the conference's open seats).
    delegation_seat boolean not null default false,
    -- Answers by question id: a text, a choice's index, a list of indexes, or true/false.
    answers jsonb not null default '{}',
    -- The waitlist's order: first waitlisted, first offered a seat.
    waitlisted_at timestamptz,
    offer_expires_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint registrations_person_key unique (conference_id, user_id),
    constraint registrations_offer_expiry check ((status = 'offered') = (offer_expires_at is not null)),
    constraint registrations_delegation_seat check (not delegation_seat or delegation_id is not null)
);
create index registrations_conference_status_idx on registrations (conference_id, status, waitlisted_at);
create index registrations_delegation_idx on registrations (delegation_id) where delegation_id is not null;
-- The clock looks for offers that ran out.
create index registrations_offers_idx on registrations (offer_expires_at) where status = 'offered';

-- Everyone who is already a member was, in effect, approved.
insert into registrations (id, conference_id, user_id, status, created_at)
select gen_random_uuid(), conference_id, user_id, 'approved', created_at from conference_members;

-- How a conference presents a person who speaks or moderates in it: a photo and a short bio
-- in several languages, set by its organisers; shown as a card on the sessions they are on
-- (with their name, and the organisation from their profile).
create table speaker_cards (
    conference_id uuid not null references conferences (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    photo_url text check (char_length(photo_url) <= 2000 and photo_url ~ '^https?://'),
    -- {"en": "…", "fr": "…"}: at most 1,000 characters each.
    bio jsonb not null default '{}',
    updated_at timestamptz not null default now(),
    constraint speaker_cards_pkey primary key (conference_id, user_id),
    foreign key (conference_id, user_id) references conference_members (conference_id, user_id)
        on delete cascade
);

-- The outbox (`backend/src/mail/`): every e-mail is written here in the transaction of the
-- change it tells of, so it is never lost with a crash after the commit; each node's sender
-- claims due rows for a short lease, sends them by SMTP and marks them sent. A failed send is
-- retried with back-off. Without SMTP configured the organisers read the outbox in the UI.

create table outbox (
    id uuid primary key,
    conference_id uuid references conferences (id) on delete cascade,
    to_email text not null,
    to_name text not null,
    -- The language it is written in: the recipient's.
    language text not null,
    -- What it tells, e.g. `registration.approved`.
    template text not null,
    subject text not null,
    text_body text not null,
    html_body text not null,
    created_at timestamptz not null default now(),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    -- A sender is sending it until then; after, another may take it over.
    claimed_until timestamptz,
    sent_at timestamptz,
    last_error text
);
create index outbox_due_idx on outbox (next_attempt_at) where sent_at is null;
create index outbox_conference_idx on outbox (conference_id, created_at);

-- The language a registrant reads, for what the conference writes to them.
alter table registrations add column language text not null default 'en';

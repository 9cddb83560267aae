-- Accounts, refresh tokens, profiles and the sector taxonomy.

create table users (
    id uuid primary key,
    email text not null,
    display_name text not null,
    password_hash text not null,
    is_platform_organiser boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint users_email_key unique (email),
    constraint users_email_normalised check (email = lower(btrim(email)))
);

-- One row per issued refresh token. Tokens of one login form a family: presenting a
-- token that was already rotated revokes the whole family (token theft detection).
create table refresh_tokens (
    id uuid primary key,
    user_id uuid not null references users (id) on delete cascade,
    family_id uuid not null,
    token_hash bytea not null,
    expires_at timestamptz not null,
    used_at timestamptz,
    revoked_at timestamptz,
    created_at timestamptz not null default now(),
    constraint refresh_tokens_token_hash_key unique (token_hash)
);
create index refresh_tokens_family_idx on refresh_tokens (family_id);

create table sectors (
    code text primary key,
    name jsonb not null,
    position integer not null
);

create table profiles (
    user_id uuid primary key references users (id) on delete cascade,
    organisation text not null default '',
    cluster text not null default '',
    country text,
    languages text[] not null default '{}',
    offers text not null default '',
    seeks text not null default '',
    bio text not null default '',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint profiles_country_format check (country ~ '^[A-Z]{2}$')
);

create table profile_sectors (
    user_id uuid not null references profiles (user_id) on delete cascade,
    sector_code text not null references sectors (code),
    primary key (user_id, sector_code)
);

insert into sectors (code, name, position) values
    ('advanced_materials', '{"en":"Advanced materials","fr":"Matériaux avancés","nl":"Geavanceerde materialen","de":"Neue Werkstoffe"}', 1),
    ('aerospace', '{"en":"Aerospace and defence","fr":"Aéronautique et défense","nl":"Lucht- en ruimtevaart en defensie","de":"Luft- und Raumfahrt, Verteidigung"}', 2),
    ('agrifood', '{"en":"Agri-food","fr":"Agroalimentaire","nl":"Agrovoeding","de":"Agrar- und Ernährungswirtschaft"}', 3),
    ('automotive', '{"en":"Automotive and mobility","fr":"Automobile et mobilité","nl":"Automotive en mobiliteit","de":"Automobil und Mobilität"}', 4),
    ('biotech', '{"en":"Biotechnology","fr":"Biotechnologies","nl":"Biotechnologie","de":"Biotechnologie"}', 5),
    ('construction', '{"en":"Construction","fr":"Construction","nl":"Bouw","de":"Bauwirtschaft"}', 6),
    ('creative_industries', '{"en":"Creative and cultural industries","fr":"Industries créatives et culturelles","nl":"Creatieve en culturele industrie","de":"Kultur- und Kreativwirtschaft"}', 7),
    ('design', '{"en":"Design","fr":"Design","nl":"Design","de":"Design"}', 8),
    ('digital', '{"en":"Digital industries","fr":"Industries numériques","nl":"Digitale industrie","de":"Digitale Wirtschaft"}', 9),
    ('electronics', '{"en":"Micro- and nanoelectronics","fr":"Micro- et nanoélectronique","nl":"Micro- en nano-elektronica","de":"Mikro- und Nanoelektronik"}', 10),
    ('energy', '{"en":"Energy","fr":"Énergie","nl":"Energie","de":"Energie"}', 11),
    ('environment', '{"en":"Environmental industries and circular economy","fr":"Éco-industries et économie circulaire","nl":"Milieu-industrie en circulaire economie","de":"Umweltwirtschaft und Kreislaufwirtschaft"}', 12),
    ('health', '{"en":"Health and medical technologies","fr":"Santé et technologies médicales","nl":"Gezondheid en medische technologie","de":"Gesundheit und Medizintechnik"}', 13),
    ('logistics', '{"en":"Logistics","fr":"Logistique","nl":"Logistiek","de":"Logistik"}', 14),
    ('maritime', '{"en":"Blue economy and maritime","fr":"Économie bleue et maritime","nl":"Blauwe economie en maritiem","de":"Blaue Wirtschaft und Meerestechnik"}', 15),
    ('photonics', '{"en":"Photonics","fr":"Photonique","nl":"Fotonica","de":"Photonik"}', 16),
    ('plastics', '{"en":"Plastics and chemistry","fr":"Plasturgie et chimie","nl":"Kunststoffen en chemie","de":"Kunststoffe und Chemie"}', 17),
    ('textiles', '{"en":"Textiles and fashion","fr":"Textile et mode","nl":"Textiel en mode","de":"Textil und Mode"}', 18),
    ('tourism', '{"en":"Tourism","fr":"Tourisme","nl":"Toerisme","de":"Tourismus"}', 19),
    ('manufacturing', '{"en":"Advanced manufacturing","fr":"Industrie du futur","nl":"Geavanceerde maakindustrie","de":"Fortgeschrittene Fertigung"}', 20);

-- Server-wide secrets generated on first start (e.g. the access-token signing key), kept
-- here so that every node of a deployment shares them.
create table app_secrets (
    name text primary key,
    value bytea not null,
    created_at timestamptz not null default now()
);

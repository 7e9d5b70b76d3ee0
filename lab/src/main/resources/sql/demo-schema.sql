-- Demo data from the HA write-up: owners and their events. The traffic generator inserts into
-- events; every insert carries a client-made token so acknowledged writes can be checked later.
CREATE TABLE IF NOT EXISTS owners (
    id         bigserial PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS events (
    id         bigserial PRIMARY KEY,
    owner_id   bigint      NOT NULL REFERENCES owners (id),
    kind       text        NOT NULL,
    token      uuid        NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS events_owner_id_idx ON events (owner_id);
CREATE INDEX IF NOT EXISTS events_created_at_idx ON events (created_at);

INSERT INTO owners (name)
SELECT 'owner-' || g FROM generate_series(1, 10) AS g
ON CONFLICT (name) DO NOTHING;

INSERT INTO events (owner_id, kind, token)
SELECT o.id, 'seed', gen_random_uuid()
FROM owners o CROSS JOIN generate_series(1, 10)
WHERE NOT EXISTS (SELECT 1 FROM events WHERE kind = 'seed');

-- The current version of every resource: one row per (type, id), locked while a new version is written.
CREATE TABLE resource_current (
    resource_type  varchar(64)  NOT NULL,
    resource_id    varchar(64)  NOT NULL,
    version_id     bigint       NOT NULL,
    last_updated   timestamptz  NOT NULL,
    patient_id     text,
    content_sha256 char(64)     NOT NULL,
    content        jsonb        NOT NULL,
    PRIMARY KEY (resource_type, resource_id)
);

CREATE INDEX resource_current_patient ON resource_current (resource_type, patient_id);
CREATE INDEX resource_current_last_updated ON resource_current (resource_type, last_updated);

-- Every version ever stored, the current one included, so a vread needs a single lookup.
CREATE TABLE resource_history (
    resource_type  varchar(64)  NOT NULL,
    resource_id    varchar(64)  NOT NULL,
    version_id     bigint       NOT NULL,
    last_updated   timestamptz  NOT NULL,
    event_source   text,
    event_id       text,
    content        jsonb        NOT NULL,
    PRIMARY KEY (resource_type, resource_id, version_id)
);

-- CloudEvents already applied. Knative delivers at least once; (source, id) identifies an event, and the data
-- digest keeps a different message that reuses an id from being taken for a redelivery.
CREATE TABLE processed_event (
    event_source      text         NOT NULL,
    event_id          text         NOT NULL,
    data_sha256       char(64)     NOT NULL,
    processed_at      timestamptz  NOT NULL,
    resource_count    integer      NOT NULL DEFAULT 0,
    versions_created  integer      NOT NULL DEFAULT 0,
    PRIMARY KEY (event_source, event_id, data_sha256)
);

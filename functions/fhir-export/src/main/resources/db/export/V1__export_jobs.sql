-- One row per Bulk Data export: what was asked, when, and how far it got. The data itself comes from fhir-store's
-- resource_current in the same database; these tables only hold the work.
CREATE TABLE export_job (
    job_id            uuid          PRIMARY KEY,
    status            varchar(16)   NOT NULL,
    level             varchar(16)   NOT NULL,
    group_id          varchar(64),
    request_url       text          NOT NULL,
    base_url          text          NOT NULL,
    transaction_time  timestamptz   NOT NULL,
    since             timestamptz,
    patient_ids       text[],
    type_filters      jsonb         NOT NULL DEFAULT '{}'::jsonb,
    requires_token    boolean       NOT NULL,
    client_id         text,
    created_at        timestamptz   NOT NULL,
    finished_at       timestamptz,
    last_polled_at    timestamptz,
    failure           text,
    event_sent        boolean       NOT NULL DEFAULT false
);

CREATE INDEX export_job_status ON export_job (status);

-- The unit of work: one resource type of one job. A worker claims it with FOR UPDATE SKIP LOCKED and a lease;
-- last_key is the resource id of the last line in a committed file part, so a new owner resumes after it.
CREATE TABLE export_chunk (
    job_id         uuid          NOT NULL REFERENCES export_job (job_id) ON DELETE CASCADE,
    resource_type  varchar(64)   NOT NULL,
    status         varchar(16)   NOT NULL,
    last_key       varchar(64)   NOT NULL DEFAULT '',
    next_part      integer       NOT NULL DEFAULT 1,
    lines_written  bigint        NOT NULL DEFAULT 0,
    claim_token    uuid,
    lease_until    timestamptz,
    attempts       integer       NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, resource_type)
);

CREATE INDEX export_chunk_claimable ON export_chunk (status, lease_until);

-- Committed file parts, written in the same transaction that moves the chunk's last_key. A part written by a
-- worker that died before this row existed is never listed and is overwritten by nobody: its name is unique.
CREATE TABLE export_file (
    job_id         uuid          NOT NULL REFERENCES export_job (job_id) ON DELETE CASCADE,
    kind           varchar(8)    NOT NULL,
    resource_type  varchar(64)   NOT NULL,
    part           integer       NOT NULL,
    file_name      text          NOT NULL,
    line_count     bigint        NOT NULL,
    byte_count     bigint        NOT NULL,
    PRIMARY KEY (job_id, kind, resource_type, part)
);

-- appointment-booking's own tables; the database may be shared with fhir-store, hence the booking_ prefix
-- and the separate Flyway history table (spring.flyway.table).

create table booking_schedule (
    id          text        primary key,
    time_zone   text        not null,
    version     integer     not null,
    updated_at  timestamptz not null,
    resource    text        not null
);

create table booking_slot (
    id            text        primary key,
    schedule_id   text        not null references booking_schedule (id),
    status        text        not null,
    start_at      timestamptz not null,
    end_at        timestamptz not null,
    service_types text[]      not null default '{}',
    version       integer     not null,
    updated_at    timestamptz not null,
    resource      text        not null,
    constraint booking_slot_period check (end_at > start_at)
);

create index booking_slot_search on booking_slot (schedule_id, status, start_at, id);
create index booking_slot_start on booking_slot (start_at, id);

create table booking_appointment (
    id          text        primary key,
    patient_id  text        not null,
    status      text        not null,
    slot_id     text        not null references booking_slot (id),
    start_at    timestamptz not null,
    version     integer     not null,
    updated_at  timestamptz not null,
    resource    text        not null
);

-- The database, not the application, makes double booking impossible: at most one appointment that is not
-- cancelled per slot. The booking transaction also flips the slot free -> busy with a conditional update,
-- which takes the slot's row lock; this index is the last line if any path forgets to.
create unique index booking_one_active_appointment_per_slot
    on booking_appointment (slot_id) where status not in ('cancelled', 'entered-in-error');

create index booking_appointment_patient on booking_appointment (patient_id, start_at);

-- A retried create (Idempotency-Key or If-None-Exist) returns the appointment of the first one.
create table booking_request_key (
    caller         text        not null,
    request_key    text        not null,
    appointment_id text        not null references booking_appointment (id) deferrable initially deferred,
    created_at     timestamptz not null,
    primary key (caller, request_key)
);

-- Transactional outbox: events are written with the change and sent to the broker after the commit.
create table booking_outbox (
    seq        bigserial   primary key,
    event_id   text        not null unique,
    event_type text        not null,
    subject    text        not null,
    data       text        not null,
    created_at timestamptz not null
);

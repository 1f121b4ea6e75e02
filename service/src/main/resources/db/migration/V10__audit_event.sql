-- The CA's audit trail (org.certflow.audit.AuditTrail): one row per thing the CA did or is
-- about to do, written in the same transaction as the journal row it describes. Rows are
-- hash-chained: event_hash = SHA-256(DER of the event's fields and prev_hash), and prev_hash
-- is the event_hash of the event before (64 zeros for the first).
create table audit_event (
    event_id     bigint           not null,
    -- UTC wall time, written and read as LocalDateTime so no JVM or session time zone
    -- changes the value the hash covers.
    recorded_at  datetime(6)      not null,
    event_type   varchar(32)      not null,
    issuer       varchar(512),
    serial_hex   varchar(42),
    request_id   varchar(36),
    detail       varchar(1024),
    -- The linted TBSCertificate (DER) for ABOUT_TO_SIGN events.
    document     varbinary(16384),
    prev_hash    varchar(64)      not null,
    event_hash   varchar(64)      not null,
    constraint pk_audit_event primary key (event_id),
    -- A second writer that somehow missed the head lock cannot fork the chain.
    constraint uq_audit_event_prev unique (prev_hash)
);

create index ix_audit_event_serial on audit_event (issuer, serial_hex);

-- The chain's head: every append locks this row (select ... for update), which serializes
-- appends across threads and nodes, and it keeps the last event's number and hash, so that
-- deleting rows from the end of audit_event alone is detected.
create table audit_head (
    head_key      varchar(16)  not null,
    last_event_id bigint       not null,
    last_hash     varchar(64)  not null,
    constraint pk_audit_head primary key (head_key)
);

insert into audit_head (head_key, last_event_id, last_hash)
    values ('audit', 0, '0000000000000000000000000000000000000000000000000000000000000000');

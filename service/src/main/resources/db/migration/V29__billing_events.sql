-- The billing module (issue 10): each issuance and each revocation is written here, in the
-- transaction that records it, when certflow.billing.enabled is on. A dispatcher sends the
-- rows to the billing system and retries through outages; idempotency_key (issuer, serial and
-- kind) keeps a certificate from being billed twice, here and at the billing system.
create table billing_event (
    event_id          varchar(36)    not null,
    idempotency_key   varchar(600)   not null,
    kind              varchar(16)    not null,
    request_id        varchar(36),
    certificate_class varchar(64),
    billing_code      varchar(64),
    issuer_dn         varchar(500)   not null,
    serial_hex        varchar(64)    not null,
    reason            varchar(32),
    occurred_at       datetime(6)    not null,
    status            varchar(16)    not null,
    attempts          int            default 0 not null,
    pending_since     datetime(6)    not null,
    next_attempt_at   datetime(6),
    claimed_by        varchar(36),
    claimed_until     datetime(6),
    sent_at           datetime(6),
    failed_at         datetime(6),
    last_error        varchar(1000),
    constraint pk_billing_event primary key (event_id),
    constraint uq_billing_event_key unique (idempotency_key)
);
create index ix_billing_event_due on billing_event (status, next_attempt_at);
create index ix_billing_event_occurred on billing_event (occurred_at);

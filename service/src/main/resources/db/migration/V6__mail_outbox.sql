-- Mail to applicants, written in the same transaction as the token, code or status it
-- announces (transactional outbox). A dispatcher sends it after commit and retries through
-- SMTP outages; see org.certflow.delivery.MailDispatcher. The same script runs on H2 and on
-- MySQL/MariaDB: every text column has an explicit length (8000 characters for the body
-- stays within MySQL's 65,535-byte row limit in utf8mb4).
--
-- status: PENDING (to send), SENT, FAILED (gave up; an RA admin may retry) or SUPERSEDED
-- (a newer mail of the same kind for the same request replaced it before it went out).
-- body holds a capability (application link, activation code and PIN) while the mail is
-- unsent: it is wiped once the mail is sent or superseded.
create table mail_outbox (
    mail_id          varchar(36)   not null,
    request_id       varchar(36)   not null,
    kind             varchar(32)   not null,
    recipient        varchar(254)  not null,
    subject          varchar(512)  not null,
    body             varchar(8000),
    status           varchar(16)   not null,
    attempts         int           not null,
    pending_since    datetime(6)   not null,
    next_attempt_at  datetime(6)   not null,
    claimed_by       varchar(36),
    claimed_until    datetime(6),
    last_error       varchar(1000),
    created_at       datetime(6)   not null,
    sent_at          datetime(6),
    failed_at        datetime(6),
    constraint pk_mail_outbox primary key (mail_id)
);

create index ix_mail_outbox_due on mail_outbox (status, next_attempt_at);
create index ix_mail_outbox_request on mail_outbox (request_id, kind);
create index ix_mail_outbox_created on mail_outbox (created_at);

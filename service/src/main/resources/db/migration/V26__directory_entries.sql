-- Certificate directory (issue 11): what CertFlow wrote to the LDAP directory, and what
-- keeps failing there, so that RA admins see it (GET /api/v1/directory/failures, RAMC).
-- One row per request whose certificate is published (item_key = request id), and one
-- per CA entry (item_key = CA:ISSUING, CA:ROOT).
create table directory_entry (
    item_key         varchar(40)    not null,
    kind             varchar(16)    not null,
    state            varchar(16)    not null,
    entry_dn         varchar(1024),
    content_sha256   varchar(64),
    published_at     datetime(6),
    withdrawn_at     datetime(6),
    failed_attempts  int            default 0 not null,
    failing_since    datetime(6),
    last_failure_at  datetime(6),
    last_error       varchar(1000),
    constraint pk_directory_entry primary key (item_key)
);
create index ix_directory_entry_failing on directory_entry (failing_since);
create index ix_directory_entry_state on directory_entry (kind, state);

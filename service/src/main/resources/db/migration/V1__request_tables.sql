-- RA tables. The same script runs on H2 and on MySQL/MariaDB: keep to the common subset
-- (explicit lengths on every text column, datetime(6) in UTC, no vendor-specific defaults).

create table certificate_class (
    name              varchar(64)  not null,
    display_name      varchar(200) not null,
    issuance_profile  varchar(64)  not null,
    issue_immediately boolean      not null,
    constraint pk_certificate_class primary key (name)
);

insert into certificate_class (name, display_name, issuance_profile, issue_immediately)
values ('standard', 'Standard S/MIME and client authentication', 'standard', true);

create table certificate_request (
    request_id         varchar(36)   not null,
    status             varchar(32)   not null,
    certificate_class  varchar(64)   not null,
    email              varchar(254)  not null,
    full_name          varchar(64)   not null,
    csr_der            varbinary(16384),
    key_description    varchar(64),
    public_key_sha256  varchar(64),
    requested_subject  varchar(1024),
    decision           varchar(16),
    decision_reason    varchar(2000),
    decided_by         varchar(128),
    decided_at         datetime(6),
    certificate_serial varchar(64),
    created_by         varchar(128)  not null,
    created_at         datetime(6)   not null,
    updated_at         datetime(6)   not null,
    version            bigint        not null,
    constraint pk_certificate_request primary key (request_id),
    constraint fk_request_class foreign key (certificate_class) references certificate_class (name)
);

create index ix_certificate_request_status on certificate_request (status);

-- One invitation per request. Only the SHA-256 of the 256-bit token is stored.
create table invitation (
    request_id  varchar(36) not null,
    token_hash  varchar(64) not null,
    expires_at  datetime(6) not null,
    consumed_at datetime(6),
    constraint pk_invitation primary key (request_id),
    constraint uq_invitation_token unique (token_hash),
    constraint fk_invitation_request foreign key (request_id) references certificate_request (request_id)
);

-- One activation per request. The code is 256-bit random (SHA-256 stored); the PIN is short,
-- so it is stored as a salted PBKDF2 hash and its attempts are counted.
create table activation (
    request_id      varchar(36)  not null,
    code_hash       varchar(64)  not null,
    pin_hash        varchar(255) not null,
    failed_attempts int          not null,
    expires_at      datetime(6)  not null,
    used_at         datetime(6),
    locked_at       datetime(6),
    constraint pk_activation primary key (request_id),
    constraint uq_activation_code unique (code_hash),
    constraint fk_activation_request foreign key (request_id) references certificate_request (request_id)
);

-- Revocation data made ahead of time by the signer (the only process with the CA key) and
-- served as stored bytes by every node (org.certflow.revocation.RevocationDataPublisher,
-- org.certflow.revocation.CaPublication).

-- What the signer owes each certificate. ocsp_due_at: when its OCSP responses must be
-- (re)signed; set at issuance and on every status change, and after each production to half
-- the responses' validity. status_changed_at: the last revoke, suspend or unsuspend.
-- crl_pending: 1 while a status change is not yet on a published CRL.
alter table issued_certificate add column ocsp_due_at datetime(6);
alter table issued_certificate add column status_changed_at datetime(6);
alter table issued_certificate add column crl_pending smallint default 0 not null;

-- Certificates issued before this migration get their responses on the signer's first run,
-- and the first CRL covers their status.
update issued_certificate set ocsp_due_at = issued_at;

create index ix_issued_certificate_ocsp_due on issued_certificate (ocsp_due_at);
create index ix_issued_certificate_crl_pending on issued_certificate (issuer, crl_pending);

-- The signed OCSP responses of each certificate, one per CertID hash (RFC 5019 lets a
-- responder answer any request, with or without nonce, with such a response).
create table ocsp_response (
    issuer       varchar(512)    not null,
    serial_hex   varchar(42)     not null,
    sha1_der     varbinary(4096) not null,
    sha256_der   varbinary(4096) not null,
    this_update  datetime(6)     not null,
    next_update  datetime(6)     not null,
    constraint pk_ocsp_response primary key (issuer, serial_hex)
);

-- The current CRL of each CA: ca_role 'issuing' or 'root'.
create table published_crl (
    ca_role      varchar(16)  not null,
    issuer       varchar(512) not null,
    der          longblob     not null,
    crl_number   bigint       not null,
    this_update  datetime(6)  not null,
    next_update  datetime(6)  not null,
    constraint pk_published_crl primary key (ca_role)
);

-- The CA certificates, so that nodes without the key store can serve the chain.
alter table ca_binding add column issuing_der varbinary(16384);
alter table ca_binding add column root_der varbinary(16384);

-- ShedLock's lock table: scheduled jobs that must run once per cluster take a row here.
create table shedlock (
    name       varchar(64)  not null,
    lock_until datetime(3)  not null,
    locked_at  datetime(3)  not null,
    locked_by  varchar(255) not null,
    constraint pk_shedlock primary key (name)
);

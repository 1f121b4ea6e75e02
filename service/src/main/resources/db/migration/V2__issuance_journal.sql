-- The CA's issuance journal (port org.certflow.ca.IssuanceJournal). A serial is reserved with
-- the hash of the to-be-signed certificate before the CA key signs; a reservation that never
-- gets its certificate is burned and its serial never used again.

create table serial_reservation (
    issuer       varchar(512) not null,
    serial_hex   varchar(42)  not null,
    request_id   varchar(36)  not null,
    tbs_sha256   varchar(64)  not null,
    reserved_at  datetime(6)  not null,
    burned_at    datetime(6),
    burn_reason  varchar(512),
    constraint pk_serial_reservation primary key (issuer, serial_hex)
);

create table issued_certificate (
    issuer      varchar(512)   not null,
    serial_hex  varchar(42)    not null,
    request_id  varchar(36)    not null,
    subscriber  varchar(254)   not null,
    spki_sha256 varchar(64)    not null,
    der         varbinary(16384) not null,
    not_before  datetime(6)    not null,
    not_after   datetime(6)    not null,
    issued_at   datetime(6)    not null,
    constraint pk_issued_certificate primary key (issuer, serial_hex),
    constraint uq_issued_certificate_request unique (request_id)
);

create index ix_issued_certificate_spki on issued_certificate (spki_sha256);

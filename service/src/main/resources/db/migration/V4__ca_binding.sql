-- Which CA this database serves. The CA's keys live in files (or a token) outside the
-- database; a database used with another CA's keys would answer "unknown" for every
-- certificate it holds and restart CRL numbers. One row, written on the first start and
-- checked on every start after it.
create table ca_binding (
    binding_key     varchar(16)  not null,
    root_sha256     varchar(64)  not null,
    issuing_sha256  varchar(64)  not null,
    issuing_subject varchar(512) not null,
    bound_at        datetime(6)  not null,
    constraint pk_ca_binding primary key (binding_key)
);

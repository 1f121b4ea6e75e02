-- Certificate status for CRL and OCSP (port org.certflow.ca.RevocationRegistry).
alter table issued_certificate add column revocation_reason varchar(32);
alter table issued_certificate add column revoked_at datetime(6);

create index ix_issued_certificate_revoked on issued_certificate (issuer, revocation_reason);

-- The last CRL number handed out per issuer; numbers only grow, across restarts and nodes.
create table crl_number (
    issuer      varchar(512) not null,
    last_number bigint       not null,
    constraint pk_crl_number primary key (issuer)
);

create index ix_certificate_request_serial on certificate_request (certificate_serial);

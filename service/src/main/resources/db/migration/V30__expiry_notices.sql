-- Expiry notices (issue 11): one row per certificate and notice threshold (days before
-- notAfter) that was mailed, so that no holder gets the same notice twice however often the
-- daily run is repeated, and with the request that invites the holder to renew.
create table expiry_notice (
    issuer             varchar(512)  not null,
    serial_hex         varchar(64)   not null,
    threshold_days     int           not null,
    request_id         varchar(36)   not null,
    sent_at            datetime(6)   not null,
    renewal_request_id varchar(36),
    constraint pk_expiry_notice primary key (issuer, serial_hex, threshold_days)
);
create index ix_expiry_notice_request on expiry_notice (request_id);

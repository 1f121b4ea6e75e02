-- The applicant's status link (/status?token=...), mailed on submission. Like the invitation,
-- only the SHA-256 of the token is kept. It works while the request is open and for
-- org.certflow.request.ApplicantStatus.AFTER_END once it has ended (computed from the
-- request's updated_at, so no expiry is stored here).
create table status_link (
    request_id  varchar(36)  not null,
    token_hash  varchar(64)  not null,
    created_at  datetime(6)  not null,
    constraint pk_status_link primary key (request_id),
    constraint uq_status_link_token unique (token_hash)
);

-- Keys made by the server (key source SERVER). One row per request from submission until the
-- applicant downloads the PKCS#12 file, or the request ends without it; then the row is deleted.
-- Nothing here opens without the applicant's password, which is never stored: the escrow private
-- key is AES-256-GCM under a PBKDF2-HMAC-SHA256 key from the password, and the subject's private
-- key (sealed_key, set at issuance) is encrypted to the escrow public key (ECDH P-256 + HKDF +
-- AES-256-GCM). See org.certflow.serverkey.KeyEscrow.
create table server_key (
    request_id          varchar(36)    not null primary key,
    key_token           varchar(16)    not null,
    escrow_public_key   varbinary(512) not null,
    escrow_private_key  varbinary(512) not null,
    escrow_salt         varbinary(64)  not null,
    escrow_iterations   int            not null,
    sealed_key          varbinary(8192),
    wrong_passwords     int            default 0 not null,
    created_at          datetime(6)    not null,
    sealed_at           datetime(6),
    constraint fk_server_key_request foreign key (request_id) references certificate_request (request_id)
);

-- The demo's standard class offers all three key sources, so the server-made path can be tried.
update certificate_class set key_sources = 'BROWSER,CSR,SERVER' where name = 'standard';

-- The RA admin's API (issue 8): searching requests, requests entered on a user's behalf.
-- Same script on H2 and MySQL/MariaDB: one column per statement, explicit lengths.

-- Entered on the applicant's behalf: contact data the RA admin gave (never put into the
-- certificate; the phone column came with V13), and the Idempotency-Key the admin's client
-- sent, unique per admin, so that a repeated or concurrent POST finds the request the first
-- one made.
alter table certificate_request add column organisation varchar(64);
alter table certificate_request add column idempotency_key varchar(64);
create unique index uq_certificate_request_idempotency on certificate_request (created_by, idempotency_key);

-- GET /api/v1/requests: newest first, by mailbox, by class (by serial: V3's index); name
-- searches scan.
create index ix_certificate_request_created on certificate_request (created_at);
create index ix_certificate_request_email on certificate_request (email);
create index ix_certificate_request_class on certificate_request (certificate_class, created_at);

-- Where the request's key pair was made: BROWSER (WebCrypto in the applicant's browser), CSR
-- (the applicant's own tool) or SERVER (made by CertFlow at issuance). The activation page
-- follows it. Null on requests submitted before this version: they all came with a CSR.
alter table certificate_request add column key_source varchar(16);

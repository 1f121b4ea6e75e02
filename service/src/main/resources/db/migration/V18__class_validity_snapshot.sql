-- The class's certificate validity, copied onto the request at submission like the other class
-- settings (V13): the signer asks the CA for it, and the CA caps it at the profile's validity.
-- Null on requests submitted before this version, which read their class.
alter table certificate_request add column class_validity_days int;

-- Approval by class (issue 8). Same script on H2 and MySQL/MariaDB: one column per statement,
-- explicit lengths.
--
-- The applicant's phone number, optional unless the class requires one (E.164-like text).
alter table certificate_request add column phone varchar(32);
-- What routing and issuance read from the class, copied onto the request when it is
-- submitted: a class an RA admin changes later never alters a request already submitted.
-- Null on requests submitted before this version, which keep reading their class.
alter table certificate_request add column class_issuance_profile varchar(64);
alter table certificate_request add column class_issue_immediately boolean;
alter table certificate_request add column class_allowed_domains varchar(2000);
alter table certificate_request add column class_phone_required boolean;
alter table certificate_request add column class_pin_required boolean;
-- The route the approval-policy table chose (AUTO_APPROVE, MANUAL, DUAL_CONTROL, AUTO_REJECT,
-- DEFER): the model's gateways read it from here, never from a variable a task user could write.
alter table certificate_request add column approval_route varchar(16);
-- Under dual control, the officer who gave the first approval; the engine refuses the second
-- approval from the same officer. Cleared when the request is deferred.
alter table certificate_request add column first_approved_by varchar(128);

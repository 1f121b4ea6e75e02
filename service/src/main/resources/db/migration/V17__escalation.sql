-- When a request's validation was first escalated to the supervisors (issue 8): the RAMC
-- and the API flag it. Each escalation is also on the request's timeline (request_event).
alter table certificate_request add column escalated_at datetime(6);

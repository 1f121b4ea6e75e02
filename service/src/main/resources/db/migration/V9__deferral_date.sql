-- The day a deferred application returns to the officers' queue, recorded with the decision:
-- the process's deferral timer reads it from here, never from a variable a task user could write.
alter table certificate_request add column deferred_until datetime(6);

-- Issuance runs (issue 10): the schedule or an RA admin releases the approved requests of
-- the classes that issue in batches. A run claims its requests in one statement when it
-- opens (issuance_run_id), so a request belongs to exactly one run however runs overlap,
-- and one approved after that statement waits for the next run; it then releases them
-- chunk by chunk (released_at).
create table issuance_run (
    run_id          varchar(40)   not null,
    started_by      varchar(128)  not null,
    requested_at    datetime(6)   not null,
    opened_at       datetime(6),
    claimed         int           default 0 not null,
    release_failed  int           default 0 not null,
    finished_at     datetime(6),
    constraint pk_issuance_run primary key (run_id)
);
create index ix_issuance_run_requested on issuance_run (requested_at);

alter table certificate_request add column issuance_run_id varchar(40);
alter table certificate_request add column released_at datetime(6);
create index ix_request_issuance_run on certificate_request (issuance_run_id, released_at);
create index ix_request_status_class on certificate_request (status, class_issue_immediately);

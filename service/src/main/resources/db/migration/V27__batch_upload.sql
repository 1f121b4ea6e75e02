-- Batch upload (issue 10): a CSV file of invitations or requests on the applicants' behalf.
-- The upload is stored whole (batch_chunk) in the transaction that answers 202, so a batch
-- survives a crash; a worker then reads it row by row from next_offset and moves
-- next_offset, next_row and the counters in the same transaction as each row's request,
-- so a resumed batch neither skips nor repeats a row. content_sha256 is unique: the same
-- file uploaded again, or twice at once, is one batch.
create table batch_upload (
    batch_id        varchar(40)   not null,
    content_sha256  varchar(64)   not null,
    file_name       varchar(255),
    file_size       bigint        not null,
    columns_list    varchar(200)  not null,
    uploaded_by     varchar(128)  not null,
    uploaded_at     datetime(6)   not null,
    status          varchar(16)   not null,
    total_rows      int           not null,
    processed_rows  int           not null,
    failed_rows     int           not null,
    skipped_rows    int           not null,
    next_row        int           not null,
    next_offset     bigint        not null,
    claimed_by      varchar(40),
    lease_until     datetime(6),
    finished_at     datetime(6),
    constraint pk_batch_upload primary key (batch_id),
    constraint uk_batch_upload_content unique (content_sha256)
);
create index ix_batch_upload_status on batch_upload (status, lease_until);
create index ix_batch_upload_uploaded on batch_upload (uploaded_at);

create table batch_chunk (
    batch_id   varchar(40)  not null,
    seq        int          not null,
    data       longblob     not null,
    constraint pk_batch_chunk primary key (batch_id, seq),
    constraint fk_batch_chunk_batch foreign key (batch_id) references batch_upload (batch_id)
);

-- One row per request a batch created. row_key (see BatchRowKey) is unique across all
-- batches: a row uploaded again, in this file or another, creates nothing twice.
create table batch_row (
    row_key     varchar(64)  not null,
    batch_id    varchar(40)  not null,
    row_no      int          not null,
    request_id  varchar(36)  not null,
    created_at  datetime(6)  not null,
    constraint pk_batch_row primary key (row_key),
    constraint fk_batch_row_batch foreign key (batch_id) references batch_upload (batch_id)
);
create index ix_batch_row_batch on batch_row (batch_id, row_no);
create index ix_batch_row_request on batch_row (request_id);

create table batch_row_error (
    batch_id           varchar(40)    not null,
    row_no             int            not null,
    email              varchar(320),
    certificate_class  varchar(64),
    message            varchar(1000)  not null,
    constraint pk_batch_row_error primary key (batch_id, row_no),
    constraint fk_batch_row_error_batch foreign key (batch_id) references batch_upload (batch_id)
);

-- The batch that made a request, for the request search (RAMC and GET /api/v1/requests?batch=).
alter table certificate_request add column batch_id varchar(40);
create index ix_request_batch on certificate_request (batch_id);

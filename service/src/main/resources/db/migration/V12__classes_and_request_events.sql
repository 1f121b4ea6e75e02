-- Certificate classes grow the settings the approval policy, the forms, issuance and billing
-- read (issue 8), and every request gets a timeline. Same script on H2 and MySQL/MariaDB: one
-- column per statement, explicit lengths.
--
-- Lists (allowed_domains, key_sources, key_algorithms, distribution_methods) are stored as
-- comma-separated tokens without spaces, lowercase for domains, uppercase for the others.
alter table certificate_class add column description varchar(1000);
-- Mailbox domains the approval policy may approve without an officer (auto-domain).
alter table certificate_class add column allowed_domains varchar(2000);
alter table certificate_class add column phone_required boolean default false not null;
alter table certificate_class add column pin_required boolean default false not null;
-- BROWSER (key made in the applicant's browser), CSR (uploaded), SERVER (made at issuance).
alter table certificate_class add column key_sources varchar(64) default 'BROWSER,CSR' not null;
alter table certificate_class add column key_algorithms varchar(128) default 'RSA-2048,RSA-3072,EC-P256' not null;
alter table certificate_class add column validity_days int default 365 not null;
-- WEB_PICKUP (activation link and PIN), P12_MAIL, TOKEN.
alter table certificate_class add column distribution_methods varchar(128) default 'WEB_PICKUP' not null;
alter table certificate_class add column default_distribution varchar(16) default 'WEB_PICKUP' not null;
alter table certificate_class add column billing_code varchar(64);
-- ISO-8601 duration (PT8H); an undecided validation task older than this is escalated.
alter table certificate_class add column escalation_after varchar(32);
-- A retired class takes no new requests; requests already made keep it.
alter table certificate_class add column retired_at datetime(6);
alter table certificate_class add column version bigint default 0 not null;

update certificate_class
   set description = 'Manual approval by a validation officer; issued as soon as it is approved.',
       key_algorithms = 'RSA-2048,RSA-3072,RSA-4096,EC-P256,EC-P384',
       escalation_after = 'PT8H'
 where name = 'standard';

insert into certificate_class (name, display_name, issuance_profile, issue_immediately, description,
        allowed_domains, key_algorithms, escalation_after)
values ('auto-domain', 'Mailbox domain approved automatically', 'standard', true,
        'Approved without an officer when the mailbox domain is on the class''s list; otherwise an officer decides.',
        'example.org', 'RSA-2048,RSA-3072,RSA-4096,EC-P256,EC-P384', 'PT8H');

insert into certificate_class (name, display_name, issuance_profile, issue_immediately, description,
        phone_required, key_algorithms, escalation_after)
values ('high-assurance', 'High assurance, dual control', 'standard', false,
        'Two different officers approve; issued in the scheduled batch run.', true,
        'RSA-3072,RSA-4096,EC-P256,EC-P384', 'PT4H');

-- What happened to a request, in order: decisions (who, when, why), mails, escalations, admin
-- actions. Written in the same transaction as the change it records; never updated.
-- event_seq gives the order: MySQL Connector/J stores whole seconds only on MariaDB 10.x (it
-- reads the server's "5.5.5-" version prefix as too old for fractional seconds), so several
-- events of one second cannot be ordered by occurred_at there.
create table request_event (
    event_seq   bigint        not null auto_increment,
    event_id    varchar(36)   not null,
    request_id  varchar(36)   not null,
    occurred_at datetime(6)   not null,
    kind        varchar(32)   not null,
    -- User id, or 'policy' for the approval table, 'system' for timers and the CA.
    actor       varchar(128)  not null,
    detail      varchar(2000),
    constraint pk_request_event primary key (event_id),
    constraint uq_request_event_seq unique (event_seq),
    constraint fk_request_event_request foreign key (request_id) references certificate_request (request_id)
);

create index ix_request_event_request on request_event (request_id, event_seq);

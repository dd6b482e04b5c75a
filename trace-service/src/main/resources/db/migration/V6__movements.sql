-- Commissioning, the supply-chain operations of stations and partners, and which partner reports
-- for which site. Written in the SQL that PostgreSQL and the embedded H2 (PostgreSQL mode) both accept.

-- Set once a run has ended and every code it sent has its record in the ledger: a commissioning
-- event for each good mark, a decommissioning event for each voided code. The commissioner then
-- never looks at the run's codes again.
alter table marking_run add column commissioning_done boolean not null default false;

-- The sites a partner user reports for. A partner may pack, ship, receive, sell, decommission and
-- destroy at these sites only; admins set the list through PUT /api/users/{id}/sites.
create table site_partner (
    user_id  bigint  not null references app_user (id),
    site_id  bigint  not null references site (id),
    primary key (user_id, site_id)
);
create index site_partner_site_idx on site_partner (site_id);

-- One row per operation accepted under a client's request id: asked again with the same id, the
-- operation answers what it answered the first time and stores nothing; asked with the same id
-- but a different body, it is refused. request_hash is the SHA-256 of the request as understood.
create table movement_request (
    requested_by  varchar(200)  not null,
    request_id    varchar(64)   not null,
    operation     varchar(16)   not null,
    request_hash  varchar(64)   not null,
    event_id      varchar(500)  not null,
    answer        text          not null,
    created_at    timestamp with time zone not null,
    primary key (requested_by, request_id)
);

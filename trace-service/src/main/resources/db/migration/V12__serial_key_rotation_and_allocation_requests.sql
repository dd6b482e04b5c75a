-- Serial key rotation and idempotent allocation.
-- Written in the SQL that PostgreSQL and the embedded H2 (PostgreSQL mode) both accept.

-- The key each allocation's serials were derived under. Before rotation there was one key, the
-- one pinned in serial_key; the service refuses to start without every key named here.
alter table code_allocation add column key_fingerprint varchar(16);
update code_allocation set key_fingerprint = (select min(fingerprint) from serial_key);
alter table code_allocation alter column key_fingerprint set not null;

-- One row per allocation asked for under a client's request id: asked again with the same id and
-- body, the allocation answers as the first time and issues nothing; with the same id and another
-- body, it is refused. The row is written before the codes, in the same transaction, so a retry
-- that arrives while the first is still running waits for it instead of allocating twice.
create table allocation_request (
    requested_by   varchar(200)  not null,
    request_id     varchar(64)   not null,
    batch_id       bigint        not null,
    code_count     integer       not null,
    allocation_id  bigint,
    created_at     timestamp with time zone not null,
    primary key (requested_by, request_id)
);

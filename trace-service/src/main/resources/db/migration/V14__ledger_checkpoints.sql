-- Checkpoints anchor the ledger's hash chain outside the database: each is a statement of the
-- chain's head at a position, signed with the ledger's Ed25519 key, which lives in configuration
-- (or the embedded default's data folder), never here. Written in the SQL that PostgreSQL and the
-- embedded H2 (PostgreSQL mode) both accept.
--
-- ledger_head.ledger_id  the ledger's identity, named in every checkpoint; set once at start
-- ledger_signing_key     every public key the ledger has signed with, so that checkpoints signed
--                        before a key change still verify
-- ledger_checkpoint      every checkpoint issued, on request or on the schedule

alter table ledger_head add column ledger_id varchar(36);

create table ledger_signing_key (
    key_id      varchar(64)   primary key,
    public_key  varchar(200)  not null,
    first_used  timestamp with time zone not null
);

create sequence ledger_checkpoint_seq start with 1 increment by 50;

create table ledger_checkpoint (
    id            bigint        primary key,
    ledger_id     varchar(36)   not null,
    position      bigint        not null,
    head_hash     varchar(64)   not null,
    issued_at     timestamp with time zone not null,
    key_id        varchar(64)   not null,
    signature     varchar(100)  not null,
    requested_by  varchar(255)  not null
);
create index ledger_checkpoint_issued_idx on ledger_checkpoint (issued_at);

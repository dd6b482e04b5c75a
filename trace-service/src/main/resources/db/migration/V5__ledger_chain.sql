-- Tamper evidence for the event ledger: every event carries its EPCIS event hash and a link in a
-- hash chain over the whole ledger, in append order. Written in the SQL that PostgreSQL and the
-- embedded H2 (PostgreSQL mode) both accept.
--
-- event.event_hash     the event's EPCIS 2.0 event hash, ni:///sha-256;...?ver=CBV2.0
-- event.previous_hash  the chain value of the event appended before it (64 zeros for the first)
-- event.chain_hash     sha-256 (hex) over the previous chain value, the position, the event hash,
--                      the record time, who captured it, its @context and its stored document
-- event.chain_position 1, 2, 3, ...: the append order, without gaps
--
-- ledger_head holds the chain's last value and length. Appends lock its one row with
-- select ... for update, so that concurrent captures take their turns on the chain.

alter table event add column chain_position bigint;
alter table event add column chain_hash varchar(64);
create unique index event_chain_position_idx on event (chain_position);

create table ledger_head (
    id          integer      primary key,
    events      bigint       not null,
    chain_hash  varchar(64)  not null,
    constraint ledger_head_one_row check (id = 1)
);
insert into ledger_head (id, events, chain_hash)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

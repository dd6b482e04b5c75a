-- The item view: what the read side needs of each EPC, kept in the same transaction as the ledger
-- write. Written in the SQL that PostgreSQL and the embedded H2 (PostgreSQL mode) both accept.
-- docs/item-view.md describes the model and its invariants; in short:
--
-- * one row per EPC the ledger names (items and containers alike), and one per lot class that a
--   recall names; `steps` holds the compact public record of every event of the EPC's trace as it
--   stood when the row was last written (its own events, its containers' events while it was inside
--   them, up to then), in ledger order; the other columns are that fold's summary;
-- * an item does not inherit its container's later moves by being rewritten: `item_parent` holds the
--   containers it is inside now, and a reader adds their steps since packing (and theirs, up the
--   bounded chain). Shipping a pallet writes the pallet's row only;
-- * a late event (older than what a row holds), an event of a container that ends a packing span it
--   falls in, and an error declaration rebuild the rows concerned from the ledger, so the view
--   always equals the full trace (proved by ItemViewPropertyTest and GET /epcis/ledger/verify?views=).

create table item_view (
    epc               varchar(500)  primary key,
    -- 'item', 'container' (named as an aggregation's parentID) or 'class' (a lot named by a recall).
    kind              varchar(10)   not null,
    -- The newest event folded into the row (ledger order: event time, then capture order).
    last_time         timestamp with time zone not null,
    last_row          bigint        not null,
    disposition       varchar(500),
    biz_step          varchar(500),
    location          varchar(500),
    custodian         varchar(500),
    commissioned_at   timestamp with time zone,
    sold_at           timestamp with time zone,
    sold_place        varchar(500),
    recalled_at       timestamp with time zone,
    -- The last time an AggregationEvent DELETE closed a packing span in this container.
    unpacked_at       timestamp with time zone,
    steps             text          not null
);

-- The containers an EPC is inside now, since when: a reader's way up the chain; and, by parent,
-- what a container holds (unpacking everything, rebuilding its contents).
create table item_parent (
    child   varchar(500)  not null,
    parent  varchar(500)  not null,
    since   timestamp with time zone not null,
    primary key (child, parent)
);
create index item_parent_parent_idx on item_parent (parent);

-- Error declarations retract the events they repeat: the same event hash (the hash leaves out
-- eventID and errorDeclaration), found through this index.
create index event_event_hash_idx on event (event_hash);

-- A rebuild of the whole view (POST /api/admin/item-view/rebuild): one row, resumable from its cursor.
create table item_view_rebuild (
    id           integer       primary key,
    state        varchar(10)   not null,
    started_at   timestamp with time zone not null,
    finished_at  timestamp with time zone,
    -- The last EPC rebuilt, in EPC order; a resumed rebuild goes on after it.
    cursor_epc   varchar(500),
    done         bigint        not null,
    total        bigint        not null,
    error        varchar(2000)
);

-- The EPCIS 2.0 event ledger: every captured event, append-only.
-- Written in the SQL that PostgreSQL and the embedded H2 (PostgreSQL mode) both accept.
--
-- The service only ever inserts into these tables; a mistake is corrected by capturing an event
-- with an errorDeclaration (and correctiveEventIDs), never by changing or removing a row.
--
-- Identifiers in the columns and child tables below are in Tracemark's canonical form, so that
-- one item matches whichever way a partner wrote it: the GS1 Digital Link URI on id.gs1.org
-- (https://id.gs1.org/01/{GTIN-14}/21/{serial}, /00/{SSCC}, /414/{GLN}[/254/{extension}], ...).
-- document keeps the event exactly as it was captured (plus the recordTime and, when the client
-- sent none, the eventID the service gave it).

create sequence event_seq start with 1 increment by 50;
create table event (
    id                      bigint primary key,
    event_id                varchar(500)  not null,
    event_type              varchar(500)  not null,
    action                  varchar(8),
    biz_step                varchar(500),
    disposition             varchar(500),
    read_point              varchar(500),
    biz_location            varchar(500),
    event_time              timestamp with time zone not null,
    event_time_zone_offset  varchar(6)    not null,
    record_time             timestamp with time zone not null,
    error_declaration_time  timestamp with time zone,
    error_reason            varchar(500),
    document                text          not null,
    -- The JSON-LD @context the event was captured under (its document's, or its own), which
    -- gives its extension fields' prefixes their meaning.
    context                 text,
    capture_id              varchar(36),
    -- Who captured it: 'user:{name}' or 'line:{id}' for a station key. Partners and stations
    -- query only their own events.
    captured_by             varchar(200)  not null,
    -- The hash chain that makes tampering evident is added on top of this ledger: each event's
    -- EPCIS event hash (ni:///sha-256;...?ver=CBV2.0) and the hash of the event before it.
    -- Left empty until that chain is computed.
    event_hash              varchar(200),
    previous_hash           varchar(200),
    constraint event_event_id_unique unique (event_id)
);
create index event_event_time_idx on event (event_time, id);
create index event_record_time_idx on event (record_time, id);
create index event_type_idx on event (event_type);
create index event_biz_step_idx on event (biz_step);
create index event_read_point_idx on event (read_point);
create index event_biz_location_idx on event (biz_location);
create index event_captured_by_idx on event (captured_by, id);

-- The EPCs an event names, one row per EPC and role: EPC_LIST (epcList), PARENT (parentID),
-- CHILD (childEPCs), INPUT (inputEPCList), OUTPUT (outputEPCList).
create table event_epc (
    event_row  bigint        not null references event (id),
    role       varchar(8)    not null,
    epc        varchar(500)  not null
);
create index event_epc_epc_idx on event_epc (epc, role);
create index event_epc_event_idx on event_epc (event_row);

-- The EPC classes an event counts, one row per quantity element: QUANTITY (quantityList),
-- CHILD (childQuantityList), INPUT (inputQuantityList), OUTPUT (outputQuantityList).
create table event_quantity (
    event_row  bigint          not null references event (id),
    role       varchar(8)      not null,
    epc_class  varchar(500)    not null,
    quantity   numeric(30, 6),
    uom        varchar(10)
);
create index event_quantity_class_idx on event_quantity (epc_class, role);
create index event_quantity_event_idx on event_quantity (event_row);

-- Capture jobs of POST /epcis/capture. Capture runs inside the request, so a job is written once,
-- finished, with the problems of the events it could not store.
create table capture_job (
    id                       varchar(36)  primary key,
    created_at               timestamp with time zone not null,
    finished_at              timestamp with time zone not null,
    success                  boolean      not null,
    capture_error_behaviour  varchar(8)   not null,
    event_count              integer      not null,
    stored_count             integer      not null,
    errors                   text,
    captured_by              varchar(200) not null
);

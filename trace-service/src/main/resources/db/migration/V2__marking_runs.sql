-- Marking: each line's marker configuration, the marking runs that feed its marker, and what a
-- run did to each of its codes. Written in the SQL that PostgreSQL and the embedded H2
-- (PostgreSQL mode) both accept.

-- How a line's marking station reaches its marker: one row per line, replaced whole. The transport
-- columns of the kind not in use stay null. The MQTT password is kept as the broker needs it,
-- readable by the service alone: the API never returns it.
create table line_marker (
    line_id              bigint        primary key references line (id),
    dialect              varchar(40)   not null,
    job                  varchar(100)  not null,
    queue_depth          integer       not null,
    minimum_grade        varchar(1)    not null,
    transport            varchar(8)    not null,
    serial_port          varchar(200),
    serial_baud          integer,
    serial_data_bits     integer,
    serial_parity        varchar(8),
    serial_stop_bits     varchar(12),
    serial_flow_control  varchar(10),
    mqtt_broker_url      varchar(500),
    mqtt_username        varchar(200),
    mqtt_password        varchar(200),
    mqtt_client_id       varchar(64),
    mqtt_topic_prefix    varchar(100),
    mqtt_site            varchar(64),
    mqtt_station         varchar(64),
    updated_by           varchar(100)  not null,
    updated_at           timestamp with time zone not null
);

-- One run of a line's marker over one batch.
--
-- active_line_id holds the line's id while the run is active and null once it ended: its unique
-- constraint lets a line have one active run at a time even when two starts race, and unlike a
-- partial index it means the same on both databases (both allow many nulls in a unique column).
--
-- A run takes its batch's codes in counter order, so the codes it claimed are exactly the batch's
-- codes between first_counter and claim_cursor. Finding them costs a primary-key range, which is
-- why the code table gets no index on run_id (see below). claim_cursor starts where the batch's
-- previous run stopped, so a second run never rescans the first one's codes.
--
-- The counts are kept here, in the transaction of each code's step, so that they survive a
-- restart and a status read never counts code rows: sent = codes claimed; marked and verified =
-- codes that got that far and were not voided afterwards; voided = codes voided.
-- released, station_state, marker_queue, items_per_second and alarms are the pipeline's last
-- reported figures.
create sequence marking_run_seq start with 1 increment by 50;
create table marking_run (
    id                bigint        primary key,
    batch_id          bigint        not null references batch (id),
    line_id           bigint        not null references line (id),
    active_line_id    bigint        unique references line (id),
    target            bigint        not null,
    state             varchar(10)   not null,
    first_counter     bigint,
    claim_cursor      bigint        not null,
    sent              bigint        not null default 0,
    marked            bigint        not null default 0,
    verified          bigint        not null default 0,
    voided            bigint        not null default 0,
    released          bigint        not null default 0,
    station_state     varchar(12),
    marker_queue      integer       not null default 0,
    items_per_second  double precision not null default 0,
    alarms            varchar(4000),
    failure           varchar(1000),
    started_by        varchar(100)  not null,
    created_at        timestamp with time zone not null,
    updated_at        timestamp with time zone not null,
    finished_at       timestamp with time zone
);
create index marking_run_line_idx on marking_run (line_id, id);
create index marking_run_batch_idx on marking_run (batch_id, id);

-- What marking did to a code: the run that sent it, the grade its mark was verified with, and
-- why it was voided. The columns are null on the millions of codes no run has touched yet, so
-- adding them rewrites nothing and the allocator's bulk COPY stays as fast as it was.
-- Deliberately no index on run_id and no foreign key: a B-tree on run_id would take one entry per
-- allocated code, nulls included (H2 has no partial indexes), and slow every allocation for the
-- sake of queries that the run's counter range already answers through the primary key.
alter table code add column run_id bigint;
alter table code add column grade varchar(1);
alter table code add column void_reason varchar(200);

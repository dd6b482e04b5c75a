-- Master data, the code registry and the credentials that guard them.
-- Written in the SQL that PostgreSQL and the embedded H2 (PostgreSQL mode) both accept.

create sequence product_seq start with 1 increment by 50;
create table product (
    id            bigint primary key,
    gtin          varchar(14)   not null unique,
    name          varchar(200)  not null,
    brand         varchar(200),
    description   varchar(4000),
    image_url     varchar(2000),
    attributes    text,
    created_at    timestamp with time zone not null,
    updated_at    timestamp with time zone
);

create sequence site_seq start with 1 increment by 50;
create table site (
    id            bigint primary key,
    gln           varchar(13)   not null unique,
    name          varchar(200)  not null,
    role          varchar(16)   not null,
    street        varchar(200),
    city          varchar(100),
    postal_code   varchar(20),
    country       varchar(2),
    latitude      double precision,
    longitude     double precision,
    created_at    timestamp with time zone not null,
    updated_at    timestamp with time zone
);

create sequence line_seq start with 1 increment by 50;
create table line (
    id            bigint primary key,
    site_id       bigint        not null references site (id),
    code          varchar(40)   not null,
    name          varchar(200)  not null,
    created_at    timestamp with time zone not null,
    constraint line_code_unique unique (site_id, code)
);

create sequence batch_seq start with 1 increment by 50;
create table batch (
    id               bigint primary key,
    product_id       bigint       not null references product (id),
    lot              varchar(20)  not null,
    production_date  date,
    expiry_date      date,
    line_id          bigint       not null references line (id),
    planned_quantity integer      not null,
    codes_allocated  bigint       not null default 0,
    created_at       timestamp with time zone not null,
    constraint batch_lot_unique unique (product_id, lot)
);
create index batch_line_idx on batch (line_id);

-- The counter behind every serial: one row, only ever moved forward.
create table code_counter (
    id          integer primary key,
    next_value  bigint not null
);
insert into code_counter (id, next_value) values (1, 0);

-- Which serial key the registry's codes were issued under; a different key would orphan them.
create table serial_key (
    fingerprint  varchar(16) primary key,
    first_used   timestamp with time zone not null
);

-- One row per allocation: a contiguous range of counters issued to one batch. The foreign key
-- here pins every code of the range to its batch, so the code rows need none of their own.
create sequence code_allocation_seq start with 1 increment by 50;
create table code_allocation (
    id             bigint primary key,
    batch_id       bigint       not null references batch (id),
    first_counter  bigint       not null,
    code_count     integer      not null,
    allocated_by   varchar(100) not null,
    allocated_at   timestamp with time zone not null
);
create index code_allocation_batch_idx on code_allocation (batch_id, first_counter);

-- One row per code, written in bulk (a million per allocation). The counter is the key: a serial
-- decodes to its counter without a look-up, and a batch's codes are found through its allocation
-- ranges, so the row carries no index on the serial or the batch and no per-row foreign key check,
-- which together cost more than the rows themselves. batch_id is written once, by the allocator,
-- from the allocation's batch.
create table code (
    counter           bigint primary key,
    serial            varchar(20)  not null,
    batch_id          bigint       not null,
    state             varchar(12)  not null,
    state_changed_at  timestamp with time zone not null
);

create sequence app_user_seq start with 1 increment by 50;
create table app_user (
    id             bigint primary key,
    username       varchar(100) not null unique,
    password_hash  varchar(100) not null,
    roles          varchar(200) not null,
    created_at     timestamp with time zone not null,
    disabled       boolean      not null default false
);

create sequence api_key_seq start with 1 increment by 50;
create table api_key (
    id           bigint primary key,
    key_id       varchar(24)  not null unique,
    secret_hash  varchar(64)  not null,
    line_id      bigint       not null references line (id),
    label        varchar(200),
    created_at   timestamp with time zone not null,
    revoked_at   timestamp with time zone
);

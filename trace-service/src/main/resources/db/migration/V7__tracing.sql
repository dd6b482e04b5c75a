-- Consumer scans of the GS1 Digital Link path (/01/{gtin}/21/{serial}), and what tracing needs.
-- Written in the SQL that PostgreSQL and the embedded H2 (PostgreSQL mode) both accept.
--
-- A scan holds no personal data: no IP address, no user agent, no cookie. Its place is coarse:
-- coordinates rounded to one decimal (about 10 km) when the phone sent them, or a country code.

create sequence scan_seq start with 1 increment by 50;
create table scan (
    id          bigint primary key,
    serial      varchar(20)  not null,
    gtin        varchar(14)  not null,
    scanned_at  timestamp with time zone not null,
    latitude    numeric(4, 1),
    longitude   numeric(4, 1),
    country     varchar(2),
    -- What the consumer was told: genuine, never_issued, voided, recalled, sold_scanned_far_away.
    verdict     varchar(24)  not null
);
create index scan_serial_idx on scan (serial, scanned_at);
create index scan_scanned_at_idx on scan (scanned_at);


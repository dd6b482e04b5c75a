-- Marking runs driven by a station agent on a line PC instead of by the service itself.
--
-- driver says who drives the line's marker: 'SERVICE' (a pipeline in this service, over the
-- line's marker configuration) or 'AGENT' (the station agent, which claims codes and reports
-- every step over HTTP with the line's station key).
alter table marking_run add column driver varchar(8) not null default 'SERVICE';

-- Each claim an agent made, by the request id it chose: asked again after a crash or a lost
-- answer, the same claim answers with the same codes instead of taking new ones. A claim takes
-- the run's batch's fresh codes in counter order, so its codes are exactly the run's codes of the
-- batch between first_counter and last_counter (both null when there were none to give).
create table marking_claim (
    run_id         bigint       not null references marking_run (id),
    request_id     varchar(64)  not null,
    code_count     integer      not null,
    first_counter  bigint,
    last_counter   bigint,
    claimed_at     timestamp with time zone not null,
    primary key (run_id, request_id)
);

-- MQTT markers behind a TLS broker with a private CA: the trust store the service checks the
-- broker's certificate against (a file on the service's host), and its password, which the API
-- never returns.
alter table line_marker add column mqtt_trust_store varchar(500);
alter table line_marker add column mqtt_trust_store_password varchar(200);

-- Markers reached over Ethernet: the host and command port of the marker, and how long a
-- connection attempt may take. Null unless the line's transport is TCP.
alter table line_marker add column tcp_host varchar(253);
alter table line_marker add column tcp_port integer;
alter table line_marker add column tcp_connect_timeout_ms integer;

-- Scans are written in groups by the scan log (io.tracemark.trace.scan.ScanLog), one multi-row
-- INSERT per group, no longer one Hibernate entity at a time: a scan's id becomes the column's
-- default, drawn from scan_seq by the database for each row.
--
-- scan_seq keeps its increment of 50, so each row takes one value of it (ids 50 apart; a bigint
-- lasts for 1.8e17 scans). That keeps it safe beside an instance still running the previous version
-- during a rolling upgrade: Hibernate's pooled optimizer there takes the 50 ids that end at the
-- value it drew, a block that holds no other drawn value, so it never meets an id drawn here.
alter table scan alter column id set default nextval('scan_seq');

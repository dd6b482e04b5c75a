-- Where commissioning stands in each run: every code of the run below this counter is settled for
-- good (commissioned or voided), so a pass reads from here instead of from the run's first code.
-- Without it, a long run was read from its beginning on every pass, a million rows every few seconds.
alter table marking_run add column commission_cursor bigint;

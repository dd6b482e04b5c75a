-- Whether an event names sources, destinations or business transactions: the parts of the captured
-- document that an item's journey reads beyond the columns. Tracing reads the document only for such
-- events, so that following an item never has to open, say, a pallet's packing event that lists
-- 10,000 children. Written in the SQL that PostgreSQL and the embedded H2 (PostgreSQL mode) both accept.
alter table event add column parties boolean not null default false;
update event set parties = true
 where document like '%"sourceList"%' or document like '%"destinationList"%' or document like '%"bizTransactionList"%';

-- An aggregation's parent is found among its EPC rows by role: with (event_row) alone, finding the
-- parent of a pallet's packing event walked its 10,000 child rows first.
create index event_epc_event_role_idx on event_epc (event_row, role);
drop index event_epc_event_idx;

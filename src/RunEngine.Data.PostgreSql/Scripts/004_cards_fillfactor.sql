-- RunEngine.Data 004: room on the cards' pages for their status changes (PostgreSQL only).
--
-- A card is written once and then changes status a few times (Pending -> InProgress -> Completed), each change an
-- UPDATE of status, version and updated_at — none of them indexed. PostgreSQL can make such an update "HOT" (heap-only:
-- the new row version stays on the same page and no index entry is added) only if the page has room; with the default
-- fillfactor of 100 a page filled by a cycle's COPY has none, so every status change moved the row to another page and
-- added an entry to both of the cards' indexes (primary key and natural key). A fillfactor of 70 leaves 30 % of each
-- new page free. Measured on PostgreSQL 15 with the lifecycle's pattern (10,000 cards, 10 per story, each batch of 10
-- stories' cards set InProgress, committed, then Completed, committed): 87 % of the cards had left their page at
-- fillfactor 100, 65 % at 80, 46 % at 70, and the updates took about a third less time at 70 (docs/benchmarks.md,
-- "Run lifecycle"). The cost: a new cycle's cards take about 40 % more pages; after their status changes the table is
-- smaller than at 100 (445 pages against 499), the moved rows' old versions having left holes behind.
--
-- Only the table's storage parameter changes: no rewrite, existing pages keep their rows (new cycles' pages get the
-- room), and the lock taken (SHARE UPDATE EXCLUSIVE) blocks neither reads nor writes. Stories keep the default: their
-- status is in the claim index, so their updates cannot be HOT anyway.

ALTER TABLE $(Cards) SET (fillfactor = 70);

-- The metrics endpoint counts runs not finished yet, by state, at every scrape (lib/data/operational-figures.ts).
-- Finished runs are nearly all of the table and only grow; this partial index holds the unfinished ones only, so the
-- count reads a few index entries whatever the table's size. Written by hand: Prisma's schema cannot express a
-- partial index. Its predicate must stay identical to the query's WHERE.
CREATE INDEX "Generation_unfinished_status_idx" ON "Generation" ("status")
  WHERE "status" IN ('PREPARING', 'QUEUED', 'SUBMITTING', 'RECONCILING', 'RUNNING', 'CANCELLING');

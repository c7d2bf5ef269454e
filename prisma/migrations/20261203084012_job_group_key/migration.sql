-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "groupKey" TEXT;

-- CreateIndex
CREATE INDEX "Job_groupKey_runAt_idx" ON "Job"("groupKey", "runAt");

-- CreateIndex
CREATE INDEX "Job_lockedBy_idx" ON "Job"("lockedBy");

-- Hand-written: jobs already queued when this migration runs join their workspace's group, so the fair claim shares
-- them from the start (generation jobs by their generation's workspace, purge jobs by the workspace in their payload).
UPDATE "Job" AS j SET "groupKey" = g."workspaceId"
  FROM "Generation" AS g
 WHERE j."queue" = 'generation.submit' AND g."id" = j."payload"->>'generationId';
UPDATE "Job" SET "groupKey" = "payload"->>'workspaceId'
 WHERE "queue" = 'media.purge' AND jsonb_typeof("payload"->'workspaceId') = 'string';

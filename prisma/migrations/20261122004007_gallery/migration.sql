-- DropIndex
DROP INDEX "Media_workspaceId_createdAt_id_idx";

-- AlterTable
ALTER TABLE "Media" ADD COLUMN     "boardId" TEXT,
ADD COLUMN     "createdById" TEXT,
ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "deletedById" TEXT,
ADD COLUMN     "favorite" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "modelLabel" TEXT,
ADD COLUMN     "prompt" TEXT,
ADD COLUMN     "tool" "Tool";

-- Hand-written: copy what the gallery filters on from each medium's generation, then require the tool.
UPDATE "Media" AS m
SET "tool" = g."tool", "modelLabel" = g."modelLabel", "prompt" = g."prompt", "createdById" = g."createdById", "boardId" = g."boardId"
FROM "Generation" AS g
WHERE g."id" = m."generationId";
ALTER TABLE "Media" ALTER COLUMN "tool" SET NOT NULL;

-- Hand-written (Prisma cannot express it): full-text search over the prompt, kept up to date by PostgreSQL.
ALTER TABLE "Media" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, coalesce("prompt", ''))) STORED;
CREATE INDEX "Media_search_idx" ON "Media" USING GIN ("search");

-- CreateIndex
CREATE INDEX "Media_workspaceId_createdAt_id_idx" ON "Media"("workspaceId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Media_workspaceId_tool_createdAt_id_idx" ON "Media"("workspaceId", "tool", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Media_workspaceId_status_createdAt_id_idx" ON "Media"("workspaceId", "status", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Media_workspaceId_createdById_createdAt_id_idx" ON "Media"("workspaceId", "createdById", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Media_workspaceId_boardId_createdAt_id_idx" ON "Media"("workspaceId", "boardId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Media_workspaceId_modelLabel_createdAt_id_idx" ON "Media"("workspaceId", "modelLabel", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Media_workspaceId_favorite_createdAt_id_idx" ON "Media"("workspaceId", "favorite", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Media_workspaceId_deletedAt_idx" ON "Media"("workspaceId", "deletedAt");

-- AddForeignKey
ALTER TABLE "Media" ADD CONSTRAINT "Media_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Media" ADD CONSTRAINT "Media_boardId_fkey" FOREIGN KEY ("boardId") REFERENCES "Board"("id") ON DELETE SET NULL ON UPDATE CASCADE;

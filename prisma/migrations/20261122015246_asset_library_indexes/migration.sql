-- DropIndex
DROP INDEX "Asset_workspaceId_createdAt_idx";

-- CreateIndex
CREATE INDEX "Asset_workspaceId_createdAt_id_idx" ON "Asset"("workspaceId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Asset_workspaceId_kind_createdAt_id_idx" ON "Asset"("workspaceId", "kind", "createdAt" DESC, "id" DESC);

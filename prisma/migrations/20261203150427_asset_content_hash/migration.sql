-- AlterTable
ALTER TABLE "Asset" ADD COLUMN     "contentHash" TEXT;

-- CreateIndex
CREATE INDEX "Media_workspaceId_tool_modelLabel_idx" ON "Media"("workspaceId", "tool", "modelLabel");

-- CreateIndex
CREATE UNIQUE INDEX "Asset_workspaceId_contentHash_key" ON "Asset"("workspaceId", "contentHash");

-- CreateIndex
CREATE INDEX "Generation_workspaceId_createdById_tool_createdAt_idx" ON "Generation"("workspaceId", "createdById", "tool", "createdAt" DESC);

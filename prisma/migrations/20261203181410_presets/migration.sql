-- CreateTable
CREATE TABLE "Preset" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "authorId" TEXT,
    "tool" "Tool" NOT NULL,
    "name" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "shared" BOOLEAN NOT NULL DEFAULT false,
    "boardId" TEXT,
    "thumbnailMediaId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Preset_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Preset_workspaceId_tool_shared_name_idx" ON "Preset"("workspaceId", "tool", "shared", "name");

-- CreateIndex
CREATE INDEX "Preset_workspaceId_tool_authorId_name_idx" ON "Preset"("workspaceId", "tool", "authorId", "name");

-- CreateIndex
CREATE INDEX "Preset_thumbnailMediaId_idx" ON "Preset"("thumbnailMediaId");

-- CreateIndex
CREATE INDEX "Preset_boardId_idx" ON "Preset"("boardId");

-- AddForeignKey
ALTER TABLE "Preset" ADD CONSTRAINT "Preset_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Preset" ADD CONSTRAINT "Preset_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Preset" ADD CONSTRAINT "Preset_boardId_fkey" FOREIGN KEY ("boardId") REFERENCES "Board"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Preset" ADD CONSTRAINT "Preset_thumbnailMediaId_fkey" FOREIGN KEY ("thumbnailMediaId") REFERENCES "Media"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Written by hand (Prisma cannot express a partial unique index): a name is unique per tool among the workspace's
-- shared presets (the team sees one list), and among each author's personal presets.
CREATE UNIQUE INDEX "Preset_shared_name_key" ON "Preset"("workspaceId", "tool", "name") WHERE "shared";
CREATE UNIQUE INDEX "Preset_personal_name_key" ON "Preset"("workspaceId", "tool", "authorId", "name") WHERE NOT "shared";

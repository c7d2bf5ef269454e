-- CreateEnum
CREATE TYPE "BatchState" AS ENUM ('RUNNING', 'PAUSED', 'CANCELLED', 'DONE');

-- AlterTable
ALTER TABLE "Generation" ADD COLUMN     "batchCell" INTEGER,
ADD COLUMN     "batchId" TEXT;

-- CreateTable
CREATE TABLE "Batch" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "createdById" TEXT,
    "name" TEXT NOT NULL,
    "plan" JSONB NOT NULL,
    "total" INTEGER NOT NULL,
    "capCredits" INTEGER NOT NULL,
    "state" "BatchState" NOT NULL DEFAULT 'RUNNING',
    "pauseReason" TEXT,
    "nextCell" INTEGER NOT NULL DEFAULT 0,
    "resumedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "boardId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Batch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Batch_workspaceId_createdAt_idx" ON "Batch"("workspaceId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Generation_batchId_batchCell_idx" ON "Generation"("batchId", "batchCell");

-- AddForeignKey
ALTER TABLE "Generation" ADD CONSTRAINT "Generation_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Batch" ADD CONSTRAINT "Batch_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Batch" ADD CONSTRAINT "Batch_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Batch" ADD CONSTRAINT "Batch_boardId_fkey" FOREIGN KEY ("boardId") REFERENCES "Board"("id") ON DELETE SET NULL ON UPDATE CASCADE;

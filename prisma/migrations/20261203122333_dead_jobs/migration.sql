-- CreateTable
CREATE TABLE "DeadJob" (
    "id" BIGSERIAL NOT NULL,
    "jobId" BIGINT NOT NULL,
    "queue" TEXT NOT NULL,
    "key" TEXT,
    "groupKey" TEXT,
    "payload" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "diedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeadJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DeadJob_groupKey_diedAt_idx" ON "DeadJob"("groupKey", "diedAt");

-- CreateIndex
CREATE INDEX "DeadJob_diedAt_idx" ON "DeadJob"("diedAt");

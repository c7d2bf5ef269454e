-- CreateIndex
CREATE INDEX "Generation_retryOfId_idx" ON "Generation"("retryOfId");

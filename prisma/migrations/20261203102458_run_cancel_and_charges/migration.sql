-- CreateEnum
CREATE TYPE "ChargeBasis" AS ENUM ('NOT_SENT', 'NOT_ACCEPTED', 'BALANCE', 'ESTIMATE', 'UNKNOWN');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "GenerationStatus" ADD VALUE 'CANCELLING';
ALTER TYPE "GenerationStatus" ADD VALUE 'CANCELLED';

-- AlterTable
ALTER TABLE "Generation" ADD COLUMN     "cancelRequestedAt" TIMESTAMP(3),
ADD COLUMN     "chargeBasis" "ChargeBasis",
ADD COLUMN     "chargedCredits" INTEGER,
ADD COLUMN     "refundedCredits" INTEGER;

-- Hand-written: the charge of runs recorded before this migration, from what lib/usage/spend.ts inferred until now
-- (lib/generations/charges.ts settles new runs the same way). RenderNet charges the estimate when it accepts a
-- create, so a run with a provider generation id was charged it; a final run that was never sent, or whose create
-- was refused or never received, was not; Qolaba gives no figure. Runs still in flight settle as they finish.
UPDATE "Generation" SET "chargeBasis" = 'ESTIMATE', "chargedCredits" = "estimatedCredits"
 WHERE "provider" = 'RENDERNET' AND "providerGenerationId" IS NOT NULL AND "estimatedCredits" IS NOT NULL;
UPDATE "Generation" SET "chargeBasis" = 'UNKNOWN'
 WHERE "chargeBasis" IS NULL AND ("providerGenerationId" IS NOT NULL OR "providerTaskId" IS NOT NULL);
UPDATE "Generation" SET "chargeBasis" = 'NOT_SENT', "chargedCredits" = 0
 WHERE "chargeBasis" IS NULL AND "status" IN ('SUCCEEDED', 'FAILED', 'REFUSED') AND "sentAt" IS NULL;
UPDATE "Generation" SET "chargeBasis" = 'UNKNOWN'
 WHERE "chargeBasis" IS NULL AND "status" IN ('SUCCEEDED', 'FAILED', 'REFUSED') AND "errorCause" IN ('unknown_outcome', 'internal');
UPDATE "Generation" SET "chargeBasis" = 'NOT_ACCEPTED', "chargedCredits" = 0
 WHERE "chargeBasis" IS NULL AND "status" IN ('SUCCEEDED', 'FAILED', 'REFUSED');

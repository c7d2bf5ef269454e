-- AlterEnum
-- Hand-edited: placed before QUEUED, where schema.prisma lists it (the order of the lifecycle).
ALTER TYPE "GenerationStatus" ADD VALUE 'PREPARING' BEFORE 'QUEUED';

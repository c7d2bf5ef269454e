-- Readiness (GET /api/health/ready, lib/data/health.ts) compares the migrations in prisma/migrations with the ones the
-- database has applied. The app's role may not read "_prisma_migrations" (docs/database-roles.md); this function,
-- owned by the owner that runs migrations and running with its rights, gives it the names of the applied ones and
-- nothing else. Written by hand: Prisma's schema cannot express a function.
CREATE OR REPLACE FUNCTION atelier_applied_migrations()
RETURNS TABLE (name text)
LANGUAGE sql
STABLE
SECURITY DEFINER
-- A SECURITY DEFINER function must not resolve names through a search_path its caller controls.
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT migration_name::text FROM public."_prisma_migrations"
   WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
$$;

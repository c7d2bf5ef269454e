#!/bin/sh
# Run once by the postgres image on an empty data directory (compose.yaml): the app's own login role, which
# `npm run db:migrate` then grants exactly the app's privileges (no superuser, owns nothing: docs/database-roles.md).
set -eu
psql -v ON_ERROR_STOP=1 -v app_password="$ATELIER_APP_DB_PASSWORD" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE atelier_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL

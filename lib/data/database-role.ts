import "server-only";
import { db } from "@/lib/db";

/**
 * Who the app is connected to PostgreSQL as, and whether that role could rewrite history (docs/database-roles.md).
 * Not a viewer's read: the server asks it once at start-up (lib/startup.ts) and warns when the answer is unsafe.
 *
 * Every question counts what the role could do after `SET ROLE` to any role it is a member of (NOINHERIT hides
 * those privileges from has_table_privilege, not from the session): a member of the owner can become the owner.
 */
export type DatabaseRoleReport = {
  role: string;
  /** A superuser, or a member of one: it can `SET session_replication_role = replica` and skip every trigger. */
  superuser: boolean;
  /** Whether "AuditEvent" exists yet (a database not migrated has nothing to protect). */
  auditTable: boolean;
  /** Owns "AuditEvent" or can act as its owner: it can drop or disable the append-only trigger. */
  ownsAuditTable: boolean;
  /** Which of UPDATE, DELETE, TRUNCATE, TRIGGER it holds on "AuditEvent" (the app needs none). */
  auditPrivileges: string[];
  /** May create tables and functions in schema public (PostgreSQL 14 and older grant that to every role). */
  createsInSchema: boolean;
};

type RawQuery = { $queryRaw: typeof db.$queryRaw };

export async function inspectDatabaseRole(client: RawQuery = db): Promise<DatabaseRoleReport> {
  const rows = await client.$queryRaw<DatabaseRoleReport[]>`
    WITH me AS (SELECT oid, rolname FROM pg_roles WHERE rolname = current_user),
         audit AS (SELECT to_regclass('public."AuditEvent"') AS oid),
         reachable AS (SELECT r.oid, r.rolsuper FROM pg_roles r, me WHERE pg_has_role(me.oid, r.oid, 'MEMBER'))
    SELECT me.rolname::text AS "role",
           EXISTS (SELECT 1 FROM reachable WHERE rolsuper) AS "superuser",
           audit.oid IS NOT NULL AS "auditTable",
           EXISTS (SELECT 1 FROM pg_class c JOIN reachable r ON r.oid = c.relowner WHERE c.oid = audit.oid) AS "ownsAuditTable",
           ARRAY(SELECT p FROM unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER']) AS p
                  WHERE audit.oid IS NOT NULL AND EXISTS (SELECT 1 FROM reachable r WHERE has_table_privilege(r.oid, audit.oid, p))) AS "auditPrivileges",
           EXISTS (SELECT 1 FROM reachable r WHERE has_schema_privilege(r.oid, 'public', 'CREATE')) AS "createsInSchema"
    FROM me, audit`;
  const report = rows[0];
  if (!report) throw new Error("current_user is not in pg_roles");
  return report;
}

/** What is wrong with the role, one sentence each; empty when it is least privilege. */
export function databaseRoleProblems(report: DatabaseRoleReport): string[] {
  const problems: string[] = [];
  if (report.superuser) problems.push("it is a superuser (or can become one), so it can switch triggers off and erase the audit log");
  if (report.ownsAuditTable) problems.push('it owns "AuditEvent" (or can act as its owner), so it can drop the append-only trigger');
  if (report.auditPrivileges.length > 0) problems.push(`it holds ${report.auditPrivileges.join(", ")} on "AuditEvent"`);
  if (report.createsInSchema) problems.push("it can create objects in schema public");
  return problems;
}

import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, afterEach, describe, expect, inject, it, vi } from "vitest";
import { databaseRoleProblems, inspectDatabaseRole } from "@/lib/data/database-role";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/logger";
import { checkDatabaseRole } from "@/lib/startup";
import { withCredentials } from "@/scripts/lib/db-roles.mjs";

const ownerUrl = inject("databaseOwnerUrl");
const appRole = inject("databaseAppRole");

const clients: PrismaClient[] = [];
function clientFor(url: string) {
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 1 }) });
  clients.push(client);
  return client;
}
afterAll(async () => {
  await Promise.all(clients.map((client) => client.$disconnect()));
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function asOwner<T>(fn: (owner: pg.Client) => Promise<T>) {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    return await fn(owner);
  } finally {
    await owner.end();
  }
}

describe("the start-up check of the app's database role", () => {
  it.skipIf(!appRole)("finds nothing wrong with the app role and says so once", async () => {
    const report = await inspectDatabaseRole(); // lib/db: the app role, as in production
    expect(report).toEqual({ role: appRole, superuser: false, auditTable: true, ownsAuditTable: false, auditPrivileges: [], createsInSchema: false });
    expect(databaseRoleProblems(report)).toEqual([]);
    const info = vi.spyOn(logger, "info").mockImplementation(() => {});
    const warn = vi.spyOn(logger, "warn").mockImplementation(() => {});
    await checkDatabaseRole();
    expect(info).toHaveBeenCalledWith("database: connected as a least-privilege role", { role: appRole });
    expect(warn).not.toHaveBeenCalled();
  });

  it("warns loudly, naming the fix, when the app connects as the owner (a superuser here)", async () => {
    const owner = clientFor(ownerUrl);
    const report = await inspectDatabaseRole(owner);
    expect(report).toMatchObject({ ownsAuditTable: true, auditPrivileges: ["UPDATE", "DELETE", "TRUNCATE", "TRIGGER"] });
    const warn = vi.spyOn(logger, "warn").mockImplementation(() => {});
    await checkDatabaseRole(owner);
    expect(warn).toHaveBeenCalledTimes(1);
    const [message, fields] = warn.mock.calls[0]!;
    expect(message).toBe(`SECURITY: the database role "${report.role}" can erase or rewrite the audit log`);
    expect(fields).toMatchObject({ role: report.role, fix: expect.stringContaining("docs/database-roles.md") });
    expect((fields as { problems: string[] }).problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/owns "AuditEvent"/), "it holds UPDATE, DELETE, TRUNCATE, TRIGGER on \"AuditEvent\""]),
    );
  });

  it("sees through NOINHERIT: a role that can SET ROLE to the owner is as dangerous as the owner", async () => {
    const ownerRole = decodeURIComponent(new URL(ownerUrl).username);
    const role = `probe_member_${randomUUID().slice(0, 8)}`;
    const password = randomUUID();
    await asOwner(async (owner) => {
      await owner.query(`CREATE ROLE ${role} LOGIN NOINHERIT PASSWORD '${password}'`);
      await owner.query(`GRANT ${owner.escapeIdentifier(ownerRole)} TO ${role}`);
    });
    try {
      const member = clientFor(withCredentials(ownerUrl, role, password));
      const report = await inspectDatabaseRole(member);
      expect(report.role).toBe(role);
      expect(databaseRoleProblems(report)).toEqual(expect.arrayContaining([expect.stringMatching(/owns "AuditEvent"/)]));
      await member.$disconnect();
    } finally {
      await asOwner(async (owner) => {
        await owner.query(`REVOKE ${owner.escapeIdentifier(ownerRole)} FROM ${role}`);
        await owner.query(`DROP ROLE ${role}`);
      });
    }
  });

  it("reports a role that was granted UPDATE on the audit log by hand", async () => {
    expect(
      databaseRoleProblems({ role: "web", superuser: false, auditTable: true, ownsAuditTable: false, auditPrivileges: ["UPDATE"], createsInSchema: true }),
    ).toEqual(['it holds UPDATE on "AuditEvent"', "it can create objects in schema public"]);
  });

  it("does not stop the server when the check itself fails", async () => {
    const warn = vi.spyOn(logger, "warn").mockImplementation(() => {});
    const broken = { $queryRaw: () => Promise.reject(new Error("connection refused")) } as unknown as Parameters<typeof checkDatabaseRole>[0];
    await expect(checkDatabaseRole(broken)).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith("database: could not check the privileges of the database role", { error: "connection refused" });
  });
});

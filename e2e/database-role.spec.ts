import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./support";

/**
 * An admin starts the production build and reads its log: the app connects to PostgreSQL as a least-privilege role
 * (no superuser, owns nothing, cannot change the audit log), and says so. scripts/e2e-server.mjs starts it exactly as
 * production should run, as the app role of the test cluster; a server connected as the owner would log a SECURITY
 * warning instead (lib/startup.ts, checkDatabaseRole).
 */
test("the server connects as a role that cannot rewrite the audit log, and its log says so", async () => {
  const logFile = path.join(process.cwd(), ".data", "e2e", "server.log");
  const lines = () =>
    readFileSync(logFile, "utf8")
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { level: string; msg: string; role?: string });

  // The check runs at boot without delaying it: wait for its one line.
  await expect.poll(() => lines().filter((line) => line.msg.startsWith("database:")).length, { timeout: 15_000 }).toBe(1);
  expect(lines().find((line) => line.msg.startsWith("database:"))).toMatchObject({
    level: "info",
    msg: "database: connected as a least-privilege role",
    role: expect.stringMatching(/_app$/), // atelier_app, or the run's own role on an external server
  });
  expect(lines().filter((line) => line.msg.startsWith("SECURITY:"))).toEqual([]);
});

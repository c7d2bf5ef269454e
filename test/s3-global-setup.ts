import type { TestProject } from "vitest/node";
import { acquireTestDatabase } from "./test-database";
import { startSwift } from "../scripts/lib/swift.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    /** The S3 endpoint of the run's Swift (loopback, path-style) and its credentials: test/s3-setup.ts reads them. */
    s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
  }
}

// The `s3` project: one OpenStack Swift (a real S3 API: signatures, expiry, ranges, multipart) for the whole run, each
// test file making a bucket of its own (test/s3-setup.ts), and the run's test database, shared with the integration
// project when both run (tests make their own users and workspaces). Needs Swift installed: the harness says how
// when it is not.
export default async function setup(project: TestProject) {
  const { database, release } = await acquireTestDatabase();
  project.provide("databaseUrl", database.url);
  project.provide("databaseOwnerUrl", database.ownerUrl);
  project.provide("databaseAppRole", database.appRole ?? "");
  let swift: Awaited<ReturnType<typeof startSwift>>;
  try {
    swift = await startSwift();
  } catch (error) {
    await release();
    throw error;
  }
  const { endpoint, region, accessKeyId, secretAccessKey } = swift;
  project.provide("s3", { endpoint, region, accessKeyId, secretAccessKey });
  return async () => {
    await swift.stop();
    await release();
  };
}

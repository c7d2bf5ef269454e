import type { TestProject } from "vitest/node";
import { acquireTestDatabase } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    /** The app role's URL: what lib/db connects with in tests, with the privileges the app has in production. */
    databaseUrl: string;
    /** The owner's URL, for the few tests and benchmarks that need more than reading and writing rows. */
    databaseOwnerUrl: string;
    /** The app role's name; "" when the server would not let us create one (then databaseUrl is the owner's). */
    databaseAppRole: string;
  }
}

// One migrated database for the whole unit/integration run; tests create their own users and workspaces in it.
export default async function setup(project: TestProject) {
  const { database, release } = await acquireTestDatabase();
  project.provide("databaseUrl", database.url);
  project.provide("databaseOwnerUrl", database.ownerUrl);
  project.provide("databaseAppRole", database.appRole ?? "");
  return release;
}

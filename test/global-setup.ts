import type { TestProject } from "vitest/node";
import { openTestDatabase } from "../scripts/lib/dev-database.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

// One migrated database for the whole unit/integration run; tests create their own users and workspaces in it.
export default async function setup(project: TestProject) {
  const database = await openTestDatabase("atelier_unit");
  project.provide("databaseUrl", database.url);
  return () => database.close();
}

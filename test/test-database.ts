import { openTestDatabase } from "../scripts/lib/dev-database.mjs";

type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;
const shared = globalThis as unknown as { atelierTestDatabase?: { opened: Promise<TestDatabase>; users: number } };

/**
 * The run's migrated test database, opened once per Vitest process however many projects' global set-ups ask for it
 * (`integration` and `s3`): a second migration run of Prisma's WebAssembly schema engine in one process crashes it.
 * Kept on globalThis, since each project loads its set-up files in a module graph of its own; closed when the last
 * project's teardown releases it.
 */
export async function acquireTestDatabase(): Promise<{ database: TestDatabase; release: () => Promise<void> }> {
  shared.atelierTestDatabase ??= { opened: openTestDatabase("atelier_unit"), users: 0 };
  const entry = shared.atelierTestDatabase;
  entry.users++;
  const database = await entry.opened;
  return {
    database,
    release: async () => {
      if (--entry.users > 0) return;
      shared.atelierTestDatabase = undefined;
      await database.close();
    },
  };
}

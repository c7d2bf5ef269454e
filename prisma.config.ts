import path from "node:path";
import { defineConfig } from "prisma/config";

// DATABASE_URL may be unset (a fresh clone runs `prisma generate` in postinstall), so it is read without env().
export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});

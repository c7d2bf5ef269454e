/**
 * `npm run media:to-s3`: copies a local-disk installation's media (MEDIA_DIR, default .data/media) into the bucket
 * configured by S3_BUCKET, S3_REGION, S3_ENDPOINT, S3_FORCE_PATH_STYLE and the S3 keys (the same settings the app
 * reads, with the same checks), verifying every object's SHA-256 (scripts/lib/media-copy.ts). Resumable: run it
 * again after a failure, or once more just before switching, and it copies only what is not in the bucket yet.
 * `npm run media:to-s3 -- --back` copies the bucket's objects to MEDIA_DIR instead, for switching back to the disk.
 * Run it with the app's environment (.env is read); the database is DATABASE_URL, or the embedded development
 * cluster when that is unset. It only reads rows. Ends with a report; exits 1 if any object could not be copied.
 * Procedure: README, "Media in an object store".
 */
import path from "node:path";
import nextEnv from "@next/env";
import pg from "pg";
import { EnvError, parseEnv } from "@/lib/env";
import { LocalDiskStorage } from "@/lib/storage/local-disk";
import { createStorage } from "@/lib/storage/storage";
import { copyMedia, storedObjects } from "@/scripts/lib/media-copy";
import { REPO_ROOT, startDevDatabase } from "@/scripts/lib/dev-database.mjs";

nextEnv.loadEnvConfig(REPO_ROOT, false, { info: () => {}, error: console.error });
const args = process.argv.slice(2);
const back = args.includes("--back");
if (args.some((arg) => arg !== "--back")) {
  console.error("usage: npm run media:to-s3 [-- --back]");
  process.exit(2);
}

let code = 0;
let embedded: { appUrl: string; stop: () => Promise<void> } | null = null;
try {
  if (!process.env.DATABASE_URL) embedded = await startDevDatabase();
  const databaseUrl = process.env.DATABASE_URL || embedded!.appUrl;
  // The app's own rules check the S3 settings (as if STORAGE_DRIVER=s3); this command needs no AUTH_SECRET.
  const config = parseEnv({ AUTH_SECRET: "x".repeat(32), ...process.env, DATABASE_URL: databaseUrl, STORAGE_DRIVER: "s3" });
  const bucket = createStorage(config);
  const disk = new LocalDiskStorage(config.MEDIA_DIR ?? path.join(REPO_ROOT, ".data", "media"));
  const [source, target] = back ? [bucket, disk] : [disk, bucket];
  await target.check();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    console.log(back ? `Copying media from the bucket ${config.S3_BUCKET} to ${config.MEDIA_DIR ?? ".data/media"} ...` : `Copying media to the bucket ${config.S3_BUCKET} ...`);
    const report = await copyMedia(storedObjects(client), source, target, (done) => {
      if (done % 500 === 0) console.log(`  ${done} objects ...`);
    });
    const bytes = report.moved.reduce((sum, item) => sum + item.bytes, 0);
    console.log(`Moved ${report.moved.length} object(s) (${(bytes / 1024 / 1024).toFixed(1)} MB); skipped ${report.skipped.length} already there; failed ${report.failed.length}.`);
    if (report.failed.length > 0) {
      code = 1;
      console.error("Not copied (fix and run again; what was copied is kept and skipped next time):");
      for (const { key, reason } of report.failed) console.error(`  - ${key}: ${reason}`);
    }
  } finally {
    await client.end();
  }
} catch (error) {
  console.error(`media:to-s3 failed: ${error instanceof EnvError ? error.message : (error as Error).message}`);
  code = 1;
} finally {
  await embedded?.stop().catch(() => {});
}
process.exit(code);

import { randomBytes } from "node:crypto";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { inject } from "vitest";

// Each test file of the `s3` project gets a bucket of its own on the run's Swift and is configured to store media in
// it (STORAGE_DRIVER=s3 read by lib/env.ts), so `storage()` is the S3 driver everywhere in the file.
const s3 = inject("s3");
const bucket = `atelier-test-${randomBytes(6).toString("hex")}`;
const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: s3 });
await client.send(new CreateBucketCommand({ Bucket: bucket }));
client.destroy();

Object.assign(process.env, {
  STORAGE_DRIVER: "s3",
  S3_BUCKET: bucket,
  S3_REGION: s3.region,
  S3_ENDPOINT: s3.endpoint,
  S3_FORCE_PATH_STYLE: "true",
  S3_ACCESS_KEY_ID: s3.accessKeyId,
  S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
});

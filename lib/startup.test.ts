import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/logger";
import { checkStorage } from "@/lib/startup";
import type { Storage } from "@/lib/storage/types";

const failing = (message: string) => ({ check: () => Promise.reject(new Error(message)) }) as unknown as Storage;
const healthy = { check: () => Promise.resolve() } as unknown as Storage;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the media store at start-up", () => {
  it("stops a production server on S3 with one line saying why", async () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const printed = vi.spyOn(console, "error").mockImplementation(() => undefined);
    await checkStorage(failing(`The bucket "media" does not exist at http://127.0.0.1:9: create it, or set S3_BUCKET to an existing bucket.`), {
      NODE_ENV: "production",
      STORAGE_DRIVER: "s3",
    });
    expect(printed).toHaveBeenCalledWith(`\nstorage: The bucket "media" does not exist at http://127.0.0.1:9: create it, or set S3_BUCKET to an existing bucket.\n`);
    expect(exit).toHaveBeenCalledWith(1);
  });

  it("only warns on the local disk and in development, and says nothing when the store is fine", async () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const warn = vi.spyOn(logger, "warn").mockImplementation(() => undefined);
    await checkStorage(failing("The media folder /srv/media can't be written: EACCES"), { NODE_ENV: "production", STORAGE_DRIVER: "local" });
    await checkStorage(failing("The object store at http://127.0.0.1:9 can't be reached (ECONNREFUSED)"), { NODE_ENV: "development", STORAGE_DRIVER: "s3" });
    await checkStorage(healthy, { NODE_ENV: "production", STORAGE_DRIVER: "s3" });
    expect(warn.mock.calls.map(([message]) => message)).toEqual([
      "storage: The media folder /srv/media can't be written: EACCES",
      "storage: The object store at http://127.0.0.1:9 can't be reached (ECONNREFUSED)",
    ]);
    expect(exit).not.toHaveBeenCalled();
  });
});

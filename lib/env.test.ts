import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

const valid = { DATABASE_URL: "postgresql://u:p@localhost:5432/atelier", AUTH_SECRET: "x".repeat(32) };

describe("parseEnv", () => {
  it("accepts a minimal configuration and fills defaults", () => {
    const env = parseEnv(valid);
    expect(env.ATELIER_SIGNUP).toBe("open");
    expect(env.AUTH_TRUST_HOST).toBe(true);
    expect(env.LOG_LEVEL).toBe("info");
  });

  it("names every problem in one message", () => {
    try {
      parseEnv({ DATABASE_URL: "mysql://nope", AUTH_SECRET: "short", AUTH_GITHUB_ID: "abc" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      const message = (error as Error).message;
      expect(message).toContain("DATABASE_URL must be a postgres");
      expect(message).toContain("AUTH_SECRET must be at least 32 characters");
      expect(message).toContain("AUTH_GITHUB_ID and AUTH_GITHUB_SECRET must be set together");
    }
  });

  it("refuses the sandbox's test hooks in production, except on a test server", () => {
    expect(() => parseEnv({ ...valid, NODE_ENV: "production", ATELIER_SANDBOX: "on", SANDBOX_TEST_HOOKS: "true" })).toThrow(/SANDBOX_TEST_HOOKS can't be on in production/);
    expect(parseEnv({ ...valid, NODE_ENV: "production", SANDBOX_TEST_HOOKS: "true", ATELIER_TEST_SERVER: "true" }).SANDBOX_TEST_HOOKS).toBe(true);
    expect(parseEnv({ ...valid, SANDBOX_TEST_HOOKS: "true" }).SANDBOX_TEST_HOOKS).toBe(true); // development
  });

  it("checks the trusted proxies setting", () => {
    expect(() => parseEnv({ ...valid, ATELIER_TRUSTED_PROXIES: "my-proxy.internal" })).toThrow(/ATELIER_TRUSTED_PROXIES/);
    expect(parseEnv({ ...valid, ATELIER_TRUSTED_PROXIES: "10.0.0.0/8, loopback" }).ATELIER_TRUSTED_PROXIES).toBe("10.0.0.0/8, loopback");
  });

  it("configures S3 storage only completely, naming what is missing", () => {
    expect(parseEnv(valid).STORAGE_DRIVER).toBeUndefined();
    const s3 = { ...valid, STORAGE_DRIVER: "s3", S3_BUCKET: "atelier-media", S3_REGION: "us-east-1" };
    expect(parseEnv({ ...s3, S3_ENDPOINT: "http://127.0.0.1:9000", S3_FORCE_PATH_STYLE: "true" })).toMatchObject({
      S3_BUCKET: "atelier-media",
      S3_ENDPOINT: "http://127.0.0.1:9000",
      S3_FORCE_PATH_STYLE: true,
    });
    expect(() => parseEnv({ ...valid, STORAGE_DRIVER: "s3" })).toThrow(/S3_BUCKET is required when STORAGE_DRIVER=s3[\s\S]*S3_REGION is required/);
    expect(() => parseEnv({ ...s3, S3_ACCESS_KEY_ID: "AKIA" })).toThrow(/S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together/);
    expect(() => parseEnv({ ...s3, S3_SECRET_ACCESS_KEY: "secret" })).toThrow(/S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together/);
    expect(() => parseEnv({ ...s3, S3_BUCKET: "Media_Bucket" })).toThrow(/S3_BUCKET must be a bucket name/);
    expect(() => parseEnv({ ...s3, S3_ENDPOINT: "https://key:secret@s3.example.com" })).toThrow(/S3_ENDPOINT must be an http/);
    expect(() => parseEnv({ ...s3, S3_ENDPOINT: "s3.example.com" })).toThrow(/S3_ENDPOINT must be an http/);
    expect(() => parseEnv({ ...valid, STORAGE_DRIVER: "minio" })).toThrow(/STORAGE_DRIVER must be 'local' or 's3'/);
    // A bucket without the driver is half a switch: refused. Switching back to the disk keeps the S3 settings.
    expect(() => parseEnv({ ...valid, S3_BUCKET: "atelier-media" })).toThrow(/STORAGE_DRIVER must be set when S3_BUCKET is/);
    expect(parseEnv({ ...valid, STORAGE_DRIVER: "local", S3_BUCKET: "atelier-media" }).STORAGE_DRIVER).toBe("local");
  });

  it("checks the stop timings and the metrics token", () => {
    expect(parseEnv(valid).shutdown).toEqual({ timeoutMs: 25_000, delayMs: 5_000 });
    expect(parseEnv({ ...valid, ATELIER_SHUTDOWN_TIMEOUT: "40", ATELIER_SHUTDOWN_DELAY: "10" }).shutdown).toEqual({ timeoutMs: 40_000, delayMs: 10_000 });
    expect(() => parseEnv({ ...valid, ATELIER_SHUTDOWN_TIMEOUT: "soon" })).toThrow(/ATELIER_SHUTDOWN_TIMEOUT must be a whole number of seconds/);
    expect(() => parseEnv({ ...valid, ATELIER_SHUTDOWN_TIMEOUT: "10", ATELIER_SHUTDOWN_DELAY: "12" })).toThrow(
      /ATELIER_SHUTDOWN_DELAY must be shorter than ATELIER_SHUTDOWN_TIMEOUT/,
    );
    expect(parseEnv(valid).METRICS_TOKEN).toBeUndefined();
    expect(parseEnv({ ...valid, METRICS_TOKEN: "" }).METRICS_TOKEN).toBeUndefined();
    expect(() => parseEnv({ ...valid, METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
    expect(parseEnv({ ...valid, METRICS_TOKEN: "0123456789abcdef01" }).METRICS_TOKEN).toBe("0123456789abcdef01");
  });

  it("requires an issuer for OIDC", () => {
    expect(() => parseEnv({ ...valid, AUTH_OIDC_ID: "id", AUTH_OIDC_SECRET: "s" })).toThrow(/AUTH_OIDC_ISSUER is required/);
    expect(parseEnv({ ...valid, AUTH_OIDC_ID: "id", AUTH_OIDC_SECRET: "s", AUTH_OIDC_ISSUER: "https://id.example.com" }).AUTH_OIDC_NAME).toBe(
      "Single sign-on",
    );
  });

  it("reads the fair-use limits, with defaults, and refuses nonsense", () => {
    const defaults = parseEnv(valid);
    expect([defaults.ATELIER_RUNS_PER_MEMBER_PER_MINUTE, defaults.ATELIER_RUNS_PER_WORKSPACE_PER_MINUTE, defaults.ATELIER_ESTIMATES_PER_MEMBER_PER_MINUTE]).toEqual([30, 120, 120]);
    expect(parseEnv({ ...valid, ATELIER_RUNS_PER_MEMBER_PER_MINUTE: "5" }).ATELIER_RUNS_PER_MEMBER_PER_MINUTE).toBe(5);
    expect(() => parseEnv({ ...valid, ATELIER_RUNS_PER_WORKSPACE_PER_MINUTE: "0" })).toThrow(/ATELIER_RUNS_PER_WORKSPACE_PER_MINUTE must be at least 1/);
    expect(() => parseEnv({ ...valid, ATELIER_ESTIMATES_PER_MEMBER_PER_MINUTE: "lots" })).toThrow(/ATELIER_ESTIMATES_PER_MEMBER_PER_MINUTE must be a whole number/);
  });

  it("rejects an unknown sign-up mode", () => {
    expect(() => parseEnv({ ...valid, ATELIER_SIGNUP: "closed" })).toThrow(/ATELIER_SIGNUP must be 'open' or 'invite-only'/);
  });
});

describe("outbound settings", () => {
  it("accepts an allow list of addresses/CIDRs and download host patterns", () => {
    const env = parseEnv({ ...valid, ATELIER_OUTBOUND_ALLOW_PRIVATE: "127.0.0.1/32, ::1", ATELIER_DOWNLOAD_HOSTS: "files.example.com, *.cdn.example.net" });
    expect(env.ATELIER_OUTBOUND_ALLOW_PRIVATE).toBe("127.0.0.1/32, ::1");
    expect(env.ATELIER_DOWNLOAD_HOSTS).toBe("files.example.com, *.cdn.example.net");
    expect(parseEnv(valid).ATELIER_OUTBOUND_ALLOW_PRIVATE).toBeUndefined();
  });

  it("names a bad value", () => {
    expect(() => parseEnv({ ...valid, ATELIER_OUTBOUND_ALLOW_PRIVATE: "0.0.0.0/0" })).toThrow(/ATELIER_OUTBOUND_ALLOW_PRIVATE: .*prefix/);
    expect(() => parseEnv({ ...valid, ATELIER_OUTBOUND_ALLOW_PRIVATE: "localhost" })).toThrow(/ATELIER_OUTBOUND_ALLOW_PRIVATE: .*not an IP address/);
    expect(() => parseEnv({ ...valid, ATELIER_DOWNLOAD_HOSTS: "*.com" })).toThrow(/ATELIER_DOWNLOAD_HOSTS: /);
    expect(() => parseEnv({ ...valid, ATELIER_DOWNLOAD_HOSTS: "https://files.example.com/x" })).toThrow(/ATELIER_DOWNLOAD_HOSTS: /);
  });

  it("keeps QOLABA_BASE_URL to http(s) without credentials, query or fragment", () => {
    expect(parseEnv({ ...valid, QOLABA_BASE_URL: "https://qolaba.example/api" }).QOLABA_BASE_URL).toBe("https://qolaba.example/api");
    expect(() => parseEnv({ ...valid, QOLABA_BASE_URL: "https://u:p@qolaba.example" })).toThrow(/QOLABA_BASE_URL must be an https/);
    expect(() => parseEnv({ ...valid, QOLABA_BASE_URL: "https://qolaba.example/?k=1" })).toThrow(/QOLABA_BASE_URL must be an https/);
    expect(() => parseEnv({ ...valid, QOLABA_BASE_URL: "ftp://qolaba.example" })).toThrow(/QOLABA_BASE_URL must be an https/);
  });
});

describe("sandbox switch", () => {
  it("is on by default outside production and off in production unless enabled", () => {
    expect(parseEnv({ ...valid, NODE_ENV: "development" }).sandboxEnabled).toBe(true);
    expect(parseEnv({ ...valid, NODE_ENV: "test" }).sandboxEnabled).toBe(true);
    expect(parseEnv({ ...valid, NODE_ENV: "production" }).sandboxEnabled).toBe(false);
    expect(parseEnv({ ...valid, NODE_ENV: "production", ATELIER_SANDBOX: "on" }).sandboxEnabled).toBe(true);
    expect(parseEnv({ ...valid, NODE_ENV: "development", ATELIER_SANDBOX: "off" }).sandboxEnabled).toBe(false);
  });
});

import "server-only";
import { z } from "zod";
import { parseMasterKey } from "@/lib/crypto/secret-box.mjs";
import { parseTrustedProxies } from "@/lib/http/trusted-proxies.mjs";
import { parseAllowList } from "@/lib/net/address-policy";
import { parseHostPatterns } from "@/lib/net/host-patterns";
import { parseShutdownTimings, type ShutdownTimings } from "@/lib/shutdown.mjs";

/**
 * The one place that reads process.env. Every variable is validated on first use and at start-up
 * (instrumentation.ts), so a misconfigured server fails at boot with a message naming the variable,
 * not at the first request that happens to need it. `.env.example` documents each one.
 *
 * The launcher (scripts/run.mjs) fills DATABASE_URL (embedded PostgreSQL) and, in development only,
 * AUTH_SECRET (generated into .data/) before Next starts; in production both must be provided.
 */

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === "" ? undefined : v));

const booleanFlag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : v === "true" || v === "1"));

/** A whole number of events per minute, 1 to 100,000. */
const perMinute = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be at least 1`)
    .max(100_000, `${name} must be at most 100000`)
    .default(fallback);

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z
      .string({ error: "DATABASE_URL is required (npm run dev / npm start set it when they start the embedded PostgreSQL)" })
      .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// or postgresql:// URL"),
    AUTH_SECRET: z
      .string({ error: "AUTH_SECRET is required: generate one with `openssl rand -base64 32`" })
      .min(32, "AUTH_SECRET must be at least 32 characters: generate one with `openssl rand -base64 32`"),
    AUTH_URL: z.url("AUTH_URL must be an absolute URL such as https://atelier.example.com").optional(),
    AUTH_TRUST_HOST: booleanFlag(true),
    // Proxies whose X-Forwarded-* headers are believed (scripts/server.mjs reads it; validated here too): a hop count
    // or a list of addresses / CIDR ranges. Empty = none: the client is the TCP peer and forwarded headers are dropped.
    ATELIER_TRUSTED_PROXIES: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        try {
          parseTrustedProxies(value);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
        }
      }),
    ATELIER_SIGNUP: z.enum(["open", "invite-only"], { error: "ATELIER_SIGNUP must be 'open' or 'invite-only'" }).default("open"),
    ATELIER_SIGNUPS_PER_HOUR: z.coerce
      .number({ error: "ATELIER_SIGNUPS_PER_HOUR must be a whole number" })
      .int("ATELIER_SIGNUPS_PER_HOUR must be a whole number")
      .min(1, "ATELIER_SIGNUPS_PER_HOUR must be at least 1")
      .default(30),
    // Sign-in attempts one network address may make per 15 minutes, across all emails (lib/auth/sign-in-limits.ts).
    ATELIER_SIGN_INS_PER_ADDRESS: z.coerce
      .number({ error: "ATELIER_SIGN_INS_PER_ADDRESS must be a whole number" })
      .int("ATELIER_SIGN_INS_PER_ADDRESS must be a whole number")
      .min(5, "ATELIER_SIGN_INS_PER_ADDRESS must be at least 5")
      .default(50),
    // Fair use (lib/generations/submit-limits.ts): runs started (submits and retries) per member and per workspace per
    // minute, a quarter of each per 10 seconds, and cost estimates per member per minute. Far above a busy team's pace;
    // a script's flood stops there.
    ATELIER_RUNS_PER_MEMBER_PER_MINUTE: perMinute("ATELIER_RUNS_PER_MEMBER_PER_MINUTE", 30),
    ATELIER_RUNS_PER_WORKSPACE_PER_MINUTE: perMinute("ATELIER_RUNS_PER_WORKSPACE_PER_MINUTE", 120),
    ATELIER_ESTIMATES_PER_MEMBER_PER_MINUTE: perMinute("ATELIER_ESTIMATES_PER_MEMBER_PER_MINUTE", 120),
    AUTH_GITHUB_ID: optionalString,
    AUTH_GITHUB_SECRET: optionalString,
    AUTH_GOOGLE_ID: optionalString,
    AUTH_GOOGLE_SECRET: optionalString,
    AUTH_OIDC_ISSUER: z.url("AUTH_OIDC_ISSUER must be the issuer's URL").optional(),
    AUTH_OIDC_ID: optionalString,
    AUTH_OIDC_SECRET: optionalString,
    AUTH_OIDC_NAME: z.string().trim().min(1).default("Single sign-on"),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    PUBLIC_URL: z.url("PUBLIC_URL must be the absolute URL people and providers reach this server at").optional(),
    ATELIER_SANDBOX: z.enum(["on", "off", ""], { error: "ATELIER_SANDBOX must be 'on' or 'off'" }).optional(),
    SANDBOX_TEST_HOOKS: booleanFlag(false),
    // A server that a test suite drives (the journeys' server). Allows the sandbox's test hooks and any sandbox key in
    // production mode. Never set it on a server people use.
    ATELIER_TEST_SERVER: booleanFlag(false),
    SANDBOX_DATA_DIR: optionalString,
    // "fast" walks sandbox generations to their end in about a second (tests, demos); default is a realistic pace.
    SANDBOX_SCHEDULE: z.enum(["fast", "normal", ""], { error: "SANDBOX_SCHEDULE must be 'fast' or 'normal'" }).optional(),
    RENDERNET_BASE_URL: z.url("RENDERNET_BASE_URL must be an absolute URL").default("https://api.rendernet.ai"),
    QOLABA_BASE_URL: z
      .url("QOLABA_BASE_URL must be an absolute URL")
      .refine((value) => {
        const url = new URL(value);
        return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password && !/[?#]/.test(url.href);
      }, "QOLABA_BASE_URL must be an https:// URL (http only for a development stand-in) without credentials, query or fragment")
      .optional(),
    // Outbound requests (lib/net) reach only public addresses. These addresses/CIDRs may be reached although they are
    // not public, over http too: for development and tests (a provider stand-in on this machine), never needed in
    // production. Comma-separated, e.g. "127.0.0.1/32,::1".
    ATELIER_OUTBOUND_ALLOW_PRIVATE: optionalString,
    // Hosts provider results may be downloaded from besides each provider's own (exact or *.suffix, comma-separated).
    ATELIER_DOWNLOAD_HOSTS: optionalString,
    // The background worker (lib/jobs) that sends generations and tracks them runs inside every Node.js server
    // process by default. "off" keeps this process from claiming jobs (e.g. a web-only replica, or tests).
    ATELIER_WORKER: z.enum(["on", "off", ""], { error: "ATELIER_WORKER must be 'on' or 'off'" }).optional(),
    // Where generated media and uploaded assets are stored (local disk; default .data/media).
    MEDIA_DIR: optionalString,
    // Media in an S3-compatible object store instead (lib/storage/s3.ts): STORAGE_DRIVER=s3 with a bucket and region;
    // an endpoint and path-style addressing for stores other than AWS; keys as a pair, else the AWS SDK's default
    // chain (environment, profile, instance role). The endpoint is the admin's configuration, trusted like
    // DATABASE_URL: it does not go through the outbound-address check, and no user input ever reaches it.
    STORAGE_DRIVER: z.enum(["local", "s3", ""], { error: "STORAGE_DRIVER must be 'local' or 's3'" }).optional(),
    S3_BUCKET: optionalString.refine(
      (v) => v === undefined || /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v),
      "S3_BUCKET must be a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens",
    ),
    S3_REGION: optionalString,
    S3_ENDPOINT: optionalString.refine((v) => {
      if (v === undefined) return true;
      try {
        const url = new URL(v);
        return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password && !url.search && !url.hash;
      } catch {
        return false;
      }
    }, "S3_ENDPOINT must be an http:// or https:// URL without credentials, query or fragment (e.g. https://<account>.r2.cloudflarestorage.com)"),
    S3_FORCE_PATH_STYLE: booleanFlag(false),
    S3_ACCESS_KEY_ID: optionalString,
    S3_SECRET_ACCESS_KEY: optionalString,
    // Encrypts provider keys at rest (AES-256-GCM): 32 random bytes, `openssl rand -base64 32`. Development generates
    // one into .data/master-key. Older keys stay readable while listed here (comma-separated) during a rotation.
    ATELIER_MASTER_KEY: optionalString,
    ATELIER_PREVIOUS_MASTER_KEYS: optionalString,
    // Graceful stop (lib/shutdown.mjs; scripts/server.mjs reads them too): whole seconds from SIGTERM to exit, and how
    // long the listener stays open meanwhile with readiness red. Validated together below.
    ATELIER_SHUTDOWN_TIMEOUT: optionalString,
    ATELIER_SHUTDOWN_DELAY: optionalString,
    // Bearer token of GET /api/metrics (Prometheus). Unset: the endpoint does not exist (404).
    METRICS_TOKEN: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v === "" ? undefined : v))
      .refine((v) => v === undefined || v.length >= 16, "METRICS_TOKEN must be at least 16 characters: generate one with `openssl rand -hex 24`"),
  })
  .superRefine((value, ctx) => {
    const pairs: [string, string | undefined, string, string | undefined][] = [
      ["AUTH_GITHUB_ID", value.AUTH_GITHUB_ID, "AUTH_GITHUB_SECRET", value.AUTH_GITHUB_SECRET],
      ["AUTH_GOOGLE_ID", value.AUTH_GOOGLE_ID, "AUTH_GOOGLE_SECRET", value.AUTH_GOOGLE_SECRET],
      ["AUTH_OIDC_ID", value.AUTH_OIDC_ID, "AUTH_OIDC_SECRET", value.AUTH_OIDC_SECRET],
    ];
    for (const [idName, id, secretName, secret] of pairs) {
      if (Boolean(id) !== Boolean(secret)) {
        ctx.addIssue({ code: "custom", path: [id ? secretName : idName], message: `${idName} and ${secretName} must be set together` });
      }
    }
    for (const [name, text] of [
      ["ATELIER_MASTER_KEY", value.ATELIER_MASTER_KEY],
      ...(value.ATELIER_PREVIOUS_MASTER_KEYS ?? "").split(",").filter((k) => k.trim()).map((k) => ["ATELIER_PREVIOUS_MASTER_KEYS", k] as const),
    ] as const) {
      if (!text) continue;
      try {
        parseMasterKey(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: [name], message: `${name}: ${(error as Error).message}` });
      }
    }
    if (value.NODE_ENV === "production" && value.SANDBOX_TEST_HOOKS && !value.ATELIER_TEST_SERVER) {
      ctx.addIssue({
        code: "custom",
        path: ["SANDBOX_TEST_HOOKS"],
        message: "SANDBOX_TEST_HOOKS can't be on in production: it lets anyone inject faults and read the sandbox's call log. It is for test servers only.",
      });
    }
    for (const [name, parse] of [
      ["ATELIER_OUTBOUND_ALLOW_PRIVATE", parseAllowList],
      ["ATELIER_DOWNLOAD_HOSTS", parseHostPatterns],
    ] as const) {
      try {
        parse(value[name]);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: [name], message: `${name}: ${(error as Error).message}` });
      }
    }
    if (Boolean(value.S3_ACCESS_KEY_ID) !== Boolean(value.S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: [value.S3_ACCESS_KEY_ID ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID"],
        message: "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together (or neither, for the AWS SDK's default credentials)",
      });
    }
    if (value.STORAGE_DRIVER === "s3") {
      for (const name of ["S3_BUCKET", "S3_REGION"] as const) {
        if (!value[name]) {
          ctx.addIssue({ code: "custom", path: [name], message: `${name} is required when STORAGE_DRIVER=s3${name === "S3_REGION" ? " (us-east-1 or auto for most stores other than AWS)" : ""}` });
        }
      }
    } else if (!value.STORAGE_DRIVER && value.S3_BUCKET) {
      // Half a switch would keep writing to the disk while the admin believes media goes to the bucket.
      ctx.addIssue({
        code: "custom",
        path: ["STORAGE_DRIVER"],
        message: "STORAGE_DRIVER must be set when S3_BUCKET is: s3 to keep media in the bucket, local to keep it on disk",
      });
    }
    try {
      parseShutdownTimings(value);
    } catch (error) {
      const message = (error as Error).message;
      ctx.addIssue({ code: "custom", path: [message.split(" ", 1)[0] ?? "ATELIER_SHUTDOWN_TIMEOUT"], message });
    }
    if (value.AUTH_OIDC_ID && !value.AUTH_OIDC_ISSUER) {
      ctx.addIssue({ code: "custom", path: ["AUTH_OIDC_ISSUER"], message: "AUTH_OIDC_ISSUER is required when AUTH_OIDC_ID is set" });
    }
  });

export type Env = z.infer<typeof schema> & { sandboxEnabled: boolean; shutdown: ShutdownTimings };

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every variable.`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => {
        const name = issue.path.join(".");
        return issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
      }),
    );
  }
  // The sandbox provider is the default on a fresh install (development, tests); in production it is off unless
  // ATELIER_SANDBOX=on says otherwise.
  const sandboxEnabled = result.data.ATELIER_SANDBOX ? result.data.ATELIER_SANDBOX === "on" : result.data.NODE_ENV !== "production";
  return { ...result.data, sandboxEnabled, shutdown: parseShutdownTimings(result.data) };
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

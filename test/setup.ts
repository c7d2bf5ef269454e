import { inject } from "vitest";

// The app role (least privilege), exactly as the app connects in production: a test needing more asks for
// inject("databaseOwnerUrl") explicitly.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.AUTH_SECRET ??= "test-secret-that-is-at-least-32-characters-long";
// A fixed master key for sealing provider keys in tests (32 bytes, base64).
process.env.ATELIER_MASTER_KEY ??= "dGVzdC1tYXN0ZXIta2V5LW5vdC1mb3ItcHJvZHVjdGk=";

import { describe, expect, it } from "vitest";
import { ProviderError, causeForStatus, providerErrorFromResponse, sanitizeProviderMessage } from "@/lib/providers/http/errors";

const key = "rn_live_9f8e7d6c5b4a3210ffeeddcc";

describe("status mapping", () => {
  it.each([
    [401, undefined, "invalid_key"],
    [403, undefined, "invalid_key"],
    [400, undefined, "invalid_input"],
    [422, undefined, "invalid_input"],
    [402, undefined, "out_of_credits"],
    [400, "Insufficient credits for this generation", "out_of_credits"],
    [403, "You have run out of credits", "out_of_credits"],
    [404, undefined, "not_found"],
    [429, undefined, "rate_limited"],
    [500, undefined, "unavailable"],
    [503, "credits service down", "unavailable"],
    [400, "Prompt flagged as NSFW", "content_refused"],
  ] as const)("%i %s → %s", (status, message, cause) => {
    expect(causeForStatus(status, message)).toBe(cause);
  });
});

describe("sanitizing", () => {
  it("keeps short plain text, redacting the key and token-like strings", () => {
    expect(sanitizeProviderMessage(`Invalid model for key ${key}`, [key])).toBe("Invalid model for key [redacted]");
    expect(sanitizeProviderMessage("bad token sk-abcdef0123456789", [])).toBe("bad token [redacted]");
    expect(sanitizeProviderMessage("Authorization: Bearer abc.def", [])).toBe("Authorization: [redacted]");
    expect(sanitizeProviderMessage("cfg_scale must be between 4 and 12", [])).toBe("cfg_scale must be between 4 and 12");
  });

  it("refuses bodies, markup and long text", () => {
    expect(sanitizeProviderMessage('{"err":{"message":"x"}}')).toBeUndefined();
    expect(sanitizeProviderMessage("<html><body>502</body></html>")).toBeUndefined();
    expect(sanitizeProviderMessage("x".repeat(200))).toBeUndefined();
    expect(sanitizeProviderMessage("line one\nline two")).toBeUndefined();
    expect(sanitizeProviderMessage(42)).toBeUndefined();
  });
});

describe("providerErrorFromResponse", () => {
  it("never leaks the key, in any status", () => {
    for (const status of [400, 401, 402, 403, 404, 422, 429, 500, 503]) {
      const error = providerErrorFromResponse({
        provider: "rendernet",
        status,
        providerMessage: `key ${key} is not allowed`,
        secrets: [key],
        operation: "POST /pub/v1/generations",
      });
      expect(error).toBeInstanceOf(ProviderError);
      expect(error.message).not.toContain(key);
      expect(error.userMessage).not.toContain(key);
      expect(JSON.stringify(error)).not.toContain(key);
      expect(String(error.stack)).not.toContain(key);
    }
  });

  it("shows a sanitized provider message to users for invalid_input only", () => {
    const invalid = providerErrorFromResponse({ provider: "rendernet", status: 400, providerMessage: "Unknown style Bokeh2" });
    expect(invalid.userMessage).toBe("RenderNet rejected the request: Unknown style Bokeh2");
    const server = providerErrorFromResponse({ provider: "rendernet", status: 500, providerMessage: "db connection pool exhausted" });
    expect(server.userMessage).not.toContain("pool");
    expect(server.cause).toBe("unavailable");
  });

  it("keeps retryAfterMs and status", () => {
    const error = providerErrorFromResponse({ provider: "qolaba", status: 429, retryAfterMs: 5_000 });
    expect(error).toMatchObject({ cause: "rate_limited", status: 429, retryAfterMs: 5_000, provider: "qolaba" });
  });
});

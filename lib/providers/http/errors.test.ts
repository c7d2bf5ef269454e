import { describe, expect, it } from "vitest";
import { ProviderError, causeForStatus, connectionCheckMessage, providerErrorFromResponse, sanitizeProviderMessage } from "@/lib/providers/http/errors";

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
    [301, undefined, "blocked"],
    [302, "Insufficient credits", "blocked"],
    [307, undefined, "blocked"],
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

  it("never shows the provider's words to people: they stay, sanitized, in the developer message", () => {
    const invalid = providerErrorFromResponse({ provider: "rendernet", status: 400, providerMessage: "Unknown style Bokeh2" });
    expect(invalid.userMessage).toBe("RenderNet rejected the request (HTTP 400). Check the settings and try again.");
    expect(invalid.message).toContain("Unknown style Bokeh2");
    const server = providerErrorFromResponse({ provider: "rendernet", status: 500, providerMessage: "db connection pool exhausted" });
    expect(server.userMessage).not.toContain("pool");
    expect(server.cause).toBe("unavailable");
    for (const status of [301, 302, 400, 401, 402, 403, 404, 409, 422, 429, 500, 502, 503]) {
      const error = providerErrorFromResponse({ provider: "qolaba", status, providerMessage: "Welcome to internal-admin v2.1 (build 7)" });
      expect(error.userMessage, String(status)).not.toContain("internal-admin");
      expect(connectionCheckMessage(error), String(status)).not.toContain("internal-admin");
    }
  });

  it("treats a redirect as final (blocked) and keeps nothing of its body", () => {
    const error = providerErrorFromResponse({ provider: "qolaba", status: 302, providerMessage: "Found: http://10.0.0.1/" });
    expect(error).toMatchObject({ cause: "blocked", status: 302, refusal: "redirect" });
    expect(error.message).not.toContain("10.0.0.1");
    expect(error.userMessage).toContain("redirect (HTTP 302)");
  });

  it("keeps retryAfterMs and status", () => {
    const error = providerErrorFromResponse({ provider: "qolaba", status: 429, retryAfterMs: 5_000 });
    expect(error).toMatchObject({ cause: "rate_limited", status: 429, retryAfterMs: 5_000, provider: "qolaba" });
  });
});

describe("connection check messages", () => {
  it.each([
    [new ProviderError("qolaba", "blocked", "x", { network: "refused", refusal: "private_address" }), /^Refused: .*not one \(a private, loopback, link-local or reserved address\)/],
    [new ProviderError("qolaba", "blocked", "x", { network: "refused", refusal: "insecure_http" }), /plain http/],
    [new ProviderError("qolaba", "unavailable", "x", { network: "dns" }), /^Could not connect: .*did not resolve/],
    [new ProviderError("qolaba", "unavailable", "x", { network: "connect" }), /^Could not connect: nothing answered/],
    [new ProviderError("qolaba", "timeout", "x", { network: "timeout" }), /^Timed out/],
    [new ProviderError("qolaba", "unavailable", "x", { network: "tls" }), /TLS handshake/],
    [new ProviderError("qolaba", "unavailable", "x", { network: "lost" }), /connection .* was lost/],
    [new ProviderError("rendernet", "invalid_key", "x", { status: 401 }), /^Key rejected: RenderNet refused the key \(HTTP 401\)/],
    [new ProviderError("rendernet", "blocked", "x", { status: 307, refusal: "redirect" }), /redirect \(HTTP 307\)/],
    [new ProviderError("rendernet", "unavailable", "x", { status: 503 }), /server error \(HTTP 503\)/],
    [new ProviderError("rendernet", "unavailable", "x", { status: 200 }), /^Unexpected answer: .*\(HTTP 200\)/],
    [new ProviderError("qolaba", "not_found", "x", { status: 404 }), /^Unexpected answer: .*\(HTTP 404\)/],
    [new ProviderError("qolaba", "rate_limited", "x", { status: 429 }), /limiting requests right now \(HTTP 429\)/],
  ])("%#: says what kind of failure it was", (error, pattern) => {
    expect(connectionCheckMessage(error)).toMatch(pattern);
  });
});

import { describe, expect, it } from "vitest";
import { DEAD_JOB_ERROR_MAX, jobErrorLine } from "@/lib/jobs/dead-jobs";
import { ProviderError } from "@/lib/providers/http/errors";

describe("the error line kept with a dead job", () => {
  it("keeps the error's name and sentence", () => {
    expect(jobErrorLine(new Error("the worker stopped"))).toBe("Error: the worker stopped");
    const provider = new ProviderError("rendernet", "unavailable", "RenderNet GET /x: HTTP 503 → unavailable");
    expect(jobErrorLine(provider)).toBe("ProviderError: RenderNet GET /x: HTTP 503 → unavailable");
  });

  it("cuts at a body, a stack or a second line", () => {
    expect(jobErrorLine(new Error('upstream said {"error":"x","key":"abc"}'))).toBe("Error: upstream said …");
    expect(jobErrorLine(new Error("failed <html><body>502</body></html>"))).toBe("Error: failed …");
    expect(jobErrorLine(new Error("first line\n    at handler (worker.ts:1:1)"))).toBe("Error: first line");
  });

  it("redacts what looks like a secret", () => {
    const line = jobErrorLine(new Error("denied: Bearer abc.def token=s3cr3tvalue sk_live_a1b2c3d4e5 eyJhbGciOiJIUzI1NiJ9abcdef0123"));
    expect(line).not.toMatch(/abc\.def|s3cr3t|a1b2c3|eyJhbG/);
    expect(line).toContain("[redacted]");
  });

  it("is bounded", () => {
    const line = jobErrorLine(new Error("word ".repeat(500)));
    expect(line.length).toBeLessThanOrEqual(DEAD_JOB_ERROR_MAX);
    expect(jobErrorLine("plain string")).toBe("plain string");
  });
});

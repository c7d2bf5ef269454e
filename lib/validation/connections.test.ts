import { describe, expect, it } from "vitest";
import { baseUrlField, qolabaBaseUrlProblem, saveProviderKeySchema } from "@/lib/validation/connections";

// The shape rule the Settings form applies as the admin types (no network): lib/data/connections.ts then resolves
// the host and checks every address on the server.
describe("Qolaba base URL (form schema)", () => {
  it.each([
    "https://api.qolaba.example",
    "https://api.qolaba.example/",
    "https://api.qolaba.example:8443/v1",
    "https://API.Qolaba.Example/v1/",
    "https://8.8.8.8/api",
    "https://[2606:4700:4700::1111]/api",
  ])("accepts %s", (value) => {
    expect(qolabaBaseUrlProblem(value)).toBeNull();
    expect(baseUrlField.safeParse(value).success).toBe(true);
  });

  it.each([
    ["http://api.qolaba.example", /^Only https:\/\//],
    ["ftp://api.qolaba.example", /^Only https:\/\//],
    ["javascript:alert(1)", /^Only https:\/\//],
    ["api.qolaba.example", /^That is not a complete URL/],
    ["https://user:pass@api.qolaba.example", /^Leave out the user name and password/],
    ["https://token@api.qolaba.example", /^Leave out the user name and password/],
    ["https://api.qolaba.example/?key=1", /^Leave out the query/],
    ["https://api.qolaba.example/?", /^Leave out the query/],
    ["https://api.qolaba.example/#frag", /^Leave out the query/],
    ["https://0x7f.1", /^127\.0\.0\.1 is not a public internet address/],
    ["https://2130706433", /^127\.0\.0\.1 is not a public internet address/],
    ["https://127.1", /^127\.0\.0\.1 is not a public internet address/],
    ["https://0177.0.0.1", /^127\.0\.0\.1 is not a public internet address/],
    ["https://[::1]", /^\[::1\] is not a public internet address/],
    ["https://[::ffff:127.0.0.1]", /^\[::ffff:7f00:1\] is not a public internet address/],
    ["https://[::ffff:a9fe:a9fe]", /is not a public internet address/],
    ["https://169.254.169.254", /^169\.254\.169\.254 is not a public internet address/],
    ["https://10.0.0.1", /is not a public internet address/],
    ["https://172.16.0.1", /is not a public internet address/],
    ["https://192.168.1.1", /is not a public internet address/],
    ["https://100.64.0.1", /is not a public internet address/],
    ["https://0.0.0.0", /is not a public internet address/],
    ["https://[fd00::1]", /is not a public internet address/],
    ["https://[fe80::1]", /is not a public internet address/],
    ["https://localhost", /^Use the full host name/],
    ["https://intranet:8443", /^Use the full host name/],
  ])("refuses %s", (value, message) => {
    const problem = qolabaBaseUrlProblem(value);
    expect(problem).toMatch(message);
    // Every refusal says exactly what is accepted.
    expect(problem).toContain("Use the https:// address Qolaba gave you: a host name (or public IP address)");
    expect(baseUrlField.safeParse(value).success).toBe(false);
  });

  it("is optional (the server's default applies) and only for Qolaba", () => {
    expect(baseUrlField.safeParse("").success).toBe(true);
    expect(saveProviderKeySchema.safeParse({ workspace: "w", provider: "QOLABA", key: "qolaba-token-abcdef123456" }).success).toBe(true);
    const renderNet = saveProviderKeySchema.safeParse({ workspace: "w", provider: "RENDERNET", key: "rn_key_abcdef123456", baseUrl: "https://api.qolaba.example" });
    expect(renderNet.success).toBe(false);
  });
});

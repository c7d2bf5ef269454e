import { describe, expect, it } from "vitest";
import { hostMatches, parseHostPattern, parseHostPatterns } from "@/lib/net/host-patterns";

describe("download host patterns", () => {
  it("match exact hosts and subdomains of a wildcard, as URL hostnames spell them", () => {
    const patterns = parseHostPatterns("files.example.com, *.cdn.example.net");
    expect(hostMatches("files.example.com", patterns)).toBe(true);
    expect(hostMatches(new URL("https://FILES.Example.com./x").hostname, patterns)).toBe(true);
    expect(hostMatches("a.cdn.example.net", patterns)).toBe(true);
    expect(hostMatches("a.b.cdn.example.net", patterns)).toBe(true);
    expect(hostMatches("cdn.example.net", patterns)).toBe(false); // the wildcard is for hosts below it
    expect(hostMatches("evilcdn.example.net", patterns)).toBe(false);
    expect(hostMatches("files.example.com.evil.test", patterns)).toBe(false);
    expect(hostMatches("other.example.com", patterns)).toBe(false);
    expect(parseHostPatterns(undefined)).toEqual([]);
  });

  it.each(["*", "*.com", "https://files.example.com", "files.example.com:443", "files.example.com/path", "exa mple.com", "-bad.example.com", "*.*.example.com"])(
    "refuses %s",
    (text) => {
      expect(() => parseHostPattern(text)).toThrow(TypeError);
    },
  );
});

import { describe, expect, it } from "vitest";
import { clientAddress, parseAddress, parseTrustedProxies } from "@/lib/http/trusted-proxies.mjs";

const none = parseTrustedProxies(undefined);

describe("client address", () => {
  it("is the socket's address when no proxy is trusted, whatever X-Forwarded-For says", () => {
    for (const forwardedFor of ["1.2.3.4", "1.2.3.4, 5.6.7.8", "garbage", undefined]) {
      expect(clientAddress({ trust: none, socketAddress: "198.51.100.7", forwardedFor })).toEqual({ address: "198.51.100.7", peerTrusted: false });
    }
    expect(clientAddress({ trust: none, socketAddress: "::ffff:127.0.0.1", forwardedFor: "9.9.9.9" }).address).toBe("127.0.0.1");
  });

  it("walks X-Forwarded-For from the right through the listed proxies", () => {
    const trust = parseTrustedProxies("10.0.0.0/8, 127.0.0.1");
    expect(clientAddress({ trust, socketAddress: "127.0.0.1", forwardedFor: "6.6.6.6, 203.0.113.5, 10.1.2.3" })).toEqual({ address: "203.0.113.5", peerTrusted: true });
    // A client behind a trusted proxy cannot pick its own address: the proxy appended the one it saw.
    expect(clientAddress({ trust, socketAddress: "127.0.0.1", forwardedFor: "127.0.0.1, 203.0.113.5" }).address).toBe("203.0.113.5");
    // A peer that is not a listed proxy is the client, and its forwarded headers are not trusted.
    expect(clientAddress({ trust, socketAddress: "198.51.100.9", forwardedFor: "1.1.1.1" })).toEqual({ address: "198.51.100.9", peerTrusted: false });
    // Garbage left of the proxies: key on the nearest proxy instead of the garbage.
    expect(clientAddress({ trust, socketAddress: "127.0.0.1", forwardedFor: "not-an-ip, 10.9.9.9" }).address).toBe("10.9.9.9");
  });

  it("takes the entry `hops` left of the peer with a hop count", () => {
    const one = parseTrustedProxies("1");
    expect(clientAddress({ trust: one, socketAddress: "10.0.0.2", forwardedFor: "6.6.6.6, 203.0.113.5" }).address).toBe("203.0.113.5");
    const two = parseTrustedProxies("2");
    expect(clientAddress({ trust: two, socketAddress: "10.0.0.2", forwardedFor: "6.6.6.6, 203.0.113.5, 10.0.0.9" }).address).toBe("203.0.113.5");
    expect(clientAddress({ trust: one, socketAddress: "10.0.0.2", forwardedFor: undefined }).address).toBe("10.0.0.2");
  });

  it("reads addresses with ports, brackets and mapped forms, and refuses shorthands", () => {
    expect(parseAddress("203.0.113.5:443")?.toString()).toBe("203.0.113.5");
    expect(parseAddress("[2001:db8::1]:8080")?.toString()).toBe("2001:db8::1");
    expect(parseAddress("::ffff:203.0.113.5")?.toString()).toBe("203.0.113.5");
    expect(parseAddress("127.1")).toBeNull();
    expect(parseAddress("0x7f.0.0.1")).toBeNull();
    expect(parseAddress("")).toBeNull();
  });

  it("validates the setting with a message naming it", () => {
    expect(parseTrustedProxies("")).toEqual({ kind: "none" });
    expect(parseTrustedProxies("0")).toEqual({ kind: "none" });
    expect(parseTrustedProxies("2")).toEqual({ kind: "hops", hops: 2 });
    expect(parseTrustedProxies("loopback").kind).toBe("list");
    expect(() => parseTrustedProxies("proxy.example.com")).toThrow(/ATELIER_TRUSTED_PROXIES/);
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/ATELIER_TRUSTED_PROXIES/);
    expect(() => parseTrustedProxies("99")).toThrow(/hop count/);
  });
});

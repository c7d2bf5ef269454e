import { describe, expect, it } from "vitest";
import { classifyAddress, isInAllowList, isIpLiteral, isPublicAddress, parseAllowList } from "@/lib/net/address-policy";

// Pure classification: nothing here touches the network.
describe("address policy", () => {
  it.each([
    // IPv4 special ranges
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"], // 0/8 "this network"
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.254", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "carrierGradeNat"],
    ["100.127.255.254", "carrierGradeNat"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["169.254.169.254", "linkLocal"], // cloud metadata
    ["169.254.0.1", "linkLocal"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.0.8", "reserved"], // IETF protocol assignments 192.0.0/24
    ["192.0.2.10", "reserved"], // TEST-NET-1
    ["198.51.100.7", "reserved"], // TEST-NET-2
    ["203.0.113.9", "reserved"], // TEST-NET-3
    ["198.18.0.1", "reserved"], // benchmarking 198.18/15
    ["198.19.255.1", "reserved"],
    ["192.88.99.1", "reserved"], // 6to4 relay anycast
    ["192.175.48.1", "as112"],
    ["192.52.193.1", "amt"],
    // IPv6
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["fc00::1", "uniqueLocal"],
    ["fd00::1", "uniqueLocal"],
    ["fe80::1", "linkLocal"],
    ["febf::1", "linkLocal"],
    ["fec0::1", "deprecatedSiteLocal"],
    ["ff02::1", "multicast"],
    ["100::1", "discard"],
    ["2001:db8::1", "reserved"], // documentation
    ["3fff::1", "reserved"], // documentation (RFC 9637)
    ["2001:2::1", "benchmarking"],
    ["2001::1", "teredo"],
    ["2002:7f00:1::1", "6to4"], // 6to4 embedding 127.0.0.1: refused outright
    ["2002:808:808::1", "6to4"], // even a public embedded v4
    ["64:ff9b:1::1", "rfc6052"], // local-use NAT64 /48
    ["::ffff:0:7f00:1", "rfc6145"], // IPv4-translated
    ["5f00::1", "segmentRouting"],
    ["2001:10::1", "deprecatedOrchid"],
    ["2001:20::1", "orchid2"],
    // Addresses carrying an IPv4 address are judged by it
    ["::ffff:127.0.0.1", "ipv4Mapped:loopback"],
    ["::ffff:7f00:1", "ipv4Mapped:loopback"],
    ["::ffff:10.0.0.1", "ipv4Mapped:private"],
    ["::ffff:169.254.169.254", "ipv4Mapped:linkLocal"],
    ["64:ff9b::7f00:1", "nat64:loopback"],
    ["64:ff9b::a9fe:a9fe", "nat64:linkLocal"],
    ["::127.0.0.1", "ipv4Compatible"], // IPv4-compatible (deprecated): refused whatever it embeds
    ["::8.8.8.8", "ipv4Compatible"],
    ["4000::1", "notGlobalUnicast"], // outside 2000::/3
    ["8000::1", "notGlobalUnicast"],
  ])("refuses %s (%s)", (address, range) => {
    const verdict = classifyAddress(address);
    expect(verdict.public).toBe(false);
    expect(verdict.range).toBe(range);
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    ["8.8.8.8", "unicast"],
    ["1.1.1.1", "unicast"],
    ["93.184.215.14", "unicast"],
    ["172.32.0.1", "unicast"], // just outside 172.16/12
    ["100.128.0.1", "unicast"], // just outside 100.64/10
    ["192.169.0.1", "unicast"],
    ["2606:4700:4700::1111", "unicast"],
    ["2a00:1450:4001:80b::200e", "unicast"],
    ["::ffff:8.8.8.8", "ipv4Mapped:unicast"],
    ["64:ff9b::808:808", "nat64:unicast"], // DNS64 networks synthesize these for IPv4-only hosts
  ])("allows %s (%s)", (address, range) => {
    expect(classifyAddress(address)).toMatchObject({ public: true, range });
  });

  it("accepts bracketed IPv6 as URL hostnames write it, and refuses what is not an address", () => {
    expect(classifyAddress("[::1]")).toMatchObject({ public: false, range: "loopback" });
    expect(classifyAddress("[::ffff:7f00:1]")).toMatchObject({ public: false, range: "ipv4Mapped:loopback" });
    expect(() => classifyAddress("example.com")).toThrow(TypeError);
    expect(isPublicAddress("example.com")).toBe(false);
  });

  it("knows which URL hostnames are IP literals", () => {
    expect(isIpLiteral("127.0.0.1")).toBe(true);
    expect(isIpLiteral("[::1]")).toBe(true);
    expect(isIpLiteral("::1")).toBe(true);
    expect(isIpLiteral("api.example.com")).toBe(false);
    expect(isIpLiteral("1.2.3.4.example")).toBe(false);
  });
});

describe("the allow list (ATELIER_OUTBOUND_ALLOW_PRIVATE)", () => {
  it("parses addresses and CIDRs, and matches mapped IPv6 against IPv4 ranges", () => {
    const allow = parseAllowList(" 127.0.0.1/32, ::1 ,10.1.2.0/24,");
    expect(allow).toHaveLength(3);
    expect(isInAllowList("127.0.0.1", allow)).toBe(true);
    expect(isInAllowList("127.0.0.2", allow)).toBe(false);
    expect(isInAllowList("::ffff:127.0.0.1", allow)).toBe(true);
    expect(isInAllowList("[::1]", allow)).toBe(true);
    expect(isInAllowList("10.1.2.200", allow)).toBe(true);
    expect(isInAllowList("10.1.3.1", allow)).toBe(false);
    expect(isInAllowList("169.254.169.254", allow)).toBe(false);
    expect(parseAllowList(undefined)).toEqual([]);
  });

  it.each(["0.0.0.0/0", "::/0", "127.0.0.1/33", "0x7f.1", "2130706433", "localhost", "10.0.0.0/x", "10.0.0.0/"])("refuses %s", (text) => {
    expect(() => parseAllowList(text)).toThrow(TypeError);
  });
});

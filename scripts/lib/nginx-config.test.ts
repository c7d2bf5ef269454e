import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { nginxConfig } from "./nginx-config.mjs";

const instances = [
  { name: "a", port: 3163 },
  { name: "b", port: 3164 },
];
const nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((candidate) => existsSync(candidate));

describe("the cluster's nginx configuration", () => {
  it("never passes a request that was sent on to another instance when its method is not idempotent", () => {
    const config = nginxConfig({ dir: "/tmp/x", port: 3162, instances });
    const nextUpstream = config.split("\n").find((line) => line.trim().startsWith("proxy_next_upstream "));
    expect(nextUpstream).toBeDefined();
    expect(nextUpstream).not.toContain("non_idempotent");
    expect(config).toContain("server 127.0.0.1:3163");
    expect(config).toContain("server 127.0.0.1:3164");
    expect(config).toContain("listen 127.0.0.1:3162;");
  });

  it("overwrites X-Forwarded-For with the address it saw, so a client cannot add its own entries", () => {
    const config = nginxConfig({ dir: "/tmp/x", port: 3162, instances });
    expect(config).toContain("proxy_set_header X-Forwarded-For $remote_addr;");
    expect(config).not.toContain("$proxy_add_x_forwarded_for");
  });

  it("honours the instance-pinning header only in test mode", () => {
    const plain = nginxConfig({ dir: "/tmp/x", port: 3162, instances });
    expect(plain).not.toMatch(/x_atelier_instance|X-Atelier-Upstream/i);
    const pinned = nginxConfig({ dir: "/tmp/x", port: 3162, instances, pinHeader: true });
    expect(pinned).toContain("map $http_x_atelier_instance $atelier_upstream");
    expect(pinned).toContain("b atelier_b;");
    expect(pinned).toContain("add_header X-Atelier-Upstream $upstream_addr always;");
  });

  it("refuses names nginx could misread", () => {
    expect(() => nginxConfig({ dir: "/tmp/x", port: 3162, instances: [{ name: "a;b", port: 1 }] })).toThrow(/lower-case/);
    expect(() => nginxConfig({ dir: "/tmp/x", port: 3162, instances: [] })).toThrow(/at least one/);
  });

  it.skipIf(!nginx)("is accepted by nginx -t", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "atelier-nginx-"));
    try {
      for (const pinHeader of [false, true]) {
        writeFileSync(path.join(dir, "nginx.conf"), nginxConfig({ dir, port: 3162, instances, pinHeader }));
        expect(() => execFileSync(nginx!, ["-t", "-q", "-c", path.join(dir, "nginx.conf"), "-p", dir, "-e", path.join(dir, "error.log")], { stdio: "pipe" })).not.toThrow();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

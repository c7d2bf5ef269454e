import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UNMATCHED, normalisePath, routeClassifier, routeMatcher } from "@/lib/metrics/route-patterns.mjs";

// A slice of a real `.next/routes-manifest.json` (next build of this app), in Next's own order.
const manifest = {
  staticRoutes: [
    { page: "/", regex: "^/(?:/)?$" },
    { page: "/sign-in", regex: "^/sign\\-in(?:/)?$" },
  ],
  dynamicRoutes: [
    { page: "/api/auth/[...nextauth]", regex: "^/api/auth/(.+?)(?:/)?$" },
    { page: "/api/w/[workspace]/media/zip", regex: "^/api/w/([^/]+?)/media/zip(?:/)?$" },
    { page: "/api/w/[workspace]/media/[mediaId]/detail", regex: "^/api/w/([^/]+?)/media/([^/]+?)/detail(?:/)?$" },
    { page: "/api/w/[workspace]/media/[mediaId]/[variant]", regex: "^/api/w/([^/]+?)/media/([^/]+?)/([^/]+?)(?:/)?$" },
    { page: "/w/[workspace]/gallery", regex: "^/w/([^/]+?)/gallery(?:/)?$" },
  ],
};

describe("route patterns for the latency metric", () => {
  const match = routeMatcher(manifest);

  it("names the route Next runs, never the ids in the path", () => {
    expect(match("/sign-in")).toBe("/sign-in");
    expect(match("/w/acme-3f2a/gallery")).toBe("/w/[workspace]/gallery");
    expect(match("/api/w/acme/media/cm123/thumb")).toBe("/api/w/[workspace]/media/[mediaId]/[variant]");
    expect(match("/api/w/acme/media/cm123/detail")).toBe("/api/w/[workspace]/media/[mediaId]/detail");
    expect(match("/api/w/acme/media/zip")).toBe("/api/w/[workspace]/media/zip");
    expect(match("/api/auth/callback/github")).toBe("/api/auth/[...nextauth]");
    expect(match("/nowhere/at/all")).toBeNull();
  });

  it("reads the path as the manifest expects it", () => {
    expect(normalisePath("/w/acme/gallery?board=b1&_rsc=x")).toBe("/w/acme/gallery");
    expect(normalisePath("/w/acme/gallery/")).toBe("/w/acme/gallery");
    expect(normalisePath("/w/acme/gallery.rsc")).toBe("/w/acme/gallery");
    expect(normalisePath("/index.rsc")).toBe("/");
    expect(normalisePath("/")).toBe("/");
  });

  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("classifies from the build's manifest, with closed buckets for Next's assets and unknown paths", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "atelier-routes-"));
    dirs.push(dir);
    await mkdir(path.join(dir, ".next"));
    await writeFile(path.join(dir, ".next", "routes-manifest.json"), JSON.stringify(manifest));
    const classify = routeClassifier({ dir, dev: false });
    expect(classify("/w/acme/gallery?x=1")).toBe("/w/[workspace]/gallery");
    expect(classify("/_next/static/chunks/app-123.js")).toBe("/_next/static");
    expect(classify("/_next/image?url=%2Fa.png&w=64")).toBe("/_next/image");
    expect(classify("/_next/webpack-hmr")).toBe("/_next");
    expect(classify("/favicon.ico")).toBe(UNMATCHED);
    expect(classify("/w/acme/gallery/../../../etc/passwd")).toBe(UNMATCHED);
  });

  it("without a build everything is unmatched, and development picks the manifest up once it appears", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "atelier-routes-"));
    dirs.push(dir);
    const classify = routeClassifier({ dir, dev: true });
    expect(classify("/sign-in")).toBe(UNMATCHED);
    await mkdir(path.join(dir, ".next", "dev"), { recursive: true });
    await writeFile(path.join(dir, ".next", "dev", "routes-manifest.json"), JSON.stringify(manifest));
    const realNow = Date.now;
    Date.now = () => realNow() + 5000; // past the 2 s between re-reads
    try {
      expect(classify("/sign-in")).toBe("/sign-in");
    } finally {
      Date.now = realNow;
    }
  });
});

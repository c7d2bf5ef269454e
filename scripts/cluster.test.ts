import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { instanceName, parseClusterArgs, readBuildIdentity } from "./cluster.mjs";

describe("npm run cluster's arguments", () => {
  it("defaults to two instances on local disk", () => {
    expect(parseClusterArgs([])).toEqual({ instances: 2, port: 3080, storage: "local", build: false, test: false });
    expect(parseClusterArgs(["--instances", "3", "--port", "3162", "--storage", "s3", "--test"])).toEqual({ instances: 3, port: 3162, storage: "s3", build: false, test: true });
    expect(instanceName(0)).toBe("a");
    expect(instanceName(1)).toBe("b");
  });

  it("refuses what it cannot run", () => {
    expect(() => parseClusterArgs(["--instances", "0"])).toThrow(/1 to 6/);
    expect(() => parseClusterArgs(["--storage", "ftp"])).toThrow(/local or s3/);
    expect(() => parseClusterArgs(["--port"])).toThrow(/needs a value/);
    expect(() => parseClusterArgs(["--nope"])).toThrow(/unknown argument/);
  });
});

describe("what npm run cluster reads from the build", () => {
  it("finds the deployment id and the server actions key the build was made with", () => {
    const dist = mkdtempSync(path.join(tmpdir(), "atelier-dist-"));
    try {
      expect(readBuildIdentity(dist)).toEqual({ buildId: null, deploymentId: null, actionsKey: null });
      mkdirSync(path.join(dist, "server"));
      writeFileSync(path.join(dist, "BUILD_ID"), "abc123\n");
      writeFileSync(path.join(dist, "routes-manifest.json"), JSON.stringify({ version: 3, deploymentId: "release-7" }));
      writeFileSync(path.join(dist, "server", "server-reference-manifest.json"), JSON.stringify({ node: {}, encryptionKey: "a2V5" }));
      expect(readBuildIdentity(dist)).toEqual({ buildId: "abc123", deploymentId: "release-7", actionsKey: "a2V5" });
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});

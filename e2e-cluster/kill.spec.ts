import pg from "pg";
import { expect, runCards, signUp, submitTool, test, uniqueEmail } from "../e2e/support";
import { allowProviderThumbnails, cluster, createsAtProvider, newKey, pin, sandboxFaults, saveRenderNetKey, storedObjects } from "./cluster";

/**
 * The instance holding a run dies (SIGKILL, no chance to hand anything back) while the provider is working on it:
 * the other instance finishes the run, with exactly one create at the provider and its output stored once.
 *
 * To be sure the kill lands mid-generation, the sandbox performs this account's create and then never answers
 * (the `hang` fault, performed): the instance that sent it is stuck waiting, holding the job's lease, when it is
 * killed. The survivor takes the job when the lease runs out (15 s), finds the create in the provider's feed
 * instead of sending another (RECONCILING), and tracks the run to the end.
 *
 * Runs last (the `kill` project): the cluster is not restarted afterwards.
 */
test("a run whose instance is killed mid-generation finishes on the other, with one create and one stored copy", async ({ page, context, consoleErrors }) => {
  test.setTimeout(120_000);
  const layout = cluster();
  allowProviderThumbnails(consoleErrors);
  await pin(context, "a");
  const slug = await signUp(page, { name: "Kim Kill", email: uniqueEmail("kim") });
  const key = newKey("kill");
  await saveRenderNetKey(page, slug, key);
  await sandboxFaults(key, [{ method: "POST", path: "/rendernet/pub/v1/generations", fault: "hang", performed: true }]);

  await page.goto(`/w/${slug}/generate/image`);
  await page.getByLabel(/^Prompt/).first().fill("a lighthouse keeper's lamp in the fog");
  await expect(page.getByText(/credits/).first()).toBeVisible();
  await submitTool(page, "Generate");

  // The create has reached the provider (which is now holding its answer back).
  await expect.poll(() => createsAtProvider(key), { timeout: 30_000 }).toBe(1);

  const db = new pg.Client({ connectionString: layout.databaseUrl });
  await db.connect();
  try {
    const generation = await db.query<{ id: string; workspaceId: string }>(
      `SELECT g.id, g."workspaceId" FROM "Generation" g JOIN "Workspace" w ON w.id = g."workspaceId" WHERE w.slug = $1`,
      [slug],
    );
    expect(generation.rows).toHaveLength(1);
    const { id: generationId, workspaceId } = generation.rows[0]!;

    // Which instance holds the job: its worker id is "<host>:<pid>:<random>".
    let holderPid = 0;
    await expect
      .poll(async () => {
        const job = await db.query<{ lockedBy: string | null }>(`SELECT "lockedBy" FROM "Job" WHERE payload->>'generationId' = $1 AND "lockedUntil" > now()`, [generationId]);
        holderPid = Number(job.rows[0]?.lockedBy?.split(":")[1] ?? 0);
        return holderPid;
      })
      .toBeGreaterThan(0);
    const holder = layout.instances.find((i) => i.pid === holderPid);
    const survivor = layout.instances.find((i) => i.pid !== holderPid);
    expect(holder, `the job is held by pid ${holderPid}, not one of the cluster's instances`).toBeTruthy();
    test.info().annotations.push({ type: "holder", description: `submitted through a; job held by ${holder!.name}, killed; ${survivor!.name} finishes it` });

    // Requests in flight to the killed instance (the page's polls) fail at the proxy: 502 from the pinned upstream.
    // A request cut off at the moment of the kill may also fail at the network level.
    const proxy = layout.proxy.replace(/\./g, "\\.");
    consoleErrors.allow(new RegExp(`status of 502 .* ${proxy}/`));
    consoleErrors.allow(new RegExp(`net::ERR_[A-Z_]+ ${proxy}/`));
    await pin(context, survivor!.name);
    process.kill(holderPid, "SIGKILL");
    await expect.poll(() => isAlive(holderPid)).toBe(false);

    await page.reload();
    await expect(runCards(page).first()).toHaveAttribute("aria-label", /, succeeded$/, { timeout: 75_000 });

    const final = await db.query<{ status: string; ready: number; media: number }>(
      `SELECT g.status,
              (SELECT count(*) FROM "Media" m WHERE m."generationId" = g.id AND m.status = 'READY')::int AS ready,
              (SELECT count(*) FROM "Media" m WHERE m."generationId" = g.id)::int AS media
         FROM "Generation" g WHERE g.id = $1`,
      [generationId],
    );
    expect(final.rows[0]).toEqual({ status: "SUCCEEDED", ready: 1, media: 1 });
    expect(await createsAtProvider(key)).toBe(1);

    // Stored once: one original and its thumbnail in the run's folder of the shared store (disk or bucket).
    const stored = await storedObjects(`ws/${workspaceId}/gen/${generationId}`);
    expect(stored.filter((name) => !name.endsWith(".thumb.webp"))).toHaveLength(1);
    expect(stored.filter((name) => name.endsWith(".thumb.webp"))).toHaveLength(1);
  } finally {
    await db.end();
  }
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { archiveDeadJob, enqueue } from "@/lib/data/job-queue";
import { getJobsOverview } from "@/lib/data/jobs-admin";
import { DEAD_JOBS_SHOWN } from "@/lib/jobs/types";
import { ForbiddenError } from "@/lib/result";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";

async function team() {
  const owner = await makeUser("Olive Owner");
  const workspace = await makeTeam(owner.id);
  const admin = await makeUser("Adam Admin");
  const member = await makeUser("Mia Member");
  await addMember(workspace.id, admin.id, "ADMIN");
  await addMember(workspace.id, member.id, "MEMBER");
  return { workspace, owner, admin, member };
}

describe("Settings → Jobs (data)", () => {
  it("counts the workspace's jobs per queue by state, and lists its dead jobs, never another workspace's", async () => {
    const t = await team();
    const other = await team();
    const queue = `test.admin.${randomUUID().slice(0, 8)}`;
    const past = new Date(Date.now() - 1000);
    const add = (groupKey: string | null, payload: Record<string, number | boolean>, runAt = past) => enqueue(db, { queue, groupKey, payload, runAt });
    /** Leases the job with this payload to `worker`, as a claim does (so a lease-checked archive can take it). */
    const lease = async (payload: Record<string, number | boolean>, worker: string) => {
      await db.$executeRaw`UPDATE "Job" SET "lockedBy" = ${worker}, "lockedUntil" = now() + interval '1 minute', "attempts" = 1
                            WHERE "queue" = ${queue} AND "payload" = ${JSON.stringify(payload)}::jsonb`;
      return db.job.findFirstOrThrow({ where: { queue, lockedBy: worker } });
    };
    // Ours: 3 due (one of them after a failure: retrying), 1 scheduled for later, 1 running, 1 dead.
    for (const i of [0, 1]) await add(t.workspace.id, { i });
    await add(t.workspace.id, { later: true }, new Date(Date.now() + 60_000));
    await add(t.workspace.id, { running: true });
    await add(t.workspace.id, { failed: true });
    await add(t.workspace.id, { dying: true });
    await lease({ running: true }, `${queue}-run`);
    await db.job.updateMany({ where: { queue, payload: { equals: { failed: true } } }, data: { attempts: 1 } });
    const dying = await lease({ dying: true }, `${queue}-die`);
    expect(await archiveDeadJob({ ...dying, payload: dying.payload as unknown }, `${queue}-die`, "Error: gave up")).toBe(true);
    // Theirs, and nobody's: never counted here.
    await add(other.workspace.id, { theirs: 1 });
    await add(other.workspace.id, { theirs: 2 });
    await add(null, { nobody: true });
    const theirs = await lease({ theirs: 2 }, `${queue}-x`);
    await archiveDeadJob({ ...theirs, payload: theirs.payload as unknown }, `${queue}-x`, "Error: theirs");

    const overview = await getJobsOverview(await viewerFor(t.admin.id, t.workspace.id));
    expect(overview.queues.find((q) => q.queue === queue)).toEqual({ queue, due: 3, scheduled: 1, running: 1, retrying: 1, dead: 1 });
    expect(overview.dead.filter((job) => job.queue === queue).map((job) => job.error)).toEqual(["Error: gave up"]);
    expect(JSON.stringify(overview)).not.toContain("theirs");

    const theirView = await getJobsOverview(await viewerFor(other.owner.id, other.workspace.id));
    expect(theirView.queues.find((q) => q.queue === queue)).toMatchObject({ due: 1, running: 0, dead: 1 });
    expect(theirView.dead.map((job) => job.error)).toEqual(["Error: theirs"]);
    await db.job.deleteMany({ where: { queue } });
    await db.deadJob.deleteMany({ where: { queue } });
  });

  it("is for admins and owners: a member or a viewer is refused", async () => {
    const t = await team();
    await expect(getJobsOverview(await viewerFor(t.member.id, t.workspace.id))).rejects.toBeInstanceOf(ForbiddenError);
    const viewer = await makeUser("Vic Viewer");
    await addMember(t.workspace.id, viewer.id, "VIEWER");
    await expect(getJobsOverview(await viewerFor(viewer.id, t.workspace.id))).rejects.toBeInstanceOf(ForbiddenError);
    expect(await getJobsOverview(await viewerFor(t.owner.id, t.workspace.id))).toMatchObject({ queues: [], dead: [] });
  });

  it("shows a bounded list of the newest dead jobs", async () => {
    const t = await team();
    const queue = `test.admin.${randomUUID().slice(0, 8)}`;
    await db.$executeRaw`
      INSERT INTO "DeadJob" ("jobId", "queue", "groupKey", "payload", "attempts", "lastError", "createdAt", "diedAt")
      SELECT n, ${queue}, ${t.workspace.id}, '{}'::jsonb, 3, 'Error: number ' || n, now() - interval '1 hour', now() - (n * interval '1 second')
        FROM generate_series(1, ${DEAD_JOBS_SHOWN + 5}) AS n`;
    const overview = await getJobsOverview(await viewerFor(t.owner.id, t.workspace.id));
    expect(overview.dead).toHaveLength(DEAD_JOBS_SHOWN);
    expect(overview.dead[0]!.error).toBe("Error: number 1");
    expect(overview.queues).toEqual([{ queue, due: 0, scheduled: 0, running: 0, retrying: 0, dead: DEAD_JOBS_SHOWN + 5 }]);
    await db.deadJob.deleteMany({ where: { queue } });
  });
});

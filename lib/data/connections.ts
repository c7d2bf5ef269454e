import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { requirePermission, type Viewer } from "@/lib/authz";
import { recordAudit } from "@/lib/data/audit";
import { sealProviderKey } from "@/lib/crypto/secrets";
import { getWorkspaceConnection } from "@/lib/connections/workspace";
import { findOutboundRefusal } from "@/lib/net/errors";
import { checkOutboundUrl } from "@/lib/net/outbound";
import { connectionCheckMessage, isProviderError } from "@/lib/providers/http/errors";
import type { GenerationItemInput } from "@/lib/providers/rendernet/request-schemas";
import { recordBalanceQuietly } from "@/lib/data/balance-snapshots";
import { UserError } from "@/lib/result";
import { QOLABA_BASE_URL_RULE, qolabaBaseUrlProblem, type ProviderId } from "@/lib/validation/connections";

/**
 * Settings → Providers. Keys go in (sealed before they touch the database) and never come out: what this module
 * returns says only the mode, the key's last four characters and the last check. Only owners and admins change or
 * test connections (connections:manage); every change, and every check, is in the audit log.
 */

export const PROVIDER_NAMES: Record<ProviderId, string> = { RENDERNET: "RenderNet", QOLABA: "Qolaba" };

export type ConnectionDTO = {
  provider: ProviderId;
  mode: "sandbox" | "key" | "none";
  last4: string | null;
  baseUrl: string | null;
  defaultBaseUrl: string | null;
  lastCheck: { at: string; ok: boolean; message: string | null } | null;
  updatedAt: string | null;
  updatedBy: string | null;
};

export async function listConnections(viewer: Viewer): Promise<{ connections: ConnectionDTO[]; sandboxAvailable: boolean }> {
  requirePermission(viewer, "workspace:read");
  const rows = await db.providerConnection.findMany({ where: { workspaceId: viewer.workspaceId } });
  const editors = await db.user.findMany({
    where: { id: { in: rows.map((r) => r.updatedById).filter((id): id is string => Boolean(id)) } },
    select: { id: true, name: true, email: true },
  });
  const sandboxAvailable = env().sandboxEnabled;
  return {
    sandboxAvailable,
    connections: (["RENDERNET", "QOLABA"] as const).map((provider) => {
      const row = rows.find((r) => r.provider === provider);
      const editor = editors.find((u) => u.id === row?.updatedById);
      return {
        provider,
        mode: row?.mode === "KEY" ? "key" : sandboxAvailable ? "sandbox" : "none",
        last4: row?.mode === "KEY" ? row.last4 : null,
        baseUrl: provider === "QOLABA" ? (row?.baseUrl ?? null) : null,
        defaultBaseUrl: provider === "QOLABA" ? (env().QOLABA_BASE_URL ?? null) : env().RENDERNET_BASE_URL,
        lastCheck: row?.lastCheckedAt ? { at: row.lastCheckedAt.toISOString(), ok: row.lastCheckOk ?? false, message: row.lastCheckMessage } : null,
        updatedAt: row?.updatedAt.toISOString() ?? null,
        updatedBy: editor ? (editor.name ?? editor.email) : null,
      };
    }),
  };
}

function lastFour(key: string): string {
  return key.length > 12 ? key.slice(-4) : "";
}

/**
 * The authoritative check of a Qolaba base URL typed in Settings: the form's shape rule again, then the host is
 * resolved and refused unless every address is public (or in ATELIER_OUTBOUND_ALLOW_PRIVATE). Nothing is
 * connected; every later request checks the addresses again as it connects (a name may change what it points at).
 */
async function checkQolabaBaseUrl(baseUrl: string): Promise<void> {
  const problem = qolabaBaseUrlProblem(baseUrl);
  const refuse = (message: string) => new UserError(message, "invalid_input", { baseUrl: [message] });
  if (problem) throw refuse(problem);
  try {
    await checkOutboundUrl(new URL(baseUrl));
  } catch (error) {
    const refusal = findOutboundRefusal(error);
    if (!refusal) throw error;
    const host = new URL(baseUrl).hostname;
    throw refuse(
      refusal.kind === "dns_failed"
        ? `${host} could not be found (its name did not resolve). ${QOLABA_BASE_URL_RULE}`
        : `${host} leads to an address that is not a public internet address. ${QOLABA_BASE_URL_RULE}`,
    );
  }
}

export async function saveProviderKey(viewer: Viewer, provider: ProviderId, key: string, baseUrl: string): Promise<void> {
  requirePermission(viewer, "connections:manage");
  if (provider === "QOLABA" && !baseUrl && !env().QOLABA_BASE_URL) {
    throw new UserError("Add Qolaba's base URL: this server has no default one.", "invalid_input", { baseUrl: ["Add the base URL Qolaba gave you."] });
  }
  if (provider === "QOLABA" && baseUrl) await checkQolabaBaseUrl(baseUrl);
  const sealed = sealProviderKey(viewer.workspaceId, provider, key);
  const last4 = lastFour(key);
  await db.$transaction(async (tx) => {
    const existing = await tx.providerConnection.findUnique({ where: { workspaceId_provider: { workspaceId: viewer.workspaceId, provider } }, select: { version: true } });
    const data = {
      mode: "KEY" as const,
      secret: sealed.secret,
      keyId: sealed.keyId,
      last4,
      baseUrl: provider === "QOLABA" ? baseUrl || null : null,
      lastCheckedAt: null,
      lastCheckOk: null,
      lastCheckMessage: null,
      updatedById: viewer.userId,
    };
    await tx.providerConnection.upsert({
      where: { workspaceId_provider: { workspaceId: viewer.workspaceId, provider } },
      create: { workspaceId: viewer.workspaceId, provider, ...data },
      update: { ...data, version: (existing?.version ?? 0) + 1 },
    });
    await recordAudit(
      {
        action: "connection.key_set",
        workspaceId: viewer.workspaceId,
        actorId: viewer.userId,
        targetType: "provider",
        targetId: provider,
        details: { provider: PROVIDER_NAMES[provider], key: last4 ? `ending ${last4}` : "set", replaced: existing !== null },
      },
      tx,
    );
  });
}

/** Back to the sandbox (test mode): the stored key is deleted, not kept. */
export async function switchToSandbox(viewer: Viewer, provider: ProviderId): Promise<void> {
  requirePermission(viewer, "connections:manage");
  if (!env().sandboxEnabled) throw new UserError("The sandbox is turned off on this server (ATELIER_SANDBOX).", "conflict");
  await replaceWith(viewer, provider, "SANDBOX", "connection.mode_changed");
}

/** Removes the key: the provider falls back to the sandbox if it is on, else it is not connected. */
export async function removeProviderKey(viewer: Viewer, provider: ProviderId): Promise<void> {
  requirePermission(viewer, "connections:manage");
  await replaceWith(viewer, provider, env().sandboxEnabled ? "SANDBOX" : null, "connection.key_removed");
}

/** Drops the stored key (if any) for the sandbox or nothing; a key that was there is audited under `action`. */
async function replaceWith(
  viewer: Viewer,
  provider: ProviderId,
  mode: "SANDBOX" | null,
  action: "connection.key_removed" | "connection.mode_changed",
): Promise<void> {
  await db.$transaction(async (tx) => {
    const existing = await tx.providerConnection.findUnique({
      where: { workspaceId_provider: { workspaceId: viewer.workspaceId, provider } },
      select: { id: true, mode: true, last4: true, version: true },
    });
    if (mode === null) {
      if (existing) await tx.providerConnection.delete({ where: { id: existing.id } });
    } else {
      const data = { mode, secret: null, keyId: null, last4: null, baseUrl: null, lastCheckedAt: null, lastCheckOk: null, lastCheckMessage: null, updatedById: viewer.userId };
      await tx.providerConnection.upsert({
        where: { workspaceId_provider: { workspaceId: viewer.workspaceId, provider } },
        create: { workspaceId: viewer.workspaceId, provider, ...data },
        update: { ...data, version: (existing?.version ?? 0) + 1 },
      });
    }
    if (existing?.mode === "KEY") {
      await recordAudit(
        {
          action,
          workspaceId: viewer.workspaceId,
          actorId: viewer.userId,
          targetType: "provider",
          targetId: provider,
          details: { provider: PROVIDER_NAMES[provider], key: existing.last4 ? `ending ${existing.last4}` : "removed", now: mode === "SANDBOX" ? "sandbox" : "not connected" },
        },
        tx,
      );
    }
  });
}

export type ConnectionCheck = { ok: boolean; message: string; balance: number | null };

/**
 * Calls the provider with the stored key (nothing is spent): RenderNet lists its models and prices one image, which
 * also reads the balance; Qolaba reads a task status (it reports no balance). The result is kept for the page. A
 * failure is told by its kind (refused address, could not connect, timed out, TLS, key rejected, unexpected answer
 * with its status code), in Atelier's words: never the text the other side sent (connectionCheckMessage).
 */
export async function testConnection(viewer: Viewer, provider: ProviderId): Promise<ConnectionCheck> {
  requirePermission(viewer, "connections:manage");
  const connection = await getWorkspaceConnection(viewer.workspaceId);
  const unavailable = provider === "RENDERNET" ? connection.unavailable.rendernet : connection.unavailable.qolaba;
  let check: ConnectionCheck;
  if (unavailable) {
    check = { ok: false, message: unavailable, balance: null };
  } else {
    try {
      if (provider === "RENDERNET") {
        const models = await connection.rendernet.listModels();
        const model = models[0]?.name;
        if (!model) {
          check = { ok: true, message: "The key works, but RenderNet listed no models.", balance: null };
        } else {
          const item = { prompt: { positive: "Connection check", negative: "" }, aspect_ratio: "1:1", batch_size: 1, model } as GenerationItemInput;
          const { balance } = await connection.rendernet.estimate([item]);
          recordBalanceQuietly(viewer.workspaceId, "RENDERNET", connection.connectionId, balance);
          check = { ok: true, message: `Connected. Balance: ${balance.toLocaleString("en")} credits.`, balance };
        }
      } else {
        await connection.qolaba.getTask("atelier-connection-check");
        check = { ok: true, message: "Connected. Qolaba doesn't report a credit balance.", balance: null };
      }
    } catch (error) {
      if (isProviderError(error)) check = { ok: false, message: connectionCheckMessage(error), balance: null };
      else if (error instanceof UserError) check = { ok: false, message: error.message, balance: null };
      else throw error;
    }
  }
  const result = check;
  await db.$transaction(async (tx) => {
    await tx.providerConnection.updateMany({
      where: { workspaceId: viewer.workspaceId, provider },
      data: { lastCheckedAt: new Date(), lastCheckOk: result.ok, lastCheckMessage: result.message },
    });
    // The check's sentence is ours (a provider error's userMessage), never an upstream body.
    await recordAudit(
      {
        action: "connection.tested",
        workspaceId: viewer.workspaceId,
        actorId: viewer.userId,
        targetType: "provider",
        targetId: provider,
        details: { provider: PROVIDER_NAMES[provider], ok: result.ok, message: result.message.slice(0, 300) },
      },
      tx,
    );
  });
  return check;
}

import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { requirePermission, type Viewer } from "@/lib/authz";
import { recordAudit } from "@/lib/data/audit";
import type { ProviderId } from "@/lib/validation/connections";

/**
 * Settings → Providers, its rows. Keys go in sealed (lib/connections/settings.ts seals them) and never come out:
 * what this module returns to pages says only the mode, the key's last four characters and the last check; the
 * sealed rows go only to lib/connections/workspace.ts, which opens them to build the clients. Only owners and admins
 * change or test connections (connections:manage); every change, and every check, is in the audit log.
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

/**
 * The providers whose runs go to the built-in sandbox (no key stored, the sandbox enabled), for the shell's badge:
 * the same rule as listConnections' `mode` and lib/connections/workspace.ts, in one small query per page.
 */
export async function listSandboxedProviders(viewer: Viewer): Promise<ProviderId[]> {
  requirePermission(viewer, "workspace:read");
  if (!env().sandboxEnabled) return [];
  const keyed = await db.providerConnection.findMany({ where: { workspaceId: viewer.workspaceId, mode: "KEY" }, select: { provider: true } });
  return (["RENDERNET", "QOLABA"] as const).filter((provider) => !keyed.some((row) => row.provider === provider));
}

/** What a stored key is made of: sealed before it reaches this module (lib/crypto/secrets.ts), never opened here. */
export type SealedKey = { secret: string; keyId: string; last4: string };

/**
 * Stores a provider key (replacing any, its version bumped so copies made with the old key are not reused) with its
 * audit entry, in one transaction. The key is sealed by the caller (lib/connections/settings.ts).
 */
export async function storeProviderKey(viewer: Viewer, provider: ProviderId, sealed: SealedKey, baseUrl: string | null): Promise<void> {
  requirePermission(viewer, "connections:manage");
  await db.$transaction(async (tx) => {
    const existing = await tx.providerConnection.findUnique({ where: { workspaceId_provider: { workspaceId: viewer.workspaceId, provider } }, select: { version: true } });
    const data = {
      mode: "KEY" as const,
      secret: sealed.secret,
      keyId: sealed.keyId,
      last4: sealed.last4,
      baseUrl,
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
        details: { provider: PROVIDER_NAMES[provider], key: sealed.last4 ? `ending ${sealed.last4}` : "set", replaced: existing !== null },
      },
      tx,
    );
  });
}

/** Drops the stored key (if any) for the sandbox or nothing; a key that was there is audited under `action`. */
export async function replaceProviderConnection(
  viewer: Viewer,
  provider: ProviderId,
  mode: "SANDBOX" | null,
  action: "connection.key_removed" | "connection.mode_changed",
): Promise<void> {
  requirePermission(viewer, "connections:manage");
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

/** Keeps a connection check's outcome for the page, with its audit entry (lib/connections/check.ts runs the check). */
export async function recordConnectionCheck(viewer: Viewer, provider: ProviderId, result: ConnectionCheck): Promise<void> {
  requirePermission(viewer, "connections:manage");
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
}

/** A workspace's stored connection rows, sealed keys included: only lib/connections/workspace.ts opens them. */
export type ProviderConnectionRow = {
  id: string;
  workspaceId: string;
  provider: ProviderId;
  mode: "SANDBOX" | "KEY";
  secret: string | null;
  keyId: string | null;
  baseUrl: string | null;
  version: number;
};

export function listProviderConnectionRows(workspaceId: string): Promise<ProviderConnectionRow[]> {
  return db.providerConnection.findMany({
    where: { workspaceId },
    select: { id: true, workspaceId: true, provider: true, mode: true, secret: true, keyId: true, baseUrl: true, version: true },
  });
}

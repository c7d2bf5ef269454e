import "server-only";
import { requirePermission, type Viewer } from "@/lib/authz";
import { sealProviderKey } from "@/lib/crypto/secrets";
import { replaceProviderConnection, storeProviderKey } from "@/lib/data/connections";
import { env } from "@/lib/env";
import { findOutboundRefusal } from "@/lib/net/errors";
import { checkOutboundUrl } from "@/lib/net/outbound";
import { UserError } from "@/lib/result";
import { QOLABA_BASE_URL_RULE, qolabaBaseUrlProblem, type ProviderId } from "@/lib/validation/connections";

/**
 * Settings → Providers, the changes: a key is checked (Qolaba's base URL against the outbound rule) and sealed here,
 * before it reaches the database (lib/data/connections.ts stores it with its audit entry); switching to the sandbox
 * or removing a key follows the server's sandbox setting. Only owners and admins (connections:manage).
 */

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
  await storeProviderKey(viewer, provider, { ...sealed, last4: lastFour(key) }, provider === "QOLABA" ? baseUrl || null : null);
}

/** Back to the sandbox (test mode): the stored key is deleted, not kept. */
export async function switchToSandbox(viewer: Viewer, provider: ProviderId): Promise<void> {
  requirePermission(viewer, "connections:manage");
  if (!env().sandboxEnabled) throw new UserError("The sandbox is turned off on this server (ATELIER_SANDBOX).", "conflict");
  await replaceProviderConnection(viewer, provider, "SANDBOX", "connection.mode_changed");
}

/** Removes the key: the provider falls back to the sandbox if it is on, else it is not connected. */
export async function removeProviderKey(viewer: Viewer, provider: ProviderId): Promise<void> {
  requirePermission(viewer, "connections:manage");
  await replaceProviderConnection(viewer, provider, env().sandboxEnabled ? "SANDBOX" : null, "connection.key_removed");
}

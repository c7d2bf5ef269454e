import "server-only";
import { requirePermission, type Viewer } from "@/lib/authz";
import { getWorkspaceConnection } from "@/lib/connections/workspace";
import { recordConnectionCheck, type ConnectionCheck } from "@/lib/data/connections";
import { connectionCheckMessage, isProviderError } from "@/lib/providers/http/errors";
import type { GenerationItemInput } from "@/lib/providers/rendernet/request-schemas";
import { UserError } from "@/lib/result";
import { recordBalanceQuietly } from "@/lib/data/balance-snapshots";
import type { ProviderId } from "@/lib/validation/connections";
import { plural } from "@/lib/validation/text";

export type { ConnectionCheck } from "@/lib/data/connections";

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
          check = { ok: true, message: `Connected. Balance: ${plural(balance, "credit")}.`, balance };
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
  await recordConnectionCheck(viewer, provider, check);
  return check;
}

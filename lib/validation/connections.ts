import { z } from "zod";
import { isIpLiteral, isPublicAddress } from "@/lib/net/address-policy";
import { workspaceRef } from "@/lib/validation/workspaces";

/** Settings → Providers: the forms' schemas, shared by the browser and the actions. */

export const PROVIDERS = ["RENDERNET", "QOLABA"] as const;
export type ProviderId = (typeof PROVIDERS)[number];
export const providerField = z.enum(PROVIDERS, { error: "Choose RenderNet or Qolaba." });

export const apiKeyField = z
  .string({ error: "Paste the key." })
  .trim()
  .min(8, "That is too short to be a key: paste the whole key.")
  .max(500, "That is too long to be a key.")
  .regex(/^\S+$/, "A key has no spaces or line breaks: paste just the key.");

/**
 * Qolaba serves its API per customer, so its base URL is typed by a workspace admin, and every server-side request
 * then goes there: the rule is strict. This is the shape check, shared by the form and the action; the server then
 * resolves the host and refuses it unless every address is public (lib/data/connections.ts, lib/net).
 */
export const QOLABA_BASE_URL_RULE =
  "Use the https:// address Qolaba gave you: a host name (or public IP address), optionally a port and a path, with no user name or password, query (?) or fragment (#). It must lead to a public internet address.";

/** Why this Qolaba base URL is refused (a sentence for people), or null when its shape is acceptable. */
export function qolabaBaseUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `That is not a complete URL. ${QOLABA_BASE_URL_RULE}`;
  }
  if (url.protocol !== "https:") return `Only https:// addresses are accepted. ${QOLABA_BASE_URL_RULE}`;
  if (url.username || url.password) return `Leave out the user name and password. ${QOLABA_BASE_URL_RULE}`;
  if (/[?#]/.test(url.href)) return `Leave out the query (?) and fragment (#). ${QOLABA_BASE_URL_RULE}`;
  // The URL parser has already turned 0x7f.1, 2130706433, 127.1 and 0177.0.0.1 into 127.0.0.1.
  if (isIpLiteral(url.hostname)) {
    if (!isPublicAddress(url.hostname)) return `${url.hostname} is not a public internet address (private, loopback, link-local or reserved addresses are refused). ${QOLABA_BASE_URL_RULE}`;
  } else if (!url.hostname.includes(".")) {
    return `Use the full host name (such as api.example.com): a single-label name only means something on a local network. ${QOLABA_BASE_URL_RULE}`;
  }
  return null;
}

export const baseUrlField = z
  .string()
  .trim()
  .max(300, "That URL is too long.")
  .superRefine((value, ctx) => {
    if (value === "") return;
    const problem = qolabaBaseUrlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const saveProviderKeySchema = z
  .object({ workspace: workspaceRef, provider: providerField, key: apiKeyField, baseUrl: baseUrlField.optional().default("") })
  .superRefine((value, ctx) => {
    if (value.provider === "RENDERNET" && value.baseUrl) ctx.addIssue({ code: "custom", path: ["baseUrl"], message: "RenderNet's address is fixed by the server's configuration." });
  });
export const switchToSandboxSchema = z.object({ workspace: workspaceRef, provider: providerField });
export const removeProviderKeySchema = z.object({ workspace: workspaceRef, provider: providerField });
export const testConnectionSchema = z.object({ workspace: workspaceRef, provider: providerField });

import { z } from "zod";
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

/** Qolaba serves its API per customer: an https URL (http only for a server on this machine). */
export const baseUrlField = z
  .string()
  .trim()
  .max(300, "That URL is too long.")
  .refine((value) => {
    if (value === "") return true;
    try {
      const url = new URL(value);
      const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
      return (url.protocol === "https:" || (url.protocol === "http:" && loopback)) && !url.username && !url.password && !url.search && !url.hash;
    } catch {
      return false;
    }
  }, "Use the https:// address Qolaba gave you (no credentials, query or fragment).");

export const saveProviderKeySchema = z
  .object({ workspace: workspaceRef, provider: providerField, key: apiKeyField, baseUrl: baseUrlField.optional().default("") })
  .superRefine((value, ctx) => {
    if (value.provider === "RENDERNET" && value.baseUrl) ctx.addIssue({ code: "custom", path: ["baseUrl"], message: "RenderNet's address is fixed by the server's configuration." });
  });
export const switchToSandboxSchema = z.object({ workspace: workspaceRef, provider: providerField });
export const removeProviderKeySchema = z.object({ workspace: workspaceRef, provider: providerField });
export const testConnectionSchema = z.object({ workspace: workspaceRef, provider: providerField });

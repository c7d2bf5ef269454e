import { isProviderError, type ProviderErrorCause } from "@/lib/providers/http/errors";
import { UserError } from "@/lib/result";
import { fieldErrorsOf } from "@/lib/validation/field-errors";
import { generationRequest, type GenerationRequest } from "@/lib/validation/generations";

/**
 * How the studio's server side turns what can go wrong with a run into a UserError: settings the form's schema
 * refuses (with field errors), and a provider's refusal or failure (its sentence for people, never an upstream body).
 */

/** A provider failure during submit/estimate, as a message for people (never an upstream body). */
export function toUserError(error: unknown): never {
  if (isProviderError(error)) {
    const code = error.cause === "rate_limited" ? "rate_limited" : error.cause === "invalid_input" ? "invalid_input" : "conflict";
    // The cause rides along for callers that must tell a passing failure from one that would repeat (a batch's job).
    throw Object.assign(new UserError(error.userMessage, code), { providerCause: error.cause });
  }
  throw error;
}

/** The run, checked with the form's own schema; a UserError with the field errors otherwise. */
export function parseRun(run: unknown): GenerationRequest {
  const parsed = generationRequest.safeParse(run);
  if (parsed.success) return parsed.data;
  // Paths are the run's own (`params.prompt`); the tool form re-roots them with the scope `params`.
  throw new UserError(parsed.error.issues[0]?.message ?? "Check the settings.", "invalid_input", fieldErrorsOf(parsed.error));
}

/** The provider's cause behind a UserError made by toUserError, if it came from one. */
export function providerCauseOf(error: unknown): ProviderErrorCause | null {
  const cause = (error as { providerCause?: unknown } | null)?.providerCause;
  return typeof cause === "string" ? (cause as ProviderErrorCause) : null;
}

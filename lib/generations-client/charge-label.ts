import type { ChargeDTO, GenerationStatusDTO, MediaDTO } from "@/lib/generations/types";
import { plural } from "@/lib/validation/text";

/**
 * The words for what a run cost (the run card, the gallery's detail view) and for images a provider withheld.
 * `text` is the short line ("Charged 4 credits", "Not charged", "Refunded", "Charge unknown"); `detail` says how
 * Atelier knows (lib/generations/charges.ts decides it; nothing here guesses).
 */

type ChargeInput = {
  status: GenerationStatusDTO;
  provider: "RENDERNET" | "QOLABA";
  estimatedCredits: number | null;
  charge: ChargeDTO;
};

const UNFINISHED: ReadonlySet<GenerationStatusDTO> = new Set(["PREPARING", "QUEUED", "SUBMITTING", "RECONCILING", "RUNNING", "CANCELLING"]);
/** Ended without (all) its results: whether RenderNet gives credits back then is not documented. */
const ENDED_SHORT: ReadonlySet<GenerationStatusDTO> = new Set(["FAILED", "REFUSED", "CANCELLED", "CANCELLING"]);

export const credits = (n: number) => plural(n, "credit");

const providerName = (provider: ChargeInput["provider"]) => (provider === "RENDERNET" ? "RenderNet" : "Qolaba");

export function chargeLabel(run: ChargeInput): { text: string; detail: string } {
  const { charge } = run;
  const name = providerName(run.provider);
  switch (charge.basis) {
    case null:
      if (run.provider === "QOLABA") return { text: "Billed by Qolaba for GPU time", detail: "Qolaba reports no credit figure." };
      if (UNFINISHED.has(run.status) && run.estimatedCredits !== null) {
        return { text: `≈ ${credits(run.estimatedCredits)}`, detail: `${name}'s estimate; charged when ${name} accepts the run.` };
      }
      return { text: "Charge unknown", detail: `${name} has not said what this cost.` };
    case "NOT_SENT":
      return { text: "Not charged", detail: `It was never sent to ${name}.` };
    case "NOT_ACCEPTED":
      return { text: "Not charged", detail: `${name} refused it or never received it, so nothing was charged.` };
    case "UNKNOWN":
      return run.provider === "QOLABA"
        ? { text: "Charge unknown", detail: "Qolaba bills GPU time and reports no credit figure." }
        : { text: "Charge unknown", detail: `${name}'s answer was lost; it may have charged for this run.` };
    case "BALANCE":
    case "ESTIMATE": {
      const how =
        charge.basis === "BALANCE"
          ? `From ${name}'s balance before and after it accepted the run.`
          : `${name}'s estimate, which it charges when it accepts a run.`;
      if (charge.refunded !== null && charge.refunded > 0) {
        return charge.credits === 0
          ? { text: "Refunded", detail: `${credits(charge.refunded)} came back to ${name}'s balance.` }
          : { text: `Charged ${credits(charge.credits ?? 0)} (${charge.refunded} refunded)`, detail: how };
      }
      if (charge.credits === null) return { text: "Charge unknown", detail: how };
      if (charge.credits === 0) return { text: "Not charged", detail: how };
      // Charged, then the run ended without its results: a refund was not seen, and the API says nothing of one.
      if (ENDED_SHORT.has(run.status) && charge.refunded === null) {
        return { text: `Charged ${credits(charge.credits)} (refund not known)`, detail: `${how} ${name} does not say whether it refunds runs that end this way.` };
      }
      return { text: `Charged ${credits(charge.credits)}`, detail: how };
    }
  }
}

/** "1 of 3 images was withheld by the provider's safety filter", or null when nothing was (or there is one output). */
export function withheldSentence(media: readonly Pick<MediaDTO, "status" | "kind">[]): string | null {
  const withheld = media.filter((m) => m.status === "REFUSED").length;
  if (withheld === 0 || media.length < 2) return null;
  const noun = media.every((m) => m.kind === "VIDEO") ? "video" : "image";
  return `${withheld} of ${media.length} ${noun}s ${withheld === 1 ? "was" : "were"} withheld by the provider's safety filter`;
}

import { describe, expect, it } from "vitest";
import type { ChargeDTO, GenerationStatusDTO } from "@/lib/generations/types";
import { chargeLabel, withheldSentence } from "@/lib/generations-client/charge-label";

const run = (status: GenerationStatusDTO, charge: Partial<ChargeDTO>, provider: "RENDERNET" | "QOLABA" = "RENDERNET") =>
  chargeLabel({ status, provider, estimatedCredits: 4, charge: { credits: null, refunded: null, basis: null, ...charge } });

describe("chargeLabel", () => {
  it("says what a finished run cost, and how that is known", () => {
    expect(run("SUCCEEDED", { basis: "BALANCE", credits: 4 })).toEqual({ text: "Charged 4 credits", detail: "From RenderNet's balance before and after it accepted the run." });
    expect(run("SUCCEEDED", { basis: "ESTIMATE", credits: 1 }).text).toBe("Charged 1 credit");
    expect(run("CANCELLED", { basis: "NOT_SENT", credits: 0 }).text).toBe("Not charged");
    expect(run("FAILED", { basis: "NOT_ACCEPTED", credits: 0 }).detail).toMatch(/refused it or never received it/);
    expect(run("CANCELLED", { basis: "ESTIMATE", credits: 0, refunded: 4 }).text).toBe("Refunded");
    expect(run("CANCELLED", { basis: "ESTIMATE", credits: 4, refunded: 0 }).text).toBe("Charged 4 credits");
    expect(run("SUCCEEDED", { basis: "UNKNOWN" }, "QOLABA")).toEqual({ text: "Charge unknown", detail: "Qolaba bills GPU time and reports no credit figure." });
    expect(run("FAILED", { basis: "UNKNOWN" }).text).toBe("Charge unknown");
  });

  it("never claims a refund it has not seen: a charged run that failed says the refund is not known", () => {
    expect(run("FAILED", { basis: "ESTIMATE", credits: 4 }).text).toBe("Charged 4 credits (refund not known)");
    expect(run("REFUSED", { basis: "BALANCE", credits: 2 }).text).toBe("Charged 2 credits (refund not known)");
  });

  it("shows the estimate while a run is unsettled", () => {
    expect(run("QUEUED", {}).text).toBe("≈ 4 credits");
    expect(run("RUNNING", {}, "QOLABA").text).toBe("Billed by Qolaba for GPU time");
  });
});

describe("withheldSentence", () => {
  const m = (status: "READY" | "REFUSED" | "FAILED", kind: "IMAGE" | "VIDEO" = "IMAGE") => ({ status, kind });
  it("counts the withheld slots among all of them", () => {
    expect(withheldSentence([m("READY"), m("REFUSED"), m("READY")])).toBe("1 of 3 images was withheld by the provider's safety filter");
    expect(withheldSentence([m("REFUSED"), m("REFUSED")])).toBe("2 of 2 images were withheld by the provider's safety filter");
    expect(withheldSentence([m("READY"), m("FAILED")])).toBeNull();
    expect(withheldSentence([m("REFUSED")])).toBeNull();
  });
});

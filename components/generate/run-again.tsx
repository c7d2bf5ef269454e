"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { Dices, PencilLine } from "lucide-react";
import { toast } from "@/lib/client/toast";
import type { EstimateDTO } from "@/lib/generations/types";
import type { ToolId } from "@/lib/validation/generations";
import { takesSeed } from "@/lib/generations/seeds";
import { useDebouncedValue } from "@/lib/client/use-debounced-value";
import { useSeen } from "@/lib/client/use-seen";
import { ESTIMATE_DEBOUNCE_MS } from "@/lib/generations-client/use-estimate";
import { useVaryEstimate, useVaryGeneration } from "@/lib/generations-client/use-vary-generation";
import { Button, type ButtonProps } from "@/components/ui/button";
import { newPromptHref, TOOLS_BY_ID } from "@/components/generate/tools";
import { plural } from "@/lib/validation/text";

/**
 * Vary: one click sends the run again with a new seed (a tool without a seed: the same run again), priced on the
 * button through the estimate path once the button has been on screen for a moment, so browsing doesn't price
 * every run. `viewHref` (outside the generate pages) lets the toast open the runs panel where the new run appears.
 */
export function VaryButton({
  slug,
  generationId,
  tool,
  variant = "ghost",
  viewHref,
}: {
  slug: string;
  generationId: string;
  tool: ToolId;
  variant?: ButtonProps["variant"];
  viewHref?: string;
}) {
  const ref = useRef<HTMLButtonElement>(null);
  const seen = useSeen(ref);
  const settled = useDebouncedValue(seen ? generationId : null, ESTIMATE_DEBOUNCE_MS);
  const estimate = useVaryEstimate(slug, generationId, settled === generationId);
  const { vary, isVarying } = useVaryGeneration(slug);
  const router = useRouter();
  const credits = estimate.data?.credits ?? null;
  // The submit's own refusals, said before the click: over the member's monthly budget, or more than the balance.
  const blocked = blockedBy(estimate.data);
  const seeded = takesSeed(tool);
  const title = [
    blocked,
    seeded ? "Run it again with everything the same but a new seed" : `Run it again with the same settings (${TOOLS_BY_ID[tool].provider} varies it by itself)`,
    estimate.error ? `Cost unavailable: ${estimate.error.message}` : null,
  ]
    .filter(Boolean)
    .join(". ");

  const onClick = async () => {
    const result = await vary(generationId);
    if (!result) return;
    if (result.ok) {
      const action = viewHref ? { label: "View", onClick: () => router.push(viewHref) } : undefined;
      if (result.data.status === "FAILED" || result.data.status === "REFUSED") toast.error("The variation couldn't start", { description: "See why in the runs.", action });
      else toast.success(seeded ? "Varying with a new seed" : "Running it again", { description: "The new run is at the top of the runs.", action });
    } else {
      toast.error("Couldn't vary this run", { description: result.error });
    }
  };

  return (
    <Button ref={ref} size="sm" variant={variant} onClick={() => void onClick()} loading={isVarying(generationId)} disabled={blocked !== null} title={title}>
      {isVarying(generationId) ? null : <Dices />}
      {blocked ? `Vary · ${blockedShort(estimate.data)}` : credits === null ? "Vary" : `Vary · ≈ ${plural(credits, "credit")}`}
    </Button>
  );
}

/**
 * "Same seed, new prompt": opens the run's tool with every setting and the seed, the prompt empty and focused, so a
 * different prompt keeps the composition. Only for tools with both a seed and a prompt (Image).
 */
export function SameSeedLink({ slug, generationId, tool, variant = "ghost" }: { slug: string; generationId: string; tool: ToolId; variant?: ButtonProps["variant"] }) {
  if (!takesSeed(tool)) return null;
  return (
    <Button asChild size="sm" variant={variant}>
      <Link href={newPromptHref(slug, tool, generationId)} title="The same settings and seed, with a new prompt">
        <PencilLine /> Same seed, new prompt
      </Link>
    </Button>
  );
}

/** Why a one-click run would be refused now (the member's budget, or the balance), from its estimate; null if it wouldn't. */
export function blockedBy(estimate: EstimateDTO | undefined): string | null {
  if (!estimate) return null;
  if (estimate.budget?.warning) return estimate.budget.warning;
  if (estimate.shortBy && estimate.shortBy > 0) return `Not enough credits: it needs ${estimate.credits ?? "more"}, the balance is ${estimate.balance ?? 0}.`;
  return null;
}

/** The same, in the few words a button has room for. */
export function blockedShort(estimate: EstimateDTO | undefined): string {
  return estimate?.budget?.warning ? "over your budget" : "not enough credits";
}

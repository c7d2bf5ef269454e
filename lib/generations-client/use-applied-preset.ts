"use client";

import { useMemo, useState } from "react";
import type { CatalogDTO } from "@/lib/generations/types";
import { gapAlerts, presetGaps, presetGapsSentence } from "@/lib/generations-client/preset-gaps";
import type { ToolId } from "@/lib/validation/generations";

/**
 * The last preset applied to a form whose fields name catalogue entries (Image, Narrator), and what of it the
 * provider no longer lists, read from the form's current params: `alerts` for useToolForm (each field's message, at
 * once) and the sentence above the form. Both go as soon as the creator has chosen others.
 */
export function useAppliedPreset(tool: ToolId, params: unknown, catalog: CatalogDTO | undefined, provider: string) {
  const [name, setName] = useState<string | null>(null);
  const gaps = useMemo(() => (name ? presetGaps(tool, params, catalog, provider) : []), [name, tool, params, catalog, provider]);
  const alerts = useMemo(() => gapAlerts(gaps), [gaps]);
  return { applied: setName, alerts, sentence: name ? presetGapsSentence(name, gaps, provider) : null };
}

"use client";

import { onDemand } from "@/components/ui/on-demand";

/** ./character-dialog.tsx (its form and schema) fetched when first opened; see components/ui/on-demand.tsx. */
export const CharacterDialog = onDemand(() => import("./character-dialog").then((m) => m.CharacterDialog), (props) => props.state !== null);

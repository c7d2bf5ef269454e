"use client";

import { useState } from "react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { Grid3x3 } from "lucide-react";
import type { CatalogDTO } from "@/lib/generations/types";
import { Button } from "@/components/ui/button";

// The panel (and Radix's dialog with it) is fetched when Batch… is first pressed, not with the Image page.
const BatchDialog = dynamic(() => import("./batch-dialog").then((m) => m.BatchDialog), { ssr: false });

/** Batch…: the form's settings as the base of a matrix of runs (./batch-dialog.tsx). */
export function BatchButton({ slug, params, catalog }: { slug: string; params: Record<string, unknown>; catalog: CatalogDTO | undefined }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="flex flex-wrap items-center justify-between gap-2 rounded-xl border border-dashed border-line px-3.5 py-3">
      <p className="text-[12px] text-muted">
        Many prompts, models, ratios or seeds at once, priced first and capped.{" "}
        <Link href={`/w/${encodeURIComponent(slug)}/batches`} className="text-accent underline underline-offset-2">
          All batches
        </Link>
      </p>
      <Button type="button" variant="secondary" size="sm" onClick={() => setOpen(true)}>
        <Grid3x3 />
        Batch…
      </Button>
      {open ? <BatchDialog slug={slug} open={open} onOpenChange={setOpen} params={params} catalog={catalog} /> : null}
    </div>
  );
}
